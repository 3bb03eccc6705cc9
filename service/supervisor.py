"""``meetwire run --workers N``: N worker processes in the same consumer groups, supervised.

``meetwire run`` replaces itself with ``python -m service.supervisor STAGE N``, and this module stays
light (no command-line, FastStream, SQLAlchemy or extractor imports): the supervisor only migrates
the database once, then starts, watches and signals its workers.
"""

import os
import signal
import subprocess
import sys
import time

from service.logs import configure_logging, get_logger
from service.redis_server import RedisServerError, ensure_redis
from service.settings import Settings, Stage

log = get_logger("meetwire.serve")


def serve_processes(settings: Settings, stage: Stage, workers: int) -> int:
    """Run ``workers`` worker processes of ``stage`` on one Redis; forward SIGTERM/SIGINT; return the exit status.

    Every process joins the same consumer groups under its own consumer name. A worker that dies
    is started again.
    """
    url, embedded = ensure_redis(settings)
    env = {**os.environ, "MEETWIRE_REDIS_URL": url}
    command = [sys.executable, "-m", "service.cli", "run", "--stage", stage.value]
    stopping = False
    if settings.auto_migrate and stage in (Stage.SINK, Stage.MERGE, Stage.ALL):
        migrated = subprocess.run([sys.executable, "-m", "service.cli", "migrate"], env=env, check=False)
        if migrated.returncode != 0:
            log.error("workers.not_started", reason="the database migration failed", status=migrated.returncode)
            if embedded is not None:
                embedded.stop()
            return 1

    def _stop(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    previous = {sig: signal.signal(sig, _stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    children = [subprocess.Popen(command, env=env) for _ in range(workers)]
    log.info("workers.started", workers=workers, stage=stage.value, pids=[c.pid for c in children])
    try:
        while not stopping:
            for i, child in enumerate(children):
                if child.poll() is not None and not stopping:
                    log.error("worker.died", pid=child.pid, status=child.returncode)
                    children[i] = subprocess.Popen(command, env=env)
            time.sleep(0.2)
        for child in children:
            child.send_signal(signal.SIGTERM)
        codes = [child.wait(timeout=60) for child in children]
        return 0 if all(code == 0 for code in codes) else 1
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if embedded is not None:
            embedded.stop()


def main(argv: list[str] | None = None) -> None:
    """``python -m service.supervisor STAGE WORKERS``, as ``meetwire run --workers N`` starts it."""
    stage, workers = (argv if argv is not None else sys.argv[1:])[:2]
    try:
        settings = Settings()
    except ValueError as exc:
        print(f"error: invalid MEETWIRE_* setting: {exc}", file=sys.stderr)  # noqa: T201
        sys.exit(2)
    configure_logging(level=settings.log_level, json=settings.log_json)
    try:
        sys.exit(serve_processes(settings, Stage(stage), int(workers)))
    except RedisServerError as exc:
        print(f"error: {exc}", file=sys.stderr)  # noqa: T201
        sys.exit(1)


if __name__ == "__main__":
    main()
