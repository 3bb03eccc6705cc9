"""Where an event comes from: the outlet, URL and publication stamp of its article."""

from collections.abc import Sequence

from schemas import MeetingEvent, NormalizedArticle


def with_provenance(events: Sequence[MeetingEvent], article: NormalizedArticle) -> list[MeetingEvent]:
    """``events`` with their article's source, URL and ``published_at``."""
    update = {"source": article.source, "url": article.url, "published_at": article.published_at}
    return [event.model_copy(update=update) for event in events]
