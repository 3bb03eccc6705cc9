"""`MeetingStore` on SQLite and PostgreSQL: idempotent writes, corrections and event queries."""

from datetime import date
from typing import TypedDict, Unpack

import pytest
from sqlalchemy import func, select

from schemas import Kind, MeetingEvent, Outcome, Participant, Role, Topic
from service.store import MeetingStore
from service.store.tables import articles, event_topics, participants

from .builders import AUSTIN, HUN_MANET, event, outcome


async def _rows(store: MeetingStore) -> dict[str, int]:
    """Row counts of every table."""
    counts = await store.counts()
    async with store.engine.connect() as connection:
        people = await connection.scalar(select(func.count()).select_from(participants))
        topics = await connection.scalar(select(func.count()).select_from(event_topics))
    return {
        "articles": int(str(counts["articles"])),
        "events": int(str(counts["events"])),
        "participants": people or 0,
        "topics": topics or 0,
    }


class Filters(TypedDict, total=False):
    """Keyword arguments of `MeetingStore.events`."""

    since: date
    until: date
    country: str
    person: str
    kind: str
    topic: str
    limit: int


async def _ids(store: MeetingStore, **filters: Unpack[Filters]) -> list[str]:
    return [found.event_id for found in await store.events(**filters)]


async def test_empty_store_counts_zero(store: MeetingStore) -> None:
    assert await store.counts() == {
        "articles": 0,
        "events": 0,
        "outcomes": {"events": 0, "no_meeting": 0, "unsupported_language": 0},
    }
    assert await store.events() == []


async def test_saving_nothing_is_a_no_op(store: MeetingStore) -> None:
    await store.save_outcomes([])
    await store.save_events([])
    assert await _rows(store) == {"articles": 0, "events": 0, "participants": 0, "topics": 0}


async def test_counts_articles_per_outcome(store: MeetingStore) -> None:
    await store.save_outcomes(
        [
            outcome("a1"),
            outcome("a2", result=Outcome.NO_MEETING),
            outcome("a3", result=Outcome.NO_MEETING),
            outcome("a4", result=Outcome.UNSUPPORTED_LANGUAGE),
        ]
    )
    await store.save_events([event("a1", 0), event("a1", 1)])
    assert await store.counts() == {
        "articles": 4,
        "events": 2,
        "outcomes": {"events": 1, "no_meeting": 2, "unsupported_language": 1},
    }


async def test_resaving_outcomes_changes_nothing(store: MeetingStore) -> None:
    batch = [outcome("a1"), outcome("a2", result=Outcome.NO_MEETING)]
    await store.save_outcomes(batch)
    async with store.engine.connect() as connection:
        first = (await connection.execute(select(articles).order_by(articles.c.article_id))).all()
    await store.save_outcomes(batch)
    await store.save_outcomes([batch[1], batch[0], batch[1]])
    async with store.engine.connect() as connection:
        again = (await connection.execute(select(articles).order_by(articles.c.article_id))).all()
    assert again == first
    assert (await store.counts())["articles"] == 2


async def test_resaving_events_duplicates_no_rows(store: MeetingStore) -> None:
    await store.save_outcomes([outcome("a1")])
    batch = [event("a1", 0), event("a1", 1, topics=[Topic.TRADE])]
    await store.save_events(batch)
    expected = {"articles": 1, "events": 2, "participants": 4, "topics": 3}
    assert await _rows(store) == expected
    await store.save_events(batch)
    await store.save_events([*batch, *batch])
    await store.save_outcomes([outcome("a1")])
    assert await _rows(store) == expected
    assert await store.events() == batch


async def test_last_copy_of_an_event_in_one_batch_wins(store: MeetingStore) -> None:
    await store.save_events([event(venue="Old Venue"), event(venue="New Venue")])
    assert [found.venue for found in await store.events()] == ["New Venue"]


