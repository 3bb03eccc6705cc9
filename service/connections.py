"""Opening Redis and the sink for commands other than ``run``."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from redis.asyncio import Redis

from service.redis_server import running_url
from service.settings import Settings

if TYPE_CHECKING:
    from service.store.repository import MeetingStore


class NotRunning(RuntimeError):
    """No Redis server is reachable for a command that only reads."""


def existing_redis_url(settings: Settings) -> str:
    """The configured Redis URL, or the embedded server's when one already serves the data folder."""
    if settings.redis_url:
        return settings.redis_url
    url = running_url(settings.data_dir)
    if url is None:
        msg = (
            f"no meetwire Redis server is running for data folder {settings.data_dir.resolve()}: "
            "start `meetwire run` in another terminal (same MEETWIRE_DATA_DIR), "
            "or point MEETWIRE_REDIS_URL at your Redis server"
        )
        raise NotRunning(msg)
    return url


@asynccontextmanager
async def redis_client(url: str) -> AsyncIterator[Redis]:
    """An asyncio Redis client for ``url``, closed on exit."""
    client: Redis = Redis.from_url(url)
    try:
        yield client
    finally:
        await client.aclose()


@asynccontextmanager
async def open_store(settings: Settings) -> AsyncIterator["MeetingStore"]:
    """The sink's store, its schema brought up to date (unless switched off), closed on exit."""
    from service.store.engine import check_schema, create_schema, make_engine  # noqa: PLC0415 - SQLAlchemy only when needed
    from service.store.repository import MeetingStore  # noqa: PLC0415

    engine = make_engine(settings.sqlalchemy_url())
    if settings.auto_migrate:
        await create_schema(engine)
    else:
        await check_schema(engine)
    store = MeetingStore(engine)
    try:
        yield store
    finally:
        await store.close()
