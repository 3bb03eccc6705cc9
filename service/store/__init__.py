"""The sink database: tables, engines, migrations and the `MeetingStore` repository."""

from service.store.engine import SchemaNotCurrent, check_schema, create_schema, make_engine, migrate
from service.store.repository import MeetingStore
from service.store.urls import async_url, redact

__all__ = [
    "MeetingStore",
    "SchemaNotCurrent",
    "async_url",
    "check_schema",
    "create_schema",
    "make_engine",
    "migrate",
    "redact",
]
