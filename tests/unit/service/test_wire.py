"""Decoding stream entries and the JSON message format."""

import orjson
import pytest

from schemas import RawArticle
from service import wire


def test_json_field_is_decoded_to_the_object() -> None:
    fields = {b"__data__": orjson.dumps({"id": "a", "body": "text"})}
    assert wire.decode_entry(fields, max_bytes=1000) == {"id": "a", "body": "text"}


def test_plain_fields_are_decoded_as_text() -> None:
    fields = {b"id": b"a", b"body": "Phnom Penh – café".encode()}
    assert wire.decode_entry(fields, max_bytes=1000) == {"id": "a", "body": "Phnom Penh – café"}


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({b"__data__": b"{oops"}, "not valid JSON"),
        ({b"__data__": b"[1]"}, "JSON list, not an object"),
        ({b"__data__": b'"text"'}, "JSON str, not an object"),
        ({b"id": b"x", b"body": b"\xff"}, "'body' is not valid UTF-8"),
        ({}, "no fields"),
        ({b"body": b"x" * 200}, "larger than the limit of 100 bytes"),
        ({b"__data__": b"[" * 5000 + b"]" * 5000}, "not valid JSON"),
    ],
)
def test_poison_entries_raise_with_a_reason(fields: dict[bytes, bytes], reason: str) -> None:
    with pytest.raises(wire.PoisonEntry) as caught:
        wire.decode_entry(fields, max_bytes=100 if b"body" in fields and len(fields[b"body"]) > 100 else 10**6)
    assert reason in str(caught.value)


def test_readable_fields_replace_bad_bytes_and_cut_huge_values() -> None:
    out = wire.readable_fields({b"id": b"\xffx", b"body": b"a" * 100}, limit=10)
    assert out["id"] == "\ufffdx"
    assert out["body"].startswith("a" * 10)
    assert "90 more bytes cut" in out["body"]


async def test_json_message_format_writes_plain_json() -> None:
    article = RawArticle(id="a", body="text")
    payload = await wire.JsonMessageFormat.encode(message=article, reply_to=None, headers=None, correlation_id="c")
    assert orjson.loads(payload)["id"] == "a"
    assert wire.JsonMessageFormat.parse(payload) == (payload, {})
    as_dict = await wire.JsonMessageFormat.encode(message={"k": 1}, reply_to=None, headers=None, correlation_id="c")
    assert orjson.loads(as_dict) == {"k": 1}
