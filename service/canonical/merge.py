"""Building canonical meetings from their reports.

Every merged field is derived from the set of reports alone, so a meeting comes out the same whatever
order its reports arrived in: participants grouped by name (or by office and country for those named
only so), each with the spelling, title, organization, country and role most reports give; topics with
how many reports give each; kind, date and place by majority, ties to the higher summed confidence.

A meeting built here keeps the `Tally` of its reports while it lives, so that adding one more report
to it does not go through all the others again.
"""

import datetime as dt
import hashlib
from collections.abc import Iterable
from functools import lru_cache, partial

from schemas.canonical import CanonicalMeeting, Report, Source, TopicCount
from schemas.meeting import MeetingEvent
from schemas.topics import Topic
from service.canonical.keys import remember_key_parts
from service.canonical.memo import ByIdentity
from service.canonical.tally import Tally, counted_vote, vote

__all__ = ["add_report", "meeting_id_for", "merge_meetings", "new_meeting", "report_of", "vote"]

_TOPIC_ORDER = {topic: index for index, topic in enumerate(Topic)}
_TALLIES = ByIdentity[CanonicalMeeting, Tally]()


def meeting_id_for(event: MeetingEvent) -> str:
    """Id of a meeting first created from ``event``: the same on every replay."""
    return "mtg-" + hashlib.sha256(event.event_id.encode()).hexdigest()[:12]


def report_of(event: MeetingEvent) -> Report:
    """What ``event`` says about the fields that identify a meeting."""
    return Report(
        event_id=event.event_id,
        kind=event.kind,
        date=event.date,
        date_stated=event.evidence.date is not None,
        venue=event.venue,
        city=event.city,
        country=event.country,
        participants=event.participants,
        topics=event.topics,
        confidence=event.confidence,
    )


def _keep(meeting: CanonicalMeeting, tally: Tally) -> CanonicalMeeting:
    """Remember ``tally`` as ``meeting``'s (a meeting is never changed once built); return ``meeting``."""
    remember_key_parts(meeting, tally.key_parts)
    _TALLIES.put(meeting, tally)
    return meeting


def _take(meeting: CanonicalMeeting) -> Tally:
    """The tally of ``meeting``, for the caller to change: it is ``meeting``'s no longer."""
    return _TALLIES.pop(meeting) or Tally.of(meeting.reports, meeting.sources)


def _meeting(
    tally: Tally,
    meeting_id: str,
    aliases: Iterable[str],
    created_at: dt.datetime | None,
    updated_at: dt.datetime | None,
) -> CanonicalMeeting:
    """The meeting whose reports and sources ``tally`` counts."""
    reports = tally.reports
    stated = counted_vote(tally.stated, lambda: ((r.date, r.confidence) for r in reports if r.date and r.date_stated))
    country = counted_vote(tally.countries, lambda: ((r.country, r.confidence) for r in reports if r.country))
    kind = counted_vote(tally.kinds, lambda: ((r.kind, r.confidence) for r in reports))
    assert kind is not None
    here = (country, None)
    listed = tally.sources
    return _keep(
        CanonicalMeeting(
            meeting_id=meeting_id,
            kind=kind,
            date=stated or tally.unstated,
            venue=tally.venues.merged(
                country, lambda: ((r.venue, r.confidence) for r in reports if r.venue and r.country in here)
            ),
            city=tally.cities.merged(
                country, lambda: ((r.city, r.confidence) for r in reports if r.city and r.country in here)
            ),
            country=country,
            participants=sorted(
                (person.merged(partial(tally.members, group)) for group, person in enumerate(tally.persons)),
                key=lambda p: (-p.mentions, p.name.casefold()),
            ),
            topics=[
                _topic_count(t, n)
                for t, n in sorted(tally.topics.items(), key=lambda item: (-item[1], _TOPIC_ORDER[item[0]]))
            ],
            sources=list(listed),
            event_ids=list(tally.event_ids),
            article_ids=list(tally.article_ids),
            first_reported_at=listed[0].published_at if listed else None,
            aliases=sorted(set(aliases) - {meeting_id}),
            created_at=created_at,
            updated_at=updated_at,
            reports=list(reports),
        ),
        tally,
    )


@lru_cache(maxsize=1024)
def _topic_count(topic: Topic, reports: int) -> TopicCount:
    """How many reports give a topic; the same object for the same count, as one is never changed once built."""
    return TopicCount(topic=topic, reports=reports)


def _derive(
    meeting_id: str,
    sources: Iterable[Source],
    reports: Iterable[Report],
    aliases: Iterable[str],
    created_at: dt.datetime | None,
    updated_at: dt.datetime | None,
) -> CanonicalMeeting:
    return _meeting(Tally.of(reports, sources), meeting_id, aliases, created_at, updated_at)


def new_meeting(
    event: MeetingEvent, source: Source, meeting_id: str | None = None, *, now: dt.datetime | None = None
) -> CanonicalMeeting:
    """A canonical meeting of one report; its id is `meeting_id_for` the event unless given."""
    return _derive(meeting_id or meeting_id_for(event), [source], [report_of(event)], [], now, now)


def add_report(
    meeting: CanonicalMeeting, event: MeetingEvent, source: Source, *, now: dt.datetime | None = None
) -> CanonicalMeeting:
    """``meeting`` with ``event`` as one more report; ``meeting`` itself when it already holds the same report."""
    report = report_of(event)
    updated_at = now or meeting.updated_at
    tally = _take(meeting)
    if source.event_id == event.event_id and event.event_id not in tally.known:
        tally.add(report)
        tally.add_source(source)
        return _meeting(tally, meeting.meeting_id, meeting.aliases, meeting.created_at, updated_at)
    _keep(meeting, tally)
    known = {r.event_id: r for r in meeting.reports}
    if known.get(event.event_id) == report and source in meeting.sources:
        return meeting
    sources = [s for s in meeting.sources if s.event_id != event.event_id] + [source]
    reports = [r for r in meeting.reports if r.event_id != event.event_id] + [report]
    return _derive(meeting.meeting_id, sources, reports, meeting.aliases, meeting.created_at, updated_at)


def merge_meetings(
    older: CanonicalMeeting, newer: CanonicalMeeting, *, now: dt.datetime | None = None
) -> CanonicalMeeting:
    """One meeting of both's reports, keeping ``older``'s id; ``newer``'s id and aliases become aliases."""
    return _derive(
        older.meeting_id,
        [*older.sources, *newer.sources],
        [*older.reports, *newer.reports],
        [*older.aliases, newer.meeting_id, *newer.aliases],
        older.created_at,
        now or max(filter(None, (older.updated_at, newer.updated_at)), default=None),
    )
