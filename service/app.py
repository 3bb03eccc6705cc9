"""The composition root: builds the FastStream app, its broker, stages and resources.

Run it with ``meetwire run`` or ``faststream run --factory service.app:create_app``.
"""

import asyncio
import logging
import os
import socket
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from faststream import AckPolicy, FastStream
from faststream.redis import RedisBroker, StreamSub
from faststream.redis.annotations import RedisBatchStreamMessage
from faststream.redis.message import FAKE_CONSUMER
from faststream.redis.message import RedisBatchStreamMessage as BatchMessage
from faststream.specification import AsyncAPI
from redis.asyncio import Redis

import service
from schemas import ArticleOutcome, DeadLetter, MeetingEvent, NormalizedArticle, RawArticle
from schemas.canonical import CanonicalChange
from schemas.streams import (
    CANONICAL,
    DEAD,
    ENRICHED,
    EVENTS,
    GROUP_ENRICH,
    GROUP_MERGE,
    GROUP_NORMALIZE,
    GROUP_SINK,
    NORMALIZED,
    RAW,
    ShardStreams,
)
from service.logs import configure_logging, get_logger
from service.redis_server import EmbeddedRedis, ensure_redis
from service.settings import Settings, Stage
from service.store.canonical import CanonicalStore
from service.store.engine import check_schema, create_schema, make_engine
from service.store.repository import MeetingStore
from service.wire import JsonMessageFormat
from service.workers.batch import Entry
from service.workers.runner import StageRunner, ensure_group
from service.workers.stages import (
    EnrichStage,
    MergeStage,
    NormalizeStage,
    SinkStage,
)
from service.workers.stages import (
    Stage as PipelineStage,
)

if TYPE_CHECKING:
    from prometheus_client import CollectorRegistry

log = get_logger("meetwire.app")


def consumer_name(settings: Settings) -> str:
    """A consumer name unique to this process."""
    prefix = settings.consumer_name or socket.gethostname()
    return f"{prefix}-{os.getpid()}"


async def _raw_batch(message: Mapping[str, Any]) -> BatchMessage:
    """Wrap a batch of stream entries without decoding it; the stage decodes each entry itself."""
    return BatchMessage(
        raw_message=message,
        body=b"",
        consumer=FAKE_CONSUMER,
        group=None,
    )


async def _no_decode(message: Any) -> None:
    return None


@dataclass
class Runtime:
    """Resources opened at startup and closed at shutdown."""

    settings: Settings
    redis_url: str
    stages: tuple[Stage, ...]
    consumer: str
    embedded: EmbeddedRedis | None = None
    redis: Redis | None = None
    store: MeetingStore | None = None
    runners: dict[tuple[str, str], StageRunner] = field(default_factory=dict)
    tasks: list[asyncio.Task[None]] = field(default_factory=list)

    def runner(self, stream: str, group: str) -> StageRunner:
        """The runner of the stage reading ``stream`` in ``group``."""
        return self.runners[stream, group]


def selected_stages(stage: Stage, settings: Settings) -> tuple[Stage, ...]:
    """The concrete stages a ``--stage`` value stands for (the merge step only with canonical meetings on)."""
    if stage is Stage.ALL:
        every = (Stage.NORMALIZE, Stage.ENRICH, Stage.SINK, Stage.MERGE)
        return tuple(s for s in every if s is not Stage.MERGE or settings.canonical_meetings)
    return (stage,)


def stage_inputs(stage: Stage, streams: ShardStreams) -> list[tuple[str, str]]:
    """The (stream, consumer group) pairs ``stage`` reads in one shard."""
    inputs = {
        Stage.NORMALIZE: [(streams.raw, GROUP_NORMALIZE)],
        Stage.ENRICH: [(streams.normalized, GROUP_ENRICH)],
        Stage.SINK: [(streams.enriched, GROUP_SINK)],
        Stage.MERGE: [(streams.events, GROUP_MERGE)],
    }
    return inputs[stage]


def create_app(settings: Settings | None = None, stage: Stage = Stage.ALL) -> FastStream:
    """Build the FastStream app running ``stage`` (every stage by default)."""
    return build(settings or Settings(), stage)[0]


def build(
    settings: Settings,
    stage: Stage = Stage.ALL,
    *,
    configure_logs: bool = True,
    redis_url: str | None = None,
    registry: "CollectorRegistry | None" = None,
) -> tuple[FastStream, Runtime]:
    """Build the app and the runtime it opens.

    Without ``redis_url`` it starts the embedded Redis server when none is configured, and stops it at shutdown.
    """
    if configure_logs:
        configure_logging(level=settings.log_level, json=settings.log_json)
    embedded: EmbeddedRedis | None = None
    if redis_url is None:
        redis_url, embedded = ensure_redis(settings)
    runtime = Runtime(settings, redis_url, selected_stages(stage, settings), consumer_name(settings), embedded)

    broker = RedisBroker(
        redis_url,
        message_format=JsonMessageFormat,
        logger=logging.getLogger("meetwire.broker"),
        log_level=logging.DEBUG,
        graceful_timeout=10.0,
        middlewares=_metrics(registry),
    )
    _document_streams(broker)
    for streams in settings.served_streams():
        for selected in runtime.stages:
            for stream, group in stage_inputs(selected, streams):
                _subscribe(broker, runtime, stream, group)

    app = FastStream(
        broker,
        logger=logging.getLogger("meetwire.faststream"),
        specification=AsyncAPI(
            title="meetwire",
            version=service.__version__,
            description="News articles in, diplomatic meeting events out, over Redis streams.",
        ),
    )

    @app.on_startup
    async def _open() -> None:
        await open_runtime(runtime)

    @app.after_startup
    async def _claimers() -> None:
        for runner in runtime.runners.values():
            events = runner.stage.stream == runner.stage.streams.events
            min_age_ms = None
            if events and settings.events_max_age_s is not None:
                min_age_ms = settings.events_max_age_s * 1000
            trim = not events or min_age_ms is not None
            runtime.tasks.append(asyncio.create_task(runner.upkeep_forever(trim=trim, min_age_ms=min_age_ms)))
        log.info(
            "pipeline.started",
            stages=[s.value for s in runtime.stages],
            shards=[s.shard for s in settings.served_streams()] if settings.shards > 1 else None,
            consumer=runtime.consumer,
        )

    @app.on_shutdown
    async def _stop_upkeep() -> None:
        for runner in runtime.runners.values():
            runner.stop_upkeep()

    @app.after_shutdown
    async def _close() -> None:
        await _finish(runtime.tasks)
        await close_runtime(runtime)
        log.info("pipeline.stopped", consumer=runtime.consumer)

    return app, runtime


