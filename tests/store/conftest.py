"""Fixtures for the store tests: a store on a fresh SQLite file and on a throwaway PostgreSQL."""

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from service.store import MeetingStore, create_schema, make_engine
from service.store.tables import metadata

PG_USER = "meetwire-test"
"""System user that runs the test cluster when the tests run as root (PostgreSQL refuses root)."""


def _pg_bin_dir() -> Path | None:
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


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _run(command: list[str]) -> None:
    result = subprocess.run(command, capture_output=True, text=True, check=False, timeout=60)
    if result.returncode != 0:
        msg = f"{command[0]} failed ({result.returncode}): {result.stdout}{result.stderr}"
        raise RuntimeError(msg)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """Start a throwaway PostgreSQL cluster for the session and yield its ``postgresql://`` URL."""
    bin_dir = _pg_bin_dir()
    if bin_dir is None:
        pytest.skip(
            "PostgreSQL server binaries (initdb, pg_ctl) not found on PATH or under "
            "/usr/lib/postgresql/*/bin: install them with `apt-get install -y postgresql`"
        )
    prefix = _as_cluster_user()
    root = Path(tempfile.mkdtemp(prefix="meetwire-pg-"))
    if prefix:
        user = pwd.getpwnam(PG_USER)
        os.chown(root, user.pw_uid, user.pw_gid)
    data, port = root / "data", _free_port()
    pg_ctl = [*prefix, str(bin_dir / "pg_ctl"), "-D", str(data)]
    try:
        initdb_options = ["-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync"]
        _run([*prefix, str(bin_dir / "initdb"), "-D", str(data), *initdb_options])
        options = f"-k {root} -p {port} -c listen_addresses=127.0.0.1 -c fsync=off"
        _run([*pg_ctl, "-o", options, "-l", str(root / "server.log"), "-w", "-t", "60", "start"])
        try:
            createdb = [str(bin_dir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres"]
            _run([*prefix, *createdb, "meetwire_test"])
            yield f"postgresql://postgres@127.0.0.1:{port}/meetwire_test"
        finally:
            _run([*pg_ctl, "-m", "immediate", "-w", "stop"])
    finally:
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A URL of an empty database: a SQLite file in ``tmp_path``, or the session's PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'db' / 'meetwire.db'}"
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture
async def store(database_url: str) -> AsyncIterator[MeetingStore]:
    """A `MeetingStore` on a freshly created schema; its tables are dropped afterwards."""
    engine = make_engine(database_url)
    await create_schema(engine)
    store = MeetingStore(engine)
    try:
        yield store
    finally:
        async with engine.begin() as connection:
            await connection.run_sync(metadata.drop_all)
        await store.close()
