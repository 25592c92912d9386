"""Story clustering measured on the JSONL story sets, with a TF-IDF + average-link baseline.

Data: ``stories/*.jsonl`` (``*.roundups.jsonl`` skipped), one article a line,
``{"id", "cluster_id", "outlet", "date", "title", "text", ...}``; ``cluster_id`` is the gold story.
:func:`load_eval_file` returns the records in *stream order*: by publication date, undated
records last, ties and undated records in file order (a stable sort). Every record gets a unique
``id`` (a missing or repeated one becomes ``"<id>@<line>"``, the original kept in
``source_id``) and ``published``, the date as an aware UTC ``datetime`` (a date without a zone
counts as UTC) or ``None``.

Caution: the undated sets (ECB+, GVC, NewsWCL50) are stored grouped by gold story, so their file
order leaks the gold to a clusterer that looks at its latest clusters first; ``shuffle_seed``
(``--shuffle SEED``) shuffles the file order before the date sort to take that away.

Metrics (all over items — one item per record, whatever its id):

* ``b3_precision`` / ``b3_recall`` / ``b3_f1``: B-cubed (Bagga & Baldwin 1998): per item, the share of
  its predicted cluster in its gold story (precision) and of its gold story in its predicted
  cluster (recall), averaged over items; F1 is the harmonic mean of the two averages;
* ``pairwise_precision`` / ``pairwise_recall`` / ``pairwise_f1``: over unordered item pairs put
  together; with no predicted (gold) pairs at all the precision (recall) is 1 — vacuously true;
* ``ami`` (arithmetic normalisation) and ``ari``: scikit-learn's adjusted scores.

Baseline (:func:`tfidf_average_link`): TF-IDF of title + text (sublinear tf, English stop words,
L2-normalised) and agglomerative average-link clustering on cosine distance, merging while the
distance stays below :data:`BASELINE_THRESHOLD`. That one threshold serves every file; the rule that
chose it is :data:`THRESHOLD_RULE` (tuned on AllSides only, see :func:`sweep_thresholds`). Each
file's result also carries ``oracle_diagnostic``: the best threshold on that file's own gold — a
diagnostic of how much a per-file choice would add, never a score to report as the baseline's.

The system: a function ``cluster_fn(records) -> labels`` (one label per record, in the stream
order given); it gets copies of the records without ``cluster_id``, and ``seconds`` times that
call. By default it is ``rashomon.stories.cluster_records``; while ``rashomon.stories`` does not
exist (or has no such function) the baseline stands in and the result says
``"system": "baseline-only"``.

Run: ``rashomon eval clustering FILE_OR_DIR [--json] [--baseline-only] [--shuffle SEED]``.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import math
import random
import time
from collections import Counter
from pathlib import Path
from typing import Any, Callable, Hashable, Iterable, Sequence

from ..errors import ClusteringEvalError, MalformedInput

__all__ = [
    "BASELINE_THRESHOLD",
    "THRESHOLD_RULE",
    "DEFAULT_SYSTEM",
    "ClusteringEvalError",
    "load_eval_file",
    "eval_files",
    "b3",
    "pairwise",
    "ami",
    "ari",
    "scores",
    "tfidf_distances",
    "tfidf_average_link",
    "average_link_tree",
    "cut_tree",
    "sweep_thresholds",
    "load_system",
    "evaluate_file",
    "evaluate",
]

DEFAULT_DATA = Path(__file__).resolve().parents[4] / "shared" / "data" / "stories"
DEFAULT_SYSTEM = "rashomon.stories:cluster_records"

#: Cosine-distance cut of the baseline, the same for every file.
BASELINE_THRESHOLD = 0.76
THRESHOLD_RULE = (
    "argmax of B3-F1 on allsides_2021_apr_jul.jsonl (whole set) over 0.01..0.99 step 0.01 "
    "(0.801 at 0.76; within 0.01 of it from 0.74 to 0.80); fixed here and applied unchanged to "
    "every file, so the AllSides figure is in-sample and the other four files are out-of-sample"
)
#: Thresholds tried by :func:`sweep_thresholds` (and the oracle diagnostic).
THRESHOLD_GRID = tuple(round(0.01 * i, 2) for i in range(1, 100))

Label = Hashable
ClusterFn = Callable[[list[dict]], Sequence[Label]]


# --------------------------------------------------------------------------------------- data

def _parse_date(value: Any) -> dt.datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    s = value.strip()
    if s.endswith("Z"):
        s = s[:-1] + "+00:00"
    try:
        d = dt.datetime.fromisoformat(s)
    except ValueError:
        return None
    if d.tzinfo is None:
        d = d.replace(tzinfo=dt.timezone.utc)
    return d.astimezone(dt.timezone.utc)


def eval_files(path: str | Path) -> list[Path]:
    """The evaluation files ``path`` names: itself, or every ``*.jsonl`` in it but ``*.roundups.jsonl``."""
    p = Path(path)
    if p.is_dir():
        files = sorted(f for f in p.glob("*.jsonl") if not f.name.endswith(".roundups.jsonl"))
        if not files:
            raise ClusteringEvalError(f"{p} holds no *.jsonl evaluation file (roundups are skipped); "
                                      "give a folder like …/data/stories or one .jsonl file")
        return files
    if p.is_file():
        return [p]
    raise ClusteringEvalError(f"{p} does not exist; give a .jsonl story file or a folder of them")


def load_eval_file(path: str | Path, *, shuffle_seed: int | None = None) -> list[dict]:
    """The records of one JSONL story file in stream order (by date, undated last, stable).

    Each record: ``id`` (unique in the file), ``source_id`` (the id as written), ``cluster_id``,
    ``outlet``, ``leaning``, ``url``, ``date`` (as written), ``published`` (aware UTC datetime or
    ``None``), ``title`` and ``text`` (``""`` when missing) and ``line`` (1-based line number).
    ``shuffle_seed``: shuffle the file order first (ties and undated records then come in a
    seeded random order instead of the file's).
    """
    p = Path(path)
    records: list[dict] = []
    seen: Counter = Counter()
    with p.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise MalformedInput(f"{p}:{lineno}", f"not a JSON object ({exc.msg}); "
                                     "expected one article per line") from exc
            if not isinstance(obj, dict):
                raise MalformedInput(f"{p}:{lineno}", "expected a JSON object per line")
            if obj.get("cluster_id") is None:
                raise MalformedInput(f"{p}:{lineno}", "no cluster_id (the gold story); every line needs one")
            source_id = obj.get("id")
            rid = str(source_id) if source_id is not None else f"line{lineno}"
            seen[rid] += 1
            records.append({
                "id": rid, "source_id": source_id, "cluster_id": str(obj["cluster_id"]),
                "outlet": obj.get("outlet"), "leaning": obj.get("leaning"), "url": obj.get("url"),
                "date": obj.get("date"), "published": _parse_date(obj.get("date")),
                "title": obj.get("title") or "", "text": obj.get("text") or "", "line": lineno,
            })
    for r in records:  # repeated ids (BASIL has three "empty") become unique, the first one too
        if seen[r["id"]] > 1 or r["source_id"] is None:
            r["id"] = f"{r['source_id']}@{r['line']}"
    if shuffle_seed is not None:
        random.Random(shuffle_seed).shuffle(records)
    far = dt.datetime.max.replace(tzinfo=dt.timezone.utc)
    records.sort(key=lambda r: (r["published"] is None, r["published"] or far))
    return records


# ------------------------------------------------------------------------------------ metrics

def _check(gold: Sequence, pred: Sequence) -> None:
    if len(gold) != len(pred):
        raise ClusteringEvalError(f"{len(gold)} gold labels but {len(pred)} predicted; "
                                  "a clustering must give exactly one label per record")


def b3(gold: Sequence[Label], pred: Sequence[Label]) -> tuple[float, float, float]:
    """B-cubed (precision, recall, F1) of ``pred`` against ``gold``, averaged over items.

    Empty input is vacuously perfect: ``(1.0, 1.0, 1.0)``.
    """
    _check(gold, pred)
    n = len(gold)
    if n == 0:
        return 1.0, 1.0, 1.0
    joint = Counter(zip(gold, pred))
    g_size, p_size = Counter(gold), Counter(pred)
    # Σ_items |C∩G|/|C| = Σ_cells n_gc² / |C|
    precision = sum(c * c / p_size[pk] for (_, pk), c in joint.items()) / n
    recall = sum(c * c / g_size[gk] for (gk, _), c in joint.items()) / n
    return precision, recall, _f1(precision, recall)


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r > 0 else 0.0


def _pairs(counts: Iterable[int]) -> int:
    return sum(c * (c - 1) // 2 for c in counts)


def pairwise(gold: Sequence[Label], pred: Sequence[Label]) -> tuple[float, float, float]:
    """Pairwise (precision, recall, F1) over unordered item pairs clustered together.

    No predicted pairs → precision 1; no gold pairs → recall 1 (nothing claimed / nothing to find).
    """
    _check(gold, pred)
    together = _pairs(Counter(zip(gold, pred)).values())
    pred_pairs, gold_pairs = _pairs(Counter(pred).values()), _pairs(Counter(gold).values())
    precision = together / pred_pairs if pred_pairs else 1.0
    recall = together / gold_pairs if gold_pairs else 1.0
    return precision, recall, _f1(precision, recall)


def _codes(labels: Sequence[Label]) -> list[int]:
    index: dict = {}
    return [index.setdefault(x, len(index)) for x in labels]


def ami(gold: Sequence[Label], pred: Sequence[Label]) -> float:
    """Adjusted mutual information (scikit-learn, arithmetic mean normalisation)."""
    from sklearn.metrics import adjusted_mutual_info_score

    _check(gold, pred)
    return float(adjusted_mutual_info_score(_codes(gold), _codes(pred)))


def ari(gold: Sequence[Label], pred: Sequence[Label]) -> float:
    """Adjusted Rand index (scikit-learn)."""
    from sklearn.metrics import adjusted_rand_score

    _check(gold, pred)
    return float(adjusted_rand_score(_codes(gold), _codes(pred)))


def scores(gold: Sequence[Label], pred: Sequence[Label]) -> dict:
    """Every metric of ``pred`` against ``gold`` plus the counts, rounded to 4 places."""
    bp, br, bf = b3(gold, pred)
    pp, pr, pf = pairwise(gold, pred)
    out = {"b3_f1": bf, "b3_precision": bp, "b3_recall": br, "ami": ami(gold, pred), "ari": ari(gold, pred),
           "pairwise_f1": pf, "pairwise_precision": pp, "pairwise_recall": pr}
    out = {k: round(v, 4) for k, v in out.items()}
    out.update(n_articles=len(gold), n_gold=len(set(gold)), n_pred=len(set(pred)))
    return out


# ----------------------------------------------------------------------------------- baseline

def _doc(record: dict) -> str:
    title, text = record.get("title") or "", record.get("text") or ""
    # ECB+, GVC and NewsWCL50 texts begin with their title already: count it once
    return text if title and text.startswith(title) else f"{title}\n{text}"


def tfidf_distances(records: Sequence[dict]):
    """Cosine distances (dense ``n × n`` numpy array) between TF-IDF vectors of title + text.

    TfidfVectorizer(sublinear_tf=True, stop_words="english"), L2-normalised rows; a record with
    no usable word is at distance 1 from every other (sklearn's metric="cosine" refuses it).
    """
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    docs = [_doc(r) for r in records]
    try:
        x = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(docs)
    except ValueError:  # no record has a single non-stop word: everything is equally far apart
        d = np.ones((len(docs), len(docs)))
        np.fill_diagonal(d, 0.0)
        return d
    sim = (x @ x.T).toarray()
    d = np.clip(1.0 - sim, 0.0, 2.0)
    np.fill_diagonal(d, 0.0)
    return d


def _agglomerative(threshold: float | None):
    from sklearn.cluster import AgglomerativeClustering

    if threshold is None:  # the full tree, for cutting at many thresholds
        return AgglomerativeClustering(n_clusters=None, metric="precomputed", linkage="average",
                                       distance_threshold=0.0, compute_full_tree=True)
    return AgglomerativeClustering(n_clusters=None, metric="precomputed", linkage="average",
                                   distance_threshold=threshold)


def tfidf_average_link(records: Sequence[dict], threshold: float = BASELINE_THRESHOLD) -> list[int]:
    """The baseline: average-link clusters of TF-IDF cosine distance, merged while below ``threshold``.

    Same clusters as ``AgglomerativeClustering(metric="cosine", linkage="average",
    distance_threshold=threshold)`` on the TF-IDF rows, computed from the precomputed distances.
    """
    n = len(records)
    if n == 0:
        return []
    if n == 1:
        return [0]
    return [int(x) for x in _agglomerative(threshold).fit_predict(tfidf_distances(records))]


def average_link_tree(distances) -> tuple[list[tuple[int, int]], list[float]]:
    """The full average-link merge tree of a distance matrix: (children, merge distances) as sklearn numbers them."""
    model = _agglomerative(None).fit(distances)
    return [tuple(map(int, c)) for c in model.children_], [float(d) for d in model.distances_]


def cut_tree(n: int, children: Sequence[tuple[int, int]], heights: Sequence[float], threshold: float) -> list[int]:
    """Flat labels from a merge tree: every merge below ``threshold`` applied (sklearn's cut rule).

    Average link has no inversions, so this equals refitting with ``distance_threshold=threshold``.
    """
    parent = list(range(2 * n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for k, ((a, b), h) in enumerate(zip(children, heights)):
        if h >= threshold:
            break
        parent[find(a)] = parent[find(b)] = n + k
    return _codes([find(i) for i in range(n)])


def sweep_thresholds(records: Sequence[dict], grid: Iterable[float] = THRESHOLD_GRID) -> list[dict]:
    """The baseline's B³/AMI/ARI at every threshold of ``grid`` (one TF-IDF and one tree, many cuts)."""
    gold = [r["cluster_id"] for r in records]
    n = len(records)
    if n < 2:
        return [{"threshold": t, **scores(gold, list(range(n)))} for t in grid]
    children, heights = average_link_tree(tfidf_distances(records))
    return [{"threshold": t, **scores(gold, cut_tree(n, children, heights, t))} for t in grid]


def _oracle(records: Sequence[dict]) -> dict:
    rows = sweep_thresholds(records)
    best = max(r["b3_f1"] for r in rows)
    ties = [r["threshold"] for r in rows if r["b3_f1"] == best]
    row = next(r for r in rows if r["b3_f1"] == best)
    return {"note": "DIAGNOSTIC ONLY: the threshold chosen on this file's own gold; not a fair baseline score",
            "threshold": row["threshold"], "best_thresholds": [ties[0], ties[-1]],
            **{k: row[k] for k in ("b3_f1", "b3_precision", "b3_recall", "ami", "ari", "n_pred")}}


# ------------------------------------------------------------------------------------- system

def load_system(spec: str = DEFAULT_SYSTEM, *, required: bool = False) -> ClusterFn | None:
    """The clusterer named ``module:function``, or ``None`` when its module is not there (unless ``required``).

    Only a missing module itself (or a missing function in it, for the default) lets the baseline
    stand in; an import error *inside* an existing module is a bug and is raised.
    """
    module_name, _, func_name = spec.partition(":")
    if not module_name or not func_name:
        raise ClusteringEvalError(f"system {spec!r} is not MODULE:FUNCTION, e.g. {DEFAULT_SYSTEM}")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        missing = exc.name or ""
        if not (module_name == missing or module_name.startswith(missing + ".")):
            raise  # the module exists but one of its own imports fails: a bug to see, not to hide
        if required:
            raise ClusteringEvalError(f"cannot import {module_name} (for system {spec!r}); give an "
                                      "importable MODULE:FUNCTION or use --baseline-only") from exc
        return None
    fn = getattr(module, func_name, None)
    if fn is None:
        if required:
            raise ClusteringEvalError(f"{module_name} has no {func_name}; expected a function "
                                      "records -> labels (one label per record, in order)")
        return None
    return fn


# --------------------------------------------------------------------------------- evaluation

def _blind(records: Sequence[dict]) -> list[dict]:
    """Copies of the records without the gold ``cluster_id``: what a clusterer may see."""
    return [{k: v for k, v in r.items() if k != "cluster_id"} for r in records]


def _run(fn: Callable[[list[dict]], Sequence[Label]], records: list[dict], gold: list[str], what: str) -> dict:
    blind = _blind(records)
    t0 = time.perf_counter()
    labels = list(fn(blind))
    seconds = time.perf_counter() - t0
    if len(labels) != len(records):
        raise ClusteringEvalError(f"{what} gave {len(labels)} labels for {len(records)} records; "
                                  "expected one label per record, in the order given")
    return {**scores(gold, labels), "seconds": round(seconds, 3)}


def evaluate_file(path: str | Path, cluster_fn: ClusterFn | None = None, *,
                  threshold: float = BASELINE_THRESHOLD, oracle: bool = True,
                  shuffle_seed: int | None = None, system_name: str | None = None) -> dict:
    """Scores of ``cluster_fn`` on one file, with the baseline's from the same run under ``baseline``.

    ``cluster_fn(records) -> labels`` receives the records in stream order. Without one, the
    top-level figures are the baseline's and ``system`` is ``"baseline-only"``.
    """
    p = Path(path)
    records = load_eval_file(p, shuffle_seed=shuffle_seed)
    if not records:
        raise ClusteringEvalError(f"{p} holds no articles; expected one JSON article per line")
    gold = [r["cluster_id"] for r in records]
    import sklearn.cluster  # noqa: F401 -- imported before the clock starts, not timed as clustering
    import sklearn.feature_extraction.text  # noqa: F401

    base = _run(lambda rs: tfidf_average_link(rs, threshold), records, gold, "the baseline")
    base.update(threshold=threshold, threshold_rule=THRESHOLD_RULE if threshold == BASELINE_THRESHOLD
                else "given by the caller")
    if cluster_fn is None:
        result = {"file": p.name, "system": "baseline-only", **{k: v for k, v in base.items()
                                                                if k not in ("threshold", "threshold_rule")}}
    else:
        name = system_name or (f"{getattr(cluster_fn, '__module__', '?')}:"
                               f"{getattr(cluster_fn, '__qualname__', repr(cluster_fn))}")
        result = {"file": p.name, "system": name, **_run(cluster_fn, records, gold, name)}
    result["n_undated"] = sum(r["published"] is None for r in records)
    result["order"] = "date, undated last, " + ("file order within ties" if shuffle_seed is None
                                                else f"shuffled within ties (seed {shuffle_seed})")
    result["baseline"] = base
    if oracle:
        result["oracle_diagnostic"] = _oracle(records)
    return result


_MEAN_KEYS = ("b3_f1", "b3_precision", "b3_recall", "ami", "ari", "pairwise_f1")
_SUM_KEYS = ("n_articles", "n_gold", "n_pred", "seconds")


def _aggregate(results: list[dict]) -> dict:
    out = {k: round(sum(r[k] for r in results) / len(results), 4) for k in _MEAN_KEYS}
    out.update({k: round(sum(r[k] for r in results), 3) for k in _SUM_KEYS})
    return out


def evaluate(path_or_dir: str | Path, cluster_fn: ClusterFn | None = None, *, baseline_only: bool = False,
             system: str = DEFAULT_SYSTEM, threshold: float = BASELINE_THRESHOLD, oracle: bool = True,
             shuffle_seed: int | None = None, orders: int = 1) -> dict:
    """One file's result (:func:`evaluate_file`), or for a folder every file's under ``files``.

    A folder's top-level figures are the macro-average over files (counts and seconds summed).
    Without ``cluster_fn`` the clusterer is ``system`` (``module:function``) when it can be
    imported, else the baseline alone (``"system": "baseline-only"``).

    ``orders`` > 1 streams each file that many times — in the order ``shuffle_seed`` gives (file
    order when None), then shuffled with the next seeds — and reports the mean of each score, since
    an online clusterer's result depends on the order articles arrive in (undated sets especially).
    """
    if orders > 1:
        seeds = [shuffle_seed] + [(shuffle_seed or 0) + k for k in range(1, orders)]
        runs = [evaluate(path_or_dir, cluster_fn, baseline_only=baseline_only, system=system, threshold=threshold,
                         oracle=oracle and k == 0, shuffle_seed=seed) for k, seed in enumerate(seeds)]
        return _mean_over_orders(runs, seeds)
    note, name = None, None
    if baseline_only:
        cluster_fn, note = None, "--baseline-only asked for"
    elif cluster_fn is None:
        cluster_fn, name = load_system(system, required=system != DEFAULT_SYSTEM), system
        if cluster_fn is None:
            note = f"{system} is not available (module or function missing): the baseline stands in"
    files = eval_files(path_or_dir)
    kwargs = dict(threshold=threshold, oracle=oracle, shuffle_seed=shuffle_seed, system_name=name)
    if Path(path_or_dir).is_file():
        result = evaluate_file(files[0], cluster_fn, **kwargs)
    else:
        per_file = {f.name: evaluate_file(f, cluster_fn, **kwargs) for f in files}
        results = list(per_file.values())
        result = {"data": str(path_or_dir), "system": results[0]["system"],
                  "aggregate": "macro-average over files (counts and seconds summed)",
                  **_aggregate(results), "baseline": {**_aggregate([r["baseline"] for r in results]),
                                                      "threshold": threshold},
                  "files": per_file}
    if note:
        result["system_note"] = note
    return result


def _mean_over_orders(runs: list[dict], seeds: list[int | None]) -> dict:
    """The first run's result with every score the mean over ``runs`` (seconds summed)."""
    def mean(entries: list[dict]) -> dict:
        out = {**entries[0], **{k: round(sum(e[k] for e in entries) / len(entries), 4) for k in _MEAN_KEYS}}
        out["seconds"] = round(sum(e["seconds"] for e in entries), 3)
        if "baseline" in out:
            out["baseline"] = {**entries[0]["baseline"], **mean([e["baseline"] for e in entries])}
        return out

    first = runs[0]
    if "files" not in first:
        result = mean(runs)
    else:
        files = {name: mean([r["files"][name] for r in runs]) for name in first["files"]}
        per_file = list(files.values())
        result = {**first, **_aggregate(per_file),
                  "baseline": {**_aggregate([f["baseline"] for f in per_file]), "threshold": first["baseline"]["threshold"]},
                  "files": files}
    result["orders"] = ["file order" if seed is None else f"shuffle {seed}" for seed in seeds]
    return result


# ---------------------------------------------------------------------------------------- CLI

def _table(result: dict) -> str:
    rows = result["files"] if "files" in result else {result["file"]: result}
    head = f"{'file':34} {'who':9} {'B3-P':>6} {'B3-R':>6} {'B3-F1':>6} {'AMI':>6} {'ARI':>6} {'gold':>5} {'pred':>5} {'sec':>7}"
    lines = [f"system: {result['system']}", head]
    for name, r in rows.items():
        whos = [("baseline", r["baseline"])] if r["system"] == "baseline-only" else [("system", r), ("baseline", r["baseline"])]
        if "oracle_diagnostic" in r:
            whos.append(("oracle*", {**r["oracle_diagnostic"], "n_gold": r["n_gold"], "seconds": math.nan}))
        for who, s in whos:
            lines.append(f"{name[:34]:34} {who:9} {s['b3_precision']:6.3f} {s['b3_recall']:6.3f} {s['b3_f1']:6.3f} "
                         f"{s['ami']:6.3f} {s['ari']:6.3f} {s['n_gold']:5d} {s['n_pred']:5d} {s['seconds']:7.2f}")
    if "orders" in result:
        lines.append(f"scores: mean over {len(result['orders'])} stream orders ({', '.join(result['orders'])})")
    lines.append(f"baseline threshold {BASELINE_THRESHOLD}: {THRESHOLD_RULE}")
    lines.append("oracle* = best threshold on each file's own gold: a diagnostic, not a score")
    return "\n".join(lines)
