"""The online story clusterer, in memory."""

from __future__ import annotations

import pytest

from rashomon.stories import ClusterParams, OnlineClusterer, build_features, cluster_records

QUAKE = ("A magnitude 6.8 earthquake struck central Morocco late on Friday, killing hundreds of people in "
         "villages of the Atlas Mountains near Marrakech, the interior ministry said.")
QUAKE2 = ("Rescuers in Morocco's Atlas Mountains searched collapsed villages on Saturday after the 6.8 "
          "earthquake near Marrakech killed more than 800 people, officials said.")
RATES = ("The European Central Bank raised its key interest rate by a quarter point on Thursday in Frankfurt, "
         "its tenth increase in a row as inflation in the euro zone stays high, ECB President Christine Lagarde said.")


def _records():
    return [
        {"id": "q1", "title": "Earthquake kills hundreds in Morocco", "text": QUAKE, "date": "2023-09-09"},
        {"id": "r1", "title": "ECB raises rates again", "text": RATES, "date": "2023-09-14"},
        {"id": "q2", "title": "Morocco quake toll passes 800", "text": QUAKE2, "date": "2023-09-09"},
    ]


def test_same_event_joins_and_different_events_split():
    labels = cluster_records(_records())
    assert labels[0] == labels[2] != labels[1]


def test_an_article_seen_again_keeps_its_story_and_dates_bound_the_search():
    feats = build_features(_records())
    clusterer = OnlineClusterer(ClusterParams(window_days=2))
    first = [clusterer.add(f) for f in feats]
    assert [clusterer.add(f) for f in feats] == first
    late = build_features([{**_records()[2], "id": "q3", "date": "2024-09-09"}])[0]
    assert clusterer.add(late) not in first  # a year later is outside the window: a new story


def _seed_records():
    from rashomon.sources.text import split_headline

    from .conftest import EXAMPLES

    records = []
    for path in sorted(EXAMPLES.glob("*.txt")):
        title, body = split_headline(path.read_text(encoding="utf-8"))
        records.append({"id": path.name, "title": title, "text": body, "date": None})
    return records


def test_the_five_seed_articles_form_one_story():
    assert len(set(cluster_records(_seed_records()))) == 1


@pytest.mark.slow
def test_allsides_articles_do_not_join_the_seed_story():
    import json

    from .conftest import SHARED

    path = SHARED / "stories" / "allsides_2021_apr_jul.jsonl"
    others = [json.loads(line) for line in path.open(encoding="utf-8")]
    others = sorted(({"id": r["id"], "title": r["title"], "text": r["text"], "date": r["date"]} for r in others),
                    key=lambda r: r["date"] or "")
    seeds = _seed_records()
    for stream in (others + seeds, seeds + others):
        labels = dict(zip((r["id"] for r in stream), cluster_records(stream)))
        seed_stories = {labels[s["id"]] for s in seeds}
        assert len(seed_stories) == 1
        assert not [r["id"] for r in others if labels[r["id"]] in seed_stories]


def test_analyze_groups_the_seed_story_with_a_stable_id_and_a_member_headline(sqlite_url):
    import rashomon

    from .conftest import EXAMPLES

    doc = rashomon.analyze([EXAMPLES], db=sqlite_url)
    assert len(doc["stories"]) == 1
    story = doc["stories"][0]
    assert sorted(story["article_ids"]) == sorted(a["id"] for a in doc["articles"])
    assert story["title"] in {a["title"] for a in doc["articles"] if a["title"]}
    again = rashomon.analyze([EXAMPLES], db=sqlite_url)
    assert again["stories"][0]["id"] == story["id"]
