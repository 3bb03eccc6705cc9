"""The meeting date: explicit dates, weekdays and relative words resolved against the dateline."""

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from service.pipeline.lexicon import MONTHS, WEEKDAYS
from service.pipeline.text import lowered

Span = tuple[int, int]

_MONTH_ALT = "|".join(sorted((m for m in MONTHS if m.islower()), key=len, reverse=True))
_WEEKDAY_ALT = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_EXPLICIT_RE = re.compile(
    rf"\b(?:(?P<wd1>{_WEEKDAY_ALT}),?\s+)?(?:"
    rf"(?P<m1>{_MONTH_ALT})\.?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?(?:\s*[-–]\s*\d{{1,2}})?(?:,?\s+(?P<y1>\d{{4}}))?"
    rf"|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?(?:\s*[-–]\s*\d{{1,2}})?\s+(?P<m2>{_MONTH_ALT})\.?(?:,?\s+(?P<y2>\d{{4}}))?"
    rf")\b"
)
"""An explicit date, matched against the lower-cased text (:func:`lowered`): ignoring case costs twice as much."""
_RELATIVE_RE = re.compile(
    rf"\b(?P<word>yesterday|today|tonight|this (?:morning|afternoon|evening)|last night|"
    rf"(?:last |on |this |on the (?:morning|afternoon|evening) of )?(?P<wd>{_WEEKDAY_ALT})"
    rf"(?: (?:morning|afternoon|evening|night))?)\b"
)
"""A relative date, matched against the lower-cased text."""


_DIGITS_RE = re.compile(r"\d+")
_RELATIVE_WORDS = ("day", "night", "this ")


@dataclass(frozen=True, slots=True)
class DateContext:
    """What relative dates are resolved against."""

    dateline: date | None
    published: date | None
    received: date
    text_year: int | None = None


@dataclass(frozen=True, slots=True)
class FoundDate:
    """A resolved date and the span that gave it."""

    value: date
    span: Span
    explicit: bool


def _as_date(value: datetime | date | None) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    return value


def make_context(
    dateline_year: int | None,
    dateline_month: int | None,
    dateline_day: int | None,
    published_at: datetime | date | None,
    received_at: datetime,
    text_year: int | None,
) -> DateContext:
    """Fix the dateline's date, taking its year from the dateline, publication, text or reception."""
    published = _as_date(published_at)
    received = received_at.date()
    dateline: date | None = None
    if dateline_month and dateline_day:
        year = dateline_year or (published.year if published else None) or text_year
        if year is None:
            year = received.year
        if dateline_year is None:
            anchor = published or received
            dateline = _safe_date(year, dateline_month, dateline_day)
            if dateline and dateline > anchor + timedelta(days=2):
                dateline = _safe_date(year - 1, dateline_month, dateline_day)
        else:
            dateline = _safe_date(year, dateline_month, dateline_day)
    return DateContext(dateline=dateline, published=published, received=received, text_year=text_year)


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def infer_year(month: int, day: int, weekday: int | None, context: DateContext) -> int:
    """Year of a date written without one: the base date's year, else the latest matching one."""
    base = context.dateline or context.published
    if base is not None:
        candidate = _safe_date(base.year, month, day)
        if candidate and candidate > base + timedelta(days=2):
            return base.year - 1
        return base.year
    if context.text_year is not None:
        return context.text_year
    year = context.received.year
    for offset in range(0, 30):
        candidate = _safe_date(year - offset, month, day)
        if candidate is None or candidate > context.received:
            continue
        if weekday is None or candidate.weekday() == weekday:
            return year - offset
    return year


def explicit_dates(text: str, start: int, end: int, context: DateContext) -> list[FoundDate]:
    """Dates written out in ``text[start:end]``, years filled in."""
    found: list[FoundDate] = []
    low = lowered(text)
    for match in _explicit_matches(text, low, start, end):
        month_word = match.group("m1") or match.group("m2")
        day = int(match.group("d1") or match.group("d2"))
        year_text = match.group("y1") or match.group("y2")
        month = MONTHS[month_word]
        if month_word == "may" and match.group("m1") and text[match.start("m1")].islower():
            continue
        weekday_word = match.group("wd1")
        weekday = WEEKDAYS[weekday_word] if weekday_word else _weekday_before(low, match.start())
        year = int(year_text) if year_text else infer_year(month, day, weekday, context)
        value = _safe_date(year, month, day)
        if value is not None:
            found.append(FoundDate(value, (match.start(), match.end()), True))
    return found


def _explicit_matches(text: str, low: str, start: int, end: int) -> list[re.Match[str]]:
    """Matches of the explicit-date pattern in ``low[start:end]``, the lower-cased ``text``, tried only in
    windows around numbers."""
    windows: list[list[int]] = []
    for digits in _DIGITS_RE.finditer(text, start, end):
        begin = max(start, digits.start() - 26)
        high = min(end, digits.end() + 30)
        while high < end and text[high].isalnum():
            high += 1
        if windows and begin <= windows[-1][1]:
            windows[-1][1] = high
        else:
            windows.append([begin, high])
    return [match for begin, high in windows for match in _EXPLICIT_RE.finditer(low, begin, high)]


def _weekday_before(low: str, position: int) -> int | None:
    window = low[max(0, position - 30) : position]
    for name, index in WEEKDAYS.items():
        if name in window:
            return index
    return None


def relative_dates(text: str, start: int, end: int, context: DateContext) -> list[FoundDate]:
    """Dates given as "yesterday", "this morning" or a weekday, resolved against the dateline."""
    base = context.dateline or context.published
    if base is None:
        return []
    found: list[FoundDate] = []
    for match in _relative_matches(text, start, end):
        word = match.group("word")
        weekday = match.group("wd")
        if weekday:
            target = WEEKDAYS[weekday]
            delta = (base.weekday() - target) % 7
            if word.startswith("last ") and delta == 0:
                delta = 7
            value = base - timedelta(days=delta)
        elif word in {"yesterday", "last night"}:
            value = base - timedelta(days=1)
        else:
            value = base
        found.append(FoundDate(value, (match.start(), match.end()), False))
    return found


def _relative_matches(text: str, start: int, end: int) -> list[re.Match[str]]:
    """Matches of the relative-date pattern in ``text[start:end]``, tried only around its key words."""
    low = lowered(text)
    windows: list[list[int]] = []
    for word in _RELATIVE_WORDS:
        position = low.find(word, start, end)
        while position >= 0:
            window = [max(start, position - 40), min(end, position + 30)]
            while window[1] < end and low[window[1]].isalnum():
                window[1] += 1
            windows.append(window)
            position = low.find(word, position + 1, end)
    windows.sort()
    merged: list[list[int]] = []
    for window in windows:
        if merged and window[0] <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], window[1])
        else:
            merged.append(window)
    return [match for begin, high in merged for match in _RELATIVE_RE.finditer(low, begin, high)]


_YEAR_RES = (re.compile(r"19[89]\d\b"), re.compile(r"20[0-4]\d\b"))
"""Years of the 1980s to the 2040s; each opens with literal digits, so that the engine skips ahead to them."""


def text_year(text: str) -> int | None:
    """The first plausible year written in the text."""
    first: re.Match[str] | None = None
    for pattern in _YEAR_RES:
        position = 0
        while True:
            match = pattern.search(text, position)
            if match is None:
                break
            start = match.start()
            if start == 0 or not text[start - 1].isalnum():
                if first is None or start < first.start():
                    first = match
                break
            position = start + 1
    return int(first.group()) if first is not None else None
