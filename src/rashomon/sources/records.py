"""Record files: JSONL (optionally gzipped), JSON arrays and CSV/TSV, with a field mapping."""

from __future__ import annotations

import csv
import gzip
import io
import json
from pathlib import Path
from typing import Any, Iterator, Mapping

from ..errors import InputError, MalformedInput, NoArticle, TooLarge
from ..models import RawDocument
from .decode import decode_bytes
from .fields import FIELD_ALIASES, resolve_fields

__all__ = ["read_jsonl", "read_json", "read_csv", "record_to_document"]

_MAPPING_PROBE = 3


def record_to_document(record: Any, input: str, locator: str, fmt: str, path: Path,
                       field_map: Mapping[str, str] | None) -> RawDocument:
    if not isinstance(record, dict):
        raise MalformedInput(input, f"{locator}: expected a JSON object, got {type(record).__name__}")
    fields, extra = resolve_fields(record, field_map)
    text = fields.get("text")
    # A mapped text key replaces the aliases: a "text" key beside a missing mapped one is not "empty".
    text_keys = ((field_map["text"].lower(),) if field_map and field_map.get("text")
                 else FIELD_ALIASES["text"])
    if text is None and any(str(k).strip().lower() in text_keys for k in record):
        raise NoArticle(input, f"{locator}: text field is empty")
    if text is None:
        wanted = (field_map or {}).get("text") or ", ".join(FIELD_ALIASES["text"])
        raise NoArticle(input, f"{locator}: no text field (looked for {wanted}; keys present: "
                               f"{', '.join(map(str, record)) or 'none'}; map one with --field text=KEY)")
    if not isinstance(text, str):
        raise MalformedInput(input, f"{locator}: text field is {type(text).__name__}, expected a string")
    return RawDocument(
        input=input, format=fmt, text=text, locator=locator, title=_opt(fields.get("title")),
        source=_opt(fields.get("source")), url=_opt(fields.get("url")), path=str(path),
        author=_opt(fields.get("author")), published=fields.get("published"),
        language=_opt(fields.get("language")), external_id=_opt(fields.get("id")), extra=extra,
    )


def _opt(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value)


def _open_binary(path: Path):
    return gzip.open(path, "rb") if path.name.endswith(".gz") else open(path, "rb")


def read_jsonl(path: Path, input: str, *, max_record_bytes: int,
               field_map: Mapping[str, str] | None) -> Iterator[RawDocument | InputError]:
    # Until one record has text, missing-text errors wait here: when the first few all lack it,
    # the mapping is wrong for the whole file and one message says so.
    waiting: list[NoArticle] | None = []
    try:
        with _open_binary(path) as stream:
            for n, line in enumerate(_bounded_lines(stream, max_record_bytes), 1):
                locator = f"line {n}"
                if line is None:
                    yield TooLarge(input, f"{locator}: longer than {max_record_bytes:,} bytes (max_record_bytes)")
                    continue
                if not line.strip():
                    continue
                try:
                    text, _ = decode_bytes(line, f"{input}:{n}")
                    record = json.loads(text.rstrip("\r\n"))  # a cut-off line: "Unterminated string"
                except InputError as exc:
                    yield type(exc)(input, f"{locator}: {exc.reason}")
                    continue
                except json.JSONDecodeError as exc:
                    yield MalformedInput(input, f"{locator}: invalid JSON ({exc.msg.removesuffix(' at')} "
                                                f"at column {exc.colno})")
                    continue
                try:
                    doc = record_to_document(record, input, locator, "jsonl", path, field_map)
                except NoArticle as exc:
                    if waiting is None:
                        yield exc
                    else:
                        waiting.append(exc)
                        if len(waiting) >= _MAPPING_PROBE:
                            raise NoArticle(input, f"no text in the first {len(waiting)} records; "
                                                   f"{waiting[0].reason.split(': ', 1)[1]}") from None
                    continue
                except InputError as exc:
                    yield exc
                    continue
                if waiting:
                    yield from waiting
                waiting = None
                yield doc
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        yield MalformedInput(input, f"stream broken: {exc}; lines before it were kept")
    if waiting:
        yield from waiting


def _bounded_lines(stream, limit: int) -> Iterator[bytes | None]:
    """Lines of a binary stream, None in place of a line over ``limit`` (skipped, not loaded)."""
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        if len(line) > limit and not line.endswith(b"\n"):
            while True:  # drain the rest of the oversized line
                more = stream.readline(1 << 20)
                if not more or more.endswith(b"\n"):
                    break
            yield None
            continue
        yield line


def read_json(data: bytes, path: Path, input: str, *,
              field_map: Mapping[str, str] | None) -> Iterator[RawDocument | InputError]:
    text, _ = decode_bytes(data, input)
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise MalformedInput(input, f"invalid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})") from None
    if isinstance(value, dict):
        for key in ("articles", "items", "documents", "data", "records"):
            if isinstance(value.get(key), list):
                value = value[key]
                break
        else:
            value = [value]
    if not isinstance(value, list):
        raise MalformedInput(input, f"expected a JSON array of articles or an object, got {type(value).__name__}")
    for n, record in enumerate(value, 1):
        try:
            yield record_to_document(record, input, f"item {n}", "json", path, field_map)
        except InputError as exc:
            if n == 1 and isinstance(exc, NoArticle):
                raise
            yield exc


def read_csv(data: bytes, path: Path, input: str, *, max_record_bytes: int,
             field_map: Mapping[str, str] | None) -> Iterator[RawDocument | InputError]:
    text, _ = decode_bytes(data, input)
    if not text.strip():
        raise NoArticle(input, "empty CSV file")
    sample = text[:65536]
    delimiter = "\t" if path.suffix.lower() == ".tsv" else None
    if delimiter is None:
        try:
            delimiter = csv.Sniffer().sniff(sample.split("\n", 20)[0] if sample.count("\n") else sample,
                                            delimiters=",;\t|").delimiter
        except csv.Error:
            delimiter = ","
    csv.field_size_limit(max(max_record_bytes, 131072))
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    columns = reader.fieldnames or []
    wanted = (field_map or {}).get("text")
    probe, _ = resolve_fields({c: "x" for c in columns}, field_map)
    if "text" not in probe:
        raise NoArticle(input, f"no text column (looked for {wanted or ', '.join(FIELD_ALIASES['text'])}); "
                               f"header read with delimiter {delimiter!r} gives columns {columns}; "
                               "map one with --field text=COLUMN")
    try:
        for n, row in enumerate(reader, 2):
            if None in row:
                yield MalformedInput(input, f"line {n}: {len(row[None])} more field(s) than the header's "
                                            f"{len(columns)}")
                continue
            try:
                yield record_to_document(row, input, f"line {n}", "csv", path, field_map)
            except InputError as exc:
                yield exc
    except csv.Error as exc:
        yield MalformedInput(input, f"CSV broken at line {reader.line_num}: {exc}; rows before it were kept")
