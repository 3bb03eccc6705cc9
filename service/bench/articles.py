"""Benchmark articles: drawn from the shipped corpus, each with a unique id and a body of its own."""

import random
from datetime import UTC, datetime
from importlib import resources

from schemas import RawArticle
from service.feed import parse_line
from service.pipeline import enrich, normalize

SEED_SIZE = 2_400
"""Characters in the seed article's body; short corpus articles are padded to about this size."""


def corpus() -> list[RawArticle]:
    """The corpus of raw articles shipped in the package (``seeds/corpus.jsonl``)."""
    text = resources.files("seeds").joinpath("corpus.jsonl").read_text(encoding="utf-8")
    return [parse_line(line) for line in text.splitlines() if line.strip()]


def _paragraphs_without_meetings(articles: list[RawArticle]) -> list[str]:
    stamp = datetime(2026, 1, 1, tzinfo=UTC)
    filler = []
    for article in articles:
        if not enrich(normalize(article, received_at=stamp)):
            filler += [p for p in article.body.split("\n\n")[1:] if len(p) > 80]
    return filler


def bench_articles(n: int, *, seed: int = 7) -> list[RawArticle]:
    """``n`` articles of about seed size, ids unique, bodies all different (no cache or hash flatters a run)."""
    rng = random.Random(seed)
    base = corpus()
    filler = _paragraphs_without_meetings(base) or ["The ministry said further details would follow."]
    out = []
    for k in range(n):
        article = base[k % len(base)]
        parts = [article.body]
        while sum(len(p) for p in parts) < SEED_SIZE:
            parts.append(rng.choice(filler))
        parts.append(f"Reference {k}-{rng.randrange(1 << 30):x}.")
        out.append(article.model_copy(update={"id": f"bench-{k}-{article.id}", "body": "\n\n".join(parts)}))
    return out
