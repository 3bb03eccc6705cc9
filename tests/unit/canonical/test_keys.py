"""Person keys, name and participant matching, and blocking keys."""

import datetime as dt

import pytest

from schemas import Participant, Role
from service.canonical.keys import blocking_keys, is_unnamed, name_match, person_key, person_match, place_key
from tests.unit.canonical.factories import event


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Hun Sen", "Samdech Techo Hun Sen"),
        ("Hun Sen", "HUN Sen"),
        ("Hun Sen", "Samdech Akka Moha Sena Padei Techo Hun Sen"),
        ("Hun Manet", "Samdech Moha Borvor Thipadei Hun Manet"),
        ("Phạm Minh Chính", "Pham Minh Chinh"),
        ("Kishida Fumio", "Fumio Kishida"),
        ("IWAYA Takeshi", "Takeshi Iwaya"),
        ("Antony J. Blinken", "Antony Blinken"),
        ("Wendy R Sherman", "Wendy Sherman"),
        ("H.E. Sok Chenda Sophea", "Sok Chenda Sophea"),
        ("Prime Minister Datuk Seri Anwar Ibrahim", "Anwar Ibrahim"),
        ("Jean-Yves Le Drian", "Jean Yves Le Drian"),
        ("Nguyễn Thị Đức", "Nguyen Thi Duc"),
    ],
)
def test_same_person_same_key(a: str, b: str) -> None:
    assert person_key(a) == person_key(b)
    assert name_match(a, b) == 1.0


@pytest.mark.parametrize(("a", "b"), [("Hun Sen", "Hun Manet"), ("Wang Yi", "Wang Wenbin"), ("Hun Sen", "")])
def test_different_people_do_not_match(a: str, b: str) -> None:
    assert name_match(a, b) == 0.0


@pytest.mark.parametrize(
    ("a", "b", "strength"),
    [
        ("Yoon Suk-yeol", "Yoon Sukyeol", 0.95),
        ("Antony Blinken", "Antony John Blinken", 0.9),
        ("Kishida", "Fumio Kishida", 0.6),
    ],
)
def test_partial_names(a: str, b: str, strength: float) -> None:
    assert name_match(a, b) == strength


def test_office_and_country_stand_for_a_name() -> None:
    unnamed = Participant(name="Cambodian Premier", country="KHM", role=Role.HOST)
    named = Participant(name="Hun Manet", title="Prime Minister", country="KHM", role=Role.HOST)
    other_country = Participant(name="Paetongtarn Shinawatra", title="Prime Minister", country="THA", role=Role.GUEST)
    assert is_unnamed(unnamed)
    assert not is_unnamed(named)
    assert person_match(unnamed, named) == 0.8
    assert person_match(unnamed, other_country) == 0.0


def test_place_key_ignores_spelling() -> None:
    assert place_key("Hà Nội") == place_key("Ha Noi") == place_key("HANOI")
    assert place_key(None) is None


def test_blocking_keys_meet_within_the_date_gap() -> None:
    base = blocking_keys(event("a#0", "Hun Manet", "Pham Minh Chinh"))
    next_day = blocking_keys(event("b#0", "Samdech Hun Manet", "Phạm Minh Chính", date=dt.date(2025, 3, 4)))
    weeks_later = blocking_keys(event("c#0", "Hun Manet", "Pham Minh Chinh", date=dt.date(2025, 4, 8)))
    unnamed = blocking_keys(
        event("d#0", "Hun Manet", Participant(name="Vietnamese Premier", country="VNM", role=Role.GUEST))
    )
    assert "2025-03-03|p:manet" in base
    assert base & next_day
    assert not base & weeks_later
    assert "2025-03-03|c:KHM+VNM" in base & unnamed
    assert blocking_keys(event("e#0", "Hun Manet", "Pham Minh Chinh", date=None)) == set()


def test_unstated_date_reaches_back() -> None:
    stated = blocking_keys(event("a#0", "Hun Manet", "Pham Minh Chinh"))
    published_three_days_later = blocking_keys(
        event("b#0", "Hun Manet", "Pham Minh Chinh", date=dt.date(2025, 3, 6), stated=False)
    )
    assert stated & published_three_days_later
