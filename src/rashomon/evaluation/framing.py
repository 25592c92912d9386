"""Loaded language measured on BABE (sentence bias, biased words) and BASIL (lexical-bias spans).

**BABE** (Spinde et al. 2021, ``framing/babe``): ``final_labels_SG2.csv`` (default; ``SG1`` on
request), ``;``-separated, columns ``text``, ``label_bias`` ("Biased" / "Non-biased"; the rare
"No agreement" rows are left out and counted) and ``biased_words`` (a Python-literal list of the
words the experts marked). Measured:

* ``sentence``: biased vs non-biased macro-F1 under stratified 5-fold cross-validation, one
  entry per variant; every learned part is fitted inside the training folds only (the word
  odds of ``minilm_lexicon_words`` on inner folds of the training part, so the classifier never
  sees odds computed from its own rows). The MiniLM sentence vectors are frozen (computed once,
  no training). Regularisation is picked by an inner 3-fold search on each training part.
  ``ensemble`` averages the out-of-fold probabilities of two variants (no extra fitting).
  ``lexicon_untrained`` is the shipped detector with no training at all: biased when
  ``text_loadedness >= BIASED_THRESHOLD``. Opt-in (``--variant``, they need the ``eval-train``
  extra and some 20 minutes on two cores): ``minilm_finetune`` fine-tunes all-MiniLM-L6-v2 itself
  inside each training part (:mod:`rashomon.evaluation.finetune`, settings fixed in advance), and
  ``ensemble_finetune`` averages its probabilities with those of the two members of ``ensemble``.
* ``words``: biased-word precision/recall/F1, micro over sentences, of the words inside
  :func:`loaded_spans` against the experts' words (lower-cased, as sets per sentence), for all
  spans and for own-voice spans; also for the fold-trained word odds (a word is predicted biased
  when its smoothed share of marked occurrences in the training folds reaches .25 or .5 — both
  reported, neither tuned); with ``minilm_finetune``, also for its word head (a word is predicted
  biased when the fold-trained head gives its first token a probability of .25 or .5).

**BASIL** (Fan et al. 2019, ``framing/basil``): ``articles/<year>/<triplet>_<n>.json`` hold
``body-paragraphs`` (a list of paragraphs, each a list of sentences) and
``annotations/<year>/<triplet>_<n>_ann.json`` the ``phrase-level-annotations``, each with
``bias`` ("lex" lexical / "inf" informational), ``quote`` ("yes" when inside a quotation),
``txt`` and ``start``/``end`` offsets *within one sentence* (which sentence is not stored: it is
the one where ``sentence[start:end] == txt``; a phrase found nowhere is counted in
``unlocated``). The article text is rebuilt as sentences joined by a space, paragraphs by a
newline, and :func:`loaded_spans` runs on it (with the article's analysis unless
``with_analysis=False``). Only lexical annotations are gold. Matching, one-to-one per side:

* ``exact``: same offsets once quotation marks, punctuation and spaces are trimmed from both ends
  of each span (so the gold ``“utterly irresponsible.”`` equals a hit on ``utterly irresponsible``);
* ``overlap``: the spans share at least one character.

Precision is matched predictions over predictions, recall matched gold over gold. ``all``
compares every prediction with every gold span; ``own_voice`` only predictions outside quotations
with gold marked ``quote: no``. BASIL marks the bias that targets the story's main entities, so
precision here undercounts what a reader would call loaded.

Run: ``rashomon eval babe DIR [--json]`` and ``rashomon eval basil DIR [--json]``.
"""

from __future__ import annotations

import ast
import csv
import json
import math
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np

from ..errors import EvaluationError
from ..framing.loaded import BIASED_THRESHOLD, CATEGORIES, loaded_spans, sentence_loadedness

