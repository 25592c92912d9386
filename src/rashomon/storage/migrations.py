"""Named, transactional migrations, applied in order and recorded in schema_migrations.

Never edit a migration that has shipped: add the next one. Each is a function of a connection
inside the migration's transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Callable

from sqlalchemy import Connection, inspect, select

from . import schema
from .search import create_search
from .vectors import create_vectors

__all__ = ["MIGRATIONS", "migrate", "applied_migrations"]

_MIGRATION_LOCK = 0x5253_4D47  # "RSMG": the advisory lock id of migrations on PostgreSQL


def _0001_initial(conn: Connection) -> None:
    schema.metadata.create_all(conn, tables=[schema.articles, schema.origins, schema.rejections,
                                             schema.lsh_bands])


def _0002_article_analysis(conn: Connection) -> None:
    schema.metadata.create_all(conn, tables=[schema.article_analysis])


def _0003_stories(conn: Connection) -> None:
    schema.metadata.create_all(conn, tables=[schema.article_embeddings, schema.stories, schema.story_members,
                                             schema.story_stats])


def _0004_story_analysis(conn: Connection) -> None:
    schema.metadata.create_all(conn, tables=[schema.story_analysis])


def _0006_watch(conn: Connection) -> None:
    schema.metadata.create_all(conn, tables=[schema.feed_state, schema.story_changes])


def _0005_batch_partitions(conn: Connection) -> None:
    schema.metadata.create_all(conn, tables=[schema.batch_partitions])


def _0007_search(conn: Connection) -> None:
    create_search(conn)
    create_vectors(conn)


MIGRATIONS: tuple[tuple[str, Callable[[Connection], None]], ...] = (
    ("0001_initial", _0001_initial),
    ("0002_article_analysis", _0002_article_analysis),
    ("0003_stories", _0003_stories),
    ("0004_story_analysis", _0004_story_analysis),
    ("0005_batch_partitions", _0005_batch_partitions),
    ("0006_watch", _0006_watch),
    ("0007_search", _0007_search),
)


def applied_migrations(conn: Connection) -> list[str]:
    if not inspect(conn).has_table(schema.migrations_table.name):
        return []
    return [row[0] for row in conn.execute(select(schema.migrations_table.c.name))]


def migrate(engine) -> list[str]:
    """Apply what is missing; returns the names applied now. Each migration is its own transaction."""
    with engine.connect() as conn:  # the usual case, up to date: no write lock taken
        if set(applied_migrations(conn)) >= {name for name, _ in MIGRATIONS}:
            return []
    with engine.begin() as conn:
        _begin_ddl(conn)
        schema.metadata.create_all(conn, tables=[schema.migrations_table])
    done = []
    for name, step in MIGRATIONS:
        with engine.begin() as conn:
            _begin_ddl(conn)
            if name in applied_migrations(conn):
                continue
            step(conn)
            conn.execute(schema.migrations_table.insert().values(
                name=name, applied_at=dt.datetime.now(dt.timezone.utc)))
            done.append(name)
    return done


def _begin_ddl(conn: Connection) -> None:
    """Make the transaction cover DDL on SQLite too.

    pysqlite opens a transaction only before INSERT/UPDATE/DELETE, so a CREATE or ALTER would
    run outside it and survive a failed migration. An explicit BEGIN IMMEDIATE puts the DDL in
    the transaction and also makes a second process opening the same new store wait its turn.
    On PostgreSQL a transaction-scoped advisory lock does the same: processes opening a fresh store
    at once take turns, and each re-reads what is applied once it holds the lock.
    """
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    elif conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK})")
