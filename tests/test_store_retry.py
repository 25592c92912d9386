"""Write transactions rerun on conflicts with other writers, and only on those."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError, OperationalError

from rashomon.errors import StoreError
from rashomon.storage import Store, schema
from rashomon.storage.retry import is_transient

_ROW = {"key": "k1", "input": "in.txt", "locator": None, "kind": "test", "reason": "r"}


def _fail_once_with(store: Store, sqlstate: str):
    attempts = []

    def fn(conn):
        attempts.append(1)
        conn.execute(schema.rejections.insert().values(**_ROW, seen_at=dt.datetime.now(dt.timezone.utc)))
        if len(attempts) == 1:
            conn.exec_driver_sql(f"DO $$ BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE = '{sqlstate}'; END $$")
        return len(attempts)

    return fn, attempts


@pytest.mark.parametrize("sqlstate", ["40P01", "40001"])
def test_deadlock_and_serialization_failures_are_rerun(pg_url, sqlstate):
    with Store(pg_url) as store:
        fn, attempts = _fail_once_with(store, sqlstate)
        assert store.write(fn) == 2
        with store.begin() as conn:   # the first attempt's insert was rolled back, not kept twice
            assert conn.execute(select(func.count()).select_from(schema.rejections)).scalar() == 1


def test_other_errors_are_not_rerun(pg_url):
    with Store(pg_url) as store:
        fn, attempts = _fail_once_with(store, "23505")   # unique_violation: a bug or bad data, not timing
        with pytest.raises(StoreError, match="conflict"):
            store.write(fn)
        assert len(attempts) == 1


def test_sqlite_lock_timeouts_are_transient(sqlite_url):
    locked = OperationalError("INSERT", {}, sqlite3.OperationalError("database is locked"))
    assert is_transient(locked)
    assert not is_transient(StoreError("store x: database is locked"))   # the words alone are not enough
    wrapped = StoreError("store x")
    wrapped.__cause__ = locked
    assert is_transient(wrapped)
    assert not is_transient(IntegrityError("INSERT", {}, sqlite3.IntegrityError("UNIQUE constraint failed")))
    assert not is_transient(OperationalError("SELECT", {}, sqlite3.OperationalError("no such table: x")))


def test_sqlite_writers_wait_for_the_write_lock(sqlite_url):
    """A writer finding the store locked waits its turn (BEGIN IMMEDIATE + busy timeout)."""
    import threading

    with Store(sqlite_url) as store:
        path = store.engine.url.database
        holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        holder.execute("BEGIN IMMEDIATE")
        threading.Timer(0.3, holder.execute, args=("COMMIT",)).start()
        store.write(lambda conn: conn.execute(schema.rejections.insert().values(
            **_ROW, seen_at=dt.datetime.now(dt.timezone.utc))))
        holder.close()
        with store.begin() as conn:
            assert conn.execute(text("SELECT count(*) FROM rejections")).scalar() == 1
