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

__all__ = ["resolve_settings", "open_store", "ingest", "analyze"]

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
            from .stories import group_articles  # the embedding model loads only when grouping

            stories = group_articles(rows)
        doc = build_document(store, report, version=__version__, analyses=analyses, stories=stories)
    validate_document(doc)
    return doc
