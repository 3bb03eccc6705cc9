"""The meetwire wire contract: pydantic models, enums and stream names.

Downstream subscribers import this package alone; it depends on nothing of the service.
"""

from schemas.article import Dateline, NormalizedArticle, RawArticle
from schemas.dead_letter import ArticleOutcome, DeadLetter, Outcome
from schemas.meeting import Codes, Evidence, Kind, MeetingEvent, Participant, PloverMode, Role, Span
from schemas.topics import Topic

SCHEMA_VERSION = 1

__all__ = [
    "SCHEMA_VERSION",
    "ArticleOutcome",
    "Codes",
    "Dateline",
    "DeadLetter",
    "Evidence",
    "Kind",
    "MeetingEvent",
    "NormalizedArticle",
    "Outcome",
    "Participant",
    "PloverMode",
    "RawArticle",
    "Role",
    "Span",
    "Topic",
]
