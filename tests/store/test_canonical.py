"""`CanonicalStore` on SQLite and PostgreSQL: the same meetings as the in-memory index, with or without its cache."""

import datetime as dt
from typing import Any

import orjson
from sqlalchemy import select

from schemas import MeetingEvent
from schemas.canonical import CanonicalMeeting
from service.canonical.memory import MemoryIndex
from service.canonical.merge import add_report, new_meeting
from service.store import MeetingStore, create_schema
from service.store.canonical import CanonicalStore, Documents, round_trips, source_of
from service.store.tables import canonical_aliases, canonical_events, canonical_keys, canonical_meetings
from tests.unit.canonical.naive import rederived
from tests.unit.canonical.synthetic import reports

from .conftest import drop_schema

NOW = dt.datetime(2026, 2, 1, tzinfo=dt.UTC)
BATCH = 25


def _events(seed: int, *, dated_stamps: bool) -> list[MeetingEvent]:
    return [event for event, _ in reports(seed, 120, dated_stamps=dated_stamps)]


def _batches(events: list[MeetingEvent]) -> list[list[MeetingEvent]]:
    return [events[i : i + BATCH] for i in range(0, len(events), BATCH)]


async def _run(canonical: CanonicalStore, events: list[MeetingEvent]) -> list[dict[str, Any]]:
    changes = []
    for step, batch in enumerate(_batches(events)):
        for change in await canonical.assign(batch, now=NOW + dt.timedelta(minutes=step)):
            changes.append(change.model_dump(mode="json"))
    return changes


async def _tables(store: MeetingStore) -> dict[str, list[Any]]:
    async with store.engine.connect() as connection:
        return {
            table.name: sorted(tuple(row) for row in await connection.execute(select(*table.c)))
            for table in (canonical_keys, canonical_events, canonical_aliases)
        } | {
            "documents": sorted(
                (row.meeting_id, orjson.dumps(row.document, option=orjson.OPT_SORT_KEYS))
                for row in await connection.execute(select(canonical_meetings))
            )
        }


async def test_assigns_as_the_memory_index_does(store: MeetingStore) -> None:
    events = _events(5, dated_stamps=False)
    canonical = CanonicalStore(store.engine, threshold=0.7)
    index = MemoryIndex(0.7)
    merged = False
    for step, batch in enumerate(_batches(events)):
        now = NOW + dt.timedelta(minutes=step)
        changes = await canonical.assign(batch, now=now)
        for event, change in zip(sorted(batch, key=lambda e: e.event_id), changes, strict=True):
            index.add(event, source_of(event), now=now)
            expected = index.meetings[index.meeting_of(event.event_id) or ""]
            assert change.meeting.model_dump(mode="json") == expected.model_dump(mode="json")
            assert change.meeting.model_dump(mode="json") == rederived(change.meeting).model_dump(mode="json")
            merged = merged or change.change == "merged"
    assert merged, "the scenario should merge meetings"
    stored = {m.meeting_id: m.model_dump(mode="json") for m in await canonical.meetings()}
    assert stored == {mid: m.model_dump(mode="json") for mid, m in index.meetings.items()}


async def test_the_cache_changes_nothing(store: MeetingStore) -> None:
    events = _events(6, dated_stamps=True)
    cached = await _run(CanonicalStore(store.engine, threshold=0.7), events)
    tables = await _tables(store)
    await drop_schema(store.engine)
    await create_schema(store.engine)
    assert await _run(CanonicalStore(store.engine, threshold=0.7, cache_size=0), events) == cached
    assert await _tables(store) == tables


async def test_a_second_store_reads_what_the_first_wrote(store: MeetingStore) -> None:
    events = _events(7, dated_stamps=True)
    first, second = _batches(events)[:2], _batches(events)[2:]
    writer = CanonicalStore(store.engine, threshold=0.7)
    await _run(writer, [e for batch in first for e in batch])
    expected = await _run(writer, [e for batch in second for e in batch])
    await drop_schema(store.engine)
    await create_schema(store.engine)
    await _run(CanonicalStore(store.engine, threshold=0.7), [e for batch in first for e in batch])
    fresh = CanonicalStore(store.engine, threshold=0.7)
    assert await _run(fresh, [e for batch in second for e in batch]) == expected


async def test_a_redelivered_batch_republishes_its_meetings(store: MeetingStore) -> None:
    batch = list({e.event_id: e for e in _events(8, dated_stamps=False)}.values())[:BATCH]
    canonical = CanonicalStore(store.engine, threshold=0.7)
    first = await canonical.assign(batch, now=NOW)
    again = await canonical.assign(batch, now=NOW + dt.timedelta(hours=1))
    assert [c.change for c in again] == ["updated"] * len(batch)
    last = {c.meeting.meeting_id: c.meeting.model_dump(mode="json") for c in first}
    assert {c.meeting.meeting_id: c.meeting.model_dump(mode="json") for c in again} == last


def _meeting(seed: int, count: int, *, dated_stamps: bool) -> CanonicalMeeting:
    (first, origin), *rest = [(e, source_of(e)) for e, _ in reports(seed, count, dated_stamps=dated_stamps)]
    meeting = new_meeting(first, origin)
    for event, source in rest:
        meeting = add_report(meeting, event, source)
    return meeting


def test_documents_are_the_json_of_the_meeting() -> None:
    documents = Documents()
    meeting = _meeting(9, 12, dated_stamps=False)
    assert documents.write(meeting) == orjson.dumps(meeting.model_dump(mode="json")).decode()
    grown = add_report(meeting, *next((e, source_of(e)) for e, _ in reports(10, 1)))
    document = documents.write(grown)
    assert document == orjson.dumps(grown.model_dump(mode="json")).decode()
    assert documents.read(grown.meeting_id, document) is grown
    assert CanonicalMeeting.model_validate_json(document) == grown


def test_a_meeting_with_a_date_stamp_is_read_back_from_its_document() -> None:
    documents = Documents()
    meeting = next(m for seed in range(20) if not round_trips(m := _meeting(seed, 6, dated_stamps=True)))
    document = documents.write(meeting)
    read = documents.read(meeting.meeting_id, document)
    assert read is not meeting
    assert read == CanonicalMeeting.model_validate(orjson.loads(document))
