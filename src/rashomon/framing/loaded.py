"""Loaded language: words and quotation marks that tell the reader what to think of what happened.

``loaded_spans(text, analysis_json=None)`` finds, with character offsets into ``text``:

* lexicon hits (the curated list in ``data/loaded_en.tsv``, written for this project; see
  ``data/NOTICE``): loaded **labels** ("tyrant", "regime", "thugs", "jihadist"), **charged** verbs,
  adjectives and nouns ("slammed", "atrocious", "liberating", "carnage"), **intensifiers**
  ("extremely", "utterly") and **distancing** markers ("so-called", "self-styled");
* **scare quotes**: a short quoted fragment (one to four words) that nobody is said to have
  spoken, which is the writer keeping a word at arm's length ('the "students"').

Each span is ``{"start", "end", "text", "category", "weight", "polarity", "in_quote"}``.
``in_quote`` is True for words inside someone else's quoted speech: the outlet reports them but
did not choose them, so they are kept apart from the outlet's own voice. With an analysis
(:meth:`rashomon.nlp.types.ArticleAnalysis.to_json`) its sentences and quotes are used; without
one the text is split and its quotation marks paired here.

A capitalised hit in the middle of a sentence is taken for part of a name ("Patriot missile",
"Liberation Army") and skipped; all-capitals words are kept (that is emphasis).

``sentence_loadedness(text, analysis_json)`` scores each analysis sentence in [0, 1) from the
outlet's own-voice spans: ``1 - exp(-sum of weights)``, so one strong word (weight 1.0) gives .63,
one mild word (.3) gives .26, and more words saturate towards 1.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Iterator

from ..errors import ConfigError
from ..nlp.attribution import find_quotes

__all__ = ["CATEGORIES", "LexiconEntry", "Lexicon", "load_lexicon", "parse_lexicon", "loaded_spans", "sentence_loadedness",
           "text_loadedness", "quote_spans", "sentence_bounds", "BIASED_THRESHOLD"]

CATEGORIES = ("label", "charged_verb", "charged_adjective", "charged_noun", "intensifier", "distancing",
              "scare_quote")
_LEXICON_CATEGORIES = CATEGORIES[:-1]
_POS = ("n", "v", "a", "x")

# A sentence counts as loaded (for the untrained BABE detector) from this score on: one medium
# word (weight .6 -> .45) or two mild ones; a single mild word (.3 -> .26) does not.
BIASED_THRESHOLD = 0.4

SCARE_QUOTE_WEIGHT = 0.6
SCARE_QUOTE_MAX_WORDS = 4
# Said-verbs that make a short quoted fragment someone's words rather than the writer's irony.
_SPEECH_CUE = re.compile(
    r"(?<![\w-])(?:said|says|say|told|tells|stated|wrote|writes|called|calls|described|describes|dubbed|"
    r"according to|claimed|claims|added|insisted|argued|warned|noted|declared|tweeted|posted|"
    r"asked|replied|quoted|put it|in (?:his|her|their) words)\b", re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
_TOKEN = _WORD


def _stem(token: str) -> str:
    """A token without its possessive: "regime's" -> "regime"."""
    return token[:-2] if token.endswith("'s") and len(token) > 2 else token


# Senses of a listed word that carry no attitude, recognised by what follows it: a war that
# "claimed 327 lives", a group that "claimed responsibility".
_LITERAL_USE = {
    "claim": re.compile(r"\s+(?:at\s+least\s+|more\s+than\s+|over\s+|nearly\s+|about\s+|some\s+|the\s+)?"
                        r"(?:\d|lives\b|responsibility\b|victory\b|credit\b|(?:his|her|their|its)\s+life)",
                        re.IGNORECASE),
}
# What may precede a sentence-initial (so legitimately capitalised) word.
_OPENERS = set(".!?:;\"“”‘'([{—–-\n")


@dataclass(frozen=True)
class LexiconEntry:
    term: str          # the lemma or first listed form, as written in the file
    category: str
    weight: float
    polarity: int      # -1 casts the target in a bad light, +1 in a good one, 0 no direction


class Lexicon:
    """Surface forms mapped to entries, and a matcher that walks the text's words once."""

    def __init__(self, forms: dict[str, LexiconEntry]):
        if not forms:
            raise ConfigError("the loaded-language lexicon is empty; expected at least one entry")
        self.forms = forms
        # Phrases indexed by their first word, longest first: "lash out" is tried before "lash".
        self.by_first: dict[str, list[tuple[str, ...]]] = {}
        for form in forms:
            words = tuple(form.split(" "))
            self.by_first.setdefault(words[0], []).append(words)
        for phrases in self.by_first.values():
            phrases.sort(key=len, reverse=True)

    def finditer(self, text: str) -> Iterator[tuple[int, int]]:
        """(start, end) of every non-overlapping hit, left to right. A hit is whole words only:
        "war-torn" matches as one word and "regime" does not match inside "regime-held"; a
        possessive "'s" is not part of the hit."""
        tokens = [(m.start(), m.end(), m.group().lower().replace("’", "'")) for m in _TOKEN.finditer(text)]
        k, n = 0, len(tokens)
        while k < n:
            hit = None
            for phrase in self.by_first.get(_stem(tokens[k][2]), ()):
                last = k + len(phrase) - 1
                if len(phrase) > 1 and tokens[k][2] != phrase[0]:
                    continue   # only a phrase's last word may carry the possessive
                if last >= n or any(
                        (tokens[k + j][2] if j < len(phrase) - 1 else _stem(tokens[k + j][2])) != phrase[j]
                        or (j and text[tokens[k + j - 1][1]:tokens[k + j][0]].strip())
                        for j in range(1, len(phrase))):
                    continue
                end = tokens[last][1]
                if tokens[last][2] != phrase[-1]:    # drop the possessive from the span
                    end -= 2
                hit = (tokens[k][0], end, last)
                break
            if hit is None:
                k += 1
                continue
            yield hit[0], hit[1]
            k = hit[2] + 1

    def entry(self, surface: str) -> LexiconEntry:
        return self.forms[" ".join(surface.lower().replace("’", "'").split())]

    def __len__(self) -> int:
        return len(self.forms)


