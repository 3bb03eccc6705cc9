"""Hostile input on articles.raw: each entry is dead-lettered with a reason or processed; none lost or doubled."""

from typing import Any

import orjson
import pytest
from redis.asyncio import Redis
from sqlalchemy import text

from schemas.streams import DEAD, RAW
from service.connections import open_store
from service.feed import publish
from tests.conftest import Pipeline
from tests.integration.helpers import corpus, counts, raw, settled, stream_messages, wait_for

pytestmark = pytest.mark.integration

SEED = corpus("seed-example.jsonl")[0]


def _json(obj: object) -> Any:
    return {"__data__": orjson.dumps(obj)}


DEAD_LETTERED: list[tuple[str, Any, str]] = [
    ("not JSON", {"__data__": b"{not json"}, "not valid JSON"),
    ("a JSON array", {"__data__": b"[1, 2, 3]"}, "not an object"),
    ("no body", _json({"id": "no-body"}), "missing field: body"),
    ("no id", _json({"body": "text without an id"}), "missing field: id"),
    ("whitespace body", _json({"id": "blank", "body": "  \n\t "}), "must not be empty"),
    ("invalid UTF-8", {"id": b"bad-utf8", "body": b"\xff\xfe caf\xe9"}, "not valid UTF-8"),
    ("a 9 MB body", {"id": b"huge", "body": b"x" * 9_000_000}, "larger than the limit"),
    ("100,000 nested brackets", {"__data__": b"[" * 100_000 + b"]" * 100_000}, "not valid JSON"),
    ("an object as body", _json({"id": "obj", "body": {"a": [1, {"b": 2}]}}), "body"),
]

PROCESSED: list[tuple[str, dict[str, Any], str]] = [
    (
        "an HTML page with a script",
        {
            "id": "html-1",
            "source": "Fresh News",
            "published_at": "2024-06-04",
            "body": "<html><head><script>alert('x')</script><style>p{}</style></head><body><p>"
            + SEED["body"].replace("\n\n", "</p><p>")
            + "</p></body></html>",
        },
        "events",
    ),
    (
        "SQL in the id and the text",
        {"id": "x'); DROP TABLE articles;--", "body": "Robert'); DROP TABLE meeting_events;-- met nobody."},
        "no_meeting",
    ),
    (
        "Khmer script",
        {"id": "khmer-1", "body": "សម្តេចធិបតី ហ៊ុន ម៉ាណែត នាយករដ្ឋមន្ត្រី បានទទួលជំនួបសម្តែងការគួរសម ពីលោក ឡយ អូស្ទីន។"},
        "unsupported_language",
    ),
    ("50 flag emoji in the title", {"id": "flags-1", "title": "🇰🇭🇺🇸" * 25, "body": SEED["body"]}, "events"),
    ("unknown extra fields", {**SEED, "id": "extra-1", "gold": {"x": 1}, "priority": 7}, "events"),
]


async def test_hostile_entries_are_dead_lettered_or_processed(start_pipeline: Any, redis_url: str) -> None:
    pipeline: Pipeline = await start_pipeline()
    redis = Redis.from_url(redis_url)
    for _, fields, _ in DEAD_LETTERED:
        await redis.xadd(RAW, fields)
    for _, article, _ in PROCESSED:
        await redis.xadd(RAW, _json(article))
    await publish(redis, [raw(SEED), raw(SEED)])
    total = len(DEAD_LETTERED) + len(PROCESSED) + 1
    await wait_for(lambda: settled(redis, pipeline.settings, total), within=60, what="hostile input to settle")

    letters = await stream_messages(redis, DEAD)
    assert [
        (what, reason in letter["reason"]) for (what, _, reason), letter in zip(DEAD_LETTERED, letters, strict=True)
    ] == [(what, True) for what, _, _ in DEAD_LETTERED]
    assert all(letter["stage"] == "normalize" and letter["fields"] for letter in letters)
    async with open_store(pipeline.settings) as store, store.engine.connect() as conn:
        rows: Any = (await conn.execute(text("SELECT article_id, outcome FROM articles"))).all()
    outcomes = {str(r[0]): str(r[1]) for r in rows}
    expected = {article["id"]: outcome for _, article, outcome in PROCESSED} | {SEED["id"]: "events"}
    assert outcomes == expected
    assert (await counts(pipeline.settings))["articles"] == len(PROCESSED) + 1

    await publish(redis, [raw({**SEED, "id": "after-the-storm"})])
    await wait_for(lambda: settled(redis, pipeline.settings, total + 1), what="an article after the hostile ones")
    await redis.aclose()
