"""Turn what the user named (files, folders, URLs) into inputs, each with its format."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from ..errors import InputError, UnsupportedInput

__all__ = ["InputItem", "discover", "format_for", "MANIFEST_NAMES"]

MANIFEST_NAMES = ("manifest.csv", "manifest.json")

_BY_SUFFIX = {
    ".txt": "txt", ".text": "txt", ".md": "txt",
    ".html": "html", ".htm": "html", ".xhtml": "html", ".shtml": "html",
    ".xml": "feed", ".rss": "feed", ".atom": "feed", ".rdf": "feed",
    ".warc": "warc", ".arc": "warc",
    ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".json": "json",
    ".csv": "csv", ".tsv": "csv",
}


@dataclass(frozen=True)
class InputItem:
    name: str                  # as shown to the user
    format: str                # txt, html, feed, warc, jsonl, json, csv, url, or "sniff"
    path: Path | None = None
    url: str | None = None


def is_url(spec: str) -> bool:
    return spec.startswith(("http://", "https://"))


def format_for(path: Path) -> str:
    name = path.name.lower()
    for double in (".warc.gz", ".arc.gz", ".jsonl.gz", ".ndjson.gz"):
        if name.endswith(double):
            return "warc" if "arc" in double else "jsonl"
    return _BY_SUFFIX.get(path.suffix.lower(), "sniff")


def discover(specs: Iterable[str | os.PathLike]) -> Iterator[InputItem | InputError]:
    """Yield inputs in a stable order; problems with a path are yielded, never raised."""
    for spec in specs:
        spec = os.fspath(spec)
        if is_url(spec):
            yield InputItem(spec, "url", url=spec)
            continue
        if "://" in spec:
            yield UnsupportedInput(spec, "only http:// and https:// URLs can be fetched")
            continue
        path = Path(spec)
        try:
            st = path.stat()
        except FileNotFoundError:
            yield InputError(spec, "broken symlink: its target does not exist" if path.is_symlink()
                             else "no such file or directory")
            continue
        except OSError as exc:
            yield InputError(spec, _os_reason(exc))
            continue
        if stat.S_ISDIR(st.st_mode):
            yield from _walk(path, {(st.st_dev, st.st_ino): path})
        else:
            yield from _file(path, st)


def _file(path: Path, st: os.stat_result) -> Iterator[InputItem | InputError]:
    if not stat.S_ISREG(st.st_mode):
        kind = ("a FIFO" if stat.S_ISFIFO(st.st_mode) else "a socket" if stat.S_ISSOCK(st.st_mode)
                else "a device" if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode) else "not a file")
        yield UnsupportedInput(str(path), f"not a regular file ({kind})")
        return
    yield InputItem(str(path), format_for(path), path=path)


def _walk(folder: Path, visited: dict[tuple[int, int], Path]) -> Iterator[InputItem | InputError]:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        yield InputError(str(folder), _os_reason(exc))
        return
    for entry in entries:
        if entry.name.startswith(".") or entry.name in MANIFEST_NAMES:
            continue
        path = Path(entry.path)
        try:
            st = path.stat()
        except FileNotFoundError:
            yield InputError(str(path), "broken symlink: its target does not exist")
            continue
        except OSError as exc:
            yield InputError(str(path), _os_reason(exc))
            continue
        if stat.S_ISDIR(st.st_mode):
            key = (st.st_dev, st.st_ino)
            if key in visited:
                yield UnsupportedInput(str(path), f"symlink loop: leads back to {visited[key]}, "
                                                  "already being read; skipped")
                continue
            yield from _walk(path, {**visited, key: path})
        else:
            yield from _file(path, st)


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "permission denied: cannot read it as this user"
    if exc.errno == 40:  # ELOOP
        return "symlink loop: too many levels of symbolic links"
    return exc.strerror or str(exc)
