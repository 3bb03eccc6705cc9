"""The ``meetwire`` command line, run as users run it."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import redis

from service.redis_server import EmbeddedRedis

DATA = Path(__file__).parent.parent / "data"
MEETWIRE = [sys.executable, "-m", "service.cli"]


def meetwire(
    *args: str, env: dict[str, str] | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``meetwire ARGS`` in a subprocess with a clean MEETWIRE_* environment."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("MEETWIRE_")}
    return subprocess.run(
        [*MEETWIRE, *args],
        capture_output=True,
        text=True,
        env={**clean, **(env or {})},
        input=stdin,
        timeout=120,
        check=False,
    )


def test_version_and_usage_errors() -> None:
    version = meetwire("--version")
    assert version.returncode == 0
    assert version.stdout.startswith("meetwire ")
    assert meetwire("no-such-command").returncode == 2
    assert meetwire("events", "--limit", "zero").returncode == 2


def test_extract_prints_the_seed_event_as_json_lines() -> None:
    result = meetwire("extract", str(DATA / "seed-example.jsonl"))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    event = json.loads(lines[0])
    assert event["article_id"] == "seed-0001"
    assert event["event_id"] == "seed-0001#0"
    assert event["kind"] == "courtesy_call"
    assert event["date"] == "2024-06-04"


def test_extract_reads_stdin_and_reports_bad_lines_with_their_number() -> None:
    seed = (DATA / "seed-example.jsonl").read_text(encoding="utf-8").strip()
    result = meetwire("extract", "-", stdin=f"{seed}\nnot json\n")
    assert result.returncode == 1
    assert len(result.stdout.splitlines()) == 1
    assert "<stdin>:2" in result.stderr
    assert "not valid JSON" in result.stderr


def test_status_says_clearly_when_no_server_runs(tmp_path: Path) -> None:
    result = meetwire("status", env={"MEETWIRE_DATA_DIR": str(tmp_path)})
    assert result.returncode == 1
    assert "no meetwire Redis server is running" in result.stderr
    assert "meetwire run" in result.stderr


def test_publish_reports_bad_lines_and_keeps_good_ones_for_a_later_run(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    seed = (DATA / "seed-example.jsonl").read_text(encoding="utf-8").strip()
    feed.write_text(f'{seed}\n{{"id": "x"}}\n{seed.replace("seed-0001", "seed-0002")}\n', encoding="utf-8")
    data_dir = tmp_path / "data"
    result = meetwire("publish", str(feed), env={"MEETWIRE_DATA_DIR": str(data_dir)})
    assert result.returncode == 1
    assert f"{feed}:2: missing field: body" in result.stderr
    assert "published 2 article(s)" in result.stderr
    with EmbeddedRedis(data_dir) as server:
        client = redis.Redis.from_url(server.url)
        assert client.xlen("articles.raw") == 2
        client.close()


@pytest.mark.integration
def test_demo_prints_the_seed_courtesy_call(tmp_path: Path) -> None:
    result = meetwire("demo", "--data-dir", str(tmp_path / "demo"), env={"COLUMNS": "200"})
    assert result.returncode == 0, result.stderr
    assert "Hun Manet" in result.stdout
    assert "Lloyd Austin" in result.stdout
    assert "courtesy_call" in result.stdout
    assert "2024-06-04" in result.stdout
