"""Write the document in the requested formats, validated first, atomically."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from ..errors import OutputError
from .document import validate_document
from .html import render_html
from .markdown import render_markdown

__all__ = ["write_outputs", "write_atomic"]


def write_atomic(path: str | os.PathLike, text: str) -> None:
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, target)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None


def write_outputs(doc: dict[str, Any], *, json_path=None, md_path=None, html_path=None) -> None:
    validate_document(doc)
    if json_path:
        write_atomic(json_path, json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
    if md_path:
        write_atomic(md_path, render_markdown(doc))
    if html_path:
        write_atomic(html_path, render_html(doc))
