"""Turn a normalized article into the meeting events it reports."""

import re

from schemas import Kind, MeetingEvent, NormalizedArticle, Role
from service.pipeline import dates, places
from service.pipeline.codes import codes_for
from service.pipeline.kinds import COURTESY_RE, decide_kind, first_match
from service.pipeline.lexicon import CITIES, source_country
from service.pipeline.meetings import Meeting, cue_marks, find_meetings, focus_sentences
from service.pipeline.people import Person, find_people
from service.pipeline.text import Phrases, Sentence, lowered, split_sentences
from service.pipeline.topics import find_topics

EXTRACTOR_VERSION = "0.2.0"

Span = tuple[int, int]

_SIDELINES = Phrases(["on the sidelines", "on the margins?"])
_DATE_BLOCKERS_RE = re.compile(r"(?:from|since|began on|until|till|between|to|and|-|–)\s*$")
"""Words before a date that make it the start or end of a span, matched against the lower-cased text."""
_MEETING_FOLLOWUP_RE = re.compile(
    r"^(?:The|This|That) (?:meeting|talks?|call|courtesy call|audience|conversation|visit|summit)\b"
)


def _date(article: NormalizedArticle, meeting: Meeting, context: dates.DateContext) -> dates.FoundDate | None:
    text = article.text
    low = lowered(text)
    cue_start, cue_end = meeting.cue_span
    ordered = list(meeting.sentences)
    candidates: list[tuple[int, dates.FoundDate]] = []
    for rank, sentence in enumerate(ordered[:3]):
        found = dates.explicit_dates(text, sentence.start, sentence.end, context)
        found += dates.relative_dates(text, sentence.start, sentence.end, context)
        for item in found:
            if _DATE_BLOCKERS_RE.search(low, max(0, item.span[0] - 12), item.span[0]):
                continue
            if rank == 0:
                distance = max(0, item.span[0] - cue_end, cue_start - item.span[1])
            else:
                distance = 10_000 * rank + item.span[0]
            candidates.append((distance, item))
        if candidates:
            break
    if not candidates:
        return None
    candidates.sort(key=lambda pair: pair[0])
    best = candidates[0][1]
    if not best.explicit:
        for _, item in candidates:
            if item.explicit and 0 <= item.span[0] - best.span[1] <= 20:
                return item
    return best


def _meeting_date(
    article: NormalizedArticle, meeting: Meeting, context: dates.DateContext, lead: Sentence | None
) -> tuple[dates.FoundDate | None, Span | None]:
    found = _date(article, meeting, context)
    if found is None and lead is not None and lead not in meeting.sentences:
        probe = Meeting(lead, meeting.cue, (lead.start, lead.start), [], {}, sentences=[lead])
        found = _date(article, probe, context)
    if found is not None:
        return found, found.span
    if context.dateline is not None:
        return dates.FoundDate(context.dateline, (0, article.dateline.end), True), (0, article.dateline.end)
    if context.published is not None:
        return dates.FoundDate(context.published, (0, 0), True), None
    return None, None


def _place(
    article: NormalizedArticle, meeting: Meeting, sentences: list[Sentence], call: bool, lead: Sentence | None
) -> places.Place:
    text = article.text
    place = places.Place()
    if call:
        return place
    scope = list(meeting.sentences)
    position = sentences.index(meeting.sentence)
    if position + 1 < len(sentences):
        following = sentences[position + 1]
        if _MEETING_FOLLOWUP_RE.match(following.text) and following not in scope:
            scope.append(following)
    for sentence in scope:
        if place.venue is None:
            venue = places.find_venue(text, sentence.start, sentence.end)
            if venue:
                place.venue, place.venue_span = venue
                city = places.find_city(text, place.venue_span[1], min(sentence.end, place.venue_span[1] + 40))
                if city:
                    place.city, place.country, place.city_span = city[0], city[1] or None, city[2]
        if place.city is None:
            city = places.find_city(text, sentence.start, sentence.end)
            if city:
                place.city, place.country, place.city_span = city[0], city[1] or None, city[2]
        if place.country is None:
            country = places.find_country(text, sentence.start, sentence.end)
            if country:
                place.country, place.country_span = country
    if place.city is None and place.country is None and lead is not None:
        for sentence in reversed(sentences[: position + 1]):
            city = places.find_city_in(text, sentence.start, sentence.end)
            if city:
                place.city, place.country, place.city_span = city[0], city[1] or None, city[2]
                break
            if sentence is lead:
                break
    dateline_city = article.dateline.city
    if place.city is None and dateline_city:
        dateline_country = CITIES.get(dateline_city)
        here = any(places.says_here(text, s.start, s.end) for s in scope)
        named = place.venue is not None or any(places.names_venue(text, s.start, s.end) for s in scope)
        consistent = place.country is None or place.country == dateline_country
        if here or (place.venue and places.is_local_venue(place.venue)) or (named and consistent):
            place.city = dateline_city
            place.city_span = (0, article.dateline.end)
            place.country = place.country or dateline_country
    if place.city and place.country is None:
        place.country = CITIES.get(place.city)
    if place.country and place.country_span is None:
        place.country_span = place.city_span
    return place


def _home_of(article: NormalizedArticle) -> str | None:
    city = article.dateline.city
    if city and city in CITIES:
        return CITIES[city]
    return source_country(article.source)


def _roles(meeting: Meeting, kind: Kind, location: str | None, text: str) -> list[Role]:
    if kind in {Kind.PHONE_CALL, Kind.VIDEO_CONFERENCE, Kind.MULTILATERAL_MEETING}:
        return [Role.PARTICIPANT for _ in meeting.people]
    if meeting.directional:
        return [meeting.role_of(p) or Role.PARTICIPANT for p in meeting.people]
    if kind is Kind.ROYAL_AUDIENCE:
        return [Role.HOST if p.is_monarch else Role.GUEST for p in meeting.people]
    at_home = [p for p in meeting.people if location and p.country == location]
    if location and at_home and len(at_home) < len(meeting.people):
        return [Role.HOST if p in at_home else Role.GUEST for p in meeting.people]
    return [Role.PARTICIPANT for _ in meeting.people]


