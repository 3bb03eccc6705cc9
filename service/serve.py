"""``meetwire run``: the pipeline until SIGTERM or Ctrl-C, restarting what breaks underneath it."""

import asyncio
import os
import signal
import sys
import threading
from collections.abc import Awaitable, Callable

from faststream import FastStream
from redis.asyncio import Redis
from redis.exceptions import RedisError

from service.app import build
from service.logs import get_logger
from service.redis_server import EmbeddedRedis, ensure_redis
from service.settings import Settings, Stage

log = get_logger("meetwire.serve")
CHECK_EVERY_S = 1.0


def _subscribers_running(app: FastStream) -> bool:
    broker = app.broker
    return broker is None or all(getattr(sub, "running", True) for sub in broker.subscribers)


async def serve(
    settings: Settings, stage: Stage = Stage.ALL, *, stop_requested: Callable[[], bool] | None = None
) -> None:
    """Run ``stage`` until a signal; rebuild the app when a subscriber stops (its consumer group was lost).

    After SIGTERM or SIGINT the app stops reading and gets ``shutdown_timeout_s`` to finish and
    acknowledge what it holds; whatever is still unfinished then stays pending for another worker.
    A second signal stops at once. ``stop_requested`` tells of a signal caught before this started.
    """
    url, embedded = await asyncio.to_thread(ensure_redis, settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()

    def _on_signal(sig: signal.Signals) -> None:
        if stop.is_set():
            log.warning("shutdown.forced", signal=sig.name)
            os._exit(1)
        log.info("shutdown.requested", signal=sig.name)
        stop.set()
        deadline = threading.Timer(settings.shutdown_timeout_s + 5.0, _force_exit)
        deadline.daemon = True
        deadline.start()

    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, _on_signal, sig)
    if stop_requested is not None and stop_requested():
        log.info("shutdown.requested", signal="SIGTERM")
        stop.set()
    registry = None
    current: list[FastStream] = []
    server = None
    if settings.http_port is not None:
        from prometheus_client import CollectorRegistry  # noqa: PLC0415 - Prometheus only with the endpoint on

        from service.http import start_http  # noqa: PLC0415

        registry = CollectorRegistry()
        server = await start_http(settings.http_host, settings.http_port, _readiness(url, current), registry)
        log.info("http.started", host=settings.http_host, port=settings.http_port)
    try:
        while not stop.is_set():
            app, _ = build(settings, stage, configure_logs=False, redis_url=url, registry=registry)
            current[:] = [app]
            await app.start()
            try:
                while not stop.is_set() and _subscribers_running(app):
                    await _restart_dead_server(embedded)
                    try:
                        await asyncio.wait_for(stop.wait(), CHECK_EVERY_S)
                    except TimeoutError:
                        continue
            finally:
                try:
                    await asyncio.wait_for(app.stop(), settings.shutdown_timeout_s)
                except TimeoutError:
                    log.error("shutdown.timeout", seconds=settings.shutdown_timeout_s)
            if not stop.is_set():
                log.warning("pipeline.restarting", reason="a subscriber stopped; recreating consumer groups")
    finally:
        current.clear()
        if server is not None:
            server.close()
            await server.wait_closed()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(sig)
        if embedded is not None:
            await asyncio.to_thread(embedded.stop)


def _readiness(url: str, current: list[FastStream]) -> Callable[[], Awaitable[bool]]:
    async def ready() -> bool:
        if not current or not _subscribers_running(current[0]):
            return False
        client = Redis.from_url(url, socket_timeout=1.0)
        try:
            return bool(await client.ping())
        except (RedisError, OSError):
            return False
        finally:
            await client.aclose()

    return ready


def _force_exit() -> None:
    """Exit when a graceful shutdown overran its bound; unfinished entries stay pending for other workers."""
    log.error("shutdown.forced", signal="deadline")
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


async def _restart_dead_server(embedded: EmbeddedRedis | None) -> None:
    if embedded is not None and not embedded.alive:
        log.error("redis.embedded_died", data_dir=str(embedded.data_dir))
        if await asyncio.to_thread(embedded.restart_if_dead):
            log.warning("redis.embedded_restarted", data_dir=str(embedded.data_dir))
