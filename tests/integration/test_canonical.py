"""Canonical meetings through the running pipeline: reports of one meeting merge, replays change nothing."""

import random
from typing import Any

import pytest
from redis.asyncio import Redis

from schemas.streams import CANONICAL
from service.connections import open_store
from service.feed import publish
from service.settings import Settings
from service.store.canonical import CanonicalStore
from tests.integration.helpers import corpus, raw, settled, stream_messages, wait_for
from tests.unit.canonical.evaluation import load, pairwise

pytestmark = pytest.mark.integration


async def meeting_ids_by_article(settings: Settings) -> dict[str, set[str]]:
    """Which canonical meetings each article's events ended in, as ``meetwire meetings --json`` lists them."""
    async with open_store(settings) as store:
        meetings = await CanonicalStore(store.engine, threshold=settings.merge_threshold).meetings()
    out: dict[str, set[str]] = {}
    for meeting in meetings:
        for article_id in meeting.article_ids:
            out.setdefault(article_id, set()).add(meeting.meeting_id)
    return out


@pytest.mark.parametrize("seed", [1, 2])
async def test_dedup_set_pushed_in_random_order_merges_reports(start_pipeline: Any, redis_url: str, seed: int) -> None:
    rows = corpus("dedup-dev.jsonl")
    random.Random(seed).shuffle(rows)
    pipeline = await start_pipeline()
    redis = Redis.from_url(redis_url)
    await publish(redis, [raw(r) for r in rows])
    await wait_for(lambda: settled(redis, pipeline.settings, len(rows)), within=60, what="the dedup set")

    predicted = await meeting_ids_by_article(pipeline.settings)
    labelled = load("dedup-dev.jsonl")
    scores = pairwise(labelled, {a.article_id: predicted.get(a.article_id, set()) for a in labelled})
    assert scores.f1 >= 0.9, scores
    changes = await stream_messages(redis, CANONICAL)
    assert {c["meeting"]["meeting_id"] for c in changes} >= {m for ids in predicted.values() for m in ids}

    before = predicted
    await redis.delete("meetwire:seen")
    await publish(redis, [raw(r) for r in rows])
    await wait_for(lambda: settled(redis, pipeline.settings, len(rows)), within=60, what="the replayed set")
    assert await meeting_ids_by_article(pipeline.settings) == before
    await redis.aclose()