__all__ = ["evaluate", "evaluate_babe", "evaluate_basil", "load_babe", "load_basil", "BabeItem", "BasilArticle",
           "lexicon_features", "word_scores", "match_spans", "measure_speed", "BABE_VARIANTS", "BABE_ENSEMBLES",
           "BABE_TRAINED_VARIANTS", "BABE_TRAINED_ENSEMBLES"]

N_FOLDS = 5
SEED = 0
_C_GRID = (0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0)
# TF-IDF rows are sparse and unit-length: they want weaker regularisation, and each fit is slow.
_C_GRID_SPARSE = (1.0, 3.0, 10.0)
_ODDS_THRESHOLDS = (0.25, 0.5)
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
_TRIM = " \t\n\"'“”‘’.,;:!?()[]"


# ---------------------------------------------------------------------------------------------
# BABE

@dataclass(frozen=True)
class BabeItem:
    text: str
    biased: bool
    words: frozenset[str]     # the experts' biased words, lower-cased


def load_babe(data_dir: Path, label_set: str = "SG2") -> tuple[list[BabeItem], int]:
    """(items, rows left out for "No agreement") from ``final_labels_<label_set>.csv``."""
    path = Path(data_dir)
    if path.is_dir():
        path = path / f"final_labels_{label_set}.csv"
    if not path.is_file():
        raise EvaluationError(f"{path} not found; give the BABE folder (…/framing/babe) holding "
                              f"final_labels_{label_set}.csv, or the CSV itself")
    items, skipped = [], 0
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh, delimiter=";")
        missing = {"text", "label_bias", "biased_words"} - set(reader.fieldnames or ())
        if missing:
            raise EvaluationError(f"{path}: missing column(s) {sorted(missing)}; expected BABE's "
                                  f"text;…;label_bias;label_opinion;biased_words")
        for line, row in enumerate(reader, 2):
            label = row["label_bias"].strip()
            if label not in ("Biased", "Non-biased"):
                skipped += 1
                continue
            try:
                words = ast.literal_eval(row["biased_words"] or "[]")
            except (ValueError, SyntaxError):
                raise EvaluationError(f"{path}:{line}: biased_words is not a list literal: "
                                      f"{row['biased_words'][:60]!r}") from None
            items.append(BabeItem(row["text"], label == "Biased", frozenset(str(w).lower() for w in words)))
    if len({i.biased for i in items}) < 2:
        raise EvaluationError(f"{path}: need both Biased and Non-biased sentences, got {len(items)} of one kind")
    return items, skipped


def lexicon_features(text: str, spans: list[dict[str, Any]] | None = None) -> list[float]:
    """Hand-made features of one sentence: loaded weight per category (own voice / quoted),
    totals, VADER valence sums, length and punctuation."""
    from ..framing.tone import vader_lexicon

    spans = loaded_spans(text) if spans is None else spans
    features: list[float] = []
    for category in CATEGORIES:
        features.append(sum(s["weight"] for s in spans if s["category"] == category and not s["in_quote"]))
        features.append(sum(s["weight"] for s in spans if s["category"] == category and s["in_quote"]))
    own = sum(s["weight"] for s in spans if not s["in_quote"])
    features += [own, 1 - math.exp(-own), sum(s["polarity"] < 0 for s in spans),
                 sum(s["polarity"] > 0 for s in spans)]
    lexicon = vader_lexicon().lexicon
    values = [lexicon.get(w.lower(), 0.0) for w in _WORD.findall(text)]
    n_words = len(values)
    features += [sum(v for v in values if v > 0), sum(v for v in values if v < 0),
                 max((abs(v) for v in values), default=0.0), n_words / 30,
                 text.count('"') + text.count("“"), text.count("!"), text.count("?")]
    return features


def _words(text: str) -> list[str]:
    return [w.lower().replace("’", "'") for w in _WORD.findall(text)]


