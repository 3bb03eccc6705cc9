"""Meeting events and sources built in a line, for the canonical-meeting tests."""

import datetime as dt

from schemas import Codes, Evidence, Kind, MeetingEvent, Participant, PloverMode, Role, Topic
from schemas.canonical import Source

_PEOPLE = {
    "Hun Manet": ("Prime Minister", "KHM"),
    "Hun Sen": ("President of the Senate", "KHM"),
    "Pham Minh Chinh": ("Prime Minister", "VNM"),
    "Phạm Minh Chính": ("Prime Minister", "VNM"),
    "Wang Yi": ("Foreign Minister", "CHN"),
    "Atsushi Ueno": ("Ambassador", "JPN"),
}


def person(
    name: str, role: Role = Role.PARTICIPANT, title: str | None = None, country: str | None = None
) -> Participant:
    """A participant; title and country default to the person's usual ones."""
    usual_title, usual_country = _PEOPLE.get(name, (None, None))
    return Participant(name=name, title=title or usual_title, country=country or usual_country, role=role)


def event(
    event_id: str,
    *people: str | Participant,
    date: dt.date | None = dt.date(2025, 3, 3),
    stated: bool = True,
    kind: Kind = Kind.BILATERAL_MEETING,
    city: str | None = "Phnom Penh",
    country: str | None = "KHM",
    venue: str | None = None,
    topics: tuple[Topic, ...] = (),
    confidence: float = 0.75,
) -> MeetingEvent:
    """A meeting event; ``stated=False`` makes its date the publication day (no evidence span)."""
    return MeetingEvent(
        event_id=event_id,
        article_id=event_id.split("#", maxsplit=1)[0],
        kind=kind,
        date=date,
        venue=venue,
        city=city,
        country=country,
        participants=[p if isinstance(p, Participant) else person(p) for p in people],
        topics=list(topics),
        evidence=Evidence(date=(0, 5) if stated and date else None),
        confidence=confidence,
        codes=Codes(plover_mode=PloverMode.VISIT, cameo=["042", "043"]),
        extractor_version="test",
    )


def source(
    event: MeetingEvent, outlet: str = "Fresh News", published_at: dt.datetime | dt.date | None = None
) -> Source:
    """The source of ``event``, published on the meeting day unless given."""
    return Source(
        outlet=outlet,
        article_id=event.article_id,
        event_id=event.event_id,
        url=f"https://example.org/{event.article_id}",
        published_at=published_at or event.date,
    )
