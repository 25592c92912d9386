"""The command line, run for real: in-process through Typer's runner and as subprocesses."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import rashomon
from rashomon.cli import app

from .conftest import ROOT, article_text, scrub_env

EXAMPLE_ARG = "examples/aleppo-2024"


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    """No RASHOMON_* from the developer's shell; run from the repository root."""
    scrub_env(monkeypatch)


def run(*args: str, env: dict[str, str] | None = None):
    result = CliRunner().invoke(app, [str(a) for a in args], env=env)
    assert "Traceback" not in result.output, result.output
    # the CLI turns every error into an exit code; nothing may escape as an exception
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


def flat(text: str) -> str:
    """Rich wraps long lines at the terminal width; compare words, not layout."""
    return " ".join(text.split())


def clean_subprocess_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("RASHOMON_")}


def rashomon_script() -> str:
    script = Path(sys.executable).with_name("rashomon")
    assert script.exists(), f"console script not installed next to {sys.executable}"
    return str(script)


def without_generated_at(doc: dict) -> dict:
    return {k: v for k, v in doc.items() if k != "generated_at"}


# -- analyze ------------------------------------------------------------------------------
def test_analyze_writes_json_markdown_and_html(tmp_path):
    out = tmp_path / "out"
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    result = run("analyze", EXAMPLE_ARG, "--json", out / "a.json", "--md", out / "a.md",
                 "--html", out / "a.html", "--db", db)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["a.html", "a.json", "a.md"]

    doc = json.loads((out / "a.json").read_text(encoding="utf-8"))
    rashomon.validate_document(doc)
    expected = rashomon.analyze([EXAMPLE_ARG], db=f"sqlite:///{tmp_path / 'api.db'}")
    assert without_generated_at(doc) == without_generated_at(expected)
    assert len(doc["articles"]) == 5

    md = (out / "a.md").read_text(encoding="utf-8")
    html = (out / "a.html").read_text(encoding="utf-8")
    assert html.lstrip().lower().startswith("<!doctype html>") and "<script" not in html.lower()
    for a in doc["articles"]:
        assert f"`{a['id']}`" in md
        assert f'id="article-{a["id"]}"' in html

    terminal = result.stdout
    for a in doc["articles"]:  # the summary names all five articles
        assert a["id"] in terminal, a["id"]
    text = flat(terminal)
    assert re.search(r"inputs read\W+5\b", text) and re.search(r"articles stored \(new\)\W+5\b", text)
    assert "Articles analysed" in text
    # the story's actor x source table: HTS is named by several sources, with their own descriptions
    assert "How each source names the actors" in text and "Hayat Tahrir al-Sham" in text
    story = doc["stories"][0]
    hts = next(a for a in story["actors"] if a["name"] == "Hayat Tahrir al-Sham")
    assert len(hts["labels"]) >= 3 and any("jihadist" in l for ls in hts["labels"].values() for l in ls)
    assert "How each source names the actors" in md and "How each source names the actors" in html
    # the story's facts, judged across sources, in every output
    assert story["claims"] and {c["status"] for c in story["claims"]} <= {
        "corroborated", "single_source", "contradicted", "evolving"}
    assert re.search(r"story \w+: \d+ facts", text)
    assert "What the sources say" in md and "What the sources say" in html
    for name in ("a.json", "a.md", "a.html"):
        assert f"wrote {out / name}" in text
    assert result.stderr.strip() == ""  # nothing went wrong, nothing on stderr


