"""Sentences and word tokens of a normalized article, with their character offsets, and fast phrase search."""

import re
from bisect import bisect_left
from collections.abc import Iterable
from functools import lru_cache
from typing import NamedTuple

import ahocorasick

from service.pipeline.lexicon import HONORIFICS, NOT_NAMES, TITLE_WORDS

Span = tuple[int, int]

_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "gen",
        "lt",
        "lieut",
        "col",
        "maj",
        "capt",
        "adm",
        "brig",
        "sen",
        "rep",
        "st",
        "no",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "h.e",
        "h.m",
        "h.r.h",
        "u.s",
        "u.k",
        "u.n",
        "e.g",
        "i.e",
        "etc",
        "vs",
        "hon",
        "rt",
        "jr",
        "sr",
        "co",
        "corp",
        "inc",
        "ltd",
        "snr",
        "pol",
    ]
)
_MONTH_ABBREVIATIONS = frozenset(["jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"])
"""Abbreviated months, which end a sentence unless a day follows them."""
_NAME_LIKE_ABBREVIATIONS = frozenset(["sen", "gen", "col", "maj", "capt", "adm", "brig", "lt", "rep", "hon", "pol"])
"""Abbreviated ranks that are also name syllables: after a capitalized word they end a sentence."""
_SENTENCE_END_RE = re.compile(r"[.!?\n](?:(?<=[.!?])[\"')\]]*(?=\s+[\"'(\[]?[A-ZÀ-Ỹ0-9])|(?<=\n)\n*)")
"""A sentence end or a line break, matched where :func:`_end_candidates` finds its first character."""
_WORD_RE = re.compile(r"(?:[A-ZÀ-Ỹ]\.){1,4}|[^\W\d_](?:[\w'’-]*\w)?|\d[\d,.:/-]*\w*")


new_tuple = tuple.__new__
"""Builds a named tuple from a tuple of its fields without the Python-level constructor, at half the cost."""


class Sentence(NamedTuple):
    """A sentence of the text: where it starts and ends, and its paragraph index."""

    start: int
    end: int
    text: str
    paragraph: int


class Token(NamedTuple):
    """A word of the text with its offsets."""

    start: int
    end: int
    text: str


def split_sentences(text: str, start: int = 0) -> list[Sentence]:
    """Split ``text[start:]`` into sentences, keeping absolute offsets."""
    sentences: list[Sentence] = []
    paragraph = 0
    begin = start
    reached = start
    match_end = _SENTENCE_END_RE.match
    for stop in _end_candidates(text, start):
        if stop < reached:
            continue
        match = match_end(text, stop)
        if match is None:
            continue
        reached = match.end()
        line_break = text[stop] == "\n"
        if line_break:
            end = stop
        else:
            word_start = max(text.rfind(" ", begin, stop) + 1, begin)
            if stop - word_start <= _LONGEST_ABBREVIATION or text[word_start] in _OPENERS:
                word = text[word_start:stop].lower().lstrip(_OPENERS)
                if word in _NAME_LIKE_ABBREVIATIONS and _ends_name(text, begin, word_start):
                    pass
                elif word in _MONTH_ABBREVIATIONS:
                    if _number_next(text, reached):
                        continue
                elif word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
                    continue
                if "." in word and len(word) <= 6 and word.replace(".", "").isalpha():
                    continue
            end = reached
        segment = text[begin:end]
        left = segment.lstrip()
        if left:
            stripped = left.rstrip()
            first = begin + len(segment) - len(left)
            sentences.append(new_tuple(Sentence, (first, first + len(stripped), stripped, paragraph)))
        if line_break:
            paragraph += 1
        begin = reached
    _add(sentences, text, begin, len(text), paragraph)
    return sentences


_OPENERS = "(\"'"
"""Characters a word may open with that do not count towards it being an abbreviation."""
_LONGEST_ABBREVIATION = 6
"""No word longer than this, without an opener, is taken for an abbreviation by :func:`split_sentences`."""


def _end_candidates(text: str, start: int) -> list[int]:
    """Where a sentence may end in ``text[start:]``: each stop, question or exclamation mark and line break,
    in order; found with :meth:`str.find`, much faster than a regex scan for a character class."""
    found: list[int] = []
    find = text.find
    for char in ".\n?!":
        position = find(char, start)
        while position >= 0:
            found.append(position)
            position = find(char, position + 1)
    found.sort()
    return found


def _number_next(text: str, position: int) -> bool:
    """Whether a number comes next after ``position``, so that "Jun." before it is a month ("Jun. 4"), not the end
    of a name that ends a sentence ("Dong Jun.")."""
    return text[position : position + 8].lstrip().lstrip(_OPENERS + "[")[:1].isdigit()


