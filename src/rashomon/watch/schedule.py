"""When to poll a feed next: the interval after a success, a doubling backoff after failures."""

from __future__ import annotations

import datetime as dt
import email.utils

__all__ = ["backoff_delay", "retry_after_seconds"]


def backoff_delay(failures: int, interval: float, max_backoff: float, retry_after: float | None = None) -> float:
    """Seconds to wait after the ``failures``-th failure in a row: ``interval`` doubled per failure, at most
    ``max_backoff``; never sooner than the server's ``Retry-After`` (itself capped at ``max_backoff``, so a
    server cannot park a feed for ever)."""
    if failures < 1:
        return interval
    cap = max(max_backoff, interval)  # a backoff shorter than the normal interval would poll a failing feed more
    # The exponent is bounded first: 2**failures overflows a float after ~1000 failures.
    delay = min(interval * 2 ** min(failures, 60), cap)
    if retry_after is not None:
        delay = max(delay, min(retry_after, cap))
    return delay


def retry_after_seconds(value: str | None, now: float) -> float | None:
    """The ``Retry-After`` header as seconds from ``now`` (epoch seconds): delta-seconds or an HTTP date;
    None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return max(0.0, when.timestamp() - now)