def _topic_ranges(meeting: Meeting, meetings: list[Meeting], sentences: list[Sentence]) -> list[Span]:
    """Where the topics of ``meeting`` are read: for the first meeting every sentence not about another one,
    for a later one the rest of the paragraph that reports it."""
    own = {id(s) for s in meeting.sentences}
    others = {id(s) for m in meetings if m is not meeting for s in m.sentences}
    if meeting is meetings[0]:
        return [(s.start, s.end) for s in sentences if id(s) not in others or id(s) in own]
    start = sentences.index(meeting.sentence)
    paragraph = meeting.sentence.paragraph
    return [(s.start, s.end) for s in sentences[start:] if s.paragraph == paragraph]


def enrich(article: NormalizedArticle, *, tz: str = "Asia/Phnom_Penh") -> list[MeetingEvent]:
    """The meeting events ``article`` reports, in the order it reports them."""
    del tz
    text = article.text
    sentences = split_sentences(text, article.dateline.end)
    if not sentences:
        return []
    home = _home_of(article)
    marks = cue_marks(text, sentences)
    focus = focus_sentences(text, sentences, marks)
    if not focus:
        return []
    index = find_people(text, focus)
    meetings = find_meetings(text, focus, index, marks)
    if not meetings:
        return []
    context = dates.make_context(
        article.dateline.year,
        article.dateline.month,
        article.dateline.day,
        article.published_at,
        article.received_at,
        dates.text_year(text),
    )
    lead = sentences[0]
    events: list[MeetingEvent] = []
    for meeting in meetings:
        ranges = [(s.start, s.end) for s in meeting.sentences]
        position = sentences.index(meeting.sentence)
        nearby = [(s.start, s.end) for s in sentences[position + 1 : position + 3]]
        monarch = any(p.is_monarch for p in meeting.people)
        parties = {p.country or p.organization or p.name for p in meeting.people}
        courtesy_cue = meeting.cue_span if meeting.cue in {"call_on", "receive_call"} else None
        if courtesy_cue is None and meeting is meetings[0]:
            courtesy_cue = first_match(COURTESY_RE, text, nearby)
        kind, kind_span = decide_kind(
            text,
            ranges,
            parties=len(parties),
            people=len(meeting.people),
            monarch_in_person=monarch,
            directional=meeting.directional,
            courtesy_cue=courtesy_cue,
        )
        call = kind in {Kind.PHONE_CALL, Kind.VIDEO_CONFERENCE}
        place = _place(article, meeting, sentences, call, lead if meeting is meetings[0] else None)
        if events and not call and meeting is not meetings[0] and place.city is None:
            first = events[0]
            if place.country is None or place.country == first.country:
                place.city = place.city or first.city
                place.city_span = place.city_span or first.evidence.city
                place.country = place.country or first.country
        location = place.country or home
        sidelines = any(_SIDELINES.first(text, s.start, s.end) for s in meeting.sentences)
        if place.country is None and sidelines:
            location = None
        _fill_countries(meeting, place.country, source_country(article.source) or home)
        roles = _roles(meeting, kind, location, text)
        found_date, date_span = _meeting_date(article, meeting, context, lead)
        base = context.dateline or context.published
        if found_date is not None and base is not None and (base - found_date.value).days > 45:
            continue
        topics = find_topics(text, _topic_ranges(meeting, meetings, sentences))
        participants = [_participant(p, r) for p, r in zip(meeting.people, roles, strict=True)]
        evidence = {
            "kind": kind_span or meeting.cue_span,
            "date": date_span,
            "venue": place.venue_span,
            "city": place.city_span,
            "country": place.country_span,
            "participants": [meeting.spans[id(p)] for p in meeting.people],
            "topics": [span for _, span in topics],
        }
        confidence = 0.55 + 0.2 * (meeting.cue != "meet") + 0.1 * (found_date is not None and found_date.explicit)
        confidence += 0.1 * all(p.country or p.organization for p in meeting.people)
        events.append(
            MeetingEvent.model_validate(
                {
                    "event_id": f"{article.id}#{len(events)}",
                    "article_id": article.id,
                    "kind": kind,
                    "date": found_date.value if found_date else None,
                    "venue": place.venue,
                    "city": None if call else place.city,
                    "country": None if call else place.country,
                    "participants": participants,
                    "topics": [topic for topic, _ in topics],
                    "evidence": evidence,
                    "confidence": round(min(confidence, 0.95), 2),
                    "codes": codes_for(kind, roles),
                    "extractor_version": EXTRACTOR_VERSION,
                    "content_hash": article.content_hash,
                }
            )
        )
    return events


def _fill_countries(meeting: Meeting, location: str | None, home: str | None) -> None:
    """Give a country to principals the text leaves without one: the outlet's, whose own leaders go unnamed as
    such, else the country the meeting took place in; never one a principal already has."""
    known = {p.country for p in meeting.people if p.country}
    for person in meeting.people:
        if person.country or person.organization:
            continue
        for candidate in (home, location):
            if candidate and candidate not in known:
                person.country = candidate
                known.add(candidate)
                break


def _participant(person: Person, role: Role) -> dict[str, str | None]:
    """The fields of the participant ``person`` is, for one validation of the whole event."""
    return {
        "name": person.name,
        "title": person.title,
        "organization": person.organization,
        "country": None if person.organization and person.country is None else person.country,
        "role": role,
    }
