"""The kind of a meeting, decided by the contract's ordered rules."""

from schemas import Kind
from service.pipeline.lexicon import CUES
from service.pipeline.text import Phrases

Span = tuple[int, int]


PHONE_RE = Phrases(CUES["phone"])
VIDEO_RE = Phrases(CUES["video"])
COURTESY_RE = Phrases(CUES["courtesy"])
AUDIENCE_RE = Phrases(CUES["audience"])
MULTILATERAL_RE = Phrases(CUES["multilateral"])
_GROUP_RE = Phrases(["joined (?:the )?other", "with (?:the )?other", "together with other"])
_CREDENTIALS_RE = Phrases(["credentials", "letters? of credence"])


def first_match(phrases: Phrases, text: str, ranges: list[Span]) -> Span | None:
    """The first match of ``phrases`` in the first of ``ranges`` that has one."""
    for start, end in ranges:
        found = phrases.first(text, start, end)
        if found:
            return found
    return None


def decide_kind(
    text: str,
    ranges: list[Span],
    *,
    parties: int,
    people: int,
    monarch_in_person: bool,
    directional: bool,
    courtesy_cue: Span | None,
) -> tuple[Kind, Span | None]:
    """Apply the kind rules in order to the meeting's sentences ``ranges``; return the kind and its evidence."""
    phone = first_match(PHONE_RE, text, ranges)
    video = first_match(VIDEO_RE, text, ranges)
    if monarch_in_person and not phone and not video:
        return Kind.ROYAL_AUDIENCE, first_match(AUDIENCE_RE, text, ranges) or first_match(_CREDENTIALS_RE, text, ranges)
    if phone:
        return Kind.PHONE_CALL, phone
    if video:
        return Kind.VIDEO_CONFERENCE, video
    if (parties >= 3 and people >= 3) or first_match(_GROUP_RE, text, ranges):
        return Kind.MULTILATERAL_MEETING, first_match(MULTILATERAL_RE, text, ranges)
    courtesy = courtesy_cue or first_match(COURTESY_RE, text, ranges)
    if courtesy:
        return Kind.COURTESY_CALL, courtesy
    return Kind.BILATERAL_MEETING, None
