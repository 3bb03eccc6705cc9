"""``meetwire reprocess``: run the current extractor again over the articles the sink holds.

The stored articles go back onto ``articles.normalized``; the enrich stage extracts and publishes
their events again, and the sink replaces the events an earlier extractor version made.
"""

import datetime as dt
from collections.abc import Callable

from redis.asyncio import Redis
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from schemas import RawArticle
from schemas.streams import DATA_FIELD, streams_of
from service.pipeline import normalize
from service.store.tables import articles


async def reprocess(
    engine: AsyncEngine,
    redis: Redis,
    *,
    since: dt.date | None = None,
    shards: int = 1,
    chunk: int = 500,
    on_progress: Callable[[int], None] | None = None,
) -> int:
    """Queue every stored article received on or after ``since`` for extraction (on its shard); return how many."""
    query = select(
        articles.c.article_id,
        articles.c.source,
        articles.c.url,
        articles.c.title,
        articles.c.published_at,
        articles.c.received_at,
        articles.c.text,
    ).order_by(articles.c.received_at, articles.c.article_id)
    if since is not None:
        query = query.where(articles.c.received_at >= dt.datetime.combine(since, dt.time(), tzinfo=dt.UTC))
    queued = 0
    async with engine.connect() as conn:
        result = await conn.stream(query)
        async for rows in result.partitions(chunk):
            async with redis.pipeline(transaction=False) as pipe:
                for row in rows:
                    raw = RawArticle(
                        id=row.article_id,
                        source=row.source,
                        url=row.url,
                        title=row.title,
                        published_at=row.published_at,
                        body=row.text,
                    )
                    received = row.received_at if row.received_at.tzinfo else row.received_at.replace(tzinfo=dt.UTC)
                    article = normalize(raw, received_at=received)
                    pipe.xadd(
                        streams_of(article.id, shards).normalized, {DATA_FIELD: article.model_dump_json().encode()}
                    )
                await pipe.execute()
            queued += len(rows)
            if on_progress is not None:
                on_progress(len(rows))
    return queued
