"""Sentence embeddings for the story stage: all-MiniLM-L6-v2 on onnxruntime (no torch).

    from rashomon.embed import get_embedder
    vectors = get_embedder().encode(["first text", "second text"])   # (2, 384) float32, unit rows

Stages take any :class:`TextEncoder` (an object with ``encode``), so tests can pass a stub.
"""

from __future__ import annotations

from .model import DIM, MAX_TOKENS, MODEL_ID, Embedder, TextEncoder, get_embedder

__all__ = ["DIM", "MAX_TOKENS", "MODEL_ID", "Embedder", "TextEncoder", "get_embedder"]
