"""The three stages: what each does with a batch of entries from its stream."""

from collections.abc import Sequence
from datetime import UTC, datetime
from time import perf_counter
from typing import Protocol

from pydantic import ValidationError
from redis.asyncio import Redis

from schemas import ArticleOutcome, MeetingEvent, NormalizedArticle, Outcome, RawArticle
from schemas.streams import (
    CANONICAL,
    ENRICHED,
    EVENTS,
    GROUP_ENRICH,
    GROUP_NORMALIZE,
    GROUP_SINK,
    NORMALIZED,
    RAW,
)
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
    """A pipeline stage reading one stream in one consumer group."""

    name: str
    stream: str
    group: str

    async def process(self, entries: Sequence[Entry]) -> BatchResult:
        """Turn ``entries`` into outputs and settle them; raise only for transient failures."""
        ...


class NormalizeStage:
    """``articles.raw`` -> ``articles.normalized``: validate, clean, dedupe exact re-sends."""

    name = "normalize"
    stream = RAW
    group = GROUP_NORMALIZE

    def __init__(self, settings: Settings, redis: Redis) -> None:
        self._max_bytes = settings.max_body_bytes
        self._redis = redis

    async def process(self, entries: Sequence[Entry]) -> BatchResult:
        """Normalize each entry; dead-letter what can never be an article."""
        result = BatchResult()
        fresh: list[tuple[Entry, NormalizedArticle, float]] = []
        for entry in entries:
            started = perf_counter()
            article_id = article_id_of(entry.fields)
            try:
                raw = RawArticle.model_validate(wire.decode_entry(entry.fields, max_bytes=self._max_bytes))
                article_id = raw.id
                article = normalize(raw, received_at=entry.received_at)
            except (wire.PoisonEntry, ValidationError, NormalizationError) as exc:
                result.dead_letter(
                    entry,
                    stage=self.name,
                    stream=self.stream,
                    reason=describe(exc),
                    article_id=article_id,
                )
            except RecursionError:
                result.dead_letter(
                    entry,
                    stage=self.name,
                    stream=self.stream,
                    reason="input nested too deeply",
                    article_id=article_id,
                )
            else:
                fresh.append((entry, article, perf_counter() - started))
        if not fresh:
            return result
        previous = await self._redis.hmget(SEEN_KEY, [article.id for _, article, _ in fresh])
        batch_hashes: dict[str, str] = {}
        for (entry, article, took), before in zip(fresh, previous, strict=True):
            last = batch_hashes.get(article.id) or (before.decode() if isinstance(before, bytes) else before)
            if last == article.content_hash:
                result.settle(entry, "duplicate", article.id, duration_ms=round(took * 1000, 3))
                continue
            batch_hashes[article.id] = article.content_hash
            result.emit(entry, NORMALIZED, article)
            outcome = "correction" if last else "normalized"
            result.settle(
                entry,
                outcome,
                article.id,
                duration_ms=round(took * 1000, 3),
                language=article.language,
            )
        result.hash_updates[SEEN_KEY] = batch_hashes
        return result


