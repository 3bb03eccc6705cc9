"""Normalized keys for people, titles and places, and the blocking keys a store indexes meetings by."""

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Protocol

from schemas.canonical import CanonicalMeeting
from schemas.meeting import MeetingEvent, Participant
from service.canonical.memo import ByIdentity
from service.pipeline.lexicon import DEMONYMS, HONORIFICS, TITLE_WORDS

MAX_DATE_GAP = 2
"""Most days between two reports' dates (or date windows) that can still be the same meeting."""

SAME_PERSON = 0.6
"""Least `person_match` at which two participants are taken for the same person."""

UNSTATED_SPAN = 3
"""Days before an unstated date (the publication day, an upper bound) the meeting may have taken place."""

_FOLD = str.maketrans({"đ": "d", "ð": "d", "ø": "o", "ł": "l", "ı": "i", "ß": "ss", "æ": "ae", "œ": "oe", "þ": "th"})
_DROP_RE = re.compile(r"[.'’`´ʼ]")
_SPLIT_RE = re.compile(r"[^\w]+|_")
_STOP = frozenset({"the", "of", "and", "for", "to", "on", "in", "at", "a", "an", "de"})
_TITLE_SYNONYMS = {
    "pm": ("prime", "minister"),
    "premier": ("prime", "minister"),
    "fm": ("foreign", "minister"),
    "dpm": ("deputy", "prime", "minister"),
    "defense": ("defence",),
    "councillor": ("councilor",),
    "counsellor": ("councilor",),
}


@lru_cache(maxsize=65_536)
def fold(text: str) -> str:
    """Casefold ``text`` and strip its diacritics: ``Phạm Minh Chính`` -> ``pham minh chinh``."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_FOLD))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=65_536)
def _words(text: str) -> tuple[str, ...]:
    """Folded words of ``text``: dots and apostrophes dropped, split on spaces, hyphens and punctuation."""
    return tuple(w for w in _SPLIT_RE.split(_DROP_RE.sub("", fold(text))) if w)


def _sequences(phrases: Iterable[str]) -> frozenset[tuple[str, ...]]:
    return frozenset(tuple(words) for p in phrases if (words := _words(p)))


_STRIPPED = _sequences([*HONORIFICS, *TITLE_WORDS, "Mr", "Mrs", "Ms", "Miss"])
_LONGEST_STRIPPED = max(len(s) for s in _STRIPPED)
_DEMONYM_WORDS = frozenset(w for d in DEMONYMS for w in _words(d))
_TITLE_VOCABULARY = frozenset(w for s in _STRIPPED for w in s) | _STOP | _DEMONYM_WORDS


def name_tokens(name: str) -> list[str]:
    """The words of a person's name in written order, leading honorifics, ranks and titles and initials removed."""
    return list(_name_tokens(name))


@lru_cache(maxsize=65_536)
def _name_tokens(name: str) -> tuple[str, ...]:
    words = _words(name)
    start = 0
    while start < len(words):
        size = next(
            (
                n
                for n in range(min(_LONGEST_STRIPPED, len(words) - start), 0, -1)
                if tuple(words[start : start + n]) in _STRIPPED
            ),
            0,
        )
        if not size:
            break
        start += size
    words = words[start:]
    full = tuple(w for w in words if len(w) > 1)
    return full if len(full) >= 2 else words


def person_key(name: str) -> frozenset[str]:
    """Order-free key of a person's name: ``Samdech Techo Hun Sen``, ``HUN Sen`` and ``Sen Hun`` give the same key."""
    return frozenset(name_tokens(name))


class Person(Protocol):
    """What identifies a person: a `Participant`, or a canonical meeting's merged participant."""

    name: str
    title: str | None
    country: str | None


Identity = tuple[str, str | None, str | None]
"""A person's name, title and country: all `person_match` looks at."""


def identity(person: Person) -> Identity:
    """The name, title and country of ``person``."""
    return person.name, person.title, person.country


def is_unnamed(participant: Person) -> bool:
    """Whether the participant is named only by office and country (``Cambodian Prime Minister``)."""
    return _unnamed(participant.name)


@lru_cache(maxsize=65_536)
def _unnamed(name: str) -> bool:
    return all(w in _TITLE_VOCABULARY for w in _words(name))


def title_key(participant: Person) -> frozenset[str]:
    """Order-free key of a participant's office (from the title, else an unnamed participant's name)."""
    return _office(participant.title or (participant.name if is_unnamed(participant) else ""))


@lru_cache(maxsize=65_536)
def _office(text: str) -> frozenset[str]:
    words: list[str] = []
    for word in _words(text):
        words.extend(_TITLE_SYNONYMS.get(word, (word,)))
    return frozenset(w for w in words if w not in _STOP and w not in _DEMONYM_WORDS)


def place_key(text: str | None) -> str | None:
    """Folded place name without punctuation: ``Hà Nội`` and ``Ha Noi`` give ``hanoi``."""
    return ("".join(_words(text)) or None) if text else None


@lru_cache(maxsize=262_144)
def name_match(a: str, b: str) -> float:
    """How surely two names are the same person, 0 to 1.

    1 for equal keys (any word order), 0.95 for the same letters split differently (``Yoon Suk-yeol``,
    ``Yoon Sukyeol``), 0.9 when one name's two or more words are all in the other (``Antony Blinken``,
    ``Antony John Blinken``), 0.6 for one word in the other (``Kishida``, ``Fumio Kishida``), else 0.
    """
    ta, tb = name_tokens(a), name_tokens(b)
    ka, kb = frozenset(ta), frozenset(tb)
    if not ka or not kb:
        return 0.0
    if ka == kb:
        return 1.0
    if "".join(ta) == "".join(tb) or "".join(sorted(ta)) == "".join(sorted(tb)):
        return 0.95
    small, big = sorted((ka, kb), key=len)
    if small <= big:
        return 0.9 if len(small) >= 2 else 0.6
    return 0.0


