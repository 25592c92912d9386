"""Helpers for the ingest-format tests: read real inputs through the real readers."""

from __future__ import annotations

import os
from typing import Iterable

from rashomon.errors import InputError
from rashomon.models import RawDocument
from rashomon.settings import Settings
from rashomon.sources import SourceContext, discover, read_input
from rashomon.sources.fields import parse_field_map


def read_paths(paths: Iterable[str | os.PathLike], settings: Settings, field_map=None,
               ) -> tuple[list[RawDocument], list[InputError]]:
    """Every document and every problem the readers produce for ``paths`` (files, folders, URLs)."""
    ctx = SourceContext(settings, parse_field_map(field_map))
    docs: list[RawDocument] = []
    errors: list[InputError] = []
    try:
        for item in discover(paths):
            if isinstance(item, InputError):
                errors.append(item)
                continue
            try:
                for result in read_input(item, ctx):
                    (errors if isinstance(result, InputError) else docs).append(result)
            except InputError as exc:
                errors.append(exc)
    finally:
        if ctx.fetcher is not None:
            ctx.fetcher.close()
    return docs, errors + ctx.manifest_errors


def read_one(path: str | os.PathLike, settings: Settings, field_map=None) -> RawDocument:
    docs, errors = read_paths([path], settings, field_map)
    assert not errors, errors
    assert len(docs) == 1, docs
    return docs[0]


BODY = (
    "Officials in the city of Riverton said on Tuesday that the council had approved a new budget "
    "after a long and heated debate about schools, roads and public safety.\n\n"
    "Residents packed the council chamber to ask questions about taxes, and the mayor promised a "
    "detailed report next month explaining every change that was made to the plan.\n\n"
    "Opposition members argued that the budget cut too deeply into library funding, while "
    "supporters said the savings were needed to repair ageing bridges across the river."
)
