"""Stories kept in the store and updated as articles arrive.

``update_stories`` places every article that is in no story yet. It loads only the neighbourhood
of the new articles — stories whose dates come within the window of theirs, and the most recent
stories for undated ones — runs the online clusterer over the new articles in date order, cuts the
stories that grew when their members form separate groups (the split pass, ``stories/split.py``),
gives the articles left alone in a story of their own a second look against the stories as they
have grown (``OnlineClusterer.reattach_singles``), and writes back the stories that changed, the
memberships and the term statistics, all in one transaction. Re-running changes nothing; a killed
run leaves the stories as they were (the embeddings it computed are kept, so the rerun does not pay
for them again).
"""

from __future__ import annotations

import logging
import time
from collections import Counter
import dataclasses
from dataclasses import dataclass
from typing import Any, Callable, Iterable

import numpy as np

from ..articles.ids import short_hash
from ..embed import get_embedder
from ..storage import stories as db
from ..storage.store import Store
from .cluster import ClusterParams, OnlineClusterer, Stats, Story
from .features import ArticleFeatures, lead_text, parse_day
from .pipeline import text_features

__all__ = ["UpdateReport", "update_stories", "stories_for_articles", "story_id_for", "day_iso"]

_EMBED_BATCH = 256
_TEXT_CHUNK = 2000   # article texts held at once while features are made

log = logging.getLogger(__name__)


@dataclass
class UpdateReport:
    articles: int = 0         # articles placed in this run
    new_stories: int = 0
    grown_stories: int = 0    # existing stories that took new articles
    split_stories: int = 0    # stories cut in two or more by the split pass (the parts count as new)
    reattached: int = 0       # articles that founded a story, then joined one grown since (second look)
    loaded_stories: int = 0   # stories read from the store as the neighbourhood
    embedded: int = 0         # embeddings computed (the rest were stored already)
    seconds: float = 0.0


def story_id_for(first_member: str) -> str:
    return "s" + short_hash(first_member, 15)


def day_iso(day: int | None) -> str | None:
    import datetime as dt

    return None if day is None else (dt.date(1970, 1, 1) + dt.timedelta(days=day)).isoformat()


def update_stories(store: Store, *, params: ClusterParams | None = None, encoder=None,
                   progress: Callable[[str], None] | None = None) -> UpdateReport:
    """Put every article of ``store`` that is in no story into one, incrementally."""
    start = time.perf_counter()
    params = params or ClusterParams()
    report = UpdateReport()
    rows = db.unassigned_articles(store)
    if not rows:
        return report
    rows.sort(key=lambda r: (r["published"] is None, r["published"] or "", r["id"]))
    encoder = encoder or get_embedder()
    feats, report.embedded = _features(store, rows, encoder, progress)
    with db.story_lock(store) as conn:
        taken = set(db.story_ids_for(conn, [f.id for f in feats]))
        feats = [f for f in feats if f.id not in taken]   # placed by a concurrent run meanwhile
        if not feats:
            return report
        clusterer = OnlineClusterer(params, stats=_stats(db.load_stats(conn)))
        neighbourhood = _neighbourhood(conn, feats, params)
        for state in neighbourhood:
            clusterer.load_story(state["id"], state["members"], state["emb_sum"], state["term_idx"],
                                 state["term_val"], Counter(state["names"]), state["first_day"],
                                 state["last_day"], seq=state["seq"])
        scores = {}
        for f in feats:
            clusterer.add(f)
            scores[f.id] = clusterer.last_score
        fresh = {f.id: f for f in feats}

        def members(ids: list[str]) -> list[ArticleFeatures]:
            return _member_features(conn, ids, fresh, encoder)

        cut, reattached = clusterer.revisit([s for s in clusterer.stories if s.changed], members)
        report.split_stories = len(cut)
        for story, score in reattached:
            scores[story.members[-1]] = score
            report.reattached += 1
        recut = {s.index for story, parts in cut for s in [story, *parts]}
        changed = [s for s in clusterer.stories if s.changed]
        titles = _titles(conn, changed, fresh, encoder)
        states, members, moved = [], [], []
        for s in changed:
            is_new = s.key is None
            s.key = s.key or story_id_for(s.members[0])
            report.new_stories += is_new
            report.grown_stories += not is_new
            states.append(_state(s, titles.get(s.index)))
            for position, m in enumerate(s.members):
                if m in scores:
                    members.append((m, s.key, position, None if (is_new and position == 0) else scores[m]))
                elif s.index in recut:   # a stored member whose story was cut: its row moves
                    moved.append((m, s.key, position))
        db.save_stories(conn, states)
        db.move_members(conn, moved)
        db.save_members(conn, members)
        db.save_stats(conn, clusterer.stats.n, clusterer.stats.df_terms, clusterer.stats.df_names)
    report.articles = len(feats)
    report.loaded_stories = len(neighbourhood)
    report.seconds = time.perf_counter() - start
    log.info("placed %d article(s): %d new stories, %d grown, %d cut in two, %d reattached, %d stored stories "
             "read, %d embedded (%.1f s)", report.articles, report.new_stories, report.grown_stories,
             report.split_stories, report.reattached, report.loaded_stories, report.embedded, report.seconds,
             extra={**dataclasses.asdict(report), "seconds": round(report.seconds, 3)})
    return report


