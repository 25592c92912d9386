"""How a story's spread and its members' names weigh on joining it (no encoder: hand-made vectors)."""

from __future__ import annotations

from collections import Counter

import numpy as np

from rashomon.stories import ArticleFeatures, ClusterParams, OnlineClusterer

DIM = 384
DAY = 19_600


def _unit(*coords: float) -> np.ndarray:
    v = np.zeros(DIM, dtype=np.float32)
    v[: len(coords)] = coords
    return v / np.linalg.norm(v)


def _terms(*ids: int) -> tuple[np.ndarray, np.ndarray]:
    idx = np.array(sorted(ids), dtype=np.int32)
    return idx, np.full(idx.size, 1 / np.sqrt(idx.size), dtype=np.float32)


def _article(aid: str, embedding: np.ndarray, terms: tuple[int, ...], names: dict[str, int] | None = None):
    idx, val = _terms(*terms)
    return ArticleFeatures(id=aid, title=aid, embedding=embedding, term_idx=idx, term_val=val,
                           names=Counter(names or {}), day=DAY)


def _load(clusterer: OnlineClusterer, key: str, members: list[np.ndarray], terms: tuple[int, ...],
          names: dict[str, int] | None = None):
    idx, val = _terms(*terms)
    return clusterer.load_story(key, [f"{key}-{i}" for i in range(len(members))], np.sum(members, axis=0),
                                idx, val * len(members), Counter(names or {}), DAY, DAY)


def test_a_spread_out_story_does_not_pull_in_an_article_near_its_middle():
    # Two members 120 degrees apart: the centroid points exactly at the article, though neither
    # member is close to it (cosine 0.5) -- the shape of a story that has chained two events.
    spread = [_unit(np.cos(np.pi / 3), np.sin(np.pi / 3)), _unit(np.cos(np.pi / 3), -np.sin(np.pi / 3))]
    article = _article("a", _unit(1.0), terms=(900, 901))

    centroid_linkage = OnlineClusterer(ClusterParams(linkage=0.0))
    _load(centroid_linkage, "s", spread, terms=(1, 2))
    assert centroid_linkage.add(article) == 0

    default = OnlineClusterer()
    _load(default, "s", spread, terms=(1, 2))
    assert default.add(article) == 1               # a new story

    tight = OnlineClusterer()                      # same centroid, members that agree
    _load(tight, "s", [_unit(1.0, 0.05), _unit(1.0, -0.05)], terms=(1, 2))
    assert tight.add(article) == 0


def test_a_name_counts_by_the_share_of_members_that_give_it():
    emb = _unit(1.0, 1.0)
    members = [emb, emb, emb, emb]
    clusterer = OnlineClusterer()
    # Identical but for the names: story 0 names Kandahar once in four members, story 1 in all four;
    # ties go to the older story, so only the name share can put the article in story 1.
    _load(clusterer, "once", members, terms=(1, 2), names={"kandahar": 1, "kabul": 4})
    _load(clusterer, "always", members, terms=(1, 2), names={"kandahar": 4, "herat": 4})
    article = _article("a", _unit(1.0, 0.9), terms=(1, 2, 3), names={"kandahar": 2})
    assert clusterer.add(article) == 1
    assert clusterer.stories[1].names["kandahar"] == 5   # members naming it, not mentions


# Names alone decide here (no embedding, no terms), undated margin off, nothing split.
NAMES_ONLY = ClusterParams(threshold=0.7, w_embedding=0.0, w_terms=0.0, w_names=1.0, undated_margin=0.0,
                           split_separation=0.0)


def _stream(clusterer: OnlineClusterer) -> list[ArticleFeatures]:
    emb = _unit(1.0)
    feats = [_article("s1", emb, (7,), {"x": 1, "y": 1, "z": 1}),
             # shares one of the story's three names when it arrives: too little, it founds a story
             _article("a", emb, (7,), {"x": 1, "w": 1}),
             # the next article carries both its names and the story's, and joins the story
             _article("s2", emb, (7,), {"x": 1, "y": 1, "z": 1, "w": 1})]
    for f in feats:
        clusterer.add(f)
    return feats


