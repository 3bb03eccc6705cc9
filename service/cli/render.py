"""Rendering meeting events and status for people (tables) and machines (JSON lines, CSV)."""

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

import orjson
from rich.console import Console
from rich.table import Table

from schemas import MeetingEvent
from schemas.canonical import CanonicalMeeting

CSV_FIELDS = (
    "event_id",
    "article_id",
    "date",
    "kind",
    "venue",
    "city",
    "country",
    "participants",
    "topics",
    "confidence",
)


def participants_text(event: MeetingEvent) -> str:
    """``Name (role, COUNTRY or organization, title)`` for each participant, one per line."""
    lines = []
    for p in event.participants:
        where = p.country or p.organization or "?"
        title = f", {p.title}" if p.title else ""
        lines.append(f"{p.name} ({p.role.value}, {where}{title})")
    return "\n".join(lines)


def place_text(event: MeetingEvent) -> str:
    """Venue, city and country joined, skipping what is unknown."""
    return ", ".join(x for x in (event.venue, event.city, event.country) if x) or "-"


def events_table(events: Sequence[MeetingEvent], title: str = "Meeting events") -> Table:
    """A rich table of events."""
    table = Table(title=title, show_lines=True)
    for column in ("date", "kind", "participants", "place", "topics", "article"):
        table.add_column(column, overflow="fold")
    for e in events:
        table.add_row(
            e.date.isoformat() if e.date else "-",
            e.kind.value,
            participants_text(e),
            place_text(e),
            ", ".join(t.value for t in e.topics) or "-",
            e.article_id,
        )
    return table


def meetings_table(meetings: Sequence[CanonicalMeeting]) -> Table:
    """A rich table of canonical meetings with their reports."""
    table = Table(title=f"Canonical meetings ({len(meetings)})", show_lines=True)
    for column in ("meeting", "date", "kind", "participants", "place", "reports"):
        table.add_column(column, overflow="fold")
    for m in meetings:
        people = "\n".join(f"{p.name} ({p.role.value}, {p.country or p.organization or '?'})" for p in m.participants)
        place = ", ".join(x for x in (m.venue, m.city, m.country) if x) or "-"
        reports = "\n".join(f"{s.outlet}: {s.article_id}" for s in m.sources)
        table.add_row(m.meeting_id, m.date.isoformat() if m.date else "-", m.kind.value, people, place, reports)
    return table


def json_lines(events: Iterable[MeetingEvent]) -> str:
    """One event as JSON per line."""
    return "".join(e.model_dump_json() + "\n" for e in events)


def csv_text(events: Iterable[MeetingEvent]) -> str:
    """Events as CSV, participants and topics joined with ``; ``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_FIELDS)
    for e in events:
        writer.writerow(
            [
                e.event_id,
                e.article_id,
                e.date.isoformat() if e.date else "",
                e.kind.value,
                e.venue or "",
                e.city or "",
                e.country or "",
                "; ".join(participants_text(e).splitlines()),
                "; ".join(t.value for t in e.topics),
                f"{e.confidence:.2f}",
            ]
        )
    return buffer.getvalue()


def status_table(status: dict[str, Any]) -> Table:
    """A rich table of streams and their groups, with each stage's counters and figures; sink counts below."""
    table = Table(title="meetwire status")
    columns = ("stream", "group", "length", "pending", "lag", "consumers", "processed", "failed", "dead")
    for column in (*columns, "rate/s", "p50 ms", "p99 ms"):
        table.add_column(column, justify="left" if column in {"stream", "group"} else "right")
    stages = status.get("stages", {})
    for name, info in status["streams"].items():
        table.add_row(name, "(all)", str(info["length"]), str(info["pending"]), str(info["lag"]))
        for group, g in info["groups"].items():
            stage = stages.get(f"{name}:{group}", {})
            table.add_row(
                "",
                group,
                "",
                str(g["pending"]),
                str(g["lag"]),
                str(g.get("consumers", "")),
                _figure(stage.get("processed")),
                _figure(stage.get("failed")),
                _figure(stage.get("dead_lettered")),
                _figure(stage.get("rate") if stage.get("consumers") else None),
                _figure(stage.get("p50_ms")),
                _figure(stage.get("p99_ms")),
            )
    outcomes = status.get("outcomes", {})
    table.caption = (
        f"articles {status['articles']} ({', '.join(f'{k} {v}' for k, v in outcomes.items())}), "
        f"events {status['events']}, dead letters {status['dead_letters']}; "
        "rate and latency from the stages' last pipeline.stats"
    )
    return table


def _figure(value: Any) -> str:
    return "" if value is None else str(value)


def dumps(obj: Any) -> str:
    """Compact JSON text."""
    return orjson.dumps(obj).decode()


def print_table(table: Table) -> None:
    """Print a table to stdout, wide enough not to fold short columns."""
    Console(soft_wrap=False).print(table)
