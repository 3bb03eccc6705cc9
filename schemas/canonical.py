"""Canonical meetings: one per real meeting, merging the meeting events of every report of it.

Published on ``meetings.canonical`` as a :class:`CanonicalChange` each time one is created or changes.
"""

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from schemas.meeting import Kind, Participant, Role
from schemas.topics import Topic

SCHEMA_VERSION: Literal[1] = 1


class Source(BaseModel):
    """Where one report of the meeting was published."""

    outlet: str = Field(description="Outlet name.", examples=["Fresh News", "Xinhua"])
    article_id: str = Field(description="The raw article's `id`.", examples=["fn-2024-06-04-1"])
    event_id: str = Field(description="The meeting event extracted from the article.", examples=["fn-2024-06-04-1#0"])
    url: str | None = Field(default=None, description="Where the article lives.")
    published_at: dt.datetime | dt.date | None = Field(
        default=None,
        description="The feed's publication stamp of the article.",
        examples=["2024-06-04T09:30:00+07:00"],
    )


class Report(BaseModel):
    """What one meeting event said about the fields that identify a meeting; the merged fields derive from these."""

    event_id: str = Field(description="The meeting event.", examples=["fn-2024-06-04-1#0"])
    kind: Kind = Field(description="Kind of meeting the report gives.")
    date: dt.date | None = Field(default=None, description="Day of the meeting the report gives.")
    date_stated: bool = Field(
        default=True,
        description="Whether the text states the day; otherwise `date` is the publication day, an upper bound.",
    )
    venue: str | None = Field(default=None, description="Venue the report gives.")
    city: str | None = Field(default=None, description="City the report gives.")
    country: str | None = Field(
        default=None, pattern=r"^[A-Z]{3}$", description="ISO 3166-1 alpha-3 code of the place the report gives."
    )
    participants: list[Participant] = Field(description="Principals the report names.")
    topics: list[Topic] = Field(default_factory=list, description="Topics the report gives.")
    confidence: float = Field(ge=0.0, le=1.0, description="The extractor's confidence in the event.")


class CanonicalParticipant(BaseModel):
    """A principal of the meeting, merged over the reports that name them."""

    name: str = Field(
        description="The spelling most reports use, honorifics and ranks removed.", examples=["Phạm Minh Chính"]
    )
    title: str | None = Field(default=None, description="Office most reports give.", examples=["Prime Minister"])
    organization: str | None = Field(default=None, description="Body the person speaks for when it is not a state.")
    country: str | None = Field(
        default=None,
        pattern=r"^[A-Z]{3}$",
        description="ISO 3166-1 alpha-3 code of the state represented, as most reports give it.",
        examples=["KHM"],
    )
    role: Role = Field(description="Role most reports give.")
    mentions: int = Field(ge=1, description="How many reports name this person.", examples=[3])


class TopicCount(BaseModel):
    """A topic of the meeting and how many reports give it."""

    topic: Topic = Field(description="Topic id.")
    reports: int = Field(ge=1, description="How many reports give the topic.", examples=[2])


class CanonicalMeeting(BaseModel):
    """One real meeting, merging every report of it."""

    schema_version: Literal[1] = Field(default=SCHEMA_VERSION, description="Version of this message schema.")
    meeting_id: str = Field(
        description="Stable id; never changes once published (an absorbed meeting's id becomes an alias).",
        examples=["mtg-3f9a1c2e7b40"],
    )
    kind: Kind = Field(description="Kind most reports give; ties go to the higher summed confidence.")
    date: dt.date | None = Field(
        default=None, description="Day of the meeting most reports state, in Cambodia time.", examples=["2024-06-04"]
    )
    venue: str | None = Field(default=None, description="Venue most reports give.", examples=["Peace Palace"])
    city: str | None = Field(default=None, description="City most reports give.", examples=["Phnom Penh"])
    country: str | None = Field(
        default=None, pattern=r"^[A-Z]{3}$", description="ISO 3166-1 alpha-3 code of the place.", examples=["KHM"]
    )
    participants: list[CanonicalParticipant] = Field(
        description="Principals named by any report, most mentioned first."
    )
    topics: list[TopicCount] = Field(default_factory=list, description="Topics given by any report, most given first.")
    sources: list[Source] = Field(description="One per report, earliest published first.")
    event_ids: list[str] = Field(description="The meeting events linked to this meeting, sorted.")
    article_ids: list[str] = Field(description="The articles reporting this meeting, sorted.")
    first_reported_at: dt.datetime | dt.date | None = Field(
        default=None, description="Earliest publication stamp among the sources."
    )
    aliases: list[str] = Field(
        default_factory=list, description="Ids of meetings found later to be this one; they resolve to `meeting_id`."
    )
    created_at: dt.datetime | None = Field(default=None, description="When the meeting was first published.")
    updated_at: dt.datetime | None = Field(default=None, description="When the meeting last changed.")
    reports: list[Report] = Field(description="What each report said, by `event_id`; the merged fields derive from it.")


class CanonicalChange(BaseModel):
    """A canonical meeting created or changed, as published on ``meetings.canonical``."""

    schema_version: Literal[1] = Field(default=SCHEMA_VERSION, description="Version of this message schema.")
    change: Literal["created", "updated", "merged"] = Field(
        description="created: a new meeting; updated: a report added; merged: other meetings absorbed into this one."
    )
    meeting: CanonicalMeeting = Field(description="The meeting as it now stands.")
    merged_ids: list[str] = Field(
        default_factory=list, description="Ids absorbed into `meeting` by this change; they are now its aliases."
    )