def _ends_name(text: str, begin: int, word_start: int) -> bool:
    """Whether the word before ``word_start`` may end a name, so that "Hun Sen." ends a sentence but
    "Minister of Defence Gen. Tea Banh" does not."""
    previous_start = text.rfind(" ", begin, max(begin, word_start - 1)) + 1
    previous = text[max(previous_start, begin) : word_start].strip()
    return (
        previous[:1].isupper()
        and previous[-1:].isalpha()
        and previous not in TITLE_WORDS
        and previous not in NOT_NAMES
        and previous not in HONORIFICS
    )


def _add(sentences: list[Sentence], text: str, begin: int, end: int, paragraph: int) -> None:
    segment = text[begin:end]
    left = segment.lstrip()
    if left:
        stripped = left.rstrip()
        begin += len(segment) - len(left)
        sentences.append(new_tuple(Sentence, (begin, begin + len(stripped), stripped, paragraph)))


def tokenize(text: str, offset: int = 0) -> list[Token]:
    """Word tokens of ``text`` with offsets shifted by ``offset``; initials keep their dots."""
    return [Token(m.start() + offset, m.end() + offset, m.group()) for m in _WORD_RE.finditer(text)]


@lru_cache(maxsize=16)
def lowered(text: str) -> str:
    """``text`` with its ASCII capitals and those of the phrase vocabulary lower-cased, offsets kept.

    What is matched against it is lower case and ASCII but for a few letters (:func:`_fold_capitals`), so other
    capitals can stay; :meth:`str.lower` of text beyond ASCII costs ten times more than this.
    """
    if text.isascii():
        return text.lower()
    low = text.encode("utf-16-le", "surrogatepass").lower().decode("utf-16-le", "surrogatepass")
    for capital, small in _FOLDED.items():
        if capital in low:
            low = low.replace(capital, small)
    return low


_FOLDED: dict[str, str] = {}
"""Capitals beyond ASCII that :func:`lowered` folds, to their small letters."""


def _fold_capitals(vocabulary: str) -> None:
    """Make :func:`lowered` fold the capitals of the letters beyond ASCII that ``vocabulary`` uses."""
    for char in vocabulary:
        capital = char.upper()
        if not char.isascii() and char.islower() and len(capital) == 1 and capital != char:
            _FOLDED[capital] = char
    lowered.cache_clear()


def _word_start(low: str, position: int) -> bool:
    return position == 0 or not (low[position - 1].isalnum() or low[position - 1] == "_")


def literal_prefixes(alternative: str) -> set[str]:
    """Literal texts one of which starts every match of ``alternative``, a leading group spelled out."""
    head, rest = _literal_head(alternative)
    if not rest.startswith("(?:"):
        return {head}
    close = _closing(rest)
    if close < 0 or rest[close + 1 : close + 2] in {"?", "*", "{"}:
        return {head}
    found: set[str] = set()
    for branch in _branches(rest[3:close]):
        inner = literal_prefixes(branch)
        if "" in inner:
            return {head}
        found.update(head + prefix for prefix in inner)
    return found


def _literal_head(alternative: str) -> tuple[str, str]:
    out: list[str] = []
    index = 0
    while index < len(alternative):
        char = alternative[index]
        if char in "([{.|^$*+?":
            break
        step = 1
        if char == "\\":
            following = alternative[index + 1 : index + 2]
            if not following or following.isalnum():
                break
            char, step = following, 2
        quantifier = alternative[index + step : index + step + 1]
        if quantifier in {"?", "*", "{"}:
            break
        out.append(char)
        index += step
        if quantifier == "+":
            break
    return "".join(out), alternative[index:]


def _closing(pattern: str) -> int:
    depth = 0
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 2
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return index
        index += 1
    return -1


def _branches(pattern: str) -> list[str]:
    parts: list[str] = []
    depth = 0
    begin = 0
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 2
            continue
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(pattern[begin:index])
            begin = index + 1
        index += 1
    parts.append(pattern[begin:])
    return parts


