"""Stories in the store: embeddings, story state, memberships and the clusterer's statistics.

The clustering logic lives in :mod:`rashomon.stories`; this module only moves its state in and
out of the database, for SQLite and PostgreSQL alike. Updates run inside :func:`story_lock`, one
transaction that also serialises concurrent updaters (BEGIN IMMEDIATE on SQLite, an advisory
transaction lock on PostgreSQL), so a killed run leaves the stories as they were.
"""

from __future__ import annotations

import datetime as dt
import zlib
from contextlib import contextmanager
from typing import Any, Iterable, Iterator

import numpy as np
from sqlalchemy import Connection, and_, case, exists, func, or_, select

from . import schema
from . import vectors as centroids
from .search import article_match
from .store import Store

__all__ = ["unassigned_articles", "unassigned_ids", "load_embeddings", "save_embeddings", "story_lock", "load_stats",
           "save_stats", "stories_overlapping", "recent_stories", "save_stories", "save_members", "move_members",
           "article_rows",
           "list_stories", "find_stories", "get_story", "story_ids_for", "titles", "similar_stories", "story_vector"]

_CHUNK = 500
_LOCK_KEY = 0x5253_5459  # "RSTY": the advisory lock id of story updates on PostgreSQL


def _in_no_story():
    a, m = schema.articles, schema.story_members
    return ~exists().where(m.c.article_id == a.c.id)


def unassigned_articles(store: Store) -> list[dict[str, Any]]:
    """Articles in no story yet: id, title, published (texts: :func:`article_rows`, a chunk at a time)."""
    a = schema.articles
    query = select(a.c.id, a.c.title, a.c.published).where(_in_no_story())
    with store.begin() as conn:
        return [dict(r) for r in conn.execute(query).mappings()]


def article_rows(conn: Connection, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """id -> {id, title, text, published} for the given articles (what story features are made of)."""
    a = schema.articles
    ids = list(dict.fromkeys(ids))
    out = {}
    for start in range(0, len(ids), _CHUNK):
        rows = conn.execute(select(a.c.id, a.c.title, a.c.text, a.c.published)
                            .where(a.c.id.in_(ids[start:start + _CHUNK]))).mappings()
        out.update({r["id"]: dict(r) for r in rows})
    return out


def unassigned_ids(store: Store) -> list[str]:
    """Ids of the articles in no story yet, in id order (no texts loaded)."""
    a = schema.articles
    with store.begin() as conn:
        return list(conn.execute(select(a.c.id).where(_in_no_story()).order_by(a.c.id)).scalars())


def load_embeddings(conn: Connection, ids: Iterable[str], model: str) -> dict[str, np.ndarray]:
    t = schema.article_embeddings
    ids = list(dict.fromkeys(ids))
    out = {}
    for start in range(0, len(ids), _CHUNK):
        rows = conn.execute(select(t.c.article_id, t.c.vector).where(
            t.c.article_id.in_(ids[start:start + _CHUNK]), t.c.model == model))
        out.update({aid: np.frombuffer(vec, dtype="<f4") for aid, vec in rows})
    return out


def save_embeddings(store: Store, vectors: dict[str, np.ndarray], model: str) -> None:
    # An upsert in id order: two processes embedding the same new articles at once neither collide
    # on the key (a delete then insert did) nor deadlock.
    rows = [{"article_id": i, "model": model, "vector": np.asarray(vectors[i], dtype="<f4").tobytes()}
            for i in sorted(vectors)]
    if rows:
        store.write(lambda conn: store.upsert(conn, schema.article_embeddings, rows))


@contextmanager
def story_lock(store: Store) -> Iterator[Connection]:
    """One transaction for a whole story update, with the writers serialised."""
    with store.begin() as conn:
        if store.dialect == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_LOCK_KEY})")
        yield conn


def _pack_counts(counts: np.ndarray) -> bytes:
    return zlib.compress(np.asarray(counts, dtype="<i4").tobytes(), 1)


def _unpack_counts(blob: bytes) -> np.ndarray:
    return np.frombuffer(zlib.decompress(blob), dtype="<i4").astype(np.int32)


