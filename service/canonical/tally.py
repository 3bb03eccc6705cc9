"""Running tallies of a meeting's reports, so that one more report costs about the same whatever their number.

A tally counts what the reports give for each merged field. A vote is decided from the counts alone
unless the values given most often tie; only then are the reports gone through again, in event-id
order, to sum their confidences exactly as `vote` does. Participants are grouped report by report
in event-id order; the groups before each report are kept, so a report sorting among the others
only regroups the reports after it until the groups come out as they were.
"""

import bisect
import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from operator import itemgetter
from typing import Any, TypeVar

from schemas.canonical import CanonicalParticipant, Report, Source
from schemas.meeting import Kind, Participant, Role
from schemas.topics import Topic
from service.canonical.keys import (
    NO_KEYS,
    SAME_PERSON,
    Identity,
    KeyParts,
    identity,
    identity_match,
    is_unnamed,
    place_key,
    report_parts,
    time_key,
)

T = TypeVar("T", bound=Hashable)

Groups = tuple[frozenset[Identity], ...]
"""The people found so far among a meeting's reports: the identities each is named by."""


def vote(ballots: Iterable[tuple[T, float]]) -> T | None:
    """The value given most often; ties go to the higher summed weight, then to the smaller ``str``."""
    given = list(ballots)
    counts: Counter[T] = Counter(map(itemgetter(0), given))
    if not counts:
        return None
    most = max(counts.values())
    tied = [value for value, count in counts.items() if count == most]
    if len(tied) == 1:
        return tied[0]
    weights = dict.fromkeys(tied, 0.0)
    for value, weight in given:
        if value in weights:
            weights[value] += weight
    return min(tied, key=lambda v: (-weights[v], str(v)))


def counted_vote(counts: Mapping[T, int], ballots: Callable[[], Iterable[tuple[T, float]]]) -> T | None:
    """`vote` of ``ballots``, whose values ``counts`` counts: the ballots are gone through only on a tie."""
    if not counts:
        return None
    most = max(counts.values())
    tied = [value for value, count in counts.items() if count == most]
    return tied[0] if len(tied) == 1 else vote(ballots())


@lru_cache(maxsize=4096)
def join(groups: Groups, people: tuple[Identity, ...]) -> tuple[Groups, tuple[int, ...]]:
    """``groups`` with the people of one more report (named ones first), and the group each person joins.

    A person joins the group with the best `identity_match` among those no one else of the report
    joined (on a tie the later group) if it reaches `SAME_PERSON`, else starts a group.
    """
    known = list(groups)
    used: set[int] = set()
    joined: list[int] = []
    for own in people:
        scores = [
            (max(identity_match(own, other) for other in names), index)
            for index, names in enumerate(known)
            if index not in used
        ]
        best, index = max(scores, default=(0.0, -1))
        if best < SAME_PERSON:
            index = len(known)
            known.append(frozenset({own}))
        elif own not in known[index]:
            known[index] = known[index] | {own}
        used.add(index)
        joined.append(index)
    after = tuple(known)
    return (groups if after == groups else after), tuple(joined)


def _counts() -> defaultdict[Any, int]:
    return defaultdict(int)


@dataclass
class PersonTally:
    """Counts of what the reports naming one person give, and the person they make while they do not change."""

    mentions: int = 0
    names: defaultdict[str, int] = field(default_factory=_counts)
    named: defaultdict[str, int] = field(default_factory=_counts)
    roles: defaultdict[Role, int] = field(default_factory=_counts)
    titles: defaultdict[str, int] = field(default_factory=_counts)
    organizations: defaultdict[str, int] = field(default_factory=_counts)
    countries: defaultdict[str, int] = field(default_factory=_counts)
    person: CanonicalParticipant | None = None

    def count(self, person: Participant) -> None:
        """Count one more mention of the person."""
        self.person = None
        self.mentions += 1
        self.names[person.name] += 1
        if not is_unnamed(person):
            self.named[person.name] += 1
        self.roles[person.role] += 1
        if person.title:
            self.titles[person.title] += 1
        if person.organization:
            self.organizations[person.organization] += 1
        if person.country:
            self.countries[person.country] += 1

    def merged(self, members: Callable[[], list[tuple[Participant, float]]]) -> CanonicalParticipant:
        """The person as most reports give them; ``members`` are the mentions with their reports' confidence."""
        if self.person is None:
            self.person = self._merge(members)
        return self.person

    def _merge(self, members: Callable[[], list[tuple[Participant, float]]]) -> CanonicalParticipant:
        named = bool(self.named)
        name = counted_vote(
            self.named if named else self.names,
            lambda: ((p.name, c) for p, c in members() if not (named and is_unnamed(p))),
        )
        role = counted_vote(self.roles, lambda: ((p.role, c) for p, c in members()))
        title = counted_vote(self.titles, lambda: ((p.title, c) for p, c in members() if p.title))
        organization = counted_vote(
            self.organizations, lambda: ((p.organization, c) for p, c in members() if p.organization)
        )
        country = counted_vote(self.countries, lambda: ((p.country, c) for p, c in members() if p.country))
        assert name is not None
        assert role is not None
        return CanonicalParticipant(
            name=name, title=title, organization=organization, country=country, role=role, mentions=self.mentions
        )


