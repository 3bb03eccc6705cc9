"""Stream upkeep: recreate lost groups, trim what every group acknowledged, drop idle consumers."""

from typing import Any

from redis.asyncio import Redis
from redis.exceptions import ResponseError


def _text(value: object) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def id_order(entry_id: str) -> tuple[int, int]:
    """A stream entry id as (milliseconds, sequence), which sorts as Redis orders entries."""
    millis, _, seq = entry_id.partition("-")
    return int(millis), int(seq or 0)


async def safe_trim_id(redis: Redis, stream: str) -> str | None:
    """The lowest id that some group still needs (pending or not yet delivered), or None if unknown.

    Entries below it have been acknowledged by every group of ``stream``.
    """
    groups: Any = await redis.xinfo_groups(stream)
    if not groups:
        return None
    floor: tuple[int, int] | None = None
    for group in groups:
        name = _text(group["name"])
        last = id_order(_text(group["last-delivered-id"]))
        candidate = (last[0], last[1] + 1)
        if int(group["pending"]):
            summary: Any = await redis.xpending(stream, name)
            lowest = summary.get("min")
            if lowest is not None:
                candidate = min(candidate, id_order(_text(lowest)))
        floor = candidate if floor is None else min(floor, candidate)
    assert floor is not None
    return f"{floor[0]}-{floor[1]}"


async def trim_acknowledged(redis: Redis, stream: str, *, min_id: str | None = None) -> int:
    """Delete the entries of ``stream`` that every group acknowledged (and below ``min_id``, if given).

    Never deletes an entry some group has not acknowledged. Returns how many were deleted.
    """
    floor = await safe_trim_id(redis, stream)
    if floor is None:
        return 0
    if min_id is not None:
        floor = min(floor, min_id, key=id_order)
    try:
        trimmed: int = await redis.xtrim(stream, minid=floor, approximate=False)
    except ResponseError:
        return 0
    return trimmed


async def remove_idle_consumers(redis: Redis, stream: str, group: str, *, idle_ms: int, keep: str) -> list[str]:
    """Delete consumers of ``group`` that hold no pending entry and were idle longer than ``idle_ms``."""
    removed = []
    consumers: Any = await redis.xinfo_consumers(stream, group)
    for consumer in consumers:
        name = _text(consumer["name"])
        if name == keep or int(consumer["pending"]) or int(consumer["idle"]) < idle_ms:
            continue
        await redis.xgroup_delconsumer(stream, group, name)
        removed.append(name)
    return removed
