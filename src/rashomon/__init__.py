"""Rashomon: multi-source news analysis.

Ingest reports of the same events from many outlets, group them, and show what several
independent sources establish, what they dispute, and how each frames it.
"""

__version__ = "0.1.0"

# The stage package ``rashomon.watch`` is loaded first so that the function imported below, not the package,
# is ``rashomon.watch``: a package loaded later would replace the attribute with itself.
from . import watch as _watch_package  # noqa: E402,F401
from .api import (analyze, batch, doctor, get_story, ingest, list_stories, open_store,  # noqa: E402
                  resolve_settings, similar_stories, story_document, watch)
from .errors import (ConfigError, DecodeError, FetchError, InputError, MalformedInput,  # noqa: E402
                     NoArticle, NotFound, OutputError, RashomonError, StoreError, TooLarge, UnsafeInput,
                     UnsupportedInput)
from .models import Article, IngestReport, Origin, RawDocument, Rejection  # noqa: E402
from .output import render_html, render_markdown, validate_document  # noqa: E402
from .settings import SETTINGS, Settings, load_settings  # noqa: E402

__all__ = [
    "__version__",
    "analyze", "ingest", "open_store", "resolve_settings", "list_stories", "get_story", "story_document",
    "doctor", "batch", "watch", "similar_stories",
    "load_settings", "Settings", "SETTINGS",
    "validate_document", "render_html", "render_markdown",
    "Article", "Origin", "RawDocument", "Rejection", "IngestReport",
    "RashomonError", "ConfigError", "StoreError", "InputError", "UnsupportedInput", "DecodeError",
    "TooLarge", "NoArticle", "MalformedInput", "UnsafeInput", "FetchError", "OutputError",
    "NotFound",
]
