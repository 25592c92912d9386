"""Actor resolution (entities + aliases) measured on NewsWCL50, with string-match baselines.

Data: ``framing/newswcl50`` — ``Annotations.csv`` codes each mention of a target concept
(``code_type`` ACTOR / COUNTRY / GROUP / ACTOR-I ..., ``code_name`` the concept, ``code_mention`` the
surface) by paragraph/sentence/token offsets of the original articles, which are not shipped.
Its token offsets do not line up with ``full_text_cdcr/conll.csv`` (the articles re-tokenised for
cross-document coreference: only about a third of the rows point at their ``code_mention`` there),
but that file's ``reference`` column carries the same annotations already aligned to its tokens
as coreference chains (``0_USA_Trump_ACTOR``: event, concept, code type), so the gold comes from it:
5,255 chains mentions for the 5,963 non-PROPERTY annotations (``gold_rows`` reports the counts).

Text: each document's tokens are joined back with ordinary spacing rules (no space before
punctuation, hyphens re-attached, quotes paired); ``\\n`` tokens become line breaks. One *event*
(``event_id`` 0-9, one story told by 5 outlets) is one resolution unit:
``resolve_actors`` runs over its 5 articles at once.

Matching: a gold mention (of the scored code types) is *found* when one of our entity mentions
lies mostly (≥ 50 % of its characters) inside it and covers its head (last word, possessive and
punctuation aside): "President Trump" ← "Trump", but "North Korean leader" (Kim) is not found
through the nationality word "North Korean"; each of our mentions serves at most one gold mention
(the shortest first). ``main_inside_match`` drops the head condition (any entity mostly inside,
the one at the end or the longest), which also scores modifiers such as "U.S." in "U.S.
officials" (coded COUNTRY) — and "North Korean" in "North Korean leader" (coded as Kim). For
found mentions we compare our actor with the gold concept, pairwise within an event:

* ``cohesion`` (pairwise recall): of mention pairs of one concept, the share in one actor —
  micro over all pairs and macro over concepts (``per_concept`` lists each);
* ``pairwise_precision``: of mention pairs in one actor, the share of one concept;
* ``merged_actors``: actors holding mentions of ≥ 2 concepts (and how many actors there are);
* ``b3``: B³ precision / recall / F1 over found mentions;
* ``by_type``: the same, within each code type (head matching).

Baselines on the same found mentions: ``exact_string`` (one actor per exact surface text) and
``normalised_string`` (case, accents, "the", titles, possessives and "al-" ignored).
Scored types: ``ACTOR``, ``COUNTRY``, ``GROUP`` (``main``); ``with_actor_i`` adds ``ACTOR-I``.

Run: ``rashomon eval aliases DATA_DIR [--json]``.
"""

from __future__ import annotations

import csv
import json
import time
from collections import Counter, defaultdict
from itertools import combinations
from pathlib import Path

__all__ = ["evaluate", "load_documents", "detokenize", "score"]

DEFAULT_DATA = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "framing" / "newswcl50"
MAIN_TYPES = ("ACTOR", "COUNTRY", "GROUP")
SYSTEMS = ("ours", "exact_string", "normalised_string")

_NO_SPACE_BEFORE = {",", ".", ";", ":", "!", "?", "%", ")", "]", "}", "'s", "’s", "n't", "n’t", "'re",
                    "'ve", "'ll", "'d", "'m", "’re", "’ve", "’ll", "’d", "’m", "'", "’", "”", "..."}
_NOT_HEAD = {"'s", "’s", "'", "’", ".", ",", ";", ":", '"', "“", "”", ")", "(", "-", "\\n"}
_NO_SPACE_AFTER = {"(", "[", "{", "$", "“", "‘", "#"}