def _double_final(word: str) -> bool:
    """Short verbs ending consonant-vowel-consonant double it: slam -> slammed."""
    return bool(re.fullmatch(r"[^aeiou]*[aeiou][^aeiouwxy]", word))


def _verb_forms(verb: str) -> list[str]:
    if verb.endswith("e"):
        return [verb, verb + "s", verb + "d", verb[:-1] + "ing"]
    if verb.endswith("y") and len(verb) > 1 and verb[-2] not in "aeiou":
        return [verb, verb[:-1] + "ies", verb[:-1] + "ied", verb + "ing"]
    if verb.endswith(("s", "sh", "ch", "x", "z")):
        return [verb, verb + "es", verb + "ed", verb + "ing"]
    if _double_final(verb):
        return [verb, verb + "s", verb + verb[-1] + "ed", verb + verb[-1] + "ing"]
    return [verb, verb + "s", verb + "ed", verb + "ing"]


def _noun_forms(noun: str) -> list[str]:
    if noun.endswith(("s", "sh", "ch", "x", "z")):
        return [noun, noun + "es"]
    if noun.endswith("y") and noun[-2:-1] not in ("a", "e", "i", "o", "u"):
        return [noun, noun[:-1] + "ies"]
    return [noun, noun + "s"]


def _adjective_forms(adj: str) -> list[str]:
    if adj.endswith("ic"):
        return [adj, adj + "ally"]
    if adj.endswith("le"):
        return [adj, adj[:-1] + "y"]
    if adj.endswith("y"):
        return [adj, adj[:-1] + "ily"]
    return [adj, adj + "ly"]


