"""The three stages: what each does with a batch of entries from its stream."""

from collections.abc import Sequence
from datetime import UTC, datetime
from time import perf_counter
from typing import Protocol

from pydantic import ValidationError
from redis.asyncio import Redis

from schemas import ArticleOutcome, MeetingEvent, NormalizedArticle, Outcome, RawArticle
from schemas.streams import GROUP_ENRICH, GROUP_MERGE, GROUP_NORMALIZE, GROUP_SINK, ShardStreams
from service import wire
from service.pipeline import (
    EXTRACTOR_VERSION,
    SUPPORTED_LANGUAGES,
    NormalizationError,
    enrich,
    normalize,
)
from service.provenance import with_provenance
from service.settings import Settings
from service.store.canonical import CanonicalStore
from service.store.repository import MeetingStore
from service.workers.batch import BatchResult, Entry, article_id_of
from service.workers.errors import describe, is_transient

SEEN_KEY = "meetwire:seen"
"""Hash of article id -> content hash of the last version normalized (exact re-sends are skipped)."""


class Stage(Protocol):
    """A pipeline stage reading one stream of one shard in one consumer group."""

    name: str
    group: str
    streams: ShardStreams

    @property
    def stream(self) -> str:
        """The stream this stage reads."""
        ...

    async def process(self, entries: Sequence[Entry]) -> BatchResult:
        """Turn ``entries`` into outputs and settle them; raise only for transient failures."""
        ...


class _StageBase:
    """What every stage shares: its shard's streams and dead-lettering of unreadable entries."""

    name: str
    group: str

    def __init__(self, streams: ShardStreams) -> None:
        self.streams = streams

    @property
    def stream(self) -> str:
        """The stream this stage reads."""
        raise NotImplementedError

    def _result(self) -> BatchResult:
        return BatchResult(dead_stream=self.streams.dead)

    def _reject(self, result: BatchResult, entry: Entry, exc: BaseException, article_id: str | None = None) -> None:
        """Dead-letter ``entry``, which can never be processed, with what was wrong with it."""
        reason = "input nested too deeply" if isinstance(exc, RecursionError) else describe(exc)
        result.dead_letter(
            entry,
            stage=self.name,
            stream=self.stream,
            reason=reason,
            article_id=article_id or article_id_of(entry.fields),
        )


class NormalizeStage(_StageBase):
    """``articles.raw`` -> ``articles.normalized``: validate, clean, dedupe exact re-sends."""

    name = "normalize"
    group = GROUP_NORMALIZE

    def __init__(self, settings: Settings, redis: Redis, streams: ShardStreams) -> None:
        super().__init__(streams)
        self._max_bytes = settings.max_body_bytes
        self._redis = redis
        self._seen_key = streams.key(SEEN_KEY)

    @property
    def stream(self) -> str:
        """``articles.raw`` of this shard."""
        return self.streams.raw

    async def process(self, entries: Sequence[Entry]) -> BatchResult:
        """Normalize each entry; dead-letter what can never be an article."""
        result = self._result()
        fresh: list[tuple[Entry, NormalizedArticle, float]] = []
        for entry in entries:
            started = perf_counter()
            article_id = article_id_of(entry.fields)
            try:
                raw = RawArticle.model_validate(wire.decode_entry(entry.fields, max_bytes=self._max_bytes))
                article_id = raw.id
                article = normalize(raw, received_at=entry.received_at)
            except (wire.PoisonEntry, ValidationError, NormalizationError, RecursionError) as exc:
                self._reject(result, entry, exc, article_id)
            else:
                fresh.append((entry, article, perf_counter() - started))
        if not fresh:
            return result
        previous = await self._redis.hmget(self._seen_key, [article.id for _, article, _ in fresh])
        batch_hashes: dict[str, str] = {}
        for (entry, article, took), before in zip(fresh, previous, strict=True):
            last = batch_hashes.get(article.id) or (before.decode() if isinstance(before, bytes) else before)
            if last == article.content_hash:
                result.settle(entry, "duplicate", article.id, duration_ms=round(took * 1000, 3))
                continue
            batch_hashes[article.id] = article.content_hash
            result.emit(entry, self.streams.normalized, article)
            outcome = "correction" if last else "normalized"
            result.settle(
                entry,
                outcome,
                article.id,
                duration_ms=round(took * 1000, 3),
                language=article.language,
            )
        result.hash_updates[self._seen_key] = batch_hashes
        return result


