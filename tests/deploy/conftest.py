"""Fixtures for the deploy tests: a throwaway PostgreSQL cluster for the session."""

from collections.abc import Iterator

import pytest

from tests.servers import PG_MISSING, pg_bin_dir, postgres_cluster


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """Start a throwaway PostgreSQL cluster for the session and yield its ``postgresql://`` URL."""
    if pg_bin_dir() is None:
        pytest.skip(PG_MISSING)
    with postgres_cluster("meetwire_deploy") as url:
        yield url
