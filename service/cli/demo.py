"""``meetwire demo``: the whole pipeline on embedded defaults, fed the seed articles."""

import asyncio
import tempfile
from collections.abc import Callable
from importlib import resources
from pathlib import Path

from redis.asyncio import Redis
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from schemas import MeetingEvent, RawArticle
from service.app import build
from service.cli import render
from service.connections import open_store, redis_client
from service.feed import parse_line, publish
from service.logs import configure_logging
from service.redis_server import RedisServerError
from service.settings import Settings
from service.streams_status import stream_status

DEMO_TIMEOUT_S = 120.0


def seed_articles() -> list[RawArticle]:
    """The seed articles shipped inside the package."""
    text = resources.files("seeds").joinpath("articles.jsonl").read_text(encoding="utf-8")
    return [parse_line(line) for line in text.splitlines() if line.strip()]


def run_demo(data_dir: Path | None, console: Console) -> int:
    """Run the demo; return the exit status."""
    if data_dir is not None:
        return _run_in(data_dir, console)
    with tempfile.TemporaryDirectory(prefix="meetwire-demo-") as tmp:
        return _run_in(Path(tmp), console)


def _run_in(data_dir: Path, console: Console) -> int:
    data_dir.mkdir(parents=True, exist_ok=True)
    settings = Settings(
        data_dir=data_dir,
        redis_url=None,
        database_url=None,
        log_level="WARNING",
        claim_idle_ms=5_000,
    )
    configure_logging(level="WARNING", json=settings.log_json, stream=console.file)
    try:
        events, dead = asyncio.run(_demo(settings, console))
    except RedisServerError as exc:
        console.print(f"[bold red]error:[/] {exc}", highlight=False)
        return 1
    except TimeoutError as exc:
        console.print(f"[bold red]error:[/] {exc}", highlight=False)
        return 1
    render.print_table(
        render.events_table(events, title=f"Meeting events found in {len(seed_articles())} seed articles")
    )
    where = f"MEETWIRE_DATA_DIR={data_dir}" if data_dir else ""
    console.print(
        f"{len(events)} event(s) stored, {dead} dead letter(s). Explore further:\n"
        f"  meetwire extract seeds/articles.jsonl      # the same extraction offline, as JSON lines\n"
        f"  meetwire demo --data-dir ./demo && {where and 'MEETWIRE_DATA_DIR=./demo '}meetwire events --json\n"
        "  meetwire run    # the service; then `meetwire publish FILE` and `meetwire status` in another terminal",
        highlight=False,
    )
    return 0


async def _demo(settings: Settings, console: Console) -> tuple[list[MeetingEvent], int]:
    articles = seed_articles()
    app, runtime = build(settings, configure_logs=False)
    await app.start()
    try:
        async with redis_client(runtime.redis_url) as redis:
            await publish(redis, articles, shards=settings.shards)
            with Progress(
                TextColumn("processing seed articles"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=console,
                transient=True,
            ) as progress:
                task = progress.add_task("", total=len(articles))
                dead = await _wait_until_done(
                    settings, redis, len(articles), lambda n: progress.update(task, completed=n)
                )
        async with open_store(settings) as store:
            events = await store.events()
    finally:
        await app.stop()
    return events, dead


async def _idle(redis: Redis, settings: Settings) -> bool:
    """Whether every consumer group has read and acknowledged everything (events and merges stored too)."""
    names = tuple(stream for shard in settings.all_streams() for stream, _ in shard.pipeline)
    status = await stream_status(redis, names)
    return all(info["pending"] == 0 and info["lag"] == 0 for info in status.values())


async def _wait_until_done(settings: Settings, redis: Redis, total: int, progress: Callable[[int], object]) -> int:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + DEMO_TIMEOUT_S
    async with open_store(settings) as store:
        while True:
            stored = int((await store.counts())["articles"])  # type: ignore[call-overload]
            dead = sum([int(await redis.xlen(s.dead)) for s in settings.all_streams()])
            progress(min(stored + dead, total))
            if stored + dead >= total and await _idle(redis, settings):
                return dead
            if loop.time() > deadline:
                msg = f"the pipeline did not finish {total} articles within {DEMO_TIMEOUT_S:.0f}s ({stored} stored)"
                raise TimeoutError(msg)
            await asyncio.sleep(0.1)
