"""Stories kept in the store: incremental, idempotent, neighbourhood-only, on SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

import rashomon
from rashomon.cli import app
from rashomon.storage import stories as story_db
from rashomon.stories import update_stories

from .test_stories import QUAKE, QUAKE2, RATES

LATE = ("Scientists met in Rabat to review building codes in the Atlas Mountains, a year after the magnitude "
        "6.8 earthquake near Marrakech destroyed villages across the region, officials said on Monday.")


def _write(path, records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _batch1(tmp_path):
    return _write(tmp_path / "one.jsonl", [
        {"id": "q1", "title": "Earthquake kills hundreds in Morocco", "text": QUAKE, "date": "2023-09-09",
         "outlet": "Wire A"},
        {"id": "r1", "title": "ECB raises rates again", "text": RATES, "date": "2023-09-14", "outlet": "Wire B"},
    ])


def _story_of(store, article_title):
    rows = {r["title"]: r["id"] for r in store.articles()}
    with store.begin() as conn:
        return story_db.story_ids_for(conn, [rows[article_title]])[rows[article_title]]


def test_stories_grow_incrementally_keep_their_ids_and_reruns_change_nothing(store_url, tmp_path):
    rashomon.ingest([_batch1(tmp_path)], db=store_url)
    with rashomon.open_store(store_url) as store:
        first = update_stories(store)
        assert (first.articles, first.new_stories, first.embedded) == (2, 2, 2)
        quake = _story_of(store, "Earthquake kills hundreds in Morocco")
        assert update_stories(store).articles == 0            # idempotent
        assert len(story_db.list_stories(store)) == 2

    rashomon.ingest([_write(tmp_path / "two.jsonl", [
        {"id": "q2", "title": "Morocco quake toll passes 800", "text": QUAKE2, "date": "2023-09-10",
         "outlet": "Wire C"}])], db=store_url)
    with rashomon.open_store(store_url) as store:
        second = update_stories(store)
        assert (second.articles, second.new_stories, second.grown_stories, second.embedded) == (1, 0, 1, 1)
        assert second.loaded_stories == 2                      # both are within the window of Sept 10
        assert _story_of(store, "Morocco quake toll passes 800") == quake
        story = story_db.get_story(store, quake)
        assert story["size"] == 2 and story["members"][0]["score"] is None
        assert 0 < story["members"][1]["score"] <= 1.5
        listed = {s["id"]: s for s in story_db.list_stories(store)}
        assert listed[quake]["sources"] == ["Wire A", "Wire C"]
        assert (listed[quake]["first_day"], listed[quake]["last_day"]) == (19609, 19610)

    # A year later: the stored stories are outside its window and are not even read.
    rashomon.ingest([_write(tmp_path / "three.jsonl", [
        {"id": "q3", "title": "A year after the Morocco quake", "text": LATE, "date": "2024-09-09"}])], db=store_url)
    with rashomon.open_store(store_url) as store:
        third = update_stories(store)
        assert (third.articles, third.new_stories, third.loaded_stories) == (1, 1, 0)


def test_a_run_killed_before_commit_leaves_stories_as_they_were(sqlite_url, tmp_path, monkeypatch):
    rashomon.ingest([_batch1(tmp_path)], db=sqlite_url)

    def boom(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(story_db, "save_stats", boom)
    with rashomon.open_store(sqlite_url) as store, pytest.raises(KeyboardInterrupt):
        update_stories(store)
    monkeypatch.undo()
    with rashomon.open_store(sqlite_url) as store:
        assert story_db.list_stories(store) == []
        again = update_stories(store)
        assert (again.articles, again.new_stories, again.embedded) == (2, 2, 0)   # embeddings were kept


def test_stories_and_story_commands(sqlite_url, tmp_path):
    rashomon.ingest([_batch1(tmp_path)], db=sqlite_url)
    runner = CliRunner()
    res = runner.invoke(app, ["stories", "--db", sqlite_url, "--json"])
    assert res.exit_code == 0, res.output
    rows = [json.loads(line) for line in res.stdout.splitlines()]
    assert {r["title"] for r in rows} == {"Earthquake kills hundreds in Morocco", "ECB raises rates again"}
    assert {r["first_date"] for r in rows} == {"2023-09-09", "2023-09-14"}
    quake = next(r["id"] for r in rows if r["title"].startswith("Earthquake"))
    res = runner.invoke(app, ["story", quake, "--db", sqlite_url, "--json"])
    assert res.exit_code == 0
    shown = json.loads(res.stdout)
    assert shown["id"] == quake and [a["source"] for a in shown["articles"]] == ["Wire A"]
    table = runner.invoke(app, ["stories", "--db", sqlite_url])
    assert "Earthquake kills hundreds in Morocco" in table.stdout and "2023-09-14" in table.stdout
    missing = runner.invoke(app, ["story", "s000", "--db", sqlite_url])
    assert missing.exit_code == 2 and "no story 's000'" in missing.stderr
