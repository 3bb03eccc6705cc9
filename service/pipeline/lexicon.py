"""Word lists and gazetteers shipped as package data, loaded once at import."""

import json
from functools import lru_cache
from importlib import resources
from typing import Any

import pycountry


def _load(name: str) -> Any:
    return json.loads(resources.files("service.pipeline.data").joinpath(name).read_text("utf-8"))


_COUNTRY_DATA: dict[str, dict[str, str]] = _load("countries.json")
_PEOPLE_DATA: dict[str, list[str]] = _load("people.json")
TOPIC_KEYWORDS: dict[str, dict[str, list[str]]] = _load("topics.json")
CUES: dict[str, list[str]] = _load("cues.json")

MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        ("january", "jan"),
        ("february", "feb"),
        ("march", "mar"),
        ("april", "apr"),
        ("may",),
        ("june", "jun"),
        ("july", "jul"),
        ("august", "aug"),
        ("september", "sep", "sept"),
        ("october", "oct"),
        ("november", "nov"),
        ("december", "dec"),
    ),
    start=1,
):
    for _name in _names:
        MONTHS[_name] = _number
        MONTHS[_name.capitalize()] = _number
        MONTHS[_name.upper()] = _number
WEEKDAYS: dict[str, int] = {
    name: index
    for index, name in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))
}


def _country_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            if value:
                names[value] = country.alpha_3
    names.update(_COUNTRY_DATA["aliases"])
    return names


COUNTRY_NAMES: dict[str, str] = _country_names()
"""Country names and aliases, as written, to ISO alpha-3."""
DEMONYMS: dict[str, str] = dict(_COUNTRY_DATA["demonyms"])
"""Adjectives of nationality to ISO alpha-3."""
CITIES: dict[str, str] = dict(_COUNTRY_DATA["cities"])
"""Cities of the region and capitals to ISO alpha-3."""
ORGANIZATIONS: dict[str, str] = dict(_COUNTRY_DATA["organizations"])
"""Names and acronyms of international bodies to their full names."""
SOURCES: dict[str, str] = dict(_COUNTRY_DATA["sources"])
"""Lower-cased outlet names to the country they report from."""

HONORIFICS: frozenset[str] = frozenset(_PEOPLE_DATA["honorifics"])
TITLES: tuple[str, ...] = tuple(sorted(_PEOPLE_DATA["titles"], key=len, reverse=True))
TITLE_WORDS: frozenset[str] = frozenset(_PEOPLE_DATA["title_words"])
PARTICLES: frozenset[str] = frozenset(_PEOPLE_DATA["particles"])
PLACE_PHRASES: frozenset[str] = frozenset(
    name for name in (*CITIES, *_COUNTRY_DATA["aliases"], *DEMONYMS) if " " in name
)
"""Multi-word place names and demonyms, stripped as a whole before a person's name."""
NOT_NAMES: frozenset[str] = frozenset(
    [
        *_PEOPLE_DATA["not_names"],
        *(name for name in (*CITIES, *COUNTRY_NAMES, *DEMONYMS) if " " not in name),
    ]
    + [
        word
        for name in (*ORGANIZATIONS, *_COUNTRY_DATA["aliases"])
        for word in name.split()
        if word[:1].isupper() and word.lower() not in PARTICLES
    ]
)
"""Capitalized words that are never part of a person's name."""


@lru_cache(maxsize=4096)
def country_of_place(name: str) -> str | None:
    """ISO alpha-3 of a country, city, demonym or alias written as ``name``, else None."""
    for table in (COUNTRY_NAMES, CITIES, DEMONYMS):
        code = table.get(name)
        if code:
            return code
    return None


@lru_cache(maxsize=1024)
def source_country(source: str) -> str | None:
    """Country an outlet reports from, by its name."""
    lowered = source.lower().strip()
    if lowered in SOURCES:
        return SOURCES[lowered]
    found = [(source.find(name), code) for name, code in COUNTRY_NAMES.items() if len(name) > 3 and name in source]
    return min(found)[1] if found else None
