"""Helpers for integration tests: publishing, waiting, reading the sink."""

import asyncio
import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import orjson
from redis.asyncio import Redis

from schemas import RawArticle
from schemas.streams import DATA_FIELD, DEAD
from service.connections import open_store
from service.settings import Settings
from service.streams_status import stream_status

PIPELINE_STREAMS = ("articles.raw", "articles.normalized", "articles.enriched", "meetings.events")

DATA = Path(__file__).parent.parent / "data"


def corpus(*names: str) -> list[dict[str, Any]]:
    """Labelled articles from ``tests/data``."""
    rows = []
    for name in names:
        with (DATA / name).open(encoding="utf-8") as handle:
            rows += [json.loads(line) for line in handle if line.strip()]
    return rows


def raw(row: dict[str, Any]) -> RawArticle:
    """The raw article of a labelled row."""
    return RawArticle.model_validate(row)


async def wait_for(check: Callable[[], Awaitable[bool]], within: float = 20.0, what: str = "condition") -> None:
    """Poll ``check`` until it is true; fail with ``what`` after ``within`` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not await check():
        if loop.time() > deadline:
            msg = f"timed out after {within}s waiting for {what}"
            raise AssertionError(msg)
        await asyncio.sleep(0.05)


async def counts(settings: Settings) -> dict[str, Any]:
    """The sink's counts."""
    async with open_store(settings) as store:
        return await store.counts()


async def stream_messages(redis: Redis, stream: str) -> list[dict[str, Any]]:
    """Every message of ``stream`` decoded from its JSON field."""
    entries: Any = await redis.xrange(stream)
    return [orjson.loads(fields[DATA_FIELD.encode()]) for _, fields in entries]


async def settled(redis: Redis, settings: Settings, articles: int) -> bool:
    """True once ``articles`` articles are stored or dead-lettered and nothing is pending or unread."""
    stored = (await counts(settings))["articles"]
    dead = await redis.xlen(DEAD)
    if int(stored) + int(dead) < articles:
        return False
    status = await stream_status(redis, PIPELINE_STREAMS)
    return all(s["pending"] == 0 and s["lag"] == 0 for s in status.values())


def burst(n: int) -> list[RawArticle]:
    """``n`` distinct articles from the labelled corpora: unique ids, bodies that differ."""
    rows = corpus("seed-example.jsonl", "dev.jsonl", "dev2.jsonl")
    out = []
    for k in range(n):
        row = rows[k % len(rows)]
        out.append(
            RawArticle.model_validate(
                {**row, "id": f"{row['id']}~{k}", "body": f"{row['body']}\n\nThis report is number {k}."}
            )
        )
    return out


def expected_event_ids(articles: list[RawArticle]) -> set[str]:
    """The event ids ``meetwire extract`` gives offline for ``articles``."""
    from datetime import UTC, datetime  # noqa: PLC0415

    from service.pipeline import enrich, normalize  # noqa: PLC0415

    stamp = datetime(2026, 1, 1, tzinfo=UTC)
    return {e.event_id for a in articles for e in enrich(normalize(a, received_at=stamp))}


async def stored_event_ids(settings: Settings) -> list[str]:
    """Every event id in the sink (with repeats, if any)."""
    async with open_store(settings) as store:
        return [e.event_id for e in await store.events()]
