"""`rashomon batch`: many inputs through ingest + reading + embedding as Dask tasks, then into stories.

The engine is Dask's, not ours: a ``LocalCluster`` of worker processes by default, or a running
scheduler (``--scheduler tcp://host:8786``). Each partition (one input) is one task, retried by
Dask when it fails or its worker dies; a partition that still fails is reported and recorded, and
the others go on. ``workers=0`` runs the same partitions one after another in this process (the
baseline, and a way to batch without Dask's processes).

Stories are built here, in the client, as results arrive: after every ``batch_story_every`` new
articles and once at the end. Story updates are serialised in the store, so other writers (a
`watch`, another batch) may run at the same time.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping

from ..errors import ConfigError
from ..models import Rejection
from ..settings import Settings
from .partitions import Partition, plan_partitions
from .work import ParquetTarget, PartitionResult, StoreTarget, run_partition, warm_models, worker_name

__all__ = ["BatchReport", "run_batch"]

log = logging.getLogger(__name__)

ProgressFn = Callable[[int, int, str], None]

# One thread per worker process, for spaCy's and onnxruntime's numerics too: two processes each
# spawning a thread per core would fight over the same cores.
_WORKER_ENV = {"OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1",
               "RASHOMON_EMBED_THREADS": "1"}


@dataclass
class BatchReport:
    engine: str                     # "one process", "dask LocalCluster", or the scheduler address
    workers: int
    inputs: int = 0
    partitions: int = 0
    skipped: int = 0                # done by an earlier run
    done: int = 0
    failed: list[dict[str, str]] = field(default_factory=list)    # input, error
    articles: int = 0               # article occurrences read in this run
    new: int = 0                    # articles stored for the first time
    read: int = 0
    embedded: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    stories: dict[str, Any] | None = None
    seconds: float = 0.0
    dry_run: bool = False
    planned: list[dict[str, Any]] = field(default_factory=list)   # dry run: input, size, todo/done

    @property
    def articles_per_second(self) -> float:
        return self.articles / self.seconds if self.seconds else 0.0


def run_batch(paths: Iterable[str | os.PathLike], *, settings: Settings, store=None,
              parquet: str | os.PathLike | None = None, workers: int | None = None, scheduler: str | None = None,
              field_map: Mapping[str, str] | None = None, dry_run: bool = False, retries: int | None = None,
              cluster_stories: bool = True, progress: ProgressFn | None = None) -> BatchReport:
    """Process ``paths``; results go to ``store`` (a :class:`~rashomon.storage.Store`) or, when ``parquet``
    names a folder, to one Parquet shard per partition there (no stories then: they need a store)."""
    from ..embed import get_embedder
    from ..nlp import ANALYSIS_VERSION

    start = time.perf_counter()
    workers = settings.batch_workers if workers is None else workers
    retries = settings.batch_retries if retries is None else retries
    if workers < 0 or retries < 0:
        raise ConfigError(f"workers and retries must not be negative (got workers={workers}, retries={retries})")
    if store is not None and parquet is not None or (store is None and parquet is None and not dry_run):
        raise ConfigError("batch writes to one target: a store or a Parquet folder")
    if scheduler and store is not None and store.dialect == "sqlite":
        log.warning("a SQLite store with a remote scheduler: every worker must see the same file; "
                    "use PostgreSQL for workers on other machines")
    target = (ParquetTarget(parquet) if parquet is not None else
              StoreTarget(store.url, store.near_jaccard, store.near_containment) if store is not None else None)
    model = get_embedder().model_id
    parts, rejected = plan_partitions(paths, field_map=field_map, versions=[ANALYSIS_VERSION, model])
    engine = scheduler or ("dask LocalCluster" if workers else "one process")
    report = BatchReport(engine=engine, workers=workers, inputs=len(parts), partitions=len(parts),
                         rejected=rejected, dry_run=dry_run)
    done = target.done([p.key for p in parts]) if target is not None else set()   # no store yet: none done
    todo = [p for p in parts if p.key not in done]
    report.skipped = len(parts) - len(todo)
    if dry_run:
        report.planned = [{"input": p.input, "format": p.item.format, "bytes": p.size,
                           "status": "done" if p.key in done else "todo"} for p in parts]
        report.seconds = time.perf_counter() - start
        return report
    if store is not None and rejected:
        store.add_batch([], rejected)

    pending_for_stories = 0

    def finished(result: PartitionResult) -> None:
        nonlocal pending_for_stories
        report.done += 1
        report.articles += result.articles
        report.new += result.new
        report.read += result.read
        report.embedded += result.embedded
        report.rejected += result.rejected
        pending_for_stories += result.new
        log.info("%s: %d articles (%d new) in %.1f s on %s", result.input, result.articles, result.new,
                 result.seconds, result.worker, extra={"input": result.input, "articles": result.articles, "new": result.new,
                                          "seconds": round(result.seconds, 3), "worker": result.worker})
        if progress:
            progress(report.done + len(report.failed), len(todo), result.input)
        if cluster_stories and store is not None and pending_for_stories >= settings.batch_story_every:
            _place(store, report)
            pending_for_stories = 0

    def failed(part: Partition, exc: BaseException) -> None:
        error = f"{type(exc).__name__}: {exc}".strip()
        report.failed.append({"input": part.input, "error": error})
        log.error("%s failed: %s", part.input, error, extra={"input": part.input, "error": error})
        if store is not None:
            from ..storage.batches import record_partition

            store.write(lambda conn: record_partition(conn, store.dialect, key=part.key, input=part.input,
                                                      status="failed", error=error, worker=worker_name()))
        if progress:
            progress(report.done + len(report.failed), len(todo), part.input)

    if todo:
        if workers == 0 and not scheduler:
            _serial(todo, settings, target, retries, finished, failed)
        else:
            _dask(todo, settings, target, retries, workers, scheduler, finished, failed)
    if cluster_stories and store is not None:
        _place(store, report)
    report.seconds = time.perf_counter() - start
    return report


def _place(store, report: BatchReport) -> None:
    from ..stories import update_stories

    placed = dataclasses.asdict(update_stories(store))
    if report.stories is None:
        report.stories = placed
    else:
        for name, value in placed.items():
            report.stories[name] += value


def _serial(todo: list[Partition], settings: Settings, target, retries: int, finished, failed) -> None:
    for part in todo:
        for attempt in range(retries + 1):
            try:
                result = run_partition(part, settings, target)
            except Exception as exc:  # a partition's failure is reported, never the end of the batch
                if attempt == retries:
                    failed(part, exc)
                else:
                    log.warning("%s failed (%s); retrying", part.input, exc,
                                extra={"input": part.input, "attempt": attempt + 1, "error": str(exc)})
                continue
            finished(result)
            break


def _dask(todo: list[Partition], settings: Settings, target, retries: int, workers: int, scheduler: str | None,
          finished, failed) -> None:
    try:
        from distributed import Client, LocalCluster, WorkerPlugin, as_completed
    except ImportError:
        raise ConfigError("rashomon batch needs Dask: pip install 'dask[distributed]' "
                          "(or run with --workers 0 for one process)") from None

    class _Models(WorkerPlugin):
        """Loads the models when a worker starts (and restarts), so tasks find them loaded."""
        name = "rashomon-models"

        def setup(self, worker) -> None:
            warm_models(1)

    cluster = None
    if scheduler:
        client = Client(scheduler, timeout="30s")
    else:
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                               env=dict(_WORKER_ENV))
        client = Client(cluster)
    try:
        client.register_plugin(_Models())
        futures = {client.submit(run_partition, part, settings, target, threads=1, key=f"rashomon-{part.key}",
                                 retries=retries, pure=False): part for part in todo}
        for future in as_completed(futures):
            part = futures.pop(future)
            if future.status == "finished":
                finished(future.result())
            else:
                failed(part, future.exception())
            future.release()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