def _forms(term: str, pos: str) -> list[str]:
    """Every surface form of one lexicon line; in a phrase only the first word inflects."""
    if pos == "x":
        return [f.strip() for f in term.split("|") if f.strip()]
    head, _, rest = term.partition(" ")
    make = {"n": _noun_forms, "v": _verb_forms, "a": _adjective_forms}[pos]
    if pos == "n" and rest:   # "freedom fighter": the last word takes the plural
        *first, last = term.split(" ")
        return [" ".join(first + [f]) for f in _noun_forms(last)]
    return [f + (" " + rest if rest else "") for f in make(head)]


def parse_lexicon(lines: Iterable[str], source: str = "<lexicon>") -> Lexicon:
    """A :class:`Lexicon` from TSV lines (``term, category, weight, polarity, pos``; # comments)."""
    forms: dict[str, LexiconEntry] = {}
    header_seen = False
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.rstrip("\n").split("\t")
        if not header_seen and cells[0] == "term":
            header_seen = True
            continue
        where = f"{source}:{number}"
        if len(cells) != 5:
            raise ConfigError(f"{where}: expected 5 tab-separated cells (term, category, weight, polarity, pos), "
                              f"got {len(cells)}")
        term, category, weight, polarity, pos = (c.strip() for c in cells)
        if category not in _LEXICON_CATEGORIES:
            raise ConfigError(f"{where}: unknown category {category!r}; valid: {', '.join(_LEXICON_CATEGORIES)}")
        if pos not in _POS:
            raise ConfigError(f"{where}: unknown pos {pos!r}; valid: {', '.join(_POS)}")
        try:
            w, p = float(weight), int(polarity)
        except ValueError:
            raise ConfigError(f"{where}: weight must be a number and polarity -1, 0 or 1; "
                              f"got {weight!r}, {polarity!r}") from None
        if not 0 < w <= 1 or p not in (-1, 0, 1):
            raise ConfigError(f"{where}: weight must be in (0, 1] and polarity -1, 0 or 1; got {w}, {p}")
        entry = LexiconEntry(term.split("|")[0], category, w, p)
        for form in _forms(term.lower(), pos):
            # The first line that produces a form keeps it ("radical" the label, not the adjective).
            forms.setdefault(" ".join(form.split()), entry)
    return Lexicon(forms)


@lru_cache(maxsize=4)
def load_lexicon(path: str | None = None) -> Lexicon:
    """The shipped lexicon, or one read from ``path`` (same format)."""
    if path is None:
        text = resources.files(__package__).joinpath("data/loaded_en.tsv").read_text(encoding="utf-8")
        return parse_lexicon(text.splitlines(), "loaded_en.tsv")
    p = Path(path)
    if not p.is_file():
        raise ConfigError(f"loaded-language lexicon {path} does not exist; give a TSV file "
                          f"(term, category, weight, polarity, pos)")
    return parse_lexicon(p.read_text(encoding="utf-8").splitlines(), str(p))


# ---------------------------------------------------------------------------------------------
# Sentences and quotes

_SENT_END = re.compile(r"(?<=[.!?…])[\"”’')\]]*\s+(?=[\"“‘'(\[]*[A-Z0-9])|\n+")


def sentence_bounds(text: str, analysis_json: dict[str, Any] | None = None) -> list[tuple[int, int]]:
    """(start, end) of each sentence: the analysis's, or a punctuation split when there is none."""
    if analysis_json is not None:
        return [(s["start"], s["end"]) for s in analysis_json.get("sentences", [])]
    bounds, pos = [], 0
    for m in _SENT_END.finditer(text):
        if text[pos:m.start()].strip():
            bounds.append((pos, m.start()))
        pos = m.end()
    if text[pos:].strip():
        bounds.append((pos, len(text.rstrip())))
    return bounds


