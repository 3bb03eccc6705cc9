"""Small builders of valid articles, outcomes and events for the store tests."""

from datetime import UTC, date, datetime
from typing import Any

from schemas import (
    ArticleOutcome,
    Codes,
    Kind,
    MeetingEvent,
    NormalizedArticle,
    Outcome,
    Participant,
    PloverMode,
    Role,
    Topic,
)

HUN_MANET = Participant(name="Hun Manet", title="Prime Minister", country="KHM", role=Role.HOST)
AUSTIN = Participant(name="Lloyd Austin", title="Secretary of Defence", country="USA", role=Role.GUEST)


def outcome(
    article_id: str = "a1",
    *,
    content_hash: str = "hash-1",
    result: Outcome = Outcome.EVENTS,
    event_ids: list[str] | None = None,
    text: str = "Phnom Penh (FN), Jun. 4 - Lloyd Austin paid a courtesy call on Hun Manet.",
) -> ArticleOutcome:
    """An article outcome; by default one event, ``<article_id>#0``."""
    article = NormalizedArticle(
        id=article_id,
        source="Fresh News",
        url=f"https://example.org/{article_id}",
        published_at=date(2024, 6, 4),
        title="Courtesy call",
        text=text,
        language="en",
        content_hash=content_hash,
        received_at=datetime(2024, 6, 4, 3, 0, tzinfo=UTC),
    )
    if event_ids is None:
        event_ids = [f"{article_id}#0"] if result is Outcome.EVENTS else []
    return ArticleOutcome(article=article, outcome=result, event_ids=event_ids, extractor_version="0.1.0")


def event(
    article_id: str = "a1",
    position: int = 0,
    *,
    content_hash: str | None = "hash-1",
    **fields: Any,
) -> MeetingEvent:
    """A courtesy call of Lloyd Austin on Hun Manet in Phnom Penh; ``fields`` override any field."""
    values: dict[str, Any] = {
        "event_id": f"{article_id}#{position}",
        "article_id": article_id,
        "kind": Kind.COURTESY_CALL,
        "date": date(2024, 6, 4),
        "venue": "Peace Palace",
        "city": "Phnom Penh",
        "country": "KHM",
        "participants": [HUN_MANET, AUSTIN],
        "topics": [Topic.DEFENCE, Topic.BILATERAL_RELATIONS],
        "confidence": 0.9,
        "codes": Codes(plover_mode=PloverMode.VISIT, cameo=["042", "043"]),
        "extractor_version": "0.1.0",
        "content_hash": content_hash,
    }
    values.update(fields)
    return MeetingEvent.model_validate(values)
