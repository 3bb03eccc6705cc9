"""`MeetingStore`: idempotent writes of article outcomes and meeting events, and event queries."""

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Table,
    bindparam,
    delete,
    exists,
    func,
    or_,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from schemas import ArticleOutcome, MeetingEvent, Outcome
from service.store.engine import write_transaction
from service.store.tables import articles, event_topics, meeting_events, participants


class MeetingStore:
    """The sink's database: article outcomes and meeting events, written idempotently.

    Every write method runs in one transaction and may be repeated with the same input
    (stream re-deliveries) without changing what is stored.
    """

    def __init__(self, engine: AsyncEngine) -> None:
        """Use ``engine`` (SQLite or PostgreSQL), whose schema `create_schema` has created."""
        dialect = engine.dialect.name
        if dialect not in {"sqlite", "postgresql"}:
            msg = f"unsupported database dialect {dialect!r}: use SQLite or PostgreSQL"
            raise ValueError(msg)
        self.engine = engine
        self._postgres = dialect == "postgresql"

    def _insert(self, table: Table) -> postgresql.Insert | sqlite.Insert:
        return postgresql.insert(table) if self._postgres else sqlite.insert(table)

    async def save_articles(self, outcomes: Sequence[ArticleOutcome]) -> None:
        """Store each article with the events it carries, in one transaction (see `save_outcomes`, `save_events`)."""
        if not outcomes:
            return
        async with write_transaction(self.engine) as connection:
            await self._save_outcomes(connection, outcomes)
            await self._save_events(connection, [event for outcome in outcomes for event in outcome.events])

    async def save_outcomes(self, outcomes: Sequence[ArticleOutcome]) -> None:
        """Store what enrich made of each article, keyed on the article id.

        An exact re-send (same content hash, same extractor version) changes nothing. A new
        content hash is a correction, and a new extractor version a reprocessing: the article
        row is replaced and the article's events extracted from another version of the text or
        by another extractor are deleted; their replacements arrive through `save_events`.
        """
        if not outcomes:
            return
        async with write_transaction(self.engine) as connection:
            await self._save_outcomes(connection, outcomes)

    async def save_events(self, events: Sequence[MeetingEvent]) -> None:
        """Store meeting events, keyed on the event id.

        A re-delivered event changes nothing; an event whose content changed replaces its
        earlier version, participants and topics included.
        """
        if not events:
            return
        async with write_transaction(self.engine) as connection:
            await self._save_events(connection, events)

    async def _save_outcomes(self, connection: AsyncConnection, outcomes: Sequence[ArticleOutcome]) -> None:
        rows = _last_by_key((_article_row(outcome) for outcome in outcomes), "article_id")
        if not rows:
            return
        insert = self._insert(articles)
        upsert = insert.on_conflict_do_update(
            index_elements=[articles.c.article_id],
            set_={name: insert.excluded[name] for name in rows[0] if name != "article_id"},
            where=or_(
                articles.c.content_hash != insert.excluded.content_hash,
                articles.c.extractor_version != insert.excluded.extractor_version,
            ),
        ).returning(articles.c.article_id, articles.c.content_hash, articles.c.extractor_version)
        stale_events = delete(meeting_events).where(
            meeting_events.c.article_id == bindparam("b_article_id"),
            or_(
                meeting_events.c.content_hash.is_(None),
                meeting_events.c.content_hash != bindparam("b_content_hash"),
                meeting_events.c.extractor_version != bindparam("b_extractor_version"),
            ),
        )
        changed = (await connection.execute(upsert, rows)).all()
        if changed:
            await connection.execute(
                stale_events,
                [
                    {"b_article_id": article_id, "b_content_hash": content_hash, "b_extractor_version": version}
                    for article_id, content_hash, version in sorted(changed)
                ],
            )

    async def _save_events(self, connection: AsyncConnection, events: Sequence[MeetingEvent]) -> None:
        unique = sorted({event.event_id: event for event in events}.values(), key=lambda event: event.event_id)
        if not unique:
            return
        rows = [_event_row(event) for event in unique]
        insert = self._insert(meeting_events)
        upsert = insert.on_conflict_do_update(
            index_elements=[meeting_events.c.event_id],
            set_={name: insert.excluded[name] for name in rows[0] if name != "event_id"},
            where=meeting_events.c.payload != insert.excluded.payload,
        ).returning(meeting_events.c.event_id)
        written = set((await connection.execute(upsert, rows)).scalars())
        if written:
            await self._replace_children(connection, [e for e in unique if e.event_id in written])

    async def _replace_children(self, connection: AsyncConnection, events: Sequence[MeetingEvent]) -> None:
        ids = [{"b_event_id": event.event_id} for event in events]
        for table in (participants, event_topics):
            await connection.execute(delete(table).where(table.c.event_id == bindparam("b_event_id")), ids)
        people = [
            {
                "event_id": event.event_id,
                "position": position,
                "name": person.name,
                "name_folded": person.name.casefold(),
                "title": person.title,
                "organization": person.organization,
                "country": person.country,
                "role": person.role.value,
            }
            for event in events
            for position, person in enumerate(event.participants)
        ]
        topics = [
            {"event_id": event.event_id, "topic": topic.value}
            for event in events
            for topic in dict.fromkeys(event.topics)
        ]
        for table, rows in ((participants, people), (event_topics, topics)):
            if rows:
                # RETURNING makes SQLAlchemy send multi-row INSERTs ("insertmanyvalues"), which
                # asyncpg would otherwise run as one statement per row.
                insert = self._insert(table).on_conflict_do_nothing().returning(table.c.event_id)
                await connection.execute(insert, rows)

    async def events(
        self,
        *,
        since: date | None = None,
        until: date | None = None,
        country: str | None = None,
        person: str | None = None,
        kind: str | None = None,
        topic: str | None = None,
        limit: int | None = None,
    ) -> list[MeetingEvent]:
        """Return the stored events that pass every filter given, by meeting date then event id.

        ``since`` and ``until`` bound the meeting date (both inclusive; undated events then
        drop out); ``country`` matches the meeting's country or any participant's;
        ``person`` is a case-insensitive substring of a participant's name. Undated events
        come last.
        """
        conditions: list[ColumnElement[bool]] = []
        event_id = meeting_events.c.event_id
        if since is not None:
            conditions.append(meeting_events.c.date >= since)
        if until is not None:
            conditions.append(meeting_events.c.date <= until)
        if country is not None:
            code = country.strip().upper()
            conditions.append(
                or_(
                    meeting_events.c.country == code,
                    exists().where(participants.c.event_id == event_id, participants.c.country == code),
                )
            )
        if person is not None:
            conditions.append(
                exists().where(
                    participants.c.event_id == event_id,
                    participants.c.name_folded.contains(person.strip().casefold(), autoescape=True),
                )
            )
        if kind is not None:
            conditions.append(meeting_events.c.kind == str(kind))
        if topic is not None:
            conditions.append(exists().where(event_topics.c.event_id == event_id, event_topics.c.topic == str(topic)))
        query = (
            select(meeting_events.c.payload)
            .where(*conditions)
            .order_by(meeting_events.c.date.is_(None), meeting_events.c.date, event_id)
            .limit(limit)
        )
        async with self.engine.connect() as connection:
            payloads = (await connection.execute(query)).scalars().all()
        return [MeetingEvent.model_validate(payload) for payload in payloads]

    async def counts(self) -> dict[str, object]:
        """Return how many articles and events are stored, and the articles per outcome."""
        async with self.engine.connect() as connection:
            article_count = await connection.scalar(select(func.count()).select_from(articles))
            event_count = await connection.scalar(select(func.count()).select_from(meeting_events))
            per_outcome = await connection.execute(
                select(articles.c.outcome, func.count()).group_by(articles.c.outcome)
            )
            outcomes = {outcome.value: 0 for outcome in Outcome}
            outcomes.update({str(name): int(n) for name, n in per_outcome})
        return {"articles": article_count or 0, "events": event_count or 0, "outcomes": outcomes}

    async def close(self) -> None:
        """Close every pooled connection of the engine."""
        await self.engine.dispose()


def _last_by_key(rows: Iterable[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    """The last row of each key, ordered by key so that concurrent writers lock rows in one order."""
    return sorted({row[key]: row for row in rows}.values(), key=lambda row: row[key])


def _article_row(outcome: ArticleOutcome) -> dict[str, Any]:
    article = outcome.article
    return {
        "article_id": article.id,
        "source": article.source,
        "url": article.url,
        "title": article.title,
        "published_at": None if article.published_at is None else article.published_at.isoformat(),
        "received_at": article.received_at,
        "language": article.language,
        "content_hash": article.content_hash,
        "outcome": outcome.outcome.value,
        "extractor_version": outcome.extractor_version,
        "event_count": len(outcome.event_ids),
        "text": article.text,
        "stored_at": datetime.now(UTC),
    }


def _event_row(event: MeetingEvent) -> dict[str, Any]:
    return {
        "event_id": event.event_id,
        "article_id": event.article_id,
        "kind": event.kind.value,
        "date": event.date,
        "venue": event.venue,
        "city": event.city,
        "country": event.country,
        "confidence": event.confidence,
        "extractor_version": event.extractor_version,
        "content_hash": event.content_hash,
        "payload": event.model_dump(mode="json"),
    }
