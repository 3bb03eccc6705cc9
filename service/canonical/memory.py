"""An in-memory candidate index: what a store does for `assign`, for tests and offline runs."""

import datetime as dt

from schemas.canonical import CanonicalChange, CanonicalMeeting, Source
from schemas.meeting import MeetingEvent
from service.canonical import assign
from service.canonical.keys import NO_KEYS, blocking_keys, key_parts, new_keys
from service.canonical.match import DEFAULT_THRESHOLD


class MemoryIndex:
    """Canonical meetings by id, their aliases, and the ids under each blocking key.

    A meeting stays indexed under the keys of each of its versions: adding a version indexes only
    the keys its predecessor did not have. The ids under a key are a tuple, which the garbage
    collector soon stops tracking, so a large index costs collections next to nothing.
    """

    def __init__(self, threshold: float = DEFAULT_THRESHOLD) -> None:
        self.threshold = threshold
        self.meetings: dict[str, CanonicalMeeting] = {}
        self.aliases: dict[str, str] = {}
        self.by_key: dict[str, tuple[str, ...]] = {}
        self.by_event: dict[str, str] = {}

    def index(self, key: str, meeting_id: str) -> None:
        """Index ``meeting_id`` under ``key``."""
        held = self.by_key.get(key, ())
        if meeting_id not in held:
            self.by_key[key] = (*held, meeting_id)

    def resolve(self, meeting_id: str) -> str:
        """The live id of ``meeting_id``, following aliases."""
        while meeting_id in self.aliases:
            meeting_id = self.aliases[meeting_id]
        return meeting_id

    def candidates(self, event: MeetingEvent) -> list[CanonicalMeeting]:
        """Meetings sharing a blocking key with ``event``, and the one already holding it."""
        ids = {self.resolve(i) for key in blocking_keys(event) for i in self.by_key.get(key, ())}
        if event.event_id in self.by_event:
            ids.add(self.resolve(self.by_event[event.event_id]))
        return [self.meetings[i] for i in sorted(ids)]

    def add(self, event: MeetingEvent, source: Source, now: dt.datetime | None = None) -> CanonicalChange | None:
        """Assign ``event`` and store the outcome."""
        meeting, change = assign(event, source, self.candidates(event), self.threshold, now=now)
        if change is None:
            return None
        held = self.meetings.get(meeting.meeting_id)
        for absorbed in change.merged_ids:
            self.meetings.pop(absorbed, None)
            self.aliases[absorbed] = meeting.meeting_id
        self.meetings[meeting.meeting_id] = meeting
        for key in new_keys(NO_KEYS if held is None else key_parts(held), key_parts(meeting)):
            self.index(key, meeting.meeting_id)
        for event_id in meeting.event_ids:
            self.by_event[event_id] = meeting.meeting_id
        return change

    def meeting_of(self, event_id: str) -> str | None:
        """Live id of the meeting holding ``event_id``."""
        found = self.by_event.get(event_id)
        return self.resolve(found) if found else None
