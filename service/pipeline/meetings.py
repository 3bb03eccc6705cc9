"""Meetings an article reports: cue sentences, who took part and on which side."""

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from operator import itemgetter
from typing import NamedTuple

from schemas import Role
from service.pipeline.lexicon import CUES
from service.pipeline.people import Mention, PeopleIndex, Person, descriptor_mentions
from service.pipeline.text import Phrases, Sentence

Span = tuple[int, int]


_CUE_TYPES: tuple[tuple[str, Phrases], ...] = tuple(
    (key, Phrases(CUES[key]))
    for key in ("audience_active", "audience_passive", "receive_call", "call_on", "received_by", "receive", "meet")
)
_NOT_EVENT = Phrases(CUES["not_event"], end_boundary=False)
_EXCLUDED = Phrases(CUES["excluded_context"], end_boundary=False)
_BRIEFER_RE = re.compile(
    r"\s*,\s*(?:the\s+)?(?:[A-Z][\w-]*\s+){0,3}(?:[Aa]ssistant|[Ss]pokes(?:man|woman|person)|[Pp]ress [Ss]ecretary)\b"
)
"""An apposition that makes the person named before it an aide who briefed, not a principal."""
_BRIEFING_RE = re.compile(
    r"(?:Speaking|Talking|Briefing) (?:to |with )?(?:the )?(?:reporters|press|journalists|media|newsmen)\b[^,]{0,80},"
)
"""A sentence opening that makes the first person named after it the one who briefed the press."""
_EXCLUDED_GAP_RE = re.compile(r"\s+(?:[A-Za-z.'-]+\s+){0,8}")
_STRONG = frozenset({"audience_active", "audience_passive", "receive_call", "call_on", "received_by", "receive"})
_WEAK_MEET_RE = re.compile(r"^(?:discussed|talked|joined|chaired|talks with)$", re.IGNORECASE)


@dataclass(eq=False)
class Meeting:
    """A meeting found in the text, before its fields are filled in."""

    sentence: Sentence
    cue: str
    cue_span: Span
    people: list[Person]
    spans: dict[int, Span]
    hosts: list[Person] = field(default_factory=list)
    guests: list[Person] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)

    def role_of(self, person: Person) -> Role | None:
        """The side ``person`` is on when the wording says so."""
        if person in self.hosts:
            return Role.HOST
        if person in self.guests:
            return Role.GUEST
        return None

    @property
    def directional(self) -> bool:
        """Whether the wording says who hosted."""
        return bool(self.hosts or self.guests)


def _sentence_mentions(text: str, sentence: Sentence, index: PeopleIndex) -> list[Mention]:
    start, end = sentence.start, sentence.end
    mentions = index.mentions_in(start, end)
    described = descriptor_mentions(text, start, end, index)
    if described:
        if mentions:
            taken = [(m.start, m.end) for m in mentions]
            described = [d for d in described if not _inside(d.start, taken)]
            mentions = sorted(mentions + described, key=_START)
        else:
            mentions = described
    if not mentions:
        return mentions
    kept = []
    briefing = _BRIEFING_RE.match(text, start, end)
    for mention in mentions:
        if briefing and mention.start >= briefing.end():
            briefing = None
            continue
        if _excluded(text, max(start, mention.start - 80), mention.start):
            continue
        if _BRIEFER_RE.match(text, mention.end, end):
            continue
        if mention.person.evidence == 0 and len(mention.person.tokens) < 2:
            continue
        kept.append(mention)
    return kept


_START = itemgetter(1)
"""The start of a :class:`Mention`."""


def _inside(position: int, spans: list[Span]) -> bool:
    return any(start <= position < end for start, end in spans)


def _excluded(text: str, start: int, end: int) -> bool:
    """Whether a phrase such as "according to" or "accompanied by" governs the words ending at ``end``."""
    governing = _EXCLUDED.within(text, start, end)
    return bool(governing) and any(_EXCLUDED_GAP_RE.fullmatch(text, stop, end) for _, stop in governing)


def _in_sentences(phrases: Phrases, text: str, starts: list[int], ends: list[int]) -> list[tuple[int, Span]]:
    """Each match of ``phrases`` lying inside one of the sentences spanning ``starts`` to ``ends`` (in order),
    with that sentence's start."""
    found = []
    match_starts, match_ends = phrases.spans(text)
    for begin, stop in zip(match_starts, match_ends, strict=True):
        number = bisect_right(starts, begin) - 1
        if number >= 0 and stop <= ends[number]:
            found.append((starts[number], (begin, stop)))
    return found