def load_stats(conn: Connection) -> tuple[int, np.ndarray, np.ndarray] | None:
    t = schema.story_stats
    row = conn.execute(select(t).where(t.c.name == "clusterer")).mappings().first()
    if row is None:
        return None
    return int(row["n"]), _unpack_counts(row["df_terms"]), _unpack_counts(row["df_names"])


def save_stats(conn: Connection, n: int, df_terms: np.ndarray, df_names: np.ndarray) -> None:
    t = schema.story_stats
    values = {"n": n, "df_terms": _pack_counts(df_terms), "df_names": _pack_counts(df_names),
              "updated_at": _now()}
    if conn.execute(t.update().where(t.c.name == "clusterer").values(**values)).rowcount == 0:
        conn.execute(t.insert().values(name="clusterer", **values))


def _story_state(row: dict[str, Any], members: list[str]) -> dict[str, Any]:
    blob = row["terms"]
    half = len(blob) // 2
    return {"id": row["id"], "title": row["title"], "seq": row["seq"], "members": members,
            "emb_sum": np.frombuffer(row["emb_sum"], dtype="<f4").copy(),
            "term_idx": np.frombuffer(blob[:half], dtype="<i4").copy(),
            "term_val": np.frombuffer(blob[half:], dtype="<f4").copy(),
            "names": dict(row["names"]), "first_day": row["first_day"], "last_day": row["last_day"]}


