"""What one partition's task does, wherever it runs: read the input into articles, read each article
(nlp), embed it, and write the lot to a target — the store, or a Parquet shard.

Everything here runs inside a worker process. The spaCy pipeline and the embedding model are cached
per process (``warm_models`` loads them when a Dask worker starts), so a worker pays for them once,
not once per partition. Writes are idempotent — article ids are content hashes and every insert
ignores what is there — so a partition that is run twice (a retry after its worker died, a rerun
after a crash) never duplicates anything; the partition is marked done only after its data.
"""

from __future__ import annotations

import json
import os
import socket
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from ..models import Article, Origin, Rejection
from ..settings import Settings
from .partitions import Partition

__all__ = ["PartitionResult", "StoreTarget", "ParquetTarget", "run_partition", "warm_models", "worker_name"]


@dataclass
class PartitionResult:
    key: str
    input: str
    articles: int          # article occurrences read (new, duplicate or already stored)
    new: int
    rejected: list[Rejection]
    read: int              # articles given the per-article reading here (the rest had one)
    embedded: int
    seconds: float
    worker: str


class Target(Protocol):
    def done(self, keys: list[str]) -> set[str]: ...
    def known(self, ids: list[str], model: str) -> tuple[set[str], set[str]]: ...
    def write(self, part: Partition, pairs: list[tuple[Article, Origin]], rejected: list[Rejection],
              analyses: dict[str, dict[str, Any]], vectors: dict[str, np.ndarray], model: str,
              seconds: float) -> int: ...


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def warm_models(threads: int | None = None) -> None:
    """Load the reading pipeline and the embedding model into this process's caches."""
    from ..embed import get_embedder
    from ..nlp.model import load_pipeline

    load_pipeline()
    get_embedder(threads).load()


_STORES: dict[tuple[str, float, float], Any] = {}


class StoreTarget:
    """The article store (SQLite or PostgreSQL); each worker process opens it once."""

    def __init__(self, url: str, near_jaccard: float, near_containment: float):
        self.url, self.near_jaccard, self.near_containment = url, near_jaccard, near_containment

    def store(self):
        from ..storage import Store

        key = (self.url, self.near_jaccard, self.near_containment)
        if key not in _STORES:
            _STORES[key] = Store(self.url, near_jaccard=self.near_jaccard, near_containment=self.near_containment)
        return _STORES[key]

    def done(self, keys: list[str]) -> set[str]:
        from ..storage.batches import done_partitions

        return done_partitions(self.store(), keys)

    def known(self, ids: list[str], model: str) -> tuple[set[str], set[str]]:
        """Ids that already have a current reading, and those that already have a vector of ``model``."""
        from ..nlp import ANALYSIS_VERSION
        from ..storage.stories import load_embeddings

        store = self.store()
        read = set(store.analyses(ids, ANALYSIS_VERSION))
        with store.begin() as conn:
            embedded = set(load_embeddings(conn, ids, model))
        return read, embedded

    def write(self, part, pairs, rejected, analyses, vectors, model, seconds) -> int:
        from ..nlp import ANALYSIS_VERSION
        from ..storage.batches import record_partition
        from ..storage.stories import save_embeddings

        store = self.store()
        # add_batch: sorted inserts, linking last and a rerun on a conflict with another worker.
        new = store.add_batch(pairs, rejected).count("new")
        if analyses:
            store.save_analyses(analyses, ANALYSIS_VERSION)
        if vectors:
            save_embeddings(store, vectors, model)
        # Last: a partition is done only once all of it is stored.
        store.write(lambda conn: record_partition(conn, store.dialect, key=part.key, input=part.input,
                                                  status="done", articles=len(pairs), new=new,
                                                  rejected=len(rejected), seconds=seconds, worker=worker_name()))
        return new


