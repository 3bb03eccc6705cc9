"""The initial sink schema: articles, meeting events, participants and topics.

Revision ID: 0001
Revises:
Create Date: 2024-06-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the four tables and their indexes."""
    op.create_table(
        "articles",
        sa.Column("article_id", sa.String(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("published_at", sa.String(), nullable=True, comment="ISO 8601 date or datetime, as the feed sent it"),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("language", sa.String(), nullable=False),
        sa.Column("content_hash", sa.String(), nullable=False),
        sa.Column("outcome", sa.String(), nullable=False),
        sa.Column("extractor_version", sa.String(), nullable=False),
        sa.Column("event_count", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("stored_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("article_id"),
    )
    op.create_index("ix_articles_outcome", "articles", ["outcome"])
    op.create_table(
        "meeting_events",
        sa.Column("event_id", sa.String(), nullable=False),
        sa.Column("article_id", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column("venue", sa.Text(), nullable=True),
        sa.Column("city", sa.String(), nullable=True),
        sa.Column("country", sa.String(length=3), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("extractor_version", sa.String(), nullable=False),
        sa.Column("content_hash", sa.String(), nullable=True),
        sa.Column("payload", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.PrimaryKeyConstraint("event_id"),
    )
    op.create_index("ix_meeting_events_article_id", "meeting_events", ["article_id"])
    op.create_index("ix_meeting_events_country", "meeting_events", ["country"])
    op.create_index("ix_meeting_events_date", "meeting_events", ["date"])
    op.create_index("ix_meeting_events_kind", "meeting_events", ["kind"])
    op.create_table(
        "participants",
        sa.Column("event_id", sa.String(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("name_folded", sa.Text(), nullable=False, comment="casefolded name, for name search"),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("organization", sa.Text(), nullable=True),
        sa.Column("country", sa.String(length=3), nullable=True),
        sa.Column("role", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["meeting_events.event_id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("event_id", "position"),
    )
    op.create_index("ix_participants_country", "participants", ["country"])
    op.create_index("ix_participants_name_folded", "participants", ["name_folded"])
    op.create_table(
        "event_topics",
        sa.Column("event_id", sa.String(), nullable=False),
        sa.Column("topic", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["meeting_events.event_id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("event_id", "topic"),
    )
    op.create_index("ix_event_topics_topic", "event_topics", ["topic"])


def downgrade() -> None:
    """Drop the four tables."""
    op.drop_table("event_topics")
    op.drop_table("participants")
    op.drop_table("meeting_events")
    op.drop_table("articles")
