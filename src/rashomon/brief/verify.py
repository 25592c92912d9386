"""The brief's verifier: every number, date, name and quotation in a sentence must be in a span it cites.

A brief sentence is template words (fixed connective text, :data:`TEMPLATE_WORDS`), source labels
(outlet names, as the brief's ``sources`` lists them) and text copied from the cited spans. The verifier
does not trust the composer: it re-reads each cited span from the article text, checks that the
span still says what the citation quotes, then pulls the checkable items out of the sentence —

* numbers (``327``, ``1,200``, ``3.5``) and spelled counts are compared as written;
* dates: month names, weekdays and years;
* names: runs of capitalised words (sentence-initial function words aside);
* quotations: anything between quotation marks —

and requires each to occur in one of the sentence's cited spans (case and spacing aside), or in a
source label, or in the template vocabulary. ``verify_brief`` returns the problems; ``check_brief``
raises :class:`~rashomon.errors.BriefError` listing them, which the composer does on every brief.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from ..errors import BriefError

__all__ = ["Problem", "verify_brief", "check_brief", "checkable_items", "TEMPLATE_WORDS"]

# Every capitalised word the composer's templates may write (compose.py builds only from these).
TEMPLATE_WORDS = frozenset("""Sources differ on the date place figure account who whether it happened report
    reports say says and earlier later first then Reports changed over time publication order unknown
    Single source According to only independent in article articles""".split())

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_MONTHS = ("january february march april may june july august september october november december "
           "jan feb mar apr jun jul aug sep sept oct nov dec").split()
_WEEKDAYS = "monday tuesday wednesday thursday friday saturday sunday".split()
_DATE_WORD = re.compile(r"\b(?:" + "|".join(_MONTHS + _WEEKDAYS) + r")\b\.?", re.IGNORECASE)
_QUOTED = re.compile(r"[\"“]([^\"”]{2,})[\"”]")
_CAPS = re.compile(r"\b[A-Z][\w'’.-]*(?:\s+(?:of|the|al|bin|de|del|von|van)?\s*[A-Z][\w'’.-]*)*")
_FUNCTION = frozenset("""The A An This That These Those It Its He She They We I In On At By For From With As But And
    Or If When While After Before Since Despite Although However Meanwhile Earlier Later Also Still Yet So Then
    There Here What Who Why How Which According""".split())


@dataclass(frozen=True)
class Problem:
    sentence: int
    kind: str          # no_citation | bad_citation | unsupported
    item: str
    message: str


def _norm(text: str) -> str:
    text = text.replace("’", "'").replace("“", '"').replace("”", '"')
    return " ".join(re.sub(r"[^\w'\" .,-]", " ", text.lower()).split())


def checkable_items(text: str) -> list[tuple[str, str]]:
    """``(kind, item)`` pairs of a sentence: numbers, date words, names, quotations."""
    items: list[tuple[str, str]] = []
    for m in _QUOTED.finditer(text):
        items.append(("quote", m.group(1).strip()))
    for m in _NUMBER.finditer(text):
        items.append(("number", m.group(0).rstrip(".,")))
    for m in _DATE_WORD.finditer(text):
        items.append(("date", m.group(0).rstrip(".")))
    for m in _CAPS.finditer(text):
        words = m.group(0).split()
        while words and words[0] in _FUNCTION:
            words = words[1:]
        name = " ".join(words).rstrip(".,'’")
        if name and not all(w.strip(".,'’") in TEMPLATE_WORDS for w in name.split()):
            items.append(("name", name))
    return items


def verify_brief(brief: Iterable[Mapping[str, Any]], texts: Mapping[str, str],
                 source_labels: Iterable[str] = ()) -> list[Problem]:
    """Problems of ``brief`` (its sentences) against the article ``texts`` by id; empty when faithful."""
    labels = [_norm(s) for s in source_labels if s]
    problems: list[Problem] = []
    for n, sentence in enumerate(brief):
        cites = sentence.get("citations") or []
        if not cites:
            problems.append(Problem(n, "no_citation", "", f"sentence {n + 1} cites nothing: {sentence['text']!r}"))
            continue
        spans = []
        for c in cites:
            text = texts.get(c["article_id"])
            if text is None or text[c["start"]:c["end"]] != c["quote"]:
                problems.append(Problem(n, "bad_citation", c.get("quote", ""),
                                        f"sentence {n + 1}: citation of {c['article_id']} [{c['start']}:{c['end']}] "
                                        "does not match the article text"))
                continue
            spans.append(_norm(c["quote"]))
        haystack = " \x1f ".join(spans + labels)
        for kind, item in checkable_items(sentence["text"]):
            needle = _norm(item)
            if needle and needle not in haystack:
                problems.append(Problem(n, "unsupported", item,
                                        f"sentence {n + 1}: {kind} {item!r} is in no span it cites"))
    return problems


def check_brief(brief: list[Mapping[str, Any]], texts: Mapping[str, str], source_labels: Iterable[str] = ()) -> None:
    """Raise BriefError listing every problem of ``brief``."""
    problems = verify_brief(brief, texts, source_labels)
    if problems:
        shown = "\n".join("  " + p.message for p in problems[:20])
        more = f"\n  … and {len(problems) - 20} more" if len(problems) > 20 else ""
        raise BriefError(f"the brief failed verification ({len(problems)} problem(s)):\n{shown}{more}")
