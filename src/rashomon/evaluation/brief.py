"""The brief measured on AllSides stories: faithfulness, neutrality (NeuS arousal) and ROUGE against roundups.

Data: ``stories/allsides_2021_apr_jul.jsonl`` (articles with the gold story in ``cluster_id``, left,
centre and right outlets) and ``allsides_2021_apr_jul.roundups.jsonl`` (AllSides' own neutral roundup of
each story, ``roundup``: a list of paragraphs). Each gold story is judged and briefed as Rashomon
does it for a stored story (:func:`rashomon.alignment.story_inputs`, :func:`judge_story`,
:func:`rashomon.brief.compose_brief`), its articles read first (:func:`rashomon.nlp.read_articles`).

* **faithfulness** — the brief is re-verified here, independently of the composer
  (:func:`rashomon.brief.verify_brief`): ``sentences``, ``with_citations`` (share; target 1.0),
  ``unsupported`` numbers / dates / names / quotations not found in a cited span (target 0) and
  ``bad_citations``; ``withheld`` counts the sentences the composer's own verifier kept out.
* **neutrality** — the NeuS arousal measure (Lee et al. 2022): the mean NRC-VAD arousal of the words
  of a text that the lexicon knows, averaged over stories, for our brief, the AllSides roundup and
  the source articles. Lower is calmer. NRC-VAD (Mohammad 2018) is research-only: it is read from
  the data folder (``lexicons/NRC-VAD-Lexicon-Aug2018Release``) and never shipped.
* **ROUGE** — ROUGE-1, ROUGE-2 (unigram / bigram F1) and ROUGE-L (longest common subsequence F1)
  of the brief's text against the roundup, lower-cased word tokens; for reference, the same
  against the roundup for the lead sentences of the story's first article (as many words as the brief).

Run: ``rashomon eval brief ../shared/data [--json] [--limit N]`` (the folder holding ``stories/`` and
``lexicons/``).
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any, Iterable

from ..errors import EvaluationError

__all__ = ["evaluate", "rouge", "arousal", "load_vad"]

_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
STORIES = Path("stories") / "allsides_2021_apr_jul.jsonl"
ROUNDUPS = Path("stories") / "allsides_2021_apr_jul.roundups.jsonl"
VAD = Path("lexicons") / "NRC-VAD-Lexicon-Aug2018Release" / "NRC-VAD-Lexicon.txt"


def _tokens(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("’", "'"))


def load_vad(path: Path) -> dict[str, float]:
    """Word → arousal from the NRC-VAD file (word, valence, arousal, dominance; tab-separated)."""
    out: dict[str, float] = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            cells = line.rstrip("\n").split("\t")
            if len(cells) == 4:
                try:
                    out[cells[0].lower()] = float(cells[2])
                except ValueError:
                    continue
    if not out:
        raise EvaluationError(f"{path}: no arousal values read; expected the NRC-VAD lexicon (word<TAB>v<TAB>a<TAB>d)")
    return out


def arousal(text: str, vad: dict[str, float]) -> float | None:
    values = [vad[w] for w in _tokens(text) if w in vad]
    return sum(values) / len(values) if values else None


def _ngrams(tokens: list[str], n: int) -> Counter:
    return Counter(tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1))


def _f1(overlap: int, n_pred: int, n_gold: int) -> float:
    if not overlap:
        return 0.0
    p, r = overlap / n_pred, overlap / n_gold
    return 2 * p * r / (p + r)


def _lcs(a: list[str], b: list[str]) -> int:
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b, 1):
            cur.append(prev[j - 1] + 1 if x == y else max(prev[j], cur[-1]))
        prev = cur
    return prev[-1]


def rouge(prediction: str, reference: str) -> dict[str, float]:
    p, g = _tokens(prediction), _tokens(reference)
    out = {}
    for n in (1, 2):
        pn, gn = _ngrams(p, n), _ngrams(g, n)
        out[f"rouge{n}"] = _f1(sum((pn & gn).values()), sum(pn.values()), sum(gn.values()))
    out["rougeL"] = _f1(_lcs(p, g), len(p), len(g)) if p and g else 0.0
    return out


def _mean(values: Iterable[float | None]) -> float | None:
    vals = [v for v in values if v is not None]
    return round(sum(vals) / len(vals), 4) if vals else None


def evaluate(data_dir: Path, *, limit: int | None = None) -> dict[str, Any]:
    from ..alignment import judge_story, story_inputs
    from ..brief import compose_brief, verify_brief
    from ..embed import get_embedder
    from ..nlp import ReadItem, read_articles

    data_dir = Path(data_dir)
    for rel in (STORIES, ROUNDUPS, VAD):
        if not (data_dir / rel).is_file():
            raise EvaluationError(f"{data_dir / rel} is missing; give the shared data folder (…/shared/data)")
    t0 = time.perf_counter()
    by_story: dict[str, list[dict[str, Any]]] = defaultdict(list)
    with open(data_dir / STORIES, encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            by_story[str(row["cluster_id"])].append(row)
    roundups = {}
    with open(data_dir / ROUNDUPS, encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            roundups[str(r["cluster_id"])] = " ".join(r.get("roundup") or [])
    vad = load_vad(data_dir / VAD)
    ids = sorted(by_story, key=lambda c: min(r["date"] or "" for r in by_story[c]))[:limit]
    rows = [{"id": r["id"], "source": r.get("outlet"), "published": (r.get("date") or "")[:10] or None,
             "syndication_group": None, "text": r["text"], "title": r.get("title")}
            for c in ids for r in by_story[c]]
    t = time.perf_counter()
    analyses = {k: v.to_json() for k, v in read_articles(
        ReadItem(r["id"], r["text"], "en", r["published"], "day" if r["published"] else None) for r in rows).items()}
    t_read = time.perf_counter() - t
    encoder = get_embedder()
    row_of = {r["id"]: r for r in rows}
    totals = Counter()
    per_section = Counter()
    scores: dict[str, list[float | None]] = defaultdict(list)
    examples = []
    t = time.perf_counter()
    for cid in ids:
        members = [row_of[r["id"]] for r in by_story[cid]]
        articles, claims, kinds = story_inputs(members, analyses)
        judged = judge_story(articles, claims, encoder, kinds)
        withheld: list[dict[str, Any]] = []
        brief = compose_brief(judged, {r["id"]: r for r in members}, rejected=withheld)
        problems = verify_brief(brief, {r["id"]: r["text"] for r in members}, [r["source"] or "" for r in members])
        totals["stories"] += 1
        totals["stories_with_brief"] += bool(brief)
        totals["sentences"] += len(brief)
        totals["with_citations"] += sum(1 for s in brief if s["citations"])
        totals["withheld"] += len(withheld)
        for p in problems:
            totals[p.kind] += 1
        for s in brief:
            per_section[s["section"]] += 1
        text = " ".join(s["text"] for s in brief)
        roundup = roundups.get(cid, "")
        if text:
            scores["brief_arousal"].append(arousal(text, vad))
            scores["roundup_arousal"].append(arousal(roundup, vad) if roundup else None)
            scores["source_arousal"].append(_mean(arousal(r["text"], vad) for r in members))
            if roundup:
                for k, v in rouge(text, roundup).items():
                    scores[k].append(v)
                lead_words = " ".join(members[0]["text"].split()[:len(text.split())])
                for k, v in rouge(lead_words, roundup).items():
                    scores["lead_" + k].append(v)
        if len(examples) < 3 and brief:
            examples.append({"cluster_id": cid, "brief": [s["text"] for s in brief[:4]]})
    t_brief = time.perf_counter() - t
    n_sent = totals["sentences"]
    return {
        "dataset": "allsides_2021_apr_jul", "stories": totals["stories"], "articles": len(rows),
        "faithfulness": {
            "stories_with_brief": totals["stories_with_brief"], "sentences": n_sent,
            "by_section": dict(per_section),
            "with_citations": round(totals["with_citations"] / n_sent, 4) if n_sent else None,
            "unsupported": totals["unsupported"], "bad_citations": totals["bad_citation"],
            "no_citation": totals["no_citation"], "withheld_by_composer": totals["withheld"]},
        "neutrality_arousal": {"brief": _mean(scores["brief_arousal"]), "roundup": _mean(scores["roundup_arousal"]),
                               "sources": _mean(scores["source_arousal"]),
                               "stories": len([v for v in scores["brief_arousal"] if v is not None])},
        "rouge_vs_roundup": {k: _mean(scores[k]) for k in ("rouge1", "rouge2", "rougeL")},
        "rouge_lead_baseline": {k: _mean(scores["lead_" + k]) for k in ("rouge1", "rouge2", "rougeL")},
        "seconds": {"read": round(t_read, 1), "judge_and_brief": round(t_brief, 1),
                    "per_story_judge_and_brief": round(t_brief / max(len(ids), 1), 3),
                    "total": round(time.perf_counter() - t0, 1)},
        "examples": examples,
    }


def _table(r: dict[str, Any]) -> str:
    f, a = r["faithfulness"], r["neutrality_arousal"]
    return "\n".join([
        f"AllSides briefs: {r['stories']} stories, {r['articles']} articles; {f['stories_with_brief']} with a brief",
        f"faithfulness: {f['sentences']} sentences, {f['with_citations']} cited, {f['unsupported']} unsupported "
        f"items, {f['bad_citations']} bad citations; {f['withheld_by_composer']} sentences withheld by the composer",
        f"arousal (lower = calmer): brief {a['brief']}, roundup {a['roundup']}, sources {a['sources']}",
        f"ROUGE vs roundup: {r['rouge_vs_roundup']}; lead baseline {r['rouge_lead_baseline']}",
        f"seconds: {r['seconds']}"])
