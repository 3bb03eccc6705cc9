"""The production topology as real processes: normalize, two enrich workers, a sink and the merge step on PostgreSQL."""

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import IO, Any

import pytest
from redis.asyncio import Redis
from sqlalchemy import func, select

from service.store import make_engine
from service.store.tables import articles, canonical_events, meeting_events
from service.streams_status import stream_status
from tests.servers import debian_redis, debian_redis_server

pytestmark = [pytest.mark.postgres, pytest.mark.integration, pytest.mark.debian_redis, pytest.mark.timeout(180)]

DATA = Path(__file__).resolve().parents[1] / "data"
COPIES = 13
"""Each of the 80 labelled articles is published this many times, under distinct ids."""
PIPELINE_STREAMS = ("articles.raw", "articles.normalized", "articles.enriched", "meetings.events")
SETTLE_WITHIN_S = 90.0
STOP_WITHIN_S = 15.0


def _write_articles(path: Path) -> list[str]:
    """Write the labelled articles ``COPIES`` times with distinct ids; return the ids."""
    rows = [json.loads(line) for name in ("dev.jsonl", "dev2.jsonl") for line in (DATA / name).open() if line.strip()]
    ids: list[str] = []
    with path.open("w", encoding="utf-8") as handle:
        for copy in range(COPIES):
            for row in rows:
                article = {key: value for key, value in row.items() if key != "gold"}
                article["id"] = f"{row['id']}-v{copy}"
                ids.append(article["id"])
                handle.write(json.dumps(article) + "\n")
    return ids


def _meetwire(*args: str) -> list[str]:
    return [sys.executable, "-m", "service.cli", *args]


def _status(env: dict[str, str]) -> dict[str, Any]:
    done = subprocess.run(
        _meetwire("status", "--json"), env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    status: dict[str, Any] = json.loads(done.stdout)
    return status


def _settled(status: dict[str, Any], expected: int) -> bool:
    streams = status["streams"]
    idle = all(streams[s]["pending"] == 0 and streams[s]["lag"] == 0 for s in PIPELINE_STREAMS)
    return idle and int(status["articles"]) >= expected


def _tail(path: Path, lines: int = 20) -> str:
    return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])


async def _wait_until_settled(
    redis_url: str, database_url: str, expected: int, processes: dict[Path, subprocess.Popen[bytes]]
) -> None:
    """Poll Redis and the database directly (cheaper than a ``meetwire status`` process per poll)."""
    redis: Redis = Redis.from_url(redis_url)
    engine = make_engine(database_url)
    deadline = time.monotonic() + SETTLE_WITHIN_S
    try:
        while True:
            for stderr, process in processes.items():
                assert process.poll() is None, f"{stderr.stem} exited early:\n{_tail(stderr)}"
            streams = await stream_status(redis, PIPELINE_STREAMS)
            try:
                async with engine.connect() as connection:
                    stored = int(await connection.scalar(select(func.count()).select_from(articles)) or 0)
            except Exception:  # the sink has not created the tables yet
                stored = 0
            if _settled({"streams": streams, "articles": stored}, expected):
                return
            assert time.monotonic() < deadline, f"not settled after {SETTLE_WITHIN_S}s: {stored} stored, {streams}"
            await asyncio.sleep(0.25)
    finally:
        await redis.aclose()
        await engine.dispose()


def _log_lines(path: Path) -> list[dict[str, Any]]:
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            lines.append(json.loads(line))
        except ValueError:
            continue
    return lines


async def _stored(url: str) -> tuple[list[str], list[str], int, list[str]]:
    engine = make_engine(url)
    try:
        async with engine.connect() as connection:
            article_ids = list((await connection.execute(select(articles.c.article_id))).scalars())
            event_ids = list((await connection.execute(select(meeting_events.c.event_id))).scalars())
            rows = await connection.scalar(select(func.count()).select_from(meeting_events))
            linked = list((await connection.execute(select(canonical_events.c.event_id))).scalars())
    finally:
        await engine.dispose()
    return article_ids, event_ids, int(rows or 0), linked


def test_normalize_two_enrich_workers_a_sink_and_merge_store_every_article_and_event_once(
    postgres_url: str, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    if debian_redis_server() is None:
        pytest.skip("Debian's redis-server is not installed (apt-get install redis-server)")
    feed = tmp_path / "articles.jsonl"
    ids = _write_articles(feed)
    assert len(ids) >= 1000
    logs = tmp_path / "logs"
    logs.mkdir()
    with debian_redis(tmp_path_factory.mktemp("redis")) as redis_url:
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("MEETWIRE_")},
            "MEETWIRE_REDIS_URL": redis_url,
            "MEETWIRE_DATABASE_URL": postgres_url,
            "MEETWIRE_LOG_JSON": "true",
            "MEETWIRE_DATA_DIR": str(tmp_path / "data"),
        }
        roles = ["normalize", "enrich", "enrich", "sink", "merge"]
        outputs: list[tuple[IO[bytes], IO[bytes]]] = []
        processes: list[subprocess.Popen[bytes]] = []
        try:
            for n, stage in enumerate(roles):
                out: IO[bytes] = (logs / f"{n}-{stage}.out").open("wb")
                err: IO[bytes] = (logs / f"{n}-{stage}.err").open("wb")
                outputs.append((out, err))
                processes.append(subprocess.Popen(_meetwire("run", "--stage", stage), env=env, stdout=out, stderr=err))

            published = subprocess.run(
                _meetwire("publish", str(feed)), env=env, capture_output=True, timeout=120, check=False
            )
            assert published.returncode == 0, published.stderr.decode()

            running = {logs / f"{n}-{roles[n]}.err": process for n, process in enumerate(processes)}
            asyncio.run(_wait_until_settled(redis_url, postgres_url, len(ids), running))
            status = _status(env)
            assert _settled(status, len(ids)), status
            assert status["dead_letters"] == 0
        finally:
            for process in processes:
                if process.poll() is None:
                    process.send_signal(signal.SIGTERM)
            exits: list[int | None] = []
            stop_by = time.monotonic() + STOP_WITHIN_S
            for process in processes:
                try:
                    exits.append(process.wait(timeout=max(stop_by - time.monotonic(), 0.1)))
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
                    exits.append(None)
            for out, err in outputs:
                out.close()
                err.close()
        assert exits == [0] * len(roles), {
            f"{n}-{roles[n]}": _tail(logs / f"{n}-{roles[n]}.err") for n, code in enumerate(exits) if code != 0
        }

    offline = subprocess.run(_meetwire("extract", str(feed)), env=env, capture_output=True, timeout=120, check=False)
    assert offline.returncode == 0, offline.stderr.decode()
    expected_events = [json.loads(line)["event_id"] for line in offline.stdout.decode().splitlines() if line]

    article_ids, event_ids, event_rows, linked = asyncio.run(_stored(postgres_url))
    assert sorted(article_ids) == sorted(ids)
    assert event_rows == len(expected_events) == len(set(expected_events))
    assert set(event_ids) == set(expected_events)
    assert sorted(linked) == sorted(expected_events), "every event is linked to exactly one canonical meeting"

    for n, stage in enumerate(roles):
        handled = [
            line
            for line in _log_lines(logs / f"{n}-{stage}.out")
            if line.get("event") == "message.handled" and line.get("stage") == stage
        ]
        assert handled, f"process {n} ({stage}) handled nothing"
        assert {line["event"] for line in _log_lines(logs / f"{n}-{stage}.out")} >= {
            "pipeline.started",
            "pipeline.stopped",
        }
