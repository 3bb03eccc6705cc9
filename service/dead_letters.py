"""Reading the dead-letter stream."""

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