class _WordOdds:
    """Smoothed share of a word's occurrences that the experts marked biased (training rows only)."""

    def __init__(self, tokens: Sequence[list[str]], gold: Sequence[frozenset[str]], strength: float = 8.0):
        occ: Counter[str] = Counter()
        hit: Counter[str] = Counter()
        for words, marked in zip(tokens, gold):
            for w in set(words):
                occ[w] += 1
                hit[w] += w in marked
        self.prior = sum(hit.values()) / max(1, sum(occ.values()))
        self.occ, self.hit, self.strength = occ, hit, strength

    def __call__(self, word: str) -> float:
        return (self.hit[word] + self.prior * self.strength) / (self.occ[word] + self.strength)

    def features(self, words: list[str]) -> list[float]:
        s = sorted((self(w) for w in words), reverse=True) + [0.0, 0.0, 0.0]
        return [s[0], s[0] + s[1], s[0] + s[1] + s[2], sum(x > 0.2 for x in s), sum(x > 0.4 for x in s)]


@dataclass
class _Babe:
    """Everything the variants share: texts, labels, frozen vectors, hand-made features."""
    items: list[BabeItem]
    y: np.ndarray
    tokens: list[list[str]]
    lexicon: np.ndarray
    vectors: np.ndarray | None = None
    c_grid: Sequence[float] | None = None    # None: _C_GRID for dense features, _C_GRID_SPARSE for TF-IDF
    seconds: dict[str, float] = field(default_factory=dict)
    word_predictions: dict[str, list[set[str]]] = field(default_factory=dict)   # out-of-fold, per variant

    @property
    def texts(self) -> list[str]:
        return [i.text for i in self.items]


def _logistic(x_train, y_train, seed: int, grid: Sequence[float]):
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GridSearchCV, StratifiedKFold

    if len(grid) == 1:
        return LogisticRegression(C=grid[0], max_iter=3000).fit(x_train, y_train)

    folds = StratifiedKFold(3 if min(np.bincount(y_train)) >= 3 else 2, shuffle=True, random_state=seed)
    search = GridSearchCV(LogisticRegression(max_iter=3000), {"C": list(grid)}, cv=folds, scoring="f1_macro")
    return search.fit(x_train, y_train).best_estimator_


def _dense(parts: Callable[[_Babe], list[np.ndarray]]):
    def fit_predict(data: _Babe, train: np.ndarray, test: np.ndarray, seed: int) -> np.ndarray:
        from sklearn.preprocessing import StandardScaler

        x = np.hstack(parts(data))
        scaler = StandardScaler().fit(x[train])
        model = _logistic(scaler.transform(x[train]), data.y[train], seed, data.c_grid or _C_GRID)
        return model.predict_proba(scaler.transform(x[test]))[:, 1]
    return fit_predict


def _tfidf(analyzer: str, ngrams: tuple[int, int]):
    def fit_predict(data: _Babe, train: np.ndarray, test: np.ndarray, seed: int) -> np.ndarray:
        from sklearn.feature_extraction.text import TfidfVectorizer

        texts = data.texts
        vectorizer = TfidfVectorizer(analyzer=analyzer, ngram_range=ngrams, min_df=2, sublinear_tf=True)
        x_train = vectorizer.fit_transform([texts[i] for i in train])
        model = _logistic(x_train, data.y[train], seed, data.c_grid or _C_GRID_SPARSE)
        return model.predict_proba(vectorizer.transform([texts[i] for i in test]))[:, 1]
    return fit_predict


def _odds_features(data: _Babe, train: np.ndarray, rows: np.ndarray) -> np.ndarray:
    odds = _WordOdds([data.tokens[i] for i in train], [data.items[i].words for i in train])
    return np.array([odds.features(data.tokens[i]) for i in rows])


