"""The short name an article goes by in reports and briefs."""

from __future__ import annotations

from typing import Any, Mapping

__all__ = ["source_name"]


def source_name(article: Mapping[str, Any]) -> str:
    """The outlet, else the input file's name, else the start of the id."""
    if article.get("source"):
        return str(article["source"])
    if article.get("path"):
        return str(article["path"]).replace("\\", "/").rsplit("/", 1)[-1]
    return str(article["id"])[:8]
