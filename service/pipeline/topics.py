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


_MEANINGS = _keywords()
register_keywords(_MEANINGS)
_PREFIXED = frozenset(id(meanings) for meanings in _MEANINGS.values() if any(prefix for _, prefix, _ in meanings))
"""The meanings (by identity, as the automaton hands them back) of keywords some topic takes as a prefix."""
_TOPICS: tuple[Topic, ...] = tuple(Topic(topic) for topic in TOPIC_KEYWORDS)


_ALNUM_RUN_RE = re.compile(r"[^\W_]*")
"""Letters and digits, as :meth:`str.isalnum` has them."""


def _hits(text: str) -> list[tuple[int, int, int, int, bool]]:
    """Keyword hits in ``text`` ordered by start: (start, keyword end, word end, topic, masking)."""
    low = lowered(text)
    size = len(low)
    hits: list[tuple[int, int, int, int, bool]] = []
    prefixed = _PREFIXED
    for begin, end, meanings in keyword_hits(text):
        whole = end >= size or not low[end].isalnum()
        if whole and id(meanings) not in prefixed:
            for order, _, masking in meanings:
                hits.append((begin, end, end, order, masking))
            continue
        run = _ALNUM_RUN_RE.match(low, end)
        stop = run.end() if run else end
        for order, prefix, masking in meanings:
            if prefix:
                hits.append((begin, end, stop, order, masking))
            elif whole:
                hits.append((begin, end, end, order, masking))
    hits.sort()
    return hits


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


@lru_cache(maxsize=16)
def _counted(text: str) -> tuple[list[int], list[tuple[int, int, int, int, bool]]]:
    """The hits of :func:`_hits` that count for their topic where they are read, and their starts: masking hits
    always do; others unless they name an office or lie in a passing mention (see :func:`_background`)."""
    background = _background(text)
    counted = []
    for hit in _hits(text):
        begin = hit[0]
        if not hit[4]:
            if background and any(s <= begin < e for s, e in background):
                continue
            if text[begin].isupper() and _in_office(text, begin):
                continue
        counted.append(hit)
    return [hit[0] for hit in counted], counted


def find_topics(text: str, ranges: list[Span]) -> list[tuple[Topic, Span]]:
    """Each topic whose keywords occur in ``ranges`` of ``text``, with its first span, in taxonomy order.

    Keywords naming an office and those in passing mentions (see :func:`_background`) do not count.
    """
    starts, hits = _counted(text)
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
            else:
                found.append((order, (begin, stop)))
    for order, span in found:
        if masked and any(s <= span[0] and span[1] <= e for s, e in masked.get(order, ())):
            continue
        if order not in first or span[0] < first[order][0]:
            first[order] = span
    return [(_TOPICS[order], first[order]) for order in sorted(first)]
