"""Scoring whether a meeting event reports a canonical meeting.

An event is compared with a meeting (or two meetings with each other) on four components, each 0 to 1:

- **participants** (weight 0.5): people are paired by `person_match` (names compared after removing
  honorifics, ranks, diacritics, case and word order; one named only by office and country pairs with the
  same office of the same country at 0.8). The score is the paired strength, each meeting participant
  weighted by the share of its reports naming them, divided by the smaller side's weight (at least 2):
  a containment measure, so extra names on one side (a minister in attendance, an extraction error) cost
  little, while a different counterpart halves it. Between a multilateral meeting and another kind the
  division is by the larger side's people with a title (and those paired), so talks between two leaders
  on a summit's sidelines stay apart from the summit while untitled stray names still cost nothing.
- **date** (weight 0.2): a stated date is one day; an unstated one (the publication day) is a window of
  `UNSTATED_SPAN` days before it. Windows 0, 1 or 2 days apart score 1, 0.8, 0.4 (0.8, 0.6, 0.3 when a
  side is unstated), so "yesterday" against a dateline still matches; a side without a date scores 0.5.
- **kind** (weight 0.15): equal kinds 1; courtesy call and bilateral meeting 0.9; multilateral against
  bilateral or courtesy 0.6 (talks on a summit's sidelines); a royal audience against another in-person
  kind 0.5; phone against video 0.5.
- **place** (weight 0.15): same country and city (or venue) 1, same country with a city unknown 0.8, same
  country but another city 0.4, another country 0; unknown, or a call, 0.5.

The total is the weighted sum, except that it is 0 when the two cannot be one meeting: dates more than
`MAX_DATE_GAP` days apart, a call against an in-person meeting, or participants scoring under
`MIN_PARTICIPANTS` (the same person meeting someone else). An event joins the best meeting whose total
reaches the threshold (`DEFAULT_THRESHOLD` unless the caller sets one).
"""

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from schemas.canonical import CanonicalMeeting
from schemas.meeting import Kind, MeetingEvent
from service.canonical.keys import (
    MAX_DATE_GAP,
    SAME_PERSON,
    Identity,
    date_window,
    identity,
    identity_match,
    place_key,
    time_key,
)

DEFAULT_THRESHOLD = 0.7
"""Least total score at which an event joins a meeting."""

MIN_PARTICIPANTS = 0.6
"""Least participants score at which two reports can be one meeting."""

WEIGHTS = {"participants": 0.5, "date": 0.2, "kind": 0.15, "place": 0.15}

_REMOTE = frozenset({Kind.PHONE_CALL, Kind.VIDEO_CONFERENCE})
_KIND_PAIRS = {
    frozenset({Kind.COURTESY_CALL, Kind.BILATERAL_MEETING}): 0.9,
    frozenset({Kind.MULTILATERAL_MEETING, Kind.BILATERAL_MEETING}): 0.6,
    frozenset({Kind.MULTILATERAL_MEETING, Kind.COURTESY_CALL}): 0.6,
    frozenset({Kind.PHONE_CALL, Kind.VIDEO_CONFERENCE}): 0.5,
}
_DATE_SCORES = (1.0, 0.8, 0.4)
_UNSTATED_DATE_SCORES = (0.8, 0.6, 0.3)


@dataclass(frozen=True)
class MatchScore:
    """Component scores of an event (or meeting) against a meeting, each 0 to 1, and whether they can match."""

    participants: float
    date: float
    kind: float
    place: float
    compatible: bool

    @cached_property
    def total(self) -> float:
        """Weighted sum of the components; 0 when the two cannot be one meeting."""
        if not self.compatible:
            return 0.0
        parts = {"participants": self.participants, "date": self.date, "kind": self.kind, "place": self.place}
        return sum(WEIGHTS[name] * value for name, value in parts.items())


@dataclass(frozen=True)
class _Side:
    """What identifies a meeting, from an event or from a canonical meeting.

    Each person comes as their identity, their weight, and whether they have a title.
    """

    people: list[tuple[Identity, float, bool]]
    window: tuple[dt.date, dt.date] | None
    stated: bool
    kind: Kind
    venue: str | None
    city: str | None
    country: str | None


def _side(item: MeetingEvent | CanonicalMeeting) -> _Side:
    if isinstance(item, MeetingEvent):
        stated = item.evidence.date is not None
        return _Side(
            people=[(identity(p), 1.0, bool(p.title)) for p in item.participants],
            window=date_window(item.date, stated) if item.date else None,
            stated=stated,
            kind=item.kind,
            venue=item.venue,
            city=item.city,
            country=item.country,
        )
    stated = any(r.date_stated and r.date for r in item.reports)
    count = max(len(item.reports), 1)
    return _Side(
        people=[(identity(p), min(p.mentions / count, 1.0), bool(p.title)) for p in item.participants],
        window=date_window(item.date, stated) if item.date else None,
        stated=stated,
        kind=item.kind,
        venue=item.venue,
        city=item.city,
        country=item.country,
    )


