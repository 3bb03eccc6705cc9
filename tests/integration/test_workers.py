"""``meetwire run --workers 2``: a light supervisor, two workers in the same consumer groups."""

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

import psutil
from redis.asyncio import Redis

from service.feed import publish
from service.settings import Settings
from tests.integration.helpers import burst, counts, settled, wait_for

ARTICLES = 300


async def test_two_workers_share_the_groups_and_stop_with_their_supervisor(settings: Settings, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MEETWIRE_")}
    env |= {
        "MEETWIRE_REDIS_URL": str(settings.redis_url),
        "MEETWIRE_DATABASE_URL": settings.sqlalchemy_url(),
        "MEETWIRE_DATA_DIR": str(settings.data_dir),
        "MEETWIRE_BATCH_SIZE": "10",
        "MEETWIRE_LOG_JSON": "true",
    }
    log = (tmp_path / "run.log").open("wb")
    process = subprocess.Popen(  # noqa: ASYNC220 - one process for the whole test
        [sys.executable, "-m", "service.cli", "run", "--workers", "2"], env=env, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        supervisor = psutil.Process(process.pid)

        async def two_workers() -> bool:
            started = (tmp_path / "run.log").read_text().count('"pipeline.started"')
            return len(supervisor.children()) == 2 and started == 2

        await wait_for(two_workers, within=60, what="two worker processes")
        assert "service.supervisor" in " ".join(supervisor.cmdline()), "meetwire run replaced itself by the supervisor"
        workers = supervisor.children()
        async with Redis.from_url(str(settings.redis_url)) as redis:
            await publish(redis, burst(ARTICLES))
            await wait_for(lambda: settled(redis, settings, ARTICLES), within=180, what=f"{ARTICLES} articles")
            consumers = await redis.xinfo_consumers("articles.normalized", "enrich")
        names = {c["name"].decode() if isinstance(c["name"], bytes) else c["name"] for c in consumers}
        assert {name.rsplit("-", 1)[1] for name in names} == {str(w.pid) for w in workers}
        assert (await counts(settings))["articles"] == ARTICLES
        process.send_signal(signal.SIGTERM)
        assert await asyncio.to_thread(process.wait, 60) == 0
        assert not any(w.is_running() and w.status() != psutil.STATUS_ZOMBIE for w in workers)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        log.close()
    lines = (tmp_path / "run.log").read_text(encoding="utf-8")
    assert '"workers.started"' in lines
    assert lines.count('"pipeline.stopped"') == 2
