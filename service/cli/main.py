"""The ``meetwire`` command: run the service, feed it, and read what it found."""

import asyncio
import os
import signal
import sys
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from redis.asyncio import Redis
from rich.console import Console

import service
from schemas import Kind, MeetingEvent, RawArticle, Topic
from service.cli import render
from service.connections import NotRunning, existing_redis_url, open_store, redis_client
from service.dead_letters import purge, read_dead_letters, replay
from service.feed import BadLine, parse_line, publish, read_articles, read_lines
from service.logs import configure_logging
from service.redis_server import RedisServerError, ensure_redis
from service.settings import Settings, Stage
from service.stage_stats import stage_status
from service.streams_status import stream_status

T = TypeVar("T")

app = typer.Typer(
    name="meetwire",
    help="News articles in, diplomatic meeting events out, over Redis streams.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
dead_letters_app = typer.Typer(help="Inspect what a stage could not process.", invoke_without_command=True)
app.add_typer(dead_letters_app, name="dead-letters")
err = Console(stderr=True, soft_wrap=True)


def _fail(message: str) -> typer.Exit:
    err.print(f"[bold red]error:[/] {message}", highlight=False)
    return typer.Exit(1)


def _settings() -> Settings:
    try:
        return Settings()
    except ValueError as exc:
        raise _fail(f"invalid MEETWIRE_* setting: {exc}") from None


def _data_logs(settings: Settings) -> None:
    """Logs of commands that print data go to stderr."""
    configure_logging(level=settings.log_level, json=settings.log_json, stream=sys.stderr)


def _running_redis(settings: Settings) -> str:
    """The URL of the Redis server a read-only command talks to; a clear error when none runs."""
    try:
        return existing_redis_url(settings)
    except NotRunning as exc:
        raise _fail(str(exc)) from None


def _version(value: bool) -> None:
    if value:
        typer.echo(f"meetwire {service.__version__}")
        raise typer.Exit


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit."),
    ] = False,
) -> None:
    """meetwire: turn the news wire into structured records of diplomatic meetings."""


@app.command()
def run(
    stage: Annotated[Stage, typer.Option(help="Which stage this process runs.")] = Stage.ALL,
    workers: Annotated[
        int, typer.Option(min=1, help="Worker processes (each in the same consumer groups; extraction is CPU-bound).")
    ] = 1,
    shard: Annotated[
        int | None,
        typer.Option(min=0, help="Work on this shard only (with MEETWIRE_SHARDS > 1); default: every shard."),
    ] = None,
) -> None:
    """Run the pipeline until SIGTERM or Ctrl-C."""
    if shard is not None:
        os.environ["MEETWIRE_SHARD"] = str(shard)  # worker processes of --workers inherit it
    early: list[int] = []
    signal.signal(signal.SIGTERM, lambda signum, _frame: early.append(signum))  # until serve() takes over
    settings = _settings()
    configure_logging(level=settings.log_level, json=settings.log_json)
    try:
        if workers > 1:
            sys.stdout.flush()
            sys.stderr.flush()
            # the supervisor needs none of what this process has imported: a fresh, light image
            os.execv(sys.executable, [sys.executable, "-m", "service.supervisor", stage.value, str(workers)])  # noqa: S606
        from service.serve import serve  # noqa: PLC0415 - keeps light commands fast to start

        asyncio.run(serve(settings, stage, stop_requested=lambda: bool(early)))
    except RedisServerError as exc:
        raise _fail(str(exc)) from None
    _exit_now(0)


def _exit_now(status: int) -> None:
    """Exit once the pipeline has stopped cleanly, without waiting for library threads left idle.

    Everything is committed and acknowledged by then; an idle database driver thread must not keep a
    stopped worker alive.
    """
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


