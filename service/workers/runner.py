"""Runs a stage on batches: retries transient failures, commits outputs and acks atomically, logs."""

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from time import monotonic, perf_counter, time
from typing import TypeVar

import orjson
import structlog
from redis.asyncio import Redis
from redis.exceptions import ResponseError

from schemas.streams import DEAD
from service.logs import get_logger
from service.settings import Settings
from service.stage_stats import COUNTERS_KEY, SNAPSHOTS_KEY
from service.streams_status import stream_status
from service.workers.batch import BatchResult, Entry
from service.workers.errors import describe, is_transient
from service.workers.maintenance import remove_idle_consumers, trim_acknowledged
from service.workers.stages import Stage

T = TypeVar("T")

ERRORS_KEY = "meetwire:errors"
"""Hash of "<stream>|<entry id>" -> the last error of an entry left pending (one per shard)."""

log = get_logger("meetwire.worker")


async def ensure_group(redis: Redis, stream: str, group: str) -> None:
    """Create ``group`` on ``stream`` reading from its very start (the backlog is never skipped)."""
    try:
        await redis.xgroup_create(stream, group, id="0", mkstream=True)
    except ResponseError as exc:
        if "BUSYGROUP" not in str(exc):
            raise


ACK_AND_PUBLISH = """
local stream, counters = KEYS[1], KEYS[2]
local group, prefix = ARGV[1], ARGV[2]
local i, written, settled = 3, 0, {}
while i <= #ARGV do
  local id, counter, n = ARGV[i], ARGV[i + 1], tonumber(ARGV[i + 2])
  i = i + 3
  local acked = redis.call('XACK', stream, group, id)
  if acked == 1 then
    settled[counter] = (settled[counter] or 0) + 1
  end
  for _ = 1, n do
    if acked == 1 then
      local out, maxlen, payload = ARGV[i], ARGV[i + 1], ARGV[i + 2]
      if maxlen == '' then
        redis.call('XADD', out, '*', '__data__', payload)
      else
        redis.call('XADD', out, 'MAXLEN', '~', maxlen, '*', '__data__', payload)
      end
      written = written + 1
    end
    i = i + 3
  end
end
for counter, count in pairs(settled) do
  redis.call('HINCRBY', counters, prefix .. counter, count)
end
return written
"""
"""Acknowledge entries; write an entry's outputs, and count it, only when its XACK settled it.

Returns how many outputs were written.
"""


