"""Kinds follow the contract's order, and roles follow the wording."""

from datetime import datetime

import pytest

from schemas import Kind, RawArticle, Role
from service.pipeline import enrich, normalize


def _events(body: str, received_at: datetime) -> list[tuple[Kind, dict[str, Role]]]:
    raw = RawArticle.model_validate({"id": "k-1", "source": "AKP", "published_at": "2024-06-05", "body": body})
    return [(e.kind, {p.name: p.role for p in e.participants}) for e in enrich(normalize(raw, received_at=received_at))]


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        (
            "Phnom Penh (AKP) – King Norodom Sihamoni granted a royal audience to Vietnamese Ambassador "
            "Nguyen Huy Tang, who presented his letters of credence.",
            Kind.ROYAL_AUDIENCE,
        ),
        (
            "Phnom Penh (AKP) – Cambodian Foreign Minister Prak Sokhonn and Chinese Foreign Minister Wang Yi "
            "held a telephone conversation on June 4.",
            Kind.PHONE_CALL,
        ),
        (
            "Hanoi (VNA) – Vietnamese Minister of Public Security To Lam and Cambodian Interior Minister "
            "Sar Kheng co-chaired a virtual talk on June 4.",
            Kind.VIDEO_CONFERENCE,
        ),
        (
            "Jakarta (VNA) – Prime Minister Pham Minh Chinh held a working breakfast with his Lao counterpart "
            "Sonexay Siphandone and his Cambodian counterpart Hun Manet on June 4.",
            Kind.MULTILATERAL_MEETING,
        ),
        (
            "Phnom Penh (AKP) – Thai Ambassador Cherdkiat Atthakor paid a courtesy call on Cambodian "
            "Prime Minister Hun Manet at the Peace Palace on June 4.",
            Kind.COURTESY_CALL,
        ),
        (
            "Phnom Penh (AKP) – Cambodian Prime Minister Hun Manet received Thai Ambassador Cherdkiat Atthakor "
            "at the Peace Palace on June 4.",
            Kind.BILATERAL_MEETING,
        ),
    ],
)
def test_kind_order(body: str, kind: Kind, received_at: datetime) -> None:
    (event,) = _events(body, received_at)
    assert event[0] is kind


def test_phone_with_monarch_is_a_phone_call(received_at: datetime) -> None:
    body = (
        "KUALA LUMPUR: Yang di-Pertuan Agong Al-Sultan Abdullah Ahmad Shah received a telephone call from "
        "Turkish President Recep Tayyip Erdogan on June 4."
    )
    ((kind, roles),) = _events(body, received_at)
    assert kind is Kind.PHONE_CALL
    assert set(roles.values()) == {Role.PARTICIPANT}


def test_courtesy_call_roles(received_at: datetime) -> None:
    body = (
        "Phnom Penh (AKP) – Thai Ambassador Cherdkiat Atthakor paid a courtesy call on Cambodian "
        "Prime Minister Hun Manet at the Peace Palace on June 4."
    )
    ((_, roles),) = _events(body, received_at)
    assert roles == {"Cherdkiat Atthakor": Role.GUEST, "Hun Manet": Role.HOST}


def test_side_at_home_hosts_a_plain_meeting(received_at: datetime) -> None:
    body = (
        "PHNOM PENH, June 5 (AKP) – Cambodian Prime Minister Hun Manet met his Japanese counterpart "
        "Fumio Kishida in Tokyo yesterday."
    )
    ((kind, roles),) = _events(body, received_at)
    assert kind is Kind.BILATERAL_MEETING
    assert roles == {"Hun Manet": Role.GUEST, "Fumio Kishida": Role.HOST}


def test_announced_meeting_is_not_an_event(received_at: datetime) -> None:
    body = "Phnom Penh (AKP) – Prime Minister Hun Manet will meet Japanese Prime Minister Fumio Kishida next week."
    assert _events(body, received_at) == []


def test_sidelines_in_a_third_country_make_participants(received_at: datetime) -> None:
    raw = RawArticle.model_validate(
        {
            "id": "k-2",
            "source": "Xinhua",
            "published_at": "2022-07-04",
            "body": "On July 3, 2022, State Councilor and Foreign Minister Wang Yi met with Cambodian Deputy Prime "
            "Minister and Foreign Minister Prak Sokhonn on the sidelines of the Lancang-Mekong Cooperation Foreign "
            "Ministers' Meeting in Bagan, Myanmar.",
        }
    )
    (event,) = enrich(normalize(raw, received_at=received_at))
    assert {p.name: (p.country, p.role) for p in event.participants} == {
        "Wang Yi": ("CHN", Role.PARTICIPANT),
        "Prak Sokhonn": ("KHM", Role.PARTICIPANT),
    }
