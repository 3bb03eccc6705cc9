"""The seed article yields exactly its labelled event."""

from datetime import datetime

from schemas import RawArticle
from service.pipeline import EXTRACTOR_VERSION, enrich, normalize
from tests.unit.pipeline.conftest import load_jsonl


def test_seed_event_is_exact(received_at: datetime) -> None:
    (record,) = load_jsonl("seed-example.jsonl")
    article = normalize(RawArticle.model_validate(record), received_at=received_at)
    (event,) = enrich(article)
    (gold,) = record["gold"]["meetings"]
    produced = event.model_dump(mode="json")
    for field in ("kind", "date", "venue", "city", "country"):
        assert produced[field] == gold[field], field
    assert sorted(produced["participants"], key=lambda p: p["name"]) == sorted(
        gold["participants"], key=lambda p: p["name"]
    )
    assert set(produced["topics"]) == set(gold["topics"])
    assert event.event_id == "seed-0001#0"
    assert event.extractor_version == EXTRACTOR_VERSION
    assert event.content_hash == article.content_hash
    assert event.codes.plover_mode == "visit"
    assert event.codes.cameo == ["042", "043"]
    assert 0.0 <= event.confidence <= 1.0
    assert len(event.evidence.participants) == 2
    start, end = event.evidence.venue or (0, 0)
    assert article.text[start:end] == "Peace Palace"


def test_seed_is_stable_across_redelivery(received_at: datetime) -> None:
    (record,) = load_jsonl("seed-example.jsonl")
    raw = RawArticle.model_validate(record)
    first = enrich(normalize(raw, received_at=received_at))
    second = enrich(normalize(raw, received_at=received_at))
    assert [e.model_dump() for e in first] == [e.model_dump() for e in second]
