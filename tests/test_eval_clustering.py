"""The story-clustering evaluation: metrics on hand-computed examples, the TF-IDF baseline, the harness."""

from __future__ import annotations

import json
import random
import sys
import types
from collections import defaultdict

import pytest

pytest.importorskip("sklearn")

from rashomon.errors import MalformedInput  # noqa: E402
from rashomon.evaluation import clustering as ce  # noqa: E402
from rashomon.evaluation.clustering import (  # noqa: E402
    ClusteringEvalError, ami, ari, b3, evaluate, evaluate_file, load_eval_file, pairwise, scores,
    tfidf_average_link)

GOLD = ["a", "a", "b", "b", "b"]


def close(x, y, tol=1e-9):
    return all(abs(p - q) < tol for p, q in zip(x, y))


# --- metrics ----------------------------------------------------------------------------------

def test_perfect_is_one_whatever_the_label_names():
    pred = [7, 7, "x", "x", "x"]
    assert close(b3(GOLD, pred), (1, 1, 1))
    assert close(pairwise(GOLD, pred), (1, 1, 1))
    assert ami(GOLD, pred) == pytest.approx(1.0)
    assert ari(GOLD, pred) == pytest.approx(1.0)


def test_all_in_one_cluster():
    # items of a: |C∩G|/|C| = 2/5, items of b: 3/5 → P = (2·.4 + 3·.6)/5 = .52, R = 1
    p, r, f = b3(GOLD, [0] * 5)
    assert (p, r) == (pytest.approx(0.52), pytest.approx(1.0))
    assert f == pytest.approx(2 * 0.52 / 1.52)
    # 10 pairs predicted, 1 + 3 of them gold
    assert close(pairwise(GOLD, [0] * 5), (0.4, 1.0, 2 * 0.4 / 1.4))
    assert ari(GOLD, [0] * 5) == pytest.approx(0.0)
    assert ami(GOLD, [0] * 5) == pytest.approx(0.0, abs=1e-9)


def test_all_singletons():
    # P = 1; R: items of a 1/2, items of b 1/3 → (2·½ + 3·⅓)/5 = .4
    assert close(b3(GOLD, range(5)), (1.0, 0.4, 2 * 0.4 / 1.4))
    # no predicted pair: precision vacuously 1, recall 0
    assert close(pairwise(GOLD, range(5)), (1.0, 0.0, 0.0))
    assert ari(GOLD, list(range(5))) == pytest.approx(0.0)


def test_known_b3_pairwise_and_ari_values():
    gold, pred = [1, 1, 1, 2, 2], [1, 1, 2, 2, 2]
    # per item (P, R): (1, ⅔) (1, ⅔) (⅓, ⅓) (⅔, 1) (⅔, 1) → P = R = 11/15
    assert close(b3(gold, pred), (11 / 15, 11 / 15, 11 / 15))
    # pairs: gold 3 + 1, predicted 1 + 3, shared 2
    assert close(pairwise(gold, pred), (0.5, 0.5, 0.5))
    # ARI = (2 − 4·4/10) / ((4 + 4)/2 − 4·4/10) = 0.4 / 2.4
    assert ari(gold, pred) == pytest.approx(1 / 6)


def _b3_by_items(gold, pred):
    """The definition, item by item (quadratic), as a reference."""
    n = len(gold)
    ps, rs = [], []
    for i in range(n):
        same_c = {j for j in range(n) if pred[j] == pred[i]}
        same_g = {j for j in range(n) if gold[j] == gold[i]}
        ps.append(len(same_c & same_g) / len(same_c))
        rs.append(len(same_c & same_g) / len(same_g))
    p, r = sum(ps) / n, sum(rs) / n
    return p, r, 2 * p * r / (p + r)


def test_b3_matches_the_item_by_item_definition():
    rng = random.Random(3)
    for _ in range(50):
        n = rng.randint(1, 30)
        gold = [rng.randint(0, 5) for _ in range(n)]
        pred = [rng.choice("pqrstu") for _ in range(n)]
        assert close(b3(gold, pred), _b3_by_items(gold, pred))
        p, r, f = _b3_by_items(gold, pred)
        assert close(b3(pred, gold), (r, p, f))  # swapping the roles swaps precision and recall


def test_metric_edge_cases():
    assert b3([], []) == (1.0, 1.0, 1.0)
    with pytest.raises(ClusteringEvalError, match="one label per record"):
        b3([1, 2], [1])
    s = scores(GOLD, ["x"] * 5)
    assert {"b3_f1", "b3_precision", "b3_recall", "ami", "ari", "pairwise_f1",
            "n_articles", "n_gold", "n_pred"} <= set(s)
    assert (s["n_articles"], s["n_gold"], s["n_pred"]) == (5, 2, 1)


# --- the baseline -----------------------------------------------------------------------------

FOOTBALL = ("Manchester United beat Liverpool 3-1 at Old Trafford on Sunday; the striker scored twice in the "
            "second half and the manager praised the defence after the league match.")
