"""Logging set-up for the command line: plain text (the default) or one JSON object per line.

The library only emits records (``logging.getLogger(__name__)``, with ``extra={...}`` for the fields a
machine should read: ``input``, ``article_id``, ``story_id``, ``seconds``...); it never configures
logging. The CLI calls :func:`configure_logging` once, so embedding programs keep their own set-up.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys
import traceback
from typing import Any

from ..errors import ConfigError

__all__ = ["LEVELS", "TEXT_FORMAT", "JsonFormatter", "configure_logging"]

LEVELS = ("debug", "info", "warning", "error", "critical")
TEXT_FORMAT = "%(levelname)s %(name)s: %(message)s"

# Attributes every LogRecord has; anything else on a record came from ``extra=``.
_STANDARD = frozenset(vars(logging.LogRecord("x", logging.INFO, "x", 0, "x", None, None))) | {"message", "asctime"}
_RESERVED = ("ts", "level", "logger", "msg", "exc", "trace")


class JsonFormatter(logging.Formatter):
    """``{"ts", "level", "logger", "msg", ...extra fields, "exc"?, "trace"?}`` on one line.

    An exception becomes ``exc`` ("ValueError: bad input") and ``trace`` (the frames, innermost
    last, as ``file:line function`` joined by " > "), so one event stays one line for log shippers.
    """

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "ts": dt.datetime.fromtimestamp(record.created, dt.timezone.utc).isoformat(timespec="milliseconds")
                  .replace("+00:00", "Z"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                # an extra field may not overwrite the envelope
                out[f"extra_{key}" if key in _RESERVED else key] = value
        if record.exc_info and record.exc_info[0] is not None:
            kind, exc, tb = record.exc_info
            out["exc"] = " ".join(f"{kind.__name__}: {exc}".split())
            frames = traceback.extract_tb(tb)
            out["trace"] = " > ".join(f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno} {f.name}" for f in frames)
        elif record.exc_text:
            out["exc"] = " ".join(record.exc_text.split())
        return json.dumps(out, ensure_ascii=False, default=str)


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is at the time of the record (test runners swap it)."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self):  # type: ignore[override]
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        pass


def configure_logging(settings: Any = None, *, log_format: str | None = None, log_level: str | None = None,
                      logger: logging.Logger | None = None) -> logging.Handler:
    """Send log records to stderr as ``settings.log_format`` (text | json) from ``settings.log_level`` up.

    Keyword arguments override the settings. Calling it again replaces the handler it installed
    before (and only that one), so it is safe to call after a config file changed the settings.
    Returns the handler.
    """
    fmt = (log_format or getattr(settings, "log_format", None) or "text").lower()
    level = (log_level or getattr(settings, "log_level", None) or "warning").lower()
    if fmt not in ("text", "json"):
        raise ConfigError(f"log format {fmt!r} is not supported; valid: text, json")
    if level not in LEVELS:
        raise ConfigError(f"log level {level!r} is not supported; valid: {', '.join(LEVELS)}")
    target = logger or logging.getLogger()
    for old in [h for h in target.handlers if getattr(h, "_rashomon", False)]:
        target.removeHandler(old)
    handler = _StderrHandler()
    handler._rashomon = True  # type: ignore[attr-defined]
    handler.setFormatter(JsonFormatter() if fmt == "json" else logging.Formatter(TEXT_FORMAT))
    target.addHandler(handler)
    target.setLevel(level.upper())
    return handler
