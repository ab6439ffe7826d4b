"""One log format for web, worker and CLI: JSON lines or readable text, with each line's context.

A request or a job binds its context (request_id, site, comment_id, job_id) once; every line
logged meanwhile carries it, whichever module logs. Fields given to one call
(`log.info("...", extra={"action": "hold"})`) are added to that line only.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar, Token
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any, TextIO

#: The formats MODERATION_LOG_FORMAT may name.
FORMATS = ("text", "json")

_context: ContextVar[Mapping[str, Any]] = ContextVar(
    "moderation_log_context", default=MappingProxyType({})
)

#: What a request id sent by a caller may hold: it is echoed in a header and written to logs.
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:@+=/-]{1,128}")

#: Attributes every LogRecord has; anything else on a record came from `extra=`.
_STANDARD = set(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {"message", "asctime"}

#: Loggers of the libraries we run under, quieted to warnings: RQ's worker alone writes three
#: INFO lines per job ("job started", "Job OK", "Result is kept"), where we write one.
_NOISY = ("rq", "rq.worker", "rq.job", "rq.scheduler", "rq.queue", "alembic")


def new_request_id() -> str:
    """A fresh request id: 32 hex digits."""
    return uuid.uuid4().hex


def request_id_from(header: str | None) -> str:
    """The caller's X-Request-Id if it is a sane token, else a fresh id."""
    if header and _REQUEST_ID.fullmatch(header):
        return header
    return new_request_id()


def fields() -> Mapping[str, Any]:
    """The context bound to what runs now."""
    return _context.get()


def request_id() -> str | None:
    """The request id of what runs now, if any."""
    found = _context.get().get("request_id")
    return found if isinstance(found, str) else None


def bind(**values: Any) -> Token[Mapping[str, Any]]:
    """Add fields to the current context (None values are left out); reset with the token."""
    added = {key: value for key, value in values.items() if value is not None}
    return _context.set({**_context.get(), **added})


def reset(token: Token[Mapping[str, Any]]) -> None:
    """Restore the context as it was before `bind` returned this token."""
    _context.reset(token)


@contextmanager
def bound(**values: Any) -> Iterator[None]:
    """Bind fields for the duration of a block."""
    token = bind(**values)
    try:
        yield
    finally:
        reset(token)


def _fields_of(record: logging.LogRecord) -> dict[str, Any]:
    extra = {k: v for k, v in record.__dict__.items() if k not in _STANDARD}
    return {**_context.get(), **extra}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, the context and extras."""

    def format(self, record: logging.LogRecord) -> str:
        """Render a record as one line of JSON."""
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "pid": record.process,
        }
        line.update(_fields_of(record))
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """A readable line: time, level, logger, message, then the context as key=value."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        """Render a record as text, its fields appended to the first line."""
        text = super().format(record)
        extra = _fields_of(record)
        if not extra:
            return text
        first, newline, rest = text.partition("\n")
        pairs = " ".join(f"{key}={_text(value)}" for key, value in extra.items())
        return f"{first} [{pairs}]{newline}{rest}"


def _text(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ",".join(str(item) for item in value)
    return str(value)


class _Ours(logging.StreamHandler):  # type: ignore[type-arg]
    """The handler `configure` installs, told apart from others so a second call replaces it."""


def configure(*, level: str = "INFO", fmt: str = "text", stream: TextIO | None = None) -> None:
    """Send every logger's lines to stderr (or `stream`) in one format, at one level."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if isinstance(h, _Ours)]:
        root.removeHandler(handler)
    handler = _Ours(stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    root.addHandler(handler)
    root.setLevel(level)
    for name in _NOISY:
        logging.getLogger(name).setLevel(library_level(level))


def library_level(level: str) -> str:
    """The level for RQ's and other libraries' loggers: warnings, unless debugging."""
    return "DEBUG" if level.upper() == "DEBUG" else "WARNING"
