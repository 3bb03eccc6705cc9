"""Corpus-level figures on the labelled dev corpora stay above their floors."""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pytest

from schemas import RawArticle
from service.pipeline import enrich, normalize
from tests.unit.pipeline.conftest import RECEIVED_AT, load_jsonl

_STYLES = frozenset({"samdech", "he", "dr", "mr", "mrs", "ms", "madam", "general", "gen"})


def _name_key(name: str) -> tuple[str, ...]:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    words = re.sub(r"[^a-z\s-]", " ", ascii_name).replace("-", " ").split()
    return tuple(w for w in words if w not in _STYLES)


def _same_person(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    if not a or not b:
        return False
    small, big = sorted((set(a), set(b)), key=len)
    return a == b or (len(small) >= 2 and small <= big)


def _pair_people(gold: list[dict[str, Any]], pred: list[dict[str, Any]]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    pairs, used = [], set()
    for g in gold:
        for j, p in enumerate(pred):
            if j not in used and _same_person(_name_key(g["name"]), _name_key(p["name"])):
                pairs.append((g, p))
                used.add(j)
                break
    return pairs


@dataclass
class _Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def f1(self) -> float:
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def _figures(articles: Iterable[dict[str, Any]], received_at: datetime) -> dict[str, float]:
    meetings, people, topics = _Counts(), _Counts(), _Counts()
    agree: dict[str, list[bool]] = {k: [] for k in ("kind", "date", "city", "role", "pcountry")}
    for record in articles:
        gold = record["gold"]["meetings"]
        article = normalize(RawArticle.model_validate(record), received_at=received_at)
        pred = [e.model_dump(mode="json") for e in enrich(article)]
        scored = []
        for i, g in enumerate(gold):
            for j, p in enumerate(pred):
                overlap = len(_pair_people(g["participants"], p["participants"]))
                if overlap:
                    scored.append((overlap, g["date"] == p["date"], -i, -j, i, j))
        used_g: set[int] = set()
        used_p: set[int] = set()
        for *_, i, j in sorted(scored, reverse=True):
            if i in used_g or j in used_p:
                continue
            used_g.add(i)
            used_p.add(j)
            g, p = gold[i], pred[j]
            pairs = _pair_people(g["participants"], p["participants"])
            people.tp += len(pairs)
            people.fp += len(p["participants"]) - len(pairs)
            people.fn += len(g["participants"]) - len(pairs)
            agree["role"] += [gp["role"] == pp["role"] for gp, pp in pairs]
            agree["pcountry"] += [gp["country"] == pp["country"] for gp, pp in pairs]
            for field in ("kind", "date", "city"):
                agree[field].append((g[field] or "").lower() == (p[field] or "").lower())
            gt, pt = set(g["topics"]), set(p["topics"])
            topics.tp += len(gt & pt)
            topics.fp += len(pt - gt)
            topics.fn += len(gt - pt)
        meetings.tp += len(used_g)
        meetings.fp += len(pred) - len(used_p)
        meetings.fn += len(gold) - len(used_g)
        people.fn += sum(len(gold[i]["participants"]) for i in range(len(gold)) if i not in used_g)
        people.fp += sum(len(pred[j]["participants"]) for j in range(len(pred)) if j not in used_p)
    figures = {"meeting_f1": meetings.f1(), "participant_f1": people.f1(), "topic_f1": topics.f1()}
    figures.update({k: sum(v) / len(v) for k, v in agree.items()})
    return figures


FLOORS = {
    "meeting_f1": 0.95,
    "participant_f1": 0.935,
    "topic_f1": 0.83,
    "kind": 0.955,
    "date": 0.99,
    "city": 0.94,
    "role": 0.97,
    "pcountry": 0.97,
}


@pytest.fixture(scope="module")
def figures() -> dict[str, float]:
    return _figures(load_jsonl("dev.jsonl") + load_jsonl("dev2.jsonl"), RECEIVED_AT)


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_corpus_figure_above_floor(figures: dict[str, float], name: str) -> None:
    assert figures[name] >= FLOORS[name], f"{name}={figures[name]:.4f}"
