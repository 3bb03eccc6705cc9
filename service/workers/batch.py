"""What a stage makes of a batch of stream entries, independent of how they were read."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel

from schemas import DeadLetter
from schemas.streams import DEAD
from service import wire


@dataclass(frozen=True, slots=True)
class Entry:
    """One stream entry: its Redis id and raw fields."""

    id: str
    fields: Mapping[bytes, bytes]
    deliveries: int = 1

    @property
    def received_at(self) -> datetime:
        """When Redis accepted the entry, from the millisecond part of its id."""
        millis = int(self.id.split("-", 1)[0])
        return datetime.fromtimestamp(millis / 1000, tz=UTC)


@dataclass(frozen=True, slots=True)
class Output:
    """A message to append to a stream."""

    stream: str
    payload: bytes
    maxlen: int | None = None


@dataclass(slots=True)
class Record:
    """What happened to one entry, for the canonical log line."""

    entry_id: str
    outcome: str
    article_id: str | None = None
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class BatchResult:
    """The outputs of a batch and which entries it settles (dead letters go to ``dead_stream``).

    Each entry in ``done`` is acknowledged together with its outputs, and its outputs are written
    only if this acknowledgement is the one that settles it; other entries stay pending for redelivery.
    """

    dead_stream: str = DEAD
    outputs: dict[str, list[Output]] = field(default_factory=dict)
    done: list[str] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)
    hash_updates: dict[str, dict[str, str]] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    dead_lettered: set[str] = field(default_factory=set)

    def emit(self, entry: Entry, stream: str, message: BaseModel, maxlen: int | None = None) -> None:
        """Queue ``message`` for ``stream`` as an output of ``entry``."""
        self.outputs.setdefault(entry.id, []).append(Output(stream, wire.encode(message), maxlen))

    def settle(self, entry: Entry, outcome: str, article_id: str | None = None, **details: Any) -> None:
        """Mark ``entry`` as finished with ``outcome``."""
        self.done.append(entry.id)
        self.records.append(Record(entry.id, outcome, article_id, details))

    def leave_pending(self, entry: Entry, error: BaseException, article_id: str | None = None) -> None:
        """Keep ``entry`` pending so that it is delivered again."""
        reason = f"{type(error).__name__}: {error}"
        self.errors[entry.id] = reason
        self.records.append(Record(entry.id, "failed", article_id, {"error": reason}))

    def dead_letter(self, entry: Entry, *, stage: str, stream: str, reason: str, article_id: str | None = None) -> None:
        """Send ``entry`` to the dead-letter stream with ``reason`` and settle it."""
        letter = DeadLetter(
            stage=stage,
            stream=stream,
            entry_id=entry.id,
            article_id=article_id,
            reason=reason,
            fields=wire.readable_fields(entry.fields),
            truncated=wire.is_truncated(entry.fields),
            deliveries=entry.deliveries,
            failed_at=datetime.now(UTC),
        )
        self.emit(entry, self.dead_stream, letter)
        self.dead_lettered.add(entry.id)
        self.settle(entry, "dead_lettered", article_id, reason=reason)


def article_id_of(fields: Mapping[bytes, bytes]) -> str | None:
    """The article id of a raw entry when one can be read cheaply, for logs and dead letters."""
    raw = fields.get(b"id")
    if raw is not None:
        return raw[:512].decode(errors="replace")
    return None
