"""Where a meeting took place: venue, city and country (ISO alpha-3)."""

import re
from dataclasses import dataclass

from service.pipeline.lexicon import CITIES, COUNTRY_NAMES

Span = tuple[int, int]

_CITY_ALT = "|".join(re.escape(c) for c in sorted(CITIES, key=len, reverse=True))
_COUNTRY_ALT = "|".join(re.escape(c) for c in sorted(COUNTRY_NAMES, key=len, reverse=True) if len(c) > 2)
_VENUE_HEADS = (
    r"Palace|House|Hall|Villa|Building|Office|Ministry|Embassy|Residence|Hotel|Centre|Center|Headquarters|"
    r"Diwan|Negara|Senate|National Assembly|Parliament|Secretariat|Compound|Pagoda|Temple|Room|Mansion|"
    r"Guesthouse|Guest House|Perdana|Istana [A-Z]\w+|Kremlin|Elysee|Élysée"
)
_VENUE_RE = re.compile(
    r"at (?:the )?(?:parlour of |headquarters of |office of )?"
    r"(?P<venue>(?:[A-ZÉ][\w'’.–-]*\s+(?:of\s+(?:the\s+)?|and\s+)?){0,7}"
    r"(?:" + _VENUE_HEADS + r")(?:\s+(?:of|for)\s+(?:the\s+)?[A-Z][\w'’-]*(?:\s+(?:and\s+)?[A-Z][\w'’-]*){0,5})?)"
)
_VENUE_ONLY_RE = re.compile(
    r"at (?:the )?(?P<venue>Istana Negara|Senate|National Assembly|Élysée|Elysee Palace|Kremlin)\b"
)
_IN_CITY_RE = re.compile(
    r"(?:in|at|to|here in|from) (?:the )?(?:capital city of |capital |city of )?(?P<city>" + _CITY_ALT + r")\b"
)
_CITY_SUFFIX_RE = re.compile(r"in (?P<city>[A-Z][a-z]+(?: [A-Z][a-z]+)?) city\b")
_IN_COUNTRY_RE = re.compile(
    r"(?:in|visit to|visiting|trip to|tour of|visit in|arrived in) (?:the )?(?P<country>" + _COUNTRY_ALT + r")\b"
)
_IN_ONLY_CITY_RE = re.compile(
    r"(?:in|here in) (?:the )?(?:capital city of |capital |city of )?(?P<city>" + _CITY_ALT + r")\b"
)
_HERE_RE = re.compile(r"here\b")
_PLAIN_VENUE_RE = re.compile(
    r"at (?:the|his|her|their) (?:ministry|palace|office|residence|embassy|headquarters|parliament|senate)\b"
)
_LOCAL_VENUE_RE = re.compile(r"Peace Palace|Royal Palace|Senate|National Assembly|Chamcar Mon|Council of Ministers")


def _search(pattern: re.Pattern[str], text: str, start: int, end: int) -> re.Match[str] | None:
    """The first match of ``pattern`` in ``text[start:end]`` that starts a word.

    The patterns leave out a leading word boundary so that the regex engine can skip ahead on their first
    characters; the boundary is checked here instead.
    """
    position = start
    while True:
        match = pattern.search(text, position, end)
        if (
            match is None
            or match.start() == 0
            or not (text[match.start() - 1].isalnum() or text[match.start() - 1] == "_")
        ):
            return match
        position = match.start() + 1


@dataclass(slots=True)
class Place:
    """Venue, city and country of a meeting, with their spans."""

    venue: str | None = None
    venue_span: Span | None = None
    city: str | None = None
    city_span: Span | None = None
    country: str | None = None
    country_span: Span | None = None


def find_venue(text: str, start: int, end: int) -> tuple[str, Span] | None:
    """The first venue named with "at the ..." in ``text[start:end]``."""
    match = _search(_VENUE_RE, text, start, end) or _search(_VENUE_ONLY_RE, text, start, end)
    if match is None:
        return None
    venue = match.group("venue").strip()
    venue = re.split(r"\s+in\s+", venue)[0]
    return venue, (match.start("venue"), match.start("venue") + len(venue))


def find_city(text: str, start: int, end: int) -> tuple[str, str, Span] | None:
    """The first known city the text says something happened in."""
    match = _search(_IN_CITY_RE, text, start, end)
    if match:
        city = match.group("city")
        return city, CITIES[city], (match.start("city"), match.end("city"))
    match = _search(_CITY_SUFFIX_RE, text, start, end)
    if match:
        return match.group("city"), "", (match.start("city"), match.end("city"))
    return None


def find_city_in(text: str, start: int, end: int) -> tuple[str, str, Span] | None:
    """The first known city the text says something happened "in"."""
    match = _search(_IN_ONLY_CITY_RE, text, start, end)
    if match:
        city = match.group("city")
        return city, CITIES[city], (match.start("city"), match.end("city"))
    return None


def names_venue(text: str, start: int, end: int) -> bool:
    """Whether the text names a venue in plain words, such as "at the ministry"."""
    return _search(_PLAIN_VENUE_RE, text, start, end) is not None


def find_country(text: str, start: int, end: int) -> tuple[str, Span] | None:
    """The first country the text says something happened in or was visited."""
    match = _search(_IN_COUNTRY_RE, text, start, end)
    if match:
        return COUNTRY_NAMES[match.group("country")], (match.start("country"), match.end("country"))
    return None


def says_here(text: str, start: int, end: int) -> Span | None:
    """Span of "here" in ``text[start:end]``, if the text says so."""
    match = _search(_HERE_RE, text, start, end)
    return (match.start(), match.end()) if match else None


def is_local_venue(venue: str) -> bool:
    """Whether ``venue`` names a seat of state in the dateline's city."""
    return _LOCAL_VENUE_RE.search(venue) is not None
