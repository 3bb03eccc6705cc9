"""Canonical meetings in the sink: a meeting per real meeting, found by blocking keys, merged incrementally.

Assignment runs in one write transaction per batch, serialised across sink processes (a PostgreSQL
advisory lock; SQLite has one writer), so two reports of a new meeting arriving at once never
become two meetings.
"""

import datetime as dt
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from typing import Any

import orjson
from sqlalchemy import ColumnElement, String, Table, Text, any_, bindparam, cast, delete, func, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from schemas import MeetingEvent
from schemas.canonical import CanonicalChange, CanonicalMeeting, Report, Source
from service.canonical import blocking_keys
from service.canonical.keys import NO_KEYS, key_parts, new_keys
from service.canonical.memory import MemoryIndex
from service.store.engine import write_transaction
from service.store.tables import canonical_aliases, canonical_events, canonical_keys, canonical_meetings

LOCK_ID = 0x6D656574  # "meet": the advisory lock serialising canonical assignment on PostgreSQL

CACHE_SIZE = 1024
"""Most canonical meetings a store keeps parsed, with the document each was read from or written as."""


def source_of(event: MeetingEvent) -> Source:
    """The report an event stands for."""
    return Source(
        outlet=event.source or "unknown",
        article_id=event.article_id,
        event_id=event.event_id,
        url=event.url,
        published_at=event.published_at,
    )


def round_trips(meeting: CanonicalMeeting) -> bool:
    """Whether reading back ``meeting``'s JSON document gives ``meeting`` again.

    It does unless a publication stamp is a date: such a stamp reads back as a datetime at midnight.
    """
    return _stamped([meeting.first_reported_at, *(s.published_at for s in meeting.sources)])


def _stamped(stamps: Iterable[dt.datetime | dt.date | None]) -> bool:
    return all(s is None or isinstance(s, dt.datetime) for s in stamps)


Fragments = dict[int, orjson.Fragment]
"""JSON of the sources and reports of a meeting held, by identity: they carry over from version to version."""


def _fragments(items: list[Source] | list[Report], known: Fragments, into: Fragments) -> list[orjson.Fragment]:
    """The JSON of each item, from ``known`` if there, into ``into`` as well."""
    pieces = [known.get(id(item)) or orjson.Fragment(item.model_dump_json()) for item in items]
    into.update(zip(map(id, items), pieces, strict=True))
    return pieces


class Documents:
    """Parsed canonical meetings by id, each with the JSON document text it was read from or written as.

    Parsing a stored document costs far more than comparing its text with the one held, so a meeting
    whose document has not changed since this process read or wrote it is not parsed again. Writing a
    meeting serializes only the sources and reports its held version did not have.
    """

    def __init__(self, size: int = CACHE_SIZE) -> None:
        self.size = size
        self._held: OrderedDict[str, tuple[str, CanonicalMeeting, Fragments]] = OrderedDict()

    def read(self, meeting_id: str, document: str) -> CanonicalMeeting:
        """The meeting stored under ``meeting_id`` as ``document``."""
        held = self._held.get(meeting_id)
        if held is not None and held[0] == document:
            self._held.move_to_end(meeting_id)
            return held[1]
        meeting = CanonicalMeeting.model_validate(orjson.loads(document))
        self._hold(meeting_id, (document, meeting, {}))
        return meeting

    def write(self, meeting: CanonicalMeeting) -> str:
        """The document to store ``meeting`` as: its JSON, as `orjson` writes its JSON-mode dump.

        A meeting held round-trips, so ``meeting`` does if its new sources and first stamp do.
        """
        held = self._held.pop(meeting.meeting_id, None)
        known = held[2] if held else {}
        fragments: Fragments = {}
        fields = meeting.model_dump(mode="json", exclude={"sources", "reports"})
        fields["sources"] = _fragments(meeting.sources, known, fragments)
        fields["reports"] = _fragments(meeting.reports, known, fragments)
        document = orjson.dumps({name: fields[name] for name in CanonicalMeeting.model_fields}).decode()
        fresh = (s.published_at for s in meeting.sources if id(s) not in known)
        if _stamped([meeting.first_reported_at, *fresh]):
            self._hold(meeting.meeting_id, (document, meeting, fragments))
        return document

    def _hold(self, meeting_id: str, held: tuple[str, CanonicalMeeting, Fragments]) -> None:
        self._held.pop(meeting_id, None)
        self._held[meeting_id] = held
        while len(self._held) > self.size:
            self._held.popitem(last=False)


