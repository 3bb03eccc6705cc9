"""Pure extraction pipeline: raw article -> normalized article -> meeting events."""

from service.pipeline.enrich import EXTRACTOR_VERSION, enrich
from service.pipeline.normalize import NormalizationError, normalize

SUPPORTED_LANGUAGES = frozenset({"en"})

__all__ = ["EXTRACTOR_VERSION", "SUPPORTED_LANGUAGES", "NormalizationError", "enrich", "normalize"]