def test_an_article_left_alone_joins_the_story_that_has_grown_towards_it():
    clusterer = OnlineClusterer(NAMES_ONLY)
    feats = _stream(clusterer)
    by_id = {f.id: f for f in feats}
    assert [len(s.members) for s in clusterer.stories] == [2, 1]
    moved = clusterer.reattach_singles(clusterer.stories, lambda ids: [by_id[i] for i in ids])
    assert [(s.index, round(score, 3)) for s, score in moved] == [(0, 0.719)]
    assert clusterer.stories[0].members == ["s1", "s2", "a"] and clusterer.assignment["a"] == 0
    # the emptied story is gone from the index: nothing can join it, nothing is stored for it
    assert clusterer.stories[1].members == [] and not clusterer.stories[1].changed
    assert clusterer.add(_article("b", _unit(1.0), (7,), {"x": 1, "w": 1})) == 0


def test_a_stored_single_article_story_keeps_its_article():
    clusterer = OnlineClusterer(NAMES_ONLY)
    feats = _stream(clusterer)
    by_id = {f.id: f for f in feats}
    clusterer.stories[1].key = "s-stored"        # as if a user had seen its id
    assert clusterer.reattach_singles(clusterer.stories, lambda ids: [by_id[i] for i in ids]) == []
    assert clusterer.stories[1].members == ["a"]


def _second_look(twin_names: dict[str, int]) -> OnlineClusterer:
    """A two-member story naming a, b, c; a second story naming ``twin_names``; then an article
    sharing half its names with the first story, which founds a story of its own on arrival."""
    params = ClusterParams(threshold=0.7, w_embedding=0.0, w_terms=0.0, w_names=1.0, undated_margin=0.0,
                           split_separation=0.0, second_look_threshold=0.5, second_look_margin=0.2)
    clusterer = OnlineClusterer(params)
    emb = _unit(1.0)
    _load(clusterer, "s-event", [emb, emb], terms=(7,), names={"a": 2, "b": 2, "c": 2})
    _load(clusterer, "s-twin", [emb, emb], terms=(7,), names=twin_names)
    article = _article("x", emb, (7,), {"a": 1, "b": 1, "q": 1, "r": 1})
    assert clusterer.add(article) == 2                 # half its names: under the threshold of .7
    clusterer.reattach_singles(clusterer.stories, lambda ids: [article])
    return clusterer


def test_a_lone_article_joins_on_the_second_look_a_story_that_stands_out():
    clusterer = _second_look({"k": 2, "m": 2})         # the other story shares nothing with it
    assert clusterer.assignment["x"] == 0 and clusterer.stories[0].members[-1] == "x"


def test_a_lone_article_stays_alone_between_two_stories_that_fit_it_as_well():
    clusterer = _second_look({"q": 2, "r": 2})         # the other half of its names: another .5
    assert clusterer.assignment["x"] == 2 and clusterer.stories[2].members == ["x"]


def test_each_day_between_an_article_and_a_story_costs_the_day_penalty():
    params = ClusterParams(w_embedding=0.0, w_terms=0.0, w_names=1.0, day_penalty=0.06)
    clusterer = OnlineClusterer(params)
    _load(clusterer, "s", [_unit(1.0)], terms=(7,), names={"a": 1})
    for days, expected in [(0, 1.0), (1, 0.94), (3, 0.82)]:
        article = _article(f"d{days}", _unit(1.0), (7,), {"a": 1})
        article.day = DAY + days
        assert round(clusterer.best_story(article)[1], 3) == expected


def test_the_days_an_article_names_near_its_top_are_compared_like_names():
    from rashomon.stories.features import LEAD_CHARS, date_marks
    from rashomon.stories.pipeline import text_features

    text = ("A 4.6 quake shook Sonoma County early Thursday, March 14, 2013; a smaller one on Sept. 3 "
            "and another in 2012 did no damage. Thursday's quake was felt in Napa.")
    assert date_marks(text) == Counter({"@thursday": 2, "@mar14": 1, "@sep3": 1, "@2013": 1, "@2012": 1})
    # "may" the verb and a bare number are not dates; a day named deep in the text is not the event's
    assert date_marks("Officials may 3D-print parts; 400 homes" + " x" * LEAD_CHARS + " on Sunday") == Counter()
    f = text_features({"id": "q", "title": "Quake", "text": text}, _unit(1.0))
    assert f.names["@thursday"] == 2 and f.names["sonoma county"] == 1
