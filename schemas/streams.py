"""Stream, consumer-group and field names shared by feeds, workers and subscribers."""

import zlib
from dataclasses import dataclass
from typing import Final

RAW: Final = "articles.raw"
"""Raw articles from upstream feeds and ``meetwire publish``."""
NORMALIZED: Final = "articles.normalized"
"""Normalized articles, written by the normalize stage."""
ENRICHED: Final = "articles.enriched"
"""Internal: one outcome per article (its normalized text and its events), written by enrich for the sink."""
EVENTS: Final = "meetings.events"
"""Meeting events, written by enrich; read by the merge step and downstream subscribers."""
DEAD: Final = "articles.dead"
"""Dead letters: what a stage could not process, with the reason."""
CANONICAL: Final = "meetings.canonical"
"""Canonical meetings (merged across reports), for downstream subscribers."""

GROUP_NORMALIZE: Final = "normalize"
GROUP_ENRICH: Final = "enrich"
GROUP_SINK: Final = "sink"
GROUP_MERGE: Final = "merge"

DATA_FIELD: Final = "__data__"
"""The one stream-entry field that holds a message as a JSON object."""

PIPELINE: Final[tuple[tuple[str, str], ...]] = (
    (RAW, GROUP_NORMALIZE),
    (NORMALIZED, GROUP_ENRICH),
    (ENRICHED, GROUP_SINK),
    (EVENTS, GROUP_MERGE),
)
"""Every (stream, group) pair the pipeline reads, in pipeline order."""


def shard_of(article_id: str, shards: int) -> int:
    """The shard an article belongs to: CRC-32 of its id (UTF-8) modulo the number of shards.

    Any language computes the same (zlib's ``crc32``, Java's ``CRC32``, Go's ``hash/crc32``
    IEEE table), so feeds can route articles themselves.
    """
    if shards < 1:
        msg = f"the number of shards must be at least 1, not {shards}"
        raise ValueError(msg)
    return zlib.crc32(article_id.encode()) % shards


def sharded(name: str, shard: int | None) -> str:
    """``name`` in ``shard``: unchanged without sharding, else suffixed with the shard as a Redis hash tag.

    ``articles.raw`` in shard 1 is ``articles.raw.{1}``: every key of a shard shares the hash tag
    ``{1}``, so on a Redis Cluster a shard's streams live in one slot, as the atomic
    acknowledge-and-publish script needs.
    """
    return name if shard is None else f"{name}.{{{shard}}}"


@dataclass(frozen=True, slots=True)
class ShardStreams:
    """The stream and key names of one shard (``shard`` None: the unsharded default names)."""

    shard: int | None = None

    @property
    def raw(self) -> str:
        """Raw articles of this shard."""
        return sharded(RAW, self.shard)

    @property
    def normalized(self) -> str:
        """Normalized articles of this shard."""
        return sharded(NORMALIZED, self.shard)

    @property
    def enriched(self) -> str:
        """Article outcomes of this shard, for the sink."""
        return sharded(ENRICHED, self.shard)

    @property
    def events(self) -> str:
        """Meeting events of this shard."""
        return sharded(EVENTS, self.shard)

    @property
    def dead(self) -> str:
        """Dead letters of this shard."""
        return sharded(DEAD, self.shard)

    @property
    def canonical(self) -> str:
        """Canonical-meeting changes published by this shard's merge step."""
        return sharded(CANONICAL, self.shard)

    @property
    def pipeline(self) -> tuple[tuple[str, str], ...]:
        """Every (stream, group) pair the pipeline reads in this shard, in pipeline order."""
        return tuple((sharded(stream, self.shard), group) for stream, group in PIPELINE)

    def key(self, name: str) -> str:
        """A Redis key of this shard's workers (``meetwire:seen`` -> ``meetwire:seen.{1}``)."""
        return sharded(name, self.shard)

    @property
    def all(self) -> tuple[str, ...]:
        """Every stream of this shard, in pipeline order."""
        return (self.raw, self.normalized, self.enriched, self.events, self.dead, self.canonical)


def shard_streams(shards: int) -> tuple[ShardStreams, ...]:
    """The streams of every shard: one unsharded set when ``shards`` is 1."""
    if shards < 1:
        msg = f"the number of shards must be at least 1, not {shards}"
        raise ValueError(msg)
    if shards == 1:
        return (ShardStreams(),)
    return tuple(ShardStreams(s) for s in range(shards))


def streams_of(article_id: str, shards: int) -> ShardStreams:
    """The streams of the shard an article belongs to."""
    return ShardStreams() if shards == 1 else ShardStreams(shard_of(article_id, shards))


def raw_stream_of(article_id: str, shards: int) -> str:
    """The raw stream a feed appends an article to."""
    return streams_of(article_id, shards).raw
