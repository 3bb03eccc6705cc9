"""Error classification and reasons."""

import sqlite3

from pydantic import BaseModel, ValidationError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import ResponseError

from service.workers.errors import describe, is_transient


class _Model(BaseModel):
    id: str
    count: int


def test_outages_are_transient_and_bugs_are_not() -> None:
    assert is_transient(RedisConnectionError("gone"))
    assert is_transient(sqlite3.OperationalError("database is locked"))
    assert not is_transient(ResponseError("WRONGTYPE"))
    assert not is_transient(KeyError("x"))


def test_validation_errors_read_as_field_reasons() -> None:
    try:
        _Model.model_validate({"count": "many"})
    except ValidationError as exc:
        reason = describe(exc)
    assert "missing field: id" in reason
    assert "count: Input should be a valid integer" in reason
