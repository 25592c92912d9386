"""The read-only web app over the store: story list, story and article pages, and a JSON API."""

from .app import create_app
from .server import serve

__all__ = ["create_app", "serve"]
