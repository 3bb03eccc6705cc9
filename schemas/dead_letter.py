"""Dead letters and per-article outcomes."""

from datetime import datetime
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, Field

from schemas.article import NormalizedArticle
from schemas.meeting import MeetingEvent

SCHEMA_VERSION: Literal[1] = 1


class DeadLetter(BaseModel):
    """What a stage could not process, written to ``articles.dead``."""

    schema_version: Literal[1] = Field(default=SCHEMA_VERSION, description="Version of this message schema.")
    stage: str = Field(description="Stage that gave up on the entry.", examples=["normalize"])
    stream: str = Field(description="Stream the entry was read from.", examples=["articles.raw"])
    entry_id: str = Field(description="Redis id of the failed entry on `stream`.", examples=["1717480000000-0"])
    article_id: str | None = Field(default=None, description="The article id, when one could be read.")
    reason: str = Field(description="Why the entry failed, for a person to read.", examples=["missing field: body"])
    fields: dict[str, str] = Field(
        description="The entry's original fields (bytes that are not UTF-8 replaced by U+FFFD)."
    )
    truncated: bool = Field(
        default=False, description="Large field values were cut to keep the letter small; it cannot be replayed."
    )
    deliveries: int = Field(default=1, ge=1, description="How often the entry had been delivered.")
    failed_at: datetime = Field(description="When the entry was dead-lettered (UTC).")


class Outcome(StrEnum):
    """What enrichment made of one article."""

    EVENTS = "events"
    NO_MEETING = "no_meeting"
    UNSUPPORTED_LANGUAGE = "unsupported_language"


class ArticleOutcome(BaseModel):
    """Internal: the article, what enrich made of it and its events, on ``articles.enriched`` for the sink."""

    schema_version: Literal[1] = Field(default=SCHEMA_VERSION, description="Version of this message schema.")
    article: NormalizedArticle = Field(description="The normalized article.")
    outcome: Outcome = Field(description="Events found, no meeting, or a language the extractor does not read.")
    event_ids: list[str] = Field(default_factory=list, description="Ids of the events published for the article.")
    events: list[MeetingEvent] = Field(
        default_factory=list,
        description="The events published for the article on `meetings.events`, stored by the sink with the article.",
    )
    extractor_version: str = Field(description="Version of the rules and data applied.")