def _metrics(registry: "CollectorRegistry | None") -> list[Any]:
    """FastStream's Prometheus middleware on ``registry``; none (and no Prometheus import) without one."""
    if registry is None:
        return []
    from faststream.redis.prometheus import RedisPrometheusMiddleware  # noqa: PLC0415 - only with metrics on

    return [RedisPrometheusMiddleware(registry=registry, app_name="meetwire")]


async def _finish(tasks: list[asyncio.Task[None]], *, grace_s: float = 2.0) -> None:
    """Wait for the upkeep tasks to end after `StageRunner.stop_upkeep`; cancel those that do not.

    Cancellation is repeated until each task has ended: a cancellation that lands inside a Redis
    client's own timeout can be turned into a timeout error and be lost.
    """
    if not tasks:
        return
    _, pending = await asyncio.wait(tasks, timeout=grace_s)
    while pending:
        for task in pending:
            task.cancel()
        _, pending = await asyncio.wait(pending, timeout=0.5)
    tasks.clear()


async def open_runtime(runtime: Runtime) -> None:
    """Connect to Redis and the database, create consumer groups and stage runners."""
    settings = runtime.settings
    runtime.redis = Redis.from_url(runtime.redis_url)
    if Stage.SINK in runtime.stages or Stage.MERGE in runtime.stages:
        engine = make_engine(settings.sqlalchemy_url())
        if settings.auto_migrate:
            await create_schema(engine)
        else:
            await check_schema(engine)
        runtime.store = MeetingStore(engine)
    for streams in settings.served_streams():
        for stage in _build_stages(runtime, streams):
            await ensure_group(runtime.redis, stage.stream, stage.group)
            runtime.runners[stage.stream, stage.group] = StageRunner(stage, runtime.redis, settings, runtime.consumer)


def _build_stages(runtime: Runtime, streams: ShardStreams) -> list[PipelineStage]:
    assert runtime.redis is not None
    settings = runtime.settings
    built: list[PipelineStage] = []
    if Stage.NORMALIZE in runtime.stages:
        built.append(NormalizeStage(settings, runtime.redis, streams))
    if Stage.ENRICH in runtime.stages:
        built.append(EnrichStage(settings, streams))
    if Stage.SINK in runtime.stages:
        assert runtime.store is not None
        built.append(SinkStage(runtime.store, streams))
    if Stage.MERGE in runtime.stages:
        assert runtime.store is not None
        canonical = CanonicalStore(runtime.store.engine, threshold=settings.merge_threshold)
        built.append(MergeStage(canonical, streams))
    return built


async def close_runtime(runtime: Runtime) -> None:
    """Close the database and Redis connections, then stop an embedded server this process started."""
    if runtime.store is not None:
        await runtime.store.close()
    if runtime.redis is not None:
        await runtime.redis.aclose()
    if runtime.embedded is not None:
        await asyncio.to_thread(runtime.embedded.stop)


def _subscribe(broker: RedisBroker, runtime: Runtime, stream: str, group: str) -> None:
    settings = runtime.settings
    sub = StreamSub(
        stream,
        group=group,
        consumer=runtime.consumer,
        batch=True,
        max_records=settings.batch_size,
        polling_interval=settings.block_ms,
    )

    @broker.subscriber(
        stream=sub,
        parser=_raw_batch,
        decoder=_no_decode,
        ack_policy=AckPolicy.MANUAL,
        title=f"{stream}:{group}",
        description=f"The {group} stage reads {stream} in consumer group {group}.",
    )
    async def handle(message: RedisBatchStreamMessage) -> None:
        raw = message.raw_message
        entries = [Entry(i.decode(), fields) for i, fields in zip(raw["message_ids"], raw["data"], strict=True)]
        await runtime.runner(stream, group).handle(entries)


def _document_streams(broker: RedisBroker) -> None:
    """Declare what each stream carries, for the AsyncAPI document."""
    docs: list[tuple[str, type[Any], str]] = [
        (RAW, RawArticle, "Raw articles pushed by feeds."),
        (NORMALIZED, NormalizedArticle, "Normalized articles."),
        (EVENTS, MeetingEvent, "Meeting events, one per meeting an article reports."),
        (ENRICHED, ArticleOutcome, "Internal: each article's outcome with its events, for the sink."),
        (DEAD, DeadLetter, "Entries a stage could not process, with the reason."),
        (CANONICAL, CanonicalChange, "A canonical meeting each time one is created, updated or merged."),
    ]
    for stream, model, description in docs:
        broker.publisher(stream=stream, schema=model, description=description, title=f"{stream}:publish")
