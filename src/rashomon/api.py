"""The library API; the CLI is a thin layer over these functions of the same names."""

from __future__ import annotations

import os
from typing import Any, Callable, Iterable, Mapping

from . import __version__
from .ingestion import ProgressFn
from .ingestion import ingest as _ingest
from .models import IngestReport
from .output import build_document, validate_document
from .settings import Settings, load_settings
from .sources import Fetcher
from .sources.fields import parse_field_map
from .storage import Store

__all__ = ["resolve_settings", "open_store", "ingest", "batch", "analyze", "list_stories", "get_story",
           "similar_stories", "story_document",
           "doctor", "watch"]

Paths = Iterable[str | os.PathLike]


def resolve_settings(settings: Settings | None = None, **overrides: Any) -> Settings:
    """``settings`` (or defaults < config file < environment) with keyword overrides on top."""
    base = settings or load_settings()
    changes = {k: v for k, v in overrides.items() if v is not None}
    return base.replace(**changes) if changes else base


def open_store(db: str | None = None, *, settings: Settings | None = None) -> Store:
    s = settings or load_settings()
    return Store(db or s.db, near_jaccard=s.near_duplicate_jaccard,
                 near_containment=s.near_duplicate_containment)


def ingest(paths: Paths, *, db: str | None = None, settings: Settings | None = None,
           field_map: Mapping[str, str] | list[str] | None = None, fetcher: Fetcher | None = None,
           progress: ProgressFn | None = None, **overrides: Any) -> IngestReport:
    """Ingest files, folders and URLs into the store; ``rashomon ingest`` on the command line."""
    s = resolve_settings(settings, db=db, **overrides)
    field_map = parse_field_map(field_map)  # a bad mapping is a usage error: check before opening the store
    with open_store(settings=s) as store:
        return _ingest(paths, store=store, settings=s, field_map=field_map, fetcher=fetcher, progress=progress)


def batch(paths: Paths, *, db: str | None = None, settings: Settings | None = None,
          parquet: str | os.PathLike | None = None, workers: int | None = None, scheduler: str | None = None,
          field_map: Mapping[str, str] | list[str] | None = None, dry_run: bool = False,
          retries: int | None = None, stories: bool = True,
          progress: Callable[[int, int, str], None] | None = None, **overrides: Any):
    """Ingest, read and embed many inputs as Dask tasks, then place the articles into stories;
    ``rashomon batch`` on the command line. Returns a :class:`rashomon.engine.BatchReport`.

    Results go to the store (``db``; PostgreSQL when workers on several machines write), or to one Parquet
    file per input when ``parquet`` names a folder. ``workers=0`` runs everything in this process.
    """
    from .engine import run_batch

    s = resolve_settings(settings, db=db, **overrides)
    field_map = parse_field_map(field_map)
    common = dict(settings=s, workers=workers, scheduler=scheduler, field_map=field_map, dry_run=dry_run,
                  retries=retries, progress=progress)
    if parquet is not None:
        return run_batch(paths, parquet=parquet, cluster_stories=False, **common)
    if dry_run and _missing_sqlite(s.db):   # a dry run creates no store
        return run_batch(paths, **common)
    with open_store(settings=s) as store:
        return run_batch(paths, store=store, cluster_stories=stories, **common)


def _missing_sqlite(db: str) -> bool:
    from sqlalchemy.engine import make_url

    from .storage.store import normalise_url

    url = make_url(normalise_url(db))
    return url.get_backend_name() == "sqlite" and bool(url.database) and url.database != ":memory:" \
        and not os.path.exists(url.database)


def _outlets(s: Settings):
    """The user's outlet metadata (``outlets_file``), or None when the setting is empty."""
    if not s.outlets_file:
        return None
    from .framing.outlets import load_outlets

    return load_outlets(s.outlets_file)


def analyze(paths: Paths, *, db: str | None = None, settings: Settings | None = None,
            field_map: Mapping[str, str] | list[str] | None = None, fetcher: Fetcher | None = None,
            progress: ProgressFn | None = None, on_report: Callable[[IngestReport], None] | None = None,
            **overrides: Any) -> dict[str, Any]:
    """Ingest ``paths`` and return the analysis document, as ``rashomon analyze --json`` writes it.

    >>> doc = analyze(["examples/aleppo-2024"], db="sqlite://")  # doctest: +SKIP
    >>> doc["schema"]  # doctest: +SKIP
    'rashomon.analysis/1'
    """
    s = resolve_settings(settings, db=db, **overrides)
    field_map = parse_field_map(field_map)
    outlets = _outlets(s)  # a bad outlets file is a usage error: report it before any work
    with open_store(settings=s) as store:
        report = _ingest(paths, store=store, settings=s, field_map=field_map, fetcher=fetcher,
                         progress=progress)
        if on_report:
            on_report(report)
        rows = store.articles(list(dict.fromkeys(report.article_ids)))
        analyses = stories = None
        if s.read_articles:
            from .nlp import ensure_analyses  # spaCy loads only when reading is asked for

            analyses = ensure_analyses(store, rows, n_process=max(1, s.nlp_processes))
        if s.group_stories:
            from .stories import stories_for_articles, update_stories  # the embedding model loads here

            update_stories(store)
            stories = stories_for_articles(store, [r["id"] for r in rows])
            if analyses is not None:
                _story_blocks(store, stories, rows, analyses)
        doc = build_document(store, report, version=__version__, analyses=analyses, stories=stories,
                             outlets=outlets)
    validate_document(doc)
    return doc