def person_match(a: Person, b: Person) -> float:
    """How surely two participants are the same person: `name_match`, or 0.8 for the same office of the same
    country when one is named only by office."""
    return identity_match(identity(a), identity(b))


@lru_cache(maxsize=262_144)
def identity_match(a: Identity, b: Identity) -> float:
    """`person_match` of the people with identities ``a`` and ``b``."""
    (name_a, title_a, country_a), (name_b, title_b, country_b) = a, b
    if not _unnamed(name_a) and not _unnamed(name_b):
        return name_match(name_a, name_b)
    office = _office(title_a or (name_a if _unnamed(name_a) else ""))
    if not office or country_a is None or country_a != country_b:
        return 0.0
    return 0.8 if office == _office(title_b or (name_b if _unnamed(name_b) else "")) else 0.0


def time_key(moment: dt.datetime | dt.date | None) -> dt.datetime:
    """Sort key of a publication stamp: a date is its midnight, naive times are UTC, missing ones sort last."""
    if moment is None:
        return dt.datetime.max.replace(tzinfo=dt.UTC)
    if not isinstance(moment, dt.datetime):
        return dt.datetime(moment.year, moment.month, moment.day, tzinfo=dt.UTC)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def date_window(date: dt.date, stated: bool) -> tuple[dt.date, dt.date]:
    """Days the meeting may have taken place: the date itself, or up to `UNSTATED_SPAN` days before an unstated one."""
    return (date - dt.timedelta(days=UNSTATED_SPAN), date) if not stated else (date, date)


def _days(window: tuple[dt.date, dt.date]) -> Iterator[dt.date]:
    widen = dt.timedelta(days=(MAX_DATE_GAP + 1) // 2)
    day, last = window[0] - widen, window[1] + widen
    while day <= last:
        yield day
        day += dt.timedelta(days=1)


KeyParts = tuple[frozenset[str], frozenset[str]]
"""The days (ISO dates) and the name words and country pairs that an item's blocking keys combine."""

NO_KEYS: KeyParts = (frozenset(), frozenset())

_MEETING_PARTS = ByIdentity[CanonicalMeeting, KeyParts]()


@lru_cache(maxsize=65_536)
def _window_days(date: dt.date, stated: bool) -> frozenset[str]:
    return frozenset(day.isoformat() for day in _days(date_window(date, stated)))


@lru_cache(maxsize=65_536)
def _people_parts(people: tuple[tuple[str, str | None], ...]) -> frozenset[str]:
    """Words of the names and pairs of the countries of people given as (name, country)."""
    tokens = {t for name, _ in people if not _unnamed(name) for t in person_key(name)}
    countries = sorted({country for _, country in people if country})
    pairs = {f"c:{a}+{b}" for i, a in enumerate(countries) for b in countries[i + 1 :]}
    return frozenset({f"p:{t}" for t in tokens} | pairs)


def report_parts(date: dt.date | None, stated: bool, participants: list[Participant]) -> KeyParts:
    """`key_parts` of one report: of its date (or date window) and its participants; none without a date."""
    if date is None:
        return NO_KEYS
    return _window_days(date, stated), _people_parts(tuple((p.name, p.country) for p in participants))


def union(parts: list[KeyParts]) -> KeyParts:
    """The days and the parts of all of ``parts``: `key_parts` of a meeting from those of its reports."""
    return frozenset[str]().union(*(d for d, _ in parts)), frozenset[str]().union(*(w for _, w in parts))


def key_parts(item: MeetingEvent | CanonicalMeeting) -> KeyParts:
    """The days and parts of `blocking_keys` of ``item``: its keys are every day combined with every part."""
    if isinstance(item, MeetingEvent):
        return report_parts(item.date, item.evidence.date is not None, item.participants)
    held = _MEETING_PARTS.get(item)
    if held is not None:
        return held
    parts = union([report_parts(r.date, r.date_stated, r.participants) for r in item.reports])
    remember_key_parts(item, parts)
    return parts


def remember_key_parts(meeting: CanonicalMeeting, parts: KeyParts) -> None:
    """Remember that ``meeting`` has ``parts`` as its `key_parts` (a meeting is never changed once built)."""
    _MEETING_PARTS.put(meeting, parts)


def combine(days: Iterable[str], parts: frozenset[str]) -> set[str]:
    """The blocking keys of ``days`` combined with ``parts``."""
    return {f"{day}|{part}" for day in days for part in parts}


def new_keys(before: KeyParts, after: KeyParts) -> set[str]:
    """The keys of ``after`` that are not keys of ``before``."""
    (old_days, old_parts), (days, parts) = before, after
    return combine(days - old_days, parts) | combine(days & old_days, parts - old_parts)


def blocking_keys(item: MeetingEvent | CanonicalMeeting) -> set[str]:
    """Keys to index a meeting by, or to look up an event's candidate meetings with.

    Each key is a day of the item's date window widened by one day on each side, combined with a word of a
    participant's name (``2024-06-04|p:manet``) or with a pair of participants' countries
    (``2024-06-04|c:KHM+USA``). An event and a meeting whose dates can match (`MAX_DATE_GAP` days apart
    at most) and that share a person or a pair of countries share a key. A meeting combines the days and
    the names of all its reports. Reports without a date give no keys.
    """
    return combine(*key_parts(item))
