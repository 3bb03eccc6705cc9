"""People in an article: names without honorifics, titles, organizations, countries and short references."""

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from service.pipeline.lexicon import (
    COUNTRY_NAMES,
    DEMONYMS,
    HONORIFICS,
    MONTHS,
    NOT_NAMES,
    ORGANIZATIONS,
    PARTICLES,
    PLACE_PHRASES,
    TITLE_WORDS,
    TITLES,
)
from service.pipeline.text import Phrases, Sentence, Token, lowered, new_tuple, tokenize

Span = tuple[int, int]

KHMER_HONORIFICS = frozenset(
    {"Samdech", "Samdach", "Oknha", "Okhna", "Chumteav", "Thipadei", "Techo", "Akka", "Kralahom", "Krolahom"}
)
_MONARCH_TITLES = frozenset({"King", "Queen", "Queen Mother", "Yang di-Pertuan Agong"})
_MONARCH_PREFIXES = tuple(f"{title} " for title in _MONARCH_TITLES)
_TITLE_RE = re.compile(r"\b(?:" + "|".join(re.escape(t) for t in TITLES) + r")\b")
_TITLES_LOWER_RE = re.compile("(?:" + "|".join(re.escape(t.lower()) for t in TITLES) + r")\b")
_COUNTRY_ALT = "|".join(re.escape(n) for n in sorted(COUNTRY_NAMES, key=len, reverse=True))
_DEMONYM_ALT = "|".join(re.escape(n) for n in sorted(DEMONYMS, key=len, reverse=True))
_ORG_ALT = "|".join(re.escape(n) for n in sorted(ORGANIZATIONS, key=len, reverse=True))
_OF_COUNTRY_RE = re.compile(
    r",?\s*\bof (?:the )?(?:(?:Kingdom|Republic|Socialist Republic|People's Republic|Federal Republic|State|"
    r"Commonwealth|Sultanate|Union) of )?(?:the )?(?P<country>" + _COUNTRY_ALT + r")\b(?:\s*\([A-Z.]+\))?"
)
_TO_COUNTRY_RE = re.compile(r"\s*\b(?:to|in) (?:the )?(?:Kingdom of )?(?:" + _COUNTRY_ALT + r")\b")
_POSSESSIVE_COUNTRY_RE = re.compile(r"^(?P<country>" + _COUNTRY_ALT + r")'s\s+")
_DEMONYM_START_RE = re.compile(
    r"^(?:the\s+)?(?:(?:new|outgoing|former|visiting|then)\s+)*(?P<dem>" + _DEMONYM_ALT + r")\s+"
)
_ORG_RE = re.compile(r"\b(?P<org>" + _ORG_ALT + r")\b")
_LEAD_WORDS_RE = re.compile(r"^(?:(?:the|a|an|his|her|new|outgoing|incoming|visiting|then|newly-appointed)\s+)+", re.I)
_COUNTERPART_RE = re.compile(
    r"\b(?:his|her|their)\s+(?:(?:visiting|new|former|outgoing)\s+)?(?:(?P<dem>"
    + _DEMONYM_ALT
    + r")\s+)?counterparts?,?\s*$"
)
_PARENS_RE = re.compile(r"\s*\([^()]{0,40}\)")
_ANY_COUNTRY_RE = re.compile(r"\b(?P<name>" + _DEMONYM_ALT + "|" + _COUNTRY_ALT + r")\b")
_PREPOSITION_RE = re.compile(r"\b(?:of|in|at|from|the)\s+$")
"""A preposition or article right before a bare name, which makes it a place or a thing ("the Golden Dragon
exercise"), not a person."""
_BREAK_CHARS = frozenset(',;:()"[]–—')
_TITLE_JOINERS = frozenset({"of", "for", "to", "the", "and", "on", "de", "in", "at"})


