"""Bad input: a clear error that names the input and the problem, and nothing good is lost.

Every hostile input of tests/hostile.py (empty, binary, huge, mis-encoded, broken or hostile
XML, cut WARC archives, broken JSONL/CSV, 10,000 tiny files, symlink loops, a FIFO, unreadable
files, URLs that hang, 404, redirect forever or never end) goes through the real command line
in one run beside good articles, and through the library one at a time. Real files, a real
HTTP server on 127.0.0.1, a real SQLite store.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

import rashomon

from .hostile import (CASE_NAMES, SETTINGS, Case, belongs, build_cases, build_good, collect,
                      subprocess_env, unprivileged_preexec)
from .httpserver import LoopbackServer

# Tests run as root in CI, and root reads mode-000 files: whatever must meet a permission error
# runs in a subprocess without root's read override (hostile.unprivileged_preexec), never skipped.


@pytest.fixture(scope="module")
def server():
    with LoopbackServer() as s:
        yield s


@pytest.fixture(scope="module")
def corpus(server, tmp_path_factory):
    inputs = tmp_path_factory.mktemp("hostile")
    started = time.perf_counter()
    cases = build_cases(inputs, server)
    good = build_good(inputs)
    print(f"built {len(cases)} hostile inputs in {time.perf_counter() - started:.1f}s")
    yield {c.name: c for c in cases}, good
    for c in cases:  # let pytest clean up
        if c.unprivileged:
            os.chmod(c.input, 0o700)


def test_at_least_24_cases():
    assert len(CASE_NAMES) >= 24


def test_cli_over_every_hostile_input_at_once(corpus, tmp_path):
    cases, good = corpus
    db = tmp_path / "all.db"
    args = [c.input for c in cases.values()] + [str(p) for p in good]
    started = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "rashomon.cli", "ingest", *args, "--db", f"sqlite:///{db}"],
                         capture_output=True, text=True, env=subprocess_env(),
                         preexec_fn=unprivileged_preexec(), timeout=180)
    elapsed = time.perf_counter() - started
    out = run.stdout + run.stderr
    assert run.returncode == 3, f"exit {run.returncode}, expected 3 (partial)\n{out[-4000:]}"
    assert "Traceback" not in out
    assert "internal error" not in out
    assert elapsed < 60, f"ingest of the hostile inputs took {elapsed:.0f}s"

    with rashomon.open_store(f"sqlite:///{db}") as store:
        outcomes = collect(store, list(cases.values()))
        kept = collect(store, [Case(p.name, str(p), (), "good", stored=1) for p in good])
        rejections = store.rejections()
    failures = {name: o.problems() for name, o in outcomes.items() if o.problems()}
    assert not failures, json.dumps(failures, indent=1)
    assert all(o.stored == 1 and not o.rejections for o in kept.values()), kept
    # Every rejection names a hostile input: nothing good was rejected for the company it kept.
    strays = [r for r in rejections if not any(belongs(r["input"], c.input) for c in cases.values())]
    assert not strays
    # The summary collapses 10,000 alike rejections instead of printing them all.
    assert "more like it" in run.stdout
    assert run.stdout.count("\n") < 400


@pytest.mark.parametrize("name", CASE_NAMES)
def test_library_names_the_input_and_the_problem(name, corpus, tmp_path):
    cases, good = corpus
    case = cases[name]
    url = f"sqlite:///{tmp_path / 'one.db'}"
    paths = [case.input, *map(str, good)]
    if case.unprivileged:
        code = ("import json, sys, rashomon; "
                "r = rashomon.ingest(json.loads(sys.argv[1]), db=sys.argv[2], **json.loads(sys.argv[3])); "
                "print(json.dumps({'new': r.new, 'rejected': [x.__dict__ for x in r.rejected]}))")
        run = subprocess.run([sys.executable, "-c", code, json.dumps(paths), url, json.dumps(SETTINGS)],
                             capture_output=True, text=True, env=subprocess_env(),
                             preexec_fn=unprivileged_preexec(), timeout=60)
        assert run.returncode == 0, run.stderr
        assert "Traceback" not in run.stderr
        got = json.loads(run.stdout)
        rejected = [rashomon.Rejection(**x) for x in got["rejected"]]
    else:
        report = rashomon.ingest(paths, db=url, **SETTINGS)
        rejected = report.rejected

    # The report names this input (and only it: the good articles beside it are not rejected).
    assert all(belongs(r.input, case.input) for r in rejected), rejected
    if case.ingested:
        assert not rejected
    else:
        assert rejected, f"{case.input} was not rejected"
        for want in case.expect:
            assert any(want.lower() in r.reason.lower() for r in rejected), (want, rejected[:5])

    with rashomon.open_store(url) as store:
        outcome = collect(store, [case])[name]
        kept = collect(store, [Case(p.name, str(p), (), "good", stored=1) for p in good])
    assert not outcome.problems(), outcome.problems()
    assert [o.stored for o in kept.values()] == [1, 1], "the good articles beside it were not stored"


def test_mode_000_really_is_unreadable_to_the_ingest_process(corpus):
    """Guard against a vacuous pass: the child that ingests it must fail to open it."""
    cases, _ = corpus
    path = cases["mode-000-file"].input
    run = subprocess.run([sys.executable, "-c", f"open({path!r}, 'rb')"], capture_output=True,
                         text=True, preexec_fn=unprivileged_preexec(), timeout=30)
    assert run.returncode != 0 and "PermissionError" in run.stderr


def test_the_200mb_file_is_refused_without_reading_it(corpus):
    path = Path(corpus[0]["200mb-txt"].input)
    assert path.stat().st_size == 200_000_000
    assert path.stat().st_blocks * 512 < 1_000_000, "the test file should be sparse"