@dataclass
class PlaceTally:
    """Counts of a place field (venue or city) by the country each report gives."""

    keys: defaultdict[str | None, defaultdict[str | None, int]] = field(default_factory=lambda: defaultdict(_counts))
    spellings: defaultdict[tuple[str | None, str | None], defaultdict[str, int]] = field(
        default_factory=lambda: defaultdict(_counts)
    )

    def count(self, value: str | None, country: str | None) -> None:
        """Count a report giving ``value`` in ``country``."""
        if not value:
            return
        key = place_key(value)
        self.keys[country][key] += 1
        self.spellings[country, key][value] += 1

    def merged(self, country: str | None, ballots: Callable[[], Iterator[tuple[str, float]]]) -> str | None:
        """The place most reports in ``country`` (or in none) give, spelled as most of them spell it.

        ``ballots`` are the values those reports give, with their confidence.
        """
        countries = [country, None] if country is not None else [None]
        keys = _summed(self.keys.get(c) for c in countries)
        key = counted_vote(keys, lambda: ((place_key(v), c) for v, c in ballots()))
        spellings = _summed(self.spellings.get((c, key)) for c in countries)
        return counted_vote(spellings, lambda: ((v, c) for v, c in ballots() if place_key(v) == key))


def _summed(counts: Iterable[Mapping[T, int] | None]) -> Mapping[T, int]:
    """The counts added up."""
    given = [c for c in counts if c]
    if len(given) == 1:
        return given[0]
    total: dict[T, int] = {}
    for each in given:
        for value, count in each.items():
            total[value] = total.get(value, 0) + count
    return total


@dataclass
class Tally:
    """A meeting's reports in event-id order and its sources in publication order, with their counts.

    ``known`` holds the event ids of both; a report or source is added only for an event not known yet.
    """

    reports: list[Report] = field(default_factory=list)
    event_ids: list[str] = field(default_factory=list)
    known: set[str] = field(default_factory=set)
    sources: list[Source] = field(default_factory=list)
    published: list[tuple[dt.datetime, str, str]] = field(default_factory=list)
    article_ids: list[str] = field(default_factory=list)
    kinds: Counter[Kind] = field(default_factory=Counter)
    stated: Counter[dt.date] = field(default_factory=Counter)
    unstated: dt.date | None = None
    countries: Counter[str] = field(default_factory=Counter)
    venues: PlaceTally = field(default_factory=PlaceTally)
    cities: PlaceTally = field(default_factory=PlaceTally)
    topics: Counter[Topic] = field(default_factory=Counter)
    people: list[tuple[Participant, ...]] = field(default_factory=list)
    groups: list[Groups] = field(default_factory=lambda: [()])
    joined: list[tuple[int, ...]] = field(default_factory=list)
    persons: list[PersonTally] = field(default_factory=list)
    key_parts: KeyParts = NO_KEYS

    @classmethod
    def of(cls, reports: Iterable[Report], sources: Iterable[Source]) -> "Tally":
        """The tally of ``reports`` (the last of an event id counting) and ``sources`` (likewise)."""
        tally = cls()
        by_event = {r.event_id: r for r in reports}
        for event_id in sorted(by_event):
            tally.add(by_event[event_id])
        for source in {s.event_id: s for s in sources}.values():
            tally.add_source(source)
        return tally

    def add(self, report: Report) -> None:
        """Count a report of an event not counted yet."""
        at = bisect.bisect_left(self.event_ids, report.event_id)
        self.reports.insert(at, report)
        self.event_ids.insert(at, report.event_id)
        self.known.add(report.event_id)
        self.kinds[report.kind] += 1
        if report.date and report.date_stated:
            self.stated[report.date] += 1
        elif report.date:
            self.unstated = min(report.date, self.unstated or report.date)
        if report.country:
            self.countries[report.country] += 1
        self.venues.count(report.venue, report.country)
        self.cities.count(report.city, report.country)
        self.topics.update(set(report.topics))
        days, parts = report_parts(report.date, report.date_stated, report.participants)
        if not (days <= self.key_parts[0] and parts <= self.key_parts[1]):
            self.key_parts = (self.key_parts[0] | days, self.key_parts[1] | parts)
        self._group(at, tuple(sorted(report.participants, key=is_unnamed)))

    def _group(self, at: int, people: tuple[Participant, ...]) -> None:
        """Group the people of the report now at ``at``, then regroup those after it until the groups come out
        as they did before."""
        before = self.groups
        state, joined = join(before[at], tuple(map(identity, people)))
        self.people.insert(at, people)
        self.joined.insert(at, joined)
        groups = [*before[: at + 1], state]
        regrouped = False
        for index in range(at + 1, len(self.reports)):
            if state == before[index - 1]:
                groups.extend(before[index:])
                break
            state, joined = join(state, tuple(map(identity, self.people[index])))
            regrouped = regrouped or joined != self.joined[index]
            self.joined[index] = joined
            groups.append(state)
        self.groups = groups
        if regrouped:
            self.persons = []
            for members, indexes in zip(self.people, self.joined, strict=True):
                self._count(members, indexes)
        else:
            self._count(people, self.joined[at])

    def _count(self, people: tuple[Participant, ...], indexes: tuple[int, ...]) -> None:
        for person, index in zip(people, indexes, strict=True):
            self.persons.extend(PersonTally() for _ in range(index + 1 - len(self.persons)))
            self.persons[index].count(person)

    def add_source(self, source: Source) -> None:
        """Place the source of an event not counted yet among the others, by publication."""
        key = _published(source)
        at = bisect.bisect(self.published, key)
        self.published.insert(at, key)
        self.sources.insert(at, source)
        self.known.add(source.event_id)
        if source.article_id not in self.article_ids:
            bisect.insort(self.article_ids, source.article_id)

    def members(self, group: int) -> list[tuple[Participant, float]]:
        """The mentions of the person of ``group``, each with its report's confidence, in event-id order."""
        return [
            (person, report.confidence)
            for report, people, indexes in zip(self.reports, self.people, self.joined, strict=True)
            for person, index in zip(people, indexes, strict=True)
            if index == group
        ]


def _published(source: Source) -> tuple[dt.datetime, str, str]:
    return time_key(source.published_at), source.article_id, source.event_id
