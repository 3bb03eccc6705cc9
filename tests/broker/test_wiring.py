"""Handler wiring with FastStream's in-memory TestRedisBroker (no Redis server)."""

from typing import Any

import pytest
from faststream import FastStream
from faststream.redis import RedisBroker, StreamSub, TestRedisBroker

from schemas import Kind, MeetingEvent, Participant, Role
from schemas.meeting import Codes, PloverMode
from schemas.streams import EVENTS
from service.app import build
from service.settings import Settings, Stage
from service.wire import JsonMessageFormat


def _event() -> MeetingEvent:
    return MeetingEvent(
        event_id="a#0",
        article_id="a",
        kind=Kind.COURTESY_CALL,
        participants=[Participant(name="Hun Manet", country="KHM", role=Role.HOST)],
        confidence=0.9,
        codes=Codes(plover_mode=PloverMode.VISIT, cameo=["042", "043"]),
        extractor_version="test",
    )


async def test_subscribers_with_the_json_format_receive_meeting_events() -> None:
    broker = RedisBroker(message_format=JsonMessageFormat)
    FastStream(broker)
    received: list[MeetingEvent] = []

    @broker.subscriber(stream=StreamSub(EVENTS, group="my-app", consumer="c1", no_ack=True))
    async def on_meeting(event: MeetingEvent) -> None:
        received.append(event)

    async with TestRedisBroker(broker) as test_broker:
        await test_broker.publish(_event(), stream=EVENTS)
    assert received == [_event()]


def _subscriptions(settings: Settings, stage: Stage) -> list[tuple[str, str]]:
    app, _ = build(settings, stage, configure_logs=False)
    broker = app.broker
    assert broker is not None
    return sorted((sub.stream_sub.name, sub.stream_sub.group) for sub in broker.subscribers)  # type: ignore[attr-defined]


@pytest.mark.parametrize("stage", [Stage.NORMALIZE, Stage.ENRICH, Stage.SINK, Stage.MERGE, Stage.ALL])
def test_each_stage_subscribes_to_its_streams(stage: Stage, tmp_path: Any) -> None:
    settings = Settings(redis_url="redis://localhost:1", data_dir=tmp_path)
    expected = {
        Stage.NORMALIZE: [("articles.raw", "normalize")],
        Stage.ENRICH: [("articles.normalized", "enrich")],
        Stage.SINK: [("articles.enriched", "sink")],
        Stage.MERGE: [("meetings.events", "merge")],
        Stage.ALL: [
            ("articles.enriched", "sink"),
            ("articles.normalized", "enrich"),
            ("articles.raw", "normalize"),
            ("meetings.events", "merge"),
        ],
    }[stage]
    assert _subscriptions(settings, stage) == expected


def test_without_canonical_meetings_there_is_no_merge_step(tmp_path: Any) -> None:
    settings = Settings(redis_url="redis://localhost:1", data_dir=tmp_path, canonical_meetings=False)
    assert ("meetings.events", "merge") not in _subscriptions(settings, Stage.ALL)


def test_a_sharded_worker_reads_the_streams_of_its_shards_only(tmp_path: Any) -> None:
    one = Settings(redis_url="redis://localhost:1", data_dir=tmp_path, shards=3, shard=1)
    assert _subscriptions(one, Stage.ENRICH) == [("articles.normalized.{1}", "enrich")]
    every = Settings(redis_url="redis://localhost:1", data_dir=tmp_path, shards=3)
    assert _subscriptions(every, Stage.NORMALIZE) == [(f"articles.raw.{{{s}}}", "normalize") for s in range(3)]
