"""Two shards, each with its own worker process, on one Redis and one SQLite sink."""

import asyncio
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import orjson
from redis.asyncio import Redis

from schemas.streams import shard_of, shard_streams
from service.feed import publish
from service.settings import Settings
from service.streams_status import stream_status
from tests.integration.helpers import burst, counts, expected_event_ids, stored_event_ids, stream_messages, wait_for
from tests.integration.workers import Worker

SHARDS = 2
ARTICLES = 160


def _status(settings: Settings) -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MEETWIRE_")}
    env |= {
        "MEETWIRE_REDIS_URL": str(settings.redis_url),
        "MEETWIRE_DATABASE_URL": settings.sqlalchemy_url(),
        "MEETWIRE_SHARDS": str(SHARDS),
    }
    done = subprocess.run(
        [sys.executable, "-m", "service.cli", "status", "--json"], env=env, capture_output=True, check=True, timeout=60
    )
    status: dict[str, Any] = orjson.loads(done.stdout)
    return status


async def test_two_shards_each_with_its_own_worker_store_every_article_once(settings: Settings, tmp_path: Path) -> None:
    shards = shard_streams(SHARDS)
    articles = burst(ARTICLES)
    async with Redis.from_url(str(settings.redis_url)) as redis:
        assert await publish(redis, articles, shards=SHARDS) == ARTICLES
        per_shard = {s.raw: len(await stream_messages(redis, s.raw)) for s in shards}
        assert sum(per_shard.values()) == ARTICLES
        assert min(per_shard.values()) > ARTICLES // 4, per_shard
        assert await redis.exists("articles.raw") == 0
        for streams in shards:
            assert {shard_of(m["id"], SHARDS) for m in await stream_messages(redis, streams.raw)} == {streams.shard}

        workers = [
            Worker(
                settings,
                tmp_path / f"shard{s}.log",
                extra_env={"MEETWIRE_SHARDS": str(SHARDS), "MEETWIRE_SHARD": str(s)},
            )
            for s in range(SHARDS)
        ]
        try:

            async def finished() -> bool:
                if (await counts(settings))["articles"] < ARTICLES:
                    return False
                status = await stream_status(redis, tuple(name for s in shards for name in s.all[:4]))
                return all(s["pending"] == 0 and s["lag"] == 0 for s in status.values())

            await wait_for(finished, within=180, what=f"{ARTICLES} articles through two shards")

            stored = await stored_event_ids(settings)
            assert Counter(stored) == Counter(expected_event_ids(articles))
            for streams in shards:
                events = await stream_messages(redis, streams.events)
                assert events, f"shard {streams.shard} produced no events"
                assert {shard_of(e["article_id"], SHARDS) for e in events} == {streams.shard}

            status = await asyncio.to_thread(_status, settings)
            normalized = [status["stages"][f"{s.raw}:normalize"]["processed"] for s in shards]
            assert normalized == [per_shard[s.raw] for s in shards]
            assert sum(status["stages"][f"{s.enriched}:sink"]["processed"] for s in shards) == ARTICLES
            assert set(status["streams"]) >= {name for s in shards for name in s.all}
        finally:
            codes = [worker.terminate() for worker in workers]
            for worker in workers:
                worker.close()
        assert codes == [0] * SHARDS