class EnrichStage(_StageBase):
    """``articles.normalized`` -> ``meetings.events`` (+ the article's outcome for the sink)."""

    name = "enrich"
    group = GROUP_ENRICH

    def __init__(self, settings: Settings, streams: ShardStreams) -> None:
        super().__init__(streams)
        self._tz = settings.timezone
        self._events_maxlen = settings.events_maxlen
        self._max_bytes = max(settings.max_body_bytes * 4, 1_000_000)

    @property
    def stream(self) -> str:
        """``articles.normalized`` of this shard."""
        return self.streams.normalized

    async def process(self, entries: Sequence[Entry]) -> BatchResult:
        """Extract the meetings of each article."""
        result = self._result()
        for entry in entries:
            started = perf_counter()
            try:
                article = NormalizedArticle.model_validate(wire.decode_entry(entry.fields, max_bytes=self._max_bytes))
            except (wire.PoisonEntry, ValidationError, RecursionError) as exc:
                self._reject(result, entry, exc)
                continue
            try:
                events = (
                    with_provenance(enrich(article, tz=self._tz), article)
                    if article.language in SUPPORTED_LANGUAGES
                    else []
                )
            except Exception as exc:  # an extractor defect must not stop the worker
                result.leave_pending(entry, exc, article.id)
                continue
            if article.language not in SUPPORTED_LANGUAGES:
                outcome = Outcome.UNSUPPORTED_LANGUAGE
            else:
                outcome = Outcome.EVENTS if events else Outcome.NO_MEETING
            for event in events:
                result.emit(entry, self.streams.events, event, maxlen=self._events_maxlen)
            result.emit(
                entry,
                self.streams.enriched,
                ArticleOutcome(
                    article=article,
                    outcome=outcome,
                    event_ids=[e.event_id for e in events],
                    events=events,
                    extractor_version=EXTRACTOR_VERSION,
                ),
            )
            result.settle(
                entry,
                outcome.value,
                article.id,
                events=len(events),
                duration_ms=round((perf_counter() - started) * 1000, 3),
            )
        return result


class SinkStage(_StageBase):
    """``articles.enriched`` -> the sink: each article with its events, a batch in one transaction."""

    name = "sink"
    group = GROUP_SINK

    def __init__(self, store: MeetingStore, streams: ShardStreams) -> None:
        super().__init__(streams)
        self._store = store

    @property
    def stream(self) -> str:
        """``articles.enriched`` of this shard."""
        return self.streams.enriched

    async def process(self, entries: Sequence[Entry]) -> BatchResult:
        """Persist the batch in one transaction; an article that fails alone is isolated and left pending."""
        result = self._result()
        parsed: list[tuple[Entry, ArticleOutcome]] = []
        for entry in entries:
            try:
                parsed.append((entry, _parse_outcome(entry)))
            except (wire.PoisonEntry, ValidationError, RecursionError) as exc:
                self._reject(result, entry, exc)
        if not parsed:
            return result
        started = perf_counter()
        try:
            await self._store.save_articles([outcome for _, outcome in parsed])
        except Exception as exc:
            if is_transient(exc):
                raise
            for entry, outcome in parsed:
                try:
                    await self._store.save_articles([outcome])
                except Exception as one_exc:
                    if is_transient(one_exc):
                        raise
                    result.leave_pending(entry, one_exc, outcome.article.id)
                else:
                    result.settle(entry, "stored", outcome.article.id, events=len(outcome.events))
            return result
        took = (perf_counter() - started) * 1000 / len(parsed)
        for entry, outcome in parsed:
            result.settle(entry, "stored", outcome.article.id, events=len(outcome.events), duration_ms=round(took, 3))
        return result


def _parse_outcome(entry: Entry) -> ArticleOutcome:
    return ArticleOutcome.model_validate(wire.decode_entry(entry.fields, max_bytes=1 << 30))


def _parse_event(entry: Entry) -> MeetingEvent:
    return MeetingEvent.model_validate(wire.decode_entry(entry.fields, max_bytes=1 << 30))


class MergeStage(_StageBase):
    """The merge step: ``meetings.events`` -> canonical meetings in the sink and ``meetings.canonical``.

    It reads the events in its own consumer group, so merging never holds up the sink's commits.
    """

    name = "merge"
    group = GROUP_MERGE

    def __init__(self, canonical: CanonicalStore, streams: ShardStreams) -> None:
        super().__init__(streams)
        self._canonical = canonical

    @property
    def stream(self) -> str:
        """``meetings.events`` of this shard."""
        return self.streams.events

    async def process(self, entries: Sequence[Entry]) -> BatchResult:
        """Link each event to its canonical meeting, in one transaction, and publish each change."""
        result = self._result()
        events: dict[str, tuple[Entry, MeetingEvent]] = {}
        for entry in entries:
            try:
                event = _parse_event(entry)
            except (wire.PoisonEntry, ValidationError, RecursionError) as exc:
                self._reject(result, entry, exc)
                continue
            if event.event_id in events:
                result.settle(events[event.event_id][0], "duplicate", event.article_id)
            events[event.event_id] = (entry, event)
        if not events:
            return result
        started = perf_counter()
        changes = await self._canonical.assign([e for _, e in events.values()], now=datetime.now(UTC))
        took = (perf_counter() - started) * 1000 / len(events)
        for (entry, event), change in zip((events[k] for k in sorted(events)), changes, strict=True):
            result.emit(entry, self.streams.canonical, change)
            result.settle(
                entry,
                change.change,
                event.article_id,
                meeting_id=change.meeting.meeting_id,
                duration_ms=round(took, 3),
            )
        return result
