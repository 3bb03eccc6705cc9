"""Configuration from ``MEETWIRE_*`` environment variables."""

from enum import StrEnum
from pathlib import Path

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from schemas.streams import ShardStreams, shard_streams


class Stage(StrEnum):
    """A pipeline stage a worker process can run."""

    NORMALIZE = "normalize"
    ENRICH = "enrich"
    SINK = "sink"
    MERGE = "merge"
    ALL = "all"


class Settings(BaseSettings):
    """Every setting of meetwire; each field reads ``MEETWIRE_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="MEETWIRE_", env_nested_delimiter="__", extra="ignore")

    redis_url: str | None = Field(
        default=None,
        description=(
            "Redis server to use (redis://, rediss://, unix://). Unset: meetwire starts its embedded "
            "server with its data under `data_dir`."
        ),
    )
    data_dir: Path = Field(
        default=Path(".meetwire"),
        description="Folder of the embedded Redis server's data and of the default SQLite database.",
    )
    database_url: str | None = Field(
        default=None,
        description=(
            "Sink database: sqlite:///relative.db, sqlite:////absolute.db or postgresql://user:pass@host/db. "
            "Unset: SQLite at `<data_dir>/meetwire.db`."
        ),
    )
    auto_migrate: bool = Field(
        default=True,
        description="Bring the database schema up to date at startup; false for operators who migrate separately.",
    )
    canonical_meetings: bool = Field(
        default=True, description="Merge reports of one meeting into canonical meetings (`meetings.canonical`)."
    )
    merge_threshold: float = Field(
        default=0.7,
        ge=0.0,
        le=1.0,
        description="Score from which a report joins an existing canonical meeting (see the README).",
    )
    http_port: int | None = Field(
        default=None,
        ge=0,
        le=65535,
        description="Port of the health (/health/live, /health/ready) and Prometheus (/metrics) endpoint; unset: none.",
    )
    http_host: str = Field(default="0.0.0.0", description="Address the health and metrics endpoint listens on.")  # noqa: S104
    timezone: str = Field(default="Asia/Phnom_Penh", description="Time zone in which meeting dates are resolved.")
    log_level: str = Field(default="INFO", description="Lowest log level written.")
    log_json: bool | None = Field(
        default=None,
        description="JSON log lines (true) or readable lines (false); unset: JSON unless on a terminal.",
    )
    consumer_name: str | None = Field(
        default=None,
        description="Consumer name prefix in the consumer groups; unset: host name and process id.",
    )
    shards: int = Field(
        default=1,
        ge=1,
        le=1024,
        description=(
            "Number of shards: 1 keeps the single `articles.raw`; N > 1 splits every stream into N "
            "(`articles.raw.{0}` ... `articles.raw.{N-1}`), an article going to shard crc32(id) mod N."
        ),
    )
    shard: int | None = Field(
        default=None,
        ge=0,
        description="The one shard this process works on (its worker set); unset: every shard.",
    )
    batch_size: int = Field(default=100, ge=1, le=10_000, description="Most entries a stage reads at once.")
    block_ms: int = Field(default=100, ge=1, description="How long a stage waits for new entries per read (ms).")
    claim_idle_ms: int = Field(
        default=30_000,
        ge=100,
        description="Pending entries idle this long (ms) are claimed by a live consumer.",
    )
    max_deliveries: int = Field(
        default=5, ge=1, description="An entry delivered more often than this is dead-lettered."
    )
    max_body_bytes: int = Field(default=1_000_000, ge=1, description="Raw bodies larger than this are dead-lettered.")
    events_max_age_s: int | None = Field(
        default=None,
        ge=1,
        description="Entries of `meetings.events` older than this (s), acknowledged by every group, are trimmed.",
    )
    trim_interval_s: float = Field(default=5.0, gt=0, description="How often stages trim acknowledged entries (s).")
    stats_interval_s: float = Field(default=30.0, gt=0, description="How often each stage logs `pipeline.stats` (s).")
    shutdown_timeout_s: float = Field(
        default=15.0, gt=0, description="After SIGTERM, how long in-flight batches get to finish (s)."
    )
    events_maxlen: int = Field(
        default=1_000_000,
        ge=1,
        description="Approximate number of entries `meetings.events` retains.",
    )

    @field_validator("log_level")
    @classmethod
    def _upper(cls, value: str) -> str:
        level = value.upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            msg = f"unknown log level {value!r}: use DEBUG, INFO, WARNING, ERROR or CRITICAL"
            raise ValueError(msg)
        return level

    @model_validator(mode="after")
    def _shard_in_range(self) -> "Settings":
        if self.shard is not None and self.shard >= self.shards:
            msg = f"MEETWIRE_SHARD={self.shard} is not a shard of {self.shards}: use 0 to {self.shards - 1}"
            raise ValueError(msg)
        return self

    def served_streams(self) -> tuple[ShardStreams, ...]:
        """The streams of the shards this process works on."""
        every = shard_streams(self.shards)
        return every if self.shard is None else (every[self.shard],)

    def all_streams(self) -> tuple[ShardStreams, ...]:
        """The streams of every shard."""
        return shard_streams(self.shards)

    def sqlalchemy_url(self) -> str:
        """The sink database URL, defaulting to SQLite inside `data_dir`."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'meetwire.db').resolve()}"
