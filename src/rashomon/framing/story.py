"""The framing block of the analysis document: per article (loaded words, tone) and per story (actors).

``article_framing(text, analysis_json)`` → ``articles[].framing``::

    {"loaded": [{"start", "end", "text", "category", "weight", "polarity", "in_quote"}],
     "loadedness": mean own-voice sentence loadedness in [0, 1),
     "loaded_sentences": sentences at or above BIASED_THRESHOLD, "sentences": n,
     "tone": mean sentence tone in [-1, 1] (quotations left out)}

``story_framing(items)`` → ``stories[].actors``: the story's actors (:func:`.labels.story_actors`),
most referred-to first, each with ``labels`` (the contract: article id → phrases), ``stance``
(article id → mean polarity of its descriptive references) and ``tone`` (article id → the
clause-level tone toward the actor from :func:`.tone.actor_tone`), plus every ``reference`` with
its span so a report can highlight it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any, Iterable

from .labels import LabelInput, StoryActor, story_actors
from .loaded import BIASED_THRESHOLD, loaded_spans, sentence_loadedness
from .tone import actor_tone, article_tone

__all__ = ["article_framing", "story_framing"]


def article_framing(text: str, analysis_json: dict[str, Any]) -> dict[str, Any]:
    spans = loaded_spans(text, analysis_json)
    scores = sentence_loadedness(text, analysis_json, spans)
    return {
        "loaded": spans,
        "loadedness": round(sum(scores) / len(scores), 4) if scores else 0.0,
        "loaded_sentences": sum(1 for s in scores if s >= BIASED_THRESHOLD),
        "sentences": len(scores),
        "tone": article_tone(text, analysis_json, spans=spans)["score"],
    }


def _article_to_story(actor_list: list[StoryActor], article_id: str, analysis_json: dict[str, Any]) -> dict[str, str]:
    """Article-level actor id → story actor id, by which story reference holds its mentions."""
    spans = [(r.start, r.end, a.id) for a in actor_list for r in a.references if r.article_id == article_id]
    votes: dict[str, Counter] = defaultdict(Counter)
    for m in analysis_json.get("mentions", []):
        if not m.get("actor"):
            continue
        for s, e, story_id in spans:
            if s <= m["start"] and m["end"] <= e:
                votes[m["actor"]][story_id] += 1
                break
    return {local: c.most_common(1)[0][0] for local, c in votes.items()}


def story_framing(items: Iterable[LabelInput]) -> list[dict[str, Any]]:
    items = [i if isinstance(i.analysis, dict) else LabelInput(i.article_id, i.text, i.analysis.to_json())
             for i in items]
    actors = story_actors(items)
    tone: dict[str, dict[str, float]] = defaultdict(dict)
    for item in items:
        mapping = _article_to_story(actors, item.article_id, item.analysis)
        for local, t in actor_tone(item.text, item.analysis).items():
            if local in mapping and t.get("score") is not None:
                tone[mapping[local]][item.article_id] = round(t["score"], 3)
    ordered = sorted(actors, key=lambda a: (-len(a.references), -len({r.article_id for r in a.references})))
    out = []
    for a in ordered:
        row = a.to_json()
        row["tone"] = tone.get(a.id, {})
        out.append(row)
    return out
