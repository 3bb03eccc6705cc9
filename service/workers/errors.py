"""Error classification: transient outages the stages retry."""

import sqlite3

from redis.exceptions import BusyLoadingError, TimeoutError
from redis.exceptions import ConnectionError as RedisConnectionError
from sqlalchemy.exc import DBAPIError, OperationalError

from service.reasons import describe

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


__all__ = ["TRANSIENT_ERRORS", "describe", "is_transient"]