class ParquetTarget:
    """One Parquet file per partition in a folder, for tools downstream (pandas, DuckDB, Spark).

    A shard is written under a temporary name and renamed into place, so a shard that exists is whole:
    its presence is what marks the partition done.
    """

    def __init__(self, folder: str | os.PathLike):
        self.folder = Path(folder)

    def path(self, key: str) -> Path:
        return self.folder / f"part-{key}.parquet"

    def done(self, keys: list[str]) -> set[str]:
        return {k for k in keys if self.path(k).is_file()}

    def known(self, ids, model):
        return set(), set()

    def write(self, part, pairs, rejected, analyses, vectors, model, seconds) -> int:
        import pyarrow as pa
        import pyarrow.parquet as pq

        self.folder.mkdir(parents=True, exist_ok=True)
        rows = []
        for article, origin in pairs:
            row = {k: v for k, v in article.as_row().items() if k != "extra"}
            row.update(extra=json.dumps(article.extra, ensure_ascii=False), input=origin.input,
                       locator=origin.locator, format=origin.format,
                       analysis=json.dumps(analyses[article.id], ensure_ascii=False) if article.id in analyses
                       else None,
                       embedding=vectors[article.id].tolist() if article.id in vectors else None,
                       embedding_model=model)
            rows.append(row)
        table = pa.Table.from_pylist(rows, schema=_parquet_schema()) if rows else _parquet_schema().empty_table()
        meta = {b"rashomon.partition": part.key.encode(), b"rashomon.input": part.input.encode("utf-8"),
                b"rashomon.rejected": json.dumps([r.__dict__ for r in rejected], ensure_ascii=False).encode()}
        table = table.replace_schema_metadata(meta)
        final = self.path(part.key)
        tmp = final.with_name(f".{final.name}.{os.getpid()}.tmp")
        pq.write_table(table, tmp, compression="zstd")
        os.replace(tmp, final)
        return len({a.id for a, _ in pairs})


def _parquet_schema():
    import pyarrow as pa

    text = pa.string()
    return pa.schema([
        ("id", text), ("text", text), ("title", text), ("source", text), ("url", text), ("path", text),
        ("author", text), ("published", text), ("published_precision", text), ("published_note", text),
        ("language", text), ("language_score", pa.float64()), ("word_count", pa.int64()), ("text_hash", text),
        ("raw_hash", text), ("syndication_group", text), ("duplicate_of", text), ("extra", text),
        ("input", text), ("locator", text), ("format", text), ("analysis", text),
        ("embedding", pa.list_(pa.float32())), ("embedding_model", text)])


def run_partition(part: Partition, settings: Settings, target: Target, *,
                  threads: int | None = None) -> PartitionResult:
    """Read, analyse, embed and store one partition. Input problems become rejections; anything
    else (a store that is down, a worker out of memory) raises, and the engine retries the partition."""
    from ..embed import get_embedder
    from ..ingestion import articles_of, rejection
    from ..nlp import ReadItem, read_articles
    from ..sources import SourceContext
    from ..stories.features import lead_text

    start = time.perf_counter()
    ctx = SourceContext(settings, dict(part.field_map))
    pairs: list[tuple[Article, Origin]] = []
    rejected: list[Rejection] = []
    try:
        for result in articles_of(part.item, ctx):
            if isinstance(result, Rejection):
                rejected.append(result)
            else:
                pairs.append(result)
        rejected += [rejection(exc) for exc in ctx.manifest_errors]
    finally:
        if ctx.fetcher is not None:
            ctx.fetcher.close()
    unique = {a.id: a for a, _ in pairs}
    embedder = get_embedder(threads)
    model = embedder.model_id
    have_reading, have_vector = target.known(list(unique), model)
    todo = [ReadItem(a.id, a.text, a.language, a.published, a.published_precision)
            for a in unique.values() if a.id not in have_reading]
    analyses = {aid: a.to_json() for aid, a in read_articles(todo).items()} if todo else {}
    embed = [a for a in unique.values() if a.id not in have_vector]
    vectors: dict[str, np.ndarray] = {}
    if embed:
        encoded = embedder.encode([lead_text(a.title, a.text) for a in embed])
        vectors = {a.id: np.asarray(v, dtype=np.float32) for a, v in zip(embed, encoded)}
    seconds = time.perf_counter() - start
    new = target.write(part, pairs, rejected, analyses, vectors, model, seconds)
    return PartitionResult(key=part.key, input=part.input, articles=len(pairs), new=new, rejected=rejected,
                           read=len(analyses), embedded=len(vectors), seconds=time.perf_counter() - start,
                           worker=worker_name())
