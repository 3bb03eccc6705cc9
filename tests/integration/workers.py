"""Worker processes for crash tests: ``meetwire run`` started as users start it."""

import os
import signal
import subprocess
import sys
from pathlib import Path

from service.settings import Settings


class Worker:
    """A ``meetwire run`` subprocess with its own log file."""

    def __init__(self, settings: Settings, log: Path, *, stage: str = "all", extra_env: dict[str, str] | None = None):
        env = {k: v for k, v in os.environ.items() if not k.startswith("MEETWIRE_")}
        env.update(
            {
                "MEETWIRE_REDIS_URL": str(settings.redis_url),
                "MEETWIRE_DATABASE_URL": settings.sqlalchemy_url(),
                "MEETWIRE_DATA_DIR": str(settings.data_dir),
                "MEETWIRE_CLAIM_IDLE_MS": str(settings.claim_idle_ms),
                "MEETWIRE_BLOCK_MS": str(settings.block_ms),
                "MEETWIRE_LOG_JSON": "true",
                "MEETWIRE_LOG_LEVEL": "INFO",
                **(extra_env or {}),
            }
        )
        self.log = log
        self._out = log.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "service.cli", "run", "--stage", stage],
            env=env,
            stdout=self._out,
            stderr=subprocess.STDOUT,
        )

    def kill(self) -> None:
        """SIGKILL: the worker dies with whatever it holds."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)
        self._out.close()

    def terminate(self, timeout: float = 20.0) -> int:
        """SIGTERM and wait; return the exit status."""
        self.process.send_signal(signal.SIGTERM)
        code = self.process.wait(timeout=timeout)
        self._out.close()
        return code

    def close(self) -> None:
        """Make sure the process is gone."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        if not self._out.closed:
            self._out.close()
