"""Stream lengths, pending entries and lag per consumer group, as ``meetwire status`` shows them."""

from typing import Any

from redis.asyncio import Redis

from schemas.streams import CANONICAL, DEAD, ENRICHED, EVENTS, NORMALIZED, RAW

STREAMS = (RAW, NORMALIZED, ENRICHED, EVENTS, DEAD, CANONICAL)
LAG_COUNT_LIMIT = 1_000_000


def text_of(value: Any) -> str:
    """A Redis reply value as text."""
    return value.decode() if isinstance(value, bytes) else str(value)


async def _lag_by_range(redis: Redis, stream: str, last_id: str) -> int:
    """Entries after ``last_id``, counted page by page (for servers whose XINFO has no lag)."""
    count, start = 0, f"({last_id}"
    while count < LAG_COUNT_LIMIT:
        page = await redis.xrange(stream, min=start, max="+", count=1000)
        if not page:
            break
        count += len(page)
        start = f"({text_of(page[-1][0])}"
    return count


async def stream_status(redis: Redis, streams: tuple[str, ...] = STREAMS) -> dict[str, Any]:
    """Per stream: length, pending and lag summed over its groups, and the same per group."""
    out: dict[str, Any] = {}
    for stream in streams:
        if not await redis.exists(stream):
            out[stream] = {"length": 0, "pending": 0, "lag": 0, "groups": {}}
            continue
        length = await redis.xlen(stream)
        groups: dict[str, dict[str, int]] = {}
        for info in await redis.xinfo_groups(stream):
            name = text_of(info["name"])
            lag = info.get("lag")
            if lag is None:
                lag = await _lag_by_range(redis, stream, text_of(info["last-delivered-id"]))
            groups[name] = {
                "pending": int(info["pending"]),
                "lag": int(lag),
                "consumers": int(info["consumers"]),
            }
        out[stream] = {
            "length": int(length),
            "pending": sum(g["pending"] for g in groups.values()),
            "lag": sum(g["lag"] for g in groups.values()),
            "groups": groups,
        }
    return out