def _with_word_odds(data: _Babe, train: np.ndarray, test: np.ndarray, seed: int) -> np.ndarray:
    from sklearn.model_selection import StratifiedKFold
    from sklearn.preprocessing import StandardScaler

    # Odds for a training row come from the other inner folds, as they will for a test row.
    inner = np.zeros((len(train), 5))
    splitter = StratifiedKFold(N_FOLDS, shuffle=True, random_state=seed + 1)
    for a, b in splitter.split(train, data.y[train]):
        inner[b] = _odds_features(data, train[a], train[b])
    outer = _odds_features(data, train, test)
    x_train = np.hstack([inner, data.vectors[train], data.lexicon[train]])
    x_test = np.hstack([outer, data.vectors[test], data.lexicon[test]])
    scaler = StandardScaler().fit(x_train)
    model = _logistic(scaler.transform(x_train), data.y[train], seed, data.c_grid or _C_GRID)
    return model.predict_proba(scaler.transform(x_test))[:, 1]


# name -> (needs the sentence vectors, fit_predict, description)
BABE_VARIANTS: dict[str, tuple[bool, Callable, str]] = {
    "lexicon_features_lr": (False, _dense(lambda d: [d.lexicon]),
                            "logistic regression on the lexicon/VADER features only"),
    "tfidf_word_lr": (False, _tfidf("word", (1, 2)), "word 1-2-gram TF-IDF + logistic regression"),
    "tfidf_char_lr": (False, _tfidf("char_wb", (2, 5)), "char 2-5-gram TF-IDF + logistic regression"),
    "minilm_lr": (True, _dense(lambda d: [d.vectors]), "frozen MiniLM sentence vectors + logistic regression"),
    "minilm_lexicon_lr": (True, _dense(lambda d: [d.vectors, d.lexicon]),
                          "MiniLM vectors + lexicon/VADER features + logistic regression"),
    "minilm_lexicon_words_lr": (True, _with_word_odds,
                                "MiniLM + lexicon features + fold-trained biased-word odds (max/top-3 per "
                                "sentence) + logistic regression"),
}
# name -> the variants whose out-of-fold probabilities it averages
BABE_ENSEMBLES: dict[str, tuple[str, ...]] = {"ensemble": ("minilm_lexicon_words_lr", "tfidf_char_lr")}


def _finetuned(data: _Babe, train: np.ndarray, test: np.ndarray, seed: int) -> np.ndarray:
    from .finetune import fine_tune_predict

    texts = data.texts
    fold = fine_tune_predict([texts[i] for i in train], data.y[train].tolist(),
                             [data.items[i].words for i in train], [texts[i] for i in test],
                             word_pattern=_WORD, seed=seed)
    for t in _ODDS_THRESHOLDS:
        predicted = data.word_predictions.setdefault(f"minilm_finetune_word_head_{t}", [set() for _ in texts])
        for i, word_proba in zip(test, fold.word_proba):
            predicted[i] = {w for w, p in word_proba.items() if p >= t}
    return fold.proba


# Fine-tuned encoders: run only when asked for by name (they need torch, the eval-train extra).
BABE_TRAINED_VARIANTS: dict[str, tuple[bool, Callable, str]] = {
    "minilm_finetune": (False, _finetuned,
                        "all-MiniLM-L6-v2 fine-tuned per fold (mean-pooled sentence head + biased-word token "
                        "head, 3 epochs, lr 5e-5, settings fixed in advance)"),
}
BABE_TRAINED_ENSEMBLES: dict[str, tuple[str, ...]] = {
    "ensemble_finetune": ("minilm_finetune", "minilm_lexicon_words_lr", "tfidf_char_lr")}


def _macro_f1(y: np.ndarray, pred: np.ndarray) -> float:
    from sklearn.metrics import f1_score

    return round(float(f1_score(y, pred, average="macro")), 4)


def word_scores(predicted: Sequence[set[str]], gold: Sequence[frozenset[str] | set[str]]) -> dict[str, Any]:
    """Micro precision/recall/F1 of per-sentence word sets."""
    tp = sum(len(p & g) for p, g in zip(predicted, gold))
    n_pred = sum(len(p) for p in predicted)
    n_gold = sum(len(g) for g in gold)
    return _prf(tp, tp, n_pred, n_gold)


