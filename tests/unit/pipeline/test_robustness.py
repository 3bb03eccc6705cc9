"""Normalize and enrich never raise anything but NormalizationError."""

from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from schemas import RawArticle
from service.pipeline import NormalizationError, enrich, normalize

RECEIVED = datetime(2026, 1, 1, tzinfo=UTC)
_WORDS = st.sampled_from(
    [
        "Samdech",
        "Hun",
        "Manet",
        "H.E.",
        "received",
        "met",
        "paid a courtesy call on",
        "Prime Minister",
        "Phnom Penh (FN), Jun. 4 –",
        "yesterday",
        "on Monday",
        "(",
        ")",
        ",",
        ".",
        "\n\n",
        "<p>",
        "</p>",
        "King",
        "audience",
        "telephone",
        "Jun. 31",
        "–",
        "=FRESH NEWS",
        "Cambodian",
        "Thai",
        "Ambassador",
    ]
)
_BODIES = st.one_of(st.text(min_size=1, max_size=400), st.lists(_WORDS, min_size=1, max_size=60).map(" ".join))


@settings(max_examples=300, deadline=None)
@given(body=_BODIES, title=st.one_of(st.none(), st.text(max_size=40)))
def test_arbitrary_text_raises_only_normalization_error(body: str, title: str | None) -> None:
    raw = RawArticle.model_construct(id="h-1", source="Fresh News", url=None, published_at=None, title=title, body=body)
    try:
        article = normalize(raw, received_at=RECEIVED)
    except NormalizationError:
        return
    for event in enrich(article):
        assert event.article_id == "h-1"
        assert 0.0 <= event.confidence <= 1.0
