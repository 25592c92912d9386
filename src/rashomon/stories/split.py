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
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
from scipy import sparse
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform

from .features import ArticleFeatures

__all__ = ["member_similarity", "split_groups"]


def member_similarity(feats: Sequence[ArticleFeatures], idf: np.ndarray, w_embedding: float,
                      w_terms: float) -> np.ndarray:
    """Pairwise similarity of articles: embedding cosine and IDF-weighted term cosine, weighted."""
    emb = np.stack([f.embedding for f in feats]).astype(np.float32)
    rows = np.repeat(np.arange(len(feats)), [f.term_idx.size for f in feats])
    cols = np.concatenate([f.term_idx for f in feats])
    weights = [f.term_val * idf[f.term_idx] for f in feats]
    vals = np.concatenate([w / (float(np.linalg.norm(w)) or 1.0) for w in weights]).astype(np.float32)
    terms = sparse.csr_matrix((vals, (rows, cols)), shape=(len(feats), idf.size))
    term_sim = (terms @ terms.T).toarray()
    total = w_embedding + w_terms
    return (w_embedding * (emb @ emb.T) + w_terms * term_sim) / total


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
    if len(group) < 2 * min_part:
        return None
    sub = sim[np.ix_(group, group)]
    dist = np.clip(1.0 - (sub + sub.T) / 2.0, 0.0, None)
    np.fill_diagonal(dist, 0.0)
    side = fcluster(linkage(squareform(dist, checks=False), "average"), 2, "maxclust")
    a = [g for g, s in zip(group, side) if s == 1]
    b = [g for g, s in zip(group, side) if s == 2]
    if min(len(a), len(b)) < min_part:
        return None
    between = float(sim[np.ix_(a, b)].mean())
    within_pairs = len(a) * (len(a) - 1) + len(b) * (len(b) - 1)
    within = (float(sim[np.ix_(a, a)].sum()) - np.trace(sim[np.ix_(a, a)])
              + float(sim[np.ix_(b, b)].sum()) - np.trace(sim[np.ix_(b, b)])) / within_pairs
    if within <= 0 or between / within >= max_separation:
        return None
    return [a, b]