def _prf(tp_pred: int, tp_gold: int, n_pred: int, n_gold: int) -> dict[str, Any]:
    p = tp_pred / n_pred if n_pred else 0.0
    r = tp_gold / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "predicted": n_pred,
            "gold": n_gold}


def evaluate_babe(data_dir: Path, *, label_set: str = "SG2", variants: Sequence[str] | None = None,
                  encoder=None, folds: int = N_FOLDS, seed: int = SEED,
                  c_grid: Sequence[float] | None = None) -> dict[str, Any]:
    """Sentence-level macro-F1 per variant and word-level F1 on BABE (see the module docstring).

    ``encoder`` is any object with ``encode(texts) -> array`` (default: the shipped MiniLM).
    ``c_grid`` replaces the inverse-regularisation values searched on inner folds; one value
    means no search."""
    from sklearn.model_selection import StratifiedKFold

    singles = {**BABE_VARIANTS, **BABE_TRAINED_VARIANTS}
    ensembles = {**BABE_ENSEMBLES, **BABE_TRAINED_ENSEMBLES}
    valid = list(singles) + list(ensembles)
    unknown = set(variants or ()) - set(valid)
    if unknown:
        raise EvaluationError(f"unknown BABE variant(s) {sorted(unknown)}; valid: {', '.join(valid)}")
    chosen = list(variants) if variants else list(BABE_VARIANTS) + list(BABE_ENSEMBLES)
    # An ensemble needs its members' probabilities: run them too, first.
    needed = [m for name in chosen for m in ensembles.get(name, ())]
    single = [v for v in dict.fromkeys(needed + chosen) if v in singles]
    if any(v in BABE_TRAINED_VARIANTS for v in single):
        from .finetune import require_training
        require_training()     # fail before the data and the other variants take minutes
    items, skipped = load_babe(data_dir, label_set)
    y = np.array([i.biased for i in items], dtype=int)
    if min(np.bincount(y)) < folds:
        raise EvaluationError(f"BABE {label_set}: {folds}-fold cross-validation needs at least {folds} sentences "
                              f"of each label, got {np.bincount(y).tolist()}")

    t0 = time.perf_counter()
    spans = [loaded_spans(i.text) for i in items]
    t_spans = time.perf_counter() - t0
    untrained = np.array([sentence_loadedness(i.text, None, s)[0] >= BIASED_THRESHOLD
                          for i, s in zip(items, spans)], dtype=int)
    data = _Babe(items, y, [_words(i.text) for i in items],
                 np.array([lexicon_features(i.text, s) for i, s in zip(items, spans)]))
    data.seconds["loaded_spans"] = round(t_spans, 2)
    data.c_grid = tuple(c_grid) if c_grid else None
    if any(singles[v][0] for v in single):
        if encoder is None:
            from ..embed import get_embedder
            encoder = get_embedder()
        t0 = time.perf_counter()
        data.vectors = np.asarray(encoder.encode(data.texts), dtype=np.float32)
        data.seconds["sentence_vectors"] = round(time.perf_counter() - t0, 2)

    splits = list(StratifiedKFold(folds, shuffle=True, random_state=seed).split(np.zeros(len(y)), y))
    sentence: dict[str, Any] = {
        "lexicon_untrained": {"macro_f1": _macro_f1(y, untrained), "threshold": BIASED_THRESHOLD,
                              "predicted_biased": int(untrained.sum()),
                              "description": "shipped lexicon, no training: biased when own-voice "
                                             f"loadedness >= {BIASED_THRESHOLD}"}}
    probas: dict[str, np.ndarray] = {}
    for name in single:
        _, fit_predict, description = singles[name]
        t0, c0 = time.perf_counter(), time.process_time()
        proba = np.zeros(len(y))
        for train, test in splits:
            proba[test] = fit_predict(data, train, test, seed)
        probas[name] = proba
        # CPU seconds as well: on a shared machine the wall clock says more about the neighbours.
        sentence[name] = {**_cv_scores(y, proba, splits), "seconds": round(time.perf_counter() - t0, 1),
                          "cpu_seconds": round(time.process_time() - c0, 1), "description": description}
    for name in chosen:
        if name in ensembles:
            members = ensembles[name]
            proba = np.mean([probas[m] for m in members], axis=0)
            sentence[name] = {**_cv_scores(y, proba, splits),
                              "description": "mean out-of-fold probability of " + " and ".join(members)}
    sentence = {k: sentence[k] for k in ["lexicon_untrained", *valid] if k in sentence and (
        k == "lexicon_untrained" or k in chosen)}

    odds_words = {t: [set() for _ in items] for t in _ODDS_THRESHOLDS}
    for train, test in splits:
        odds = _WordOdds([data.tokens[i] for i in train], [items[i].words for i in train])
        for i in test:
            for t in _ODDS_THRESHOLDS:
                odds_words[t][i] = {w for w in data.tokens[i] if odds.occ[w] and odds(w) >= t}

    gold_words = [i.words for i in items]
    lexicon_words = [{w for s in sp for w in _words(s["text"])} for sp in spans]
    words = {"lexicon": word_scores(lexicon_words, gold_words),
             "lexicon_own_voice": word_scores([{w for s in sp if not s["in_quote"] for w in _words(s["text"])}
                                               for sp in spans], gold_words)}
    for t in _ODDS_THRESHOLDS:
        words[f"fold_trained_word_odds_{t}"] = word_scores(odds_words[t], gold_words)
    for name, predicted in data.word_predictions.items():
        words[name] = word_scores(predicted, gold_words)
    best = max((k for k in sentence if k != "lexicon_untrained"), key=lambda k: sentence[k]["macro_f1"], default=None)
    return {
        "dataset": "babe", "label_set": label_set, "sentences": len(items), "biased": int(y.sum()),
        "skipped_no_agreement": skipped, "folds": folds, "seed": seed,
        "published_macro_f1": 0.804, "best_variant": best, "sentence": sentence, "words": words,
        "seconds": data.seconds,
    }


