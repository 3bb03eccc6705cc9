"""The wire contract: committed JSON Schemas match the models, every field is described."""

import json

import pytest
from pydantic import BaseModel

from schemas import Kind, Topic
from schemas.jsonschema import JSON_DIR, MODELS, render
from service import asyncapi


def test_committed_json_schemas_match_the_models() -> None:
    committed = {p.name: p.read_text(encoding="utf-8") for p in JSON_DIR.glob("*.schema.json")}
    assert committed == render(), "schemas/json is stale: run `python -m schemas.jsonschema` and commit"


@pytest.mark.parametrize("model", list(MODELS.values()), ids=list(MODELS))
def test_every_field_has_a_description(model: type[BaseModel]) -> None:
    schema = model.model_json_schema()
    missing = []
    for name, definition in [("", schema), *schema.get("$defs", {}).items()]:
        for field, spec in definition.get("properties", {}).items():
            if "description" not in spec:
                missing.append(f"{name or model.__name__}.{field}")
    assert missing == []


def test_messages_meetwire_writes_carry_schema_version() -> None:
    for name in ("normalized-article", "meeting-event", "dead-letter", "article-outcome"):
        schema = json.loads(render()[f"{name}.schema.json"])
        assert schema["properties"]["schema_version"]["const"] == 1


def test_enums_follow_the_spec_order_and_names() -> None:
    assert [k.value for k in Kind] == [
        "royal_audience",
        "phone_call",
        "video_conference",
        "multilateral_meeting",
        "courtesy_call",
        "bilateral_meeting",
    ]
    assert len(Topic) == 28


def test_committed_asyncapi_document_matches_the_app() -> None:
    document = asyncapi.render()
    assert asyncapi.DOCUMENT.read_text(encoding="utf-8") == document, "run `python -m service.asyncapi` and commit"
    channels = json.loads(document)["channels"]
    for stream in ("articles.raw", "meetings.events", "meetings.canonical", "articles.dead"):
        assert any(c["address"] == stream for c in channels.values()), stream