RATES = ("The central bank raised interest rates by half a point on Wednesday to fight inflation; the governor "
         "said borrowing costs for mortgages and loans would stay high while prices keep rising.")
WILDFIRE = ("Firefighters battled a wildfire in the hills above the town overnight as strong winds pushed the "
            "flames toward homes and thousands of residents were ordered to evacuate.")


def _rec(i, title, text, date=None, cluster="g"):
    return {"id": str(i), "cluster_id": cluster, "title": title, "text": text, "date": date, "outlet": None}


def test_baseline_separates_topics_and_groups_duplicates():
    records = [
        _rec(0, "United beat Liverpool", FOOTBALL),
        _rec(1, "Rates rise again", RATES),
        _rec(2, "United beat Liverpool", FOOTBALL),  # an exact syndicated copy
        _rec(3, "Manchester United win", FOOTBALL.replace("on Sunday", "yesterday")),
        _rec(4, "Central bank lifts rates", RATES.replace("half a point", "0.5 percentage points")),
        _rec(5, "Wildfire forces evacuations", WILDFIRE),
    ]
    labels = tfidf_average_link(records)
    assert labels[0] == labels[2] == labels[3]
    assert labels[1] == labels[4]
    assert len({labels[0], labels[1], labels[5]}) == 3


def test_baseline_edge_cases_and_sklearn_equivalence():
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    assert tfidf_average_link([]) == []
    assert tfidf_average_link([_rec(0, "x", FOOTBALL)]) == [0]
    # records with no usable word (only stop words / empty) are singletons, not an error
    assert len(set(tfidf_average_link([_rec(0, "", ""), _rec(1, "the", "and of"), _rec(2, "", "")]))) == 3
    records = [_rec(i, t, x) for i, (t, x) in enumerate(
        [("a", FOOTBALL), ("b", RATES), ("c", WILDFIRE), ("d", FOOTBALL[:90]), ("e", RATES[40:])])]
    x = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(
        [f"{r['title']}\n{r['text']}" for r in records]).toarray()
    d = ce.tfidf_distances(records)
    children, heights = ce.average_link_tree(d)
    for t in (0.3, 0.6, 0.76, 0.9, 0.99):
        literal = AgglomerativeClustering(metric="cosine", linkage="average", distance_threshold=t,
                                          n_clusters=None).fit_predict(x)
        ours = tfidf_average_link(records, t)
        assert ari(literal, ours) == pytest.approx(1.0)
        assert ari(ce.cut_tree(len(records), children, heights, t), ours) == pytest.approx(1.0)


# --- files and the harness --------------------------------------------------------------------

