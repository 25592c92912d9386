"""Named, transactional migrations, applied in order and recorded in schema_migrations.

Never edit a migration that has shipped: add the next one. Each is a function of a connection
inside the migration's transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Callable

from sqlalchemy import Connection, inspect, select

from . import schema

__all__ = ["MIGRATIONS", "migrate", "applied_migrations"]


def _0001_initial(conn: Connection) -> None:
    schema.metadata.create_all(conn, tables=[schema.articles, schema.origins, schema.rejections,
                                             schema.lsh_bands])


MIGRATIONS: tuple[tuple[str, Callable[[Connection], None]], ...] = (
    ("0001_initial", _0001_initial),
)


def applied_migrations(conn: Connection) -> list[str]:
    if not inspect(conn).has_table(schema.migrations_table.name):
        return []
    return [row[0] for row in conn.execute(select(schema.migrations_table.c.name))]


def migrate(engine) -> list[str]:
    """Apply what is missing; returns the names applied now. Each migration is its own transaction."""
    with engine.begin() as conn:
        schema.metadata.create_all(conn, tables=[schema.migrations_table])
    done = []
    for name, step in MIGRATIONS:
        with engine.begin() as conn:
            if name in applied_migrations(conn):
                continue
            step(conn)
            conn.execute(schema.migrations_table.insert().values(
                name=name, applied_at=dt.datetime.now(dt.timezone.utc)))
            done.append(name)
    return done
