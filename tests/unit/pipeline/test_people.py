"""People: honorifics stripped, titles, countries and short references."""

import pytest

from service.pipeline.people import descriptor_mentions, find_people
from service.pipeline.text import split_sentences


def _people(text: str) -> dict[str, tuple[str | None, str | None, str | None]]:
    index = find_people(text, split_sentences(text))
    return {p.name: (p.title, p.organization, p.country) for p in index.people if p.evidence}


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Samdech Moha Borvor Thipadei Hun Manet received the envoy.", "Hun Manet"),
        ("H.E. Sok Chenda Sophea received the envoy.", "Sok Chenda Sophea"),
        ("General Vong Pisen received the envoy.", "Vong Pisen"),
        ("Samdech Akka Moha Sena Padei Techo Hun Sen met the envoy.", "Hun Sen"),
        ("Prime Minister Datuk Seri Anwar Ibrahim met the envoy.", "Anwar Ibrahim"),
        ("Foreign Minister Dr. Vivian Balakrishnan met the envoy.", "Vivian Balakrishnan"),
        ("Sen. Lieut. Gen Vu Minh Luong met the envoy.", "Vu Minh Luong"),
        ("H.E. Mr. CHAY Navuth, Ambassador of the Kingdom of Cambodia to Viet Nam, met the envoy.", "CHAY Navuth"),
    ],
)
def test_honorifics_are_stripped(text: str, name: str) -> None:
    assert name in _people(text)


def test_title_and_country_from_apposition() -> None:
    people = _people("Lloyd Austin, Secretary of Defence of the United States (US), met Cambodian officials.")
    assert people["Lloyd Austin"] == ("Secretary of Defence", None, "USA")


def test_ambassador_country_is_the_sending_state() -> None:
    people = _people("Thai Ambassador to Cambodia H.E. Panyarak Poolthup called on the minister.")
    assert people["Panyarak Poolthup"][2] == "THA"
    people = _people("H.E. Mr. Justin Kevin Whyatt, the new Ambassador of Australia to Cambodia, called.")
    assert people["Justin Kevin Whyatt"] == ("Ambassador", None, "AUS")


def test_organization_has_no_country() -> None:
    people = _people("Cambodian Prime Minister Hun Sen met United Nations Secretary-General H.E. António Guterres.")
    assert people["António Guterres"][1:] == ("United Nations", None)
    assert people["Hun Sen"][2] == "KHM"


def test_short_forms_resolve_to_the_full_name() -> None:
    text = (
        "Cambodian Prime Minister, Samdech Thipadei Hun Manet received Lloyd Austin, Secretary of Defence. "
        "Samdech Thipadei thanked Austin."
    )
    index = find_people(text, split_sentences(text))
    names = [m.person.name for m in index.mentions]
    assert names.count("Hun Manet") == 2
    assert names.count("Lloyd Austin") == 2


def test_dotted_honorific_at_the_end_of_a_sentence_is_a_name() -> None:
    assert "Hun Sen" in _people("The envoy was received here by Cambodian Prime Minister Samdech Techo Hun Sen.")


def test_possessive_country_in_apposition() -> None:
    text = "H.E. Norbert Barthle, Germany's Parliamentary State Secretary, who is visiting, met the minister."
    assert _people(text)["Norbert Barthle"] == ("Parliamentary State Secretary", None, "DEU")


def test_title_loses_the_full_stop() -> None:
    text = "Prabowo met His Majesty Sultan Ibrahim, King of Malaysia."
    assert _people(text)["Ibrahim"][0] == "King"


def test_country_written_after_the_name() -> None:
    text = "Foreign Minister Wang Yi met Minister of Foreign Affairs Prak Sokhon of Cambodia in Dali."
    assert _people(text)["Prak Sokhon"][2] == "KHM"


def test_honorific_inside_a_royal_style_counts_as_evidence() -> None:
    text = "Yang di-Pertuan Agong Al-Sultan Abdullah Ahmad Shah received a call."
    assert "Abdullah Ahmad Shah" in _people(text)


def test_a_demonym_descriptor_finds_the_untitled_person_of_that_country() -> None:
    text = "Prime Minister Hun Sen met his visiting Thai counterpart Gen. Prayut Chan-o-cha. The Thai premier left."
    index = find_people(text, split_sentences(text))
    start = text.index("The Thai")
    (mention,) = descriptor_mentions(text, start, len(text), index)
    assert mention.person.name == "Prayut Chan-o-cha"
