"""Pairwise evaluation of canonical meetings against a labelled set (`cluster` per article)."""

import datetime as dt
import itertools
import json
import random
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from schemas import MeetingEvent, RawArticle
from schemas.canonical import Source
from service.canonical.match import DEFAULT_THRESHOLD
from service.canonical.memory import MemoryIndex
from service.pipeline import enrich, normalize

DATA = Path(__file__).parents[2] / "data"
RECEIVED_AT = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Labelled:
    """An article's cluster label and the events extracted from it, each with its source."""

    article_id: str
    cluster: str
    events: tuple[tuple[MeetingEvent, Source], ...]


@cache
def load(name: str) -> tuple[Labelled, ...]:
    """Run the extractor on every article of ``tests/data/<name>``."""
    labelled = []
    for line in (DATA / name).read_text("utf-8").splitlines():
        row = json.loads(line)
        raw = RawArticle.model_validate(row)
        source = Source(outlet=raw.source, article_id=raw.id, event_id="", url=raw.url, published_at=raw.published_at)
        events = enrich(normalize(raw, received_at=RECEIVED_AT))
        pairs = tuple((e, source.model_copy(update={"event_id": e.event_id})) for e in events)
        labelled.append(Labelled(raw.id, row["cluster"], pairs))
    return tuple(labelled)


@dataclass(frozen=True)
class Scores:
    """Pairwise precision, recall and F1 of "these two articles report one meeting"."""

    precision: float
    recall: float
    f1: float


def run(articles: tuple[Labelled, ...], seed: int, threshold: float = DEFAULT_THRESHOLD) -> dict[str, set[str]]:
    """Assign every event in a shuffled order; the meeting ids each article's events ended in."""
    events = [pair for article in articles for pair in article.events]
    random.Random(seed).shuffle(events)
    index = MemoryIndex(threshold)
    for step, (event, source) in enumerate(events):
        index.add(event, source, now=RECEIVED_AT + dt.timedelta(seconds=step))
    return {a.article_id: {m for e, _ in a.events if (m := index.meeting_of(e.event_id))} for a in articles}


def partition(predicted: dict[str, set[str]]) -> frozenset[frozenset[str]]:
    """The articles grouped by shared meetings, ids aside: equal for runs that group alike."""
    groups: dict[str, set[str]] = {}
    for article_id, meeting_ids in predicted.items():
        for meeting_id in meeting_ids:
            groups.setdefault(meeting_id, set()).add(article_id)
    return frozenset(frozenset(g) for g in groups.values())


def pairwise(articles: tuple[Labelled, ...], predicted: dict[str, set[str]]) -> Scores:
    """Two articles are predicted together when their events share a meeting."""
    true_pos = false_pos = false_neg = 0
    for a, b in itertools.combinations(articles, 2):
        gold = a.cluster == b.cluster
        guess = bool(predicted[a.article_id] & predicted[b.article_id])
        true_pos += gold and guess
        false_pos += guess and not gold
        false_neg += gold and not guess
    precision = true_pos / (true_pos + false_pos) if true_pos + false_pos else 1.0
    recall = true_pos / (true_pos + false_neg) if true_pos + false_neg else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(precision, recall, f1)