async def test_an_event_with_new_content_replaces_the_old(store: MeetingStore) -> None:
    await store.save_events([event()])
    guest = Participant(name="Kao Kim Hourn", title="Secretary-General", role=Role.GUEST)
    changed = event(participants=[guest], topics=[Topic.REGIONAL_COOPERATION], kind=Kind.BILATERAL_MEETING)
    await store.save_events([changed])
    assert await store.events() == [changed]
    assert await _rows(store) == {"articles": 0, "events": 1, "participants": 1, "topics": 1}
    assert await _ids(store, person="austin") == []
    assert await _ids(store, person="kao kim") == ["a1#0"]
    assert await _ids(store, topic=Topic.DEFENCE) == []
    assert await _ids(store, kind=Kind.COURTESY_CALL) == []


async def test_a_correction_drops_events_of_the_old_version(store: MeetingStore) -> None:
    await store.save_outcomes([outcome("a1", content_hash="v1"), outcome("b1", content_hash="v1")])
    await store.save_events(
        [
            event("a1", 0, content_hash="v1"),
            event("a1", 1, content_hash="v1"),
            event("b1", 0, content_hash="v1"),
        ]
    )
    await store.save_outcomes([outcome("a1", content_hash="v2", event_ids=["a1#0"])])
    assert await _ids(store) == ["b1#0"]
    assert await _rows(store) == {"articles": 2, "events": 1, "participants": 2, "topics": 2}

    corrected = event("a1", 0, content_hash="v2", venue="Council of Ministers")
    await store.save_events([corrected])
    assert await _ids(store) == ["a1#0", "b1#0"]
    assert (await store.events(person="manet"))[0] == corrected
    async with store.engine.connect() as connection:
        stored_hash = await connection.scalar(select(articles.c.content_hash).where(articles.c.article_id == "a1"))
    assert stored_hash == "v2"


async def test_a_correction_keeps_events_of_the_new_version_that_came_first(
    store: MeetingStore,
) -> None:
    await store.save_outcomes([outcome("a1", content_hash="v1")])
    await store.save_events([event("a1", 0, content_hash="v1"), event("a1", 1, content_hash="v1")])
    await store.save_events([event("a1", 0, content_hash="v2")])
    await store.save_outcomes([outcome("a1", content_hash="v2")])
    assert [(e.event_id, e.content_hash) for e in await store.events()] == [("a1#0", "v2")]


async def test_a_correction_to_no_meeting_drops_every_event(store: MeetingStore) -> None:
    await store.save_outcomes([outcome("a1", content_hash="v1")])
    await store.save_events([event("a1", 0, content_hash="v1"), event("a1", 1, content_hash=None)])
    await store.save_outcomes([outcome("a1", content_hash="v2", result=Outcome.NO_MEETING)])
    assert await _rows(store) == {"articles": 1, "events": 0, "participants": 0, "topics": 0}
    assert (await store.counts())["outcomes"] == {
        "events": 0,
        "no_meeting": 1,
        "unsupported_language": 0,
    }


async def test_events_round_trip_whole(store: MeetingStore) -> None:
    original = event(
        date=None,
        venue=None,
        city=None,
        country=None,
        kind=Kind.PHONE_CALL,
        participants=[Participant(name="Phạm Minh Chính", country="VNM", role=Role.PARTICIPANT)],
        topics=[],
        content_hash=None,
        confidence=0.35,
    )
    await store.save_events([original])
    assert await store.events() == [original]


