"""Reading the dead-letter stream."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from redis.asyncio import Redis

from schemas.streams import DATA_FIELD, DEAD


@dataclass(frozen=True, slots=True)
class DeadLetterEntry:
    """One entry of ``articles.dead``: its id and the dead letter as a JSON object."""

    id: str
    letter: dict[str, Any]

    def as_json(self) -> dict[str, Any]:
        """The letter with its stream entry id."""
        return {"id": self.id, **self.letter}


def _text(value: bytes | str) -> str:
    return value.decode(errors="replace") if isinstance(value, bytes) else value


async def read_dead_letters(redis: Redis, *, count: int | None = None) -> list[DeadLetterEntry]:
    """The dead letters, oldest first."""
    entries: Any = await redis.xrange(DEAD, count=count)
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
        out.append(DeadLetterEntry(_text(entry_id), letter))
    return out


@dataclass(frozen=True, slots=True)
class ReplayReport:
    """What a replay did."""

    replayed: list[str]
    skipped: dict[str, str]


async def _select(redis: Redis, ids: Sequence[str] | None) -> list[DeadLetterEntry]:
    letters = await read_dead_letters(redis)
    if ids is None:
        return letters
    wanted = set(ids)
    return [letter for letter in letters if letter.id in wanted]


async def replay(redis: Redis, ids: Sequence[str] | None = None) -> ReplayReport:
    """Put dead letters back on the stream they failed on (all of them when ``ids`` is None).

    Each letter is re-added and removed from ``articles.dead`` in one transaction.
    """
    replayed: list[str] = []
    skipped: dict[str, str] = {}
    for item in await _select(redis, ids):
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
            pipe.xdel(DEAD, item.id)
            await pipe.execute()
        replayed.append(item.id)
    if ids is not None:
        for missing in set(ids) - set(replayed) - set(skipped):
            skipped[missing] = "no such dead letter"
    return ReplayReport(replayed, skipped)


async def purge(redis: Redis, ids: Sequence[str] | None = None) -> int:
    """Delete dead letters (all of them when ``ids`` is None); return how many were deleted."""
    if ids is None:
        count: int = await redis.xlen(DEAD)
        await redis.delete(DEAD)
        return count
    if not ids:
        return 0
    deleted: int = await redis.xdel(DEAD, *ids)
    return deleted
