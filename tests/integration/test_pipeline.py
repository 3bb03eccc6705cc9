"""The whole pipeline against a real Redis server (embedded and Debian's) and a real SQLite sink."""

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import orjson
import pytest
from redis.asyncio import Redis

from schemas import MeetingEvent
from schemas.streams import DATA_FIELD, DEAD, EVENTS, RAW
from service.connections import open_store
from service.feed import publish
from service.pipeline import enrich, normalize
from service.provenance import with_provenance
from tests.conftest import Pipeline
from tests.integration.helpers import corpus, counts, raw, settled, stream_messages, wait_for

pytestmark = pytest.mark.integration
Start = Callable[..., Awaitable[Pipeline]]


def offline_events(rows: list[dict[str, object]]) -> dict[str, dict[str, object]]:
    """What ``meetwire extract`` gives for ``rows``, keyed by event id, minus per-run fields."""
    out = {}
    for row in rows:
        article = normalize(raw(row), received_at=datetime(2026, 1, 1, tzinfo=UTC))
        for event in with_provenance(enrich(article), article):
            out[event.event_id] = comparable(event)
    return out


def comparable(event: MeetingEvent) -> dict[str, object]:
    """The event's extracted fields (content hash and received time differ between runs)."""
    return event.model_dump(mode="json", exclude={"content_hash"})


async def test_backlog_published_before_start_is_processed_into_the_sink(start_pipeline: Start, redis_url: str) -> None:
    rows = corpus("seed-example.jsonl", "dev.jsonl")[:12]
    redis = Redis.from_url(redis_url)
    await publish(redis, [raw(r) for r in rows])
    pipeline = await start_pipeline()
    await wait_for(lambda: settled(redis, pipeline.settings, len(rows)), what="the backlog to be stored")

    expected = offline_events(rows)
    async with open_store(pipeline.settings) as store:
        stored = {e.event_id: comparable(e) for e in await store.events()}
    assert stored == expected
    assert (await counts(pipeline.settings))["articles"] == len(rows)
    await redis.aclose()


async def test_seed_event_reaches_meetings_events_as_plain_json(start_pipeline: Start, redis_url: str) -> None:
    seed = corpus("seed-example.jsonl")[0]
    pipeline = await start_pipeline()
    redis = Redis.from_url(redis_url)
    await publish(redis, [raw(seed)])
    await wait_for(lambda: settled(redis, pipeline.settings, 1), what="the seed to be stored")

    entries: Any = await redis.xrange(EVENTS)
    assert len(entries) == 1
    fields = entries[0][1]
    assert list(fields) == [DATA_FIELD.encode()]
    event = orjson.loads(fields[DATA_FIELD.encode()])
    assert event["schema_version"] == 1
    assert event["kind"] == "courtesy_call"
    assert event["date"] == "2024-06-04"
    assert {(p["name"], p["role"], p["country"]) for p in event["participants"]} == {
        ("Hun Manet", "host", "KHM"),
        ("Lloyd Austin", "guest", "USA"),
    }
    await redis.aclose()


async def test_feed_can_write_plain_fields_instead_of_json(start_pipeline: Start, redis_url: str) -> None:
    seed = corpus("seed-example.jsonl")[0]
    pipeline = await start_pipeline()
    redis = Redis.from_url(redis_url)
    await redis.xadd(
        RAW,
        {"id": "plain-1", "source": "Fresh News", "published_at": "2024-06-04", "body": seed["body"]},
    )
    await wait_for(lambda: settled(redis, pipeline.settings, 1), what="the plain-field article")
    async with open_store(pipeline.settings) as store:
        events = await store.events()
    assert [e.article_id for e in events] == ["plain-1"]
    assert events[0].kind.value == "courtesy_call"
    await redis.aclose()


HOSTILE: list[tuple[Any, str]] = [
    ({b"__data__": b"{not json"}, "not valid JSON"),
    ({b"__data__": b"[1, 2, 3]"}, "not an object"),
    ({b"__data__": b'{"id": "no-body"}'}, "missing field: body"),
    ({b"__data__": b'{"body": "text without an id"}'}, "missing field: id"),
    ({b"__data__": b'{"id": "blank", "body": "   \\n\\t "}'}, "body"),
    ({b"id": b"bad-utf8", b"body": b"\xff\xfe caf\xe9"}, "not valid UTF-8"),
    ({b"__data__": b"[" * 100_000 + b"]" * 100_000}, "not valid JSON"),
    ({b"id": b"huge", b"body": b"x" * 2_000_000}, "larger than the limit"),
]


async def test_hostile_entries_are_dead_lettered_and_the_worker_goes_on(start_pipeline: Start, redis_url: str) -> None:
    pipeline = await start_pipeline()
    redis = Redis.from_url(redis_url)
    for fields, _ in HOSTILE:
        await redis.xadd(RAW, fields)
    seed = corpus("seed-example.jsonl")[0]
    await publish(redis, [raw(seed)])
    await wait_for(lambda: settled(redis, pipeline.settings, len(HOSTILE) + 1), what="hostile entries to settle")

    letters = await stream_messages(redis, DEAD)
    assert len(letters) == len(HOSTILE)
    for letter, (_, reason) in zip(letters, HOSTILE, strict=True):
        assert letter["stage"] == "normalize"
        assert letter["stream"] == RAW
        assert reason in letter["reason"]
    assert (await counts(pipeline.settings))["articles"] == 1
    await redis.aclose()


async def test_exact_resend_is_a_no_op(start_pipeline: Start, redis_url: str) -> None:
    seed = corpus("seed-example.jsonl")[0]
    pipeline = await start_pipeline()
    redis = Redis.from_url(redis_url)
    await publish(redis, [raw(seed), raw(seed)])
    await wait_for(lambda: settled(redis, pipeline.settings, 1), what="the seed")
    await publish(redis, [raw(seed)])
    await wait_for(lambda: settled(redis, pipeline.settings, 1), what="the re-send")
    assert await redis.xlen(EVENTS) == 1
    assert (await counts(pipeline.settings))["events"] == 1
    await redis.aclose()


async def test_entries_left_pending_by_a_dead_consumer_are_claimed(start_pipeline: Start, redis_url: str) -> None:
    rows = corpus("dev.jsonl")[:5]
    redis = Redis.from_url(redis_url)
    await redis.xgroup_create(RAW, "normalize", id="0", mkstream=True)
    await publish(redis, [raw(r) for r in rows])
    taken: Any = await redis.xreadgroup("normalize", "crashed-worker", {RAW: ">"}, count=10)
    assert len(taken[0][1]) == len(rows)
    pipeline = await start_pipeline()
    await wait_for(lambda: settled(redis, pipeline.settings, len(rows)), what="claimed entries to be stored")
    assert (await counts(pipeline.settings))["articles"] == len(rows)
    await redis.aclose()
