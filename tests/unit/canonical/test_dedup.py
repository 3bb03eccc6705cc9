"""Pairwise F1 of canonical meetings on the labelled sets, in several arrival orders."""

import pytest

from tests.unit.canonical.evaluation import load, pairwise, partition, run

SEEDS = range(5)


@pytest.mark.parametrize("seed", SEEDS)
def test_dev_set(seed: int) -> None:
    articles = load("dedup-dev.jsonl")
    scores = pairwise(articles, run(articles, seed))
    assert scores.f1 >= 0.9
    assert scores.precision == 1.0


@pytest.mark.parametrize("seed", SEEDS)
def test_own_set(seed: int) -> None:
    articles = load("dedup-own.jsonl")
    assert pairwise(articles, run(articles, seed)).f1 >= 1.0
    extracted = tuple(a for a in articles if a.events)
    assert pairwise(extracted, run(extracted, seed)).f1 >= 0.95


@pytest.mark.parametrize("name", ["dedup-dev.jsonl", "dedup-own.jsonl"])
def test_order_does_not_change_the_meetings(name: str) -> None:
    articles = load(name)
    partitions = {partition(run(articles, seed)) for seed in SEEDS}
    assert len(partitions) == 1
