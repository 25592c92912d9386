"""A cheap, deterministic stand-in for the sentence embedder, shared by storage tests.

Hashes each word to a fixed pseudo-random 384-dimension vector (the size of the real model, so the
pgvector column takes it) and averages them: texts sharing words land near each other. Deterministic
across processes (crc32, not ``hash``), so concurrent writers embed the same text the same way.
"""

from __future__ import annotations

import re
import zlib

import numpy as np

__all__ = ["WordHashEncoder", "WordCountEncoder", "DIM"]

DIM = 384
_CACHE: dict[str, np.ndarray] = {}


def _word(w: str) -> np.ndarray:
    vec = _CACHE.get(w)
    if vec is None:
        vec = _CACHE[w] = np.random.default_rng(zlib.crc32(w.encode())).normal(size=DIM).astype(np.float32)
    return vec


class WordHashEncoder:
    model_id = "test-word-hash-384"

    def encode(self, texts, batch_size: int = 32):
        rows = []
        for t in texts:
            words = re.findall(r"\w+", t.lower()) or ["<empty>"]
            v = np.mean([_word(w) for w in words], axis=0)
            rows.append(v / (np.linalg.norm(v) or 1.0))
        return np.array(rows, dtype=np.float32).reshape(len(rows), DIM)


class WordCountEncoder:
    """Word counts hashed into 64 dimensions: near-paraphrases come out close, with no model at all."""

    def encode(self, texts, batch_size=32):
        out = np.zeros((len(texts), 64), dtype=np.float32)
        for i, text in enumerate(texts):
            for w in text.lower().replace(",", " ").replace(".", " ").split():
                out[i, sum(map(ord, w)) % 64] += 1.0
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)
