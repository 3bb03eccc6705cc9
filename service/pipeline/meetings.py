"""Meetings an article reports: cue sentences, who took part and on which side."""

import re
from dataclasses import dataclass, field

from schemas import Role
from service.pipeline.lexicon import CUES
from service.pipeline.people import Mention, PeopleIndex, Person, descriptor_mentions
from service.pipeline.text import Sentence

Span = tuple[int, int]


def _compile(key: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(CUES[key]) + r")\b", re.IGNORECASE)


_CUE_TYPES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (key, _compile(key))
    for key in ("audience_active", "audience_passive", "receive_call", "call_on", "received_by", "receive", "meet")
)
_NOT_EVENT_RE = re.compile(r"\b(?:" + "|".join(CUES["not_event"]) + r")", re.IGNORECASE)
_EXCLUDED_RE = re.compile(r"\b(?:" + "|".join(CUES["excluded_context"]) + r")\s+(?:[A-Za-z.'-]+\s+){0,8}$", re.I)
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
    named = [m for m in index.mentions if sentence.start <= m.start < sentence.end]
    described = descriptor_mentions(text, sentence.start, sentence.end, index)
    taken = [(m.start, m.end) for m in named]
    mentions = named + [d for d in described if not any(s <= d.start < e for s, e in taken)]
    kept = []
    for mention in sorted(mentions, key=lambda m: m.start):
        if _EXCLUDED_RE.search(text[max(sentence.start, mention.start - 80) : mention.start]):
            continue
        if mention.person.evidence == 0 and len(mention.person.tokens) < 2:
            continue
        kept.append(mention)
    return kept


def _cue(sentence: Sentence) -> tuple[str, Span] | None:
    for key, pattern in _CUE_TYPES:
        match = pattern.search(sentence.text)
        if match:
            return key, (sentence.start + match.start(), sentence.start + match.end())
    return None


def _unique(mentions: list[Mention]) -> list[Mention]:
    seen: set[int] = set()
    out = []
    for mention in mentions:
        if id(mention.person) not in seen:
            seen.add(id(mention.person))
            out.append(mention)
    return out


_PRONOUN_RE = re.compile(r"\b(?:[Hh]e|[Ss]he)\b")


def find_meetings(text: str, sentences: list[Sentence], index: PeopleIndex) -> list[Meeting]:
    """Meetings in the order the article first reports them, sentences about each attached."""
    meetings: list[Meeting] = []
    last_subject: Mention | None = None
    partial: tuple[Sentence, str, Span, list[Mention]] | None = None
    for sentence in sentences:
        mentions = _unique(_sentence_mentions(text, sentence, index))
        subject = last_subject
        if mentions:
            last_subject = mentions[0]
        elif partial is None and not _PRONOUN_RE.search(sentence.text):
            continue
        if _NOT_EVENT_RE.search(sentence.text):
            partial = None
            continue
        found = _cue(sentence)
        if found is None:
            if partial is not None and mentions:
                _complete(meetings, partial, mentions, sentence)
            partial = None
            continue
        cue, (cue_start, cue_end) = found
        before = [m for m in mentions if m.end <= cue_start]
        after = [m for m in mentions if m.start >= cue_end]
        if not before and subject is not None and subject.person not in {m.person for m in after}:
            pronoun = _PRONOUN_RE.search(text, sentence.start, cue_start)
            if pronoun:
                before = [Mention(subject.person, pronoun.start(), pronoun.end(), False)]
                mentions = before + mentions
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
