"""Rashomon: multi-source news analysis.

Ingest reports of the same events from many outlets, group them, and show what several
independent sources establish, what they dispute, and how each frames it.
"""

__version__ = "0.1.0"

from .api import (analyze, get_story, ingest, list_stories, open_store, resolve_settings,  # noqa: E402
                  story_document)
from .errors import (ConfigError, DecodeError, FetchError, InputError, MalformedInput,  # noqa: E402
                     NoArticle, NotFound, OutputError, RashomonError, StoreError, TooLarge, UnsafeInput,
                     UnsupportedInput)
from .models import Article, IngestReport, Origin, RawDocument, Rejection  # noqa: E402
from .output import render_html, render_markdown, validate_document  # noqa: E402
from .settings import SETTINGS, Settings, load_settings  # noqa: E402

__all__ = [
    "__version__",
    "analyze", "ingest", "open_store", "resolve_settings", "list_stories", "get_story", "story_document",
    "load_settings", "Settings", "SETTINGS",
    "validate_document", "render_html", "render_markdown",
    "Article", "Origin", "RawDocument", "Rejection", "IngestReport",
    "RashomonError", "ConfigError", "StoreError", "InputError", "UnsupportedInput", "DecodeError",
    "TooLarge", "NoArticle", "MalformedInput", "UnsafeInput", "FetchError", "OutputError",
    "NotFound",
]
