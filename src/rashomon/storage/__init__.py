"""Storage: one SQLAlchemy schema on SQLite (default) or PostgreSQL, named migrations."""

from .migrations import MIGRATIONS, migrate
from .store import Store, normalise_url, open_store

__all__ = ["Store", "open_store", "normalise_url", "MIGRATIONS", "migrate"]
