"""Loaded language, tone toward actors, and the BABE / BASIL evaluations (on synthetic data here)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest

from rashomon.errors import ConfigError, EvaluationError
from rashomon.framing import actor_tone, article_tone, loaded_spans, sentence_loadedness
from rashomon.framing.loaded import (BIASED_THRESHOLD, load_lexicon, parse_lexicon, sentence_bounds,
                                     text_loadedness)

from .conftest import EXAMPLES, SHARED

HEADER = "term\tcategory\tweight\tpolarity\tpos"


def texts_of(spans, **where):
    return [s["text"] for s in spans if all(s[k] == v for k, v in where.items())]


def analysis(text: str, sentences=None, actors=(), quotes=()) -> dict:
    """A hand-built analysis: sentences split at end punctuation, actors given as {id: [surface, ...]}."""
    if sentences is None:
        sentences = sentence_bounds(text)
    mentions, actor_rows = [], []
    for actor_id, surfaces in dict(actors).items():
        spans = []
        for surface in surfaces:
            pos = text.find(surface)
            while pos >= 0:
                spans.append([pos, pos + len(surface)])
                sent = next(i for i, (a, b) in enumerate(sentences) if a <= pos < b)
                mentions.append({"start": pos, "end": pos + len(surface), "text": surface, "label": "PERSON",
                                 "sentence": sent, "actor": actor_id})
                pos = text.find(surface, pos + 1)
        actor_rows.append({"id": actor_id, "name": surfaces[0], "type": "person", "aliases": list(surfaces),
                           "mentions": sorted(spans)})
    quote_rows = []
    for inside, speaker in quotes:
        pos = text.find(inside)
        quote_rows.append({"start": pos, "end": pos + len(inside), "text": inside, "speaker": speaker})
    return {"sentences": [{"start": a, "end": b, "attribution": {"source": None, "kind": "none"}, "hedges": []}
                          for a, b in sentences],
            "mentions": sorted(mentions, key=lambda m: m["start"]), "actors": actor_rows, "quotes": quote_rows}


# --- lexicon ----------------------------------------------------------------------------------

def test_lexicon_inflects_and_checks_its_lines():
    lx = parse_lexicon([HEADER, "lambast\tcharged_verb\t1.0\t-1\tv", "bloodbath\tcharged_noun\t1.0\t-1\tn",
                        "brutal\tcharged_adjective\t1.0\t-1\ta", "freedom fighter\tlabel\t1.0\t1\tn",
                        "lash out\tcharged_verb\t0.8\t-1\tv", "slam|slammed\tcharged_verb\t1\t-1\tx"])
    for form in ("lambasted", "lambasting", "bloodbaths", "brutally", "freedom fighters", "lashed out", "slammed"):
        assert form in lx.forms, form
    assert "slams" not in lx.forms   # exact forms only
    with pytest.raises(ConfigError, match="unknown category 'mood'"):
        parse_lexicon([HEADER, "grim\tmood\t0.5\t-1\tx"])
    with pytest.raises(ConfigError, match="weight must be in"):
        parse_lexicon([HEADER, "grim\tlabel\t2\t-1\tx"])
    with pytest.raises(ConfigError, match="5 tab-separated"):
        parse_lexicon([HEADER, "grim label"])


def test_shipped_lexicon_has_every_category_and_both_polarities():
    lx = load_lexicon()
    entries = set(lx.forms.values())
    assert len(lx) > 500
    assert {e.category for e in entries} == {"label", "charged_verb", "charged_adjective", "charged_noun",
                                             "intensifier", "distancing"}
    assert {e.polarity for e in entries} == {-1, 0, 1}


# --- spans ------------------------------------------------------------------------------------

def test_loaded_wording_scores_above_neutral_wording_of_the_same_fact():
    loaded = "The regime's thugs brutally crushed the utterly peaceful protest, and officials slammed the critics."
    neutral = "Government forces dispersed the protest, and officials criticised the critics."
    spans = loaded_spans(loaded)
    assert texts_of(spans) == ["regime", "thugs", "brutally", "crushed", "utterly", "slammed"]
    assert {s["category"] for s in spans} == {"label", "charged_adjective", "charged_verb", "intensifier"}
    assert all(loaded[s["start"]:s["end"]] == s["text"] for s in spans)
    assert loaded_spans(neutral) == []
    assert text_loadedness(loaded) > BIASED_THRESHOLD > text_loadedness(neutral) == 0.0


def test_quotes_by_others_are_kept_apart_from_the_outlets_voice():
    text = 'The minister said: "These thugs are brutal terrorists." The ministry published a statement.'
    spans = loaded_spans(text)
    assert texts_of(spans, in_quote=True) == ["thugs", "brutal", "terrorists"]
    assert texts_of(spans, in_quote=False) == []
    an = analysis(text, quotes=[("These thugs are brutal terrorists.", "The minister")])
    assert texts_of(loaded_spans(text, an), in_quote=True) == ["thugs", "brutal", "terrorists"]
    assert sentence_loadedness(text, an) == [0.0, 0.0]
    own = 'These thugs are brutal terrorists. The ministry published a statement.'
    scores = sentence_loadedness(own, analysis(own))
    assert scores[0] > 0.9 and scores[1] == 0.0


def test_scare_quotes_are_the_outlets_own_voice_but_partial_quotes_are_not():
    scare = 'The so-called "students" occupied the hall for a week.'
    spans = loaded_spans(scare)
    assert [(s["text"], s["category"], s["in_quote"]) for s in spans] == [
        ("so-called", "distancing", False), ("students", "scare_quote", False)]
    partial = 'The ambassador said the army was "extremely weak" after the retreat.'
    assert [(s["text"], s["in_quote"]) for s in loaded_spans(partial)] == [("extremely", True)]
    title = 'She starred in "Orange Is the New Black" for years.'
    assert loaded_spans(title) == []


def test_names_and_word_parts_are_not_loaded_words():
    assert loaded_spans("The Patriot missile battery and the Liberation Army stood by.") == []
    assert loaded_spans("Rebels took regime-held towns and anti-regime groups joined.") == []
    assert texts_of(loaded_spans("Brutal fighting went on. It was BRUTAL.")) == ["Brutal", "BRUTAL"]
    # a possessive is not part of the hit; phrases match across one space or a line break
    assert [(s["text"], s["end"] - s["start"]) for s in loaded_spans("The regime's army lashed\nout.")] == [
        ("regime", 6), ("lashed\nout", 10)]


def test_claim_is_loaded_as_a_report_verb_but_not_when_a_war_claims_lives():
    assert texts_of(loaded_spans("The rebels claimed a stunning advance.")) == ["claimed", "stunning"]
    assert loaded_spans("The fighting has claimed at least 327 lives.") == []
    assert loaded_spans("The group claimed responsibility for the blast.") == []


def test_loaded_spans_rejects_non_text():
    with pytest.raises(TypeError, match="as str"):
        loaded_spans(b"bytes")


# --- tone -------------------------------------------------------------------------------------

def test_sympathetic_and_hostile_descriptions_of_one_actor_have_opposite_signs():
    kind = "Maria Lopez is a brave and honest leader. Maria Lopez helped thousands of families."
    hostile = "Maria Lopez is a corrupt and brutal tyrant. Maria Lopez ruined thousands of families."
    good = actor_tone(kind, analysis(kind, actors={"a1": ["Maria Lopez"]}))["a1"]
    bad = actor_tone(hostile, analysis(hostile, actors={"a1": ["Maria Lopez"]}))["a1"]
    assert good["score"] > 0.2 and bad["score"] < -0.2
    assert good["n_mentions"] == bad["n_mentions"] == 2
    assert bad["evidence"] and all(hostile[a:b].startswith("Maria Lopez") for a, b in bad["evidence"])
    assert -1 <= bad["score"] <= good["score"] <= 1


def test_negation_turns_the_tone_around():
    plain = "The report says Tom Baker is corrupt."
    negated = "The report says Tom Baker is not corrupt."
    s_plain = actor_tone(plain, analysis(plain, actors={"a1": ["Tom Baker"]}))["a1"]["score"]
    s_negated = actor_tone(negated, analysis(negated, actors={"a1": ["Tom Baker"]}))["a1"]["score"]
    assert s_plain < 0 < s_negated


def test_a_loaded_label_on_the_actor_counts_strongly_and_only_for_that_actor():
    text = ("Opposition forces launched an offensive against the regime of tyrant Bashar al-Assad. "
            "Omar Khalil spoke to reporters in the city.")
    an = analysis(text, actors={"a1": ["Bashar al-Assad"], "a2": ["Omar Khalil"], "a3": ["Opposition"]})
    tone = actor_tone(text, an)
    assert tone["a1"]["labels"] == ["regime", "tyrant"]
    assert tone["a1"]["score"] < -0.5
    assert tone["a3"]["labels"] == [] and tone["a3"]["score"] > tone["a1"]["score"]
    assert tone["a2"]["score"] == 0.0 and tone["a2"]["evidence"] == []
    appos = "Police arrested Karl Dorn, a notorious warlord, on Monday."
    assert actor_tone(appos, analysis(appos, actors={"a1": ["Karl Dorn"]}))["a1"]["labels"] == [
        "notorious", "warlord"]


def test_tone_in_quotations_is_reported_apart():
    text = 'A neighbour said: "Eva Novak is a wonderful, generous woman." The court met on Monday.'
    an = analysis(text, actors={"a1": ["Eva Novak"]}, quotes=[("Eva Novak is a wonderful, generous woman.", "A neighbour")])
    tone = actor_tone(text, an)["a1"]
    assert tone["score"] == 0.0 and tone["n_quoted"] == 1 and tone["quoted_score"] > 0.3


def test_article_tone_follows_the_wording():
    grim = "The brutal attack was a disaster. The thugs destroyed the town."
    warm = "The brave volunteers rebuilt the school. The families were grateful and happy."
    assert article_tone(grim, analysis(grim))["score"] < 0 < article_tone(warm, analysis(warm))["score"]
    with pytest.raises(TypeError, match="ArticleAnalysis"):
        actor_tone(grim, None)


@pytest.fixture(scope="module")
def seed_002():
    from rashomon.nlp import ReadItem, read_articles

    path = next(EXAMPLES.glob("002_*.txt"))
    text = path.read_text(encoding="utf-8")
    return text, read_articles([ReadItem("s", text, "en")])["s"].to_json()


def test_seed_article_labels_assad_a_tyrant(seed_002):
    text, an = seed_002
    spans = loaded_spans(text, an)
    assert {"tyrant", "regime", "dictatorship", "liberating"} <= {s["text"] for s in spans}
    assert len(sentence_loadedness(text, an)) == len(an["sentences"])
    assad = next(a["id"] for a in an["actors"] if a["name"] == "Bashar al-Assad")
    tone = actor_tone(text, an, spans=spans)
    assert set(tone) == {a["id"] for a in an["actors"]}
    assert "tyrant" in tone[assad]["labels"] and tone[assad]["score"] < -0.3


# --- evaluations on synthetic data -------------------------------------------------------------

BIASED = ["The radical senator slammed the utterly absurd plan.", "Thugs brutally attacked the peaceful crowd.",
          "The corrupt mayor peddled a ridiculous hoax.", "Extremists hijacked the shameful debate.",
          "The incompetent governor botched the disastrous rollout.", "A vicious mob terrorized the town.",
          "The regime's brutal crackdown was a travesty.", "Fanatics spewed vile propaganda online.",
          "The deranged plan is a total farce.", "Shameless cronies looted the treasury."]
NEUTRAL = ["The senator discussed the plan on Tuesday.", "Police said the crowd gathered at noon.",
           "The mayor presented the budget to the council.", "Lawmakers debated the bill for two hours.",
           "The governor announced the schedule for the rollout.", "Residents met in the town hall.",
           "The government issued a statement on the protest.", "The group posted a video online.",
           "The committee will review the plan next week.", "Officials audited the treasury accounts."]


def write_babe(folder: Path, copies: int = 2) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "final_labels_SG2.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter=";")
        w.writerow(["text", "news_link", "outlet", "topic", "type", "label_bias", "label_opinion", "biased_words"])
        for k in range(copies):
            for s in BIASED:
                marked = [span["text"].lower() for span in loaded_spans(s)]
                w.writerow([f"{s} ({k})", "", "", "", "", "Biased", "", repr(marked)])
            for s in NEUTRAL:
                w.writerow([f"{s} ({k})", "", "", "", "", "Non-biased", "", "[]"])
        w.writerow(["An unclear sentence.", "", "", "", "", "No agreement", "", "[]"])
    return folder


class HashEncoder:
    """A stand-in for MiniLM: a fixed random vector per word, averaged — no model needed."""

    def encode(self, texts, batch_size=32):
        rows = []
        for t in texts:
            vs = [np.random.default_rng(abs(hash(w.lower())) % 2**32).normal(size=16) for w in t.split()]
            v = np.mean(vs, axis=0)
            rows.append(v / np.linalg.norm(v))
        return np.array(rows, dtype=np.float32)


def test_babe_evaluation_runs_every_variant_on_a_tiny_set(tmp_path):
    from rashomon.evaluation.framing import BABE_ENSEMBLES, BABE_VARIANTS, evaluate_babe

    data = write_babe(tmp_path / "babe")
    result = evaluate_babe(data, encoder=HashEncoder(), c_grid=[1.0])
    assert result["sentences"] == 40 and result["biased"] == 20 and result["skipped_no_agreement"] == 1
    assert set(result["sentence"]) == {"lexicon_untrained", *BABE_VARIANTS, *BABE_ENSEMBLES}
    # the wording separates these sentences: the untrained lexicon and the lexicon features see it
    assert result["sentence"]["lexicon_untrained"]["macro_f1"] == 1.0
    assert result["sentence"]["lexicon_features_lr"]["macro_f1"] >= 0.9
    assert all(len(r.get("folds", [0] * 5)) == 5 for r in result["sentence"].values())
    assert result["words"]["lexicon"]["recall"] == result["words"]["lexicon"]["precision"] == 1.0
    assert result["best_variant"] in result["sentence"]


def test_babe_evaluation_names_bad_input(tmp_path):
    from rashomon.evaluation.framing import evaluate_babe

    with pytest.raises(EvaluationError, match="final_labels_SG2.csv"):
        evaluate_babe(tmp_path)
    data = write_babe(tmp_path / "babe")
    with pytest.raises(EvaluationError, match="unknown BABE variant"):
        evaluate_babe(data, variants=["bert"])


def write_basil(root: Path) -> Path:
    paragraphs = [["Senator Hall slammed the bill on Friday.", "He called it \u201cutterly irresponsible.\u201d"],
                  ["The vote is set for Monday.", "Critics say the plan is a far cry from the promise."]]
    annotations = [
        {"bias": "lex", "quote": "no", "start": 13, "end": 20, "txt": "slammed"},
        {"bias": "lex", "quote": "yes", "start": 15, "end": 40, "txt": "\u201cutterly irresponsible.\u201d"},
        {"bias": "lex", "quote": "no", "start": 31, "end": 39, "txt": "far cry "},
        {"bias": "inf", "quote": "no", "start": 0, "end": 27, "txt": "The vote is set for Monday."},
        {"bias": "lex", "quote": "no", "start": 0, "end": 5, "txt": "xxxxx"},
    ]
    for sub, name, payload in (("articles", "t1_1.json", {"body-paragraphs": paragraphs}),
                               ("annotations", "t1_1_ann.json", {"phrase-level-annotations": annotations})):
        (root / sub / "2020").mkdir(parents=True, exist_ok=True)
        (root / sub / "2020" / name).write_text(json.dumps(payload), encoding="utf-8")
    return root


def test_basil_evaluation_matches_exact_and_overlapping_spans(tmp_path):
    from rashomon.evaluation.framing import evaluate_basil, load_basil, match_spans

    root = write_basil(tmp_path / "basil")
    (article,) = load_basil(root)
    assert [article.text[g["start"]:g["end"]] for g in article.gold] == [
        "slammed", "\u201cutterly irresponsible.\u201d", "far cry "]
    assert article.unlocated == 1
    result = evaluate_basil(root, with_analysis=False)
    # predictions: slammed (own voice), utterly (quoted); gold: slammed, "utterly irresponsible.", far cry
    assert result["all"]["exact"] == {"precision": 0.5, "recall": 0.3333, "f1": 0.4, "predicted": 2, "gold": 3}
    assert result["all"]["overlap"]["precision"] == 1.0 and result["all"]["overlap"]["recall"] == 0.6667
    assert result["own_voice"]["exact"]["predicted"] == 1 and result["own_voice"]["exact"]["gold"] == 2
    text = "a “big deal.” here"
    assert match_spans(text, [(3, 11)], [(2, 14)]) == {"exact_pred": 1, "exact_gold": 1, "overlap_pred": 1,
                                                       "overlap_gold": 1}
    with pytest.raises(EvaluationError, match="annotations"):
        evaluate_basil(tmp_path / "nothing")


def test_eval_commands_print_json(tmp_path):
    from typer.testing import CliRunner

    from rashomon.cli import app

    root = write_basil(tmp_path / "basil")
    run = CliRunner().invoke(app, ["eval", "basil", str(root), "--no-analysis", "--json"])
    assert run.exit_code == 0, run.output
    assert json.loads(run.output)["gold_lexical"] == 3
    assert CliRunner().invoke(app, ["eval", "babe", str(tmp_path / "missing"), "--json"]).exit_code == 2


def test_framing_exports():
    import rashomon.framing as framing
    from rashomon.framing import loaded, tone

    for name in ("loaded_spans", "sentence_loadedness", "actor_tone", "article_tone"):
        assert name in framing.__all__ and callable(getattr(framing, name))
    for module in (loaded, tone):
        assert all(hasattr(module, name) for name in module.__all__)


# --- real data (slow) ---------------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.skipif(not (SHARED / "framing" / "basil").is_dir(), reason="BASIL not available")
def test_basil_floor():
    from rashomon.evaluation.framing import evaluate_basil

    result = evaluate_basil(SHARED / "framing" / "basil")
    assert result["gold_lexical"] >= 470 and result["unlocated"] <= 5
    assert result["all"]["overlap"]["recall"] >= 0.22
    assert result["all"]["overlap"]["precision"] >= 0.07


@pytest.mark.slow
@pytest.mark.skipif(not (SHARED / "framing" / "babe").is_dir(), reason="BABE not available")
def test_babe_floor():
    from rashomon.evaluation.framing import evaluate_babe

    result = evaluate_babe(SHARED / "framing" / "babe",
                           variants=["lexicon_features_lr", "minilm_lexicon_words_lr"])
    assert result["sentences"] == 3673
    assert result["sentence"]["lexicon_untrained"]["macro_f1"] >= 0.60
    assert result["sentence"]["minilm_lexicon_words_lr"]["macro_f1"] >= 0.77
    assert result["words"]["lexicon"]["f1"] >= 0.25
