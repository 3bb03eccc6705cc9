"""The kind of a meeting, decided by the contract's ordered rules."""

import re

from schemas import Kind
from service.pipeline.lexicon import CUES

Span = tuple[int, int]


def _compile(key: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(CUES[key]) + r")\b", re.IGNORECASE)


PHONE_RE = _compile("phone")
VIDEO_RE = _compile("video")
COURTESY_RE = _compile("courtesy")
AUDIENCE_RE = _compile("audience")
MULTILATERAL_RE = _compile("multilateral")
_GROUP_RE = re.compile(r"\b(?:joined (?:the )?other|with (?:the )?other|together with other)\b", re.IGNORECASE)
_CREDENTIALS_RE = re.compile(r"\b(?:credentials|letters? of credence)\b", re.IGNORECASE)


def first_match(pattern: re.Pattern[str], text: str, ranges: list[Span]) -> Span | None:
    for start, end in ranges:
        match = pattern.search(text, start, end)
        if match:
            return match.start(), match.end()
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