def _cv_scores(y: np.ndarray, proba: np.ndarray, splits) -> dict[str, Any]:
    per_fold = [_macro_f1(y[test], (proba[test] >= 0.5).astype(int)) for _, test in splits]
    return {"macro_f1": _macro_f1(y, (proba >= 0.5).astype(int)), "fold_mean": round(float(np.mean(per_fold)), 4),
            "fold_std": round(float(np.std(per_fold)), 4), "folds": per_fold}


# ---------------------------------------------------------------------------------------------
# BASIL

@dataclass
class BasilArticle:
    id: str                               # "<year>/<triplet>_<n>"
    text: str
    gold: list[dict[str, Any]]            # {"start", "end", "text", "quote": bool}, lexical only
    unlocated: int = 0


def load_basil(data_dir: Path) -> list[BasilArticle]:
    """Articles with their lexical-bias spans placed in the rebuilt article text."""
    root = Path(data_dir)
    ann_files = sorted(root.glob("annotations/*/*_ann.json"))
    if not ann_files:
        raise EvaluationError(f"no annotations/<year>/*_ann.json under {root}; give BASIL's folder "
                              f"(…/framing/basil)")
    articles = []
    for ann_path in ann_files:
        art_path = root / "articles" / ann_path.parent.name / ann_path.name.replace("_ann.json", ".json")
        if not art_path.is_file():
            raise EvaluationError(f"{ann_path}: its article {art_path} is missing")
        try:
            article = json.loads(art_path.read_text(encoding="utf-8"))
            annotation = json.loads(ann_path.read_text(encoding="utf-8"))
            paragraphs = article["body-paragraphs"]
            phrases = annotation["phrase-level-annotations"]
        except (json.JSONDecodeError, KeyError) as exc:
            raise EvaluationError(f"{art_path.name} / {ann_path.name}: not BASIL's format ({exc})") from None
        parts, sentences, pos = [], [], 0
        for paragraph in paragraphs:
            for k, sentence in enumerate(paragraph):
                sep = " " if k else ("\n" if parts else "")
                parts.append(sep + sentence)
                pos += len(sep)
                sentences.append((pos, sentence))
                pos += len(sentence)
        text = "".join(parts)
        gold, unlocated = [], 0
        for phrase in phrases:
            if phrase.get("bias") != "lex":
                continue
            a, b, txt = phrase["start"], phrase["end"], phrase["txt"]
            at = next((offset + a for offset, s in sentences if s[a:b] == txt), None)
            if at is None:
                found = text.find(txt)
                at = found if found >= 0 and txt else None
            if at is None:
                unlocated += 1
                continue
            gold.append({"start": at, "end": at + len(txt), "text": txt, "quote": phrase.get("quote") == "yes"})
        articles.append(BasilArticle(f"{ann_path.parent.name}/{art_path.stem}", text, gold, unlocated))
    return articles


