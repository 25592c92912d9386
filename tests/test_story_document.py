"""A stored story as a full analysis document; its judged blocks are kept and reused until members change."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import rashomon
from rashomon.output.story import blocks_key
from rashomon.storage import stories as story_db

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "aleppo-2024"


def test_story_document_is_valid_judged_and_cached(store_url, tmp_path, monkeypatch):
    rashomon.analyze([str(EXAMPLE)], db=store_url)
    with rashomon.open_store(store_url) as store:
        (row,) = story_db.list_stories(store)
    doc = rashomon.story_document(row["id"], db=store_url)
    rashomon.validate_document(doc)
    (story,) = doc["stories"]
    assert len(story["article_ids"]) == len(doc["articles"]) == 5
    assert story["claims"] and story["actors"] and story["coverage"]
    assert story["brief"] and all(s["citations"] for s in story["brief"])
    assert {p["name"] for p in story["places"]} >= {"Aleppo", "Damascus"}
    assert all("framing" in a for a in doc["articles"])
    with rashomon.open_store(store_url) as store:
        assert store.story_analysis(row["id"], blocks_key(story["article_ids"])) is not None

    # the second call reads the stored blocks: judging again would fail here
    import rashomon.alignment as alignment

    def boom(*_a, **_k):
        raise AssertionError("story judged again although nothing changed")
    monkeypatch.setattr(alignment, "judge_story", boom)
    again = rashomon.story_document(row["id"], db=store_url)
    assert again["stories"][0]["claims"] == story["claims"]


def test_unknown_story_is_a_clear_error(sqlite_url):
    with pytest.raises(rashomon.NotFound, match="no story 'nope'"):
        rashomon.story_document("nope", db=sqlite_url)


def test_story_command_writes_the_story_report(sqlite_url, tmp_path):
    from typer.testing import CliRunner

    from rashomon.cli import app

    folder = tmp_path / "in"
    shutil.copytree(EXAMPLE, folder)
    rashomon.analyze([str(folder)], db=sqlite_url)
    with rashomon.open_store(sqlite_url) as store:
        (row,) = story_db.list_stories(store)
    out = tmp_path / "s.html"
    result = CliRunner().invoke(app, ["story", row["id"], "--html", str(out), "--md", str(tmp_path / "s.md"),
                                      "--db", sqlite_url])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "What the sources say" in html and "How each source names the actors" in html
    assert (tmp_path / "s.md").read_text(encoding="utf-8").startswith("# Rashomon analysis")
