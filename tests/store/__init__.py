"""Tests of the sink database: URLs, schema, `MeetingStore` on SQLite and PostgreSQL."""
