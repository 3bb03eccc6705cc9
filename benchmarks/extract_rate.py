"""Extraction rate on one core: normalize and enrich of seed-sized articles, against the cost of reading them.

Articles are drawn from the labelled corpora in ``tests/data``; bodies shorter than the seed article get
paragraphs of other corpus articles appended until they are about its size, and every article gets its own id.
The ceiling is ``orjson.loads`` plus ``RawArticle.model_validate`` of the same lines: what any stage pays just
to touch its input. Rates are the best of several rounds, timed in process CPU time so that other load on
the machine does not count.

    .venv/bin/python benchmarks/extract_rate.py [--articles N] [--rounds R]
"""

import argparse
import random
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from schemas import NormalizedArticle, RawArticle
from service.pipeline import enrich, normalize

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"
CORPORA = ("seed-example.jsonl", "dev.jsonl", "dev2.jsonl")
RECEIVED_AT = datetime(2026, 1, 1, tzinfo=UTC)


def _records() -> list[dict[str, Any]]:
    records = []
    for name in CORPORA:
        for line in (DATA / name).read_bytes().splitlines():
            if line.strip():
                record = orjson.loads(line)
                record.pop("gold", None)
                records.append(record)
    return records


def seed_sized_lines(count: int, seed: int = 7) -> list[bytes]:
    """``count`` raw-article JSON lines about the size of the seed article, each with its own id."""
    records = _records()
    target = len(records[0]["body"])
    paragraphs = [p for r in records[1:] for p in r["body"].split("\n\n")[1:] if len(p) > 80]
    rng = random.Random(seed)
    lines = []
    for number in range(count):
        record = dict(rng.choice(records))
        body = record["body"]
        while len(body) < target:
            body += "\n\n" + rng.choice(paragraphs)
        record["body"] = body
        record["id"] = f"bench-{number:06d}"
        lines.append(orjson.dumps(record))
    return lines


def _best_rate(count: int, rounds: int, run: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(rounds):
        started = time.process_time()
        run()
        best = min(best, time.process_time() - started)
    return count / best


def main(argv: list[str] | None = None) -> None:
    """Print articles per second for each stage and the ratio of the whole to the ceiling."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    options = parser.parse_args(argv)
    lines = seed_sized_lines(options.articles)
    raws = [RawArticle.model_validate(orjson.loads(line)) for line in lines]
    normalized: list[NormalizedArticle] = [normalize(raw, received_at=RECEIVED_AT) for raw in raws]
    count = len(lines)

    def ceiling() -> None:
        for line in lines:
            RawArticle.model_validate(orjson.loads(line))

    def normalize_all() -> None:
        for raw in raws:
            normalize(raw, received_at=RECEIVED_AT)

    def enrich_all() -> None:
        for article in normalized:
            enrich(article)

    def end_to_end() -> None:
        for line in lines:
            enrich(normalize(RawArticle.model_validate(orjson.loads(line)), received_at=RECEIVED_AT))

    rates = {
        "ceiling (loads+validate)": _best_rate(count, options.rounds, ceiling),
        "normalize": _best_rate(count, options.rounds, normalize_all),
        "enrich": _best_rate(count, options.rounds, enrich_all),
        "end to end": _best_rate(count, options.rounds, end_to_end),
    }
    size = sum(len(line) for line in lines) / count
    events = sum(len(enrich(article)) for article in normalized)
    out = sys.stdout
    out.write(f"{count} articles, {size / 1024:.1f} KB each on average, {events} events\n")
    for name, rate in rates.items():
        out.write(f"{name:<26}{rate:>10,.0f} articles/s\n")
    out.write(f"{'end to end / ceiling':<26}{rates['end to end'] / rates['ceiling (loads+validate)']:>10.3f}\n")


if __name__ == "__main__":
    main()
