"""The analysis document (schema rashomon.analysis/1) built from the store."""

from __future__ import annotations

import datetime as dt
import json
from functools import lru_cache
from importlib import resources
from typing import Any

from ..errors import OutputError
from ..models import IngestReport
from ..storage import Store

__all__ = ["SCHEMA_ID", "build_document", "load_schema", "validate_document", "article_json", "article_quality",
           "ingest_flags"]

SCHEMA_ID = "rashomon.analysis/1"


@lru_cache(maxsize=1)
def load_schema() -> dict[str, Any]:
    return json.loads(resources.files(__package__).joinpath("analysis.schema.json").read_text("utf-8"))


def validate_document(doc: dict[str, Any]) -> None:
    """Raise OutputError listing every place ``doc`` breaks the shipped JSON Schema."""
    from jsonschema import Draft202012Validator

    errors = sorted(Draft202012Validator(load_schema()).iter_errors(doc), key=lambda e: list(e.path))
    if errors:
        lines = [f"  at /{'/'.join(map(str, e.path))}: {e.message}" for e in errors[:20]]
        more = f"\n  … and {len(errors) - 20} more" if len(errors) > 20 else ""
        raise OutputError(f"document does not match schema {SCHEMA_ID}:\n" + "\n".join(lines) + more)


def ingest_flags(row: dict[str, Any]) -> list[dict[str, str]]:
    """Flags that come straight from ingest; the framing stage adds its own (see article_quality)."""
    flags = []
    if row["language"] not in ("en", "und"):
        flags.append({"kind": "non_english",
                      "evidence": f"language detected as {row['language']} (p={row['language_score']:.2f}); "
                                  "the analysis stages assume English"})
    if row["published"] is None:
        flags.append({"kind": "date_unknown", "evidence": row["published_note"] or "no publication date"})
    for note in (row.get("extra") or {}).get("notes", []):
        flags.append({"kind": "text_repaired", "evidence": note})
    return flags


def article_quality(row: dict[str, Any], analysis: dict[str, Any] | None) -> dict[str, Any]:
    """``articles[].quality``: ingest flags, then, for a read article, the framing flags and attribution profile."""
    flags: list[dict[str, Any]] = list(ingest_flags(row))
    if analysis is None:
        return {"flags": flags}
    from ..framing import attribution_profile, quality_flags

    have = {f["kind"] for f in flags}
    for f in quality_flags(row["text"], analysis, row):
        # ingest already says why the date is unknown (date_unknown); one flag for it is enough
        if f["kind"] == "missing_date" and "date_unknown" in have:
            continue
        flags.append(f)
    return {"flags": flags, "attribution": attribution_profile(analysis, row["text"])}


def article_json(row: dict[str, Any], origins: list[dict[str, Any]],
                 analysis: dict[str, Any] | None = None, outlets: Any = None) -> dict[str, Any]:
    """One article of the document; ``outlets`` is the user's OutletIndex (rashomon.framing.outlets) or None."""
    extra = dict(row.get("extra") or {})
    extra.pop("notes", None)
    out = {
        "id": row["id"], "source": row["source"], "title": row["title"], "url": row["url"],
        "path": row["path"], "published": row["published"],
        "published_precision": row["published_precision"], "published_note": row["published_note"],
        "language": row["language"], "language_score": row["language_score"], "author": row["author"],
        "word_count": row["word_count"], "duplicate_of": row["duplicate_of"],
        "syndication_group": row["syndication_group"],
        "origins": [{k: o[k] for k in ("input", "locator", "format", "path", "url", "source", "external_id")}
                    for o in origins],
        "quality": article_quality(row, analysis),
        "extra": extra,
        "text": row["text"],
    }
    if outlets is not None and (outlet := outlets.match(url=row["url"], source=row["source"])):
        out["outlet"] = outlet.to_json()
    if analysis is not None:
        from ..framing import article_framing

        out["framing"] = article_framing(row["text"], analysis)
        out["analysis"] = analysis
    return out


def build_document(store: Store, report: IngestReport, *, version: str,
                   stories: list[dict[str, Any]] | None = None,
                   analyses: dict[str, dict[str, Any]] | None = None, outlets: Any = None) -> dict[str, Any]:
    ids = list(dict.fromkeys(report.article_ids))
    rows = store.articles(ids)
    origins = store.origins(ids)
    return {
        "schema": SCHEMA_ID,
        "generator": {"name": "rashomon", "version": version},
        "generated_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "summary": {
            "inputs": report.inputs, "articles": len(ids), "new": report.new,
            "duplicates": report.duplicates, "unchanged": report.unchanged,
            "syndicated": report.syndicated, "rejected": len(report.rejected),
        },
        "articles": [article_json(r, origins[r["id"]], (analyses or {}).get(r["id"]), outlets) for r in rows],
        "rejected": [{"input": r.input, "reason": r.reason, "kind": r.kind} for r in report.rejected],
        "stories": stories or [],
    }
