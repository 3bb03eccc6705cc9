"""Stream, consumer-group and field names shared by feeds, workers and subscribers."""

from typing import Final

RAW: Final = "articles.raw"
"""Raw articles from upstream feeds and ``meetwire publish``."""
NORMALIZED: Final = "articles.normalized"
"""Normalized articles, written by the normalize stage."""
ENRICHED: Final = "articles.enriched"
"""Internal: one outcome per article (with its normalized text), written by enrich for the sink."""
EVENTS: Final = "meetings.events"
"""Meeting events, written by enrich; read by the sink and downstream subscribers."""
DEAD: Final = "articles.dead"
"""Dead letters: what a stage could not process, with the reason."""
CANONICAL: Final = "meetings.canonical"
"""Canonical meetings (merged across reports), for downstream subscribers."""

GROUP_NORMALIZE: Final = "normalize"
GROUP_ENRICH: Final = "enrich"
GROUP_SINK: Final = "sink"

DATA_FIELD: Final = "__data__"
"""The one stream-entry field that holds a message as a JSON object."""

PIPELINE: Final[tuple[tuple[str, str], ...]] = (
    (RAW, GROUP_NORMALIZE),
    (NORMALIZED, GROUP_ENRICH),
    (ENRICHED, GROUP_SINK),
    (EVENTS, GROUP_SINK),
)
"""Every (stream, group) pair the pipeline reads, in pipeline order."""