class EnrichStage:
    """``articles.normalized`` -> ``meetings.events`` (+ the article's outcome for the sink)."""

    name = "enrich"
    stream = NORMALIZED
    group = GROUP_ENRICH

    def __init__(self, settings: Settings) -> None:
        self._tz = settings.timezone
        self._events_maxlen = settings.events_maxlen
        self._max_bytes = max(settings.max_body_bytes * 4, 1_000_000)

    async def process(self, entries: Sequence[Entry]) -> BatchResult:
        """Extract the meetings of each article."""
        result = BatchResult()
        for entry in entries:
            started = perf_counter()
            try:
                article = NormalizedArticle.model_validate(wire.decode_entry(entry.fields, max_bytes=self._max_bytes))
            except (wire.PoisonEntry, ValidationError) as exc:
                result.dead_letter(
                    entry,
                    stage=self.name,
                    stream=self.stream,
                    reason=describe(exc),
                    article_id=article_id_of(entry.fields),
                )
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
                result.emit(entry, EVENTS, event, maxlen=self._events_maxlen)
            result.emit(
                entry,
                ENRICHED,
                ArticleOutcome(
                    article=article,
                    outcome=outcome,
                    event_ids=[e.event_id for e in events],
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


class _SinkStage:
    """Shared batch logic of the two sink subscribers: validate, save in one transaction."""

    name = "sink"
    group = GROUP_SINK
    stream: str

    def __init__(self, store: MeetingStore) -> None:
        self._store = store

    def _parse(self, entry: Entry) -> ArticleOutcome | MeetingEvent:
        raise NotImplementedError

    async def _save(self, items: Sequence[ArticleOutcome | MeetingEvent]) -> None:
        raise NotImplementedError

    async def process(self, entries: Sequence[Entry]) -> BatchResult:
        """Persist the batch; a row that fails alone is isolated and left pending."""
        result, _ = await self._store_batch(entries)
        return result

    async def _store_batch(
        self, entries: Sequence[Entry]
    ) -> tuple[BatchResult, list[tuple[Entry, ArticleOutcome | MeetingEvent]]]:
        """Persist the batch; return the result and the entries stored, with what each held."""
        result = BatchResult()
        stored: list[tuple[Entry, ArticleOutcome | MeetingEvent]] = []
        parsed: list[tuple[Entry, ArticleOutcome | MeetingEvent]] = []
        for entry in entries:
            try:
                parsed.append((entry, self._parse(entry)))
            except (wire.PoisonEntry, ValidationError) as exc:
                result.dead_letter(
                    entry,
                    stage=self.name,
                    stream=self.stream,
                    reason=describe(exc),
                    article_id=article_id_of(entry.fields),
                )
        if not parsed:
            return result, stored
        started = perf_counter()
        try:
            await self._save([item for _, item in parsed])
        except Exception as exc:
            if is_transient(exc):
                raise
            for entry, item in parsed:
                try:
                    await self._save([item])
                except Exception as one_exc:
                    if is_transient(one_exc):
                        raise
                    result.leave_pending(entry, one_exc, _article_id(item))
                else:
                    result.settle(entry, "stored", _article_id(item))
                    stored.append((entry, item))
            return result, stored
        took = (perf_counter() - started) * 1000 / len(parsed)
        for entry, item in parsed:
            result.settle(entry, "stored", _article_id(item), duration_ms=round(took, 3))
        return result, parsed


def _article_id(item: ArticleOutcome | MeetingEvent) -> str:
    return item.article.id if isinstance(item, ArticleOutcome) else item.article_id


class SinkOutcomesStage(_SinkStage):
    """``articles.enriched`` -> the articles table."""

    stream = ENRICHED

    def _parse(self, entry: Entry) -> ArticleOutcome:
        return ArticleOutcome.model_validate(wire.decode_entry(entry.fields, max_bytes=1 << 30))

    async def _save(self, items: Sequence[ArticleOutcome | MeetingEvent]) -> None:
        await self._store.save_outcomes([i for i in items if isinstance(i, ArticleOutcome)])


class SinkEventsStage(_SinkStage):
    """``meetings.events`` -> the meeting tables, then each event's canonical meeting -> ``meetings.canonical``."""

    stream = EVENTS

    def __init__(self, store: MeetingStore, canonical: CanonicalStore | None) -> None:
        super().__init__(store)
        self._canonical = canonical

    async def process(self, entries: Sequence[Entry]) -> BatchResult:
        """Store the events, then link each stored event to its canonical meeting and publish the change."""
        result, stored = await self._store_batch(entries)
        if self._canonical is None:
            return result
        events = {item.event_id: (entry, item) for entry, item in stored if isinstance(item, MeetingEvent)}
        if not events:
            return result
        changes = await self._canonical.assign([e for _, e in events.values()], now=datetime.now(UTC))
        for (entry, _), change in zip((events[k] for k in sorted(events)), changes, strict=True):
            result.emit(entry, CANONICAL, change)
        return result

    def _parse(self, entry: Entry) -> MeetingEvent:
        return MeetingEvent.model_validate(wire.decode_entry(entry.fields, max_bytes=1 << 30))

    async def _save(self, items: Sequence[ArticleOutcome | MeetingEvent]) -> None:
        await self._store.save_events([i for i in items if isinstance(i, MeetingEvent)])
