"""Reprocessing after an extractor upgrade: stored articles are extracted again, stale events replaced."""

from typing import Any

import pytest
from redis.asyncio import Redis
from sqlalchemy import text

from schemas.streams import EVENTS
from service.connections import open_store
from service.feed import publish
from service.pipeline import EXTRACTOR_VERSION
from service.reprocess import reprocess
from tests.integration.helpers import corpus, raw, settled, stored_event_ids, wait_for

pytestmark = pytest.mark.integration


async def event_id_column(settings: Any) -> list[str]:
    async with open_store(settings) as store, store.engine.connect() as conn:
        return sorted(row[0] for row in await conn.execute(text("SELECT event_id FROM meeting_events")))


async def test_reprocess_replaces_events_of_an_older_extractor(start_pipeline: Any, redis_url: str) -> None:
    seed = corpus("seed-example.jsonl")[0]
    pipeline = await start_pipeline()
    settings = pipeline.settings
    redis = Redis.from_url(redis_url)
    await publish(redis, [raw(seed)])
    await wait_for(lambda: settled(redis, settings, 1), what="the seed")
    async with open_store(settings) as store, store.engine.begin() as conn:
        await conn.execute(text("UPDATE articles SET extractor_version = 'old'"))
        await conn.execute(
            text(
                "UPDATE meeting_events SET extractor_version = 'old', "
                "payload = json_set(payload, '$.extractor_version', 'old')"
            )
        )
        await conn.execute(
            text(
                "INSERT INTO meeting_events (event_id, article_id, kind, confidence, extractor_version, payload) "
                "SELECT 'seed-0001#7', article_id, kind, confidence, 'old', payload FROM meeting_events"
            )
        )
    assert await event_id_column(settings) == ["seed-0001#0", "seed-0001#7"]
    events_before = await redis.xlen(EVENTS)

    async with open_store(settings) as store:
        assert await reprocess(store.engine, redis) == 1
    await wait_for(lambda: settled(redis, settings, 1), what="the reprocessed seed")

    assert await event_id_column(settings) == ["seed-0001#0"]
    assert await stored_event_ids(settings) == ["seed-0001#0"]
    async with open_store(settings) as store, store.engine.connect() as conn:
        versions = {row[0] for row in await conn.execute(text("SELECT extractor_version FROM meeting_events"))}
        article_version = (await conn.execute(text("SELECT extractor_version FROM articles"))).scalar_one()
    assert versions == {EXTRACTOR_VERSION}
    assert article_version == EXTRACTOR_VERSION
    assert await redis.xlen(EVENTS) == events_before + 1
    await redis.aclose()
