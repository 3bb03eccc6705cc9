"""The ``meetings.canonical`` message: documented fields and a lossless JSON round trip."""

import datetime as dt

from schemas.canonical import CanonicalChange
from service.canonical import assign
from tests.unit.canonical.factories import event, source


def test_every_field_has_a_description() -> None:
    schema = CanonicalChange.model_json_schema()
    missing = [
        f"{name or 'CanonicalChange'}.{field}"
        for name, definition in [("", schema), *schema.get("$defs", {}).items()]
        for field, spec in definition.get("properties", {}).items()
        if "description" not in spec
    ]
    assert missing == []
    assert schema["properties"]["schema_version"]["const"] == 1


def test_change_round_trips_through_json() -> None:
    first = event("fn-1#0", "Hun Manet", "Phạm Minh Chính")
    _, change = assign(first, source(first, published_at=dt.datetime(2025, 3, 3, 9, tzinfo=dt.UTC)), [])
    assert change is not None
    again = CanonicalChange.model_validate_json(change.model_dump_json())
    assert again == change
    assert again.meeting.date == dt.date(2025, 3, 3)
    assert again.meeting.first_reported_at == dt.datetime(2025, 3, 3, 9, tzinfo=dt.UTC)
