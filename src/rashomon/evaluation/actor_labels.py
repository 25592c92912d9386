"""Actor labels measured on NewsWCL50: do an actor's references recover the annotated mentions of its concept?

NewsWCL50 (Hamborg et al. 2019) codes, in 50 articles on 10 events (5 outlets each), every phrase
that refers to a *target concept* — names, titles and the word choices an outlet makes for it
("Kim", "the North Korean leader", "North Korean dictator"; "the caravan", "the migrants",
"asylum-seekers"). The gold comes from ``full_text_cdcr/conll.csv`` as loaded by
:mod:`rashomon.evaluation.aliases` (chains already aligned to the re-tokenised text).

For each event the five articles are read (:func:`rashomon.nlp.read_articles`) and handed to
:func:`rashomon.framing.labels.story_actors`; every reference it returns (names, descriptors,
appositions, predicates, role references, group nouns) is a predicted mention of its actor.
Gold and predicted mentions are matched one-to-one as in the aliases evaluation: a prediction
matches a gold mention when it lies mostly inside it and covers its head word. Then, per gold
concept, the predicted actor holding most of its matched mentions is the concept's actor, and

* recall = gold mentions matched to that actor / gold mentions of the concept;
* precision = those matches / every reference of that actor in the event (references that match
  nothing annotated count against it, so the figure is a lower bound where the coders skipped
  mentions);
* F1 per concept, then ``macro`` (mean over concepts, as the published evaluation reports its
  F1 = 45.7) and ``micro`` (summed counts).

Concept types scored: the actor types ``ACTOR``, ``ACTOR-I``, ``COUNTRY``, ``GROUP`` (``actors``);
``by_type`` breaks them down. ``EVENT``, ``OBJECT``, ``ACTION`` and ``MISC`` concepts are not
actors and are not scored. ``baseline_names`` scores the named-entity mentions alone (what the
reading resolves without any labels), in the same run.

Run: ``rashomon eval labels DATA_DIR [--json]``.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from .aliases import DEFAULT_DATA, _match, load_documents

__all__ = ["evaluate", "concept_scores", "ACTOR_TYPES"]

ACTOR_TYPES = ("ACTOR", "ACTOR-I", "COUNTRY", "GROUP")


class _Pred:
    __slots__ = ("start", "end", "actor")

    def __init__(self, start: int, end: int, actor: str):
        self.start, self.end, self.actor = start, end, actor


def concept_scores(gold_by_concept: dict[tuple[str, str], int], matches: list[tuple[str, str, str]],
                   sizes: dict[tuple[str, str], int]) -> dict[str, Any]:
    """``matches``: (event, concept, actor) for each matched gold mention; ``sizes``: (event, actor) → references."""
    votes: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for ev, concept, actor in matches:
        votes[(ev, concept)][actor] += 1
    per: dict[str, dict[str, float]] = {}
    tp_sum = gold_sum = pred_sum = 0
    for (ev, concept), n_gold in gold_by_concept.items():
        if votes[(ev, concept)]:
            actor, tp = votes[(ev, concept)].most_common(1)[0]
            n_pred = sizes[(ev, actor)]
        else:
            tp, n_pred = 0, 0
        p = tp / n_pred if n_pred else 0.0
        r = tp / n_gold
        per[concept] = {"precision": round(p, 4), "recall": round(r, 4),
                        "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0, "gold": n_gold}
        tp_sum, gold_sum, pred_sum = tp_sum + tp, gold_sum + n_gold, pred_sum + n_pred
    n = len(per) or 1
    macro = {k: round(sum(v[k] for v in per.values()) / n, 4) for k in ("precision", "recall", "f1")}
    mp = tp_sum / pred_sum if pred_sum else 0.0
    mr = tp_sum / gold_sum if gold_sum else 0.0
    micro = {"precision": round(mp, 4), "recall": round(mr, 4),
             "f1": round(2 * mp * mr / (mp + mr), 4) if mp + mr else 0.0}
    return {"concepts": len(per), "macro": macro, "micro": micro, "per_concept": per}


def evaluate(data_dir: Path = DEFAULT_DATA, *, types: tuple[str, ...] = ACTOR_TYPES) -> dict[str, Any]:
    from ..framing.labels import LabelInput, story_actors
    from ..nlp import ReadItem, read_articles

    t0 = time.perf_counter()
    docs, gold_rows = load_documents(Path(data_dir))
    events: dict[str, list[str]] = defaultdict(list)
    for doc_id in sorted(docs):
        events[docs[doc_id]["event"]].append(doc_id)
    systems = ("labels", "baseline_names")
    matches: dict[str, list[tuple[str, str, str, str]]] = {s: [] for s in systems}
    sizes: dict[str, Counter] = {s: Counter() for s in systems}
    gold_by_concept: dict[tuple[str, str], int] = Counter()
    concept_type: dict[tuple[str, str], str] = {}
    kinds = Counter()
    t_read = t_label = 0.0
    for ev, doc_ids in sorted(events.items(), key=lambda kv: int(kv[0])):
        t = time.perf_counter()
        analyses = read_articles([ReadItem(d, docs[d]["text"], "en") for d in doc_ids])
        t_read += time.perf_counter() - t
        t = time.perf_counter()
        actors = story_actors([LabelInput(d, docs[d]["text"], analyses[d]) for d in doc_ids])
        t_label += time.perf_counter() - t
        preds: dict[str, dict[str, list[_Pred]]] = {s: defaultdict(list) for s in systems}
        for actor in actors:
            for ref in actor.references:
                kinds[ref.kind] += 1
                preds["labels"][ref.article_id].append(_Pred(ref.start, ref.end, actor.id))
                sizes["labels"][(ev, actor.id)] += 1
                if ref.kind == "name":
                    preds["baseline_names"][ref.article_id].append(_Pred(ref.start, ref.end, actor.id))
                    sizes["baseline_names"][(ev, actor.id)] += 1
        for d in doc_ids:
            gold = [g for g in docs[d]["gold"] if g[3] in types]
            for g in gold:
                gold_by_concept[(ev, g[2])] += 1
                concept_type[(ev, g[2])] = g[3]
            for s in systems:
                mine = preds[s][d]
                for gi, pi in _match(gold, mine).items():
                    matches[s].append((ev, gold[gi][2], mine[pi].actor, gold[gi][3]))

    result: dict[str, Any] = {"data": str(data_dir), "articles": sum(len(v) for v in events.values()),
                              "events": len(events), "types": list(types), "gold_rows": gold_rows,
                              "gold_mentions": sum(gold_by_concept.values()), "references": dict(kinds),
                              "published_f1": 45.7}
    for s in systems:
        full = concept_scores(gold_by_concept, [(e, c, a) for e, c, a, _ in matches[s]], sizes[s])
        if s != "labels":
            full.pop("per_concept")
        result[s] = full
    result["by_type"] = {}
    for t in types:
        keep = {k: n for k, n in gold_by_concept.items() if concept_type[k] == t}
        result["by_type"][t] = {s: {k: v for k, v in concept_scores(
            keep, [(e, c, a) for e, c, a, tt in matches[s] if tt == t], sizes[s]).items() if k != "per_concept"}
            for s in systems}
    result["seconds"] = {"read": round(t_read, 2), "labels": round(t_label, 2),
                         "labels_ms_per_article": round(1000 * t_label / max(result["articles"], 1), 1),
                         "total": round(time.perf_counter() - t0, 2)}
    return result


def _table(result: dict[str, Any]) -> str:
    lines = [f"NewsWCL50 actor labels: {result['articles']} articles, {result['events']} events, "
             f"{result['gold_mentions']} gold mentions of {', '.join(result['types'])} concepts "
             f"(published F1 {result['published_f1']})",
             "system            concepts  macro P / R / F1        micro P / R / F1"]
    for s in ("labels", "baseline_names"):
        r = result[s]
        lines.append(f"  {s:16s} {r['concepts']:5d}   {r['macro']['precision']:.3f} / {r['macro']['recall']:.3f} / "
                     f"{r['macro']['f1']:.3f}   {r['micro']['precision']:.3f} / {r['micro']['recall']:.3f} / "
                     f"{r['micro']['f1']:.3f}")
    for t, by in result["by_type"].items():
        r = by["labels"]
        lines.append(f"  {t:10s} labels macro F1 {r['macro']['f1']:.3f} ({r['concepts']} concepts); "
                     f"names only {by['baseline_names']['macro']['f1']:.3f}")
    lines.append(f"references: {result['references']}; seconds: {result['seconds']}")
    return "\n".join(lines)
