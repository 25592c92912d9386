"""Ingest: inputs → articles in the store. One broken input never stops the others."""

from __future__ import annotations

import datetime as dt
import logging
import os
from typing import Callable, Iterable, Mapping

from sqlalchemy import Connection
from sqlalchemy.exc import SQLAlchemyError

from .articles.build import build_article
from .errors import InputError, StoreError
from .models import IngestReport, Rejection
from .settings import Settings
from .sources import Fetcher, InputItem, SourceContext, discover, read_input
from .sources.fields import parse_field_map
from .storage import Store

__all__ = ["ingest"]

log = logging.getLogger(__name__)

ProgressFn = Callable[[InputItem, int, int], None]


def ingest(
    paths: Iterable[str | os.PathLike],
    *,
    store: Store,
    settings: Settings,
    field_map: Mapping[str, str] | list[str] | None = None,
    fetcher: Fetcher | None = None,
    progress: ProgressFn | None = None,
    now: Callable[[], dt.datetime] | None = None,
) -> IngestReport:
    """Read every input into ``store``; returns what was stored, duplicated or rejected.

    Articles are committed every ``settings.batch_size``: a killed run loses at most one batch,
    and because ids are content hashes a rerun adds exactly what is missing.
    """
    ctx = SourceContext(settings, parse_field_map(field_map), fetcher)
    report = IngestReport()
    items: list[InputItem] = []
    for found in discover(paths):
        if isinstance(found, InputError):
            report.rejected.append(_rejection(found))
        else:
            items.append(found)
    report.inputs = len(items)
    clock = {"now": now} if now else {}

    try:
        with store.engine.connect() as conn:
            writer = _BatchWriter(conn, store, settings.batch_size)
            for rej in report.rejected:
                writer.reject(rej)
            for index, item in enumerate(items):
                if progress:
                    progress(item, index, len(items))
                for result in _documents(item, ctx):
                    if isinstance(result, InputError):
                        report.rejected.append(writer.reject(_rejection(result)))
                        continue
                    try:
                        article, origin = build_article(result, settings, **clock)
                    except InputError as exc:
                        report.rejected.append(writer.reject(_rejection(exc)))
                        continue
                    status = writer.add(article, origin)
                    report.article_ids.append(article.id)
                    if status == "new":
                        report.new += 1
                        report.syndicated += article.syndication_group is not None
                    elif status == "duplicate":
                        report.duplicates += 1
                    else:
                        report.unchanged += 1
            for exc in ctx.manifest_errors:
                report.rejected.append(writer.reject(_rejection(exc)))
            writer.commit()
    except SQLAlchemyError as exc:
        raise StoreError(f"store {store.url}: {exc}") from exc
    finally:
        if fetcher is None and ctx.fetcher is not None:
            ctx.fetcher.close()
    return report


def _documents(item: InputItem, ctx: SourceContext):
    """Results of one input, with whole-input failures turned into a rejection, not a crash."""
    try:
        yield from read_input(item, ctx)
    except InputError as exc:
        yield exc
    except (MemoryError, RecursionError) as exc:
        yield InputError(item.name, f"too complex to read ({type(exc).__name__})")
    except Exception as exc:  # a bug in a reader must not cost the user the other inputs
        if exc.__class__.__module__.startswith("sqlalchemy"):
            raise
        log.exception("unexpected error reading %s", item.name)
        yield InputError(item.name, f"unexpected error {type(exc).__name__}: {exc} "
                                    "(a bug in Rashomon; please report it with this input)")


def _rejection(exc: InputError) -> Rejection:
    return Rejection(input=exc.input, reason=exc.reason, kind=exc.kind)


class _BatchWriter:
    """Writes into one open transaction and commits it every ``batch_size`` articles."""

    def __init__(self, conn: Connection, store: Store, batch_size: int):
        self.conn, self.store, self.batch_size = conn, store, max(1, batch_size)
        self.trans = conn.begin()
        self.pending = 0

    def add(self, article, origin) -> str:
        status = self.store.add(self.conn, article, origin)
        self.pending += 1
        if self.pending >= self.batch_size:
            self.commit()
            self.trans = self.conn.begin()
        return status

    def reject(self, rejection: Rejection) -> Rejection:
        self.store.add_rejection(self.conn, rejection)
        return rejection

    def commit(self) -> None:
        self.trans.commit()
        self.pending = 0
