"""Sentences, lower-casing and the phrase sets that find cues at word starts."""

import pytest

from service.pipeline.text import Phrases, literal_prefixes, lowered, split_sentences

_MET = Phrases(["met(?: with)?", "held (?:a |an )?(?:meeting|talks)"])


def test_literal_prefixes_spell_out_a_leading_group() -> None:
    assert literal_prefixes("is (?:to|due to) (?:hold|meet)") == {"is to", "is due to"}
    assert literal_prefixes("tele?phone call") == {"tel"}
    assert literal_prefixes("plans? to meet") == {"plan"}


def test_phrases_need_literal_starts() -> None:
    with pytest.raises(ValueError, match="literal"):
        Phrases(["(?:was )?received by"])


def test_phrases_match_case_insensitively_at_word_starts() -> None:
    text = "The summit HELD TALKS. Hun Sen met with Wang Yi; the metal works."
    assert [text[m.start() : m.end()] for m in _MET.matches(text)] == ["HELD TALKS", "met with"]


def test_first_and_within_keep_to_the_range() -> None:
    text = "They met. Then they held talks and met again."
    assert _MET.first(text, 9, len(text)) == (20, 30)
    assert _MET.within(text, 9, len(text)) == [(20, 30), (35, 38)]
    assert _MET.first(text, 9, 25) is None


def test_lowered_keeps_offsets() -> None:
    text = "İstanbul talks"
    assert len(lowered(text)) == len(text)
    assert lowered(text).endswith("talks")


def test_sentences_keep_abbreviations_and_break_at_lines() -> None:
    text = 'H.E. Mr. Sok met Dr. Lim. "They agreed."\nNext line'
    assert [s.text for s in split_sentences(text)] == ["H.E. Mr. Sok met Dr. Lim.", '"They agreed."', "Next line"]


def test_a_name_ending_in_a_rank_abbreviation_ends_the_sentence() -> None:
    text = "They met Hun Sen. Then Minister of Defence Gen. Tea Banh spoke."
    assert [s.text for s in split_sentences(text)] == [
        "They met Hun Sen.",
        "Then Minister of Defence Gen. Tea Banh spoke.",
    ]
