"""The accuracy figures of ``meetwire eval``."""

from service.evaluation import evaluate, name_key, same_person


def _meeting(*people: tuple[str, str, str], **fields: object) -> dict[str, object]:
    participants = [{"name": n, "role": r, "country": c} for n, r, c in people]
    return {
        "kind": "courtesy_call",
        "date": "2024-06-04",
        "city": "Phnom Penh",
        "country": "KHM",
        "topics": [],
        "participants": participants,
        **fields,
    }


def test_names_match_without_honorifics_accents_and_case() -> None:
    assert name_key("Samdech Thipadei Hun Manet") == ("hun", "manet")
    assert same_person(name_key("H.E. Phạm Minh Chính"), name_key("Pham Minh Chinh"))
    assert same_person(name_key("Hun Sen"), name_key("Samdech Techo HUN Sen"))
    assert not same_person(name_key("Hun Sen"), name_key("Hun Manet"))


def test_figures_over_paired_and_unpaired_meetings() -> None:
    gold = {
        "a": [_meeting(("Hun Manet", "host", "KHM"), ("Lloyd Austin", "guest", "USA"), topics=["defence", "trade"])],
        "b": [],
        "c": [_meeting(("Sok Chenda Sophea", "host", "KHM"), ("Wang Yi", "guest", "CHN"))],
    }
    pred = [
        {
            "article_id": "a",
            **_meeting(("Hun Manet", "host", "KHM"), ("Lloyd Austin", "host", "GBR"), topics=["defence"]),
        },
        {"article_id": "b", **_meeting(("Someone Else", "host", "KHM"), ("Other Person", "guest", "THA"))},
        {"article_id": "zzz", **_meeting(("X Y", "host", "KHM"))},
    ]
    result = evaluate(gold, pred).figures
    assert result["meeting_prf"] == (0.5, 0.5, 0.5)
    assert result["detect_prf"] == (0.5, 0.5, 0.5)
    assert result["participant_prf"] == (0.5, 0.5, 0.5)
    assert result["participant_role_acc"] == 0.5
    assert result["participant_country_acc"] == 0.5
    assert result["topic_prf"] == (1.0, 0.5, 0.6667)
    assert result["kind_acc"] == 1.0
    assert result["predictions_for_unknown_articles"] == 1
