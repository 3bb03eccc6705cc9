"""Scoring an event against a canonical meeting."""

import datetime as dt

from schemas import Kind, Participant, Role
from service.canonical.match import DEFAULT_THRESHOLD, best_match, score
from service.canonical.merge import new_meeting
from tests.unit.canonical.factories import event, source

FIRST = event("fn-1#0", "Hun Manet", "Pham Minh Chinh", venue="Peace Palace")
MEETING = new_meeting(FIRST, source(FIRST))


def test_other_wording_of_the_same_meeting_matches() -> None:
    report = event("vna-1#0", "Samdech Moha Borvor Thipadei Hun Manet", "Phạm Minh Chính", city="Phnom Penh")
    result = score(report, MEETING)
    assert result.compatible
    assert result.participants == 1.0
    assert result.total >= 0.9


def test_off_by_one_date_and_compatible_kind_still_match() -> None:
    report = event("kt-1#0", "HUN Manet", "Pham Minh Chinh", date=dt.date(2025, 3, 4), kind=Kind.COURTESY_CALL)
    result = score(report, MEETING)
    assert result.date == 0.8
    assert result.kind == 0.9
    assert result.total >= DEFAULT_THRESHOLD


def test_unstated_date_is_an_upper_bound() -> None:
    report = event("pp-1#0", "Hun Manet", "Pham Minh Chinh", date=dt.date(2025, 3, 5), stated=False)
    assert score(report, MEETING).date == 0.8
    assert score(report, MEETING).total >= DEFAULT_THRESHOLD


def test_the_same_people_weeks_later_are_another_meeting() -> None:
    report = event("x-1#0", "Hun Manet", "Pham Minh Chinh", date=dt.date(2025, 4, 8), city="Hanoi", country="VNM")
    assert not score(report, MEETING).compatible
    assert score(report, MEETING).total == 0.0


def test_a_phone_call_is_not_an_in_person_meeting() -> None:
    report = event("vna-2#0", "Hun Manet", "Pham Minh Chinh", date=dt.date(2025, 3, 4), kind=Kind.PHONE_CALL, city=None)
    assert not score(report, MEETING).compatible


def test_another_counterpart_the_same_day_is_another_meeting() -> None:
    report = event("fn-2#0", "Hun Manet", "Atsushi Ueno", venue="Peace Palace", kind=Kind.COURTESY_CALL)
    result = score(report, MEETING)
    assert result.participants == 0.5
    assert not result.compatible


def test_a_participant_named_only_by_office_and_country() -> None:
    unnamed = Participant(name="Vietnamese Prime Minister", country="VNM", role=Role.GUEST)
    result = score(event("xh-1#0", "Hun Manet", unnamed), MEETING)
    assert result.participants == 0.9
    assert result.total >= DEFAULT_THRESHOLD


def test_extra_names_in_a_report_cost_little() -> None:
    report = event("ap-1#0", "Hun Manet", "Pham Minh Chinh", "Peace Palace", "Sok Chenda Sophea")
    assert score(report, MEETING).participants == 1.0


def test_place_disagreement_lowers_the_score() -> None:
    here = score(event("a#0", "Hun Manet", "Pham Minh Chinh"), MEETING)
    elsewhere = score(event("b#0", "Hun Manet", "Pham Minh Chinh", city="Hanoi", country="VNM"), MEETING)
    assert here.place == 1.0
    assert elsewhere.place == 0.0
    assert here.total > elsewhere.total >= DEFAULT_THRESHOLD


def test_best_match_picks_the_right_meeting_and_honours_the_threshold() -> None:
    other = new_meeting(o := event("fn-2#0", "Hun Manet", "Atsushi Ueno", kind=Kind.COURTESY_CALL), source(o))
    report = event("akp-1#0", "Hun Manet", "Pham Minh Chinh", date=dt.date(2025, 3, 4), country=None, city=None)
    assert best_match(report, [other, MEETING]) is MEETING
    assert best_match(report, [other, MEETING], threshold=0.95) is None
    assert best_match(report, []) is None


def test_talks_on_a_summits_sidelines_are_not_the_summit() -> None:
    leaders = [
        Participant(name=name, title="Prime Minister", country=country, role=Role.PARTICIPANT)
        for name, country in [
            ("Hun Manet", "KHM"),
            ("Pham Minh Chinh", "VNM"),
            ("Sonexay Siphandone", "LAO"),
            ("Anwar Ibrahim", "MYS"),
        ]
    ]
    summit = event("xh-9#0", *leaders, kind=Kind.MULTILATERAL_MEETING, city="Vientiane", country="LAO")
    sidelines = event("vna-9#0", "Hun Manet", "Pham Minh Chinh", city="Vientiane", country="LAO")
    stray = Participant(name="Ream Naval Base", country="KHM", role=Role.PARTICIPANT)
    misread = event("ap-9#0", "Hun Manet", "Pham Minh Chinh", stray, kind=Kind.MULTILATERAL_MEETING, city=None)
    assert score(sidelines, new_meeting(summit, source(summit))).participants == 0.5
    assert score(misread, MEETING).participants == 1.0