class StageRunner:
    """Processes batches of one stage; commits each batch atomically with its acknowledgements."""

    def __init__(self, stage: Stage, redis: Redis, settings: Settings, consumer: str) -> None:
        self.stage = stage
        self.redis = redis
        self._ack_and_publish = redis.register_script(ACK_AND_PUBLISH)
        self._errors_key = stage.streams.key(ERRORS_KEY)
        self._counters_key = stage.streams.key(COUNTERS_KEY)
        self._snapshots_key = stage.streams.key(SNAPSHOTS_KEY)
        self.settings = settings
        self.consumer = consumer
        self.processed = 0
        self.failed = 0
        self.dead_lettered = 0
        self._latencies: deque[float] = deque(maxlen=4096)
        self._stats_since = monotonic()
        self._processed_before = 0
        self._upkeep = True

    async def handle(self, entries: Sequence[Entry]) -> None:
        """Process ``entries`` until done; transient failures are retried with backoff."""
        if not entries:
            return
        started = perf_counter()
        result = await self._retrying(lambda: self.stage.process(entries))
        await self._retrying(lambda: self._commit(result))
        elapsed_ms = (perf_counter() - started) * 1000
        self._log(result, elapsed_ms / len(entries))

    async def _retrying(self, action: Callable[[], Awaitable[T]]) -> T:
        delay = 0.1
        while True:
            try:
                return await action()
            except Exception as exc:
                if not is_transient(exc):
                    raise
                log.warning(
                    "dependency.unavailable",
                    stage=self.stage.name,
                    error=describe(exc),
                    retry_in_s=round(delay, 2),
                )
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)

    async def _commit(self, result: BatchResult) -> None:
        """Acknowledge the settled entries and write each one's outputs only if its acknowledgement counted.

        One Lua script runs the whole batch atomically: an entry that another consumer already settled
        (a claim race) acknowledges nothing, so its outputs are not written, nor counted, twice.
        """
        args: list[str | bytes | int] = [self.stage.group, f"{self.stage.stream}|{self.stage.group}|"]
        for entry_id in result.done:
            outputs = result.outputs.get(entry_id, [])
            counter = "dead_lettered" if entry_id in result.dead_lettered else "processed"
            args += [entry_id, counter, len(outputs)]
            for out in outputs:
                args += [out.stream, "" if out.maxlen is None else out.maxlen, out.payload]
        async with self.redis.pipeline(transaction=True) as pipe:
            for key, mapping in result.hash_updates.items():
                if mapping:
                    pipe.hset(key, mapping=mapping)  # type: ignore[arg-type]
            if result.errors:
                pipe.hset(
                    self._errors_key,
                    mapping={f"{self.stage.stream}|{i}": e for i, e in result.errors.items()},
                )
                pipe.hincrby(self._counters_key, f"{self.stage.stream}|{self.stage.group}|failed", len(result.errors))
            if result.done:
                await self._ack_and_publish(keys=[self.stage.stream, self._counters_key], args=args, client=pipe)
            await pipe.execute()

    def _log(self, result: BatchResult, share_ms: float) -> None:
        counts = tally(result)
        self.processed += counts["processed"]
        self.failed += counts["failed"]
        self.dead_lettered += counts["dead_lettered"]
        for record in result.records:
            level = {"failed": "error", "dead_lettered": "warning"}.get(record.outcome, "info")
            details = dict(record.details)
            duration = details.pop("duration_ms", None)
            self._latencies.append(duration if duration is not None else share_ms)
            getattr(log, level)(
                "message.handled",
                stage=self.stage.name,
                stream=self.stage.stream,
                message_id=record.entry_id,
                article_id=record.article_id,
                outcome=record.outcome,
                duration_ms=round(duration if duration is not None else share_ms, 3),
                **details,
            )

    async def claim_pending(self) -> int:
        """Claim entries idle longer than the claim time and process them; return how many were claimed.

        Entries delivered more than ``max_deliveries`` times are dead-lettered with their last error.
        """
        stream, group = self.stage.stream, self.stage.group
        start = "0-0"
        claimed_total = 0
        while self._upkeep:
            reply = await self.redis.xautoclaim(
                stream,
                group,
                self.consumer,
                min_idle_time=self.settings.claim_idle_ms,
                start_id=start,
                count=self.settings.batch_size,
            )
            start = _text(reply[0])
            claimed = [(i, f) for i, f in reply[1] if f is not None]
            gone = [i for i, f in reply[1] if f is None]
            if gone:
                await self.redis.xack(stream, group, *gone)
            if claimed:
                claimed_total += len(claimed)
                await self._handle_claimed(claimed)
            if start == "0-0" or not reply[1]:
                break
        return claimed_total

    async def _handle_claimed(self, claimed: list[tuple[bytes, dict[bytes, bytes]]]) -> None:
        stream, group = self.stage.stream, self.stage.group
        ids = [_text(i) for i, _ in claimed]
        pending = await self.redis.xpending_range(stream, group, min=ids[0], max=ids[-1], count=len(ids) * 2)
        times = {_text(p["message_id"]): int(p["times_delivered"]) for p in pending}
        fresh: list[Entry] = []
        give_up = BatchResult(dead_stream=self.stage.streams.dead)
        for raw_id, fields in claimed:
            entry = Entry(_text(raw_id), fields, deliveries=times.get(_text(raw_id), 1))
            if entry.deliveries > self.settings.max_deliveries:
                last = await self.redis.hget(self._errors_key, f"{stream}|{entry.id}")
                reason = f"gave up after {entry.deliveries - 1} deliveries: " + (
                    _text(last) if last else "the worker handling it stopped before finishing"
                )
                give_up.dead_letter(entry, stage=self.stage.name, stream=stream, reason=reason)
            else:
                fresh.append(entry)
        if give_up.done:
            await self._retrying(lambda: self._commit(give_up))
            await self.redis.hdel(self._errors_key, *(f"{stream}|{i}" for i in give_up.done))
            self._log(give_up, 0.0)
        if fresh:
            structlog.contextvars.bind_contextvars(claimed=True)
            try:
                await self.handle(fresh)
            finally:
                structlog.contextvars.unbind_contextvars("claimed")

    def stop_upkeep(self) -> None:
        """Make `upkeep_forever` return once its current round is done."""
        self._upkeep = False

    async def upkeep_forever(self, *, trim: bool, min_age_ms: int | None = None) -> None:
        """Until `stop_upkeep` or cancelled: keep the group, claim stale entries, trim, drop idle consumers,
        log stats.
        """
        settings = self.settings
        claim_every = max(settings.claim_idle_ms / 4000, 0.05)
        schedule = {"claim": 0.0, "trim": 0.0, "consumers": 0.0, "stats": monotonic() + settings.stats_interval_s}
        while self._upkeep:
            now = monotonic()
            try:
                await ensure_group(self.redis, self.stage.stream, self.stage.group)
                if now >= schedule["claim"]:
                    schedule["claim"] = now + claim_every
                    await self.claim_pending()
                if trim and now >= schedule["trim"]:
                    schedule["trim"] = now + settings.trim_interval_s
                    floor = None
                    if min_age_ms is not None:
                        floor = f"{int(time() * 1000) - min_age_ms}-0"
                    await trim_acknowledged(self.redis, self.stage.stream, min_id=floor)
                if now >= schedule["consumers"]:
                    schedule["consumers"] = now + 60
                    removed = await remove_idle_consumers(
                        self.redis,
                        self.stage.stream,
                        self.stage.group,
                        idle_ms=max(10 * settings.claim_idle_ms, 300_000),
                        keep=self.consumer,
                    )
                    if removed:
                        log.info(
                            "consumers.removed", stream=self.stage.stream, group=self.stage.group, consumers=removed
                        )
                if now >= schedule["stats"]:
                    schedule["stats"] = now + settings.stats_interval_s
                    await self.log_stats()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.error("upkeep.failed", stage=self.stage.name, stream=self.stage.stream, error=describe(exc))
                await asyncio.sleep(1.0)
            await asyncio.sleep(0.5)

    def stats(self) -> dict[str, object]:
        """Counters and latency percentiles since the last call."""
        now = monotonic()
        elapsed = max(now - self._stats_since, 1e-9)
        samples = sorted(self._latencies)
        handled = self.processed - self._processed_before
        out: dict[str, object] = {
            "stage": self.stage.name,
            "stream": self.stage.stream,
            "processed": self.processed,
            "failed": self.failed,
            "dead_lettered": self.dead_lettered,
            "rate": round(handled / elapsed, 2),
            "p50_ms": _percentile(samples, 0.50),
            "p95_ms": _percentile(samples, 0.95),
            "p99_ms": _percentile(samples, 0.99),
        }
        self._stats_since, self._processed_before = now, self.processed
        self._latencies.clear()
        return out

    async def log_stats(self) -> None:
        """Log one ``pipeline.stats`` line for this stage and its input stream."""
        status = await stream_status(self.redis, (self.stage.stream,))
        info = status[self.stage.stream]
        group = info["groups"].get(self.stage.group, {})
        stats = self.stats()
        await self.redis.hset(
            self._snapshots_key,
            f"{self.stage.stream}|{self.stage.group}|{self.consumer}",
            orjson.dumps({**stats, "at": time()}),
        )
        log.info(
            "pipeline.stats",
            length=info["length"],
            pending=group.get("pending", 0),
            lag=group.get("lag", 0),
            **stats,
        )


def tally(result: BatchResult) -> dict[str, int]:
    """How many entries of ``result`` were processed, failed (left pending) and dead-lettered."""
    failed = sum(1 for r in result.records if r.outcome == "failed")
    dead = sum(1 for r in result.records if r.outcome == "dead_lettered")
    return {"processed": len(result.records) - failed - dead, "failed": failed, "dead_lettered": dead}


def _percentile(samples: list[float], q: float) -> float | None:
    if not samples:
        return None
    return round(samples[min(len(samples) - 1, int(q * len(samples)))], 3)


def _text(value: object) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


__all__ = ["COUNTERS_KEY", "DEAD", "ERRORS_KEY", "SNAPSHOTS_KEY", "StageRunner", "ensure_group", "tally"]
