"""The Grafana dashboard queries only what the log catalogue documents; the catalogue covers the code."""

import json
import re
from typing import Any

import pytest

from tests.deploy.catalogue import ROOT, Catalogue, read_catalogue

DASHBOARD = ROOT / "ops" / "grafana" / "dashboards" / "meetwire.json"
SERVICE = ROOT / "service"

_SELECTOR = re.compile(r"\{([^}]*)\}")
_MATCHER = re.compile(r'(\w+)\s*(?:=~|!~|!=|=)\s*"')
_JSON = re.compile(r"\|\s*json\s+([^|\[]+)")
_MAPPING = re.compile(r'(\w+)="([^"]+)"')
_LABEL_FILTER = re.compile(r'\|\s*(\w+)\s*(?:=~|!~|!=|=)\s*"([^"]*)"')
_LINE_FILTER = re.compile(r'\|[=~]\s*"([^"]+)"')
_UNWRAP = re.compile(r"\|\s*unwrap\s+(\w+)")
_BY = re.compile(r"\bby\s*\(([^)]*)\)")
_EMITTED = re.compile(r'(?:\blog\.(?:debug|info|warning|error|exception|critical)|getattr\(log, \w+\))\(\s*"([^"]+)"')


def _queries() -> list[tuple[str, str]]:
    dashboard: dict[str, Any] = json.loads(DASHBOARD.read_text(encoding="utf-8"))
    return [(panel["title"], target["expr"]) for panel in dashboard["panels"] for target in panel["targets"]]


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    """The catalogue of docs/logs.md."""
    return read_catalogue()


def test_the_catalogue_documents_the_events_the_dashboard_is_built_from(catalogue: Catalogue) -> None:
    handled = catalogue.events["message.handled"]
    assert {"stage", "stream", "outcome", "duration_ms", "article_id", "message_id"} <= handled
    assert {"stream", "length", "pending", "lag", "stage", "processed", "failed", "dead_lettered"} <= (
        catalogue.events["pipeline.stats"]
    )
    assert {"rate", "p50_ms", "p95_ms", "p99_ms"} <= catalogue.events["pipeline.stats"]
    assert {"stage", "error"} <= catalogue.events["dependency.unavailable"]
    assert {"pipeline.started", "pipeline.stopped"} <= set(catalogue.events)
    assert {"timestamp", "level", "logger", "event"} <= catalogue.common


def test_every_event_the_code_emits_is_in_the_catalogue(catalogue: Catalogue) -> None:
    emitted = {name for path in SERVICE.rglob("*.py") for name in _EMITTED.findall(path.read_text(encoding="utf-8"))}
    assert {"message.handled", "dependency.unavailable", "pipeline.started"} <= emitted
    assert emitted - set(catalogue.events) == set()


@pytest.mark.parametrize(("title", "expr"), _queries(), ids=[f"{t}/{i}" for i, (t, _) in enumerate(_queries())])
def test_dashboard_queries_reference_only_documented_events_and_fields(
    catalogue: Catalogue, title: str, expr: str
) -> None:
    selectors = _SELECTOR.findall(expr)
    assert selectors, "a query needs a stream selector"
    for selector in selectors:
        assert set(_MATCHER.findall(selector)) <= catalogue.labels
    parsers = _JSON.findall(expr)
    assert len(parsers) == 1, 'one `| json name="field", ...` parser per query'
    mappings = dict(_MAPPING.findall(parsers[0]))
    assert all(label == field for label, field in mappings.items()), "extracted labels keep their field names"
    filters = _LABEL_FILTER.findall(expr)
    events = [value for label, value in filters if label == "event"]
    assert len(events) == 1, "each query filters on exactly one event"
    event = events[0]
    assert event in catalogue.events, f"{event} is not in docs/logs.md"
    fields = catalogue.fields(event)
    assert set(mappings) <= fields, f"{set(mappings) - fields} are not fields of {event}"
    assert set(_LINE_FILTER.findall(expr)) <= {event}
    for label, _ in filters:
        assert label == "__error__" or label in mappings, label
    for unwrapped in _UNWRAP.findall(expr):
        assert unwrapped in mappings
    for grouping in _BY.findall(expr):
        labels = {label.strip() for label in grouping.split(",") if label.strip()}
        assert labels <= set(mappings) | catalogue.labels, labels


def test_the_dashboard_covers_outcomes_latency_dead_letters_outages_and_backlogs() -> None:
    queries = " ".join(expr for _, expr in _queries())
    assert "sum by (stage, outcome) (rate(" in queries
    assert "unwrap duration_ms" in queries
    assert 'outcome="dead_lettered"' in queries
    assert 'event="dependency.unavailable"' in queries
    for field in ("length", "pending", "lag"):
        assert f"unwrap {field} " in queries
