"""Fixtures for the store tests: a store on a fresh SQLite file and on a throwaway PostgreSQL."""

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from service.store import MeetingStore, create_schema, make_engine
from service.store.tables import metadata
from tests.servers import PG_MISSING, pg_bin_dir, postgres_cluster


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """Start a throwaway PostgreSQL cluster for the session and yield its ``postgresql://`` URL."""
    if pg_bin_dir() is None:
        pytest.skip(PG_MISSING)
    with postgres_cluster() as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A URL of an empty database: a SQLite file in ``tmp_path``, or the session's PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'db' / 'meetwire.db'}"
    url: str = request.getfixturevalue("postgres_url")
    return url


async def drop_schema(engine: AsyncEngine) -> None:
    """Drop the sink's tables and Alembic's version table, leaving the database empty."""
    async with engine.begin() as connection:
        await connection.run_sync(metadata.drop_all)
        await connection.execute(text("DROP TABLE IF EXISTS alembic_version"))


@pytest.fixture
async def store(database_url: str) -> AsyncIterator[MeetingStore]:
    """A `MeetingStore` on a freshly migrated schema; its tables are dropped afterwards."""
    engine = make_engine(database_url)
    await create_schema(engine)
    store = MeetingStore(engine)
    try:
        yield store
    finally:
        await drop_schema(engine)
        await store.close()
