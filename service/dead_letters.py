"""Reading, replaying and purging the dead-letter streams (``articles.dead``, one per shard)."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from redis.asyncio import Redis

from schemas.streams import DATA_FIELD, DEAD
from service.workers.maintenance import id_order


@dataclass(frozen=True, slots=True)
class DeadLetterEntry:
    """One dead letter: its entry id, the dead-letter stream holding it, and the letter as a JSON object."""

    id: str
    letter: dict[str, Any]
    dead_stream: str = DEAD

    def as_json(self) -> dict[str, Any]:
        """The letter with its stream entry id and dead-letter stream."""
        return {"id": self.id, "dead_stream": self.dead_stream, **self.letter}


def _text(value: bytes | str) -> str:
    return value.decode(errors="replace") if isinstance(value, bytes) else value


async def read_dead_letters(
    redis: Redis, *, count: int | None = None, streams: Sequence[str] = (DEAD,)
) -> list[DeadLetterEntry]:
    """The dead letters of ``streams``, oldest first (at most ``count`` of each stream)."""
    out = []
    for stream in streams:
        out += await _read(redis, stream, count)
    return sorted(out, key=lambda item: id_order(item.id))


async def _read(redis: Redis, stream: str, count: int | None) -> list[DeadLetterEntry]:
    entries: Any = await redis.xrange(stream, count=count)
    out = []
    for entry_id, fields in entries:
        data = fields.get(DATA_FIELD.encode())
        try:
            letter = orjson.loads(data) if data is not None else None
        except orjson.JSONDecodeError:
            letter = None
        if not isinstance(letter, dict):
            letter = {
                "reason": "unreadable dead letter",
                "fields": {_text(k): _text(v) for k, v in fields.items()},
            }
        out.append(DeadLetterEntry(_text(entry_id), letter, stream))
    return out


@dataclass(frozen=True, slots=True)
class ReplayReport:
    """What a replay did."""

    replayed: list[str]
    skipped: dict[str, str]


async def _select(redis: Redis, ids: Sequence[str] | None, streams: Sequence[str]) -> list[DeadLetterEntry]:
    letters = await read_dead_letters(redis, streams=streams)
    if ids is None:
        return letters
    wanted = set(ids)
    return [letter for letter in letters if letter.id in wanted]


async def replay(redis: Redis, ids: Sequence[str] | None = None, *, streams: Sequence[str] = (DEAD,)) -> ReplayReport:
    """Put dead letters back on the stream they failed on (all of them when ``ids`` is None).

    Each letter is re-added and removed from its dead-letter stream in one transaction.
    """
    replayed: list[str] = []
    skipped: dict[str, str] = {}
    for item in await _select(redis, ids, streams):
        letter = item.letter
        stream, fields = letter.get("stream"), letter.get("fields")
        if letter.get("truncated"):
            skipped[item.id] = "its fields were cut when it was dead-lettered; fix the feed and send it again"
            continue
        if not isinstance(stream, str) or not isinstance(fields, dict) or not fields:
            skipped[item.id] = "the letter does not say which stream and fields to replay"
            continue
        async with redis.pipeline(transaction=True) as pipe:
            pipe.xadd(stream, {str(k): str(v) for k, v in fields.items()})
            pipe.xdel(item.dead_stream, item.id)
            await pipe.execute()
        replayed.append(item.id)
    if ids is not None:
        for missing in set(ids) - set(replayed) - set(skipped):
            skipped[missing] = "no such dead letter"
    return ReplayReport(replayed, skipped)


async def purge(redis: Redis, ids: Sequence[str] | None = None, *, streams: Sequence[str] = (DEAD,)) -> int:
    """Delete dead letters (all of them when ``ids`` is None); return how many were deleted."""
    deleted = 0
    for stream in streams:
        if ids is None:
            deleted += await redis.xlen(stream)
            await redis.delete(stream)
        elif ids:
            deleted += await redis.xdel(stream, *ids)
    return deleted