def _write(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _story_rows():
    return [
        _rec("f1", "United beat Liverpool", FOOTBALL, "2021-05-02T18:00:00+01:00", "foot"),
        _rec("r1", "Rates rise again", RATES, "2021-05-01", "rates"),
        _rec("f2", "Manchester United win", FOOTBALL.replace("on Sunday", "yesterday"), None, "foot"),
        _rec("r2", "Central bank lifts rates", RATES, "2021-05-02T16:30:00Z", "rates"),
        _rec("w1", "Wildfire forces evacuations", WILDFIRE, "not a date", "fire"),
    ]


def test_load_eval_file_orders_by_date_undated_last_stable(tmp_path):
    rows = _story_rows() + [_rec("r1", "dup id", RATES, None, "rates")]
    records = load_eval_file(_write(tmp_path / "s.jsonl", rows))
    # 05-01 00:00Z, 05-02 16:30Z, 05-02 17:00Z (18:00+01:00), then the undated in file order
    assert [r["source_id"] for r in records] == ["r1", "r2", "f1", "f2", "w1", "r1"]
    assert [r["id"] for r in records] == ["r1@2", "r2", "f1", "f2", "w1", "r1@6"]  # repeated ids made unique
    assert records[0]["published"].isoformat() == "2021-05-01T00:00:00+00:00"
    assert records[-2]["published"] is None and records[-2]["date"] == "not a date"
    assert {"id", "cluster_id", "date", "title", "text", "outlet"} <= set(records[0])


def test_load_eval_file_rejects_broken_lines(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": 1, "cluster_id": "a", "text": "x"}\n{"id": 2, "text"\n', encoding="utf-8")
    with pytest.raises(MalformedInput, match="bad.jsonl:2"):
        load_eval_file(bad)
    _write(bad, [{"id": 1, "text": "no gold"}])
    with pytest.raises(MalformedInput, match="cluster_id"):
        load_eval_file(bad)


def test_evaluate_file_with_a_system(tmp_path):
    path = _write(tmp_path / "s.jsonl", _story_rows())
    seen = []

    def by_first_title_word(records):
        seen.extend(records)
        return [r["title"].split()[0] for r in records]

    result = evaluate_file(path, by_first_title_word)
    assert all("cluster_id" not in r for r in seen)  # the system never sees the gold
    assert [r["id"] for r in seen] == ["r1", "r2", "f1", "f2", "w1"]  # stream order
    for key in ("b3_f1", "b3_precision", "b3_recall", "ami", "ari", "pairwise_f1",
                "n_articles", "n_gold", "n_pred", "seconds", "baseline", "oracle_diagnostic"):
        assert key in result
    assert (result["n_articles"], result["n_gold"], result["n_pred"]) == (5, 3, 5)
    assert result["baseline"]["b3_f1"] == 1.0 and result["baseline"]["threshold"] == ce.BASELINE_THRESHOLD
    assert "DIAGNOSTIC" in result["oracle_diagnostic"]["note"]
    with pytest.raises(ClusteringEvalError, match="2 labels for 5 records"):
        evaluate_file(path, lambda records: [0, 1])


def test_evaluate_folder_system_spec_and_cli(tmp_path, monkeypatch):
    _write(tmp_path / "one.jsonl", _story_rows())
    _write(tmp_path / "two.jsonl", _story_rows()[:3])
    _write(tmp_path / "one.roundups.jsonl", [{"cluster_id": "x", "roundup": ["…"]}])
    fake = types.ModuleType("fake_story_clusterer")
    fake.cluster = lambda records: [0] * len(records)
    monkeypatch.setitem(sys.modules, "fake_story_clusterer", fake)

    result = evaluate(tmp_path, system="fake_story_clusterer:cluster", oracle=False)
    assert sorted(result["files"]) == ["one.jsonl", "two.jsonl"]  # roundups skipped
    assert result["system"] == "fake_story_clusterer:cluster"
    assert result["n_articles"] == 8
    assert result["b3_recall"] == 1.0 and result["baseline"]["b3_f1"] == 1.0

    with pytest.raises(ClusteringEvalError, match="cannot import"):
        evaluate(tmp_path, system="no_such_module_here:cluster")
    with pytest.raises(ClusteringEvalError, match="has no nope"):
        evaluate(tmp_path, system="fake_story_clusterer:nope")
    assert ce.load_system("no_such_module_here:cluster") is None  # the default's way: baseline stands in

    from typer.testing import CliRunner

    from rashomon.cli import app

    run = CliRunner().invoke(app, ["eval", "clustering", str(tmp_path / "one.jsonl"), "--json",
                                   "--baseline-only", "--no-oracle"])
    assert run.exit_code == 0, run.output
    out = json.loads(run.stdout)
    assert out["system"] == "baseline-only" and out["b3_f1"] == out["baseline"]["b3_f1"] == 1.0
    assert CliRunner().invoke(app, ["eval", "clustering", str(tmp_path / "missing.jsonl"), "--json"]).exit_code == 2


def test_shuffle_changes_only_the_order_of_ties(tmp_path):
    rows = [_rec(i, f"t{i}", FOOTBALL, None, str(i % 3)) for i in range(12)]
    path = _write(tmp_path / "s.jsonl", rows)
    a = [r["id"] for r in load_eval_file(path, shuffle_seed=1)]
    assert a == [r["id"] for r in load_eval_file(path, shuffle_seed=1)]
    assert a != [str(i) for i in range(12)] and sorted(a, key=int) == [str(i) for i in range(12)]
    groups = defaultdict(list)
    for r in load_eval_file(path):
        groups[r["cluster_id"]].append(r["id"])
    assert groups["0"] == ["0", "3", "6", "9"]


def test_orders_report_the_mean_over_stream_orders(tmp_path, monkeypatch):
    rows = [_rec(i, f"t{i}", FOOTBALL, None, str(i % 3)) for i in range(9)]
    _write(tmp_path / "s.jsonl", rows)
    fake = types.ModuleType("fake_order_clusterer")
    # Order-dependent on purpose: the first two records it sees share a story, the rest are alone.
    fake.cluster = lambda records: [0, 0] + list(range(1, len(records) - 1))
    monkeypatch.setitem(sys.modules, "fake_order_clusterer", fake)
    spec = "fake_order_clusterer:cluster"

    single = [evaluate(tmp_path, system=spec, oracle=False, shuffle_seed=s)["files"]["s.jsonl"] for s in (None, 1, 2)]
    assert len({r["b3_f1"] for r in single}) > 1                 # the order matters for this clusterer
    result = evaluate(tmp_path, system=spec, orders=3)
    assert result["orders"] == ["file order", "shuffle 1", "shuffle 2"]
    got = result["files"]["s.jsonl"]
    for key in ("b3_f1", "ami", "ari"):
        assert got[key] == pytest.approx(sum(r[key] for r in single) / 3, abs=1e-4)
    assert result["b3_f1"] == got["b3_f1"]                        # one file: the macro mean is its mean
    assert got["baseline"]["b3_f1"] == single[0]["baseline"]["b3_f1"]   # the baseline ignores order
    assert "oracle_diagnostic" in got
