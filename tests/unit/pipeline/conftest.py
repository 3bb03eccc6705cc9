"""Shared fixtures for the pipeline unit tests."""

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

DATA = Path(__file__).resolve().parents[2] / "data"
RECEIVED_AT = datetime(2026, 1, 1, tzinfo=UTC)


def load_jsonl(name: str) -> list[dict[str, Any]]:
    """The labelled articles of ``tests/data/<name>``."""
    with (DATA / name).open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


@pytest.fixture
def received_at() -> datetime:
    """A fixed reception time, so no test reads the clock."""
    return RECEIVED_AT
