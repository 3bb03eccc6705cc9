"""The health and metrics endpoint of ``meetwire run`` for orchestrators."""

import socket
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from redis.asyncio import Redis

from service.feed import publish
from service.settings import Settings
from tests.integration.helpers import corpus, raw, settled, wait_for
from tests.integration.workers import Worker

pytestmark = pytest.mark.integration


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def _wait_ready(url: str, within: float = 30.0) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            if _get(url)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{url} never answered 200")


async def test_live_ready_and_metrics(settings: Settings, redis_url: str, tmp_path: Path) -> None:
    port = _free_port()
    worker = Worker(
        settings, tmp_path / "w.log", extra_env={"MEETWIRE_HTTP_PORT": str(port), "MEETWIRE_HTTP_HOST": "127.0.0.1"}
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(f"{base}/health/ready")
        assert _get(f"{base}/health/live") == (200, "live\n")
        redis = Redis.from_url(redis_url)
        await publish(redis, [raw(corpus("seed-example.jsonl")[0])])
        await wait_for(lambda: settled(redis, settings, 1), what="the seed")
        await redis.aclose()
        status, metrics = _get(f"{base}/metrics")
        assert status == 200
        assert (
            'faststream_received_messages_total{app_name="meetwire",broker="redis",handler="articles.raw"} 1.0'
            in metrics
        )
        assert _get(f"{base}/nothing-here")[0] == 404
        assert worker.terminate() == 0
    finally:
        worker.close()
