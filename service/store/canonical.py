"""Canonical meetings in the sink: a meeting per real meeting, found by blocking keys, merged incrementally.

Assignment runs in one write transaction per batch, serialised across sink processes (a PostgreSQL
advisory lock; SQLite has one writer), so two reports of a new meeting arriving at once never
become two meetings.
"""

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table, delete, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from schemas import MeetingEvent
from schemas.canonical import CanonicalChange, CanonicalMeeting, Source
from service.canonical import blocking_keys
from service.canonical.memory import MemoryIndex
from service.store.engine import write_transaction
from service.store.tables import canonical_aliases, canonical_events, canonical_keys, canonical_meetings

LOCK_ID = 0x6D656574  # "meet": the advisory lock serialising canonical assignment on PostgreSQL


def source_of(event: MeetingEvent) -> Source:
    """The report an event stands for."""
    return Source(
        outlet=event.source or "unknown",
        article_id=event.article_id,
        event_id=event.event_id,
        url=event.url,
        published_at=event.published_at,
    )


class CanonicalStore:
    """Reads and writes canonical meetings on a SQLite or PostgreSQL engine."""

    def __init__(self, engine: AsyncEngine, *, threshold: float) -> None:
        self.engine = engine
        self.threshold = threshold
        self._postgres = engine.dialect.name == "postgresql"

    def _insert(self, table: Table) -> Any:
        return postgresql.insert(table) if self._postgres else sqlite.insert(table)

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
            await self._write(conn, index, ordered, touched, absorbed, now)
        return changes

    async def _load(self, conn: AsyncConnection, events: Sequence[MeetingEvent]) -> MemoryIndex:
        """The candidate meetings of ``events``, with their keys, event links and aliases."""
        index = MemoryIndex(self.threshold)
        keys = sorted({k for e in events for k in blocking_keys(e)})
        event_ids = [e.event_id for e in events]
        ids: set[str] = set()
        held = await conn.execute(
            select(canonical_events.c.event_id, canonical_events.c.meeting_id).where(
                canonical_events.c.event_id.in_(event_ids)
            )
        )
        for event_id, meeting_id in held:
            index.by_event[event_id] = meeting_id
            ids.add(meeting_id)
        if keys:
            keyed = await conn.execute(
                select(canonical_keys.c.key, canonical_keys.c.meeting_id).where(canonical_keys.c.key.in_(keys))
            )
            for key, meeting_id in keyed:
                index.by_key[key].add(meeting_id)
                ids.add(meeting_id)
        if not ids:
            return index
        aliased = await conn.execute(
            select(canonical_aliases.c.alias, canonical_aliases.c.meeting_id).where(
                canonical_aliases.c.alias.in_(sorted(ids))
            )
        )
        index.aliases.update(dict(aliased.all()))
        live = sorted({index.resolve(i) for i in ids})
        rows = await conn.execute(
            select(canonical_meetings.c.document).where(canonical_meetings.c.meeting_id.in_(live))
        )
        for (document,) in rows:
            meeting = CanonicalMeeting.model_validate(_document(document))
            index.meetings[meeting.meeting_id] = meeting
        return index

    async def _write(
        self,
        conn: AsyncConnection,
        index: MemoryIndex,
        events: Sequence[MeetingEvent],
        touched: dict[str, CanonicalMeeting],
        absorbed: dict[str, str],
        now: dt.datetime,
    ) -> None:
        """Write back the meetings the batch changed, the merges, the new keys and event links."""
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
                "document": m.model_dump(mode="json"),
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
        keys = sorted({(k, m.meeting_id) for m in touched.values() for k in blocking_keys(m)})
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
