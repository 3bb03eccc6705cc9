"""``meetwire run --workers N``: N worker processes in the same consumer groups, supervised.

This module stays light (no FastStream, SQLAlchemy or extractor imports): the supervisor only
starts, watches and signals its workers.
"""

import os
import signal
import subprocess
import sys
import time

from service.logs import get_logger
from service.redis_server import ensure_redis
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
