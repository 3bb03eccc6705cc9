"""The sink database: tables, engines and the `MeetingStore` repository."""

from service.store.engine import create_schema, make_engine
from service.store.repository import MeetingStore
from service.store.urls import async_url, redact

__all__ = ["MeetingStore", "async_url", "create_schema", "make_engine", "redact"]