class CanonicalStore:
    """Reads and writes canonical meetings on a SQLite or PostgreSQL engine."""

    def __init__(self, engine: AsyncEngine, *, threshold: float, cache_size: int = CACHE_SIZE) -> None:
        self.engine = engine
        self.threshold = threshold
        self.documents = Documents(cache_size)
        self._postgres = engine.dialect.name == "postgresql"

    def _insert(self, table: Table) -> Any:
        return postgresql.insert(table) if self._postgres else sqlite.insert(table)

    def _among(self, column: ColumnElement[str], values: Iterable[str]) -> ColumnElement[bool]:
        """``column IN values``, the values bound as one parameter however many they are."""
        listed = sorted(values)
        if self._postgres:
            return column == any_(bindparam(None, listed, type_=postgresql.ARRAY(String)))
        array = func.json_each(bindparam(None, orjson.dumps(listed).decode(), type_=String)).table_valued("value")
        return column.in_(select(array.c.value))

    async def assign(self, events: Sequence[MeetingEvent], *, now: dt.datetime) -> list[CanonicalChange]:
        """Link each event to its canonical meeting; return the change to publish for each event.

        The whole batch takes a handful of queries: the candidates of every event are loaded at
        once into a :class:`MemoryIndex`, the events are assigned there in event-id order, and
        what changed is written back. An event already linked yields its meeting as it stands
        ("updated"), so a redelivered message republishes what its first delivery may not have.
        """
        ordered = sorted(events, key=lambda e: e.event_id)
        changes: list[CanonicalChange] = []
        async with write_transaction(self.engine) as conn:
            if self._postgres:
                await conn.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": LOCK_ID})
            index = await self._load(conn, ordered)
            loaded = dict(index.meetings)
            touched: dict[str, CanonicalMeeting] = {}
            absorbed: dict[str, str] = {}
            for event in ordered:
                change = index.add(event, source_of(event), now=now)
                meeting = index.meetings[index.meeting_of(event.event_id) or ""]
                if change is None:
                    change = CanonicalChange(change="updated", meeting=meeting)
                for old in change.merged_ids:
                    absorbed[old] = meeting.meeting_id
                    touched.pop(old, None)
                touched[meeting.meeting_id] = meeting
                changes.append(change)
            await self._write(conn, index, ordered, touched, absorbed, loaded, now)
        return changes

    async def _load(self, conn: AsyncConnection, events: Sequence[MeetingEvent]) -> MemoryIndex:
        """The candidate meetings of ``events``, with their keys, event links and aliases."""
        index = MemoryIndex(self.threshold)
        keys = {k for e in events for k in blocking_keys(e)}
        ids: set[str] = set()
        held = await conn.execute(
            select(canonical_events.c.event_id, canonical_events.c.meeting_id).where(
                self._among(canonical_events.c.event_id, (e.event_id for e in events))
            )
        )
        for event_id, meeting_id in held.all():
            index.by_event[event_id] = meeting_id
            ids.add(meeting_id)
        if keys:
            keyed = await conn.execute(
                select(canonical_keys.c.key, canonical_keys.c.meeting_id).where(self._among(canonical_keys.c.key, keys))
            )
            for key, meeting_id in keyed.all():
                index.index(key, meeting_id)
                ids.add(meeting_id)
        if not ids:
            return index
        aliased = await conn.execute(
            select(canonical_aliases.c.alias, canonical_aliases.c.meeting_id).where(
                self._among(canonical_aliases.c.alias, ids)
            )
        )
        index.aliases.update(dict(aliased.all()))
        rows = await conn.execute(
            select(canonical_meetings.c.meeting_id, cast(canonical_meetings.c.document, Text)).where(
                self._among(canonical_meetings.c.meeting_id, {index.resolve(i) for i in ids})
            )
        )
        for meeting_id, document in rows.all():
            index.meetings[meeting_id] = self.documents.read(meeting_id, document)
        return index

    async def _write(
        self,
        conn: AsyncConnection,
        index: MemoryIndex,
        events: Sequence[MeetingEvent],
        touched: dict[str, CanonicalMeeting],
        absorbed: dict[str, str],
        loaded: dict[str, CanonicalMeeting],
        now: dt.datetime,
    ) -> None:
        """Write back the meetings the batch changed, the merges, the new keys and event links.

        A meeting's keys stay stored as it changes, so only those it did not have as loaded are added.
        """
        for old, survivor in absorbed.items():
            mid = index.resolve(survivor)
            await conn.execute(delete(canonical_meetings).where(canonical_meetings.c.meeting_id == old))
            await conn.execute(delete(canonical_keys).where(canonical_keys.c.meeting_id == old))
            await conn.execute(
                canonical_aliases.update().where(canonical_aliases.c.meeting_id == old).values(meeting_id=mid)
            )
            await conn.execute(
                canonical_events.update().where(canonical_events.c.meeting_id == old).values(meeting_id=mid)
            )
            alias = self._insert(canonical_aliases)
            await conn.execute(
                alias.values(alias=old, meeting_id=mid).on_conflict_do_update(
                    index_elements=[canonical_aliases.c.alias], set_={"meeting_id": mid}
                )
            )
        if not touched:
            return
        rows = [
            {
                "meeting_id": m.meeting_id,
                "kind": m.kind.value,
                "date": m.date,
                "created_at": m.created_at or now,
                "updated_at": m.updated_at or now,
                "document": orjson.Fragment(self.documents.write(m)),
            }
            for m in touched.values()
        ]
        upsert = self._insert(canonical_meetings)
        await conn.execute(
            upsert.on_conflict_do_update(
                index_elements=[canonical_meetings.c.meeting_id],
                set_={k: upsert.excluded[k] for k in rows[0] if k != "meeting_id"},
            ),
            rows,
        )
        keys = sorted(
            (k, m.meeting_id)
            for m in touched.values()
            for k in new_keys(key_parts(loaded[m.meeting_id]) if m.meeting_id in loaded else NO_KEYS, key_parts(m))
        )
        if keys:
            await conn.execute(
                self._insert(canonical_keys).on_conflict_do_nothing(), [{"key": k, "meeting_id": m} for k, m in keys]
            )
        links = self._insert(canonical_events)
        await conn.execute(
            links.on_conflict_do_update(
                index_elements=[canonical_events.c.event_id], set_={"meeting_id": links.excluded.meeting_id}
            ),
            [{"event_id": e.event_id, "meeting_id": index.meeting_of(e.event_id)} for e in events],
        )

    async def meetings(self, *, limit: int | None = None) -> list[CanonicalMeeting]:
        """Canonical meetings, by date then id."""
        query = select(canonical_meetings.c.document).order_by(
            canonical_meetings.c.date.is_(None), canonical_meetings.c.date, canonical_meetings.c.meeting_id
        )
        if limit is not None:
            query = query.limit(limit)
        async with self.engine.connect() as conn:
            rows = await conn.execute(query)
            return [CanonicalMeeting.model_validate(_document(row[0])) for row in rows]


def _document(value: Any) -> Any:
    if isinstance(value, str):
        import json  # noqa: PLC0415

        return json.loads(value)
    return value
