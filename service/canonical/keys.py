"""Normalized keys for people, titles and places, and the blocking keys a store indexes meetings by."""

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Iterator
from functools import lru_cache

from schemas.canonical import CanonicalMeeting
from schemas.meeting import MeetingEvent, Participant
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


def is_unnamed(participant: Participant) -> bool:
    """Whether the participant is named only by office and country (``Cambodian Prime Minister``)."""
    return _unnamed(participant.name)


@lru_cache(maxsize=65_536)
def _unnamed(name: str) -> bool:
    return all(w in _TITLE_VOCABULARY for w in _words(name))


def title_key(participant: Participant) -> frozenset[str]:
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


def person_match(a: Participant, b: Participant) -> float:
    """How surely two participants are the same person: `name_match`, or 0.8 for the same office of the same
    country when one is named only by office."""
    if not is_unnamed(a) and not is_unnamed(b):
        return name_match(a.name, b.name)
    office = title_key(a)
    return 0.8 if office and a.country is not None and a.country == b.country and office == title_key(b) else 0.0


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


def _parts(participants: list[Participant]) -> set[str]:
    """Words of the participants' names and pairs of their countries."""
    tokens = {t for p in participants if not is_unnamed(p) for t in person_key(p.name)}
    countries = sorted({p.country for p in participants if p.country})
    return {f"p:{t}" for t in tokens} | {f"c:{a}+{b}" for i, a in enumerate(countries) for b in countries[i + 1 :]}


def blocking_keys(item: MeetingEvent | CanonicalMeeting) -> set[str]:
    """Keys to index a meeting by, or to look up an event's candidate meetings with.

    Each key is a day of the item's date window widened by one day on each side, combined with a word of a
    participant's name (``2024-06-04|p:manet``) or with a pair of participants' countries
    (``2024-06-04|c:KHM+USA``). An event and a meeting whose dates can match (`MAX_DATE_GAP` days apart
    at most) and that share a person or a pair of countries share a key. A meeting combines the days and
    the names of all its reports. Reports without a date give no keys.
    """
    if isinstance(item, MeetingEvent):
        dated = [(item.date, item.evidence.date is not None, item.participants)] if item.date else []
    else:
        dated = [(r.date, r.date_stated, r.participants) for r in item.reports if r.date]
    days = {day for date, stated, _ in dated for day in _days(date_window(date, stated))}
    parts = set().union(*(_parts(participants) for _, _, participants in dated))
    return {f"{day.isoformat()}|{part}" for day in days for part in parts}
