"""The article store: SQLite by default, PostgreSQL by URL, the same schema and code for both."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterable, Iterator

from sqlalchemy import Connection, create_engine, event, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

from ..articles.dedup import band_keys, is_copy, overlap, shingles
from ..articles.ids import short_hash
from ..errors import StoreError
from ..models import Article, Origin, Rejection
from . import schema
from .migrations import migrate
from .retry import retry, write
from .search import article_match

__all__ = ["Store", "open_store", "normalise_url"]

_MAX_CANDIDATES = 50
# pg_advisory_xact_lock key serialising syndication linking on PostgreSQL ("RSLK"): two near-copies
# written at once by two writers would otherwise each miss the other's uncommitted LSH bands.
_LINK_LOCK = 0x5253_4C4B


def normalise_url(url: str) -> str:
    """Accept a bare path or a driverless postgres URL; return a SQLAlchemy URL."""
    if "://" not in url:
        return f"sqlite:///{url}"
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


class Store:
    """Articles, where each came from, rejected inputs, and the LSH index for syndication."""

    def __init__(self, url: str, *, near_jaccard: float = 0.5, near_containment: float = 0.8):
        self.url = normalise_url(url)
        self.near_jaccard = near_jaccard
        self.near_containment = near_containment
        try:
            parsed = make_url(self.url)
        except ArgumentError:
            raise StoreError(f"store URL {url!r} is not a database URL; use sqlite:///PATH or "
                             "postgresql+psycopg://USER@HOST/DB") from None
        backend = parsed.get_backend_name()
        if backend not in ("sqlite", "postgresql"):
            raise StoreError(f"store URL {url!r}: backend {backend!r} is not supported; "
                             "valid: sqlite, postgresql")
        if backend == "sqlite" and parsed.database and parsed.database != ":memory:":
            folder = Path(parsed.database).expanduser().parent
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:  # e.g. a path component is a file, or no permission
                raise StoreError(f"cannot create the folder {str(folder)!r} for store {url!r}: "
                                 f"{exc.strerror or exc}") from None
        try:
            self.engine = create_engine(self.url, future=True,
                                        **({"connect_args": {"timeout": 60}} if backend == "sqlite" else {}))
        except (ArgumentError, NoSuchModuleError, ImportError) as exc:
            raise StoreError(f"cannot use store {url!r}: {exc}") from None
        self.dialect = backend
        self._insert_statements: dict[str, Any] = {}
        if backend == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        try:
            self.migrations_applied = retry(lambda: migrate(self.engine))
        except SQLAlchemyError as exc:
            self.engine.dispose()
            raise StoreError(f"cannot open store {_safe(self.url)}: {_first_line(exc)}") from None

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        try:
            with self.engine.begin() as conn:
                yield conn
        except SQLAlchemyError as exc:
            raise StoreError(f"store {_safe(self.url)}: {_first_line(exc)}") from exc

    # -- writing --------------------------------------------------------------------------
    def write(self, fn):
        """``fn(conn)`` in one write transaction, rerun when another writer's transaction conflicts
        (see :mod:`.retry`); other database errors become :class:`StoreError`."""
        try:
            return write(self.engine, fn)
        except SQLAlchemyError as exc:
            raise StoreError(f"store {_safe(self.url)}: {_first_line(exc)}") from exc

    def add_batch(self, pairs: list[tuple[Article, Origin]], rejections: Iterable[Rejection] = ()) -> list[str]:
        """Store articles with their origins (and rejections) in one transaction that is safe to run
        beside other writers; returns each pair's status as :meth:`add` would.

        Rows go in sorted key order, so two writers holding overlapping batches take their row locks
        in the same order and cannot deadlock on them; near-copies are linked last, after the inserts,
        under the linking lock (PostgreSQL) or the write lock (SQLite), held only briefly.
        """
        pairs, rejections = list(pairs), list(rejections)
        before = [(a.syndication_group, a.duplicate_of) for a, _ in pairs]

        def attempt(conn: Connection) -> list[str]:
            for (article, _), (group, dup) in zip(pairs, before):  # undo what a failed attempt set
                article.syndication_group, article.duplicate_of = group, dup
            return self._write_batch(conn, pairs, rejections)

        return self.write(attempt) if pairs or rejections else []

    def _write_batch(self, conn: Connection, pairs: list[tuple[Article, Origin]],
                     rejections: list[Rejection]) -> list[str]:
        a = schema.articles
        now = dt.datetime.now(dt.timezone.utc)
        articles: dict[str, Article] = {}
        for art, _ in pairs:
            articles.setdefault(art.id, art)   # the first copy seen is the one stored
        ids = sorted(articles)
        present = set()
        for start in range(0, len(ids), 500):
            present.update(conn.execute(select(a.c.id).where(a.c.id.in_(ids[start:start + 500]))).scalars())
        # Rows go in id order, but listings order by ingested_at: one microsecond apart keeps the order
        # the articles came in.
        arrival = {aid: now + dt.timedelta(microseconds=n) for n, aid in enumerate(articles)}
        new = set()
        for aid in ids:
            if aid not in present:
                row = articles[aid].as_row()
                row["ingested_at"] = arrival[aid]
                if self._insert_ignore(conn, a, row):
                    new.add(aid)
        origins = {origin.key: origin for _, origin in pairs}
        stored = {key for key in sorted(origins) if self._origin(conn, origins[key], now)}
        for rejection in sorted(rejections, key=_rejection_key):
            self.add_rejection(conn, rejection)
        statuses, seen_articles, seen_origins, linked = [], set(), set(), []
        for article, origin in pairs:
            first_article, first_origin = article.id not in seen_articles, origin.key not in seen_origins
            seen_articles.add(article.id)
            seen_origins.add(origin.key)
            if first_article and article.id in new:
                statuses.append("new")
                linked.append(article)
            else:
                statuses.append("duplicate" if first_origin and origin.key in stored else "unchanged")
        if linked:
            self._lock_linking(conn)
            for article in linked:
                self._link_copies(conn, article)
        return statuses

    def _lock_linking(self, conn: Connection) -> None:
        if self.dialect == "postgresql":
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_LINK_LOCK})")

    def _insert_ignore(self, conn: Connection, table, row: dict[str, Any]) -> bool:
        stmt = self._insert_statements.get(table.name)
        if stmt is None:
            dialect = postgresql if self.dialect == "postgresql" else sqlite
            # RETURNING, not rowcount: psycopg reports -1 for ON CONFLICT inserts. Built once:
            # constructing statements per row cost more than executing them.
            key = next(iter(table.primary_key.columns))
            stmt = self._insert_statements[table.name] = (
                dialect.insert(table).on_conflict_do_nothing().returning(key))
        return conn.execute(stmt, row).first() is not None

    def add(self, conn: Connection, article: Article, origin: Origin) -> str:
        """Store one article seen at one origin: returns new, duplicate or unchanged."""
        now = dt.datetime.now(dt.timezone.utc)
        exists = conn.execute(select(schema.articles.c.id).where(schema.articles.c.id == article.id)).first()
        if not exists:
            row = article.as_row()
            row["ingested_at"] = now
            if self._insert_ignore(conn, schema.articles, row):
                self._origin(conn, origin, now)
                self._lock_linking(conn)  # held to commit: prefer add_batch, which takes it last
                self._link_copies(conn, article)
                return "new"
        return "duplicate" if self._origin(conn, origin, now) else "unchanged"

    def _origin(self, conn: Connection, origin: Origin, now: dt.datetime) -> bool:
        row = {k: getattr(origin, k) for k in ("article_id", "input", "locator", "format", "path", "url",
                                               "source", "external_id", "raw_hash")}
        return self._insert_ignore(conn, schema.origins, {"key": origin.key, **row, "ingested_at": now})

    def _link_copies(self, conn: Connection, article: Article) -> None:
        mine = shingles(article.text)
        keys = band_keys(mine)
        bands = schema.lsh_bands
        found = []
        if keys:
            hits = func.count().label("hits")
            candidates = conn.execute(
                select(bands.c.article_id, hits).where(bands.c.band_key.in_(keys))
                .group_by(bands.c.article_id).order_by(hits.desc()).limit(_MAX_CANDIDATES)).all()
            if candidates:
                a = schema.articles
                rows = conn.execute(select(a.c.id, a.c.text, a.c.syndication_group)
                                    .where(a.c.id.in_([c[0] for c in candidates]))).all()
                for other_id, other_text, group in rows:
                    ov = overlap(mine, shingles(other_text))
                    if is_copy(ov, self.near_jaccard, self.near_containment):
                        found.append((ov.jaccard, other_id, group))
            conn.execute(bands.insert(), [{"band_key": k, "article_id": article.id} for k in set(keys)])
        if found:
            self._join_group(conn, article, found)

    def _join_group(self, conn: Connection, article: Article, found: list[tuple[float, str, str | None]]) -> None:
        a = schema.articles
        found.sort(key=lambda f: (-f[0], f[1]))
        best_id, best_group = found[0][1], found[0][2]
        group = best_group or best_id
        others = {g for _, _, g in found if g and g != group}
        if others:  # this article bridges two groups: they are one
            conn.execute(update(a).where(a.c.syndication_group.in_(others)).values(syndication_group=group))
        loose = [oid for _, oid, g in found if not g]
        if loose:
            conn.execute(update(a).where(a.c.id.in_(loose)).values(syndication_group=group))
        conn.execute(update(a).where(a.c.id == article.id)
                     .values(syndication_group=group, duplicate_of=best_id))
        article.syndication_group, article.duplicate_of = group, best_id

    def add_rejection(self, conn: Connection, rejection: Rejection) -> None:
        key = _rejection_key(rejection)
        self._insert_ignore(conn, schema.rejections, {
            "key": key, "input": rejection.input, "locator": rejection.locator, "kind": rejection.kind,
            "reason": rejection.reason, "seen_at": dt.datetime.now(dt.timezone.utc)})

    # -- reading --------------------------------------------------------------------------
    def articles(self, ids: Iterable[str] | None = None, *, search: str | None = None,
                 source: str | None = None, language: str | None = None, limit: int | None = None,
                 offset: int = 0) -> list[dict[str, Any]]:
        a = schema.articles
        query = select(a)
        if ids is not None:
            ids = list(dict.fromkeys(ids))
            if not ids:
                return []
        rank = None
        if search:
            # The full-text index finds the candidates and ranks them; the substring test keeps what
            # the user typed literal (a phrase, % and _ not wildcards), as before the index existed.
            match = article_match(self, search)
            if match is not None:
                query, rank = match.apply(query)
            query = query.where(or_(a.c.title.icontains(search, autoescape=True),
                                    a.c.text.icontains(search, autoescape=True)))
        if source:
            query = query.where(a.c.source.icontains(source, autoescape=True))
        if language:
            query = query.where(a.c.language == language)
        query = query.order_by(*([rank] if rank is not None else []), a.c.ingested_at, a.c.id)
        with self.begin() as conn:
            if ids is not None:
                rows = []
                for start in range(0, len(ids), 500):
                    rows += conn.execute(query.where(a.c.id.in_(ids[start:start + 500]))).mappings().all()
                order = {i: n for n, i in enumerate(ids)}
                rows.sort(key=lambda r: order[r["id"]])
                return [dict(r) for r in rows][offset:None if limit is None else offset + limit]
            if limit is not None:
                query = query.limit(limit)
            return [dict(r) for r in conn.execute(query.offset(offset)).mappings()]

    def origins(self, article_ids: Iterable[str]) -> dict[str, list[dict[str, Any]]]:
        o = schema.origins
        ids = list(dict.fromkeys(article_ids))
        out: dict[str, list[dict[str, Any]]] = {i: [] for i in ids}
        with self.begin() as conn:
            for start in range(0, len(ids), 500):
                rows = conn.execute(select(o).where(o.c.article_id.in_(ids[start:start + 500]))
                                    .order_by(o.c.ingested_at, o.c.key)).mappings()
                for row in rows:
                    out[row["article_id"]].append(dict(row))
        return out

    def analyses(self, article_ids: Iterable[str], version: str) -> dict[str, dict[str, Any]]:
        """Stored per-article analyses of ``version`` (older versions are treated as missing)."""
        t = schema.article_analysis
        ids = list(dict.fromkeys(article_ids))
        out: dict[str, dict[str, Any]] = {}
        with self.begin() as conn:
            for start in range(0, len(ids), 500):
                rows = conn.execute(select(t.c.article_id, t.c.data).where(
                    t.c.article_id.in_(ids[start:start + 500]), t.c.version == version))
                out.update({aid: data for aid, data in rows})
        return out

    def save_analyses(self, analyses: dict[str, dict[str, Any]], version: str) -> None:
        """Insert or replace analyses, one transaction."""
        t = schema.article_analysis
        now = dt.datetime.now(dt.timezone.utc)
        # An upsert in id order: two processes saving the same analyses neither collide on the key
        # (a delete then insert did) nor deadlock.
        rows = [{"article_id": aid, "version": version, "data": analyses[aid], "analysed_at": now}
                for aid in sorted(analyses)]
        if rows:
            self.write(lambda conn: self.upsert(conn, t, rows))

    def upsert(self, conn: Connection, table, rows: list[dict[str, Any]]) -> None:
        """Insert ``rows`` into ``table``, replacing the other columns of rows whose key exists."""
        dialect = postgresql if self.dialect == "postgresql" else sqlite
        keys = [c.name for c in table.primary_key.columns]
        for start in range(0, len(rows), 500):
            stmt = dialect.insert(table)
            stmt = stmt.on_conflict_do_update(index_elements=keys, set_={
                c.name: stmt.excluded[c.name] for c in table.columns if c.name not in keys})
            conn.execute(stmt, rows[start:start + 500])

    def story_analysis(self, story_id: str, key: str) -> dict[str, Any] | None:
        """The stored blocks of a story if they were made under ``key``, else None."""
        t = schema.story_analysis
        with self.begin() as conn:
            row = conn.execute(select(t.c.data).where(t.c.story_id == story_id, t.c.key == key)).first()
        return row[0] if row else None

    def save_story_analysis(self, story_id: str, key: str, data: dict[str, Any]) -> None:
        row = {"story_id": story_id, "key": key, "data": data, "analysed_at": dt.datetime.now(dt.timezone.utc)}
        self.write(lambda conn: self.upsert(conn, schema.story_analysis, [row]))

    def rejections(self) -> list[dict[str, Any]]:
        r = schema.rejections
        with self.begin() as conn:
            return [dict(x) for x in conn.execute(select(r).order_by(r.c.seen_at, r.c.key)).mappings()]

    def count(self) -> int:
        with self.begin() as conn:
            return conn.execute(select(func.count()).select_from(schema.articles)).scalar_one()


def open_store(url: str, **kwargs: Any) -> Store:
    return Store(url, **kwargs)


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=60000")
    cur.close()


def _rejection_key(rejection: Rejection) -> str:
    return short_hash("\x1f".join([rejection.input, rejection.locator or "", rejection.reason]))


def _safe(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def _first_line(exc: Exception) -> str:
    return str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