@app.command(name="publish")
def publish_command(
    files: Annotated[list[str], typer.Argument(help="JSON lines files of raw articles; - reads standard input.")],
) -> None:
    """Validate raw articles and publish them onto articles.raw."""
    settings = _settings()
    _data_logs(settings)
    good: list[RawArticle] = []
    bad: list[BadLine] = []
    try:
        for item in read_articles(files):
            (bad if isinstance(item, BadLine) else good).append(item)  # type: ignore[arg-type]
    except OSError as exc:
        raise _fail(f"cannot read {exc.filename}: {exc.strerror}") from None
    for line in bad:
        err.print(f"[yellow]bad line[/] {line}", highlight=False)
    try:
        url, owner = ensure_redis(settings)
    except RedisServerError as exc:
        raise _fail(str(exc)) from None
    try:
        count = asyncio.run(_publish(url, good, settings.shards))
    finally:
        if owner is not None:
            owner.stop()
    target = "articles.raw" if settings.shards == 1 else f"the {settings.shards} shards of articles.raw"
    err.print(f"published {count} article(s) to {target}" + (f"; {len(bad)} bad line(s) skipped" if bad else ""))
    if bad:
        raise typer.Exit(1)


async def _publish(url: str, articles: list[RawArticle], shards: int) -> int:
    from rich.progress import Progress  # noqa: PLC0415

    async with redis_client(url) as redis:
        with Progress(console=err, disable=not err.is_terminal, transient=True) as progress:
            task = progress.add_task("publishing", total=len(articles))
            return await publish(redis, articles, shards=shards, on_progress=lambda n: progress.advance(task, n))


@app.command()
def extract(
    file: Annotated[str, typer.Argument(help="JSON lines of raw articles; - reads standard input.")] = "-",
    received_at: Annotated[
        datetime | None,
        typer.Option(help="When the articles were received (UTC); fixes the year of undated text. Default: now."),
    ] = None,
) -> None:
    """Extract meeting events offline (no Redis): one event as JSON per line on stdout."""
    from service.pipeline import SUPPORTED_LANGUAGES, NormalizationError, enrich, normalize  # noqa: PLC0415
    from service.provenance import with_provenance  # noqa: PLC0415

    settings = _settings()
    _data_logs(settings)
    stamp = (received_at or datetime.now(UTC)).replace(tzinfo=(received_at.tzinfo if received_at else UTC) or UTC)
    out = sys.stdout
    failures = 0
    try:
        for label, number, line in read_lines([file]):
            try:
                article = normalize(parse_line(line), received_at=stamp)
            except (ValueError, NormalizationError) as exc:
                failures += 1
                err.print(f"[yellow]bad line[/] {label}:{number}: {exc}", highlight=False)
                continue
            if article.language not in SUPPORTED_LANGUAGES:
                continue
            try:
                found = with_provenance(enrich(article, tz=settings.timezone), article)
            except Exception as exc:  # report the article and go on with the others
                failures += 1
                err.print(f"[red]extraction failed[/] {label}:{number} ({article.id}): {exc!r}", highlight=False)
                continue
            out.write(render.json_lines(found))
    except OSError as exc:
        raise _fail(f"cannot read {exc.filename}: {exc.strerror}") from None
    out.flush()
    if failures:
        raise typer.Exit(1)


@app.command()
def events(
    as_json: Annotated[bool, typer.Option("--json", help="One event as JSON per line.")] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="CSV for spreadsheets.")] = False,
    since: Annotated[datetime | None, typer.Option(formats=["%Y-%m-%d"], help="Meetings on or after DATE.")] = None,
    until: Annotated[datetime | None, typer.Option(formats=["%Y-%m-%d"], help="Meetings on or before DATE.")] = None,
    country: Annotated[str | None, typer.Option(help="ISO 3166-1 alpha-3 of the meeting or a participant.")] = None,
    person: Annotated[str | None, typer.Option(help="Part of a participant's name.")] = None,
    kind: Annotated[Kind | None, typer.Option(help="Kind of meeting.")] = None,
    topic: Annotated[Topic | None, typer.Option(help="Topic id.")] = None,
    limit: Annotated[int | None, typer.Option(min=1, help="At most N events.")] = None,
) -> None:
    """List the meeting events the sink holds."""
    if as_json and as_csv:
        raise typer.BadParameter("choose one of --json and --csv")
    settings = _settings()
    _data_logs(settings)
    found = asyncio.run(
        _events(
            settings,
            since=since.date() if since else None,
            until=until.date() if until else None,
            country=country.upper() if country else None,
            person=person,
            kind=kind.value if kind else None,
            topic=topic.value if topic else None,
            limit=limit,
        )
    )
    if as_json or (not as_csv and not sys.stdout.isatty()):
        sys.stdout.write(render.json_lines(found))
    elif as_csv:
        sys.stdout.write(render.csv_text(found))
    else:
        render.print_table(render.events_table(found))


