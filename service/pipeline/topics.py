"""Topics of the taxonomy matched in what the sides discussed, with keywords found by the shared automaton."""

import re
from bisect import bisect_left
from functools import lru_cache

from schemas import Topic
from service.pipeline.lexicon import TOPIC_KEYWORDS
from service.pipeline.text import Meanings, Phrases, keyword_hits, lowered, register_keywords

Span = tuple[int, int]


def _keywords() -> dict[str, Meanings]:
    entries: dict[str, list[tuple[int, bool, bool]]] = {}
    for order, spec in enumerate(TOPIC_KEYWORDS.values()):
        for keyword, masking in [(k, False) for k in spec["keywords"]] + [(k, True) for k in spec["unless"]]:
            prefix = keyword.endswith("*")
            word = keyword.rstrip("*").lower()
            entries.setdefault(word, []).append((order, prefix, masking))
    return {word: tuple(meanings) for word, meanings in entries.items()}


register_keywords(_keywords())
_TOPICS: tuple[Topic, ...] = tuple(Topic(topic) for topic in TOPIC_KEYWORDS)


def _is_word_char(char: str) -> bool:
    return char.isalnum()


@lru_cache(maxsize=16)
def _hits(text: str) -> tuple[list[int], list[tuple[int, int, int, int, bool]]]:
    """Keyword hits in ``text`` ordered by start: starts, and (start, keyword end, word end, topic, masking)."""
    low = lowered(text)
    size = len(low)
    hits: list[tuple[int, int, int, int, bool]] = []
    for begin, stop_at, meanings in keyword_hits(text):
        last = stop_at - 1
        if begin > 0 and _is_word_char(low[begin - 1]):
            continue
        whole = last + 1 >= size or not _is_word_char(low[last + 1])
        stop = last + 1
        if not whole or any(prefix for _, prefix, _ in meanings):
            while stop < size and _is_word_char(low[stop]):
                stop += 1
        for order, prefix, masking in meanings:
            if not prefix and not whole:
                continue
            hits.append((begin, last + 1, stop if prefix else last + 1, order, masking))
    hits.sort()
    return [hit[0] for hit in hits], hits


_BACKGROUND = Phrases(["congratulat\\w*", "condolences?", "spoke highly", "on the sidelines? of", "on the margins? of"])
_RESUME_RE = re.compile(
    r"[;:]|\b(?:agreed|proposed|asked|called for|called on|suggested|urged|pledged|requested|discussed|"
    r"expressed (?:his|her|their) (?:hope|wish)|hoped|affirmed|stressed|emphasi[sz]ed|not(?:ed|ing)|welcomed)\b"
)
_OFFICE_RE = re.compile(
    r"\b(?:Minister|Ministry|Department|Secretary|Office|Committee|Commission|Council|Agency)"
    r" (?:of|for) (?:the )?(?:[A-Z][\w'’-]*,? (?:and )?)*$"
)


@lru_cache(maxsize=16)
def _background(text: str) -> list[Span]:
    """Stretches of ``text`` that only mention things in passing: congratulations, praise, condolences and the
    event whose sidelines hosted the meeting; each runs from its cue to the end of its sentence or to the next
    verb of discussion, whichever comes first."""
    spans = []
    for match in _BACKGROUND.matches(text):
        start = match.end()
        stop = len(text)
        for end_char in ".\n":
            found = text.find(end_char + " " if end_char == "." else end_char, start)
            if found >= 0:
                stop = min(stop, found)
        resume = _RESUME_RE.search(text, start, stop)
        spans.append((match.start(), resume.start() if resume else stop))
    return spans


def _in_office(text: str, begin: int) -> bool:
    """Whether the keyword starting at ``begin`` names an office ("Minister for Education"), not a topic."""
    return text[begin : begin + 1].isupper() and _OFFICE_RE.search(text, max(0, begin - 80), begin) is not None


def find_topics(text: str, ranges: list[Span]) -> list[tuple[Topic, Span]]:
    """Each topic whose keywords occur in ``ranges`` of ``text``, with its first span, in taxonomy order.

    Keywords naming an office and those in passing mentions (see :func:`_background`) do not count.
    """
    starts, hits = _hits(text)
    background = _background(text)
    first: dict[int, Span] = {}
    masked: dict[int, list[Span]] = {}
    found: list[tuple[int, Span]] = []
    for start, end in ranges:
        for index in range(bisect_left(starts, start), bisect_left(starts, end)):
            begin, keyword_end, stop, order, masking = hits[index]
            if keyword_end > end:
                continue
            if masking:
                masked.setdefault(order, []).append((begin, stop))
            elif not any(s <= begin < e for s, e in background) and not _in_office(text, begin):
                found.append((order, (begin, stop)))
    for order, span in found:
        if any(s <= span[0] and span[1] <= e for s, e in masked.get(order, ())):
            continue
        if order not in first or span[0] < first[order][0]:
            first[order] = span
    return [(_TOPICS[order], first[order]) for order in sorted(first)]
