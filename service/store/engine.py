"""Async engines for the sink database (SQLite or PostgreSQL) and schema creation."""

from typing import Any

import orjson
from sqlalchemy import Connection, event, text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import ConnectionPoolEntry

from service.store.tables import metadata
from service.store.urls import async_url

SQLITE_BUSY_TIMEOUT_MS = 30_000
"""How long a SQLite connection waits for another writer's lock before failing."""

WRITE = "meetwire_write"
"""Execution option marking a connection that will write: SQLite then begins IMMEDIATE."""

_SCHEMA_LOCK_KEY = 0x6D656574  # "meet": key of the PostgreSQL advisory lock around create_all


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
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS:d}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Connection) -> None:
        immediate = connection.get_execution_options().get(WRITE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


async def create_schema(engine: AsyncEngine) -> None:
    """Create the tables and indexes that are missing; safe to call repeatedly and concurrently."""
    async with engine.connect() as connection:
        await connection.execution_options(**{WRITE: True})
        async with connection.begin():
            if engine.dialect.name == "postgresql":
                await connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _SCHEMA_LOCK_KEY})
            await connection.run_sync(metadata.create_all)
