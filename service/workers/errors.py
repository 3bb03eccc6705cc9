"""Error classification: poison input, transient outages, and readable reasons."""

import sqlite3

from pydantic import ValidationError
from redis.exceptions import BusyLoadingError, TimeoutError
from redis.exceptions import ConnectionError as RedisConnectionError
from sqlalchemy.exc import DBAPIError, OperationalError

TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (
    RedisConnectionError,
    TimeoutError,
    BusyLoadingError,
    OperationalError,
    sqlite3.OperationalError,
    ConnectionError,
    OSError,
)


def is_transient(error: BaseException) -> bool:
    """True for failures that go away when a dependency comes back (database locked or down, Redis lost)."""
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return True
    return isinstance(error, TRANSIENT_ERRORS)


def describe(error: BaseException) -> str:
    """A one-line reason a person can act on."""
    if isinstance(error, ValidationError):
        parts = []
        for item in error.errors(include_url=False, include_input=False)[:5]:
            where = ".".join(str(p) for p in item["loc"]) or "message"
            if item["type"] == "missing":
                parts.append(f"missing field: {where}")
            else:
                parts.append(f"{where}: {item['msg']}")
        return "; ".join(parts)
    return str(error) or type(error).__name__
