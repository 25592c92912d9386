"""Bookkeeping of `rashomon batch` partitions: which are done, which failed and why."""

from __future__ import annotations

import datetime as dt
from typing import Any, Iterable

from sqlalchemy import Connection, select
from sqlalchemy.dialects import postgresql, sqlite

from . import schema
from .store import Store

__all__ = ["done_partitions", "record_partition", "partition_rows"]

_CHUNK = 500


def done_partitions(store: Store, keys: Iterable[str]) -> set[str]:
    t = schema.batch_partitions
    keys = list(dict.fromkeys(keys))
    done: set[str] = set()
    with store.begin() as conn:
        for start in range(0, len(keys), _CHUNK):
            done.update(k for (k,) in conn.execute(select(t.c.key).where(
                t.c.key.in_(keys[start:start + _CHUNK]), t.c.status == "done")))
    return done


def record_partition(conn: Connection, dialect: str, *, key: str, input: str, status: str, articles: int = 0,
                     new: int = 0, rejected: int = 0, seconds: float = 0.0, worker: str | None = None,
                     error: str | None = None) -> None:
    """Insert or replace one partition's row (a failed partition may succeed on a later run)."""
    row = {"key": key, "input": input, "status": status, "articles": articles, "new": new, "rejected": rejected,
           "seconds": seconds, "worker": worker, "error": error, "finished_at": dt.datetime.now(dt.timezone.utc)}
    t = schema.batch_partitions
    insert = (postgresql if dialect == "postgresql" else sqlite).insert(t).values(**row)
    # A late failure report (a retry that lost a race with a success) never overwrites a success.
    conn.execute(insert.on_conflict_do_update(index_elements=["key"],
                                              set_={k: v for k, v in row.items() if k != "key"},
                                              where=(t.c.status != "done") if status == "failed" else None))


def partition_rows(store: Store) -> list[dict[str, Any]]:
    t = schema.batch_partitions
    with store.begin() as conn:
        return [dict(r) for r in conn.execute(select(t).order_by(t.c.finished_at, t.c.key)).mappings()]
