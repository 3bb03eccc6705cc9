"""Nothing lost, nothing twice: worker crashes, Redis restarts, SIGTERM and replays mid-burst."""

import asyncio
import signal
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest
from redis.asyncio import Redis

from schemas.streams import DATA_FIELD, DEAD, EVENTS
from service.dead_letters import replay
from service.feed import publish
from service.redis_server import EmbeddedRedis
from service.settings import Settings
from tests.integration.helpers import (
    burst,
    corpus,
    counts,
    expected_event_ids,
    raw,
    settled,
    stored_event_ids,
    wait_for,
)
from tests.integration.workers import Worker
from tests.servers import DebianRedis

pytestmark = pytest.mark.integration
BURST = 3000


async def assert_exactly_once(redis: Redis, settings: Settings, articles: int, expected: set[str]) -> None:
    """Every article stored once, every event once (sink and stream), nothing pending."""
    assert (await counts(settings))["articles"] == articles
    stored = await stored_event_ids(settings)
    assert Counter(stored).most_common(1)[0][1] == 1
    assert set(stored) == expected
    entries: Any = await redis.xrange(EVENTS)
    on_stream = [orjson.loads(fields[DATA_FIELD.encode()])["event_id"] for _, fields in entries]
    assert sorted(on_stream) == sorted(expected)
    assert await settled(redis, settings, articles)


async def stored_count(settings: Settings) -> int:
    return int((await counts(settings))["articles"])


async def interrupt_mid_burst(
    settings: Settings, redis_url: str, tmp_path: Path, interrupt: Callable[[Worker], None]
) -> None:
    """Interrupt a worker mid-burst, start another, and check every article and event landed once."""
    articles = burst(BURST)
    redis = Redis.from_url(redis_url)
    first = Worker(settings, tmp_path / "w1.log")
    try:
        await publish(redis, articles)
        await wait_for(lambda: _at_least(settings, 100), within=60, what="the first 100 articles")
        assert await stored_count(settings) < BURST, "the burst ended before the interruption"
        interrupt(first)
        second = Worker(settings, tmp_path / "w2.log")
        try:
            await wait_for(lambda: settled(redis, settings, BURST), within=120, what="the burst after the restart")
        finally:
            assert second.terminate() == 0
    finally:
        first.close()
    await assert_exactly_once(redis, settings, BURST, expected_event_ids(articles))
    await redis.aclose()


async def test_sigkill_mid_burst_then_restart_loses_and_duplicates_nothing(
    settings: Settings, redis_url: str, tmp_path: Path
) -> None:
    await interrupt_mid_burst(settings, redis_url, tmp_path, Worker.kill)


def _graceful(worker: Worker) -> None:
    assert worker.terminate(timeout=30) == 0, worker.log.read_text()[-3000:]


async def test_sigterm_mid_burst_finishes_in_flight_work_and_loses_nothing(
    settings: Settings, redis_url: str, tmp_path: Path
) -> None:
    await interrupt_mid_burst(settings, redis_url, tmp_path, _graceful)


def _catches_sigterm(pid: int) -> bool:
    status = Path(f"/proc/{pid}/status").read_text(encoding="utf-8")
    caught = int(next(line.split()[1] for line in status.splitlines() if line.startswith("SigCgt:")), 16)
    return bool(caught & (1 << (signal.SIGTERM - 1)))


@pytest.mark.parametrize("after_s", [0.0, 0.5, 3.0])
def test_sigterm_at_any_moment_after_the_handler_is_set_exits_cleanly(
    settings: Settings, tmp_path: Path, after_s: float
) -> None:
    worker = Worker(settings, tmp_path / "w.log")
    try:
        deadline = time.monotonic() + 30
        while not _catches_sigterm(worker.process.pid):
            assert time.monotonic() < deadline, "meetwire run never set a SIGTERM handler"
            time.sleep(0.01)
        time.sleep(after_s)
        assert worker.terminate(timeout=30) == 0, worker.log.read_text()[-3000:]
    finally:
        worker.close()


async def test_redis_restart_mid_burst_loses_and_duplicates_nothing(
    settings: Settings, redis_server: EmbeddedRedis | DebianRedis, tmp_path: Path
) -> None:
    articles = burst(BURST)
    redis = Redis.from_url(redis_server.url)
    worker = Worker(settings, tmp_path / "w.log")
    try:
        await publish(redis, articles)
        await wait_for(lambda: _at_least(settings, 100), within=60, what="the first 100 articles")
        await asyncio.to_thread(redis_server.stop)
        await asyncio.sleep(1.0)
        await asyncio.to_thread(redis_server.start)
        await wait_for(lambda: settled(redis, settings, BURST), within=120, what="the burst after Redis restarted")
        assert worker.process.poll() is None, "the worker died with the Redis restart"
        assert worker.terminate() == 0
    finally:
        worker.close()
    await assert_exactly_once(redis, settings, BURST, expected_event_ids(articles))
    await redis.aclose()


async def test_dead_letter_replayed_after_the_fix_is_processed_once(start_pipeline: Any, settings: Settings) -> None:
    seed = raw(corpus("seed-example.jsonl")[0])
    strict = settings.model_copy(update={"max_body_bytes": 500})
    pipeline = await start_pipeline(strict)
    redis = Redis.from_url(str(settings.redis_url))
    await publish(redis, [seed])
    await wait_for(lambda: _dead(redis, 1), what="the too-large article to be dead-lettered")
    await pipeline.stop()

    await start_pipeline(settings)
    report = await replay(redis)
    assert len(report.replayed) == 1
    assert report.skipped == {}
    await wait_for(lambda: settled(redis, settings, 1), what="the replayed article")
    await replay(redis)
    await asyncio.sleep(0.5)
    assert await redis.xlen(DEAD) == 0
    assert await stored_event_ids(settings) == [f"{seed.id}#0"]
    await redis.aclose()


async def _at_least(settings: Settings, n: int) -> bool:
    return await stored_count(settings) >= n


async def _dead(redis: Redis, n: int) -> bool:
    return int(await redis.xlen(DEAD)) >= n
