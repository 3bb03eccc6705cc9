"""Random reports of a few confusable meetings.

Spelling variants, unnamed officials, merges, re-sent and revised events.
"""

import datetime as dt
import random

from schemas import Kind, MeetingEvent, Participant, Role, Topic
from schemas.canonical import Source
from tests.unit.canonical.factories import event, source

PEOPLE = [
    ("Hun Manet", "Prime Minister", "KHM"),
    ("HUN Manet", None, "KHM"),
    ("Samdech Hun Manet", "Prime Minister", "KHM"),
    ("Hun", None, "KHM"),
    ("Pham Minh Chinh", "Prime Minister", "VNM"),
    ("Phạm Minh Chính", None, "VNM"),
    ("Chinh", None, "VNM"),
    ("Wang Yi", "Foreign Minister", "CHN"),
    ("Atsushi Ueno", "Ambassador", "JPN"),
    ("Prime Minister", "Prime Minister", "THA"),
    ("Thai Prime Minister", None, "THA"),
    ("Sok Chenda Sophea", "Deputy Prime Minister", "KHM"),
    ("Antony Blinken", None, "USA"),
    ("Antony John Blinken", "Secretary of State", "USA"),
]
KINDS = [Kind.BILATERAL_MEETING, Kind.COURTESY_CALL, Kind.MULTILATERAL_MEETING, Kind.PHONE_CALL, Kind.BILATERAL_MEETING]
PLACES = [
    ("Phnom Penh", "KHM"),
    ("Phnom  Penh", "KHM"),
    ("Hanoi", "VNM"),
    ("Ha Noi", "VNM"),
    (None, None),
    (None, "KHM"),
]
CONFIDENCES = [0.5, 0.6, 0.75, 0.85, 0.9]


def reports(seed: int, count: int = 200, *, dated_stamps: bool = True) -> list[tuple[MeetingEvent, Source]]:
    """``count`` events in a random order, a tenth of them sent again and a tenth revised; with their sources.

    Stamps are datetimes, or now and then a bare date when ``dated_stamps``.
    """
    rng = random.Random(seed)
    stamps: list[dt.datetime | dt.date | None] = [None, dt.datetime(2025, 3, 4, 9, tzinfo=dt.UTC)]
    stamps += [dt.datetime(2025, 3, 4, 21), dt.datetime(2025, 3, 3, 23, tzinfo=dt.UTC)]
    if dated_stamps:
        stamps.append(dt.date(2025, 3, 5))
    out = []
    for k in range(count):
        people = [
            Participant(name=name, title=title, country=country, role=rng.choice(list(Role)))
            for name, title, country in rng.sample(PEOPLE, rng.choice([2, 2, 2, 3, 4]))
        ]
        city, country = rng.choice(PLACES)
        stamp = rng.choice(stamps)
        item = event(
            f"s{rng.randrange(10**6):06d}-{k}#{rng.randrange(2)}",
            *people,
            date=rng.choice([None, *(dt.date(2025, 3, day) for day in range(1, 9))]),
            stated=rng.random() < 0.7,
            kind=rng.choice(KINDS),
            city=city,
            country=country,
            venue=rng.choice([None, None, "Peace Palace", "peace palace"]),
            topics=tuple(rng.sample(list(Topic), rng.randrange(3))),
            confidence=rng.choice(CONFIDENCES),
        ).model_copy(update={"published_at": stamp, "source": rng.choice(["AKP", "VNA"]), "url": f"https://x.org/{k}"})
        out.append((item, source(item, item.source or "", stamp or dt.datetime(2025, 3, 6, tzinfo=dt.UTC))))
    for item, origin in rng.sample(out, count // 10):
        out.append((item, origin))
        revised = item.model_copy(update={"topics": [rng.choice(list(Topic))], "confidence": 0.55})
        out.append((revised, origin))
    rng.shuffle(out)
    return out
