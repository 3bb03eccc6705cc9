"""The log catalogue of ``docs/logs.md``, read into event names and fields, for the deploy tests."""

import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LOGS_MD = ROOT / "docs" / "logs.md"

_HEADING = re.compile(r"^##+ (.+)$")
_ROW = re.compile(r"^\| `([^`]+)` \|")


@dataclass(frozen=True)
class Catalogue:
    """Fields on every line, Loki's stream labels, and each event's own fields."""

    common: frozenset[str]
    labels: frozenset[str]
    events: dict[str, frozenset[str]]

    def fields(self, event: str) -> frozenset[str]:
        """Every field a line of ``event`` may carry."""
        return self.common | self.events[event]


def read_catalogue(path: Path = LOGS_MD) -> Catalogue:
    """Parse the tables of ``docs/logs.md``: a ``### `event``` section per event, one row per field."""
    sections: dict[str, set[str]] = {}
    current: set[str] | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        heading = _HEADING.match(line)
        if heading:
            current = sections.setdefault(heading.group(1).strip().strip("`"), set())
            continue
        row = _ROW.match(line)
        if row and current is not None:
            current.add(row.group(1))
    common = sections.pop("Fields on every line")
    labels = sections.pop("Labels in Loki")
    sections.pop("Events", None)
    return Catalogue(frozenset(common), frozenset(labels), {name: frozenset(f) for name, f in sections.items()})
