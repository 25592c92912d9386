"""Inputs cut into partitions: the unit of work a Dask task (or the one-process engine) runs.

One input (a file, a WARC, a JSONL shard, a URL) is one partition. Its key hashes what decides whether
an earlier run's result still holds: the input's name, size and modification time, the field mapping,
and the versions of the per-article reading and of the embedding model. A rerun skips the keys it finds
done; a changed file or a new model version is processed again.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from typing import Iterable, Mapping

from ..errors import InputError
from ..models import Rejection
from ..sources import InputItem, discover

__all__ = ["Partition", "plan_partitions"]


@dataclass(frozen=True)
class Partition:
    key: str
    item: InputItem
    size: int | None                      # bytes, for files
    field_map: tuple[tuple[str, str], ...] = field(default_factory=tuple)

    @property
    def input(self) -> str:
        return self.item.name


def plan_partitions(paths: Iterable[str | os.PathLike], *, field_map: Mapping[str, str] | None,
                    versions: Iterable[str]) -> tuple[list[Partition], list[Rejection]]:
    """Partitions of ``paths`` in a stable order, and the paths that cannot be read at all."""
    from ..ingestion import rejection

    fields = tuple(sorted((field_map or {}).items()))
    stamp = "\x1f".join(versions)
    parts, rejected, seen = [], [], set()
    for found in discover(paths):
        if isinstance(found, InputError):
            rejected.append(rejection(found))
            continue
        size = mtime = None
        if found.path is not None:
            try:
                st = found.path.stat()
                size, mtime = st.st_size, st.st_mtime_ns
            except OSError as exc:
                rejected.append(Rejection(input=found.name, reason=f"cannot read: {exc.strerror or exc}",
                                          kind="unreadable"))
                continue
        ident = "\x1f".join([found.name, found.format, str(size), str(mtime), repr(fields), stamp])
        key = hashlib.sha256(ident.encode("utf-8")).hexdigest()[:32]
        if key in seen:  # the same input named twice
            continue
        seen.add(key)
        parts.append(Partition(key, found, size, fields))
    return parts, rejected