def detokenize(tokens: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """Text from tokens and each token's (start, end) in it; ``\\n`` tokens become line breaks."""
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    pos = 0
    quote_open = False
    prev = None
    for tok in tokens:
        raw = tok.replace("\xa0", " ")
        if raw.strip() in ("\\n", "") or "\\n" in raw:
            # a paragraph break (or a stray space token): keep offsets, emit a newline once
            if out and not out[-1].endswith("\n"):
                out.append("\n")
                pos += 1
            spans.append((pos, pos))
            prev = "\n"
            continue
        word = raw.strip()
        space = True
        if prev is None or prev == "\n":
            space = False
        elif word in _NO_SPACE_BEFORE or prev in _NO_SPACE_AFTER:
            space = False
        elif word == '"':
            space = not quote_open
        elif prev == '"' and quote_open:
            space = False
        elif word == "-" or prev == "-":
            space = False
        if word == '"':
            quote_open = not quote_open
        if space:
            out.append(" ")
            pos += 1
        spans.append((pos, pos + len(word)))
        out.append(word)
        pos += len(word)
        prev = word
    return "".join(out), spans


def load_documents(data_dir: Path) -> tuple[dict[str, dict], dict]:
    """``{doc_id: {"event", "text", "gold": [(start, end, chain, type)]}}`` and row counts."""
    data_dir = Path(data_dir)
    path = data_dir / "full_text_cdcr" / "conll.csv"
    if not path.is_file():
        raise FileNotFoundError(f"no {path}; expected NewsWCL50 with full_text_cdcr/conll.csv "
                                f"(shared/data/framing/newswcl50)")
    rows_by_doc: dict[str, list[dict]] = defaultdict(list)
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            rows_by_doc[row["doc_id"]].append(row)
    docs: dict[str, dict] = {}
    counts = Counter()
    for doc_id, rows in rows_by_doc.items():
        rows.sort(key=lambda r: (int(r["sent_id"]), int(r["token_id"])))
        text, spans = detokenize([r["token"] for r in rows])
        gold = []
        open_chains: dict[str, list[int]] = defaultdict(list)
        for i, r in enumerate(rows):
            ref = r["reference"].strip()
            if ref in ("-", ""):
                continue
            for part in ref.split("|"):
                part = part.strip()
                if not part:
                    continue
                chain = part.strip("()")
                if part.startswith("("):
                    open_chains[chain].append(i)
                if part.endswith(")"):
                    if open_chains[chain]:
                        a = open_chains[chain].pop()
                        start, end = spans[a][0], spans[i][1]
                        if end > start:
                            ctype = chain.rsplit("_", 1)[1]
                            h = i
                            while h > a and (rows[h]["token"].strip() in _NOT_HEAD or spans[h][0] == spans[h][1]):
                                h -= 1
                            gold.append((start, end, chain, ctype, spans[h][0], spans[h][1]))
                            counts[ctype] += 1
        docs[doc_id] = {"event": doc_id.split("_")[0], "text": text, "gold": gold}
    ann = data_dir / "Annotations.csv"
    ann_counts = Counter()
    if ann.is_file():
        lines = ann.read_text(encoding="utf-8").splitlines()
        start = 1 if lines and lines[0].startswith("sep=") else 0
        for row in csv.DictReader(lines[start:]):
            ann_counts[row["code_type"]] += 1
    return docs, {"conll_mentions": dict(counts), "annotations": dict(ann_counts)}


def _match(gold, mentions, head: bool = True) -> dict[int, int]:
    """gold index → our mention index (see module docstring)."""
    taken: set[int] = set()
    out: dict[int, int] = {}
    order = sorted(range(len(gold)), key=lambda i: gold[i][1] - gold[i][0])
    for gi in order:
        gs, ge, hs, he = gold[gi][0], gold[gi][1], gold[gi][4], gold[gi][5]
        cands = []
        for mi, m in enumerate(mentions):
            if mi in taken or m.end <= gs or m.start >= ge:
                continue
            if head and (m.end <= hs or m.start >= he):
                continue
            inside = min(m.end, ge) - max(m.start, gs)
            if inside * 2 >= (m.end - m.start):
                cands.append(mi)
        if not cands:
            continue
        last = [mi for mi in cands if mentions[mi].end >= ge - 1]
        pick = max(last or cands, key=lambda mi: mentions[mi].end - mentions[mi].start)
        out[gi] = pick
        taken.add(pick)
    return out


def score(items: list[tuple[str, str, str]]) -> dict:
    """Scores for (event, gold concept, predicted actor) triples of found mentions."""
    tp = fn = fp = 0
    per_concept: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_event: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for ev, concept, actor in items:
        by_event[ev].append((concept, actor))
    for ev, pairs in by_event.items():
        for (c1, a1), (c2, a2) in combinations(pairs, 2):
            if c1 == c2:
                per_concept[c1][1] += 1
                if a1 == a2:
                    tp += 1
                    per_concept[c1][0] += 1
                else:
                    fn += 1
            elif a1 == a2:
                fp += 1
    actors: dict[tuple[str, str], set[str]] = defaultdict(set)
    concepts: dict[tuple[str, str], set[str]] = defaultdict(set)
    for ev, concept, actor in items:
        actors[(ev, actor)].add(concept)
        concepts[(ev, concept)].add(actor)
    merged = sum(1 for cs in actors.values() if len(cs) >= 2)
    # B³
    p_sum = r_sum = 0.0
    a_members: dict[tuple[str, str], list[str]] = defaultdict(list)
    c_members: dict[tuple[str, str], list[str]] = defaultdict(list)
    for ev, concept, actor in items:
        a_members[(ev, actor)].append(concept)
        c_members[(ev, concept)].append(actor)
    for ev, concept, actor in items:
        same_a = a_members[(ev, actor)]
        same_c = c_members[(ev, concept)]
        p_sum += sum(1 for c in same_a if c == concept) / len(same_a)
        r_sum += sum(1 for a in same_c if a == actor) / len(same_c)
    n = len(items)
    b3p, b3r = (p_sum / n, r_sum / n) if n else (0.0, 0.0)
    coh = tp / (tp + fn) if tp + fn else 0.0
    prec = tp / (tp + fp) if tp + fp else 0.0
    per = {c: round(v[0] / v[1], 4) for c, v in per_concept.items() if v[1]}
    return {
        "mentions": n,
        "cohesion": round(coh, 4),
        "cohesion_macro": round(sum(per.values()) / len(per), 4) if per else 0.0,
        "pairwise_precision": round(prec, 4),
        "pairwise_f1": round(2 * coh * prec / (coh + prec), 4) if coh + prec else 0.0,
        "actors": len(actors),
        "merged_actors": merged,
        "actors_per_concept": round(sum(len(a) for a in concepts.values()) / len(concepts), 3) if concepts else 0.0,
        "b3": {"precision": round(b3p, 4), "recall": round(b3r, 4),
               "f1": round(2 * b3p * b3r / (b3p + b3r), 4) if b3p + b3r else 0.0},
        "pairs": {"same_concept_same_actor": tp, "same_concept_split": fn, "different_concepts_merged": fp},
        "per_concept": dict(sorted(per.items())),
    }


def evaluate(data_dir: Path = DEFAULT_DATA, *, types: tuple[str, ...] = MAIN_TYPES) -> dict:
    """Scores of ours and the baselines; see the module docstring."""
    from ..nlp.aliases import alias_tokens, resolve_actors
    from ..nlp.entities import extract_mentions
    from ..nlp.gazetteer import get_gazetteer
    from ..nlp.model import load_pipeline
    from ..nlp.sentences import SentenceIndex

    t0 = time.perf_counter()
    docs, gold_rows = load_documents(data_dir)
    t_gaz = time.perf_counter()
    get_gazetteer()
    t_gaz = time.perf_counter() - t_gaz
    nlp = load_pipeline()
    events: dict[str, list[str]] = defaultdict(list)
    for doc_id in sorted(docs):
        events[docs[doc_id]["event"]].append(doc_id)

    all_types = tuple(sorted(set(types) | {"ACTOR-I"}))
    found: dict[str, dict[str, list[tuple[str, str, str, str]]]] = {
        mode: {s: [] for s in SYSTEMS} for mode in ("head", "inside")}
    gold_total = Counter()
    gold_found: dict[str, Counter] = {"head": Counter(), "inside": Counter()}
    t_parse = t_extract = t_resolve = 0.0
    n_articles = 0
    for ev, doc_ids in sorted(events.items(), key=lambda kv: int(kv[0])):
        texts = [docs[d]["text"] for d in doc_ids]
        t = time.perf_counter()
        parsed = list(nlp.pipe(texts))
        t_parse += time.perf_counter() - t
        t = time.perf_counter()
        groups = [extract_mentions(d, SentenceIndex(d)) for d in parsed]
        t_extract += time.perf_counter() - t
        t = time.perf_counter()
        resolve_actors(groups, texts)
        t_resolve += time.perf_counter() - t
        n_articles += len(doc_ids)
        for doc_id, mentions in zip(doc_ids, groups):
            gold = [g for g in docs[doc_id]["gold"] if g[3] in all_types]
            for g in gold:
                gold_total[g[3]] += 1
            for mode in ("head", "inside"):
                for gi, mi in _match(gold, mentions, head=mode == "head").items():
                    chain, ctype = gold[gi][2], gold[gi][3]
                    gold_found[mode][ctype] += 1
                    m = mentions[mi]
                    f = found[mode]
                    f["ours"].append((ev, chain, m.actor, ctype))
                    f["exact_string"].append((ev, chain, m.text, ctype))
                    f["normalised_string"].append((ev, chain, " ".join(alias_tokens(m.text)) or m.text, ctype))

    result = {
        "data": str(data_dir),
        "articles": n_articles,
        "events": len(events),
        "gold_rows": gold_rows,
        "gold_mentions": dict(gold_total),
        "found_mentions": {mode: dict(c) for mode, c in gold_found.items()},
        "found_share": {t: round(gold_found["head"][t] / gold_total[t], 4) for t in gold_total if gold_total[t]},
        "main_types": list(types),
    }
    settings = (("main", set(types), "head"), ("with_actor_i", set(types) | {"ACTOR-I"}, "head"),
                ("main_inside_match", set(types), "inside"))
    for setting, keep, mode in settings:
        result[setting] = {}
        for system in SYSTEMS:
            items = [(ev, c, a) for ev, c, a, t in found[mode][system] if t in keep]
            res = score(items)
            if system != "ours" or setting != "main":
                res.pop("per_concept")
            result[setting][system] = res
    result["by_type"] = {
        t: {system: {k: v for k, v in score([(ev, c, a) for ev, c, a, tt in found["head"][system] if tt == t]).items()
                     if k in ("mentions", "cohesion", "pairwise_precision", "pairwise_f1", "b3")}
            for system in SYSTEMS}
        for t in all_types}
    result["speed"] = {
        "gazetteer_load_s": round(t_gaz, 3),
        "parse_ms_per_article": round(1000 * t_parse / max(n_articles, 1), 2),
        "extract_ms_per_article": round(1000 * t_extract / max(n_articles, 1), 2),
        "resolve_ms_per_story": round(1000 * t_resolve / max(len(events), 1), 2),
        "total_s": round(time.perf_counter() - t0, 2),
    }
    return result


def _table(result: dict) -> str:
    lines = [f"NewsWCL50: {result['articles']} articles, {result['events']} events; "
             f"found share {result['found_share']}"]
    for setting in ("main", "with_actor_i", "main_inside_match"):
        lines.append(f"[{setting}]  system: cohesion / macro / pairwise P / F1 / B3-F1 / merged actors / actors per concept")
        for system, r in result[setting].items():
            lines.append(f"  {system:18s} {r['cohesion']:.3f} / {r['cohesion_macro']:.3f} / "
                         f"{r['pairwise_precision']:.3f} / {r['pairwise_f1']:.3f} / {r['b3']['f1']:.3f} / "
                         f"{r['merged_actors']} of {r['actors']} / {r['actors_per_concept']}")
    lines.append("by code type (cohesion / pairwise P / B3-F1):")
    for t, systems in result["by_type"].items():
        lines.append(f"  {t:8s} " + "   ".join(f"{s}: {r['cohesion']:.3f} / {r['pairwise_precision']:.3f} / "
                                                 f"{r['b3']['f1']:.3f} (n={r['mentions']})" for s, r in systems.items()))
    lines.append("speed: " + json.dumps(result["speed"]))
    return "\n".join(lines)
