"""The split pass: a story holding two separate groups of articles is cut, in memory and in the store."""

from __future__ import annotations

import json

import numpy as np
import pytest

import rashomon
from rashomon.storage import stories as story_db
from rashomon.stories import ClusterParams, OnlineClusterer, build_features, update_stories
from rashomon.stories.incremental import story_id_for
from rashomon.stories.split import split_groups

from .test_stories import QUAKE, QUAKE2, RATES

QUAKE3 = ("Aid convoys reached mountain villages south of Marrakech on Sunday, two days after the Morocco "
          "earthquake flattened homes; the death toll rose above 2,000, the interior ministry said.")
RATES2 = ("Christine Lagarde said the European Central Bank's rate increase on Thursday could be the last, as "
          "euro zone inflation slows; the deposit rate now stands at 4 percent.")
RATES3 = ("Markets in Frankfurt rose after the ECB lifted interest rates for the tenth time in a row and hinted "
          "that borrowing costs in the euro zone have peaked, bank President Lagarde said.")

#: Two events, interleaved as a feed would deliver them.
RECORDS = [
    {"id": "q1", "title": "Earthquake kills hundreds in Morocco", "text": QUAKE, "date": "2023-09-08"},
    {"id": "r1", "title": "ECB raises rates again", "text": RATES, "date": "2023-09-13"},
    {"id": "q2", "title": "Morocco quake toll passes 800", "text": QUAKE2, "date": "2023-09-09"},
    {"id": "r2", "title": "Lagarde hints at a pause", "text": RATES2, "date": "2023-09-14"},
    {"id": "q3", "title": "Aid reaches Atlas villages", "text": QUAKE3, "date": "2023-09-10"},
    {"id": "r3", "title": "Markets cheer the ECB", "text": RATES3, "date": "2023-09-15"},
]
EVERYTHING_JOINS = ClusterParams(threshold=-10.0)   # the online pass puts all six in one story
NEVER_SPLIT = ClusterParams(threshold=-10.0, split_separation=0.0)


def _blocks(sizes, inside=0.8, across=0.2):
    n = sum(sizes)
    sim = np.full((n, n), across)
    start = 0
    for size in sizes:
        sim[start:start + size, start:start + size] = inside
        start += size
    np.fill_diagonal(sim, 1.0)
    return sim


def test_two_tight_groups_are_cut_and_a_loose_group_is_not():
    assert split_groups(_blocks([3, 4]), max_separation=0.75, min_part=2) == [[0, 1, 2], [3, 4, 5, 6]]
    assert split_groups(_blocks([2, 2, 3]), max_separation=0.75, min_part=2) == [[0, 1], [2, 3], [4, 5, 6]]
    # Loose but uniform: every pair alike as every other, nothing to cut.
    assert split_groups(_blocks([6], inside=0.3), max_separation=0.75, min_part=2) == [list(range(6))]
    # Groups closer than the ratio allows stay together (between .5 / within .6 = .83).
    assert split_groups(_blocks([3, 3], inside=0.6, across=0.5), max_separation=0.75, min_part=2) == [list(range(6))]
    # One stray member is never cut off on its own.
    assert split_groups(_blocks([5, 1]), max_separation=0.75, min_part=2) == [list(range(6))]


def test_a_stray_is_set_aside_so_the_groups_under_it_are_cut_and_then_joins_the_closer():
    # two tight groups and a stray far from both, a little closer to the second: average linkage's
    # first cut sheds the stray alone
    sim = _blocks([4, 4, 1], across=0.3)
    sim[8, :8] = sim[:8, 8] = 0.05
    sim[8, 4:8] = sim[4:8, 8] = 0.1
    assert split_groups(sim, max_separation=0.75, min_part=2) == [[0, 1, 2, 3], [4, 5, 6, 7, 8]]
    # more strays than MAX_STRAYS of the story: they are not a fringe to set aside
    many = _blocks([3, 3, 1, 1], across=0.3)
    for i in (6, 7):
        many[i, :] = many[:, i] = 0.05
        many[i, i] = 1.0
    assert split_groups(many, max_separation=0.75, min_part=2) == [list(range(8))]


def test_the_split_pass_repairs_a_story_the_online_pass_merged():
    feats = build_features(RECORDS)
    clusterer = OnlineClusterer(EVERYTHING_JOINS)
    for f in feats:
        clusterer.add(f)
    assert len(clusterer.stories) == 1
    by_id = {f.id: f for f in feats}
    cuts = clusterer.split_stories(clusterer.stories, lambda ids: [by_id[i] for i in ids])
    assert len(cuts) == 1
    story, parts = cuts[0]
    assert story.members == ["q1", "q2", "q3"]               # the first member keeps its story
    assert [p.members for p in parts] == [["r1", "r2", "r3"]]
    assert {clusterer.assignment[i] for i in ("r1", "r2", "r3")} == {parts[0].index}
    assert (story.first_day, story.last_day) == (19608, 19610)
    assert np.allclose(story.emb_sum, sum(by_id[i].embedding for i in story.members), atol=1e-5)
    # The rebuilt stories are found again by date: a new rate article joins the rate story.
    more = build_features([{"id": "r4", "title": "ECB decision", "text": RATES2 + " " + RATES3,
                            "date": "2023-09-16"}])[0]
    clusterer.p = ClusterParams()
    assert clusterer.add(more) == parts[0].index
    # Cutting again finds nothing more to cut.
    assert clusterer.split_stories(clusterer.stories, lambda ids: [by_id.get(i, more) for i in ids]) == []


