"""The neutral brief: sentences built from a story's judged claims, each citing the spans it rests on.

Faithful by construction: the factual words of every sentence are copied from one cited span; the
only other words are fixed templates (:data:`.verify.TEMPLATE_WORDS`) and source labels. Sections,
in order:

1. ``established`` — claims corroborated by at least two independent sources, current events before
   background, most independent sources first. Of the wordings the sources give, the one with the
   least loaded language is taken (:func:`rashomon.framing.loaded.loaded_spans` in the outlet's own
   voice), ties to the shortest; then its intensifiers ("utterly"), charged adjectives ("stunning")
   and distancing markers ("so-called") are dropped — removing an adjective or adverb changes no
   fact. The sentence cites every source of the claim (the chosen span first).
2. ``disputed`` — one sentence per conflict: "Sources differ on the date: A and B say “Nov. 27”;
   C says “Nov. 25”.", citing each side's spans.
3. ``updates`` — "Reports changed over time: first “near Aleppo” (A), later “in Aleppo” (B)." (or
   "publication order unknown" when the articles carry no dates).
4. ``single_source`` — the single-source claims that read as full sentences, at most a few, each
   marked with its one source.

A wording that is a clause fragment ("linking Aleppo to Damascus", "who had been deployed ...") is
never used: it reads as nothing on its own. :func:`compose_brief` ends with the verifier
(:mod:`.verify`): a sentence it rejects is left out and reported, and the brief returned must pass
:func:`.verify.check_brief` as a whole (BriefError otherwise).
"""

from __future__ import annotations

import re
from typing import Any, Mapping, Sequence

from ..articles.naming import source_name
from .verify import check_brief, verify_brief

__all__ = ["compose_brief", "MAX_ESTABLISHED", "MAX_SINGLE"]

MAX_ESTABLISHED = 8
MAX_SINGLE = 4
_MIN_WORDS = 5
_DROP_CATEGORIES = ("intensifier", "charged_adjective", "distancing")
_FUNCTION_NEXT = frozenset("""of in on at to for from by with and or but as is are was were has have had be been
    that which who whose said says""".split())
_KIND_WORD = {"date": "the date", "number": "the figure", "place": "the place", "actor": "who was involved",
              "negation": "whether it happened", "other": "the account"}
# Words that start a dependent clause or a participle phrase: such a span is not a sentence.
_FRAGMENT_START = frozenset("""who whom whose which that where when while as because although though if since
    after before until unless whether linking including according to and but or nor so having being""".split())


def _whole_sentence(quote: str) -> bool:
    words = quote.split()
    if len(words) < _MIN_WORDS:
        return False
    first = words[0].strip("\"“‘'(")
    return bool(first) and first[0].isupper() and first.lower() not in _FRAGMENT_START \
        and not first.lower().endswith("ing")


def _own_loaded(quote: str) -> tuple[float, list[dict[str, Any]]]:
    from ..framing.loaded import loaded_spans

    spans = [s for s in loaded_spans(quote) if not s["in_quote"]]
    return sum(s["weight"] for s in spans), spans


def _droppable(quote: str, span: Mapping[str, Any]) -> bool:
    if span["category"] in _DROP_CATEGORIES:
        return True
    # a label in front of a noun or a name ("jihadist rebels", "tyrant Bashar al-Assad") is a modifier:
    # the sentence stands without it; "the regime of ..." would not
    nxt = re.match(r"\s+([A-Za-z][\w'’-]*)", quote[span["end"]:])
    return span["category"] == "label" and nxt is not None and nxt.group(1).lower() not in _FUNCTION_NEXT


def _neutral(quote: str, spans: list[dict[str, Any]]) -> str:
    """The quote without its intensifiers, charged adjectives, distancing markers and modifying labels."""
    out = quote
    for s in sorted(spans, key=lambda s: -s["start"]):
        if _droppable(quote, s):
            out = out[:s["start"]] + out[s["end"]:]
    out = re.sub(r"\s+([,.;:])", r"\1", re.sub(r"\s{2,}", " ", out)).strip()
    out = re.sub(r"\b(a|an)\s+(?=[aeiouAEIOU])", lambda m: "an " if m.group(1).islower() else "An ", out)
    return out


def _finish(text: str) -> str:
    text = text.strip().rstrip(",;:")
    if text and text[0].islower():
        text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?", "”", '"')) else text + "."


def _citation(src: Mapping[str, Any]) -> dict[str, Any]:
    return {"article_id": src["article_id"], "start": src["start"], "end": src["end"], "quote": src["quote"]}


