"""Self-contained HTML report: one file, inline CSS, no scripts, no network."""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

__all__ = ["render_html"]

_env = Environment(loader=PackageLoader("rashomon.output", "templates"),
                   autoescape=select_autoescape(["html", "j2"]), trim_blocks=True, lstrip_blocks=True)


def render_html(doc: dict[str, Any]) -> str:
    return _env.get_template("report.html.j2").render(doc=doc)
