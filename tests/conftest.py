"""Shared fixtures: real Redis servers (embedded and Debian's) and a running pipeline."""

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path

import pytest
from faststream import FastStream

from service.app import Runtime, build
from service.redis_server import EmbeddedRedis
from service.settings import Settings
from tests.servers import DebianRedis, debian_redis_server

DATA = Path(__file__).parent / "data"


@pytest.fixture(params=["embedded", "debian"])
def redis_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[EmbeddedRedis | DebianRedis]:
    """A fresh Redis server per test (AOF on): meetwire's embedded server, then Debian's redis-server 7."""
    folder = tmp_path_factory.mktemp("redis")
    server: EmbeddedRedis | DebianRedis
    if request.param == "embedded":
        server = EmbeddedRedis(folder)
    else:
        if debian_redis_server() is None:
            pytest.skip("Debian's redis-server is not installed (apt-get install redis-server)")
        server = DebianRedis(folder)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def redis_url(redis_server: EmbeddedRedis | DebianRedis) -> str:
    """The URL of ``redis_server``."""
    return redis_server.url


@pytest.fixture
def settings(redis_url: str, tmp_path: Path) -> Settings:
    """Settings for a pipeline on ``redis_url`` and a SQLite file in ``tmp_path``."""
    return Settings(
        redis_url=redis_url,
        data_dir=tmp_path,
        database_url=f"sqlite:///{tmp_path / 'sink.db'}",
        block_ms=20,
        claim_idle_ms=500,
        max_deliveries=3,
        log_json=True,
    )


class Pipeline:
    """A started pipeline app, its runtime and settings."""

    def __init__(self, app: FastStream, runtime: Runtime, settings: Settings) -> None:
        self.app = app
        self.runtime = runtime
        self.settings = settings
        self.stopped = False

    async def stop(self) -> None:
        """Stop the app (idempotent)."""
        if not self.stopped:
            self.stopped = True
            await self.app.stop()


@pytest.fixture
async def start_pipeline(settings: Settings) -> AsyncIterator[Callable[..., Awaitable[Pipeline]]]:
    """A factory that builds and starts the whole pipeline; everything is stopped after the test."""
    started: list[Pipeline] = []

    async def start(custom: Settings | None = None) -> Pipeline:
        use = custom or settings
        app, runtime = build(use, configure_logs=False)
        await app.start()
        pipeline = Pipeline(app, runtime, use)
        started.append(pipeline)
        return pipeline

    yield start
    for pipeline in started:
        await pipeline.stop()
