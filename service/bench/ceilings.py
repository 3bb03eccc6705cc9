"""The ceilings a run is compared with: offline extraction and a bare Redis hop."""

import os
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from redis.asyncio import Redis

from schemas import RawArticle
from schemas.streams import DATA_FIELD
from service.pipeline import enrich, normalize


def extract_rate(articles: Sequence[RawArticle]) -> float:
    """Articles per second through normalize + enrich in this process (what ``meetwire extract`` does)."""
    stamp = datetime.now(UTC)
    started = time.perf_counter()
    for article in articles:
        enrich(normalize(article, received_at=stamp))
    return len(articles) / (time.perf_counter() - started)


async def redis_hop_rate(redis: Redis, articles: Sequence[RawArticle], batch: int = 100) -> float:
    """Entries per second drained by XREADGROUP COUNT ``batch`` + one XACK per batch: one bare Redis hop."""
    stream, group = f"bench.hop.{os.getpid()}", "bench"
    payloads = [a.model_dump_json().encode() for a in articles]
    async with redis.pipeline(transaction=False) as pipe:
        for payload in payloads:
            pipe.xadd(stream, {DATA_FIELD: payload})
        await pipe.execute()
    await redis.xgroup_create(stream, group, id="0")
    started = time.perf_counter()
    drained = 0
    try:
        while drained < len(payloads):
            reply: Any = await redis.xreadgroup(group, "c1", {stream: ">"}, count=batch)
            if not reply:
                break
            entries = reply[0][1]
            drained += len(entries)
            await redis.xack(stream, group, *[entry_id for entry_id, _ in entries])
        return drained / (time.perf_counter() - started)
    finally:
        await redis.delete(stream)