def sentence_cues(text: str, sentences: list[Sentence]) -> dict[int, tuple[str, Span]]:
    """The meeting cue of each sentence that has one, by sentence start: the first cue of the first type."""
    return _sentence_cues(text, [s.start for s in sentences], [s.end for s in sentences])


def _sentence_cues(text: str, starts: list[int], ends: list[int]) -> dict[int, tuple[str, Span]]:
    cues: dict[int, tuple[str, Span]] = {}
    for key, phrases in _CUE_TYPES:
        for start, span in _in_sentences(phrases, text, starts, ends):
            if start not in cues:
                cues[start] = (key, span)
    return cues


class CueMarks(NamedTuple):
    """Cues and announcements of a text's sentences, by sentence start."""

    cues: dict[int, tuple[str, Span]]
    announced: set[int]


def cue_marks(text: str, sentences: list[Sentence]) -> CueMarks:
    """The meeting cue of each sentence that has one and the starts of those announcing a future event.

    What this finds for a subset of ``sentences`` is what it finds for all of them, restricted to that subset.
    """
    starts = [s.start for s in sentences]
    ends = [s.end for s in sentences]
    announced = {start for start, _ in _in_sentences(_NOT_EVENT, text, starts, ends)}
    return CueMarks(_sentence_cues(text, starts, ends), announced)


def focus_sentences(text: str, sentences: list[Sentence], marks: CueMarks | None = None) -> list[Sentence]:
    """The sentences meetings are read from: the lead up to the first meeting cue, and each sentence with a cue
    or an announcement together with the next one (which may name the other side) and, when it says "he" or
    "she", the one before (which names the subject); none when no sentence has a cue."""
    if marks is None:
        marks = cue_marks(text, sentences)
    cues = marks.cues
    if not cues:
        return []
    marked = set(cues) | marks.announced
    cued = [number for number, sentence in enumerate(sentences) if sentence.start in marked]
    chosen = set(range(cued[0] + 1))
    for number in cued:
        chosen.update((number, number + 1))
        sentence = sentences[number]
        if _pronoun(text, sentence.start, sentence.end):
            chosen.add(number - 1)
    return [sentences[number] for number in sorted(chosen) if number < len(sentences)]


def _unique(mentions: list[Mention]) -> list[Mention]:
    if len(mentions) < 2:
        return mentions
    seen: set[int] = set()
    out = []
    for mention in mentions:
        if id(mention.person) not in seen:
            seen.add(id(mention.person))
            out.append(mention)
    return out


_PAIR_RE = re.compile(
    r"(?:The two|Both(?: the)?)\s+(?:[a-z-]+\s+){0,2}?"
    r"(?:leaders|ministers|premiers|presidents|counterparts|officials|sides|heads of state|dignitaries)\b"
)
"""A sentence opening with "the two leaders" or "both sides": the last two people named before."""
_PRONOUN_RE = re.compile(r"[HhSs](?<!\w[HhSs])h?e\b")
""""He" or "she"; it opens with a character class so that the engine skips ahead, then checks the word start."""


def _pronoun(text: str, start: int, end: int) -> re.Match[str] | None:
    """The first "he" or "she" in ``text[start:end]``."""
    return _PRONOUN_RE.search(text, start, end)


