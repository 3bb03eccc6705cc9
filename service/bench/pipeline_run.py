"""One end-to-end run: ``meetwire run`` as users start it, fed a burst or a steady rate, timed from the sink."""

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import psutil
from redis.asyncio import Redis
from sqlalchemy import func, select

from schemas import RawArticle
from schemas.streams import PIPELINE
from service.feed import publish
from service.store.engine import make_engine
from service.store.tables import articles as articles_table
from service.streams_status import stream_status

POLL_S = 0.05


@dataclass
class RunResult:
    """Figures of one end-to-end run."""

    workers: int
    batch_size: int
    articles: int
    offered_rate: float | None
    seconds: float
    rate: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    peak_rss_mb: float
    peak_pss_mb: float
    merged_seconds: float | None
    merged_rate: float | None

    def as_dict(self) -> dict[str, Any]:
        """The figures as a JSON-ready dict."""
        return asdict(self)


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 2) if ordered else float("nan")


class RssSampler:
    """Peak memory of a process tree, leaving out Redis servers: the sum of RSS, and of PSS.

    RSS counts the pages processes share (the interpreter, libraries) once per process; PSS
    splits each shared page between its sharers, so the sum of PSS is what the tree really uses.
    """

    PSS_EVERY = 5
    """PSS is read from ``smaps``, which costs more: on every fifth sample."""

    def __init__(self, pid: int) -> None:
        self.root = psutil.Process(pid)
        self.peak = 0
        self.peak_pss = 0
        self._samples = 0

    def sample(self) -> None:
        """Add up the tree's memory now and keep the peaks."""
        self._samples += 1
        with_pss = self._samples % self.PSS_EVERY == 1
        total = pss = 0
        try:
            for proc in [self.root, *self.root.children(recursive=True)]:
                try:
                    if "redis-server" in proc.name():
                        continue
                    if with_pss:
                        info = proc.memory_full_info()
                        total += info.rss
                        pss += info.pss
                    else:
                        total += proc.memory_info().rss
                except psutil.Error:
                    continue
        except psutil.Error:
            return
        self.peak = max(self.peak, total)
        self.peak_pss = max(self.peak_pss, pss)


def _tail(path: Path, lines: int = 15) -> str:
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


async def _wait_ready(
    redis: Redis, workers: int, process: subprocess.Popen[bytes], log: Path, within: float = 60.0
) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if process.poll() is not None:
            msg = f"`meetwire run` exited with status {process.returncode} before it was ready:\n{_tail(log)}"
            raise RuntimeError(msg)
        ready = _tail(log, 10_000).count('"pipeline.started"') >= workers
        for stream, group in PIPELINE if ready else ():
            try:
                groups: Any = await redis.xinfo_groups(stream)
            except Exception:
                ready = False
                break
            names = {g["name"].decode() if isinstance(g["name"], bytes) else g["name"] for g in groups}
            if group not in names:
                ready = False
                break
        if ready:
            return
        await asyncio.sleep(0.1)
    msg = "`meetwire run` did not become ready within 60 s"
    raise RuntimeError(msg)


async def _publish_paced(redis: Redis, articles: Sequence[RawArticle], rate: float | None) -> None:
    if rate is None:
        await publish(redis, articles, chunk=200)
        return
    chunk = max(1, int(rate / 50))
    started = time.perf_counter()
    for start in range(0, len(articles), chunk):
        due = started + start / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        await publish(redis, articles[start : start + chunk], chunk=chunk)


async def run_pipeline(
    redis_url: str,
    work_dir: Path,
    articles: Sequence[RawArticle],
    *,
    workers: int = 1,
    batch_size: int = 100,
    rate: float | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> RunResult:
    """Start ``meetwire run --workers N`` on an empty Redis and a new SQLite file, feed it, time it."""
    redis = Redis.from_url(redis_url)
    await redis.flushdb()
    db = work_dir / f"bench-w{workers}-b{batch_size}-{time.monotonic_ns()}.db"
    env = {k: v for k, v in os.environ.items() if not k.startswith("MEETWIRE_")}
    env.update(
        {
            "MEETWIRE_REDIS_URL": redis_url,
            "MEETWIRE_DATABASE_URL": f"sqlite:///{db}",
            "MEETWIRE_DATA_DIR": str(work_dir),
            "MEETWIRE_BATCH_SIZE": str(batch_size),
            "MEETWIRE_LOG_LEVEL": "INFO",
            "MEETWIRE_LOG_JSON": "true",
        }
    )
    log_path = work_dir / "bench-run.log"
    log = log_path.open("ab")
    process = subprocess.Popen(  # noqa: ASYNC220 - started once per run, not on the hot path
        [sys.executable, "-m", "service.cli", "run", "--workers", str(workers)], env=env, stdout=log, stderr=log
    )
    sampler = RssSampler(process.pid)
    engine = make_engine(f"sqlite:///{db}")
    try:
        await _wait_ready(redis, workers, process, log_path)
        publish_started = time.time()
        feeding = asyncio.create_task(_publish_paced(redis, articles, rate))
        stored = 0
        async with engine.connect() as conn:
            while stored < len(articles):
                sampler.sample()
                if process.poll() is not None:
                    msg = f"`meetwire run` exited with status {process.returncode} during the run:\n{_tail(log_path)}"
                    raise RuntimeError(msg)
                stored = int((await conn.execute(select(func.count()).select_from(articles_table))).scalar_one())
                await conn.commit()
                if on_progress is not None:
                    on_progress(stored)
                await asyncio.sleep(POLL_S)
            await feeding
            rows = (await conn.execute(select(articles_table.c.received_at, articles_table.c.stored_at))).all()
        merged_at = await _all_groups_idle(redis, sampler, within=600.0)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
        await engine.dispose()
        await redis.aclose()
    latencies = [(_aware(done) - _aware(seen)).total_seconds() * 1000 for seen, done in rows]
    last = max(_aware(done).timestamp() for _, done in rows)
    seconds = last - publish_started
    merged_seconds = None if merged_at is None else max(merged_at - publish_started, seconds)
    return RunResult(
        workers=workers,
        batch_size=batch_size,
        articles=len(articles),
        offered_rate=rate,
        seconds=round(seconds, 3),
        rate=round(len(articles) / seconds, 1),
        p50_ms=_percentile(latencies, 0.50),
        p95_ms=_percentile(latencies, 0.95),
        p99_ms=_percentile(latencies, 0.99),
        peak_rss_mb=round(sampler.peak / 2**20, 1),
        peak_pss_mb=round(sampler.peak_pss / 2**20, 1),
        merged_seconds=None if merged_seconds is None else round(merged_seconds, 3),
        merged_rate=None if merged_seconds is None else round(len(articles) / merged_seconds, 1),
    )


async def _all_groups_idle(redis: Redis, sampler: RssSampler, *, within: float) -> float | None:
    """When every consumer group of the pipeline (the merge step's too) had read and acknowledged all."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        sampler.sample()
        status = await stream_status(redis, tuple(stream for stream, _ in PIPELINE))
        if all(info["pending"] == 0 and info["lag"] == 0 for info in status.values()):
            return time.time()
        await asyncio.sleep(POLL_S)
    return None


def _aware(value: Any) -> Any:
    from datetime import UTC  # noqa: PLC0415

    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
