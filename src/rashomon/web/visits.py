"""The visitor's previous visit, kept in a cookie, for "what changed since your last visit".

The cookie holds two times (epoch seconds): ``since``, the end of the visitor's previous visit, and
``seen``, their latest page view. Page views less than ``VISIT_GAP`` apart are one visit, so opening a
story from the list still shows what is new since the previous visit, not since the list was opened a
second ago. Only times are stored: nothing identifies the visitor.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

__all__ = ["VISIT_COOKIE", "VISIT_GAP", "COOKIE_MAX_AGE", "Visit", "read_visit"]

VISIT_COOKIE = "rashomon_visit"
VISIT_GAP = 30 * 60             # seconds of inactivity that end a visit
COOKIE_MAX_AGE = 400 * 86_400    # the longest browsers keep a cookie (RFC 6265bis)


@dataclass(frozen=True)
class Visit:
    since: float | None          # the previous visit's last page view; None on a first visit
    seen: float                  # this page view

    @property
    def since_utc(self) -> dt.datetime | None:
        return None if self.since is None else dt.datetime.fromtimestamp(self.since, dt.timezone.utc)

    @property
    def cookie(self) -> str:
        """The cookie value to send back with this page view."""
        since = self.seen if self.since is None else self.since
        return f"{int(since)}.{int(self.seen)}"


def read_visit(value: str | None, now: float) -> Visit:
    """This page view's visit from the cookie the browser sent (None, or a value that cannot be read —
    tampered, or from another version — counts as a first visit). Times in the future are clamped to
    ``now``: a visitor cannot hide today's changes by sending a later time."""
    since = seen = None
    if value:
        parts = value.split(".")
        if len(parts) == 2 and all(p.isdigit() and len(p) <= 12 for p in parts):
            since, seen = (min(float(p), now) for p in parts)
    if seen is None:
        return Visit(None, now)
    if now - seen > VISIT_GAP:      # a new visit: what is new is what came after the last one ended
        return Visit(seen, now)
    return Visit(since, now)        # the same visit goes on: keep its baseline