def _established(claim: Mapping[str, Any]) -> dict[str, Any] | None:
    options = [s for s in claim["sources"] if _whole_sentence(s["quote"])]
    if not options:
        return None
    scored = []
    for s in options:
        weight, spans = _own_loaded(s["quote"])
        scored.append((weight, len(s["quote"]), s, spans))
    weight, _, best, spans = min(scored, key=lambda x: (x[0], x[1], x[2]["article_id"]))
    cites = [_citation(best)] + [_citation(s) for s in claim["sources"] if s is not best]
    return {"text": _finish(_neutral(best["quote"], spans)), "section": "established",
            "claim_ids": [claim["id"]], "article_ids": list(dict.fromkeys(c["article_id"] for c in cites)),
            "citations": cites, "independent_sources": claim["independent_sources"],
            "loaded_dropped": [s["text"] for s in spans if _droppable(best["quote"], s)]}


def _value(side: Mapping[str, Any]) -> str:
    """The side's value in quotation marks when its spans say it verbatim, else as normalised, unquoted
    ("near Aleppo" read from "within a few kilometres of Aleppo")."""
    value = str(side["value"])
    verbatim = any(value.lower() in e["quote"].lower() for e in side.get("evidence") or [])
    return f"“{value}”" if verbatim else value


def _sides_text(sides: Sequence[Mapping[str, Any]], labels: Mapping[str, str]) -> str:
    parts = []
    for side in sides:
        who = " and ".join(dict.fromkeys(labels.get(a, a) for a in side["article_ids"]))
        verb = "says" if len(side["article_ids"]) == 1 else "say"
        parts.append(f"{who} {verb} {_value(side)}")
    return "; ".join(parts)


def _side_citations(sides: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    cites = []
    for side in sides:
        for e in side.get("evidence") or []:
            cites.append(_citation(e))
    return cites


def compose_brief(story: Mapping[str, Any], articles: Mapping[str, Mapping[str, Any]], *,
                  max_established: int = MAX_ESTABLISHED, max_single: int = MAX_SINGLE,
                  rejected: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """The brief of a judged story (``claims``, ``conflicts``, ``updates`` as ``story_claims`` gives them);
    ``articles`` maps article id → row (``source``/``path``, ``text``, ``published``). Sentences the
    verifier rejects are left out and appended to ``rejected`` (when given) with the problem."""
    rejected = rejected if rejected is not None else []
    labels = {aid: source_name(a) for aid, a in articles.items()}
    claims = story.get("claims") or []
    brief: list[dict[str, Any]] = []
    corroborated = [c for c in claims if c["status"] == "corroborated"]
    corroborated.sort(key=lambda c: (bool(c.get("background")), -c["independent_sources"],
                                     min((s["article_id"], s["start"]) for s in c["sources"])))
    for claim in corroborated:
        if sum(1 for s in brief if s["section"] == "established") >= max_established:
            break
        sentence = _established(claim)
        if sentence:
            brief.append(sentence)
    for x in story.get("conflicts") or []:
        cites = _side_citations(x["sides"])
        if len(x["sides"]) < 2 or not cites:
            continue
        brief.append({"text": f"Sources differ on {_KIND_WORD.get(x['kind'], 'the account')}: "
                              f"{_sides_text(x['sides'], labels)}.",
                      "section": "disputed", "claim_ids": [x["claim_id"]], "conflict_id": x["id"],
                      "article_ids": list(dict.fromkeys(c["article_id"] for c in cites)), "citations": cites})
    for x in story.get("updates") or []:
        cites = _side_citations(x["sides"])
        if len(x["sides"]) < 2 or not cites:
            continue
        dated = all(articles.get(a, {}).get("published") for side in x["sides"] for a in side["article_ids"])
        steps = [f"{_value(side)} ({' and '.join(dict.fromkeys(labels.get(a, a) for a in side['article_ids']))})"
                 for side in x["sides"]]
        text = ("Reports changed over time: first " + ", then ".join(steps) + "." if dated else
                "Reports differ, publication order unknown: " + "; ".join(steps) + ".")
        brief.append({"text": text, "section": "updates", "claim_ids": [x["claim_id"]], "update_id": x["id"],
                      "article_ids": list(dict.fromkeys(c["article_id"] for c in cites)), "citations": cites})
    singles = [c for c in claims if c["status"] == "single_source" and not c.get("background")]
    added = 0
    for claim in singles:
        if added >= max_single:
            break
        sentence = _established(claim)
        if sentence:
            sentence["section"] = "single_source"
            sentence["source"] = labels.get(sentence["article_ids"][0], sentence["article_ids"][0])
            brief.append(sentence)
            added += 1
    texts = {aid: a["text"] for aid, a in articles.items()}
    # A sentence the verifier rejects never reaches the reader: it is set aside with the reason, and
    # what remains must then pass as a whole (BriefError otherwise — a bug, never a silent pass).
    bad = {p.sentence: p.message for p in verify_brief(brief, texts, labels.values())}
    kept = [s for n, s in enumerate(brief) if n not in bad]
    rejected.extend({"text": s["text"], "section": s["section"], "problem": bad[n]}
                    for n, s in enumerate(brief) if n in bad)
    check_brief(kept, texts, labels.values())
    return kept