async def _events(settings: Settings, **filters: Any) -> list[MeetingEvent]:
    async with open_store(settings) as store:
        return await store.events(**filters)


@app.command()
def meetings(
    as_json: Annotated[bool, typer.Option("--json", help="One canonical meeting as JSON per line.")] = False,
    limit: Annotated[int | None, typer.Option(min=1, help="At most N meetings.")] = None,
) -> None:
    """List canonical meetings: one per real meeting, with every report of it."""
    settings = _settings()
    _data_logs(settings)
    found = asyncio.run(_meetings(settings, limit))
    if as_json or not sys.stdout.isatty():
        for meeting in found:
            sys.stdout.write(meeting.model_dump_json(exclude={"reports"}) + "\n")
        return
    render.print_table(render.meetings_table(found))


async def _meetings(settings: Settings, limit: int | None) -> list[Any]:
    from service.store.canonical import CanonicalStore  # noqa: PLC0415

    async with open_store(settings) as store:
        return await CanonicalStore(store.engine, threshold=settings.merge_threshold).meetings(limit=limit)


@app.command()
def status(
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable JSON.")] = False,
) -> None:
    """Streams, consumer groups, pending entries and lag, and what the sink holds."""
    settings = _settings()
    _data_logs(settings)
    result = asyncio.run(_status(settings, _running_redis(settings)))
    if as_json:
        typer.echo(render.dumps(result))
    else:
        render.print_table(render.status_table(result))


async def _status(settings: Settings, url: str) -> dict[str, object]:
    shards = settings.all_streams()
    async with redis_client(url) as redis:
        streams = await stream_status(redis, tuple(name for s in shards for name in s.all))
        stages = await stage_status(redis, shards)
        dead = sum([await redis.xlen(s.dead) for s in shards])
    async with open_store(settings) as store:
        counts = await store.counts()
    return {
        "streams": streams,
        "stages": stages,
        "articles": counts["articles"],
        "events": counts["events"],
        "outcomes": counts.get("outcomes", {}),
        "dead_letters": int(dead),
    }


@dead_letters_app.callback()
def dead_letters(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="One dead letter as JSON per line.")] = False,
) -> None:
    """List dead letters: the reason, the stage and the original entry."""
    if ctx.invoked_subcommand is not None:
        return
    settings = _settings()
    _data_logs(settings)
    url = _running_redis(settings)
    dead = _dead_streams(settings)
    letters = asyncio.run(_with_redis(url, lambda redis: read_dead_letters(redis, streams=dead)))
    if as_json or not sys.stdout.isatty():
        for item in letters:
            typer.echo(render.dumps(item.as_json()))
        return
    from rich.table import Table  # noqa: PLC0415

    table = Table(title=f"Dead letters ({len(letters)})", show_lines=True)
    for column in ("id", "stage", "article", "reason", "failed at"):
        table.add_column(column, overflow="fold")
    for item in letters:
        letter = item.letter
        table.add_row(
            item.id,
            str(letter.get("stage", "?")),
            str(letter.get("article_id") or "-"),
            str(letter.get("reason", "?")),
            str(letter.get("failed_at", "")),
        )
    render.print_table(table)


def _chosen_ids(ids: list[str] | None, every: bool) -> list[str] | None:
    if bool(ids) == every:
        raise typer.BadParameter("give either --id ENTRY_ID (repeatable) or --all")
    return None if every else list(ids or [])


@dead_letters_app.command("replay")
def dead_letters_replay(
    ids: Annotated[list[str] | None, typer.Option("--id", help="Dead-letter entry id (repeatable).")] = None,
    every: Annotated[bool, typer.Option("--all", help="Replay every dead letter.")] = False,
) -> None:
    """Put dead letters back on the stream they failed on, after the cause is fixed."""
    chosen = _chosen_ids(ids, every)
    settings = _settings()
    _data_logs(settings)
    url = _running_redis(settings)
    dead = _dead_streams(settings)
    report = asyncio.run(_with_redis(url, lambda redis: replay(redis, chosen, streams=dead)))
    for entry_id, why in report.skipped.items():
        err.print(f"[yellow]skipped[/] {entry_id}: {why}", highlight=False)
    err.print(f"replayed {len(report.replayed)} dead letter(s)")
    if report.skipped:
        raise typer.Exit(1)


