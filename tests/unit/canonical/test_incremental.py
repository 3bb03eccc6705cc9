"""Meetings built report by report, from running tallies, come out as if derived from all their reports at once."""

import datetime as dt
import gc
import random
from typing import Any

import pytest

from schemas.canonical import CanonicalMeeting
from service.canonical.keys import blocking_keys, key_parts, report_parts, union
from service.canonical.memo import ByIdentity
from service.canonical.memory import MemoryIndex
from service.canonical.merge import add_report, new_meeting
from tests.unit.canonical.evaluation import RECEIVED_AT, load
from tests.unit.canonical.naive import rederived
from tests.unit.canonical.synthetic import reports

STAMPED = {"created_at", "updated_at"}


def _dump(meeting: CanonicalMeeting, exclude: set[str] | None = None) -> dict[str, Any]:
    return meeting.model_dump(mode="json", exclude=exclude)


def _changes(pairs: list[Any]) -> tuple[MemoryIndex, list[CanonicalMeeting]]:
    index = MemoryIndex()
    changed = []
    for step, (event, source) in enumerate(pairs):
        change = index.add(event, source, now=RECEIVED_AT + dt.timedelta(seconds=step))
        if change is not None:
            changed.append(change.meeting)
    return index, changed


def _labelled(name: str, seed: int) -> list[Any]:
    pairs = [pair for article in load(name) for pair in article.events]
    random.Random(seed).shuffle(pairs)
    return pairs


@pytest.mark.parametrize("name", ["dedup-dev.jsonl", "dedup-own.jsonl"])
@pytest.mark.parametrize("seed", range(3))
def test_every_change_of_the_labelled_sets_is_the_naive_derivation(name: str, seed: int) -> None:
    _, changed = _changes(_labelled(name, seed))
    assert changed
    for meeting in changed:
        assert _dump(meeting) == _dump(rederived(meeting))


@pytest.mark.parametrize("seed", range(4))
def test_every_change_with_merges_and_revisions_is_the_naive_derivation(seed: int) -> None:
    index, changed = _changes(reports(seed))
    assert index.aliases, "the scenario should merge meetings"
    for meeting in changed:
        assert _dump(meeting) == _dump(rederived(meeting))
        assert key_parts(meeting) == union(
            [report_parts(r.date, r.date_stated, r.participants) for r in meeting.reports]
        )


@pytest.mark.parametrize("name", ["dedup-dev.jsonl", "dedup-own.jsonl"])
def test_merged_fields_do_not_depend_on_arrival_order(name: str) -> None:
    ignored = {"meeting_id", "aliases", *STAMPED}
    built = []
    for seed in range(4):
        index, _ = _changes(_labelled(name, seed))
        built.append(sorted((_dump(m, ignored) for m in index.meetings.values()), key=lambda m: m["event_ids"]))
    assert all(b == built[0] for b in built)


@pytest.mark.parametrize("seed", range(6))
def test_reports_added_in_any_order_give_one_meeting(seed: int) -> None:
    pairs = [(e, s) for e, s in reports(seed, 40, dated_stamps=False) if e.date]
    unique = list({e.event_id: (e, s) for e, s in pairs}.values())
    built = []
    for order in range(3):
        random.Random(order).shuffle(unique)
        (first, first_source), *rest = unique
        meeting = new_meeting(first, first_source, "mtg-x")
        for event, source in rest:
            meeting = add_report(meeting, event, source)
        assert _dump(meeting) == _dump(rederived(meeting))
        built.append(_dump(meeting, STAMPED))
    assert all(b == built[0] for b in built)


def test_a_meeting_reused_after_a_report_was_added_to_it_is_rederived() -> None:
    (first, first_source), (second, second_source), (third, third_source), *_ = reports(1, 10, dated_stamps=False)
    meeting = new_meeting(first, first_source, "mtg-x")
    with_second = add_report(meeting, second, second_source)
    with_third = add_report(meeting, third, third_source)
    assert with_second.event_ids == sorted([first.event_id, second.event_id])
    assert with_third.event_ids == sorted([first.event_id, third.event_id])
    assert _dump(with_third) == _dump(rederived(with_third))


def test_blocking_keys_of_a_meeting_are_those_of_its_reports() -> None:
    index, _ = _changes(reports(2, 60))
    for meeting in index.meetings.values():
        fresh = meeting.model_copy(deep=True)
        assert blocking_keys(meeting) == blocking_keys(fresh)
        assert all(k in index.by_key and meeting.meeting_id in index.by_key[k] for k in blocking_keys(meeting))


def test_identity_memo_forgets_an_object_when_it_goes() -> None:
    memo = ByIdentity[CanonicalMeeting, int]()
    pairs = reports(3, 2)
    meeting = new_meeting(*pairs[0])
    copy = meeting.model_copy()
    memo.put(meeting, 1)
    assert memo.get(meeting) == 1
    assert memo.get(copy) is None
    del meeting
    gc.collect()
    assert len(memo) == 0
    memo.put(copy, 2)
    assert memo.pop(copy) == 2
    assert memo.get(copy) is None
