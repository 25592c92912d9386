"""Write transactions that survive other writers: bounded retries on transient conflicts.

Several processes may write one store at once (batch workers, ``rashomon watch``, ``rashomon serve``).
PostgreSQL then aborts one side of a deadlock (40P01) or of a serialization conflict (40001), and
SQLite answers "database is locked" when its busy timeout runs out. Both are about timing, not about
the data: the same transaction run again succeeds. :func:`write` runs a function in a fresh
transaction and reruns it a few times with a jittered backoff, so the user never sees them.
"""

from __future__ import annotations

import logging
import random
import sqlite3
import time
from typing import Callable, TypeVar

from sqlalchemy import Connection
from sqlalchemy.exc import SQLAlchemyError

__all__ = ["ATTEMPTS", "DEADLINE", "is_transient", "write", "retry", "begin_write"]

log = logging.getLogger(__name__)

ATTEMPTS = 8                                 # ~0.05 s doubling to ~3 s: about 6 s of waiting in all
# No new attempt after this many seconds: an attempt that waited out SQLite's 60 s busy timeout met a lock
# held for good (a stuck process), which another minute of waiting will not cure.
DEADLINE = 30.0
_TRANSIENT_SQLSTATES = {"40001", "40P01"}     # serialization_failure, deadlock_detected
_SQLITE_BUSY = ("database is locked", "database table is locked", "database is busy")

T = TypeVar("T")


def is_transient(exc: BaseException) -> bool:
    """Whether ``exc`` (or what it wraps) is a conflict with another writer that a rerun resolves."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        orig = getattr(exc, "orig", None)
        for candidate in (exc, orig):
            if candidate is None:
                continue
            if getattr(candidate, "sqlstate", None) in _TRANSIENT_SQLSTATES:
                return True
            if isinstance(candidate, sqlite3.OperationalError) and any(
                    m in str(candidate).lower() for m in _SQLITE_BUSY):
                return True
        exc = exc.__cause__ or exc.__context__
    return False


def begin_write(conn: Connection) -> None:
    """Start the transaction as a writer on SQLite.

    A deferred SQLite transaction that reads and then writes cannot wait for the write lock if
    another writer committed in between (WAL snapshot conflict): it fails at once with "database
    is locked". BEGIN IMMEDIATE takes the write lock first, where the busy timeout does apply.
    """
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def write(engine, fn: Callable[[Connection], T], *, attempts: int = ATTEMPTS,
          sleep: Callable[[float], None] = time.sleep) -> T:
    """``fn(conn)`` in its own write transaction, rerun on transient conflicts; other errors pass.

    ``fn`` must be safe to rerun: everything it wrote is rolled back before the next attempt.
    """
    def attempt() -> T:
        with engine.begin() as conn:
            begin_write(conn)
            return fn(conn)

    return retry(attempt, attempts=attempts, sleep=sleep)


def retry(fn: Callable[[], T], *, attempts: int = ATTEMPTS, sleep: Callable[[float], None] = time.sleep) -> T:
    """``fn()`` rerun while it fails on a transient conflict, at most ``attempts`` times in all.

    Also for opening a store: a SQLite connection opened while another process closes the store's
    last connection (and cleans up its WAL files) can get "database is locked" at once, busy
    timeout or not.
    """
    started = time.monotonic()
    for attempt in range(1, attempts + 1):
        try:
            return fn()
        except SQLAlchemyError as exc:
            if attempt == attempts or not is_transient(exc) or time.monotonic() - started > DEADLINE:
                raise
            delay = min(3.0, 0.05 * 2 ** (attempt - 1)) * (0.5 + random.random())
            log.info("write conflict with another writer (%s); retrying in %.2f s (attempt %d of %d)",
                     str(getattr(exc, "orig", exc)).strip().splitlines()[0], delay, attempt + 1, attempts)
            sleep(delay)
    raise AssertionError("unreachable")  # the loop returns or raises
