"""Redis with a password and an ACL user: the pipeline works through the URL and never shows the secret."""

import asyncio
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis as sync_redis
from redis.asyncio import Redis

from service.feed import publish
from service.settings import Settings
from tests.integration.helpers import corpus, counts, raw, wait_for
from tests.integration.workers import Worker
from tests.servers import DebianRedis, debian_redis_server

pytestmark = pytest.mark.integration
SECRET = "s3cret-Pa55word"


@pytest.fixture
def secured_redis(tmp_path: Path) -> Iterator[str]:
    if debian_redis_server() is None:
        pytest.skip("Debian's redis-server is not installed (apt-get install redis-server)")
    server = DebianRedis(tmp_path, appendonly=False, password="admin-only-" + SECRET)
    server.start()
    admin = sync_redis.Redis.from_url(server.url)
    admin.acl_setuser("meetwire", enabled=True, passwords=[f"+{SECRET}"], keys=["*"], commands=["+@all"])
    try:
        yield f"unix://meetwire:{SECRET}@{server.socket}"
    finally:
        admin.close()
        server.stop()


async def test_acl_user_with_password_works_and_the_secret_is_never_shown(secured_redis: str, tmp_path: Path) -> None:
    settings = Settings(redis_url=secured_redis, data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 's.db'}")
    worker = Worker(settings, tmp_path / "w.log")
    try:
        redis = Redis.from_url(secured_redis)
        await publish(redis, [raw(corpus("seed-example.jsonl")[0])])
        await wait_for(lambda: _stored(settings), within=30, what="the seed through an ACL user")
        env = {k: v for k, v in os.environ.items() if not k.startswith("MEETWIRE_")}
        env |= {"MEETWIRE_REDIS_URL": secured_redis, "MEETWIRE_DATABASE_URL": settings.sqlalchemy_url()}
        status = await asyncio.to_thread(
            subprocess.run,
            [sys.executable, "-m", "service.cli", "status", "--json"],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        assert status.returncode == 0, status.stderr
        assert '"articles":1' in status.stdout
        assert worker.terminate() == 0
        await redis.aclose()
    finally:
        worker.close()
    assert SECRET not in status.stdout + status.stderr
    assert SECRET not in worker.log.read_text()
    wrong = Settings(redis_url=secured_redis.replace(SECRET, "wrong"), data_dir=tmp_path)
    env["MEETWIRE_REDIS_URL"] = str(wrong.redis_url)
    denied = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "service.cli", "status"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert denied.returncode == 1
    assert "wrong" not in denied.stderr
    assert "error: Redis refused or failed the request" in denied.stderr
    assert "Traceback" not in denied.stderr


async def _stored(settings: Settings) -> bool:
    return int((await counts(settings))["articles"]) >= 1