class Phrases:
    """A case-insensitive alternation of phrase patterns (written in lower case) that match at word starts.

    Every phrase must start with literal text, or ``starts`` must list the words they can start with. One
    keyword automaton shared by all phrase sets finds where
    those starts occur in the lower-cased text; the pattern is only tried there, anchored. The matches of a
    whole text are found once and kept for the last few texts.
    """

    def __init__(self, alternatives: Iterable[str], *, end_boundary: bool = True, starts: Iterable[str] = ()) -> None:
        listed = list(alternatives)
        self.pattern = re.compile("(?:" + "|".join(listed) + ")" + (r"\b" if end_boundary else ""))
        prefixes = set(starts) or {
            prefix for alternative in listed for branch in _branches(alternative) for prefix in literal_prefixes(branch)
        }
        if "" in prefixes:
            msg = f"every phrase must start with literal text: {listed}"
            raise ValueError(msg)
        self.number = len(_REGISTRY)
        _REGISTRY.append((self, frozenset(prefixes)))
        _fold_capitals(self.pattern.pattern)
        _automaton.cache_clear()

    def search(self, text: str, start: int = 0, end: int | None = None) -> re.Match[str] | None:
        """The first match in ``text[start:end]``, a match at ``start`` counting as a word start."""
        low = lowered(text)
        stop = len(low) if end is None else end
        positions = _positions(text).get(self.number, [])
        match = self.pattern.match
        for index in range(bisect_left(positions, start), len(positions)):
            position = positions[index]
            if position >= stop:
                break
            found = match(low, position, stop)
            if found is not None:
                return found
        return None

    def matches(self, text: str) -> list[re.Match[str]]:
        """The matches in the whole of ``text``, in order, none overlapping."""
        return _found(self, text).matches

    def starts(self, text: str) -> list[int]:
        """Where the matches of :meth:`matches` start."""
        return _found(self, text).starts

    def spans(self, text: str) -> tuple[list[int], list[int]]:
        """Where the matches of :meth:`matches` start and where they end."""
        _, starts, ends = _found(self, text)
        return starts, ends

    def first(self, text: str, start: int, end: int) -> Span | None:
        """The first whole-text match lying inside ``[start, end)``."""
        _, starts, ends = _found(self, text)
        count = len(starts)
        index = bisect_left(starts, start)
        while index < count and starts[index] < end:
            if ends[index] <= end:
                return starts[index], ends[index]
            index += 1
        return None

    def within(self, text: str, start: int, end: int, limit: int = 0) -> list[Span]:
        """Whole-text matches lying inside ``[start, end)``, the first ``limit`` of them if given."""
        _, starts, ends = _found(self, text)
        found: list[Span] = []
        for index in range(bisect_left(starts, start), len(starts)):
            if starts[index] >= end:
                break
            if ends[index] <= end:
                found.append((starts[index], ends[index]))
                if len(found) == limit:
                    break
        return found


_REGISTRY: list[tuple[Phrases, frozenset[str]]] = []
Meanings = tuple[tuple[int, bool, bool], ...]
"""What a keyword of :func:`register_keywords` stands for; opaque to this module."""
_KEYWORDS: dict[str, Meanings] = {}


def register_keywords(keywords: dict[str, Meanings]) -> None:
    """Add lower-cased keywords to the automaton that finds phrase starts, so one pass finds both."""
    _KEYWORDS.update(keywords)
    _fold_capitals("".join(keywords))
    _automaton.cache_clear()


@lru_cache(maxsize=1)
def _automaton() -> "ahocorasick.Automaton":
    owners: dict[str, set[int]] = {}
    for phrases, prefixes in _REGISTRY:
        for prefix in prefixes:
            owners.setdefault(prefix, set()).add(phrases.number)
    automaton = ahocorasick.Automaton()
    for word in owners.keys() | _KEYWORDS.keys():
        automaton.add_word(word, (len(word), tuple(sorted(owners.get(word, ()))), _KEYWORDS.get(word)))
    automaton.make_automaton()
    return automaton


@lru_cache(maxsize=16)
def _scan(text: str) -> tuple[dict[int, list[int]], list[tuple[int, int, Meanings]]]:
    """One automaton pass over ``text``: phrase starts per phrase set, in order, and keyword hits (start, end,
    meanings); both only at word starts."""
    low = lowered(text)
    found: dict[int, list[int]] = {}
    keywords: list[tuple[int, int, Meanings]] = []
    for last, (length, owners, meanings) in _automaton().iter(low):
        start = last - length + 1
        numbers = owners
        if start:
            before = low[start - 1]
            if before.isalnum():
                continue
            if before == "_":
                numbers = ()
        if meanings is not None:
            keywords.append((start, last + 1, meanings))
        for number in numbers:
            positions = found.get(number)
            if positions is None:
                found[number] = [start]
            else:
                positions.append(start)
    for number, positions in found.items():
        if len(positions) > 1:
            found[number] = sorted(set(positions))
    return found, keywords


def _positions(text: str) -> dict[int, list[int]]:
    """Word starts in ``text`` where each phrase set's phrases can begin, per phrase set, in order."""
    return _scan(text)[0]


def keyword_hits(text: str) -> list[tuple[int, int, Meanings]]:
    """Where the keywords of :func:`register_keywords` occur in ``text`` after a character that is not a letter
    or digit (or at its start): start, end and meanings."""
    return _scan(text)[1]


class _Found(NamedTuple):
    """The whole-text matches of a phrase set, with their starts and ends."""

    matches: list[re.Match[str]]
    starts: list[int]
    ends: list[int]


@lru_cache(maxsize=256)
def _found(phrases: Phrases, text: str) -> _Found:
    positions = _positions(text).get(phrases.number)
    if not positions:
        return _NOTHING
    low = lowered(text)
    match = phrases.pattern.match
    found: list[re.Match[str]] = []
    starts: list[int] = []
    ends: list[int] = []
    reached = 0
    for position in positions:
        if position < reached:
            continue
        item = match(low, position)
        if item is not None:
            found.append(item)
            starts.append(position)
            end = item.end()
            ends.append(end)
            reached = end if end > position else position + 1
    return new_tuple(_Found, (found, starts, ends))


_NOTHING = _Found([], [], [])
