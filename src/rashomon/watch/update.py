"""New items into the store, then into stories, and what that changed in each story.

The same path as ``rashomon analyze``: ``build_article`` and ``Store.add`` per item, the per-article
reading for the new articles, ``update_stories`` to place them, and the story's judged blocks recomputed
(``story_blocks`` keeps them per membership). Conflicts are compared before and after by
:func:`~rashomon.watch.changes.conflict_key`.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Callable


from ..articles.build import build_article
from ..errors import InputError
from ..ingestion import rejection
from ..settings import Settings
from ..storage import Store
from ..storage import stories as story_db
from .changes import conflict_key, conflict_summary
from .poll import PollOutcome
from .state import Change, save_changes

__all__ = ["Stored", "StoryRefresh", "store_documents", "refresh_stories"]

log = logging.getLogger("rashomon.watch")


@dataclass
class Stored:
    new: list[str] = field(default_factory=list)   # ids of articles new to the store
    known: int = 0                                  # already stored (another origin, or unchanged)
    rejected: int = 0


@dataclass
class StoryRefresh:
    placed: int = 0
    new_stories: int = 0
    grown_stories: int = 0
    judged: int = 0
    changes: list[Change] = field(default_factory=list)


def store_documents(store: Store, settings: Settings, outcome: PollOutcome,
                    now: Callable[[], dt.datetime] | None = None) -> Stored:
    """Build the poll's articles outside any transaction, then store them and the rejected entries in one
    short batch that is safe beside other writers (`batch`, another `watch`)."""
    done = Stored()
    clock = {"now": now} if now else {}
    pairs, rejected = [], [rejection(exc) for exc in outcome.rejected]
    for doc in outcome.documents:
        try:
            pairs.append(build_article(doc, settings, **clock))
        except InputError as exc:
            rejected.append(rejection(exc))
    done.rejected = len(rejected)
    for (article, _), status in zip(pairs, store.add_batch(pairs, rejected)):
        if status == "new":
            done.new.append(article.id)
        else:
            done.known += 1
    return done


def refresh_stories(store: Store, settings: Settings, at: dt.datetime) -> StoryRefresh:
    """Place every article in no story yet, judge each story that changed again, and record the changes
    (new story, new article, new conflict) at ``at``.

    Every unplaced article counts, not only this poll's: an article stored by a watch that was stopped
    before this step is placed, and reported, by the next one.
    """
    report = StoryRefresh()
    if not settings.group_stories:
        return report
    pending = story_db.unassigned_ids(store)
    if not pending:
        return report
    from ..stories import update_stories  # the embedding model loads here

    if settings.read_articles:
        from ..nlp import ensure_analyses  # spaCy loads here

        ensure_analyses(store, store.articles(pending), n_process=max(1, settings.nlp_processes))
    update_stories(store)
    with store.begin() as conn:
        placed = story_db.story_ids_for(conn, pending)
    report.placed = len(placed)
    by_story: dict[str, set[str]] = defaultdict(set)
    for aid, sid in placed.items():
        by_story[sid].add(aid)
    for sid in sorted(by_story):
        report.changes += _story_changes(store, settings, sid, by_story[sid], at, report)
    save_changes(store, report.changes)
    return report


def _story_changes(store: Store, settings: Settings, story_id: str, fresh: set[str], at: dt.datetime,
                   report: StoryRefresh) -> list[Change]:
    found = story_db.get_story(store, story_id)
    if found is None:  # merged away by a concurrent writer between the two reads
        return []
    members = [m["article_id"] for m in found["members"]]
    rows = store.articles(members)
    old_rows = [r for r in rows if r["id"] not in fresh]
    changes = []
    if not old_rows:
        report.new_stories += 1
        changes.append(Change(story_id, at, "new_story", members[0], f"new story: {found['title'] or story_id}"))
    else:
        report.grown_stories += 1
    for r in rows:
        if r["id"] in fresh:
            changes.append(Change(story_id, at, "new_article", r["id"], _article_summary(r)))
    if settings.read_articles:
        changes += _new_conflicts(store, settings, story_id, rows, old_rows, at)
        report.judged += 1
    return changes


def _new_conflicts(store: Store, settings: Settings, story_id: str, rows: list[dict[str, Any]],
                   old_rows: list[dict[str, Any]], at: dt.datetime) -> list[Change]:
    from ..nlp import ensure_analyses
    from ..output.story import story_blocks

    analyses = ensure_analyses(store, rows, n_process=max(1, settings.nlp_processes))
    # The judgement before is usually stored already (the previous poll made it); if not, it is made now,
    # since without it every old dispute would be reported as new.
    before = ({conflict_key(c) for c in story_blocks(store, story_id, old_rows, analyses)["conflicts"]}
              if old_rows else set())
    after = story_blocks(store, story_id, rows, analyses)
    out, reported = [], set()
    for conflict in after["conflicts"]:
        key = conflict_key(conflict)
        if key in before or key in reported:
            continue
        reported.add(key)
        out.append(Change(story_id, at, "new_conflict", key, conflict_summary(conflict)))
    return out


def _article_summary(row: dict[str, Any]) -> str:
    title = " ".join((row.get("title") or "").split()) or " ".join(row["text"].split()[:12]) + "…"
    return f"{row['source']}: {title}" if row.get("source") else title
