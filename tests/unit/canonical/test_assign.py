"""Assigning events to canonical meetings: created, updated, re-delivered, merged."""

import datetime as dt

from schemas import Kind
from service.canonical import assign, meeting_id_for
from service.canonical.memory import MemoryIndex
from tests.unit.canonical.factories import event, source

T0 = dt.datetime(2025, 3, 3, 12, tzinfo=dt.UTC)


def test_created_then_updated_then_redelivered() -> None:
    first = event("fn-1#0", "Hun Manet", "Pham Minh Chinh")
    meeting, change = assign(first, source(first), [], now=T0)
    assert change is not None
    assert change.change == "created"
    assert meeting.meeting_id == meeting_id_for(first)

    second = event("vna-1#0", "Hun Manet", "Phạm Minh Chính", date=dt.date(2025, 3, 4))
    updated, change = assign(second, source(second), [meeting], now=T0 + dt.timedelta(hours=1))
    assert change is not None
    assert change.change == "updated"
    assert updated.meeting_id == meeting.meeting_id
    assert updated.event_ids == ["fn-1#0", "vna-1#0"]
    assert updated.created_at == T0

    again, change = assign(second, source(second), [updated], now=T0 + dt.timedelta(hours=2))
    assert change is None
    assert again is updated


def test_distractors_get_their_own_meetings() -> None:
    first = event("fn-1#0", "Hun Manet", "Pham Minh Chinh")
    meeting, _ = assign(first, source(first), [])
    call = event("vna-2#0", "Hun Manet", "Pham Minh Chinh", date=dt.date(2025, 3, 4), kind=Kind.PHONE_CALL, city=None)
    later = event("xh-1#0", "Hun Manet", "Pham Minh Chinh", date=dt.date(2025, 4, 8), city="Hanoi", country="VNM")
    other = event("fn-2#0", "Hun Manet", "Atsushi Ueno", kind=Kind.COURTESY_CALL)
    for distractor in (call, later, other):
        created, change = assign(distractor, source(distractor), [meeting])
        assert change is not None
        assert change.change == "created"
        assert created.meeting_id != meeting.meeting_id


def test_an_event_fitting_two_meetings_merges_them_into_the_older() -> None:
    a = event("a#0", "Hun Manet", "Pham Minh Chinh", date=dt.date(2025, 3, 2), confidence=0.6)
    b = event(
        "b#0",
        "Hun Manet",
        "Pham Minh Chinh",
        date=dt.date(2025, 3, 4),
        kind=Kind.MULTILATERAL_MEETING,
        city="Hanoi",
        country="VNM",
        confidence=0.6,
    )
    older, _ = assign(a, source(a), [], now=T0)
    newer, change = assign(b, source(b), [older], now=T0 + dt.timedelta(hours=1))
    assert change is not None
    assert change.change == "created"

    bridge = event(
        "c#0", "Hun Manet", "Pham Minh Chinh", date=dt.date(2025, 3, 3), city=None, country=None, confidence=0.9
    )
    merged, change = assign(bridge, source(bridge), [newer, older], now=T0 + dt.timedelta(hours=2))
    assert change is not None
    assert change.change == "merged"
    assert merged.meeting_id == older.meeting_id
    assert change.merged_ids == [newer.meeting_id]
    assert merged.aliases == [newer.meeting_id]
    assert merged.event_ids == ["a#0", "b#0", "c#0"]
    assert merged.date == dt.date(2025, 3, 3)
    assert merged.created_at == T0


def test_memory_index_follows_aliases() -> None:
    index = MemoryIndex()
    a = event("a#0", "Hun Manet", "Pham Minh Chinh", date=dt.date(2025, 3, 2), confidence=0.6)
    b = event(
        "b#0",
        "Hun Manet",
        "Pham Minh Chinh",
        date=dt.date(2025, 3, 4),
        kind=Kind.MULTILATERAL_MEETING,
        city="Hanoi",
        country="VNM",
        confidence=0.6,
    )
    bridge = event(
        "c#0", "Hun Manet", "Pham Minh Chinh", date=dt.date(2025, 3, 3), city=None, country=None, confidence=0.9
    )
    for step, item in enumerate([a, b, bridge]):
        index.add(item, source(item), now=T0 + dt.timedelta(hours=step))
    assert len(index.meetings) == 1
    assert index.meeting_of("a#0") == index.meeting_of("b#0") == index.meeting_of("c#0") == meeting_id_for(a)
    assert index.resolve(meeting_id_for(b)) == meeting_id_for(a)