@pytest.fixture
async def sample(store: MeetingStore) -> list[MeetingEvent]:
    """Five events on four dates (one undated) with varied places, people, kinds and topics."""
    vietnam = Participant(name="Phạm Minh Chính", title="Prime Minister", country="VNM", role=Role.PARTICIPANT)
    un = Participant(name="António Guterres", organization="United Nations", role=Role.GUEST)
    events = [
        event("e", 3, date=date(2024, 6, 10), kind=Kind.BILATERAL_MEETING, topics=[Topic.TRADE]),
        event("e", 1, date=date(2024, 6, 4)),
        event(
            "e",
            2,
            date=date(2024, 6, 4),
            city="Hà Nội",
            country="VNM",
            participants=[HUN_MANET.model_copy(update={"role": Role.PARTICIPANT}), vietnam],
            kind=Kind.PHONE_CALL,
            topics=[Topic.BORDER, Topic.TRADE],
        ),
        event(
            "e",
            4,
            date=date(2024, 7, 1),
            city="New York",
            country="USA",
            participants=[un, HUN_MANET],
        ),
        event("e", 5, date=None, country=None, participants=[AUSTIN], topics=[]),
    ]
    await store.save_events(events)
    return events


async def test_events_come_by_date_then_id_undated_last(store: MeetingStore, sample: list[MeetingEvent]) -> None:
    assert await _ids(store) == ["e#1", "e#2", "e#3", "e#4", "e#5"]
    assert await _ids(store, limit=2) == ["e#1", "e#2"]
    by_id = {found.event_id: found for found in sample}
    assert await store.events() == [by_id[key] for key in ["e#1", "e#2", "e#3", "e#4", "e#5"]]


@pytest.mark.usefixtures("sample")
@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"since": date(2024, 6, 5)}, ["e#3", "e#4"]),
        ({"until": date(2024, 6, 4)}, ["e#1", "e#2"]),
        ({"since": date(2024, 6, 4), "until": date(2024, 6, 10)}, ["e#1", "e#2", "e#3"]),
        ({"since": date(2024, 6, 11), "until": date(2024, 6, 30)}, []),
        ({"country": "VNM"}, ["e#2"]),
        ({"country": "usa"}, ["e#1", "e#3", "e#4", "e#5"]),
        ({"country": "KHM"}, ["e#1", "e#2", "e#3", "e#4"]),
        ({"country": "FRA"}, []),
        ({"person": "hun manet"}, ["e#1", "e#2", "e#3", "e#4"]),
        ({"person": "AUSTIN"}, ["e#1", "e#3", "e#5"]),
        ({"person": "minh chính"}, ["e#2"]),
        ({"person": "MINH CHÍNH"}, ["e#2"]),
        ({"person": "antónio"}, ["e#4"]),
        ({"person": "%"}, []),
        ({"person": "_"}, []),
        ({"kind": "phone_call"}, ["e#2"]),
        ({"kind": Kind.COURTESY_CALL}, ["e#1", "e#4", "e#5"]),
        ({"topic": "trade"}, ["e#2", "e#3"]),
        ({"topic": Topic.DEFENCE}, ["e#1", "e#4"]),
        ({"topic": "health"}, []),
        ({"country": "USA", "topic": "trade", "since": date(2024, 6, 5)}, ["e#3"]),
        ({"person": "manet", "kind": "courtesy_call", "limit": 1}, ["e#1"]),
    ],
)
async def test_events_filters(store: MeetingStore, filters: Filters, expected: list[str]) -> None:
    assert await _ids(store, **filters) == expected


async def test_an_article_and_its_events_are_stored_together_and_a_correction_replaces_them(
    store: MeetingStore,
) -> None:
    first = outcome("a1", content_hash="v1", event_ids=["a1#0", "a1#1"]).model_copy(
        update={"events": [event("a1", 0, content_hash="v1"), event("a1", 1, content_hash="v1")]}
    )
    await store.save_articles([first, first])
    assert await _ids(store) == ["a1#0", "a1#1"]
    assert await _rows(store) == {"articles": 1, "events": 2, "participants": 4, "topics": 4}

    corrected = event("a1", 0, content_hash="v2", venue="Council of Ministers")
    second = outcome("a1", content_hash="v2").model_copy(update={"events": [corrected]})
    await store.save_articles([second])
    assert await _ids(store) == ["a1#0"]
    assert (await store.events())[0] == corrected
    assert await _rows(store) == {"articles": 1, "events": 1, "participants": 2, "topics": 2}
