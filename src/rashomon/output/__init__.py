"""Outputs: the JSON document (validated against the shipped schema), Markdown and HTML."""

from .document import SCHEMA_ID, build_document, load_schema, validate_document
from .html import render_html
from .markdown import render_markdown
from .write import write_outputs

__all__ = ["SCHEMA_ID", "build_document", "load_schema", "validate_document", "render_html",
           "render_markdown", "write_outputs"]
