"""Normalize: cleaning, datelines, trailers, HTML, hashing and language."""

import unicodedata
from datetime import datetime

import pytest

from schemas import RawArticle
from service.pipeline import NormalizationError, normalize
from service.pipeline.normalize import _QUOTE_PAIRS, _clean_odd_text, clean_text, parse_dateline


def _raw(body: str, **fields: object) -> RawArticle:
    return RawArticle.model_validate({"id": "a-1", "source": "Fresh News", "body": body, **fields})


@pytest.mark.parametrize(
    ("opening", "city", "agency", "year", "month", "day"),
    [
        ("Phnom Penh (FN), Jun. 4 – ", "Phnom Penh", "FN", None, 6, 4),
        ("PHNOM PENH, Aug. 8 (AKP) – ", "Phnom Penh", "AKP", None, 8, 8),
        ("AKP Phnom Penh, February 25, 2019 – ", "Phnom Penh", "AKP", 2019, 2, 25),
        ("BEIJING, Nov. 15 (Xinhua) -- ", "Beijing", "Xinhua", None, 11, 15),
        ("Hanoi (VNA) – ", "Hanoi", "VNA", None, None, None),
        ("HÀ NỘI — ", "Hà Nội", None, None, None, None),
        ("KUALA LUMPUR: ", "Kuala Lumpur", None, None, None, None),
        ("PHNOM PENH: ", "Phnom Penh", None, None, None, None),
        ("LUANG PRABANG, Laos, Dec. 17 (Xinhua) -- ", "Luang Prabang", "Xinhua", None, 12, 17),
    ],
)
def test_dateline_formats(
    opening: str, city: str, agency: str | None, year: int | None, month: int | None, day: int | None
) -> None:
    text = opening + "Prime Minister Hun Manet met the envoy."
    dateline = parse_dateline(text)
    assert (dateline.city, dateline.agency, dateline.year, dateline.month, dateline.day) == (
        city,
        agency,
        year,
        month,
        day,
    )
    assert text[dateline.end :].startswith("Prime Minister")


def test_no_dateline_starts_at_zero() -> None:
    assert parse_dateline("On December 13, 2018, the ambassador arrived.").end == 0


@pytest.mark.parametrize(
    ("body", "ending"),
    [
        ("Phnom Penh (FN), Jun. 4 – They met.\n=FRESH NEWS", "They met."),
        ("Hanoi (VNA) – They met. – VNA", "They met."),
        ("HÀ NỘI — They met. — VNS", "They met."),
        ("Hanoi (VNA) – They met./.", "They met."),
        ("AKP Phnom Penh, December 06, 2018 – They met.\n\nBy Khan Sophirom", "They met."),
    ],
)
def test_trailers_are_removed(body: str, ending: str, received_at: datetime) -> None:
    assert normalize(_raw(body), received_at=received_at).text.endswith(ending)


def test_curly_quotes_and_whitespace(received_at: datetime) -> None:
    body = "Phnom Penh (FN), Jun. 4 –  the US’s “strong”\u00a0ties.\r\n\r\n\r\nNext\tparagraph."
    text = normalize(_raw(body), received_at=received_at).text
    assert 'the US\'s "strong" ties.' in text
    assert "\n\nNext paragraph." in text
    assert "\n\n\n" not in text


def test_html_is_stripped_with_scripts(received_at: datetime) -> None:
    body = (
        "<html><body><p>Phnom Penh (FN), Jun. 4 – Hun Manet met Lloyd Austin &amp; aides.</p>"
        "<script>var x = 'secret';</script><style>p {color: red}</style><p>Second paragraph.</p></body></html>"
    )
    article = normalize(_raw(body), received_at=received_at)
    assert "secret" not in article.text
    assert "color" not in article.text
    assert "<" not in article.text
    assert "Austin & aides." in article.text
    assert "\n\nSecond paragraph." in article.text
    assert article.dateline.city == "Phnom Penh"


def test_content_hash_equal_for_resends_and_different_for_changes(received_at: datetime) -> None:
    first = normalize(_raw("Hanoi (VNA) – They met on Monday."), received_at=received_at)
    again = normalize(_raw("Hanoi (VNA) – They met on Monday."), received_at=datetime(2027, 5, 5))
    changed = normalize(_raw("Hanoi (VNA) – They met on Tuesday."), received_at=received_at)
    assert first.content_hash == again.content_hash
    assert first.content_hash != changed.content_hash
    assert len(first.content_hash) == 64


@pytest.mark.parametrize(
    ("body", "language"),
    [
        (
            "Phnom Penh (FN), Jun. 4 – The Prime Minister received the ambassador of Japan at the Peace Palace "
            "and the two sides discussed trade, investment and the cooperation between their countries.",
            "en",
        ),
        (
            "Le Premier ministre cambodgien a reçu l'ambassadeur du Japon au Palais de la Paix, et les deux "
            "parties ont discuté du commerce, de l'investissement et de la coopération entre leurs pays.",
            "fr",
        ),
        ("សម្តេចមហាបវរធិបតី ហ៊ុន ម៉ាណែត នាយករដ្ឋមន្ត្រី បានទទួលជួបឯកអគ្គរដ្ឋទូតជប៉ុន", "km"),
    ],
)
def test_language_guess(body: str, language: str, received_at: datetime) -> None:
    assert normalize(_raw(body), received_at=received_at).language == language


@pytest.mark.parametrize("body", ["   ", "\n\n", "<html><script>x</script></html>", "\u200b\u200b"])
def test_bad_input_raises_normalization_error(body: str, received_at: datetime) -> None:
    raw = RawArticle.model_construct(id="a-1", source="Fresh News", url=None, published_at=None, title=None, body=body)
    with pytest.raises(NormalizationError):
        normalize(raw, received_at=received_at)


@pytest.mark.parametrize(
    "text",
    [
        "  Phnom Penh (FN) –  They  met. \n \n\n  Next ",
        "a\u00a0b\tc\r\nd\u200be\x07f",
        "line one \nline two\n\n\n\nthree",
        "“Quoted” ‘text’ here",
    ],
)
def test_clean_text_fast_path_agrees_with_the_general_path(text: str) -> None:
    folded = unicodedata.normalize("NFC", text)
    for curly, straight in _QUOTE_PAIRS:
        folded = folded.replace(curly, straight)
    assert clean_text(text) == _clean_odd_text(folded)


def test_apostrophe_inside_a_name_is_kept_and_a_possessive_folded() -> None:
    assert clean_text("Sultan Abdullah Ri’ayatuddin met the US’s envoy, ‘quoted’.") == (
        "Sultan Abdullah Ri’ayatuddin met the US's envoy, 'quoted'."
    )


def test_dateline_city_is_not_read_as_an_agency() -> None:
    dateline = parse_dateline("Phnom Penh, September 03, 2019 – The two prime ministers met.")
    assert (dateline.city, dateline.agency, dateline.year) == ("Phnom Penh", None, 2019)


def test_trailer_on_the_last_line_only(received_at: datetime) -> None:
    body = "Hanoi (VNA) – The meeting was held by the ministry. – VNA"
    assert normalize(_raw(body), received_at=received_at).text.endswith("held by the ministry.")
