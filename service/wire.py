"""The wire format: every entry meetwire writes is one JSON object in the ``__data__`` field.

Feeds may also write an article as plain stream fields (``XADD articles.raw * id 1 body ...``);
:func:`decode_entry` accepts both.
"""

from collections.abc import Mapping, Sequence
from typing import Any

import orjson
from faststream.redis.parser.message import MessageFormat
from pydantic import BaseModel

from schemas.streams import DATA_FIELD

DATA_KEY = DATA_FIELD.encode()


class PoisonEntry(ValueError):
    """An entry that can never be processed; the message says why."""


def encode(message: BaseModel) -> bytes:
    """Serialize a message for the ``__data__`` field."""
    return message.model_dump_json().encode()


def decode_entry(fields: Mapping[bytes, bytes], *, max_bytes: int) -> dict[str, Any]:
    """Turn a stream entry's fields into the message object it holds.

    Raises :class:`PoisonEntry` for entries that are not a JSON object, not UTF-8, or too large.
    """
    size = sum(len(k) + len(v) for k, v in fields.items())
    if size > max_bytes:
        msg = f"entry of {size:,} bytes is larger than the limit of {max_bytes:,} bytes (MEETWIRE_MAX_BODY_BYTES)"
        raise PoisonEntry(msg)
    if DATA_KEY in fields:
        try:
            data = orjson.loads(fields[DATA_KEY])
        except orjson.JSONDecodeError as exc:
            msg = f"field {DATA_FIELD} is not valid JSON: {exc}"
            raise PoisonEntry(msg) from None
        if not isinstance(data, dict):
            msg = f"field {DATA_FIELD} holds a JSON {type(data).__name__}, not an object"
            raise PoisonEntry(msg)
        return data
    if not fields:
        msg = "entry has no fields"
        raise PoisonEntry(msg)
    decoded: dict[str, Any] = {}
    for key, value in fields.items():
        try:
            decoded[key.decode()] = value.decode()
        except UnicodeDecodeError:
            name = key.decode(errors="replace")
            msg = f"field {name!r} is not valid UTF-8"
            raise PoisonEntry(msg) from None
    return decoded


def is_truncated(fields: Mapping[bytes, bytes], *, limit: int = 65_536) -> bool:
    """Whether :func:`readable_fields` cuts any value of ``fields``."""
    return any(len(value) > limit for value in fields.values())


def readable_fields(fields: Mapping[bytes, bytes], *, limit: int = 65_536) -> dict[str, str]:
    """The entry's fields as text for a dead letter: invalid UTF-8 replaced, huge values cut."""
    out: dict[str, str] = {}
    for key, value in fields.items():
        text = value[:limit].decode(errors="replace")
        if len(value) > limit:
            text += f"… [{len(value) - limit:,} more bytes cut]"
        out[key.decode(errors="replace")] = text
    return out


class JsonMessageFormat(MessageFormat):
    """FastStream message format that writes and reads plain JSON in ``__data__``.

    Any Redis client reads such an entry with one JSON decode; FastStream headers are not kept.
    """

    __slots__ = ()

    @classmethod
    async def encode(
        cls,
        *,
        message: Sequence[Any] | Any,
        reply_to: str | None,
        headers: dict[str, Any] | None,
        correlation_id: str,
        serializer: Any = None,
        codec: Any = None,
    ) -> bytes:
        """Serialize ``message`` as JSON (pydantic models through their own serializer)."""
        del reply_to, headers, correlation_id, serializer, codec
        if isinstance(message, BaseModel):
            return encode(message)
        if isinstance(message, bytes):
            return message
        if isinstance(message, str):
            return message.encode()
        return orjson.dumps(message, default=_default)

    @classmethod
    def parse(cls, data: bytes) -> tuple[bytes, dict[str, Any]]:
        """Return the JSON payload unchanged, with no headers."""
        return data, {}


def _default(obj: Any) -> Any:
    if isinstance(obj, BaseModel):
        return obj.model_dump(mode="json")
    msg = f"cannot serialize {type(obj).__name__} as JSON"
    raise TypeError(msg)
