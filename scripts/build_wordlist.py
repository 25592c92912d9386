"""Rebuild ``src/rashomon/framing/data/words_en.txt.gz``, the English word list used by the spelling flag.

Source: SCOWL size 70 as packaged by Debian (``apt-get install wamerican-large wbritish-large``),
American and British spellings together. SCOWL's licence is permissive (MIT-like, with public-domain
and BSD-style parts); its full text is kept next to the list in ``SCOWL-COPYRIGHT.txt``.

Only lower-case entries are kept: the spelling check never judges a capitalised word, so the proper
names in SCOWL would be dead weight. Possessives ("'s") are dropped; the checker strips them itself.

    python scripts/build_wordlist.py [--american PATH] [--british PATH]
"""

from __future__ import annotations

import argparse
import gzip
import re
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src/rashomon/framing/data/words_en.txt.gz"
_LOWER_WORD = re.compile(r"^[^\W\d_A-Z][^\W\d_]*(?:['-][^\W\d_]+)*$")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--american", default="/usr/share/dict/american-english-large")
    ap.add_argument("--british", default="/usr/share/dict/british-english-large")
    args = ap.parse_args(argv)
    words: set[str] = set()
    for path in (args.american, args.british):
        try:
            lines = Path(path).read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            print(f"{path} is missing: apt-get install wamerican-large wbritish-large", file=sys.stderr)
            return 2
        for line in lines:
            w = line.strip()
            if w.endswith("'s") or not _LOWER_WORD.match(w) or w != w.lower():
                continue
            words.add(w)
    data = "\n".join(sorted(words)).encode("utf-8") + b"\n"
    # mtime=0 keeps the artefact byte-identical across rebuilds
    OUT.write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
    print(f"{len(words)} words -> {OUT} ({OUT.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