def _features(store: Store, rows: list[dict[str, Any]], encoder, progress) -> tuple[list[ArticleFeatures], int]:
    """Features of ``rows`` (id, title, published), texts read a chunk at a time so that a large
    backlog never holds every text in memory; embeddings missing from the store are computed and
    saved a batch at a time (a killed run keeps them)."""
    model = _model_id(encoder)
    feats, embedded = [], 0
    for start in range(0, len(rows), _TEXT_CHUNK):
        ids = [r["id"] for r in rows[start:start + _TEXT_CHUNK]]
        with store.begin() as conn:
            texts = db.article_rows(conn, ids)
            vectors = db.load_embeddings(conn, ids, model)
        todo = [i for i in ids if i not in vectors]
        for at in range(0, len(todo), _EMBED_BATCH):
            fresh = _encode(encoder, texts, todo[at:at + _EMBED_BATCH])
            db.save_embeddings(store, fresh, model)
            vectors.update(fresh)
            embedded += len(fresh)
            if progress:
                progress(f"embedded {embedded:,} articles")
        feats += [_feature(texts[i], vectors[i]) for i in ids]
    return feats, embedded


def _member_features(conn, ids: list[str], fresh: dict[str, ArticleFeatures], encoder) -> list[ArticleFeatures]:
    """Features of a story's members: this run's from memory, stored ones from their text and embedding."""
    stored = [i for i in ids if i not in fresh]
    if stored:
        vectors = db.load_embeddings(conn, stored, _model_id(encoder))
        texts = db.article_rows(conn, stored)
        # Embedded under another model: computed now rather than the member skipped (not saved:
        # this runs inside the story transaction, and the next run's placement saves its own).
        vectors.update(_encode(encoder, texts, [i for i in stored if i not in vectors]))
        fresh = {**fresh, **{i: _feature(texts[i], vectors[i]) for i in stored}}
    return [fresh[i] for i in ids]


def _encode(encoder, texts: dict[str, dict[str, Any]], ids: list[str]) -> dict[str, np.ndarray]:
    if not ids:
        return {}
    vecs = encoder.encode([lead_text(texts[i]["title"], texts[i]["text"]) for i in ids])
    return {i: np.asarray(v, dtype=np.float32) for i, v in zip(ids, vecs)}


def _feature(row: dict[str, Any], vector: np.ndarray) -> ArticleFeatures:
    return text_features({"id": row["id"], "title": row["title"], "text": row["text"], "date": row["published"]},
                         vector)


def _model_id(encoder) -> str:
    return getattr(encoder, "model_id", type(encoder).__name__)


def _stats(saved: tuple[int, np.ndarray, np.ndarray] | None) -> Stats:
    if saved is None:
        return Stats()
    n, df_terms, df_names = saved
    return Stats(n=n, df_terms=df_terms.copy(), df_names=df_names.copy())


def _neighbourhood(conn, feats: list[ArticleFeatures], p: ClusterParams) -> list[dict[str, Any]]:
    days = [f.day for f in feats if f.day is not None]
    found: dict[str, dict[str, Any]] = {}
    if days:
        for state in db.stories_overlapping(conn, min(days) - p.window_days, max(days) + p.window_days):
            found[state["id"]] = state
    # Undated stories can take dated articles and undated articles can join any story: the most
    # recent stories stand in for a date window there, as in the clusterer itself.
    undated_only = len(days) == len(feats)
    for state in db.recent_stories(conn, p.recent_unknown, exclude=found, undated_only=undated_only):
        found[state["id"]] = state
    return sorted(found.values(), key=lambda s: s["seq"])


def _titles(conn, stories: list[Story], fresh: dict[str, ArticleFeatures], encoder) -> dict[int, str]:
    """The member headline closest to the story's centroid, per changed story."""
    ids = [m for s in stories for m in s.members]
    model = _model_id(encoder)
    old = [m for m in ids if m not in fresh]
    vectors = db.load_embeddings(conn, old, model) if old else {}
    vectors.update({k: f.embedding for k, f in fresh.items()})
    heads = db.titles(conn, old) if old else {}
    heads.update({k: f.title for k, f in fresh.items()})
    out = {}
    for s in stories:
        centroid = s.emb_sum / (float(np.linalg.norm(s.emb_sum)) or 1.0)
        titled = [m for m in s.members if heads.get(m) and m in vectors]
        if titled:
            out[s.index] = heads[max(titled, key=lambda m: float(vectors[m] @ centroid))]
    return out


def _state(s: Story, title: str | None) -> dict[str, Any]:
    return {"id": s.key, "title": title, "seq": s.seq, "members": s.members,
            "emb_sum": s.emb_sum, "term_idx": s.term_idx, "term_val": s.term_val, "names": dict(s.names),
            "first_day": s.first_day, "last_day": s.last_day}


def stories_for_articles(store: Store, article_ids: Iterable[str]) -> list[dict[str, Any]]:
    """The stories holding ``article_ids``, each with only those of its members (contract shape)."""
    ids = list(dict.fromkeys(article_ids))
    with store.begin() as conn:
        by_article = db.story_ids_for(conn, ids)
    out = []
    for sid in dict.fromkeys(by_article[a] for a in ids if a in by_article):
        story = db.get_story(store, sid)
        wanted = set(ids)
        out.append({"id": sid, "title": story["title"],
                    "article_ids": [m["article_id"] for m in story["members"] if m["article_id"] in wanted]})
    return out
