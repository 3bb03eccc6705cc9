"""Database URLs: user-facing forms turned into async-driver URLs, and redacted for logs."""

import re
from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

ACCEPTED_FORMS = (
    "sqlite:///relative/path.db, sqlite:////absolute/path.db, "
    "postgresql://user:password@host:port/database (or postgres://), "
    "or the same with an async driver: sqlite+aiosqlite://, postgresql+asyncpg://"
)
"""The URL forms `async_url` accepts, as quoted in its error messages."""

_ASYNC_DRIVERS = {
    "sqlite": ("aiosqlite", {"aiosqlite"}),
    "postgresql": ("asyncpg", {"asyncpg", "psycopg", "psycopg_async"}),
}
_BACKEND_ALIASES = {"postgres": "postgresql"}
_CREDENTIALS = re.compile(r"(?P<head>://[^:/@?#]*):[^@/]*@")


def async_url(url: str) -> str:
    """Return ``url`` with an async driver, creating the parent folder of a SQLite file.

    ``sqlite:///x.db`` becomes ``sqlite+aiosqlite:///x.db`` and ``postgresql://`` or
    ``postgres://`` becomes ``postgresql+asyncpg://``; a URL that already names an async
    driver keeps it. Anything else, synchronous drivers included, raises ``ValueError``.
    """
    url = url.strip()
    parsed = _parse(url)
    backend, _, driver = parsed.drivername.lower().partition("+")
    backend = _BACKEND_ALIASES.get(backend, backend)
    if backend not in _ASYNC_DRIVERS:
        msg = f"unsupported database URL {redact(url)!r}: use {ACCEPTED_FORMS}"
        raise ValueError(msg)
    default_driver, async_drivers = _ASYNC_DRIVERS[backend]
    if driver and driver not in async_drivers:
        msg = (
            f"database URL {redact(url)!r} names the synchronous driver {driver!r}: "
            f"leave the driver out or use {backend}+{default_driver}"
        )
        raise ValueError(msg)
    if backend == "sqlite":
        _make_parent_folder(parsed)
    rest = url.partition("://")[2]
    return f"{backend}+{driver or default_driver}://{rest}"


def redact(url: str) -> str:
    """Return ``url`` with its password replaced by ``***``, for logs and error messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return _CREDENTIALS.sub(r"\g<head>:***@", url)


def _parse(url: str) -> URL:
    try:
        return make_url(url)
    except (ArgumentError, ValueError):
        msg = f"not a database URL: {redact(url)!r}: use {ACCEPTED_FORMS}"
        raise ValueError(msg) from None


def _make_parent_folder(url: URL) -> None:
    database = url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    Path(database).parent.mkdir(parents=True, exist_ok=True)
