"""Building canonical meetings from reports: votes, idempotence, merges and stable ids."""

import datetime as dt
import itertools

from schemas import Kind, Topic
from schemas.canonical import CanonicalMeeting
from service.canonical.merge import add_report, meeting_id_for, merge_meetings, new_meeting
from tests.unit.canonical.factories import event, source

T0 = dt.datetime(2025, 3, 3, 12, tzinfo=dt.UTC)

FN = event("fn-1#0", "HUN Manet", "Phạm Minh Chính", kind=Kind.COURTESY_CALL, topics=(Topic.TRADE,), confidence=0.9)
AKP = event("akp-1#0", "Hun Manet", "Pham Minh Chinh", topics=(Topic.TRADE, Topic.BORDER), confidence=0.6)
VNA = event(
    "vna-1#0",
    "Hun Manet",
    "Pham Minh Chinh",
    date=dt.date(2025, 3, 4),
    stated=False,
    topics=(Topic.BORDER, Topic.TRADE),
)
REPORTS = [
    (FN, source(FN, "Fresh News", dt.datetime(2025, 3, 3, 9, tzinfo=dt.UTC))),
    (AKP, source(AKP, "AKP", dt.date(2025, 3, 3))),
    (VNA, source(VNA, "VNA", dt.datetime(2025, 3, 4, 1, tzinfo=dt.UTC))),
]


def _build(order: list[int]) -> CanonicalMeeting:
    (first, first_source), *rest = (REPORTS[i] for i in order)
    meeting = new_meeting(first, first_source, "mtg-x", now=T0)
    for report, report_source in rest:
        meeting = add_report(meeting, report, report_source)
    return meeting


def test_new_meeting_of_one_report() -> None:
    meeting = new_meeting(FN, REPORTS[0][1], now=T0)
    assert meeting.meeting_id == meeting_id_for(FN) == meeting_id_for(FN.model_copy())
    assert meeting.meeting_id.startswith("mtg-")
    assert meeting.event_ids == ["fn-1#0"]
    assert meeting.article_ids == ["fn-1"]
    assert [p.name for p in meeting.participants] == ["HUN Manet", "Phạm Minh Chính"]
    assert meeting.kind is Kind.COURTESY_CALL
    assert meeting.created_at == meeting.updated_at == T0


def test_reports_merge_by_vote() -> None:
    meeting = _build([0, 1, 2])
    assert [(p.name, p.mentions) for p in meeting.participants] == [("Hun Manet", 3), ("Pham Minh Chinh", 3)]
    assert meeting.participants[1].country == "VNM"
    assert [(t.topic, t.reports) for t in meeting.topics] == [(Topic.TRADE, 3), (Topic.BORDER, 2)]
    assert meeting.kind is Kind.BILATERAL_MEETING
    assert meeting.date == dt.date(2025, 3, 3)
    assert meeting.city == "Phnom Penh"
    assert [s.outlet for s in meeting.sources] == ["AKP", "Fresh News", "VNA"]
    assert meeting.first_reported_at == dt.date(2025, 3, 3)


def test_kind_tie_goes_to_confidence() -> None:
    meeting = add_report(new_meeting(FN, REPORTS[0][1]), AKP, REPORTS[1][1])
    assert meeting.kind is Kind.COURTESY_CALL


def test_adding_a_report_twice_changes_nothing() -> None:
    meeting = _build([0, 1])
    assert add_report(meeting, AKP, REPORTS[1][1]) is meeting
    assert add_report(meeting, FN, REPORTS[0][1], now=T0 + dt.timedelta(hours=1)) is meeting


def test_a_changed_report_replaces_its_earlier_version() -> None:
    meeting = _build([0, 1])
    revised = AKP.model_copy(update={"topics": [Topic.HEALTH]})
    updated = add_report(meeting, revised, REPORTS[1][1])
    assert updated.event_ids == meeting.event_ids
    assert {t.topic for t in updated.topics} == {Topic.TRADE, Topic.HEALTH}


def test_order_of_reports_does_not_matter() -> None:
    built = [
        _build(list(order)).model_dump(exclude={"created_at", "updated_at"})
        for order in itertools.permutations(range(3))
    ]
    assert all(b == built[0] for b in built)


def test_merge_keeps_the_older_id_and_aliases_the_newer() -> None:
    older = add_report(new_meeting(FN, REPORTS[0][1], "mtg-old"), AKP, REPORTS[1][1])
    newer = new_meeting(VNA, REPORTS[2][1], "mtg-new").model_copy(update={"aliases": ["mtg-older-alias"]})
    merged = merge_meetings(older, newer)
    assert merged.meeting_id == "mtg-old"
    assert merged.aliases == ["mtg-new", "mtg-older-alias"]
    assert merged.event_ids == ["akp-1#0", "fn-1#0", "vna-1#0"]
    same = {"aliases", "meeting_id", "created_at", "updated_at"}
    assert merged.model_dump(exclude=same) == _build([0, 1, 2]).model_dump(exclude=same)