@dataclass(eq=False)
class Person:
    """A person the article names, with what the article says about them."""

    name: str
    tokens: tuple[str, ...]
    span: Span
    title: str | None = None
    organization: str | None = None
    country: str | None = None
    honorifics: set[str] = field(default_factory=set)
    evidence: int = 0
    keys: tuple[str, ...] = field(init=False, repr=False)
    key_set: frozenset[str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.keys = tuple(map(str.lower, self.tokens))
        self.key_set = frozenset(self.keys)

    @property
    def is_monarch(self) -> bool:
        """Whether the person is a reigning monarch or a queen mother."""
        title = self.title
        return title is not None and (title in _MONARCH_TITLES or title.startswith(_MONARCH_PREFIXES))


class Mention(NamedTuple):
    """A place in the text that refers to a person."""

    person: Person
    start: int
    end: int
    named: bool


def _is_cap(word: str) -> bool:
    return word[:1].isupper()


def _runs(text: str, tokens: list[Token]) -> list[list[Token]]:
    """Group tokens into runs of capitalized words, honorifics and particles."""
    runs: list[list[Token]] = []
    current: list[Token] = []
    for token in tokens:
        word = token.text
        gap_ok = (
            bool(current)
            and token.start - current[-1].end <= 2
            and _BREAK_CHARS.isdisjoint(text[current[-1].end : token.start])
        )
        if _is_cap(word) or word in HONORIFICS:
            if current and not gap_ok:
                runs.append(current)
                current = []
            current.append(token)
        elif word.lower() in PARTICLES and current and gap_ok:
            current.append(token)
        else:
            if current:
                runs.append(current)
            current = []
    if current:
        runs.append(current)
    return [_trim_particles(run) for run in runs if run]


def _trim_particles(run: list[Token]) -> list[Token]:
    while run and run[-1].text.lower() in PARTICLES:
        run = run[:-1]
    return run


def _honorific(text: str, run: list[Token], index: int) -> int:
    """How many tokens of ``run`` from ``index`` form an honorific (0 if none)."""
    token = run[index]
    if index + 1 < len(run) and f"{token.text} {run[index + 1].text}" in HONORIFICS:
        return 2
    if token.text in HONORIFICS:
        return 1
    dotted = text[token.end : token.end + 1] == "." and index + 1 < len(run)
    if dotted and (token.text + ".") in HONORIFICS:
        return 1
    return 0


def _strip_left(text: str, run: list[Token]) -> tuple[int, set[str], bool]:
    """Index where the name starts in ``run``, honorifics seen and whether a title was seen."""
    index = 0
    honorifics: set[str] = set()
    titled = False
    while index < len(run):
        word = run[index].text
        bare = word.rstrip(".")
        two = f"{word} {run[index + 1].text}" if index + 1 < len(run) else ""
        three = f"{two} {run[index + 2].text}" if index + 2 < len(run) else ""
        size = _honorific(text, run, index)
        if three in PLACE_PHRASES:
            index += 3
        elif two in PLACE_PHRASES:
            index += 2
        elif size:
            honorifics.update(t.text for t in run[index : index + size])
            index += size
        elif word in TITLE_WORDS or bare in TITLE_WORDS:
            titled = True
            index += 1
        elif word in NOT_NAMES or bare in NOT_NAMES or (word.endswith("'s") and word[:-2] in NOT_NAMES):
            index += 1
        else:
            break
    return index, honorifics, titled


def _bad_word(text: str, run: list[Token], index: int) -> bool:
    word = run[index].text
    if word in NOT_NAMES or word in TITLE_WORDS or _honorific(text, run, index):
        return True
    parts = word.split("-")
    return len(parts) > 1 and any(part in NOT_NAMES for part in parts)


def _name_tokens(text: str, run: list[Token]) -> list[Token]:
    """The last stretch of ``run`` made only of words that can belong to a name; a month ("Jun", "May") is a word
    of a name when it follows one ("Dong Jun", "Theresa May")."""
    segments: list[list[Token]] = [[]]
    last = len(run) - 1
    for index, token in enumerate(run):
        if _bad_word(text, run, index) and not (token.text in _MONTH_WORDS and segments[-1]):
            if index == last or segments[-1]:
                segments.append([])
            continue
        segments[-1].append(token)
        if token.text.endswith(("'s", "’s")):
            break
    if len(segments) > 1 and not segments[-1]:
        return []
    return _trim_particles(segments[-1])


def _clean_name(text: str) -> str:
    for suffix in ("'s", "’s", "'"):
        if text.endswith(suffix):
            return text[: -len(suffix)]
    return text


def _pre_context(text: str, begin: int, start: int) -> str:
    """Title-like words right before ``start``, not before ``begin``."""
    return _pre_phrase(text[begin:start])


@lru_cache(maxsize=8192)
def _pre_phrase(segment: str) -> str:
    if "(" in segment:
        segment = _PARENS_RE.sub(lambda m: " " * len(m.group()), segment)
    stripped = segment.rstrip()
    if stripped.endswith(","):
        before = stripped[:-1]
        cut = max(before.rfind(c) for c in ",;:(")
        candidate = before[cut + 1 :].strip()
        if candidate and _TITLE_RE.search(candidate):
            return _title_suffix(candidate)
        return ""
    cut = max(segment.rfind(c) for c in ',;:("')
    return _title_suffix(segment[cut + 1 :])


@lru_cache(maxsize=8192)
def _title_suffix(segment: str) -> str:
    words = segment.split()
    keep: list[str] = []
    for word in reversed(words):
        core = word.strip("\"'")
        hyphenated = "-" in core and core.rsplit("-", 1)[-1][:1].isupper()
        if core[:1].isupper() or hyphenated or core in _TITLE_JOINERS or core.startswith(("-", "Commander-in-Chief")):
            keep.append(word)
        else:
            break
    while keep and keep[-1] in _TITLE_JOINERS:
        keep.pop()
    return " ".join(
        w for w in reversed(keep) if (w not in HONORIFICS and w.rstrip(".") not in HONORIFICS) or w in TITLE_WORDS
    )


_POST_RE = re.compile(r"\s*,\s*((?:the |a |an )?(?:new |outgoing |former |then |incoming )?[A-Z][^,;()]*)")
_POST_OF_RE = re.compile(r"\s+of (?:the )?(?P<country>" + _COUNTRY_ALT + r")\b")


@lru_cache(maxsize=8192)
def _has_title(segment: str) -> bool:
    """Whether ``segment`` names an office in any case ("the prime minister")."""
    low = segment.lower()
    position = 0
    while True:
        match = _TITLES_LOWER_RE.search(low, position)
        if match is None:
            return False
        if match.start() == 0 or not low[match.start() - 1].isalnum():
            return True
        position = match.start() + 1


def _post_context(text: str, end: int, limit: int) -> str:
    """Comma-separated title segments right after a name."""
    parts: list[str] = []
    position = end
    while True:
        match = _POST_RE.match(text, position, limit)
        if match is None:
            break
        segment = match.group(1).strip()
        if len(segment) > 140 or not _has_title(segment):
            break
        first = _LEAD_WORDS_RE.sub("", segment).split(" ", 1)[0]
        if first.endswith("'s"):
            if match.end() >= limit:
                break
            first = first[:-2]
        titled = first in TITLE_WORDS or first in DEMONYMS or first in COUNTRY_NAMES or _TITLE_RE.match(first)
        bare = _LEAD_WORDS_RE.sub("", segment)
        if not titled and not _TITLE_RE.match(bare) and not _ORG_RE.match(bare):
            break
        verb_cut = re.search(r"\s(?:who|which|has|have|had|is|was|said|paid|received|met|held|affirmed)\b", segment)
        if verb_cut:
            segment = segment[: verb_cut.start()]
            parts.append(segment)
            break
        parts.append(segment)
        position = match.end()
    return ", ".join(parts)


@lru_cache(maxsize=8192)
def _describe(context: str) -> tuple[str | None, str | None, str | None]:
    """Title, organization and country a title phrase gives."""
    if not context:
        return None, None, None
    country: str | None = None
    organization: str | None = None
    phrase = _LEAD_WORDS_RE.sub("", re.sub(r"^(?:and|or|with)\s+", "", context.strip()))
    match = _POSSESSIVE_COUNTRY_RE.match(phrase)
    if match:
        country = COUNTRY_NAMES[match.group("country")]
        phrase = phrase[match.end() :]
    match = _DEMONYM_START_RE.match(phrase)
    if match:
        country = country or DEMONYMS[match.group("dem")]
        phrase = phrase[match.end() :]
    org_match = _ORG_RE.search(phrase)
    of_match = _OF_COUNTRY_RE.search(phrase)
    if org_match:
        organization = ORGANIZATIONS[org_match.group("org")]
    elif of_match:
        country = country or COUNTRY_NAMES[of_match.group("country")]
    if country is None and not org_match:
        rest = _TO_COUNTRY_RE.sub("", phrase)
        any_match = _ANY_COUNTRY_RE.search(rest)
        if any_match:
            name = any_match.group("name")
            country = DEMONYMS.get(name) or COUNTRY_NAMES.get(name)
    phrase = _OF_COUNTRY_RE.sub("", phrase)
    phrase = _TO_COUNTRY_RE.sub("", phrase)
    phrase = re.sub(r"\s*\([^)]*\)", "", phrase)
    if organization and phrase.startswith(org_match.group("org") if org_match else ""):
        phrase = phrase[len(org_match.group("org")) if org_match else 0 :].strip()
    phrase = _LEAD_WORDS_RE.sub("", phrase).strip(" ,").rstrip(".;:")
    title_match = _TITLE_RE.search(phrase)
    title = phrase if title_match and len(phrase) <= 120 else None
    if title and title.startswith("Ambassador"):
        title = "Ambassador"
    return title, organization, country


class PeopleIndex:
    """Every person of an article and every mention of them."""

    def __init__(self) -> None:
        self.people: list[Person] = []
        self._exact: dict[tuple[str, ...], Person] = {}
        self.mentions: list[Mention] = []
        self.starts: list[int] = []

    def find(self, tokens: tuple[str, ...]) -> Person | None:
        """The known person ``tokens`` name, by full or partial name."""
        return self.find_keys(tuple(map(str.lower, tokens)))

    def find_keys(self, lowered: tuple[str, ...]) -> Person | None:
        """The known person the lower-cased words ``lowered`` name, by full or partial name."""
        exact = self._exact.get(lowered)
        if exact is not None:
            return exact
        best: Person | None = None
        if len(lowered) == 1:
            word = lowered[0]
            for person in self.people:
                if word in person.key_set:
                    best = person
            return best
        wanted = frozenset(lowered)
        for person in self.people:
            own_set = person.key_set
            if not (wanted <= own_set or own_set <= wanted):
                continue
            own = list(person.keys)
            if _contains(own, list(lowered)) or _contains(list(lowered), own) or _same_but_particles(lowered, own):
                best = person
        return best

    def add(self, person: Person) -> None:
        """Index ``person``, known by the words of their name."""
        self.people.append(person)
        self._exact.setdefault(person.keys, person)

    def mentions_in(self, start: int, end: int) -> list[Mention]:
        """Mentions starting inside ``[start, end)``; :func:`find_people` leaves them sorted."""
        starts = self.starts
        return self.mentions[bisect_left(starts, start) : bisect_left(starts, end)]

    def by_honorifics(self, honorifics: frozenset[str]) -> Person | None:
        """The person last addressed with all of ``honorifics``."""
        for person in reversed(self.people):
            if honorifics and honorifics <= person.honorifics:
                return person
        return None


def _same_but_particles(short: tuple[str, ...], own: list[str]) -> bool:
    return set(short) <= set(own) and all(t in PARTICLES for t in own if t not in short)


def _contains(outer: list[str], inner: list[str]) -> bool:
    size = len(inner)
    return any(outer[i : i + size] == inner for i in range(len(outer) - size + 1))


class _Shape(NamedTuple):
    """A run of a capitalized stretch that may name someone, with offsets relative to the stretch."""

    run_start: int
    name_start: int
    name_end: int
    words: tuple[str, ...]
    honorifics: frozenset[str]
    titled: bool
    bare: bool
    short_start: int
    short_end: int
    short_words: tuple[str, ...]
    keys: tuple[str, ...]
    short_keys: tuple[str, ...]


_Candidate = tuple[Sentence, int, _Shape]
"""A shape found in a sentence, with the offset of its stretch."""


_MONTH_WORDS = frozenset(name for name in MONTHS if not name.islower())
"""Months as written in a capitalized stretch ("Jun", "June", "JUNE")."""
_NUMBER_NEXT_RE = re.compile(r"[.,]?\s*\d")
"""A day or year right after a stretch, which makes a month ending it a date ("May 5", "Jun. 4")."""


_CAP_STRETCH_RE = re.compile(
    r"(?:[A-ZÀ-Ỹ][\w'’.-]*)(?:[ ]{1,2}(?:(?:"
    + "|".join(sorted(PARTICLES, key=len, reverse=True))
    + r")[ ]{1,2})*[A-ZÀ-Ỹ][\w'’.-]*)*"
)


@lru_cache(maxsize=16384)
def _stretch_shapes(stretch: str, dated: bool = False) -> tuple[_Shape, ...]:
    """The runs of a capitalized stretch that may name someone; ``dated`` when a number follows the stretch, so
    that a month ending it is a date ("Hun Sen May 5", "Wang Wenbin Jun. 4") and no part of a name.

    ``words`` is the name proper (empty when only honorifics were found); ``short_*`` is what a short
    reference would be: the name, else the whole run.
    """
    shapes = []
    runs = _runs(stretch, tokenize(stretch))
    if dated and runs and runs[-1][-1].text in _MONTH_WORDS:
        runs[-1] = _trim_particles(runs[-1][:-1])
    for run in runs:
        if not run:
            continue
        start, honorifics, titled = _strip_left(stretch, run)
        name = _name_tokens(stretch, run[start:])
        if not name and not honorifics & KHMER_HONORIFICS:
            continue
        if name:
            inner = run[start : run.index(name[0])]
            honorifics |= {t.text for t in inner if t.text in HONORIFICS or t.text.rstrip(".") in HONORIFICS}
        short = name or run
        short_words = tuple(_clean_name(t.text) for t in short)
        words = short_words if name else ()
        shapes.append(
            _Shape(
                run_start=run[0].start,
                name_start=name[0].start if name else run[0].start,
                name_end=name[-1].start + len(words[-1]) if name else run[-1].end,
                words=words,
                honorifics=frozenset(honorifics),
                titled=titled,
                bare=bool(name) and start == 0 and len(name) == len(run) and not honorifics,
                short_start=short[0].start,
                short_end=short[-1].start + len(short_words[-1]),
                short_words=short_words,
                keys=tuple(map(str.lower, words)),
                short_keys=tuple(map(str.lower, short_words)),
            )
        )
    return tuple(shapes)


def _candidates(text: str, sentences: list[Sentence]) -> list[_Candidate]:
    found: list[_Candidate] = []
    finditer = _CAP_STRETCH_RE.finditer
    for sentence in sentences:
        for stretch in finditer(text, sentence.start, sentence.end):
            shapes = _stretch_shapes(stretch.group())
            if not shapes:
                continue
            last = shapes[-1].words[-1:]
            if last and last[0] in _MONTH_WORDS and _NUMBER_NEXT_RE.match(text, stretch.end(), sentence.end):
                shapes = _stretch_shapes(stretch.group(), True)
            offset = stretch.start()
            for shape in shapes:
                if shape.bare:
                    start = shape.run_start + offset
                    if _PREPOSITION_RE.search(text, max(sentence.start, start - 4), start):
                        continue
                found.append((sentence, offset, shape))
    return found


def find_people(text: str, sentences: list[Sentence]) -> PeopleIndex:
    """Find the people of an article, then resolve their short forms."""
    index = PeopleIndex()
    candidates = _candidates(text, sentences)
    starts = sorted(shape.run_start + offset for _, offset, shape in candidates if len(shape.words) >= 2)
    pending: list[_Candidate] = []
    last_end: dict[int, int] = {}
    for candidate in candidates:
        sentence, offset, shape = candidate
        words = shape.words
        if not words:
            pending.append(candidate)
            continue
        run_start = shape.run_start + offset
        span = (shape.name_start + offset, shape.name_end + offset)
        following = bisect_right(starts, span[1])
        next_start = starts[following] if following < len(starts) else sentence.end
        post = _post_context(text, span[1], min(sentence.end, next_start))
        if len(words) == 1 and not (shape.honorifics and post and index.find_keys(shape.keys) is None):
            pending.append(candidate)
            continue
        begin = max(sentence.start, last_end.get(sentence.start, sentence.start))
        pre = _pre_context(text, begin, run_start)
        inner = _title_suffix(text[run_start : span[0]]) if span[0] > run_start else ""
        pre_phrase = f"{pre} {inner}".strip() if inner else pre
        last_end[sentence.start] = span[1]
        title, org, country = _describe(post)
        p_title, p_org, p_country = _describe(pre_phrase)
        counterpart = (
            _COUNTERPART_RE.search(text[sentence.start : run_start])
            if text.find("counterpart", max(sentence.start, run_start - 24), run_start) >= 0
            else None
        )
        evidence = (
            int(bool(shape.honorifics)) + int(shape.titled) + int(bool(title or p_title)) + int(bool(counterpart))
        )
        person = index.find_keys(shape.keys)
        if person is None:
            person = Person(name=" ".join(words), tokens=words, span=span)
            index.add(person)
        person.evidence += evidence
        person.honorifics |= shape.honorifics
        person.title = person.title or title or p_title
        person.organization = person.organization or org or p_org
        if counterpart and counterpart.group("dem"):
            person.country = person.country or DEMONYMS[counterpart.group("dem")]
        if not (country or p_country):
            of_country = _POST_OF_RE.match(text, span[1], sentence.end)
            country = COUNTRY_NAMES[of_country.group("country")] if of_country else None
        person.country = person.country or country or p_country
        if person.country is None and shape.honorifics & KHMER_HONORIFICS:
            person.country = "KHM"
        index.mentions.append(new_tuple(Mention, (person, span[0], span[1], True)))
    for _, offset, shape in pending:
        short = shape.short_words
        person = None
        if len(short) == 1 and _is_cap(short[0]) and short[0] not in NOT_NAMES:
            person = index.find_keys(shape.short_keys)
        if person is None and shape.honorifics & KHMER_HONORIFICS:
            person = index.by_honorifics(shape.honorifics & KHMER_HONORIFICS)
        if person is not None:
            index.mentions.append(
                new_tuple(Mention, (person, shape.short_start + offset, shape.short_end + offset, len(short) == 1))
            )
    index.mentions.sort(key=lambda m: m.start)
    index.starts = [mention.start for mention in index.mentions]
    return index


_DESCRIPTOR_HEADS = Phrases(
    [
        "premier|prime minister|ambassador|envoy|diplomat|king|monarch|president|minister|deputy prime minister|"
        "foreign minister|secretary-general|emir|governor|chairman|chairwoman|director|attaché|leader|"
        "country director|senate president|defence secretary|secretary of defence|queen mother|sultan|"
        "senior general|general|host|guest"
    ]
)
_DESCRIPTOR_LEAD_RE = re.compile(
    r"\b(?:the|his|her)\s+((?:(?:new|outgoing|visiting|former|" + _DEMONYM_ALT + r")\s+)*)$", re.IGNORECASE
)


_MODIFIER_WORDS = frozenset(
    word.split(" ", 1)[0].lower() for word in ("new", "outgoing", "visiting", "former", *DEMONYMS)
)
"""The first words of the modifiers :data:`_DESCRIPTOR_LEAD_RE` allows, lower-cased."""
_NO_COUNTRIES: frozenset[str] = frozenset()


def _lead_modifiers(text: str, begin: int, head_start: int) -> str | None:
    """The modifiers between the article at ``begin`` and a descriptor head at ``head_start`` ("new Thai"),
    empty when there are none; None when other words stand between them."""
    gap = text[begin + 4 : head_start]
    if not gap:
        before = text[begin - 1] if begin else " "
        return None if before.isalnum() or before == "_" else ""
    words = gap.split(None, 1)
    if words and words[0].isascii() and words[0].lower() not in _MODIFIER_WORDS:
        return None
    lead = _DESCRIPTOR_LEAD_RE.match(text, begin, head_start)
    return lead.group(1) if lead is not None else None


def _nearest_lead(low: str, floor: int, head_start: int) -> int:
    """The start of the last "the ", "his " or "her " in ``low[floor:head_start]`` that starts a word (or ``floor``),
    -1 if none; no two of them overlap, so they are found from the right with :meth:`str.rfind`."""
    end = head_start
    while True:
        position = max(low.rfind("the ", floor, end), low.rfind("his ", floor, end), low.rfind("her ", floor, end))
        if position < 0 or position == floor or not low[position - 1].isalnum():
            return position
        end = position + 3


@lru_cache(maxsize=16)
def _descriptors(text: str) -> tuple[list[int], list[tuple[int, int, frozenset[str], str]]]:
    """Each "the new Thai ambassador" in ``text``, in order: their starts, and start, end, countries of the
    modifiers and lower-cased head of each."""
    found = []
    low = lowered(text)
    reached = 0
    heads = _DESCRIPTOR_HEADS.matches(text)
    if not heads:
        return [], []
    for match in heads:
        head_start, end = match.span()
        begin = _nearest_lead(low, max(reached, head_start - 120), head_start)
        modifiers = _lead_modifiers(text, begin, head_start) if begin >= 0 else None
        if modifiers is not None:
            countries = (
                frozenset(DEMONYMS[m] for m in modifiers.split() if m in DEMONYMS) if modifiers else _NO_COUNTRIES
            )
            found.append((begin, end, countries, low[head_start:end]))
            reached = end
    return [item[0] for item in found], found


_ROYAL_HEADS = frozenset({"king", "monarch", "queen mother", "sultan", "emir"})


def descriptor_mentions(text: str, start: int, end: int, index: PeopleIndex) -> list[Mention]:
    """Mentions such as "the Cambodian Premier" or "the new U.S. ambassador" within ``[start, end)``."""
    starts, descriptors = _descriptors(text)
    first = bisect_left(starts, start)
    if first == len(starts) or starts[first] >= end:
        return []
    found: list[Mention] = []
    for number in range(first, len(descriptors)):
        match_start, match_end, countries, head = descriptors[number]
        if match_start >= end:
            break
        if match_end > end:
            continue
        if head in {"host", "guest"}:
            continue
        candidates = []
        for person in index.people:
            title = (person.title or "").lower()
            if head in {"leader", "diplomat", "envoy"}:
                ok = bool(title)
                if head in {"diplomat", "envoy"}:
                    ok = "ambassador" in title or "envoy" in title or "attaché" in title
            elif head == "premier":
                ok = "prime minister" in title or "premier" in title
            elif head == "monarch":
                ok = person.is_monarch
            else:
                ok = head in title
            if ok and (not countries or person.country in countries or person.country is None):
                candidates.append(person)
        exact = [p for p in candidates if countries and p.country in countries]
        if not exact and countries and head not in _ROYAL_HEADS:
            exact = [p for p in index.people if p.country in countries and p.title is None and p.evidence]
        chosen = exact[0] if exact else (candidates[0] if len(candidates) == 1 else None)
        if chosen is not None:
            if countries and chosen.country is None and not chosen.organization:
                chosen.country = next(iter(countries))
            found.append(new_tuple(Mention, (chosen, match_start, match_end, False)))
    return found
