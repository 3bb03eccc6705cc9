"""Reading raw articles from JSON lines, and publishing them onto ``articles.raw`` (or its shards)."""

import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import orjson
from pydantic import ValidationError
from redis.asyncio import Redis

from schemas import RawArticle
from schemas.streams import DATA_FIELD, RAW, raw_stream_of
from service.reasons import describe


@dataclass(frozen=True, slots=True)
class BadLine:
    """A line that is not a valid raw article."""

    source: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.reason}"


def parse_line(text: str | bytes) -> RawArticle:
    """Validate one JSON line as a raw article (unknown fields such as ``gold`` are ignored)."""
    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        msg = f"not valid JSON: {exc}"
        raise ValueError(msg) from None
    if not isinstance(data, dict):
        msg = f"a JSON {type(data).__name__}, not an object"
        raise ValueError(msg)
    try:
        return RawArticle.model_validate(data)
    except ValidationError as exc:
        raise ValueError(describe(exc)) from None


def read_lines(paths: Iterable[str]) -> Iterator[tuple[str, int, bytes]]:
    """Yield (source name, line number, line) from files, ``-`` meaning standard input; blank lines skipped."""
    for name in paths:
        if name == "-":
            handle, label = sys.stdin.buffer, "<stdin>"
            yield from _numbered(handle, label)
        else:
            with Path(name).open("rb") as handle:
                yield from _numbered(handle, name)


def _numbered(handle: Iterable[bytes], label: str) -> Iterator[tuple[str, int, bytes]]:
    for number, line in enumerate(handle, start=1):
        if line.strip():
            yield label, number, line


def read_articles(paths: Iterable[str]) -> Iterator[RawArticle | BadLine]:
    """Every line of ``paths`` as a raw article, or as a :class:`BadLine` with its reason."""
    for label, number, line in read_lines(paths):
        try:
            yield parse_line(line)
        except ValueError as exc:
            yield BadLine(label, number, str(exc))


async def publish(
    redis: Redis,
    articles: Iterable[RawArticle],
    *,
    stream: str = RAW,
    shards: int = 1,
    chunk: int = 500,
    on_progress: Callable[[int], None] | None = None,
) -> int:
    """Append ``articles`` to ``stream`` in pipelined chunks; return how many were published.

    With ``shards`` > 1 each article goes to the raw stream of its shard instead (see
    `schemas.streams.shard_of`).
    """
    total = 0
    pending: list[tuple[str, bytes]] = []

    async def flush() -> None:
        nonlocal total
        async with redis.pipeline(transaction=False) as pipe:
            for target, payload in pending:
                pipe.xadd(target, {DATA_FIELD: payload})
            await pipe.execute()
        total += len(pending)
        if on_progress is not None:
            on_progress(len(pending))
        pending.clear()

    for article in articles:
        target = stream if shards == 1 else raw_stream_of(article.id, shards)
        pending.append((target, article.model_dump_json(exclude_none=False).encode()))
        if len(pending) >= chunk:
            await flush()
    if pending:
        await flush()
    return total
