"""Claim-vs-source consistency (rashomon.evaluation.summedits) on small invented documents."""

from __future__ import annotations

import json

import numpy as np
import pytest

from rashomon.errors import EvaluationError
from rashomon.evaluation import summedits as se

from .wordvectors import WordCountEncoder

DOC = ("The city council of Marlow voted on Tuesday to close the old harbour bridge after engineers found "
       "cracks in two of its pillars. Repairs will cost 4 million pounds, the council said.\n\n"
       "Traffic grew sharply on the ring road as drivers looked for other routes. Mayor Ellen Birch said the "
       "bridge would reopen in March.\n\nShop owners near the harbour said sales fell in the first week.")

FAITHFUL = "Marlow's council voted to close the harbour bridge after engineers found cracks in its pillars."
NUMBER = "Repairs to the harbour bridge in Marlow will cost 9 million pounds, the council said."
NEGATED = "The city council of Marlow did not vote to close the old harbour bridge after engineers found cracks."
ENTITY = "Mayor Tom Hargreaves said the harbour bridge would reopen in March."
ANTONYM = "Shop owners near the harbour said sales rose in the first week."


@pytest.fixture(scope="module")
def verdicts():
    enc = WordCountEncoder()
    return {name: se.check_pair(DOC, text, encoder=enc)
            for name, text in [("faithful", FAITHFUL), ("number", NUMBER), ("negated", NEGATED),
                               ("entity", ENTITY), ("antonym", ANTONYM)]}


def test_a_faithful_summary_is_supported_and_each_edit_is_caught_by_its_own_check(verdicts):
    assert verdicts["faithful"].supported, verdicts["faithful"].reasons
    assert "new_numbers" in verdicts["number"].reasons
    assert "negation_mismatch" in verdicts["negated"].reasons
    assert "new_entities" in verdicts["entity"].reasons
    assert "antonym_swaps" in verdicts["antonym"].reasons
    for v in verdicts.values():
        assert set(v.features) == set(se.FEATURES)
        assert v.supported == (not v.reasons)


def test_folds_keep_the_edits_of_one_original_summary_together():
    groups = [se.group_of(f"doc{i % 7}_{j}") for i in range(7) for j in range(i + 2)]
    folds = se.grouped_folds(groups, k=3, seed=1)
    seen = np.concatenate(folds)
    assert sorted(seen.tolist()) == list(range(len(groups)))
    owner = {}
    for f, idx in enumerate(folds):
        for i in idx:
            assert owner.setdefault(groups[i], f) == f
    assert se.group_of("63f9_og") == "63f9" and se.group_of("a_b_12") == "a_b"
    with pytest.raises(EvaluationError, match="at least two"):
        se.grouped_folds(["x", "x"], k=5)


def test_balanced_accuracy_weighs_both_classes():
    assert se.balanced_accuracy([0, 0, 0, 1], [0, 0, 0, 0]) == pytest.approx(0.5)
    assert se.balanced_accuracy([0, 1, 1, 1], [0, 1, 1, 0]) == pytest.approx((1 + 2 / 3) / 2)


def test_bad_files_are_refused_with_the_record_named(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([{"id": "a_1", "doc": "x", "summary": "y", "label": "maybe"}]))
    with pytest.raises(EvaluationError, match="record 0"):
        se.load_pairs(bad)
    bad.write_text("{not json")
    with pytest.raises(EvaluationError, match="JSON"):
        se.load_pairs(bad)


def test_a_small_run_scores_three_systems_and_reads_back_its_cache(tmp_path):
    other = ("A storm closed the ferry between Holm and Skerry on Friday. Three crossings were cancelled and "
             "the operator said service would resume on Sunday.")
    rows = [{"id": "m_og", "doc": DOC, "summary": FAITHFUL, "label": 1, "edit_types": []},
            {"id": "m_1", "doc": DOC, "summary": NUMBER, "label": "0", "edit_types": ["entity_modification"]},
            {"id": "m_2", "doc": DOC, "summary": ANTONYM, "label": 0, "edit_types": ["antonym_swap"]},
            {"id": "f_og", "doc": other, "summary": "A storm closed the ferry between Holm and Skerry.",
             "label": 1, "edit_types": []},
            {"id": "f_1", "doc": other, "summary": "A storm closed the ferry between Holm and Skerry for a month.",
             "label": 0, "edit_types": ["hallucinated_fact_insertion"]}]
    data = tmp_path / "pairs.json"
    data.write_text(json.dumps(rows))
    cache = tmp_path / "cache"
    result = se.evaluate(data, cache_dir=cache, folds=5, encoder=WordCountEncoder())
    assert result["n_pairs"] == 5 and result["n_groups"] == 2 and result["logreg"]["folds"] == 2
    for name in ("rule", "logreg", "baseline"):
        assert 0 <= result[name]["balanced_accuracy"] <= 100
    assert result["rule"]["per_edit_type"]["entity_modification"] == {"n": 1, "recall": 1.0}
    assert len(list(cache.glob("*.json"))) == 7          # two documents, five summaries
    again = se.evaluate(data, cache_dir=cache, limit=3, encoder=WordCountEncoder())
    assert again["seconds"]["cached_readings"] and again["n_pairs"] == 3
    assert "note" in again                                  # one original summary: no cross-validation
    assert "rule" in se._table(result)