def test_analyze_as_a_real_subprocess_matches_the_library(tmp_path):
    db = f"sqlite:///{tmp_path / 'proc.db'}"
    target = tmp_path / "proc.json"
    proc = subprocess.run([rashomon_script(), "analyze", EXAMPLE_ARG, "--json", str(target), "--db", db, "-q"],
                          cwd=ROOT, env=clean_subprocess_env(), capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    assert proc.stdout.strip() == ""  # --quiet
    doc = json.loads(target.read_text(encoding="utf-8"))
    expected = rashomon.analyze([EXAMPLE_ARG], db=f"sqlite:///{tmp_path / 'api.db'}")
    assert without_generated_at(doc) == without_generated_at(expected)

    again = subprocess.run([sys.executable, "-m", "rashomon.cli", "ingest", EXAMPLE_ARG, "--db", db],
                           cwd=ROOT, env=clean_subprocess_env(), capture_output=True, text=True, timeout=60)
    assert again.returncode == 0, again.stderr
    assert "already stored (unchanged)" in again.stdout and "Traceback" not in again.stderr


@pytest.mark.parametrize("args, code, message", [
    (["--db", "mysql://x"], 5, "backend 'mysql' is not supported"),
    (["--db", "postgresql+psycopg://nobody@127.0.0.1:1/none"], 5, "cannot open store"),
    (["--fetch-feed-links", "sometimes"], 2, "valid: auto, always, never"),
], ids=["mysql", "postgres-refused", "bad-setting"])
def test_errors_in_a_real_subprocess_are_one_line_and_an_exit_code(tmp_path, args, code, message):
    proc = subprocess.run([sys.executable, "-m", "rashomon.cli", "analyze", EXAMPLE_ARG,
                           *(["--db", f"sqlite:///{tmp_path / 'x.db'}"] if "--db" not in args else []), *args],
                          cwd=ROOT, env=clean_subprocess_env(), capture_output=True, text=True, timeout=60)
    assert proc.returncode == code, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    assert message in flat(proc.stderr)


# -- exit codes ---------------------------------------------------------------------------
def _good(folder: Path, name: str = "good.txt", topic: str = "harbour") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(article_text(topic), encoding="utf-8")
    return path


def _bad(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "short.txt").write_text("Only five words are here.", encoding="utf-8")
    return [folder / "empty.txt", folder / "short.txt"]


@pytest.mark.parametrize("command", ["ingest", "analyze"])
def test_exit_3_when_some_inputs_are_rejected(tmp_path, command):
    folder = tmp_path / "in"
    _good(folder)
    _bad(folder)
    result = run(command, folder, "--db", f"sqlite:///{tmp_path / 'db.sqlite'}")
    assert result.exit_code == 3, result.output
    text = flat(result.output)
    assert "Rejected" in text and "empty file (0 bytes)" in text and "min_words" in text
    with rashomon.open_store(f"sqlite:///{tmp_path / 'db.sqlite'}") as store:
        assert store.count() == 1 and len(store.rejections()) == 2


@pytest.mark.parametrize("command", ["ingest", "analyze"])
def test_exit_4_when_every_input_is_rejected(tmp_path, command):
    bad = _bad(tmp_path / "in")
    db = f"sqlite:///{tmp_path / 'db.sqlite'}"
    result = run(command, *bad, "--db", db)
    assert result.exit_code == 4, result.output
    missing = run(command, tmp_path / "no-such-file.txt", "--db", db)
    assert missing.exit_code == 4, missing.output
    assert "no such file or directory" in flat(missing.output)


def test_exit_0_when_everything_is_stored_even_on_a_rerun(tmp_path):
    folder = tmp_path / "in"
    _good(folder)
    db = f"sqlite:///{tmp_path / 'db.sqlite'}"
    assert run("ingest", folder, "--db", db).exit_code == 0
    assert run("ingest", folder, "--db", db).exit_code == 0


@pytest.mark.parametrize("args, message", [
    (["--fetch-feed-links", "sometimes"], "valid: auto, always, never"),
    (["--field", "bogus=x"], "unknown field 'bogus'"),
    (["--field", "textbody"], "must look like FIELD=KEY"),
    (["--field", "text="], "names no input key"),
    (["--min-words", "-5"], "must not be negative"),
    (["--min-words", "many"], "Invalid value for '--min-words'"),
    (["--no-such-flag"], "No such option"),
    (["--config", "missing-config.toml"], "does not exist"),
    (["--config", "examples"], "cannot be read"),
], ids=["feed-links", "field-unknown", "field-shape", "field-empty", "negative", "not-int", "flag", "config",
        "config-is-a-folder"])
def test_exit_2_for_bad_usage(tmp_path, args, message):
    db = tmp_path / "never-created.db"
    result = run("analyze", EXAMPLE_ARG, "--db", f"sqlite:///{db}", *args)
    assert result.exit_code == 2, result.output
    assert message in flat(result.output)
    assert not db.exists()  # rejected before anything was touched


def test_exit_2_for_a_bad_environment_variable(tmp_path):
    result = run("ingest", EXAMPLE_ARG, "--db", f"sqlite:///{tmp_path / 'x.db'}",
                 env={"RASHOMON_FETCH_FEED_LINKS": "sometimes"})
    assert result.exit_code == 2
    assert "RASHOMON_FETCH_FEED_LINKS" in flat(result.output) and "valid: auto, always, never" in flat(result.output)


@pytest.mark.parametrize("command", ["ingest", "analyze", "articles", "export"])
@pytest.mark.parametrize("kind", ["mysql", "inside-a-file", "directory", "not-a-url"])
def test_exit_5_for_an_unusable_store(tmp_path, command, kind):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    (tmp_path / "a-dir").mkdir()
    db = {"mysql": "mysql://x",
          "inside-a-file": f"sqlite:///{blocker}/store.db",
          "directory": f"sqlite:///{tmp_path / 'a-dir'}",
          "not-a-url": "sqlite+nodriver:///x"}[kind]
    args = [EXAMPLE_ARG] if command in ("ingest", "analyze") else []
    result = run(command, *args, "--db", db)
    assert result.exit_code == 5, result.output
    assert "store" in result.stderr and "internal error" not in result.output


@pytest.mark.parametrize("kind", ["parent-is-a-file", "is-a-directory"])
@pytest.mark.parametrize("flag", ["--json", "--md", "--html"])
def test_exit_6_when_an_output_cannot_be_written(tmp_path, flag, kind):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    target = blocker / "report.out" if kind == "parent-is-a-file" else tmp_path
    result = run("analyze", EXAMPLE_ARG, flag, target, "--db", f"sqlite:///{tmp_path / 'x.db'}")
    assert result.exit_code == 6, result.output
    assert "output error" in result.stderr and str(target) in flat(result.stderr)
    assert blocker.read_text() == "not a folder"


def test_export_to_an_unwritable_path_exits_6(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    result = run("export", "--out", blocker / "f.jsonl", "--db", f"sqlite:///{tmp_path / 'x.db'}")
    assert result.exit_code == 6, result.output


# -- articles and export ------------------------------------------------------------------
def test_articles_search_json_lists_the_matching_articles(tmp_path):
    db = f"sqlite:///{tmp_path / 'db.sqlite'}"
    _good(tmp_path / "other")
    assert run("ingest", EXAMPLE_ARG, tmp_path / "other", "--db", db).exit_code == 0
    doc_ids = {a["id"] for a in rashomon.analyze([EXAMPLE_ARG], db=db)["articles"]}

    result = run("articles", "--search", "Aleppo", "--json", "--db", db)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert {r["id"] for r in rows} == doc_ids  # every seed article mentions Aleppo; the other does not
    assert all("aleppo" in (r["text"] + (r["title"] or "")).lower() for r in rows)

    everything = run("articles", "--json", "--db", db)
    assert len(everything.stdout.splitlines()) == 6
    limited = run("articles", "--json", "--limit", "2", "--db", db)
    assert len(limited.stdout.splitlines()) == 2
    none = run("articles", "--search", "no such words in any article", "--json", "--db", db)
    assert none.exit_code == 0 and none.stdout == ""
    table = run("articles", "--search", "aleppo", "--db", db)
    assert table.exit_code == 0 and "5 article(s)" in table.stdout
    assert all(i in table.stdout for i in doc_ids)


def test_export_then_ingest_into_a_fresh_store_round_trips_the_ids(tmp_path):
    first = f"sqlite:///{tmp_path / 'first.db'}"
    second = f"sqlite:///{tmp_path / 'second.db'}"
    _good(tmp_path / "other")
    assert run("ingest", EXAMPLE_ARG, tmp_path / "other", "--db", first).exit_code == 0

    export = tmp_path / "out" / "f.jsonl"
    result = run("export", "--out", export, "--db", first)
    assert result.exit_code == 0, result.output
    assert "exported 6 article(s)" in flat(result.stderr)
    lines = export.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 6

    to_stdout = run("export", "--db", first)
    assert to_stdout.stdout.splitlines() == lines

    result = run("ingest", export, "--db", second)
    assert result.exit_code == 0, result.output
    a, b = rashomon.open_store(first), rashomon.open_store(second)
    try:
        before = {r["id"]: r for r in a.articles()}
        after = {r["id"]: r for r in b.articles()}
        assert set(after) == set(before) and len(after) == 6
        for i, row in after.items():
            assert row["text"] == before[i]["text"]
            assert row["title"] == before[i]["title"]
            assert row["word_count"] == before[i]["word_count"]
        origins = b.origins(list(after))
        assert all(o[0]["input"] == str(export) and o[0]["format"] == "jsonl" for o in origins.values())
    finally:
        a.close()
        b.close()

    as_json = tmp_path / "f.json"
    assert run("export", "--format", "json", "--out", as_json, "--db", first).exit_code == 0
    assert {r["id"] for r in json.loads(as_json.read_text(encoding="utf-8"))} == set(before)
    assert run("export", "--format", "xml", "--db", first).exit_code == 2
