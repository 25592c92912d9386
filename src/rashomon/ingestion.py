"""Ingest: inputs → articles in the store. One broken input never stops the others."""

from __future__ import annotations

import datetime as dt
import logging
import os
import time
from typing import Callable, Iterable, Iterator, Mapping

from sqlalchemy.exc import SQLAlchemyError

from .articles.build import build_article
from .errors import InputError, StoreError
from .models import Article, IngestReport, Origin, Rejection
from .settings import Settings
from .sources import Fetcher, InputItem, SourceContext, discover, read_input
from .sources.fields import parse_field_map
from .storage import Store

__all__ = ["ingest", "articles_of", "rejection"]

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
            report.rejected.append(rejection(found))
        else:
            items.append(found)
    report.inputs = len(items)
    started = time.perf_counter()

    try:
        writer = _BatchWriter(store, report, settings.batch_size)
        for rej in report.rejected:
            writer.reject(rej)
        for index, item in enumerate(items):
            if progress:
                progress(item, index, len(items))
            for result in articles_of(item, ctx, now=now):
                if isinstance(result, Rejection):
                    report.rejected.append(writer.reject(result))
                    continue
                article, origin = result
                writer.add(article, origin, item.name)
                report.article_ids.append(article.id)
        for exc in ctx.manifest_errors:
            report.rejected.append(writer.reject(rejection(exc)))
        writer.commit()
    except SQLAlchemyError as exc:
        raise StoreError(f"store {store.url}: {exc}") from exc
    finally:
        if fetcher is None and ctx.fetcher is not None:
            ctx.fetcher.close()
    log.info("ingested %d input(s): %d new, %d duplicate, %d unchanged, %d rejected", report.inputs, report.new,
             report.duplicates, report.unchanged, len(report.rejected),
             extra={"inputs": report.inputs, "new": report.new, "duplicates": report.duplicates,
                    "unchanged": report.unchanged, "rejected": len(report.rejected),
                    "seconds": round(time.perf_counter() - started, 3)})
    return report


def articles_of(item: InputItem, ctx: SourceContext, *, now: Callable[[], dt.datetime] | None = None
                ) -> Iterator[tuple[Article, Origin] | Rejection]:
    """The articles of one input, each with where it came from, or why a document was rejected.

    Shared by ``ingest`` and the batch engine, so both accept and refuse exactly the same documents.
    """
    clock = {"now": now} if now else {}
    for result in _documents(item, ctx):
        if isinstance(result, InputError):
            yield rejection(result)
            continue
        try:
            yield build_article(result, ctx.settings, **clock)
        except InputError as exc:
            yield rejection(exc)


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


def rejection(exc: InputError) -> Rejection:
    log.info("rejected %s: %s", exc.input, exc.reason, extra={"input": exc.input, "reason": exc.reason,
                                                               "kind": exc.kind})
    return Rejection(input=exc.input, reason=exc.reason, kind=exc.kind)


class _BatchWriter:
    """Collects ``batch_size`` articles, then writes them in one short transaction and counts them.

    Reading and parsing happen outside any transaction, so locks are held only while writing, and a
    batch that meets another writer's conflicting transaction is simply rerun (``Store.add_batch``).
    """

    def __init__(self, store: Store, report: IngestReport, batch_size: int):
        self.store, self.report, self.batch_size = store, report, max(1, batch_size)
        self.pairs: list[tuple[Article, Origin]] = []
        self.inputs: list[str] = []
        self.rejections: list[Rejection] = []

    def add(self, article: Article, origin: Origin, input_name: str) -> None:
        self.pairs.append((article, origin))
        self.inputs.append(input_name)
        if len(self.pairs) >= self.batch_size:
            self.commit()

    def reject(self, rejection: Rejection) -> Rejection:
        self.rejections.append(rejection)
        return rejection

    def commit(self) -> None:
        statuses = self.store.add_batch(self.pairs, self.rejections)
        report = self.report
        for (article, _), name, status in zip(self.pairs, self.inputs, statuses):
            log.debug("article %s from %s: %s", article.id, name, status,
                      extra={"article_id": article.id, "input": name, "status": status})
            if status == "new":
                report.new += 1
                report.syndicated += article.syndication_group is not None
            elif status == "duplicate":
                report.duplicates += 1
            else:
                report.unchanged += 1
        self.pairs, self.inputs, self.rejections = [], [], []