def _participants(a: list[tuple[Identity, float, bool]], b: list[tuple[Identity, float, bool]], whole: bool) -> float:
    """Paired strength over the smaller side's weight or, when ``whole``, over the larger side's titled people."""
    paired = 0.0
    free = list(range(len(b)))
    paired_a: set[int] = set()
    for i, (person, weight, _) in sorted(enumerate(a), key=lambda iw: -iw[1][1]):
        strength, j = max(((identity_match(person, b[j][0]), j) for j in free), default=(0.0, -1))
        if strength >= SAME_PERSON:
            paired += strength * min(weight, b[j][1])
            paired_a.add(i)
            free.remove(j)
    if whole:
        titled_a = sum(w for i, (_, w, titled) in enumerate(a) if titled or i in paired_a)
        titled_b = sum(w for j, (_, w, titled) in enumerate(b) if titled or j not in free)
        size = max(2.0, titled_a, titled_b)
    else:
        size = max(2.0, min(sum(w for _, w, _ in a), sum(w for _, w, _ in b)))
    return min(paired / size, 1.0)


def _date(a: _Side, b: _Side) -> float | None:
    """Date score, or None when the dates are too far apart."""
    if a.window is None or b.window is None:
        return 0.5
    gap = max(0, (a.window[0] - b.window[1]).days, (b.window[0] - a.window[1]).days)
    if gap > MAX_DATE_GAP:
        return None
    scores = _DATE_SCORES if a.stated and b.stated else _UNSTATED_DATE_SCORES
    return scores[min(gap, len(scores) - 1)]


def _kind(a: Kind, b: Kind) -> float | None:
    """Kind score, or None when one is a call and the other an in-person meeting."""
    if a == b:
        return 1.0
    if (a in _REMOTE) != (b in _REMOTE):
        return None
    return _KIND_PAIRS.get(frozenset({a, b}), 0.5)


def _place(a: _Side, b: _Side) -> float:
    if a.kind in _REMOTE or b.kind in _REMOTE or a.country is None or b.country is None:
        return 0.5
    if a.country != b.country:
        return 0.0
    if a.venue and b.venue and place_key(a.venue) == place_key(b.venue):
        return 1.0
    if a.city and b.city:
        return 1.0 if place_key(a.city) == place_key(b.city) else 0.4
    return 0.8


def score(item: MeetingEvent | CanonicalMeeting, meeting: CanonicalMeeting) -> MatchScore:
    """How well ``item`` (an event, or another meeting) fits ``meeting``; see the module docstring."""
    return _score(_side(item), _side(meeting))


def _score(a: _Side, b: _Side) -> MatchScore:
    whole = (a.kind == Kind.MULTILATERAL_MEETING) != (b.kind == Kind.MULTILATERAL_MEETING)
    participants = _participants(a.people, b.people, whole)
    date = _date(a, b)
    kind = _kind(a.kind, b.kind)
    return MatchScore(
        participants=participants,
        date=date or 0.0,
        kind=kind or 0.0,
        place=_place(a, b),
        compatible=date is not None and kind is not None and participants >= MIN_PARTICIPANTS,
    )


def ranked(
    item: MeetingEvent | CanonicalMeeting, candidates: list[CanonicalMeeting], threshold: float = DEFAULT_THRESHOLD
) -> list[tuple[CanonicalMeeting, MatchScore]]:
    """The candidates ``item`` fits at ``threshold`` or above, best first (ties: the older meeting first)."""
    side = _side(item)
    scored = [(c, _score(side, _side(c))) for c in candidates]
    fits = [(c, s) for c, s in scored if s.compatible and s.total >= threshold]
    return sorted(fits, key=lambda cs: (-cs[1].total, *age(cs[0])))


def best_match(
    event: MeetingEvent, candidates: list[CanonicalMeeting], threshold: float = DEFAULT_THRESHOLD
) -> CanonicalMeeting | None:
    """The candidate ``event`` fits best at ``threshold`` or above, or None."""
    fits = ranked(event, candidates, threshold)
    return fits[0][0] if fits else None


def age(meeting: CanonicalMeeting) -> tuple[dt.datetime, dt.datetime, str]:
    """Sort key putting older meetings first: by creation, then first report, then id."""
    return (time_key(meeting.created_at), time_key(meeting.first_reported_at), meeting.meeting_id)
