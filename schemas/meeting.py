"""Meeting events: one per meeting an article reports, as enrich writes them to ``meetings.events``."""

import datetime as dt
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, Field

from schemas.topics import Topic

SCHEMA_VERSION: Literal[1] = 1

Span = tuple[int, int]
"""A ``[start, end)`` character span of the normalized article text."""


class Kind(StrEnum):
    """Kind of meeting, decided in this order: the first that fits."""

    ROYAL_AUDIENCE = "royal_audience"
    PHONE_CALL = "phone_call"
    VIDEO_CONFERENCE = "video_conference"
    MULTILATERAL_MEETING = "multilateral_meeting"
    COURTESY_CALL = "courtesy_call"
    BILATERAL_MEETING = "bilateral_meeting"


class Role(StrEnum):
    """A participant's side of the meeting."""

    HOST = "host"
    GUEST = "guest"
    PARTICIPANT = "participant"


class PloverMode(StrEnum):
    """PLOVER mode of a CONSULT event."""

    VISIT = "visit"
    THIRD_PARTY = "third-party"
    MULTILATERAL = "multilateral"
    PHONE = "phone"


class Participant(BaseModel):
    """A principal who took part in the meeting."""

    name: str = Field(
        description="The name as the article writes it, honorifics and ranks removed.",
        examples=["Hun Manet", "Sok Chenda Sophea"],
    )
    title: str | None = Field(
        default=None,
        description="Office as written, without the nationality.",
        examples=["Prime Minister", "Secretary of Defence"],
    )
    organization: str | None = Field(
        default=None,
        description="Body the person speaks for when it is not a state.",
        examples=["World Bank", "United Nations"],
    )
    country: str | None = Field(
        default=None,
        pattern=r"^[A-Z]{3}$",
        description="ISO 3166-1 alpha-3 code of the state represented; null for international bodies.",
        examples=["KHM", "USA"],
    )
    role: Role = Field(description="host receives, guest visits or calls on, participant otherwise.")


class Evidence(BaseModel):
    """For each field filled, where in the normalized text it came from."""

    kind: Span | None = Field(default=None, description="Span of the words that decided the kind.")
    date: Span | None = Field(default=None, description="Span of the date expression.")
    venue: Span | None = Field(default=None, description="Span of the venue.")
    city: Span | None = Field(default=None, description="Span of the city (or the dateline city).")
    country: Span | None = Field(default=None, description="Span that gave the country of the place.")
    participants: list[Span] = Field(
        default_factory=list,
        description="One span per participant, in the order of `participants`.",
    )
    topics: list[Span] = Field(default_factory=list, description="One span per topic, in the order of `topics`.")


class Codes(BaseModel):
    """Interop codes for users of PLOVER/POLECAT and CAMEO (GDELT, ICEWS) data."""

    plover: Literal["CONSULT"] = Field(default="CONSULT", description="PLOVER event type.")
    plover_mode: PloverMode = Field(description="PLOVER mode of the consultation.")
    cameo: list[str] = Field(description="CAMEO event codes.", examples=[["042", "043"]])


class MeetingEvent(BaseModel):
    """One meeting an article reports."""

    schema_version: Literal[1] = Field(default=SCHEMA_VERSION, description="Version of this message schema.")
    event_id: str = Field(
        description="Stable id from the article id and the meeting's position in the article.",
        examples=["seed-0001#0"],
    )
    article_id: str = Field(description="The raw article's `id`.", examples=["seed-0001"])
    kind: Kind = Field(description="Kind of meeting.")
    date: dt.date | None = Field(default=None, description="Day of the meeting in Cambodia time.")
    venue: str | None = Field(default=None, description="Building or site.", examples=["Peace Palace"])
    city: str | None = Field(default=None, description="City of the meeting; null for calls.", examples=["Phnom Penh"])
    country: str | None = Field(
        default=None,
        pattern=r"^[A-Z]{3}$",
        description="ISO 3166-1 alpha-3 code of `city`.",
        examples=["KHM"],
    )
    participants: list[Participant] = Field(description="The principals who met.")
    topics: list[Topic] = Field(default_factory=list, description="What was discussed, each at most once.")
    evidence: Evidence = Field(default_factory=Evidence, description="Source spans for each field filled.")
    confidence: float = Field(
        ge=0.0,
        le=1.0,
        description="How sure the extractor is that this meeting took place as given.",
    )
    codes: Codes = Field(description="PLOVER and CAMEO codes.")
    extractor_version: str = Field(
        description="Version of the rules and data that produced the event.", examples=["0.1.0"]
    )
    content_hash: str | None = Field(
        default=None,
        description="The article version (its content hash) the event was extracted from.",
    )
    source: str | None = Field(default=None, description="Outlet of the article.", examples=["Fresh News"])
    url: str | None = Field(default=None, description="Where the article lives.")
    published_at: dt.datetime | dt.date | None = Field(
        default=None, description="The article's publication stamp, as the feed gave it."
    )