def _with_members(conn: Connection, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    m = schema.story_members
    ids = [r["id"] for r in rows]
    members: dict[str, list[str]] = {i: [] for i in ids}
    for start in range(0, len(ids), _CHUNK):
        for aid, sid in conn.execute(select(m.c.article_id, m.c.story_id)
                                     .where(m.c.story_id.in_(ids[start:start + _CHUNK]))
                                     .order_by(m.c.position)):
            members[sid].append(aid)
    return [_story_state(r, members[r["id"]]) for r in rows]


def stories_overlapping(conn: Connection, lo: int, hi: int) -> list[dict[str, Any]]:
    """Stories whose date span meets [lo, hi]: the neighbourhood of a batch of dated articles."""
    s = schema.stories
    rows = conn.execute(select(s).where(and_(s.c.first_day <= hi, s.c.last_day >= lo))
                        .order_by(s.c.seq)).mappings().all()
    return _with_members(conn, [dict(r) for r in rows])


def recent_stories(conn: Connection, limit: int, exclude: Iterable[str] = (),
                   undated_only: bool = False) -> list[dict[str, Any]]:
    """The most recently created stories (the neighbourhood of undated articles)."""
    s = schema.stories
    query = select(s).where(s.c.first_day.is_(None)) if undated_only else select(s)
    rows = conn.execute(query.order_by(s.c.seq.desc()).limit(limit)).mappings().all()
    skip = set(exclude)
    return _with_members(conn, [dict(r) for r in reversed(rows) if r["id"] not in skip])


def save_stories(conn: Connection, states: list[dict[str, Any]]) -> None:
    """Insert new stories and rewrite changed ones (state dicts as :func:`_story_state` gives)."""
    s = schema.stories
    now = _now()
    next_seq = (conn.execute(select(func.max(s.c.seq))).scalar() or 0) + 1
    for state in states:
        values = {"title": state["title"], "size": len(state["members"]), "first_day": state["first_day"],
                  "last_day": state["last_day"], "emb_sum": np.asarray(state["emb_sum"], "<f4").tobytes(),
                  "terms": (np.asarray(state["term_idx"], "<i4").tobytes()
                            + np.asarray(state["term_val"], "<f4").tobytes()),
                  "names": state["names"], "updated_at": now}
        if state.get("seq") is None:
            conn.execute(s.insert().values(id=state["id"], seq=next_seq, **values))
            next_seq += 1
        else:
            conn.execute(s.update().where(s.c.id == state["id"]).values(**values))
    centroids.save_centroids(conn, [(state["id"], state["emb_sum"]) for state in states])


def save_members(conn: Connection, members: list[tuple[str, str, int, float | None]]) -> None:
    """(article_id, story_id, position, score) rows."""
    if members:
        now = _now()
        conn.execute(schema.story_members.insert(),
                     [{"article_id": a, "story_id": s, "position": p, "score": sc, "joined_at": now}
                      for a, s, p, sc in members])


def move_members(conn: Connection, members: list[tuple[str, str, int]]) -> None:
    """(article_id, story_id, position) for members already stored, after a story was split.

    The member that now founds its story loses its join score (NULL marks the founder).
    """
    m = schema.story_members
    for article_id, story_id, position in members:
        values = {"story_id": story_id, "position": position}
        if position == 0:
            values["score"] = None
        conn.execute(m.update().where(m.c.article_id == article_id).values(**values))


def list_stories(store: Store, *, search: str | None = None, min_size: int = 1, limit: int | None = None,
                 offset: int = 0) -> list[dict[str, Any]]:
    """Stories, largest and latest first: id, title, size, first_day, last_day, sources."""
    s = schema.stories
    query = select(s.c.id, s.c.title, s.c.size, s.c.first_day, s.c.last_day).where(s.c.size >= min_size)
    if search:
        in_title = s.c.title.icontains(search, autoescape=True)
        match = article_match(store, search)
        if match is not None:
            # A story's title is one of its members' headlines, so the article index narrows it down.
            m, a = schema.story_members, schema.articles
            in_title = and_(in_title, s.c.id.in_(select(m.c.story_id).join(a, a.c.id == m.c.article_id)
                                                 .where(match.condition())))
        query = query.where(or_(in_title, s.c.id == search))
    query = query.order_by(s.c.size.desc(), s.c.last_day.desc(), s.c.id).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    with store.begin() as conn:
        rows = _with_sources(conn, [dict(r) for r in conn.execute(query).mappings()])
    return rows


def _with_sources(conn: Connection, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``rows`` (stories) with ``sources``: the sorted outlet names of their members."""
    m, a = schema.story_members, schema.articles
    sources: dict[str, set[str]] = {r["id"]: set() for r in rows}
    ids = list(sources)
    for start in range(0, len(ids), _CHUNK):
        for sid, src in conn.execute(select(m.c.story_id, a.c.source).join(a, a.c.id == m.c.article_id)
                                     .where(m.c.story_id.in_(ids[start:start + _CHUNK]))):
            if src:
                sources[sid].add(src)
    for r in rows:
        r["sources"] = sorted(sources[r["id"]])
    return rows


def find_stories(store: Store, *, words: Iterable[str] = (), source: str | None = None,
                 from_day: int | None = None, to_day: int | None = None, disputed: bool = False,
                 limit: int = 50, offset: int = 0,
                 changed_since: dt.datetime | None = None) -> tuple[int, list[dict[str, Any]]]:
    """Stories meeting every filter given, largest and latest first, and how many meet them.

    ``words``: each is in the story's title or in a member's title or text; ``source``: a member's outlet
    contains it; ``from_day``/``to_day`` (days since 1970-01-01): the story's date span meets the range, so
    undated stories drop out; ``disputed``: the story's stored blocks hold a conflict (stories never judged
    are not); ``changed_since`` (UTC): a watch recorded a change in the story after it. Rows as
    :func:`list_stories` gives, plus ``conflicts``: the stored count, None if never judged.
    """
    s, m, a, sa = schema.stories, schema.story_members, schema.articles, schema.story_analysis
    # SQLite reads a missing row's NULL as the JSON text 'null' (length 0): never judged must stay None.
    conflicts = case((sa.c.story_id.is_(None), None), else_=func.json_array_length(sa.c.data["conflicts"]))
    query = (select(s.c.id, s.c.title, s.c.size, s.c.first_day, s.c.last_day, conflicts.label("conflicts"))
             .select_from(s.outerjoin(sa, sa.c.story_id == s.c.id)))
    for word in words:
        literal = or_(a.c.title.icontains(word, autoescape=True), a.c.text.icontains(word, autoescape=True))
        match = article_match(store, word)
        if match is None:
            in_member = exists().where(m.c.story_id == s.c.id, a.c.id == m.c.article_id, literal)
        else:  # the index finds the matching articles first; their stories follow
            in_member = s.c.id.in_(select(m.c.story_id).join(a, a.c.id == m.c.article_id)
                                   .where(match.condition(), literal))
        query = query.where(or_(s.c.title.icontains(word, autoescape=True), in_member))
    if source:
        query = query.where(exists().where(m.c.story_id == s.c.id, a.c.id == m.c.article_id,
                                           a.c.source.icontains(source, autoescape=True)))
    if from_day is not None:
        query = query.where(s.c.last_day >= from_day)
    if to_day is not None:
        query = query.where(s.c.first_day <= to_day)
    if disputed:
        query = query.where(conflicts > 0)
    if changed_since is not None:  # a watch recorded a change in the story after that time
        ch = schema.story_changes
        query = query.where(s.c.id.in_(select(ch.c.story_id).where(ch.c.at > changed_since)))
    with store.begin() as conn:
        total = conn.execute(select(func.count()).select_from(query.subquery())).scalar_one()
        page = (query.order_by(s.c.size.desc(), s.c.last_day.desc().nulls_last(), s.c.id)
                .limit(limit).offset(offset))
        rows = _with_sources(conn, [dict(r) for r in conn.execute(page).mappings()])
    return total, rows


def similar_stories(store: Store, vector: np.ndarray, k: int = 10, *, exclude: Iterable[str] = (),
                    method: str = "auto") -> list[dict[str, Any]]:
    """The ``k`` stories whose centroid is nearest ``vector`` (cosine), best first: rows as
    :func:`list_stories` gives, plus ``similarity``. ``method`` as :func:`.vectors.similar`."""
    s = schema.stories
    with store.begin() as conn:
        found = centroids.similar(conn, vector, k, exclude=exclude, method=method)
        sims = dict(found)
        rows = conn.execute(select(s.c.id, s.c.title, s.c.size, s.c.first_day, s.c.last_day)
                            .where(s.c.id.in_(list(sims)))).mappings().all() if sims else []
        rows = _with_sources(conn, [dict(r) for r in rows])
    for r in rows:
        r["similarity"] = round(sims[r["id"]], 6)
    order = {sid: n for n, (sid, _) in enumerate(found)}
    return sorted(rows, key=lambda r: order[r["id"]])


def story_vector(store: Store, story_id: str) -> np.ndarray | None:
    """The sum of a story's member embeddings (its centroid, unnormalised), or None if no such story."""
    s = schema.stories
    with store.begin() as conn:
        blob = conn.execute(select(s.c.emb_sum).where(s.c.id == story_id)).scalar()
    return None if blob is None else np.frombuffer(blob, dtype="<f4").copy()


def get_story(store: Store, story_id: str) -> dict[str, Any] | None:
    """One story with its members in the order they joined (score included), or None."""
    s, m = schema.stories, schema.story_members
    with store.begin() as conn:
        row = conn.execute(select(s.c.id, s.c.title, s.c.size, s.c.first_day, s.c.last_day)
                           .where(s.c.id == story_id)).mappings().first()
        if row is None:
            return None
        members = conn.execute(select(m.c.article_id, m.c.score).where(m.c.story_id == story_id)
                               .order_by(m.c.position)).all()
    return {**dict(row), "members": [{"article_id": aid, "score": sc} for aid, sc in members]}


def story_ids_for(conn: Connection, article_ids: Iterable[str]) -> dict[str, str]:
    """article id -> story id, for the articles that have one."""
    m = schema.story_members
    ids = list(dict.fromkeys(article_ids))
    out = {}
    for start in range(0, len(ids), _CHUNK):
        out.update(dict(conn.execute(select(m.c.article_id, m.c.story_id)
                                     .where(m.c.article_id.in_(ids[start:start + _CHUNK]))).all()))
    return out


def titles(conn: Connection, article_ids: Iterable[str]) -> dict[str, str | None]:
    a = schema.articles
    ids = list(dict.fromkeys(article_ids))
    out = {}
    for start in range(0, len(ids), _CHUNK):
        out.update(dict(conn.execute(select(a.c.id, a.c.title).where(a.c.id.in_(ids[start:start + _CHUNK]))).all()))
    return out


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)