def _trimmed(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a] in _TRIM:
        a += 1
    while b > a and text[b - 1] in _TRIM:
        b -= 1
    return a, b


def match_spans(text: str, predicted: list[tuple[int, int]], gold: list[tuple[int, int]]) -> dict[str, int]:
    """Counts of matched predictions and matched gold spans, exact (trimmed) and by overlap."""
    pt = [_trimmed(text, a, b) for a, b in predicted]
    gt = [_trimmed(text, a, b) for a, b in gold]
    exact_gold = set(gt)
    exact_pred = set(pt)
    return {
        "exact_pred": sum(p in exact_gold for p in pt),
        "exact_gold": sum(g in exact_pred for g in gt),
        "overlap_pred": sum(any(a < gb and ga < b for ga, gb in gold) for a, b in predicted),
        "overlap_gold": sum(any(a < gb and ga < b for a, b in predicted) for ga, gb in gold),
    }


def evaluate_basil(data_dir: Path, *, with_analysis: bool = True, n_process: int = 1) -> dict[str, Any]:
    """Span precision/recall/F1 of :func:`loaded_spans` against BASIL's lexical-bias phrases."""
    articles = load_basil(data_dir)
    analyses: dict[str, dict] = {}
    t_read = 0.0
    if with_analysis:
        from ..nlp import ReadItem, read_articles

        t0 = time.perf_counter()
        read = read_articles([ReadItem(a.id, a.text, "en") for a in articles], n_process=n_process)
        analyses = {k: v.to_json() for k, v in read.items()}
        t_read = time.perf_counter() - t0
    totals = {view: Counter() for view in ("all", "own_voice")}
    by_category: Counter[str] = Counter()
    by_category_hit: Counter[str] = Counter()
    t0 = time.perf_counter()
    for article in articles:
        spans = loaded_spans(article.text, analyses.get(article.id))
        for view in totals:
            pred = [s for s in spans if view == "all" or not s["in_quote"]]
            gold = [g for g in article.gold if view == "all" or not g["quote"]]
            counts = match_spans(article.text, [(s["start"], s["end"]) for s in pred],
                                 [(g["start"], g["end"]) for g in gold])
            totals[view].update(counts)
            totals[view]["pred"] += len(pred)
            totals[view]["gold"] += len(gold)
        for s in spans:
            by_category[s["category"]] += 1
            by_category_hit[s["category"]] += any(s["start"] < g["end"] and g["start"] < s["end"]
                                                  for g in article.gold)
    t_spans = time.perf_counter() - t0
    result: dict[str, Any] = {"dataset": "basil", "articles": len(articles), "with_analysis": with_analysis,
                              "gold_lexical": sum(len(a.gold) for a in articles),
                              "unlocated": sum(a.unlocated for a in articles)}
    for view, c in totals.items():
        result[view] = {"exact": _prf(c["exact_pred"], c["exact_gold"], c["pred"], c["gold"]),
                        "overlap": _prf(c["overlap_pred"], c["overlap_gold"], c["pred"], c["gold"])}
    result["precision_by_category"] = {
        k: {"predicted": n, "overlap_precision": round(by_category_hit[k] / n, 4)} for k, n in by_category.most_common()}
    result["speed"] = {"loaded_spans_ms_per_article": round(1000 * t_spans / max(1, len(articles)), 2),
                       "analysis_ms_per_article": round(1000 * t_read / max(1, len(articles)), 1)}
    return result


