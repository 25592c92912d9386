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
