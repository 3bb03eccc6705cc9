"""The sink's tables (SQLAlchemy Core): articles, meeting events, participants, topics, canonical meetings.

``meeting_events.payload`` holds each event whole, as its JSON; the other event columns and
the ``participants`` and ``event_topics`` rows exist to filter on. Events carry no foreign key
to ``articles``: the sink reads events and article outcomes from two streams, in no fixed order.
"""

from sqlalchemy import (
    JSON,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)
from sqlalchemy.dialects.postgresql import JSONB

metadata = MetaData()
"""Every table of the sink database."""

articles = Table(
    "articles",
    metadata,
    Column("article_id", String, primary_key=True),
    Column("source", String, nullable=False),
    Column("url", Text),
    Column("title", Text),
    Column("published_at", String, comment="ISO 8601 date or datetime, as the feed sent it"),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("language", String, nullable=False),
    Column("content_hash", String, nullable=False),
    Column("outcome", String, nullable=False, index=True),
    Column("extractor_version", String, nullable=False),
    Column("event_count", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("stored_at", DateTime(timezone=True), nullable=False),
)
"""One row per article the sink saw an outcome for; the latest version of the article wins."""

meeting_events = Table(
    "meeting_events",
    metadata,
    Column("event_id", String, primary_key=True),
    Column("article_id", String, nullable=False, index=True),
    Column("kind", String, nullable=False, index=True),
    Column("date", Date, index=True),
    Column("venue", Text),
    Column("city", String),
    Column("country", String(3), index=True),
    Column("confidence", Float, nullable=False),
    Column("extractor_version", String, nullable=False),
    Column("content_hash", String),
    Column("payload", JSON().with_variant(JSONB(), "postgresql"), nullable=False),
)
"""One row per meeting event; ``payload`` is the full event as JSON."""

participants = Table(
    "participants",
    metadata,
    Column(
        "event_id",
        String,
        ForeignKey("meeting_events.event_id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("position", Integer, primary_key=True),
    Column("name", Text, nullable=False),
    Column("name_folded", Text, nullable=False, comment="casefolded name, for name search"),
    Column("title", Text),
    Column("organization", Text),
    Column("country", String(3)),
    Column("role", String, nullable=False),
    Index("ix_participants_country", "country"),
    Index("ix_participants_name_folded", "name_folded"),
)
"""The participants of each event, in the event's order."""

event_topics = Table(
    "event_topics",
    metadata,
    Column(
        "event_id",
        String,
        ForeignKey("meeting_events.event_id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("topic", String, primary_key=True),
    Index("ix_event_topics_topic", "topic"),
)
"""The topics of each event, each at most once."""

# Canonical meetings: one per real meeting, linked to the events that report it.
canonical_meetings = Table(
    "canonical_meetings",
    metadata,
    Column("meeting_id", String, primary_key=True),
    Column("kind", String, nullable=False),
    Column("date", Date, index=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("document", JSON().with_variant(JSONB(), "postgresql"), nullable=False),
)
canonical_keys = Table(
    "canonical_keys",
    metadata,
    Column("key", String, primary_key=True),
    Column("meeting_id", String, primary_key=True),
    Index("ix_canonical_keys_meeting_id", "meeting_id"),
)
canonical_events = Table(
    "canonical_events",
    metadata,
    Column("event_id", String, primary_key=True),
    Column("meeting_id", String, nullable=False, index=True),
)
canonical_aliases = Table(
    "canonical_aliases",
    metadata,
    Column("alias", String, primary_key=True),
    Column("meeting_id", String, nullable=False, index=True),
)
