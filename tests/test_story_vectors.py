"""Stories by meaning: pgvector's HNSW index and the numpy brute force agree; SQLite and a server
without the extension fall back to brute force."""

from __future__ import annotations

import json

import numpy as np
import pytest
from sqlalchemy import text
from typer.testing import CliRunner

import rashomon
from rashomon.cli import app
from rashomon.errors import ConfigError, NotFound
from rashomon.storage import Store
from rashomon.storage import stories as story_db
from rashomon.stories import update_stories

from .wordvectors import WordHashEncoder

TOPICS = {
    "flood": "river flood water levees rain evacuation valley dam overflow rescue boats sandbags",
    "chess": "chess grandmaster tournament opening endgame rook bishop pawn checkmate rating match",
    "vaccine": "vaccine trial doses immunity virus clinic booster antibodies regulator approval study",
    "rocket": "rocket launch orbit satellite booster engine pad countdown payload mission landing",
    "bakery": "bakery bread flour ovens sourdough pastry baker croissant yeast dough loaves",
}


def _corpus(tmp_path):
    rng = np.random.default_rng(7)
    common = "the a of and in on said officials reported today city people".split()
    records = []
    for topic, words in TOPICS.items():
        for n in range(3):
            body = " ".join(rng.choice(words.split() + common, 70))
            records.append({"title": f"{topic.title()} report {n}", "text": body.capitalize() + ".",
                            "outlet": f"Outlet {n}", "date": "2024-06-01"})
    path = tmp_path / "topics.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _stories(url, corpus):
    rashomon.ingest([corpus], db=url)
    with Store(url) as store:
        update_stories(store, encoder=WordHashEncoder())
    return url


QUERIES = ["flood water rescue boats in the valley", "grandmaster wins the chess match", "rocket launch to orbit",
           "sourdough bread at the bakery", "booster"]


def _top(url, query, method, k=3):
    vec = WordHashEncoder().encode([query])[0]
    with Store(url) as store:
        return [(r["id"], r["similarity"]) for r in story_db.similar_stories(store, vec, k, method=method)]


def test_the_index_and_brute_force_agree_on_postgresql_and_sqlite(pg_url, sqlite_url, tmp_path):
    corpus = _corpus(tmp_path)
    pg, lite = _stories(pg_url, corpus), _stories(sqlite_url, corpus)
    with Store(pg) as store, store.begin() as conn:
        with_centroid = conn.execute(text("SELECT count(*), count(centroid) FROM stories")).one()
        assert with_centroid[0] == with_centroid[1] >= len(TOPICS)       # save_stories keeps them
    for query in QUERIES:
        indexed, brute, sqlite_brute = _top(pg, query, "index"), _top(pg, query, "brute"), _top(lite, query, "auto")
        assert [i for i, _ in indexed] == [i for i, _ in brute] == [i for i, _ in sqlite_brute], query
        assert np.allclose([s for _, s in indexed], [s for _, s in brute], atol=1e-4)
        assert all(a >= b for (_, a), (_, b) in zip(brute, brute[1:]))
    flood = rashomon.similar_stories("flood water rescue boats", k=1, db=pg, encoder=WordHashEncoder())["stories"][0]
    assert flood["title"].startswith("Flood report") and flood["size"] == 3 and flood["first_date"] == "2024-06-01"

    # By story: the story itself is left out; its neighbours come in the same order on both backends.
    sid = flood["id"]
    by_story = [r["id"] for r in rashomon.similar_stories(story_id=sid, k=4, db=pg)["stories"]]
    assert sid not in by_story and len(by_story) == 4
    assert by_story == [r["id"] for r in rashomon.similar_stories(story_id=sid, k=4, db=lite)["stories"]]

    with pytest.raises(ConfigError, match="no vector index"):
        rashomon.similar_stories("flood", db=lite, encoder=WordHashEncoder(), method="index")
    with pytest.raises(ConfigError, match="exactly one"):
        rashomon.similar_stories("flood", story_id=sid, db=lite)
    with pytest.raises(NotFound):
        rashomon.similar_stories(story_id="s000000000000000", db=lite)

    result = CliRunner().invoke(app, ["stories", "--like", sid, "--no-update", "--json", "--limit", "2", "--db", lite])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in rows] == by_story[:2] and all("similarity" in r for r in rows)
    clash = CliRunner().invoke(app, ["stories", "--like", "x", "--search", "y", "--db", lite])
    assert clash.exit_code != 0 and "cannot be combined" in clash.output


def test_without_the_vector_extension_the_store_falls_back(pg_server, tmp_path):
    """A role that may not create extensions: the migration goes on, similarity uses brute force."""
    import psycopg

    name = "novector_db"
    with psycopg.connect(pg_server.get_uri(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute("DROP ROLE IF EXISTS plain_writer")
        conn.execute("CREATE ROLE plain_writer LOGIN")
        conn.execute(f'CREATE DATABASE "{name}" OWNER plain_writer')
    url = "postgresql+psycopg://plain_writer@/" + name + "?" + pg_server.get_uri(name).split("?", 1)[1]
    _stories(url, _corpus(tmp_path))
    with Store(url) as store, store.begin() as conn:
        assert conn.execute(text("SELECT count(*) FROM pg_extension WHERE extname = 'vector'")).scalar() == 0
    top = rashomon.similar_stories("rocket launch to orbit", k=1, db=url, encoder=WordHashEncoder())["stories"]
    assert len(top) == 1 and top[0]["title"].startswith("Rocket report")
    with pytest.raises(ValueError, match="no vector index"):
        _top(url, "rocket", "index")