def _ingest(tmp_path, url, records, name):
    path = tmp_path / name
    path.write_text("".join(json.dumps({**r, "outlet": "Wire " + r["id"]}) + "\n" for r in records))
    rashomon.ingest([path], db=url)


def _memberships(store):
    with store.begin() as conn:
        rows = conn.execute(story_db.schema.story_members.select()).mappings().all()
    ids = {r["id"]: r["title"] for r in store.articles()}
    out = {}
    for r in sorted(rows, key=lambda r: (r["story_id"], r["position"])):
        out.setdefault(r["story_id"], []).append((ids[r["article_id"]], r["position"], r["score"] is None))
    return out


def test_a_stored_story_is_cut_when_it_grows_and_keeps_its_id(store_url, tmp_path):
    _ingest(tmp_path, store_url, RECORDS[:4], "one.jsonl")
    with rashomon.open_store(store_url) as store:
        first = update_stories(store, params=NEVER_SPLIT)
        assert (first.new_stories, first.split_stories) == (1, 0)
        (merged,) = _memberships(store)
    _ingest(tmp_path, store_url, RECORDS[4:], "two.jsonl")
    with rashomon.open_store(store_url) as store:
        second = update_stories(store, params=EVERYTHING_JOINS)
        assert (second.articles, second.split_stories, second.new_stories, second.grown_stories) == (2, 1, 1, 1)
        stories = _memberships(store)
        assert len(stories) == 2 and merged in stories       # the cut story keeps its id
        titles = {sid: [t for t, _, _ in rows] for sid, rows in stories.items()}
        quake = ["Earthquake kills hundreds in Morocco", "Morocco quake toll passes 800", "Aid reaches Atlas villages"]
        rates = ["ECB raises rates again", "Lagarde hints at a pause", "Markets cheer the ECB"]
        assert titles[merged] == quake
        (other,) = set(stories) - {merged}
        assert titles[other] == rates
        for rows in stories.values():                     # positions renumbered, the founder has no score
            assert [p for _, p, _ in rows] == list(range(len(rows)))
            assert [none for _, _, none in rows] == [True] + [False] * (len(rows) - 1)
        listed = {s["id"]: s for s in story_db.list_stories(store)}
        assert listed[merged]["size"] == 3 and listed[other]["size"] == 3
        assert listed[other]["title"] in rates
        r1 = next(a["id"] for a in store.articles() if a["title"] == "ECB raises rates again")
        assert other == story_id_for(r1)
        with store.begin() as conn:                            # the state kept is the part's own
            state = {s["id"]: s for s in story_db.recent_stories(conn, 10)}[merged]
        assert sorted(state["members"]) == sorted(a["id"] for a in store.articles() if a["title"] in quake)
        assert (state["first_day"], state["last_day"]) == (19608, 19610)
        assert update_stories(store).articles == 0               # a rerun changes nothing
        assert _memberships(store) == stories


def test_a_story_is_re_examined_while_small_then_at_each_tenth_of_growth():
    from rashomon.stories.cluster import Story

    clusterer = OnlineClusterer()

    def due(size, examined):
        return clusterer._split_due(Story(index=0, members=[str(i) for i in range(size)], _examined=examined))

    assert not due(3, 0)                       # too small to hold two parts of two
    assert due(4, 0) and due(16, 15)           # new, and small stories each time they grow
    assert not due(16, 16)                     # unchanged
    assert not due(300, 299) and due(305, 304)  # 1.1 ** 60 = 304.5 lies between 304 and 305
    assert not due(501, 400)                   # over split_max_members: never (quadratic cost)


def test_stored_members_embedded_under_another_model_are_embedded_again_for_the_cut(sqlite_url, tmp_path):
    from rashomon.embed import get_embedder

    class Renamed:                     # the same vectors under a new model id: none of the stored ones count
        model_id = "renamed-model"

        def encode(self, texts):
            return get_embedder().encode(texts)

    _ingest(tmp_path, sqlite_url, RECORDS[:4], "one.jsonl")
    with rashomon.open_store(sqlite_url) as store:
        update_stories(store, params=NEVER_SPLIT)
    _ingest(tmp_path, sqlite_url, RECORDS[4:], "two.jsonl")
    with rashomon.open_store(sqlite_url) as store:
        report = update_stories(store, params=EVERYTHING_JOINS, encoder=Renamed())
        assert (report.split_stories, report.embedded) == (1, 2)   # only the new articles' vectors are saved
        assert sorted(len(rows) for rows in _memberships(store).values()) == [3, 3]
