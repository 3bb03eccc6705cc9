"""Raw and normalized articles: what feeds push and what the normalize stage emits."""

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

SCHEMA_VERSION: Literal[1] = 1


class RawArticle(BaseModel):
    """A news article as an upstream feed pushes it onto ``articles.raw``."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=False)

    id: str = Field(
        min_length=1,
        max_length=512,
        description="The feed's own id for the article, stable across re-sends.",
        examples=["fn-2024-06-04-austin"],
    )
    source: str = Field(
        default="unknown",
        max_length=512,
        description="Outlet name.",
        examples=["Fresh News", "AKP", "Khmer Times"],
    )
    url: str | None = Field(
        default=None,
        max_length=4096,
        description="Where the article lives.",
        examples=["https://en.freshnewsasia.com/index.php/en/localnews/1234.html"],
    )
    published_at: datetime | date | None = Field(
        default=None,
        description=(
            "The feed's publication stamp (ISO 8601 date or datetime); where the year of a date "
            "written without one comes from."
        ),
        examples=["2024-06-04", "2024-06-04T09:30:00+07:00"],
    )
    title: str | None = Field(
        default=None,
        max_length=4096,
        description="Headline.",
        examples=["US Defence Secretary pays courtesy call on Cambodian Prime Minister"],
    )
    body: str = Field(
        min_length=1,
        description=(
            "The article text as the feed sends it: dateline, trailer, odd whitespace and curly quotes included."
        ),
        examples=["Phnom Penh (FN), Jun. 4 – Lloyd Austin, Secretary of Defence ... =FRESH NEWS"],
    )

    @field_validator("id", "body")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            msg = "must not be empty or only whitespace"
            raise ValueError(msg)
        return value


class Dateline(BaseModel):
    """The dateline that opens an article: where and when it was filed."""

    city: str | None = Field(default=None, description="City the story was filed from.", examples=["Phnom Penh"])
    agency: str | None = Field(default=None, description="Agency code in the dateline.", examples=["FN", "AKP"])
    year: int | None = Field(default=None, description="Year, when the dateline writes one.", examples=[2019])
    month: int | None = Field(default=None, ge=1, le=12, description="Month of the dateline.", examples=[6])
    day: int | None = Field(default=None, ge=1, le=31, description="Day of the dateline.", examples=[4])
    end: int = Field(
        default=0,
        ge=0,
        description="Offset in `text` where the story proper starts.",
        examples=[27],
    )


class NormalizedArticle(BaseModel):
    """A raw article cleaned for extraction, as the normalize stage writes it to ``articles.normalized``."""

    schema_version: Literal[1] = Field(default=SCHEMA_VERSION, description="Version of this message schema.")
    id: str = Field(description="The raw article's `id`.", examples=["seed-0001"])
    source: str = Field(description="Outlet name.", examples=["Fresh News"])
    url: str | None = Field(default=None, description="Where the article lives.")
    published_at: datetime | date | None = Field(default=None, description="The feed's publication stamp.")
    title: str | None = Field(default=None, description="Headline, cleaned.")
    text: str = Field(
        description=(
            "Clean body: HTML stripped, unicode normalized (NFC, straight quotes), whitespace "
            "folded, trailer removed; evidence spans index into it."
        )
    )
    dateline: Dateline = Field(default_factory=Dateline, description="The parsed dateline.")
    language: str = Field(description="ISO 639-1 language guess of the text.", examples=["en"])
    content_hash: str = Field(
        description="SHA-256 of source, title and clean text: equal for exact re-sends.",
        examples=["9f2c..."],
    )
    received_at: datetime = Field(
        description="When meetwire first received the article (UTC); fixes the year of undated text on re-runs."
    )
