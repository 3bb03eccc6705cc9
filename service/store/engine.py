"""Async engines for the sink database (SQLite or PostgreSQL) and its schema migrations."""

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

import orjson
from sqlalchemy import Connection, Engine, event, inspect, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import ConnectionPoolEntry
from sqlalchemy.util import await_only

from service.logs import get_logger
from service.store.urls import async_url

if TYPE_CHECKING:
    from alembic.config import Config

SQLITE_BUSY_TIMEOUT_MS = 30_000
"""How long a SQLite connection waits for another writer's lock before failing."""

WRITE = "meetwire_write"
"""Execution option marking a connection that will write: SQLite then begins IMMEDIATE."""

MIGRATIONS = Path(__file__).parent / "migrations"
"""The Alembic migration environment, shipped inside the package."""

SCHEMA_REVISION = "0002"
"""The newest migration: the schema this version of meetwire needs (a test keeps it equal to Alembic's head).

Knowing it without Alembic lets a process whose database is current start without importing Alembic.
"""

INITIAL_REVISION = "0001"
"""The revision whose schema `metadata.create_all` made before meetwire used migrations."""

_WAL_RETRY_MS = 10
_VERSION_TABLE = "alembic_version"
_SCHEMA_LOCK_KEY = 0x6D656574  # "meet": key of the PostgreSQL advisory lock around migrations

log = get_logger("meetwire.store")


def _dumps(value: Any) -> str:
    return orjson.dumps(value).decode()


def make_engine(url: str) -> AsyncEngine:
    """Create an async engine for ``url`` (any form `service.store.urls.async_url` accepts).

    SQLite connections use WAL, ``synchronous=NORMAL``, a busy timeout and foreign keys, and
    begin their transactions themselves (``BEGIN IMMEDIATE`` on connections with the
    `WRITE` execution option). PostgreSQL gets a small pool with pre-ping.
    """
    driver_url = async_url(url)
    if driver_url.startswith("sqlite"):
        engine = create_async_engine(driver_url, json_serializer=_dumps, json_deserializer=orjson.loads)
        _configure_sqlite(engine)
        return engine
    return create_async_engine(
        driver_url,
        json_serializer=_dumps,
        json_deserializer=orjson.loads,
        pool_size=5,
        max_overflow=5,
        pool_pre_ping=True,
        pool_recycle=1800,
    )


def _configure_sqlite(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS:d}")
        _use_wal(cursor)
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Connection) -> None:
        immediate = connection.get_execution_options().get(WRITE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _use_wal(cursor: Any) -> None:
    """Switch the database to WAL unless it already is.

    SQLite answers "database is locked" at once, without waiting for the busy timeout, when
    another connection is switching the journal mode at the same moment (several processes
    opening a new database together), so the switch is retried until the busy timeout.
    """
    for _ in range(SQLITE_BUSY_TIMEOUT_MS // _WAL_RETRY_MS):
        try:
            cursor.execute("PRAGMA journal_mode")
            if cursor.fetchone()[0] == "wal":
                return
            cursor.execute("PRAGMA journal_mode=WAL")
        except sqlite3.OperationalError as error:
            if "locked" not in str(error):
                raise
            await_only(asyncio.sleep(_WAL_RETRY_MS / 1000))
        else:
            return
    cursor.execute("PRAGMA journal_mode=WAL")


_WRITE_TURNS: "WeakKeyDictionary[Engine, asyncio.Lock]" = WeakKeyDictionary()


@asynccontextmanager
async def write_transaction(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """A write transaction on ``engine`` (``BEGIN IMMEDIATE`` on SQLite), committed on leaving.

    On SQLite, the writers of one process take turns on an asyncio lock: SQLite has one writer at a
    time anyway, and waiting in its busy handler (which sleeps in steps of up to 100 ms) would cost
    far more than the writes themselves.
    """
    writer = engine.execution_options(**{WRITE: True})
    if engine.dialect.name != "sqlite":
        async with writer.begin() as connection:
            yield connection
        return
    turn = _WRITE_TURNS.setdefault(engine.sync_engine, asyncio.Lock())
    async with turn, writer.begin() as connection:
        yield connection


def alembic_config(connection: Connection | None = None) -> "Config":
    """An Alembic configuration for meetwire's migrations, running on ``connection`` when given."""
    from alembic.config import Config  # noqa: PLC0415 - Alembic only when migrating

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


@cache
def head_revision() -> str:
    """The newest migration revision: the schema this version of meetwire needs."""
    from alembic.script import ScriptDirectory  # noqa: PLC0415

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


async def schema_revision(engine: AsyncEngine) -> str | None:
    """The database's migration revision; None for a database that meetwire has not migrated."""
    async with engine.connect() as connection:
        return await connection.run_sync(_revision)


def _revision(connection: Connection) -> str | None:
    if not inspect(connection).has_table(_VERSION_TABLE):
        return None
    versions = connection.execute(text(f"SELECT version_num FROM {_VERSION_TABLE}")).scalars().all()  # noqa: S608
    return ",".join(sorted(versions)) or None


class SchemaNotCurrent(RuntimeError):
    """The database schema is not at the revision this version of meetwire needs."""


async def check_schema(engine: AsyncEngine) -> None:
    """Raise `SchemaNotCurrent` unless the database is migrated to `SCHEMA_REVISION`.

    For processes started with migrations turned off (``MEETWIRE_AUTO_MIGRATE=false``).
    """
    current, head = await schema_revision(engine), SCHEMA_REVISION
    if current != head:
        msg = (
            f"the database schema is at revision {current or 'none'}, this meetwire needs {head}: "
            "run `meetwire migrate` first (or start once with MEETWIRE_AUTO_MIGRATE=true)"
        )
        raise SchemaNotCurrent(msg)


async def create_schema(engine: AsyncEngine) -> None:
    """Bring the schema up to date by running the Alembic migrations, in one transaction.

    Safe to call repeatedly and from several processes at once: the upgrade runs under a
    PostgreSQL advisory lock, or in a SQLite ``BEGIN IMMEDIATE`` transaction. A database whose
    tables `metadata.create_all` made before migrations existed is stamped with the initial
    revision first, then upgraded.
    """
    async with engine.connect() as connection:
        await connection.execution_options(**{WRITE: True})
        async with connection.begin():
            if engine.dialect.name == "postgresql":
                await connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _SCHEMA_LOCK_KEY})
            await connection.run_sync(_upgrade)


def _upgrade(connection: Connection) -> None:
    before = _revision(connection)
    if before == SCHEMA_REVISION:
        return
    from alembic import command  # noqa: PLC0415

    config = alembic_config(connection)
    untracked = not inspect(connection).has_table(_VERSION_TABLE)
    if untracked and inspect(connection).has_table("articles"):
        command.stamp(config, INITIAL_REVISION)
        log.info("schema.stamped", revision=INITIAL_REVISION)
        before = INITIAL_REVISION
    command.upgrade(config, "head")
    after = _revision(connection)
    if after != before:
        log.info("schema.migrated", from_revision=before, to_revision=after)


async def migrate(url: str) -> None:
    """Bring the schema of the database at ``url`` up to date (see `create_schema`)."""
    engine = make_engine(url)
    try:
        await create_schema(engine)
    finally:
        await engine.dispose()
