"""The split pass: a story whose members fall into two groups far apart is two stories.

The online clusterer decides one article at a time against story centroids, so an article that
opens a second, similar event (another earthquake in the same province, the next day's vote after
a debate) can join the first event's story and pull its own followers in after it. Once the
articles are placed, each story that took new members is looked at whole: its members are cut
in two by average linkage on their pairwise similarity, and the cut is kept when the two groups
are far apart compared with how alike the members of each group are —

    separation = mean similarity between the groups / mean similarity within them

— below ``ClusterParams.split_separation``. Each part is then examined the same way. A ratio,
not an absolute similarity, so that a loose story (opinion pieces around one event) is not cut
for being loose, only for being two tight groups.

Average linkage's top cut often sheds one stray article rather than the two groups underneath;
such strays (at most :data:`MAX_STRAYS` of the members) are set aside, the rest is cut again, and
each stray then joins the part it is closer to. The similarity mixes the join decision's three
signals: embedding, IDF-weighted terms and the members' most frequent names (who and where tell
two events of one kind apart: the casting of the eleventh Doctor from the twelfth's).
"""

from __future__ import annotations

from typing import Callable, Sequence

import numpy as np
from scipy import sparse
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform

from .features import ArticleFeatures, hash_term

__all__ = ["MAX_STRAYS", "member_similarity", "split_groups"]

#: Share of a group's members that may be set aside as strays before it is cut again.
MAX_STRAYS = 0.2


def _cosines(rows: list[np.ndarray], cols: list[np.ndarray], vals: list[np.ndarray], dim: int) -> np.ndarray:
    """Pairwise cosines of sparse rows given as (column ids, weights) per row."""
    vals = [v / (float(np.linalg.norm(v)) or 1.0) for v in vals]
    m = sparse.csr_matrix((np.concatenate(vals).astype(np.float32), (np.concatenate(rows), np.concatenate(cols))),
                          shape=(len(vals), dim))
    return (m @ m.T).toarray()


def member_similarity(feats: Sequence[ArticleFeatures], idf: np.ndarray, w_embedding: float, w_terms: float,
                      w_names: float = 0.0, name_idf: Callable[[str], float] | None = None,
                      top_names: int = 12) -> np.ndarray:
    """Pairwise similarity of articles: embedding cosine, IDF-weighted term cosine and, with
    ``w_names``, the cosine of their ``top_names`` most frequent names (sublinear counts weighted
    by ``name_idf``), mixed by weight."""
    n = len(feats)
    emb = np.stack([f.embedding for f in feats]).astype(np.float32)
    term_sim = _cosines([np.full(f.term_idx.size, i) for i, f in enumerate(feats)], [f.term_idx for f in feats],
                        [f.term_val * idf[f.term_idx] for f in feats], idf.size)
    sim = w_embedding * (emb @ emb.T) + w_terms * term_sim
    total = w_embedding + w_terms
    if w_names and name_idf is not None:
        top = [f.names.most_common(top_names) for f in feats]
        name_sim = _cosines([np.full(len(t), i) for i, t in enumerate(top)],
                            [np.array([hash_term(name) for name, _ in t], dtype=np.int64) for t in top],
                            [np.array([(1.0 + np.log(c)) * name_idf(name) for name, c in t]) for t in top],
                            idf.size)
        sim += w_names * name_sim
        total += w_names
    return sim / total


def split_groups(sim: np.ndarray, *, max_separation: float, min_part: int) -> list[list[int]]:
    """Row indices of ``sim`` in groups: one group unless a cut separates them (see module doc)."""
    out: list[list[int]] = []
    todo = [list(range(sim.shape[0]))]
    while todo:
        group = todo.pop()
        parts = _cut(sim, group, max_separation, min_part)
        if parts is None:
            out.append(group)
        else:
            todo.extend(parts)
    return sorted(out)


def _cut(sim: np.ndarray, group: list[int], max_separation: float, min_part: int) -> list[list[int]] | None:
    core, strays = list(group), []
    while True:
        if len(core) < 2 * min_part:
            return None
        sub = sim[np.ix_(core, core)]
        dist = np.clip(1.0 - (sub + sub.T) / 2.0, 0.0, None)
        np.fill_diagonal(dist, 0.0)
        side = fcluster(linkage(squareform(dist, checks=False), "average"), 2, "maxclust")
        a = [g for g, s in zip(core, side) if s == 1]
        b = [g for g, s in zip(core, side) if s == 2]
        small = a if len(a) < len(b) else b
        if len(small) >= min_part:
            break
        if not small or len(strays) + len(small) > MAX_STRAYS * len(group):
            return None         # no cut at all (identical members), or more strays than a fringe
        strays += small
        core = [g for g in core if g not in small]
    between = float(sim[np.ix_(a, b)].mean())
    within_pairs = len(a) * (len(a) - 1) + len(b) * (len(b) - 1)
    within = (float(sim[np.ix_(a, a)].sum()) - np.trace(sim[np.ix_(a, a)])
              + float(sim[np.ix_(b, b)].sum()) - np.trace(sim[np.ix_(b, b)])) / within_pairs
    if within <= 0 or between / within >= max_separation:
        return None
    for g in strays:
        (a if sim[g, a].mean() >= sim[g, b].mean() else b).append(g)
    return [sorted(a), sorted(b)]
