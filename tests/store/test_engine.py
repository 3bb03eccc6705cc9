"""`make_engine` and `create_schema` on SQLite and PostgreSQL."""

import asyncio
from pathlib import Path

from sqlalchemy import inspect, text
from sqlalchemy.ext.asyncio import AsyncConnection

from service.store import create_schema, make_engine
from tests.store.conftest import drop_schema

TABLES = {"articles", "meeting_events", "participants", "event_topics"}


async def _tables(connection: AsyncConnection) -> set[str]:
    return set(await connection.run_sync(lambda sync: inspect(sync).get_table_names()))


async def test_create_schema_is_safe_to_repeat_and_run_concurrently(database_url: str) -> None:
    engines = [make_engine(database_url) for _ in range(3)]
    try:
        await asyncio.gather(*(create_schema(engine) for engine in engines for _ in range(2)))
        await create_schema(engines[0])
        async with engines[0].connect() as connection:
            assert await _tables(connection) >= TABLES
    finally:
        await drop_schema(engines[0])
        for engine in engines:
            await engine.dispose()


async def test_sqlite_connections_use_wal_normal_sync_busy_timeout_and_foreign_keys(
    tmp_path: Path,
) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'sub' / 'x.db'}")
    try:
        async with engine.connect() as connection:
            pragmas = {
                name: (await connection.execute(text(f"PRAGMA {name}"))).scalar()
                for name in ("journal_mode", "synchronous", "busy_timeout", "foreign_keys")
            }
    finally:
        await engine.dispose()
    assert pragmas == {
        "journal_mode": "wal",
        "synchronous": 1,
        "busy_timeout": 30_000,
        "foreign_keys": 1,
    }
    assert (tmp_path / "sub" / "x.db").exists()
