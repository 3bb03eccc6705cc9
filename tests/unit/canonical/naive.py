"""A canonical meeting derived naively from all its reports at once: the reference the incremental build must match."""

import datetime as dt
from collections import defaultdict
from collections.abc import Hashable, Iterable
from typing import TypeVar

from schemas.canonical import CanonicalMeeting, CanonicalParticipant, Report, Source, TopicCount
from schemas.meeting import Participant
from schemas.topics import Topic
from service.canonical.keys import SAME_PERSON, is_unnamed, person_match, place_key, time_key

T = TypeVar("T", bound=Hashable)


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


def group_people(reports: list[Report]) -> list[list[tuple[Participant, float]]]:
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


def participant(group: list[tuple[Participant, float]]) -> CanonicalParticipant:
    """One group's person as most of its mentions give them."""
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


def text_vote(values: Iterable[tuple[str | None, float]]) -> str | None:
    """The place most reports give, compared folded; spelled as most of those reports spell it."""
    given = [(v, c) for v, c in values if v]
    key = vote((place_key(v), c) for v, c in given)
    return vote((v, c) for v, c in given if place_key(v) == key)


def derive(
    meeting_id: str,
    sources: Iterable[Source],
    reports: Iterable[Report],
    aliases: Iterable[str],
    created_at: dt.datetime | None,
    updated_at: dt.datetime | None,
) -> CanonicalMeeting:
    """The meeting of these reports and sources, every field derived from all of them at once."""
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
    order = {topic: index for index, topic in enumerate(Topic)}
    return CanonicalMeeting(
        meeting_id=meeting_id,
        kind=kind,
        date=stated or min(unstated, default=None),
        venue=text_vote((r.venue, r.confidence) for r in here),
        city=text_vote((r.city, r.confidence) for r in here),
        country=country,
        participants=sorted(
            (participant(g) for g in group_people(ordered)), key=lambda p: (-p.mentions, p.name.casefold())
        ),
        topics=[
            TopicCount(topic=t, reports=n)
            for t, n in sorted(topic_counts.items(), key=lambda item: (-item[1], order[item[0]]))
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


def rederived(meeting: CanonicalMeeting) -> CanonicalMeeting:
    """``meeting`` derived again, naively, from its own reports and sources."""
    return derive(
        meeting.meeting_id, meeting.sources, meeting.reports, meeting.aliases, meeting.created_at, meeting.updated_at
    )
