"""Meetings: which sentences are read, who took part and where."""

from datetime import datetime

from schemas import RawArticle
from service.pipeline import enrich, normalize
from service.pipeline.meetings import focus_sentences
from service.pipeline.text import split_sentences


def _event_fields(body: str, received_at: datetime) -> list[tuple[list[str], str | None, str | None]]:
    raw = RawArticle.model_validate({"id": "m-1", "source": "AKP", "published_at": "2024-06-05", "body": body})
    events = enrich(normalize(raw, received_at=received_at))
    return [([p.name for p in e.participants], e.city, e.country) for e in events]


def test_no_cue_no_focus() -> None:
    text = "Cambodia's economy grew by five percent. Exports rose."
    assert focus_sentences(text, split_sentences(text)) == []


def test_focus_keeps_the_lead_and_the_neighbours_of_cues() -> None:
    text = "Lead one. Lead two. They met Hun Sen. After. Far one. Far two."
    assert [s.text for s in focus_sentences(text, split_sentences(text))] == [
        "Lead one.",
        "Lead two.",
        "They met Hun Sen.",
        "After.",
    ]


def test_an_aide_who_briefed_is_not_a_participant(received_at: datetime) -> None:
    body = (
        "PHNOM PENH, June 5 (AKP) – Thai Ambassador H.E. Cherdkiat Atthakor paid a courtesy call on Prime Minister "
        "Samdech Thipadei Hun Manet at the Peace Palace here yesterday.\n\nSpeaking to reporters after the courtesy "
        "meeting, H.E. Eang Sophalleth, Assistant to the Prime Minister, said H.E. Cherdkiat Atthakor praised Cambodia."
    )
    ((names, city, country),) = _event_fields(body, received_at)
    assert sorted(names) == ["Cherdkiat Atthakor", "Hun Manet"]
    assert (city, country) == ("Phnom Penh", "KHM")


def test_a_named_venue_puts_the_meeting_in_the_dateline_city(received_at: datetime) -> None:
    body = (
        "DOHA – Singaporean President Halimah Yacob called on the Emir of Qatar, Sheikh Tamim bin Hamad Al Thani, "
        "at the Emiri Diwan on Wednesday."
    )
    ((_, city, country),) = _event_fields(body, received_at)
    assert (city, country) == ("Doha", "QAT")


def test_city_of_the_lead_when_the_meeting_sentence_names_none(received_at: datetime) -> None:
    body = (
        "Phnom Penh (VNA) – The ASEAN Summit got under way in Phnom Penh on June 4.\n\n"
        "Vietnamese Prime Minister Pham Minh Chinh met Cambodian Prime Minister Hun Manet on June 4."
    )
    ((_, city, country),) = _event_fields(body, received_at)
    assert (city, country) == ("Phnom Penh", "KHM")


def test_whoever_briefed_the_press_is_not_a_participant(received_at: datetime) -> None:
    body = (
        "PHNOM PENH, April 27 (AKP) – Prime Minister Samdech Techo Hun Sen received H.E. John Key, Former Prime "
        "Minister of New Zealand, at the Peace Palace here this afternoon.\n\nSpeaking to reporters after the "
        "courtesy meeting, H.E. Kao Kim Hourn, Delegate Minister Attached to the Prime Minister, said H.E. John Key "
        "spoke highly of Cambodia."
    )
    ((names, _, _),) = _event_fields(body, received_at)
    assert sorted(names) == ["Hun Sen", "John Key"]


def test_a_capitalized_phrase_without_title_or_honorific_is_no_participant(received_at: datetime) -> None:
    body = (
        "PHNOM PENH, June 5 (AKP) – Prime Minister Hun Manet met Thai Ambassador Cherdkiat Atthakor at Tonle "
        "Ropov yesterday."
    )
    ((names, _, _),) = _event_fields(body, received_at)
    assert sorted(names) == ["Cherdkiat Atthakor", "Hun Manet"]


def test_an_official_of_an_international_body_has_no_country(received_at: datetime) -> None:
    body = (
        "Phnom Penh (FN), Jan. 29 – Prime Minister Hun Manet received a courtesy call by Mariam J. Sherman, the "
        "World Bank Country Director for Cambodia, on Monday at the Peace Palace."
    )
    (event,) = enrich(
        normalize(
            RawArticle.model_validate(
                {"id": "m-2", "source": "Fresh News", "published_at": "2024-01-29", "body": body}
            ),
            received_at=received_at,
        )
    )
    sherman = next(p for p in event.participants if p.name == "Mariam J. Sherman")
    assert (sherman.organization, sherman.country) == ("World Bank", None)


def test_a_sentence_opening_with_he_keeps_its_subject(received_at: datetime) -> None:
    body = (
        "HÀ NỘI — Prime Minister Phạm Minh Chính has asked China to import more farm produce.\n\n"
        "He made the request to his Chinese counterpart Li Keqiang on Monday, in their phone conversation."
    )
    ((names, _, _),) = _event_fields(body, received_at)
    assert sorted(names) == ["Li Keqiang", "Phạm Minh Chính"]


def test_a_meeting_recalled_from_an_earlier_visit_is_no_event(received_at: datetime) -> None:
    body = (
        "NAY PYI TAW – Senior General Min Aung Hlaing received Chinese Ambassador Hong Liang on June 4.\n\n"
        "The two sides reviewed the results of the Senior General's recent goodwill visit to China, during which "
        "he met President Xi Jinping."
    )
    ((names, _, _),) = _event_fields(body, received_at)
    assert sorted(names) == ["Hong Liang", "Min Aung Hlaing"]


def test_the_late_leader_is_not_a_participant(received_at: datetime) -> None:
    body = (
        "Hanoi (VNA) – Prime Minister Pham Minh Chinh met Lao Prime Minister Sonexay Siphandone on June 4 at a "
        "ceremony for the birth anniversary of the late President Kaysone Phomvihane."
    )
    ((names, _, _),) = _event_fields(body, received_at)
    assert sorted(names) == ["Pham Minh Chinh", "Sonexay Siphandone"]