def find_meetings(
    text: str, sentences: list[Sentence], index: PeopleIndex, marks: CueMarks | None = None
) -> list[Meeting]:
    """Meetings in the order the article first reports them, sentences about each attached; ``marks`` may
    come from :func:`cue_marks` of any sentences that include ``sentences``."""
    meetings: list[Meeting] = []
    if marks is None:
        marks = cue_marks(text, sentences)
    cues = marks.cues
    announced = marks.announced
    last_subject: Mention | None = None
    pair: tuple[int, list[Mention]] | None = None
    partial: tuple[Sentence, str, Span, list[Mention]] | None = None
    for sentence in sentences:
        mentions = _unique(_sentence_mentions(text, sentence, index))
        subject = last_subject
        named_pair = pair
        if mentions:
            last_subject = mentions[0]
            if len(mentions) > 1:
                pair = (sentence.paragraph, mentions[:2])
        elif (
            partial is None
            and not _pronoun(text, sentence.start, sentence.end)
            and not (sentence.start in cues and _PAIR_RE.match(text, sentence.start, sentence.end))
        ):
            continue
        if sentence.start in announced:
            partial = None
            continue
        found = cues.get(sentence.start)
        if found is None:
            if partial is not None and mentions:
                _complete(meetings, partial, mentions, sentence)
            partial = None
            continue
        cue, (cue_start, cue_end) = found
        before = [m for m in mentions if m.end <= cue_start]
        after = [m for m in mentions if m.start >= cue_end]
        if subject is not None and subject.person not in {m.person for m in mentions}:
            pronoun = _pronoun(text, sentence.start, cue_start)
            if pronoun and (not before or pronoun.start() == sentence.start):
                before = [Mention(subject.person, pronoun.start(), pronoun.end(), False), *before]
                mentions = [before[0], *mentions]
        if (
            named_pair is not None
            and len(mentions) < 2
            and sentence.paragraph - named_pair[0] <= 1
            and _PAIR_RE.match(text, sentence.start, cue_start)
        ):
            mentions = _unique([*named_pair[1], *mentions])
            before = [m for m in mentions if m.end <= cue_start]
            after = [m for m in mentions if m.start >= cue_end]
        hosts: list[Person] = []
        guests: list[Person] = []
        if cue in {"audience_active", "receive_call", "receive"} and before and after:
            hosts, guests = [before[-1].person], [after[0].person]
            chosen = [before[-1], after[0]]
        elif cue in {"audience_passive", "call_on", "received_by"} and before and after:
            guests, hosts = [before[-1].person], [after[0].person]
            chosen = [before[-1], after[0]]
        else:
            chosen = mentions
        if len(chosen) < 2:
            if partial is not None and chosen:
                _complete(meetings, partial, chosen, sentence)
                partial = None
            elif _attach(meetings, sentence, chosen) is None and chosen:
                partial = (sentence, cue, (cue_start, cue_end), chosen)
            continue
        partial = None
        people = [m.person for m in chosen]
        meeting = Meeting(
            sentence=sentence,
            cue=cue,
            cue_span=(cue_start, cue_end),
            people=people,
            spans={id(m.person): (m.start, m.end) for m in chosen},
            hosts=hosts,
            guests=guests,
            sentences=[sentence],
        )
        _merge(meetings, meeting)
    return meetings


def _complete(
    meetings: list[Meeting],
    partial: tuple[Sentence, str, Span, list[Mention]],
    mentions: list[Mention],
    sentence: Sentence,
) -> None:
    first, cue, cue_span, chosen = partial
    if sentence.paragraph - first.paragraph > 1:
        return
    combined = _unique(chosen + mentions)
    if len(combined) < 2:
        return
    meeting = Meeting(
        sentence=first,
        cue=cue,
        cue_span=cue_span,
        people=[m.person for m in combined],
        spans={id(m.person): (m.start, m.end) for m in combined},
        sentences=[first, sentence],
    )
    _merge(meetings, meeting)


def _attach(meetings: list[Meeting], sentence: Sentence, chosen: list[Mention]) -> Meeting | None:
    for meeting in meetings:
        if all(m.person in meeting.people for m in chosen):
            meeting.sentences.append(sentence)
            return meeting
    return None


def _merge(meetings: list[Meeting], new: Meeting) -> None:
    new_set = {id(p) for p in new.people}
    for meeting in meetings:
        old_set = {id(p) for p in meeting.people}
        shared = old_set & new_set
        if not shared:
            continue
        if new_set <= old_set or (len(shared) >= 2 and len(shared) >= len(old_set) - 1):
            if not meeting.directional and new.directional:
                meeting.hosts, meeting.guests = new.hosts, new.guests
                meeting.cue, meeting.cue_span = new.cue, new.cue_span
            for person in new.people:
                if id(person) not in old_set and not new.directional:
                    meeting.people.append(person)
                    meeting.spans[id(person)] = new.spans[id(person)]
            meeting.sentences.append(new.sentence)
            return
        if old_set < new_set and not meeting.directional:
            for person in new.people:
                if id(person) not in old_set:
                    meeting.people.append(person)
                    meeting.spans[id(person)] = new.spans[id(person)]
            meeting.sentences.append(new.sentence)
            return
    if _WEAK_MEET_RE.match(text_of(new)) and meetings:
        return
    meetings.append(new)


def text_of(meeting: Meeting) -> str:
    """The cue words of ``meeting``."""
    start, end = meeting.cue_span
    offset = meeting.sentence.start
    return meeting.sentence.text[start - offset : end - offset]
