"""Orchestrates a benchmark: ceilings, bursts, steady load and the grid for the plot, all in one run."""

import asyncio
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from redis.asyncio import Redis

from service.bench.articles import bench_articles
from service.bench.ceilings import extract_rate, redis_hop_rate
from service.bench.pipeline_run import run_pipeline
from service.bench.report import summary
from service.redis_server import EmbeddedRedis
from service.settings import Settings

Progress = Callable[[str, int, int], None]


class NotEmpty(RuntimeError):
    """The Redis database given to the benchmark holds data."""


async def _check_empty(url: str) -> None:
    redis = Redis.from_url(url)
    try:
        if await redis.dbsize():
            msg = (
                f"the benchmark flushes its Redis database between runs, and "
                f"{url.rsplit('@', maxsplit=1)[-1]} is not empty: "
                "point MEETWIRE_REDIS_URL at an empty database (e.g. redis://host:6379/15) or unset it"
            )
            raise NotEmpty(msg)
    finally:
        await redis.aclose()


def run_benchmark(
    settings: Settings,
    *,
    n: int,
    workers: list[int],
    batch_sizes: list[int],
    rate: float,
    steady_seconds: float,
    grid: bool,
    progress: Progress,
) -> dict[str, Any]:
    """Measure everything and return the figures."""
    with tempfile.TemporaryDirectory(prefix="meetwire-bench-") as tmp:
        work = Path(tmp)
        server: EmbeddedRedis | None = None
        url = settings.redis_url
        if url is None:
            server = EmbeddedRedis(work / "redis")
            (work / "redis").mkdir()
            url = server.start()
        try:
            return asyncio.run(_measure(url, work, n, workers, batch_sizes, rate, steady_seconds, grid, progress))
        finally:
            if server is not None:
                server.stop()


async def _measure(
    url: str,
    work: Path,
    n: int,
    workers: list[int],
    batch_sizes: list[int],
    rate: float,
    steady_seconds: float,
    grid: bool,
    progress: Progress,
) -> dict[str, Any]:
    await _check_empty(url)
    articles = bench_articles(n)
    progress("offline extract", 0, 1)
    figures: dict[str, Any] = {
        "articles": n,
        "mean_body_chars": round(sum(len(a.body) for a in articles) / len(articles)),
        "extract_rate": round(extract_rate(articles[: min(n, 3000)]), 1),
    }
    redis = Redis.from_url(url)
    try:
        figures["redis_hop_rate"] = round(await redis_hop_rate(redis, articles[: min(n, 20_000)]), 1)
    finally:
        await redis.aclose()
    default_batch = 100 if 100 in batch_sizes or not batch_sizes else batch_sizes[-1]
    figures["burst"] = []
    for count in workers:
        label = f"burst, {count} worker(s)"
        result = await run_pipeline(
            url,
            work,
            articles,
            workers=count,
            batch_size=default_batch,
            on_progress=_reporter(progress, label, n),
        )
        figures["burst"].append(result.as_dict())
    steady = bench_articles(max(1, int(rate * steady_seconds)), seed=11)
    label = f"steady {rate:.0f}/s"
    result = await run_pipeline(
        url,
        work,
        steady,
        workers=1,
        batch_size=default_batch,
        rate=rate,
        on_progress=_reporter(progress, label, len(steady)),
    )
    figures["steady"] = [result.as_dict()]
    figures["grid"] = list(figures["burst"])
    if grid:
        small = articles[: min(n, 2000)]
        for count in workers:
            for size in batch_sizes:
                if size == default_batch and len(small) == n:
                    continue
                label = f"grid: {count} worker(s), batch {size}"
                run = await run_pipeline(
                    url,
                    work,
                    small,
                    workers=count,
                    batch_size=size,
                    on_progress=_reporter(progress, label, len(small)),
                )
                figures["grid"].append(run.as_dict())
        figures["grid"] = [r for r in figures["grid"] if r["articles"] == len(small)]
    figures["summary"] = summary(figures)
    return figures


def _reporter(progress: Progress, label: str, total: int) -> Callable[[int], None]:
    return lambda done: progress(label, done, total)
