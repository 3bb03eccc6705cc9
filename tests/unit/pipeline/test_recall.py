"""Extraction misses fixed in general: month words in names, pair references, datelines and trailers."""

from datetime import datetime

import pytest

from schemas import RawArticle
from service.pipeline import enrich, normalize
from service.pipeline.normalize import parse_dateline, strip_trailer
from service.pipeline.people import find_people
from service.pipeline.text import split_sentences


def _names(text: str) -> set[str]:
    return {p.name for p in find_people(text, split_sentences(text)).people if p.evidence}


def _events(body: str, received_at: datetime, source: str = "Xinhua") -> list[tuple[list[str], str | None, str | None]]:
    raw = RawArticle.model_validate({"id": "r-1", "source": source, "published_at": "2025-06-01", "body": body})
    return [
        ([p.name for p in e.participants], e.city, e.country) for e in enrich(normalize(raw, received_at=received_at))
    ]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Chinese Defence Minister Dong Jun held talks with Cambodian Defence Minister Tea Seiha.", "Dong Jun"),
        ("Korean Ambassador Park Jun received the delegation.", "Park Jun"),
        ("British Prime Minister Theresa May met Prime Minister Hun Sen in London.", "Theresa May"),
        ("On 3 Jun Defence Minister Dong Jun met Tea Seiha.", "Dong Jun"),
    ],
)
def test_a_month_after_a_name_word_is_part_of_the_name(text: str, name: str) -> None:
    assert name in _names(text)


@pytest.mark.parametrize(
    "text",
    [
        "Foreign Minister Prak Sokhonn received Chinese Ambassador Wang Wenbin Jun. 4 in Phnom Penh.",
        "Foreign Minister Prak Sokhonn received Ambassador Wang Wenbin May 5 at the ministry.",
    ],
)
def test_a_month_before_a_day_is_a_date(text: str) -> None:
    assert _names(text) == {"Prak Sokhonn", "Wang Wenbin"}


def test_a_month_abbreviation_ends_a_sentence_unless_a_day_follows() -> None:
    assert [s.text for s in split_sentences("He met Dong Jun. The two sides agreed.")] == [
        "He met Dong Jun.",
        "The two sides agreed.",
    ]
    assert [s.text for s in split_sentences("On Jan. 12 they met. Then they left.")] == [
        "On Jan. 12 they met.",
        "Then they left.",
    ]


def test_a_bare_name_after_the_article_is_a_thing(received_at: datetime) -> None:
    body = (
        "Defence Minister Tea Seiha met Chinese Defence Minister Dong Jun in Beijing on Tuesday, where the two "
        "agreed to hold the Golden Dragon joint exercise."
    )
    assert _events(body, received_at) == [(["Tea Seiha", "Dong Jun"], "Beijing", "CHN")]


def test_the_two_leaders_are_the_two_people_named_before(received_at: datetime) -> None:
    body = (
        "Prime Minister Hun Manet and his Thai counterpart Paetongtarn Shinawatra yesterday agreed to reopen border "
        "checkpoints.\n\nThe two leaders met at the Peace Palace in Phnom Penh."
    )
    assert _events(body, received_at, source="Khmer Times") == [
        (["Hun Manet", "Paetongtarn Shinawatra"], "Phnom Penh", "KHM")
    ]


def test_singapore_is_a_city_of_its_own(received_at: datetime) -> None:
    body = (
        "SINGAPORE, Aug. 2 (Xinhua) -- Singaporean Foreign Minister Vivian Balakrishnan met Cambodian Foreign "
        "Minister Prak Sokhonn here on Friday."
    )
    assert _events(body, received_at) == [(["Vivian Balakrishnan", "Prak Sokhonn"], "Singapore", "SGP")]


def test_dateline_with_year_and_agency_before_the_dash() -> None:
    text = "Phnom Penh, March 3, 2025 AKP -- Cambodian Prime Minister Hun Manet received the envoy."
    dateline = parse_dateline(text)
    assert (dateline.city, dateline.agency, dateline.year, dateline.month, dateline.day) == (
        "Phnom Penh",
        "AKP",
        2025,
        3,
        3,
    )
    assert text[dateline.end :].startswith("Cambodian")


@pytest.mark.parametrize(
    ("text", "stripped"),
    [
        ("They discussed trade.\n\nBy Sok Dara\nAKP", "They discussed trade."),
        ("They discussed trade.\n\nAKP", "They discussed trade."),
        ("They discussed trade. Enditem", "They discussed trade."),
        ("They discussed trade with AKP", "They discussed trade with AKP"),
    ],
)
def test_sign_offs_on_their_own_line_and_enditem_are_trailers(text: str, stripped: str) -> None:
    assert strip_trailer(text) == stripped
