"""Canonical meetings: the reports of one meeting linked to one stable meeting id.

`assign` is pure: the caller looks up candidate meetings by `blocking_keys`, passes them in, stores the
meeting returned (indexing it by its `blocking_keys`, and resolving `merged_ids` to it) and publishes
the change on ``meetings.canonical``.
"""

import datetime as dt

from schemas.canonical import CanonicalChange, CanonicalMeeting, Source
from schemas.meeting import MeetingEvent
from service.canonical.keys import blocking_keys, person_key
from service.canonical.match import DEFAULT_THRESHOLD, MatchScore, age, best_match, ranked, score
from service.canonical.merge import add_report, meeting_id_for, merge_meetings, new_meeting

__all__ = [
    "DEFAULT_THRESHOLD",
    "MatchScore",
    "add_report",
    "assign",
    "best_match",
    "blocking_keys",
    "meeting_id_for",
    "merge_meetings",
    "new_meeting",
    "person_key",
    "score",
]


def assign(
    event: MeetingEvent,
    source: Source,
    candidates: list[CanonicalMeeting],
    threshold: float = DEFAULT_THRESHOLD,
    *,
    now: dt.datetime | None = None,
) -> tuple[CanonicalMeeting, CanonicalChange | None]:
    """Link ``event`` to its canonical meeting among ``candidates``, and say what changed.

    A candidate already holding the event takes it again (None as the change when nothing differs).
    Otherwise the event joins the best candidate reaching ``threshold`` ("updated"), or starts a meeting
    ("created"). Other candidates that fit both the event and the joined meeting are merged into the
    oldest of them ("merged", with the absorbed ids in `merged_ids`).
    """
    held = next((c for c in candidates if event.event_id in c.event_ids), None)
    if held is not None:
        meeting = add_report(held, event, source, now=now)
        return meeting, None if meeting is held else CanonicalChange(change="updated", meeting=meeting)
    fits = ranked(event, candidates, threshold)
    if not fits:
        meeting = new_meeting(event, source, now=now)
        return meeting, CanonicalChange(change="created", meeting=meeting)
    joined = add_report(fits[0][0], event, source, now=now)
    group = [joined, *(m for m, _ in fits[1:] if score(m, joined).total >= threshold)]
    if len(group) == 1:
        return joined, CanonicalChange(change="updated", meeting=joined)
    survivor, *absorbed = sorted(group, key=age)
    for other in absorbed:
        survivor = merge_meetings(survivor, other, now=now)
    return survivor, CanonicalChange(change="merged", meeting=survivor, merged_ids=[m.meeting_id for m in absorbed])