def _sentence_of(bounds: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    for a, b in bounds:
        if a <= pos < b:
            return a, b
    return pos, pos


def _is_scare(text: str, start: int, end: int, sentence: tuple[int, int], has_speaker: bool | None) -> bool:
    inside = text[start:end].strip()
    words = _WORD.findall(inside)
    if not words or len(words) > SCARE_QUOTE_MAX_WORDS:
        return False
    if all(w[0].isupper() for w in words if w.lower() not in ("the", "of", "a", "an", "and", "in")):
        return False   # a title or a name in quotes: "Orange Is the New Black"
    if inside[-1:] in ".!?,":
        return False   # a fragment of speech carrying its own punctuation
    if has_speaker is not None:
        return not has_speaker
    a, b = sentence
    return not _SPEECH_CUE.search(text[a:b])


def quote_spans(text: str, analysis_json: dict[str, Any] | None = None,
                bounds: list[tuple[int, int]] | None = None) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(speech quotes, scare quotes) as lists of (start, end) of the inside of the marks."""
    bounds = bounds if bounds is not None else sentence_bounds(text, analysis_json)
    if analysis_json is not None:
        found = [(q["start"], q["end"], q.get("speaker") is not None) for q in analysis_json.get("quotes", [])]
    else:
        found = [(a, b, None) for a, b in find_quotes(text)]
    speech, scare = [], []
    for a, b, has_speaker in found:
        if _is_scare(text, a, b, _sentence_of(bounds, a), has_speaker):
            scare.append((a, b))
        else:
            speech.append((a, b))
    return speech, scare


# ---------------------------------------------------------------------------------------------
# Spans

def _sentence_initial(text: str, pos: int, starts: set[int]) -> bool:
    if pos in starts:
        return True
    k = pos - 1
    while k >= 0 and text[k] in " \t":
        k -= 1
    return k < 0 or text[k] in _OPENERS


def _inside(spans: list[tuple[int, int]], a: int, b: int) -> bool:
    return any(s <= a and b <= e for s, e in spans)


def loaded_spans(text: str, analysis_json: dict[str, Any] | None = None, *,
                 lexicon: Lexicon | None = None) -> list[dict[str, Any]]:
    """Loaded words and scare quotes in ``text``, in text order (see the module docstring)."""
    if not isinstance(text, str):
        raise TypeError(f"loaded_spans needs the article text as str, got {type(text).__name__}")
    lexicon = lexicon or load_lexicon()
    bounds = sentence_bounds(text, analysis_json)
    starts = {a for a, _ in bounds}
    speech, scare = quote_spans(text, analysis_json, bounds)
    spans: list[dict[str, Any]] = []
    for a, b in lexicon.finditer(text):
        surface = text[a:b]
        if surface[0].isupper() and not surface.isupper() and not _sentence_initial(text, a, starts):
            continue
        entry = lexicon.entry(surface)
        literal = _LITERAL_USE.get(entry.term)
        if literal is not None and literal.match(text, b):
            continue
        spans.append({"start": a, "end": b, "text": surface, "category": entry.category,
                      "weight": entry.weight, "polarity": entry.polarity,
                      "in_quote": _inside(speech, a, b) or _inside(scare, a, b)})
    for a, b in scare:
        if not _inside(speech, a, b):
            spans.append({"start": a, "end": b, "text": text[a:b], "category": "scare_quote",
                          "weight": SCARE_QUOTE_WEIGHT, "polarity": -1, "in_quote": False})
    spans.sort(key=lambda s: (s["start"], -s["end"]))
    return spans


def _score(total: float) -> float:
    return round(1.0 - math.exp(-total), 4)


def sentence_loadedness(text: str, analysis_json: dict[str, Any] | None,
                        spans: list[dict[str, Any]] | None = None) -> list[float]:
    """Own-voice loadedness in [0, 1) per analysis sentence (one score for the whole text without one)."""
    if spans is None:
        spans = loaded_spans(text, analysis_json)
    bounds = sentence_bounds(text, analysis_json) if analysis_json is not None else [(0, len(text))]
    totals = [0.0] * len(bounds)
    own = [s for s in spans if not s["in_quote"]]
    i = 0
    for s in own:   # both lists are in text order
        while i < len(bounds) and bounds[i][1] <= s["start"]:
            i += 1
        if i == len(bounds):
            break
        if bounds[i][0] <= s["start"]:
            totals[i] += s["weight"]
    return [_score(t) for t in totals]


def text_loadedness(text: str) -> float:
    """Own-voice loadedness of a short text taken as one sentence (BABE-style items)."""
    return sentence_loadedness(text, None)[0]
