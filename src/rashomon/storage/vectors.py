"""Stories by meaning: nearest story centroids to a query vector.

On PostgreSQL with the ``vector`` extension, migration ``0007_search`` gives ``stories`` a
``centroid vector(384)`` column (the normalised sum of the members' embeddings, kept by
``save_stories``) with an HNSW cosine index. Elsewhere — SQLite, a server where the extension cannot
be created, or embeddings of another size — the same ranking is computed by brute force with numpy
over the stored embedding sums, so both give the same answer up to float rounding and the index's
approximation.
"""

from __future__ import annotations

import logging
from typing import Iterable

import numpy as np
from sqlalchemy import Connection, select, text
from sqlalchemy.exc import DBAPIError

from . import schema

__all__ = ["DIM", "create_vectors", "has_centroids", "save_centroids", "similar"]

log = logging.getLogger(__name__)

DIM = 384            # all-MiniLM-L6-v2, the default story embedder
_PAGE = 5000


def create_vectors(conn: Connection) -> None:
    """Add the centroid column and its index when pgvector can be had; otherwise leave brute force."""
    if conn.dialect.name != "postgresql":
        return
    try:
        with conn.begin_nested():   # a failure (not installed, no privilege) must not end the migration
            conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS vector")
    except DBAPIError as exc:
        log.warning("pgvector is not available (%s); story similarity will use brute force",
                    str(exc.orig).strip().splitlines()[0])
        return
    conn.exec_driver_sql(f"ALTER TABLE stories ADD COLUMN IF NOT EXISTS centroid vector({DIM})")
    conn.exec_driver_sql("CREATE INDEX IF NOT EXISTS ix_stories_centroid ON stories "
                         "USING hnsw (centroid vector_cosine_ops)")
    s = schema.stories
    rows = conn.execute(select(s.c.id, s.c.emb_sum)).all()
    save_centroids(conn, [(sid, np.frombuffer(blob, dtype="<f4")) for sid, blob in rows])


def has_centroids(conn: Connection) -> bool:
    if conn.dialect.name != "postgresql":
        return False
    return conn.execute(text(
        "SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() "
        "AND table_name = 'stories' AND column_name = 'centroid'")).first() is not None


def save_centroids(conn: Connection, sums: Iterable[tuple[str, np.ndarray]]) -> None:
    """Set the centroid of each (story id, embedding sum); NULL where the size is not DIM."""
    if not has_centroids(conn):
        return
    rows = [{"id": sid, "v": _literal(vec)} for sid, vec in sums]
    if rows:
        conn.execute(text("UPDATE stories SET centroid = CAST(:v AS vector) WHERE id = :id"), rows)


def _literal(vec: np.ndarray) -> str | None:
    vec = np.asarray(vec, dtype=np.float32)
    norm = float(np.linalg.norm(vec))
    if vec.shape != (DIM,) or not norm:
        return None
    return "[" + ",".join(f"{x:.8g}" for x in vec / norm) + "]"


def similar(conn: Connection, vector: np.ndarray, k: int, *, exclude: Iterable[str] = (),
            method: str = "auto") -> list[tuple[str, float]]:
    """The ``k`` stories nearest ``vector`` by cosine: (story id, similarity), best first.

    ``method``: ``index`` (pgvector; an error where there is none), ``brute`` (numpy), or ``auto``.
    """
    if method not in ("auto", "index", "brute"):
        raise ValueError(f"method {method!r} is not one of auto, index, brute")
    query = np.asarray(vector, dtype=np.float32).ravel()
    norm = float(np.linalg.norm(query))
    if k <= 0 or not norm:
        return []
    query = query / norm
    skip = set(exclude)
    indexed = query.shape == (DIM,) and has_centroids(conn)
    if method == "index" and not indexed:
        raise ValueError(f"no vector index here (needs PostgreSQL with pgvector and {DIM}-dimension vectors)")
    if indexed and method != "brute":
        return _by_index(conn, query, k, skip)
    return _by_brute_force(conn, query, k, skip)


def _by_index(conn: Connection, query: np.ndarray, k: int, skip: set[str]) -> list[tuple[str, float]]:
    # HNSW returns at most ef_search rows before the exclusion filter applies: ask for enough.
    conn.exec_driver_sql(f"SET LOCAL hnsw.ef_search = {max(40, min(1000, k + len(skip)))}")
    rows = conn.execute(text(
        "SELECT id, 1 - (centroid <=> CAST(:q AS vector)) AS sim FROM stories WHERE centroid IS NOT NULL "
        "ORDER BY centroid <=> CAST(:q AS vector), id LIMIT :n"), {"q": _literal(query), "n": k + len(skip)}).all()
    return [(sid, float(sim)) for sid, sim in rows if sid not in skip][:k]


def _by_brute_force(conn: Connection, query: np.ndarray, k: int, skip: set[str]) -> list[tuple[str, float]]:
    s = schema.stories
    best: list[tuple[float, str]] = []
    last = ""
    while True:  # keyset pages: memory stays bounded on a large store
        rows = conn.execute(select(s.c.id, s.c.emb_sum).where(s.c.id > last).order_by(s.c.id).limit(_PAGE)).all()
        if not rows:
            break
        last = rows[-1][0]
        ids, vecs = [], []
        for sid, blob in rows:
            vec = np.frombuffer(blob, dtype="<f4")
            if sid not in skip and vec.shape == query.shape:
                ids.append(sid)
                vecs.append(vec)
        if vecs:
            mat = np.vstack(vecs)
            norms = np.linalg.norm(mat, axis=1)
            sims = np.divide(mat @ query, norms, out=np.zeros(len(ids), dtype=np.float32), where=norms > 0)
            best += [(float(x), i) for x, i in zip(sims, ids)]
            best = sorted(best, key=lambda b: (-b[0], b[1]))[:k]
    return [(sid, sim) for sim, sid in best]
