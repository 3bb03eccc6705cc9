"""The AsyncAPI document of meetwire's streams, generated from the FastStream app into ``schemas/asyncapi.json``."""

import json
from pathlib import Path
from typing import Any

from service.app import build
from service.settings import Settings

DOCUMENT = Path(__file__).resolve().parent.parent / "schemas" / "asyncapi.json"
SERVER = "redis://localhost:6379"


def render() -> str:
    """The AsyncAPI 3.0 document as formatted JSON."""
    app, _ = build(Settings(redis_url=SERVER), configure_logs=False)
    spec = _placeholder_consumers(json.loads(app.schema.to_specification().to_json()))
    return json.dumps(spec, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _placeholder_consumers(node: Any) -> Any:
    """Consumer names are per process; the document shows their pattern."""
    if isinstance(node, dict):
        return {
            k: "<host>-<pid>" if k in {"consumer", "consumerName"} else _placeholder_consumers(v)
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_placeholder_consumers(v) for v in node]
    return node


if __name__ == "__main__":
    DOCUMENT.write_text(render(), encoding="utf-8")
    print(DOCUMENT)  # noqa: T201