# ---------------------------------------------------------------------------------------------
# Speed

def measure_speed(texts: Sequence[str], *, n_process: int = 1) -> dict[str, Any]:
    """Milliseconds per article of the reading (analysis, spaCy model load included) and of
    loaded_spans + actor_tone on it (lexicons loaded beforehand)."""
    from ..framing.loaded import load_lexicon
    from ..framing.tone import actor_tone, vader_lexicon
    from ..nlp import ReadItem, read_articles

    load_lexicon(), vader_lexicon()   # one-off loads, not per-article cost

    items = [ReadItem(str(k), t, "en") for k, t in enumerate(texts)]
    t0 = time.perf_counter()
    analyses = {k: v.to_json() for k, v in read_articles(items, n_process=n_process).items()}
    t_read = time.perf_counter() - t0
    t0 = time.perf_counter()
    for item in items:
        spans = loaded_spans(item.text, analyses[item.id])
        actor_tone(item.text, analyses[item.id], spans=spans)
    t_framing = time.perf_counter() - t0
    n = max(1, len(items))
    return {"articles": len(items), "chars_per_article": round(sum(map(len, texts)) / n),
            "analysis_ms_per_article": round(1000 * t_read / n, 1),
            "loaded_and_tone_ms_per_article": round(1000 * t_framing / n, 2)}


# ---------------------------------------------------------------------------------------------
# CLI entry points

def evaluate(data_dir: Path, *, dataset: str, **options: Any) -> dict[str, Any]:
    """``dataset`` "babe" or "basil"; the options go to :func:`evaluate_babe` / :func:`evaluate_basil`."""
    if dataset == "babe":
        return evaluate_babe(data_dir, **options)
    if dataset == "basil":
        return evaluate_basil(data_dir, **options)
    raise EvaluationError(f"unknown framing dataset {dataset!r}; valid: babe, basil")


def _table(result: dict[str, Any]) -> str:
    if result["dataset"] == "babe":
        lines = [f"BABE {result['label_set']}: {result['sentences']} sentences ({result['biased']} biased), "
                 f"{result['folds']}-fold CV; published macro-F1 {result['published_macro_f1']}",
                 "variant                     macro-F1   folds (mean ± sd)"]
        for name, r in result["sentence"].items():
            spread = f"{r['fold_mean']:.3f} ± {r['fold_std']:.3f}" if "fold_mean" in r else "(no training)"
            lines.append(f"  {name:26s} {r['macro_f1']:.4f}    {spread}")
        for name, r in result["words"].items():
            lines.append(f"biased words, {name}: P {r['precision']:.3f} R {r['recall']:.3f} F1 {r['f1']:.3f}")
        lines.append("seconds: " + json.dumps(result["seconds"]))
        return "\n".join(lines)
    lines = [f"BASIL: {result['articles']} articles, {result['gold_lexical']} lexical-bias spans "
             f"({result['unlocated']} unlocated), analysis: {result['with_analysis']}"]
    for view in ("all", "own_voice"):
        for match in ("exact", "overlap"):
            r = result[view][match]
            lines.append(f"  {view:9s} {match:7s} P {r['precision']:.3f} R {r['recall']:.3f} F1 {r['f1']:.3f} "
                         f"({r['predicted']} predicted, {r['gold']} gold)")
    lines.append("speed: " + json.dumps(result["speed"]))
    return "\n".join(lines)
