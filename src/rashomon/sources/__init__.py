"""Stage 1: inputs (files, folders, URLs, feeds, archives, record files) → raw documents."""

from .discover import InputItem, discover
from .http import Fetched, Fetcher
from .reader import SourceContext, read_input

__all__ = ["InputItem", "discover", "Fetcher", "Fetched", "SourceContext", "read_input"]