@dead_letters_app.command("purge")
def dead_letters_purge(
    ids: Annotated[list[str] | None, typer.Option("--id", help="Dead-letter entry id (repeatable).")] = None,
    every: Annotated[bool, typer.Option("--all", help="Delete every dead letter.")] = False,
) -> None:
    """Delete dead letters after review."""
    chosen = _chosen_ids(ids, every)
    settings = _settings()
    _data_logs(settings)
    url = _running_redis(settings)
    dead = _dead_streams(settings)
    deleted = asyncio.run(_with_redis(url, lambda redis: purge(redis, chosen, streams=dead)))
    err.print(f"deleted {deleted} dead letter(s)")


def _dead_streams(settings: Settings) -> list[str]:
    return [streams.dead for streams in settings.all_streams()]


async def _with_redis(url: str, action: Callable[[Redis], Awaitable[T]]) -> T:
    async with redis_client(url) as redis:
        return await action(redis)


def _int_list(text: str) -> list[int]:
    try:
        values = [int(x) for x in text.split(",") if x.strip()]
    except ValueError:
        raise typer.BadParameter(f"expected comma-separated whole numbers, got {text!r}") from None
    if not values or min(values) < 1:
        raise typer.BadParameter(f"expected positive numbers, got {text!r}")
    return values


@app.command()
def bench(
    n: Annotated[int, typer.Option("-n", "--articles", min=10, help="Articles per burst.")] = 5000,
    workers: Annotated[str, typer.Option(help="Worker-process counts to compare, comma-separated.")] = "1,2",
    batch_sizes: Annotated[str, typer.Option(help="Batch sizes for the plot's grid, comma-separated.")] = "10,100,500",
    rate: Annotated[float, typer.Option(min=1, help="Offered load for the latency run (articles/s).")] = 200.0,
    steady_seconds: Annotated[float, typer.Option(min=1, help="Length of the latency run (s).")] = 10.0,
    as_json: Annotated[bool, typer.Option("--json", help="The figures as JSON on stdout.")] = False,
    plot: Annotated[
        Path | None, typer.Option(help="Also draw throughput by batch size and workers to this PNG.")
    ] = None,
) -> None:
    """Measure throughput, latency and memory against ceilings measured in the same run."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn  # noqa: PLC0415

    from service.bench import report  # noqa: PLC0415
    from service.bench.runner import NotEmpty, run_benchmark  # noqa: PLC0415

    settings = _settings()
    _data_logs(settings)
    worker_counts, sizes = _int_list(workers), _int_list(batch_sizes)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=err) as bar:
        task = bar.add_task("starting", total=1)

        def progress(label: str, done: int, total: int) -> None:
            bar.update(task, description=label, completed=done, total=total)

        try:
            figures = run_benchmark(
                settings,
                n=n,
                workers=worker_counts,
                batch_sizes=sizes,
                rate=rate,
                steady_seconds=steady_seconds,
                grid=plot is not None,
                progress=progress,
            )
        except (NotEmpty, RedisServerError, RuntimeError) as exc:
            raise _fail(str(exc)) from None
    if as_json:
        typer.echo(render.dumps(figures))
    else:
        render.print_table(report.table(figures))
    if plot is not None:
        report.plot(figures, plot)
        err.print(f"plot written to {plot}")


@app.command()
def demo(
    data_dir: Annotated[
        Path | None,
        typer.Option(help="Keep the demo's Redis data and SQLite database here (default: a temporary folder)."),
    ] = None,
) -> None:
    """Run every stage on an embedded Redis and SQLite, feed it the seed articles, print the events."""
    from service.cli.demo import run_demo  # noqa: PLC0415

    raise typer.Exit(run_demo(data_dir, err))


@app.command(name="eval")
def eval_command(
    gold: Annotated[Path, typer.Argument(help="Labelled articles: JSON lines with `gold.meetings`.")],
    pred: Annotated[
        Path | None, typer.Option(help="Predicted events (JSON lines); default: extract them from GOLD now.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="The figures as one JSON object.")] = False,
    misses: Annotated[bool, typer.Option("--misses", help="List every disagreement first.")] = False,
    received_at: Annotated[
        datetime | None, typer.Option(help="When the articles were received (UTC), for undated text. Default: now.")
    ] = None,
) -> None:
    """Accuracy of meetwire's extraction on your own labelled articles."""
    import json  # noqa: PLC0415

    from service.evaluation import evaluate  # noqa: PLC0415

    settings = _settings()
    _data_logs(settings)
    try:
        rows = [json.loads(line) for line in gold.read_text(encoding="utf-8").splitlines() if line.strip()]
        labelled = {row["id"]: row["gold"]["meetings"] for row in rows}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise _fail(
            f"cannot read labelled articles from {gold}: {exc!r} (each line needs `id` and `gold.meetings`)"
        ) from None
    if pred is not None:
        predictions = [json.loads(line) for line in pred.read_text(encoding="utf-8").splitlines() if line.strip()]
    else:
        predictions = _extract_rows(rows, received_at or datetime.now(UTC), settings.timezone)
    result = evaluate(labelled, predictions)
    if misses:
        for miss in result.misses:
            typer.echo(miss)
    if as_json:
        typer.echo(render.dumps(result.figures))
        return
    for key, value in result.figures.items():
        typer.echo(f"{key:28} {value}")
    typer.echo(result.summary())


