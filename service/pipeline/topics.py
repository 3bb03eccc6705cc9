"""Topics of the taxonomy matched in what the sides discussed, with a keyword automaton."""

import ahocorasick

from schemas import Topic
from service.pipeline.lexicon import TOPIC_KEYWORDS

Span = tuple[int, int]


def _build() -> "ahocorasick.Automaton":
    automaton = ahocorasick.Automaton()
    entries: dict[str, list[tuple[int, bool, bool]]] = {}
    for order, spec in enumerate(TOPIC_KEYWORDS.values()):
        for keyword, masking in [(k, False) for k in spec["keywords"]] + [(k, True) for k in spec["unless"]]:
            prefix = keyword.endswith("*")
            word = keyword.rstrip("*").lower()
            entries.setdefault(word, []).append((order, prefix, masking))
    for word, meaning in entries.items():
        automaton.add_word(word, (len(word), tuple(meaning)))
    automaton.make_automaton()
    return automaton


_AUTOMATON = _build()
_TOPICS: tuple[Topic, ...] = tuple(Topic(topic) for topic in TOPIC_KEYWORDS)


def _is_word_char(char: str) -> bool:
    return char.isalnum()


def find_topics(text: str, ranges: list[Span]) -> list[tuple[Topic, Span]]:
    """Each topic whose keywords occur in ``ranges`` of ``text``, with its first span, in taxonomy order."""
    lowered = text.lower()
    if len(lowered) != len(text):
        lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    first: dict[int, Span] = {}
    masked: dict[int, list[Span]] = {}
    hits: list[tuple[int, Span]] = []
    for start, end in ranges:
        for found, (length, meanings) in _AUTOMATON.iter(lowered[start:end]):
            last = found + start
            begin = last - length + 1
            if begin > 0 and _is_word_char(lowered[begin - 1]):
                continue
            after = lowered[last + 1 : last + 2]
            stop = last + 1
            while stop < len(lowered) and _is_word_char(lowered[stop]):
                stop += 1
            for order, prefix, masking in meanings:
                if not prefix and after and _is_word_char(after):
                    continue
                span = (begin, stop if prefix else last + 1)
                if masking:
                    masked.setdefault(order, []).append(span)
                else:
                    hits.append((order, span))
    for order, span in hits:
        if any(s <= span[0] and span[1] <= e for s, e in masked.get(order, ())):
            continue
        if order not in first or span[0] < first[order][0]:
            first[order] = span
    return [(_TOPICS[order], first[order]) for order in sorted(first)]