def _story_blocks(store, stories: list[dict[str, Any]], rows: list[dict[str, Any]],
                  analyses: dict[str, dict[str, Any]]) -> None:
    """Fill each story's claims, conflicts, updates and coverage, and its actors as each source frames them."""
    from .output.story import story_blocks

    by_id = {r["id"]: r for r in rows}
    for story in stories:
        story.update(story_blocks(store, story["id"], [by_id[a] for a in story["article_ids"] if a in by_id],
                                  analyses))


def list_stories(*, db: str | None = None, settings: Settings | None = None, update: bool = True,
            search: str | None = None, min_size: int = 1, limit: int | None = None,
            progress: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Place new articles into stories (unless ``update=False``) and list the stories.

    Returns ``{"update": UpdateReport fields or None, "stories": [...]}``; each story has id, title,
    size, first/last date and its sources. ``rashomon stories`` on the command line (the
    function cannot be called ``stories``: that is the name of the stage's package).
    """
    import dataclasses

    from .storage import stories as story_db
    from .stories import day_iso, update_stories

    s = resolve_settings(settings, db=db)
    with open_store(settings=s) as store:
        report = update_stories(store, progress=progress) if update else None
        rows = story_db.list_stories(store, search=search, min_size=min_size, limit=limit)
    for r in rows:
        r["first_date"], r["last_date"] = day_iso(r.pop("first_day")), day_iso(r.pop("last_day"))
    return {"update": dataclasses.asdict(report) if report else None, "stories": rows}


def similar_stories(text: str | None = None, *, story_id: str | None = None, k: int = 10, db: str | None = None,
                    settings: Settings | None = None, encoder=None, update: bool = False,
                    method: str = "auto") -> dict[str, Any]:
    """The ``k`` stored stories nearest in meaning to ``text``, or to the story ``story_id``;
    ``rashomon stories --like TEXT`` on the command line.

    Stories are compared by the centroid of their articles' embeddings (cosine): through pgvector's
    HNSW index on PostgreSQL when the extension is there, by brute force otherwise (``method``:
    auto, index or brute). ``encoder`` embeds ``text`` (default: the story embedder); ``update``
    first places articles that are in no story yet. Returns ``{"stories": [...]}``, rows as
    :func:`list_stories` gives plus ``similarity``, best first.
    """
    from .errors import ConfigError, NotFound
    from .storage import stories as story_db
    from .stories import day_iso, update_stories

    if (text is None) == (story_id is None):
        raise ConfigError("similar_stories needs exactly one of text or story_id")
    if k < 1:
        raise ConfigError(f"k must be at least 1, got {k}")
    if method not in ("auto", "index", "brute"):
        raise ConfigError(f"method {method!r} is not valid; valid: auto, index, brute")
    s = resolve_settings(settings, db=db)
    with open_store(settings=s) as store:
        if update:
            update_stories(store, encoder=encoder)
        if story_id is not None:
            vector = story_db.story_vector(store, story_id)
            if vector is None:
                raise NotFound(f"no story {story_id!r} in {s.db}; `rashomon stories` lists them.")
        else:
            if not text.strip():
                raise ConfigError("similar_stories: the text is empty; give a few words or a paragraph")
            if encoder is None:
                from .embed import get_embedder

                encoder = get_embedder()
            vector = encoder.encode([text])[0]
        try:
            rows = story_db.similar_stories(store, vector, k, exclude=[story_id] if story_id else (),
                                            method=method)
        except ValueError as exc:
            raise ConfigError(f"similar_stories: {exc}") from None
    for r in rows:
        r["first_date"], r["last_date"] = day_iso(r.pop("first_day")), day_iso(r.pop("last_day"))
    return {"stories": rows}


def get_story(story_id: str, *, db: str | None = None, settings: Settings | None = None) -> dict[str, Any]:
    """One stored story with its articles in the order they joined; ``rashomon story ID``."""
    from .errors import NotFound
    from .storage import stories as story_db
    from .stories import day_iso

    s = resolve_settings(settings, db=db)
    with open_store(settings=s) as store:
        found = story_db.get_story(store, story_id)
        if found is None:
            near = story_db.list_stories(store, search=story_id, limit=5)
            hint = (" Did you mean: " + ", ".join(r["id"] for r in near) + "?") if near else ""
            raise NotFound(f"no story {story_id!r} in {s.db}; `rashomon stories` lists them.{hint}")
        scores = {m["article_id"]: m["score"] for m in found["members"]}
        rows = store.articles(list(scores))
    found["first_date"], found["last_date"] = day_iso(found.pop("first_day")), day_iso(found.pop("last_day"))
    found["articles"] = [{"id": r["id"], "source": r["source"], "title": r["title"], "published": r["published"],
                          "url": r["url"], "path": r["path"], "join_score": scores[r["id"]]} for r in rows]
    del found["members"]
    return found


def watch(feeds: Paths, *, db: str | None = None, settings: Settings | None = None, polls: int | None = None,
          clock: Callable[[], float] | None = None, sleep: Callable[[float], Any] | None = None, stop: Any = None,
          transport: Any = None, progress: Callable[[str], None] | None = None, **overrides: Any):
    """Poll feeds and keep the stories up to date; ``rashomon watch`` on the command line.

    ``feeds``: feed or sitemap URLs, OPML files and text files of URLs. Each poll is a conditional GET
    (a 304 costs one request); new entries are stored, read, placed in stories, and what changed in a
    story is recorded for the web app's "since your last visit". Runs ``polls`` rounds, or until ``stop``
    (a threading.Event) is set when ``polls`` is None. ``clock`` (epoch seconds), ``sleep`` and
    ``transport`` (an httpx transport) are injectable for tests. Returns a
    :class:`rashomon.watch.WatchReport`.

    >>> report = watch(["feeds.opml"], db="sqlite:///news.db", polls=1)  # doctest: +SKIP
    >>> report.feeds[0].not_modified  # doctest: +SKIP
    1
    """
    import time

    from .watch import read_feed_list, run_watch

    s = resolve_settings(settings, db=db, **overrides)
    urls = read_feed_list(feeds)  # a bad feed list is a usage error: report it before opening the store
    with open_store(settings=s) as store:
        return run_watch(urls, store, s, polls=polls, clock=clock or time.time, sleep=sleep, stop=stop,
                         transport=transport, progress=progress)


def story_document(story_id: str, *, db: str | None = None, settings: Settings | None = None) -> dict[str, Any]:
    """One stored story as an analysis document (schema ``rashomon.analysis/1``): all its articles with
    their reading, quality and framing, and the story's claims, conflicts, updates, coverage and actors.
    ``rashomon story ID --json/--md/--html`` writes it; the blocks are judged once per membership."""
    from .errors import NotFound
    from .nlp import ensure_analyses
    from .output.story import story_blocks
    from .storage import stories as story_db

    s = resolve_settings(settings, db=db)
    outlets = _outlets(s)
    with open_store(settings=s) as store:
        found = story_db.get_story(store, story_id)
        if found is None:
            raise NotFound(f"no story {story_id!r} in {s.db}; `rashomon stories` lists them.")
        ids = [m["article_id"] for m in found["members"]]
        rows = store.articles(ids)
        analyses = ensure_analyses(store, rows, n_process=max(1, s.nlp_processes))
        story = {"id": story_id, "title": found["title"], "article_ids": ids,
                 **story_blocks(store, story_id, rows, analyses)}
        report = IngestReport(article_ids=ids, unchanged=len(ids),
                              syndicated=sum(1 for r in rows if r["syndication_group"]))
        doc = build_document(store, report, version=__version__, stories=[story], analyses=analyses,
                             outlets=outlets)
    validate_document(doc)
    return doc


def doctor(*, db: str | None = None, settings: Settings | None = None, models: bool = True,
           embedder: Any = None, progress: Callable[[Any], None] | None = None) -> list[Any]:
    """Check this installation and the store: a list of :class:`rashomon.ops.Check` (name, status
    ok/warn/fail, detail, fix). The store is only looked at: no file is created, no migration applied.
    ``models=False`` skips loading the spaCy and embedding models. ``rashomon doctor``.

    >>> [c for c in doctor(db="sqlite:///news.db", models=False) if c.status == "fail"]  # doctest: +SKIP
    []
    """
    from .ops.doctor import run_checks

    return run_checks(resolve_settings(settings, db=db), models=models, embedder=embedder, progress=progress)