def _extract_rows(rows: list[dict[str, Any]], received_at: datetime, tz: str) -> list[dict[str, Any]]:
    from service.pipeline import SUPPORTED_LANGUAGES, enrich, normalize  # noqa: PLC0415

    out = []
    for row in rows:
        try:
            article = normalize(parse_line(render.dumps(row)), received_at=received_at)
        except ValueError as exc:
            err.print(f"[yellow]skipped[/] {row.get('id')}: {exc}", highlight=False)
            continue
        if article.language in SUPPORTED_LANGUAGES:
            out += [e.model_dump(mode="json") for e in enrich(article, tz=tz)]
    return out


@app.command()
def reprocess(
    since: Annotated[
        datetime | None, typer.Option(formats=["%Y-%m-%d"], help="Only articles received on or after DATE.")
    ] = None,
) -> None:
    """After an upgrade, extract the stored articles again; their events are replaced and published anew."""
    settings = _settings()
    _data_logs(settings)
    url = _running_redis(settings)
    count = asyncio.run(_reprocess(settings, url, since.date() if since else None))
    err.print(f"queued {count} article(s) on articles.normalized; `meetwire run` extracts them again")


async def _reprocess(settings: Settings, url: str, since: Any) -> int:
    from service.reprocess import reprocess as queue_again  # noqa: PLC0415

    async with open_store(settings) as store, redis_client(url) as redis:
        return await queue_again(store.engine, redis, since=since, shards=settings.shards)


@app.command()
def migrate() -> None:
    """Bring the sink database's schema up to date (for operators who set MEETWIRE_AUTO_MIGRATE=false)."""
    from service.store.engine import migrate as run_migrations  # noqa: PLC0415

    settings = _settings()
    _data_logs(settings)
    asyncio.run(run_migrations(settings.sqlalchemy_url()))
    err.print("the database schema is up to date")


def main() -> None:
    """Entry point of the ``meetwire`` command."""
    from redis.exceptions import RedisError  # noqa: PLC0415

    from service.store.engine import SchemaNotCurrent  # noqa: PLC0415

    try:
        app()
    except SchemaNotCurrent as exc:
        err.print(f"[bold red]error:[/] {exc}", highlight=False)
        sys.exit(1)
    except (RedisError, ConnectionError) as exc:
        err.print(
            f"[bold red]error:[/] Redis refused or failed the request: {exc} "
            "(check MEETWIRE_REDIS_URL: host, port, user, password, TLS)",
            highlight=False,
        )
        sys.exit(1)
