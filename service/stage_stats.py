"""Per-stage counters and figures that workers keep in Redis, as ``meetwire status`` shows them."""

from collections.abc import Sequence
from time import time
from typing import Any

import orjson
from redis.asyncio import Redis

from schemas.streams import ShardStreams
from service.streams_status import text_of

COUNTERS_KEY = "meetwire:counters"
"""Hash of "<stream>|<group>|<processed, failed or dead_lettered>" -> running total (one per shard)."""
SNAPSHOTS_KEY = "meetwire:stage-stats"
"""Hash of "<stream>|<group>|<consumer>" -> the consumer's last `pipeline.stats` figures as JSON (one per shard)."""
COUNTERS = ("processed", "failed", "dead_lettered")


async def stage_status(
    redis: Redis, shards: Sequence[ShardStreams], *, fresh_s: float = 90.0
) -> dict[str, dict[str, Any]]:
    """Per "<stream>:<group>": totals since the streams began, and the rate and latency figures of the
    consumers that reported within ``fresh_s`` seconds (rates summed, percentiles the worst consumer's).
    """
    out: dict[str, dict[str, Any]] = {}
    now = time()
    for streams in shards:
        counters: Any = await redis.hgetall(streams.key(COUNTERS_KEY))
        for field, value in counters.items():
            stream, group, counter = text_of(field).rsplit("|", 2)
            _row(out, stream, group)[counter] += int(value)
        snapshots: Any = await redis.hgetall(streams.key(SNAPSHOTS_KEY))
        for field, value in snapshots.items():
            stream, group, _consumer = text_of(field).split("|", 2)
            figures = orjson.loads(value)
            if now - float(figures.get("at", 0)) > fresh_s:
                continue
            row = _row(out, stream, group)
            row["consumers"] += 1
            row["rate"] = round(row["rate"] + float(figures.get("rate") or 0), 2)
            for name in ("p50_ms", "p95_ms", "p99_ms"):
                if figures.get(name) is not None:
                    row[name] = max(row[name] or 0.0, float(figures[name]))
    return dict(sorted(out.items()))


def _row(out: dict[str, dict[str, Any]], stream: str, group: str) -> dict[str, Any]:
    return out.setdefault(
        f"{stream}:{group}",
        {
            "stream": stream,
            "group": group,
            **dict.fromkeys(COUNTERS, 0),
            "consumers": 0,
            "rate": 0.0,
            "p50_ms": None,
            "p95_ms": None,
            "p99_ms": None,
        },
    )
