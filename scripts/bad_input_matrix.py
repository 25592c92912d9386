"""Bad-input matrix: every hostile input of tests/hostile.py, ingested once, and what Rashomon said.

    .venv/bin/python scripts/bad_input_matrix.py

Builds the inputs in a temporary folder, serves the hostile URLs from a loopback HTTP server,
runs ``rashomon ingest`` once over all of them plus two good articles (as a user without root's
read-anything power, so the mode-000 inputs fail as they would for anyone else), then prints a
Markdown table: input | message | good articles kept. Exits 1 if any outcome is not the expected one.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import rashomon  # noqa: E402
from tests.hostile import (SETTINGS, Case, build_cases, build_good, collect, subprocess_env,  # noqa: E402
                           unprivileged_preexec)
from tests.httpserver import LoopbackServer  # noqa: E402


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def main() -> int:
    tmp = Path(tempfile.mkdtemp(prefix="rashomon-bad-input-"))
    inputs = tmp / "inputs"
    inputs.mkdir()
    try:
        with LoopbackServer() as server:
            cases = build_cases(inputs, server)
            good = build_good(inputs)
            db = f"sqlite:///{tmp / 'matrix.db'}"
            args = [c.input for c in cases] + [str(p) for p in good]
            started = time.perf_counter()
            run = subprocess.run([sys.executable, "-m", "rashomon.cli", "ingest", *args, "--db", db, "--quiet"],
                                 capture_output=True, text=True, env=subprocess_env(),
                                 preexec_fn=unprivileged_preexec(), timeout=300)
            elapsed = time.perf_counter() - started
        store = rashomon.open_store(db)
        try:
            outcomes = collect(store, cases)
            kept = collect(store, [Case(p.name, str(p), (), "good", stored=1) for p in good])
        finally:
            store.close()

        def show(text: str) -> str:
            return text.replace(str(inputs) + "/", "").replace(server.url, "http://127.0.0.1:PORT")

        good_kept = sum(o.stored for o in kept.values())
        print("| # | input | what it is | message | good articles kept |")
        print("|---|---|---|---|---|")
        bad = []
        for n, case in enumerate(cases, 1):
            o = outcomes[case.name]
            problems = o.problems()
            if problems:
                bad.append((case.name, problems))
            inside = f"{o.stored} of {case.stored} inside it" if case.stored else "none inside"
            print(f"| {n} | `{_cell(show(case.input))}` | {_cell(case.what)} | {_cell(show(o.message()))}"
                  f"{' **UNEXPECTED**' if problems else ''} | {inside} |")
        print()
        print("Good files ingested beside them, all in the same run: "
              + ", ".join(f"{p.name} {'stored' if kept[p.name].stored else 'LOST'}" for p in good)
              + f" ({good_kept}/{len(good)})")
        print(f"Rejections stored: {len(store_rows(db)):,}; exit status {run.returncode} (3 = partial); "
              f"'Traceback' in output: {'yes' if 'Traceback' in run.stdout + run.stderr else 'no'}")
        print(f"Settings: {', '.join(f'{k}={v}' for k, v in SETTINGS.items())}")
        print(f"Total time: {elapsed:.1f}s for one `rashomon ingest` over {len(cases)} hostile inputs "
              f"(+ {len(good)} good files)")
        for name, problems in bad:
            print(f"UNEXPECTED {name}: {problems}", file=sys.stderr)
        ok = (not bad and run.returncode == 3 and good_kept == len(good)
              and "Traceback" not in run.stdout + run.stderr)
        return 0 if ok else 1
    finally:
        for path in inputs.iterdir():
            if not path.is_symlink():
                path.chmod(0o700)
        shutil.rmtree(tmp, ignore_errors=True)


def store_rows(db: str) -> list[dict]:
    store = rashomon.open_store(db)
    try:
        return store.rejections()
    finally:
        store.close()


if __name__ == "__main__":
    sys.exit(main())
