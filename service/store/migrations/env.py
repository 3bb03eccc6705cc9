"""Alembic environment of the sink database.

meetwire runs it through `service.store.engine.create_schema`, which passes an open
connection in ``config.attributes["connection"]``. The ``alembic`` command line works too
(``alembic -x url=postgresql://... upgrade head`` with ``script_location`` pointing here, or
``sqlalchemy.url`` set in its ini file); ``--sql`` writes the SQL instead of running it.
"""

import asyncio

from alembic import context
from sqlalchemy import Connection

from service.store.engine import make_engine
from service.store.tables import metadata
from service.store.urls import async_url

config = context.config


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        compare_type=True,
        render_as_batch=connection.dialect.name == "sqlite",
    )


def _run(connection: Connection) -> None:
    _configure(connection)
    with context.begin_transaction():
        context.run_migrations()


def _url() -> str:
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url")
    if not url:
        msg = "no database URL: pass `-x url=...` or set sqlalchemy.url"
        raise RuntimeError(msg)
    return url


async def _run_with_engine(url: str) -> None:
    engine = make_engine(url)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(_run)
            await connection.commit()
    finally:
        await engine.dispose()


def _run_offline() -> None:
    context.configure(url=async_url(_url()), target_metadata=metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    _run_offline()
elif (given := config.attributes.get("connection")) is not None:
    _run(given)
else:
    asyncio.run(_run_with_engine(_url()))
