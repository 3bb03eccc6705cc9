"""Canonical meetings: meetings, their blocking keys, event links and aliases.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the four canonical-meeting tables."""
    op.create_table(
        "canonical_meetings",
        sa.Column("meeting_id", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("document", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.PrimaryKeyConstraint("meeting_id"),
    )
    op.create_index("ix_canonical_meetings_date", "canonical_meetings", ["date"])
    op.create_table(
        "canonical_keys",
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("meeting_id", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("key", "meeting_id"),
    )
    op.create_index("ix_canonical_keys_meeting_id", "canonical_keys", ["meeting_id"])
    op.create_table(
        "canonical_events",
        sa.Column("event_id", sa.String(), nullable=False),
        sa.Column("meeting_id", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("event_id"),
    )
    op.create_index("ix_canonical_events_meeting_id", "canonical_events", ["meeting_id"])
    op.create_table(
        "canonical_aliases",
        sa.Column("alias", sa.String(), nullable=False),
        sa.Column("meeting_id", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("alias"),
    )
    op.create_index("ix_canonical_aliases_meeting_id", "canonical_aliases", ["meeting_id"])


def downgrade() -> None:
    """Drop the canonical-meeting tables."""
    for table in ("canonical_aliases", "canonical_events", "canonical_keys", "canonical_meetings"):
        op.drop_table(table)
