"""`rashomon doctor`: real stores (SQLite files, PostgreSQL), real models, and broken URLs as failed checks."""

from __future__ import annotations

import json
import socket
import sqlite3

import numpy as np
import pytest
from typer.testing import CliRunner

import rashomon
from rashomon.cli import app
from rashomon.ops import doctor as doc_mod
from rashomon.ops.doctor import Check
from rashomon.storage import MIGRATIONS, Store

from .conftest import article_text, scrub_env


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    scrub_env(monkeypatch)


def by_name(checks: list[Check]) -> dict[str, Check]:
    return {c.name: c for c in checks}


def filled_sqlite(tmp_path, n: int = 2) -> str:
    folder = tmp_path / "in"
    folder.mkdir()
    for i, topic in enumerate(("harbour", "orchard", "glacier")[:n]):
        (folder / f"{i}.txt").write_text(article_text(topic), encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'news.db'}"
    assert rashomon.ingest([folder], db=url).new == n
    return url


def test_doctor_on_a_sqlite_store_reports_migrations_counts_and_disk(tmp_path):
    url = filled_sqlite(tmp_path)
    checks = by_name(rashomon.doctor(db=url, models=False))
    assert not [c for c in checks.values() if c.status == "fail"], checks
    assert checks["store.open"].status == "ok" and "SQLite 3." in checks["store.open"].detail
    migrations = checks["store.migrations"]
    assert migrations.status == "ok" and migrations.data["missing"] == []
    assert migrations.data["applied"] == [name for name, _ in MIGRATIONS]
    assert checks["store.counts"].data == {"articles": 2, "stories": 0}
    assert checks["disk.free"].data["folder"] == str(tmp_path) and checks["disk.free"].data["free"] > 0
    assert checks["temp.writable"].status == "ok"
    assert checks["package.sqlalchemy"].status == "ok" and checks["package.sqlalchemy"].data["version"]
    assert "spacy.model" not in checks  # models=False skips the slow ones


def test_doctor_lists_pending_migrations_without_applying_them(tmp_path):
    url = filled_sqlite(tmp_path, n=1)
    last = MIGRATIONS[-1][0]
    with sqlite3.connect(tmp_path / "news.db") as conn:
        conn.execute("DELETE FROM schema_migrations WHERE name = ?", (last,))
    found = by_name(rashomon.doctor(db=url, models=False))["store.migrations"]
    assert found.status == "warn" and found.data["missing"] == [last] and last in found.detail
    with sqlite3.connect(tmp_path / "news.db") as conn:  # looking did not migrate
        assert conn.execute("SELECT count(*) FROM schema_migrations WHERE name = ?", (last,)).fetchone()[0] == 0


def test_doctor_does_not_create_a_missing_sqlite_file(tmp_path):
    target = tmp_path / "later" / "news.db"
    checks = by_name(rashomon.doctor(db=f"sqlite:///{target}", models=False))
    assert checks["store.open"].status == "warn" and "does not exist yet" in checks["store.open"].detail
    assert checks["disk.free"].status in ("ok", "warn") and checks["disk.free"].data["folder"] == str(tmp_path)
    assert not target.exists() and not target.parent.exists()


def test_doctor_on_postgresql_reports_server_version_and_pgvector(pg_url):
    Store(pg_url).close()  # create the schema
    checks = by_name(rashomon.doctor(db=pg_url, models=False))
    assert checks["store.open"].status == "ok", checks["store.open"]
    assert checks["store.open"].data["server"].startswith("PostgreSQL ")
    assert checks["store.migrations"].status == "ok"
    assert checks["store.counts"].data == {"articles": 0, "stories": 0}
    vector = checks["store.pgvector"]
    assert vector.status == "ok" and vector.detail.startswith("pgvector "), vector
    assert "disk.free" not in checks  # the server's disk is not ours to measure


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("kind", ["refused", "backend", "folder", "garbage"])
def test_a_broken_store_url_is_a_failed_check_with_a_clear_detail(tmp_path, kind):
    url, expected = {
        "refused": (f"postgresql://nobody@127.0.0.1:{closed_port()}/nowhere", "Connection refused"),
        "backend": ("mysql://user@host/db", "backend 'mysql' is not supported"),
        "folder": (f"sqlite:///{tmp_path}", "is a folder, not a SQLite file"),
        "garbage": ("postgresql://:::", "not a database URL"),
    }[kind]
    checks = by_name(rashomon.doctor(db=url, models=False))
    opened = checks["store.open"]
    assert opened.status == "fail" and expected in opened.detail, opened
    assert opened.fix and "\n" not in opened.detail


def test_cli_doctor_json_parses_and_exit_code_follows_failures(tmp_path):
    url = filled_sqlite(tmp_path, n=1)
    good = CliRunner().invoke(app, ["doctor", "--no-models", "--json", "--db", url])
    assert good.exit_code == 0, good.output
    body = json.loads(good.stdout)
    assert body["ok"] is True and body["summary"]["fail"] == 0
    assert {"python", "store.open", "store.migrations", "store.counts"} <= {c["name"] for c in body["checks"]}
    assert all(set(c) >= {"name", "status", "detail", "fix"} for c in body["checks"])

    bad = CliRunner().invoke(app, ["doctor", "--no-models", "--json", "--db", f"postgresql://x@127.0.0.1:{closed_port()}/y"])
    assert bad.exit_code == 1 and "Traceback" not in bad.output
    body = json.loads(bad.stdout)
    assert body["ok"] is False and body["summary"]["fail"] == 1

    table = CliRunner().invoke(app, ["doctor", "--no-models", "--db", "mysql://u@h/d"])
    assert table.exit_code == 1 and "fail" in table.stdout and "valid: sqlite, postgresql" in table.stdout


def test_doctor_loads_and_times_the_real_models(tmp_path):
    checks = by_name(rashomon.doctor(db=f"sqlite:///{tmp_path / 'x.db'}"))
    spacy, embed = checks["spacy.model"], checks["embedding.model"]
    assert spacy.status == "ok" and "tagged" in spacy.detail and spacy.seconds > 0, spacy
    assert embed.status == "ok" and "384-d" in embed.detail and embed.seconds > 0, embed


class _WrongEmbedder:
    def encode(self, texts, batch_size=32):
        return np.ones((len(texts), 128), dtype=np.float32)


def test_an_embedder_with_the_wrong_shape_fails_its_check():
    found = doc_mod.embedding_check(_WrongEmbedder())
    assert found.status == "fail" and "(1, 128)" in found.detail and found.fix


def test_missing_packages_fail_when_required_and_warn_when_optional(monkeypatch):
    monkeypatch.setattr(doc_mod, "_PACKAGES", (("no-such-dist-abc", None), ("no-such-dist-xyz", "`rashomon serve`")))
    required, optional = doc_mod.package_checks("sqlite:///x.db")
    assert required.status == "fail" and "not installed" in required.detail and "pip install" in required.fix
    assert optional.status == "warn" and "`rashomon serve`" in optional.detail


def test_a_crashing_check_is_reported_not_raised():
    def boom() -> Check:
        raise RuntimeError("model file truncated")

    found = doc_mod._guarded("spacy.model", boom)
    assert found.status == "fail" and "RuntimeError: model file truncated" in found.detail
    with pytest.raises(ValueError, match="valid: ok, warn, fail"):
        Check("x", "maybe", "")
