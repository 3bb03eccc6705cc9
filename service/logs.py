"""Structured logging: one structlog chain for meetwire's own events and stdlib loggers alike."""

import logging
import sys
from typing import IO, Any

import orjson
import structlog
from structlog.typing import EventDict, FilteringBoundLogger, Processor

SHARED_PROCESSORS: list[Processor] = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=True, key="timestamp"),
]


def _orjson_dumps(obj: Any, default: Any = None) -> str:
    return orjson.dumps(obj, default=default).decode()


def configure_logging(*, level: str = "INFO", json: bool | None = None, stream: IO[str] | None = None) -> None:
    """Configure structlog and the stdlib root logger once, for the whole process.

    Every line is one JSON object with ``timestamp``, ``level``, ``event`` and the event's fields.

    ``json`` None means JSON lines unless ``stream`` is a terminal. ``stream`` defaults to stdout;
    commands that print data on stdout pass stderr.
    """
    out = stream or sys.stdout
    use_json = (not out.isatty()) if json is None else json
    renderer: Processor
    if use_json:
        renderer = structlog.processors.JSONRenderer(serializer=_orjson_dumps)
        tail: list[Processor] = [
            structlog.processors.ExceptionRenderer(structlog.tracebacks.ExceptionDictTransformer(show_locals=False))
        ]
    else:
        renderer = structlog.dev.ConsoleRenderer(colors=out.isatty())
        tail = []

    numeric_level = logging.getLevelName(level)
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            _logger_field,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True, key="timestamp"),
            structlog.processors.StackInfoRenderer(),
            *tail,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(numeric_level),
        logger_factory=structlog.WriteLoggerFactory(file=out),  # type: ignore[arg-type]
        cache_logger_on_first_use=True,
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[*SHARED_PROCESSORS, structlog.stdlib.ExtraAdder()],
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, *tail, renderer],
    )
    handler = logging.StreamHandler(out)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("asyncio", "aiosqlite", "sqlalchemy.engine", "redis", "faststream", "alembic"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLevelName(level)))
    # FastStream gives its loggers a handler of their own: route them through ours instead.
    for name in ("faststream", "faststream.access"):
        own = logging.getLogger(name)
        own.handlers.clear()
        own.propagate = True


def get_logger(name: str) -> FilteringBoundLogger:
    """A structlog logger whose lines carry ``logger=name``.

    meetwire's own events go straight to structlog's writer (about 10 µs a line); stdlib loggers
    (FastStream, Alembic) reach the same stream through :class:`structlog.stdlib.ProcessorFormatter`.
    """
    logger: FilteringBoundLogger = structlog.get_logger(logger_name=name)
    return logger


def _logger_field(_logger: object, _method: str, event_dict: EventDict) -> EventDict:
    """Name the source logger ``logger``, as stdlib lines do."""
    if "logger_name" in event_dict:
        event_dict["logger"] = event_dict.pop("logger_name")
    return event_dict
