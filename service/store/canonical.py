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
from service.canonical import assign, blocking_keys
from service.store.engine import WRITE
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
        self._writer = engine.execution_options(**{WRITE: True})

    def _insert(self, table: Table) -> Any:
        return postgresql.insert(table) if self._postgres else sqlite.insert(table)

    async def assign(self, events: Sequence[MeetingEvent], *, now: dt.datetime) -> list[CanonicalChange]:
        """Link each event to its canonical meeting; return the change to publish for each event.

        An event already linked yields its meeting as it stands ("updated"), so a redelivered
        message republishes the state its first delivery may not have published.
        """
        changes = []
        async with self._writer.begin() as conn:
            if self._postgres:
                await conn.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": LOCK_ID})
            for event in sorted(events, key=lambda e: e.event_id):
                candidates = await self._candidates(conn, event)
                meeting, change = assign(event, source_of(event), candidates, self.threshold, now=now)
                if change is None:
                    change = CanonicalChange(change="updated", meeting=meeting)
                await self._save(conn, meeting, change.merged_ids, now)
                changes.append(change)
        return changes

    async def _candidates(self, conn: AsyncConnection, event: MeetingEvent) -> list[CanonicalMeeting]:
        keys = sorted(blocking_keys(event))
        ids: set[str] = set()
        held = (
            await conn.execute(
                select(canonical_events.c.meeting_id).where(canonical_events.c.event_id == event.event_id)
            )
        ).scalar_one_or_none()
        if held is not None:
            ids.add(held)
        if keys:
            rows = await conn.execute(
                select(canonical_keys.c.meeting_id).where(canonical_keys.c.key.in_(keys)).distinct()
            )
            ids.update(row[0] for row in rows)
        if not ids:
            return []
        aliased = await conn.execute(
            select(canonical_aliases.c.alias, canonical_aliases.c.meeting_id).where(
                canonical_aliases.c.alias.in_(sorted(ids))
            )
        )
        resolved = dict(aliased.all())
        ids = {resolved.get(i, i) for i in ids}
        rows = await conn.execute(
            select(canonical_meetings.c.document).where(canonical_meetings.c.meeting_id.in_(sorted(ids)))
        )
        return [CanonicalMeeting.model_validate(_document(row[0])) for row in rows]

    async def _save(
        self, conn: AsyncConnection, meeting: CanonicalMeeting, absorbed: Sequence[str], now: dt.datetime
    ) -> None:
        mid = meeting.meeting_id
        for old in absorbed:
            await conn.execute(delete(canonical_meetings).where(canonical_meetings.c.meeting_id == old))
            await conn.execute(delete(canonical_keys).where(canonical_keys.c.meeting_id == old))
            await conn.execute(
                canonical_aliases.update().where(canonical_aliases.c.meeting_id == old).values(meeting_id=mid)
            )
            insert = self._insert(canonical_aliases)
            await conn.execute(
                insert.values(alias=old, meeting_id=mid).on_conflict_do_update(
                    index_elements=[canonical_aliases.c.alias], set_={"meeting_id": mid}
                )
            )
        row = {
            "meeting_id": mid,
            "kind": meeting.kind.value,
            "date": meeting.date,
            "created_at": meeting.created_at or now,
            "updated_at": meeting.updated_at or now,
            "document": meeting.model_dump(mode="json"),
        }
        insert = self._insert(canonical_meetings)
        await conn.execute(
            insert.values(**row).on_conflict_do_update(
                index_elements=[canonical_meetings.c.meeting_id],
                set_={k: insert.excluded[k] for k in row if k != "meeting_id"},
            )
        )
        await conn.execute(delete(canonical_keys).where(canonical_keys.c.meeting_id == mid))
        keys = sorted(blocking_keys(meeting))
        if keys:
            await conn.execute(
                self._insert(canonical_keys).on_conflict_do_nothing(), [{"key": k, "meeting_id": mid} for k in keys]
            )
        links = self._insert(canonical_events)
        await conn.execute(
            links.on_conflict_do_update(index_elements=[canonical_events.c.event_id], set_={"meeting_id": mid}),
            [{"event_id": e, "meeting_id": mid} for e in meeting.event_ids],
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
