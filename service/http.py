"""A small HTTP endpoint for orchestrators: liveness, readiness and Prometheus metrics.

``GET /health/live`` answers 200 while the process runs; ``GET /health/ready`` 200 when Redis
answers and every subscriber is reading (503 otherwise); ``GET /metrics`` FastStream's Prometheus
metrics in the text exposition format.
"""

import asyncio
from collections.abc import Awaitable, Callable

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest

Ready = Callable[[], Awaitable[bool]]


def _response(status: str, body: bytes, content_type: str = "text/plain; charset=utf-8") -> bytes:
    head = (
        f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    )
    return head.encode() + body


async def _route(path: str, ready: Ready, registry: CollectorRegistry) -> bytes:
    if path == "/health/live":
        return _response("200 OK", b"live\n")
    if path == "/health/ready":
        ok = await ready()
        return _response("200 OK", b"ready\n") if ok else _response("503 Service Unavailable", b"not ready\n")
    if path == "/metrics":
        return _response("200 OK", generate_latest(registry), CONTENT_TYPE_LATEST)
    return _response("404 Not Found", b"not found: try /health/live, /health/ready or /metrics\n")


async def start_http(host: str, port: int, ready: Ready, registry: CollectorRegistry) -> asyncio.Server:
    """Serve the endpoints on ``host:port`` until the returned server is closed."""

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            request = await asyncio.wait_for(reader.readline(), 5.0)
            parts = request.decode("latin-1").split()
            if len(parts) < 2 or parts[0] not in {"GET", "HEAD"}:
                writer.write(_response("405 Method Not Allowed", b"use GET\n"))
            else:
                writer.write(await _route(parts[1].split("?", 1)[0], ready, registry))
            await writer.drain()
        except (TimeoutError, ConnectionError):
            pass
        finally:
            writer.close()

    return await asyncio.start_server(handle, host, port)
