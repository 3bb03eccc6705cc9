"""Building canonical meetings from their reports.

Every merged field is derived from the set of reports alone, so a meeting comes out the same whatever
order its reports arrived in: participants grouped by name (or by office and country for those named
only so), each with the spelling, title, organization, country and role most reports give; topics with
how many reports give each; kind, date and place by majority, ties to the higher summed confidence.
"""

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Hashable, Iterable
from typing import TypeVar

from schemas.canonical import CanonicalMeeting, CanonicalParticipant, Report, Source, TopicCount
from schemas.meeting import MeetingEvent, Participant
from schemas.topics import Topic
from service.canonical.keys import SAME_PERSON, is_unnamed, person_match, place_key, time_key

T = TypeVar("T", bound=Hashable)
_TOPIC_ORDER = {topic: index for index, topic in enumerate(Topic)}


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


def vote(ballots: Iterable[tuple[T, float]]) -> T | None:
    """The value given most often; ties go to the higher summed weight, then to the smaller ``str``."""
    counts: dict[T, int] = defaultdict(int)
    weights: dict[T, float] = defaultdict(float)
    for value, weight in ballots:
        counts[value] += 1
        weights[value] += weight
    if not counts:
        return None
    return min(counts, key=lambda v: (-counts[v], -weights[v], str(v)))


def _group_people(reports: list[Report]) -> list[list[tuple[Participant, float]]]:
    """Each report's participants grouped by person, each with its report's confidence; named ones first."""
    groups: list[list[tuple[Participant, float]]] = []
    for report in reports:
        used: set[int] = set()
        for person in sorted(report.participants, key=is_unnamed):
            scores = [
                (max(person_match(person, other) for other, _ in group), index)
                for index, group in enumerate(groups)
                if index not in used
            ]
            best, index = max(scores, default=(0.0, -1))
            if best >= SAME_PERSON:
                groups[index].append((person, report.confidence))
            else:
                index = len(groups)
                groups.append([(person, report.confidence)])
            used.add(index)
    return groups


def _participant(group: list[tuple[Participant, float]]) -> CanonicalParticipant:
    named = [(p, c) for p, c in group if not is_unnamed(p)] or group
    name = vote((p.name, c) for p, c in named)
    role = vote((p.role, c) for p, c in group)
    assert name is not None
    assert role is not None
    return CanonicalParticipant(
        name=name,
        title=vote((p.title, c) for p, c in group if p.title),
        organization=vote((p.organization, c) for p, c in group if p.organization),
        country=vote((p.country, c) for p, c in group if p.country),
        role=role,
        mentions=len(group),
    )


def _text_vote(values: Iterable[tuple[str | None, float]]) -> str | None:
    """The place most reports give, compared folded; spelled as most of those reports spell it."""
    given = [(v, c) for v, c in values if v]
    key = vote((place_key(v), c) for v, c in given)
    return vote((v, c) for v, c in given if place_key(v) == key)


def _derive(
    meeting_id: str,
    sources: Iterable[Source],
    reports: Iterable[Report],
    aliases: Iterable[str],
    created_at: dt.datetime | None,
    updated_at: dt.datetime | None,
) -> CanonicalMeeting:
    by_event = {r.event_id: r for r in reports}
    ordered = [by_event[e] for e in sorted(by_event)]
    listed = sorted(
        {s.event_id: s for s in sources}.values(),
        key=lambda s: (time_key(s.published_at), s.article_id, s.event_id),
    )
    stated = vote((r.date, r.confidence) for r in ordered if r.date and r.date_stated)
    unstated = [r.date for r in ordered if r.date and not r.date_stated]
    country = vote((r.country, r.confidence) for r in ordered if r.country)
    here = [r for r in ordered if r.country in (country, None)]
    topic_counts: dict[Topic, int] = defaultdict(int)
    for report in ordered:
        for topic in set(report.topics):
            topic_counts[topic] += 1
    kind = vote((r.kind, r.confidence) for r in ordered)
    assert kind is not None
    return CanonicalMeeting(
        meeting_id=meeting_id,
        kind=kind,
        date=stated or min(unstated, default=None),
        venue=_text_vote((r.venue, r.confidence) for r in here),
        city=_text_vote((r.city, r.confidence) for r in here),
        country=country,
        participants=sorted(
            (_participant(g) for g in _group_people(ordered)), key=lambda p: (-p.mentions, p.name.casefold())
        ),
        topics=[
            TopicCount(topic=t, reports=n)
            for t, n in sorted(topic_counts.items(), key=lambda item: (-item[1], _TOPIC_ORDER[item[0]]))
        ],
        sources=listed,
        event_ids=[r.event_id for r in ordered],
        article_ids=sorted({s.article_id for s in listed}),
        first_reported_at=listed[0].published_at if listed else None,
        aliases=sorted(set(aliases) - {meeting_id}),
        created_at=created_at,
        updated_at=updated_at,
        reports=ordered,
    )


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
    known = {r.event_id: r for r in meeting.reports}
    if known.get(event.event_id) == report and source in meeting.sources:
        return meeting
    sources = [s for s in meeting.sources if s.event_id != event.event_id] + [source]
    reports = [r for r in meeting.reports if r.event_id != event.event_id] + [report]
    return _derive(meeting.meeting_id, sources, reports, meeting.aliases, meeting.created_at, now or meeting.updated_at)


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
