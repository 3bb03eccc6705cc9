"""The Alembic migrations: they build exactly the tables' schema, concurrently and over old databases."""

import asyncio
import io
import subprocess
import sys
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, inspect, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from service.store import create_schema, make_engine
from service.store.engine import (
    SCHEMA_REVISION,
    SchemaNotCurrent,
    alembic_config,
    check_schema,
    head_revision,
    migrate,
    schema_revision,
)
from service.store.tables import articles, event_topics, meeting_events, metadata, participants
from tests.store.builders import outcome
from tests.store.conftest import drop_schema

TABLES = {*metadata.tables, "alembic_version"}
LEGACY_TABLES = [articles, meeting_events, participants, event_topics]
"""The tables `metadata.create_all` made before meetwire had migrations."""


def _diff(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, metadata))


def _tables(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names())


async def _versions(engine: AsyncEngine) -> list[str]:
    async with engine.connect() as connection:
        return list((await connection.execute(text("SELECT version_num FROM alembic_version"))).scalars())


async def test_migrations_build_exactly_the_tables_schema(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        await create_schema(engine)
        async with engine.connect() as connection:
            assert await connection.run_sync(_diff) == []
            assert await connection.run_sync(_tables) == TABLES
        assert await schema_revision(engine) == head_revision()
    finally:
        await drop_schema(engine)
        await engine.dispose()


async def test_downgrade_to_base_removes_every_table_and_upgrade_restores_them(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        await create_schema(engine)
        async with engine.begin() as connection:
            await connection.run_sync(lambda sync: command.downgrade(alembic_config(sync), "base"))
        async with engine.connect() as connection:
            assert await connection.run_sync(_tables) == {"alembic_version"}
        await create_schema(engine)
        async with engine.connect() as connection:
            assert await connection.run_sync(_diff) == []
    finally:
        await drop_schema(engine)
        await engine.dispose()


async def test_concurrent_upgrades_from_three_engines_migrate_once(database_url: str) -> None:
    engines = [make_engine(database_url) for _ in range(3)]
    try:
        await asyncio.gather(*(create_schema(engine) for engine in engines))
        assert await _versions(engines[0]) == [head_revision()]
        async with engines[1].connect() as connection:
            assert await connection.run_sync(_diff) == []
    finally:
        await drop_schema(engines[0])
        for engine in engines:
            await engine.dispose()


async def test_concurrent_upgrades_from_three_processes_migrate_once(database_url: str) -> None:
    script = "import asyncio, sys; from service.store.engine import migrate; asyncio.run(migrate(sys.argv[1]))"
    processes = [
        await asyncio.create_subprocess_exec(
            sys.executable, "-c", script, database_url, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        for _ in range(3)
    ]
    results = [await asyncio.wait_for(process.communicate(), 60) for process in processes]
    engine = make_engine(database_url)
    try:
        assert [process.returncode for process in processes] == [0, 0, 0], [err.decode() for _, err in results]
        assert await _versions(engine) == [head_revision()]
        async with engine.connect() as connection:
            assert await connection.run_sync(_diff) == []
    finally:
        await drop_schema(engine)
        await engine.dispose()


async def test_database_made_by_create_all_is_stamped_and_keeps_its_rows(database_url: str) -> None:
    engine = make_engine(database_url)
    row = outcome("kept").article
    try:
        async with engine.begin() as connection:
            await connection.run_sync(lambda sync: metadata.create_all(sync, tables=LEGACY_TABLES))
            await connection.execute(
                articles.insert().values(
                    article_id=row.id,
                    source=row.source,
                    received_at=row.received_at,
                    language=row.language,
                    content_hash=row.content_hash,
                    outcome="events",
                    extractor_version="1",
                    event_count=0,
                    text=row.text,
                    stored_at=row.received_at,
                )
            )
        assert await schema_revision(engine) is None
        await migrate(database_url)
        assert await schema_revision(engine) == head_revision()
        async with engine.connect() as connection:
            assert (await connection.execute(select(articles.c.article_id))).scalars().all() == ["kept"]
            assert await connection.run_sync(_diff) == []
    finally:
        await drop_schema(engine)
        await engine.dispose()


def test_offline_mode_writes_the_sql_of_every_migration() -> None:
    out = io.StringIO()
    config = alembic_config()
    config.output_buffer = out
    config.set_main_option("sqlalchemy.url", "postgresql://meetwire@localhost/meetwire")
    command.upgrade(config, "head", sql=True)
    sql = out.getvalue()
    assert "CREATE TABLE meeting_events" in sql
    assert "payload JSONB NOT NULL" in sql
    assert "INSERT INTO alembic_version (version_num) VALUES ('0001')" in sql
    last_version_line = [line for line in sql.splitlines() if "alembic_version" in line][-1]
    assert f"'{head_revision()}'" in last_version_line


def test_the_revision_meetwire_needs_is_alembics_head() -> None:
    assert head_revision() == SCHEMA_REVISION


async def test_check_schema_accepts_only_a_database_at_the_head_revision(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        with pytest.raises(SchemaNotCurrent, match="revision none"):
            await check_schema(engine)
        await create_schema(engine)
        await check_schema(engine)
    finally:
        await drop_schema(engine)
        await engine.dispose()
