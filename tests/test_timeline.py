"""Story timelines (rashomon.brief.timeline) and the Timeline17 date-selection evaluation, on
small synthetic readings written here (no evaluation data)."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from rashomon.brief import timeline as tl_module
from rashomon.brief.timeline import (DateMention, TimelineError, date_mentions, date_score, date_signals,
                                     story_timeline)
from rashomon.evaluation import timelines as ev


def reading(text: str, dates: list[tuple[str, str | None, str | None]], note: str | None = None) -> dict:
    """An ArticleAnalysis.to_json()-shaped reading: sentences split at full stops, each date
    expression located in the text (the n-th occurrence for the n-th repeat)."""
    sentences = [{"start": m.start(), "end": m.end(), "attribution": {"source": None, "kind": "none"}, "hedges": []}
                 for m in re.finditer(r"[^.\s][^.]*\.", text)]
    out, seen = [], {}
    for surface, value, precision in dates:
        start = text.index(surface, seen.get(surface, 0))
        seen[surface] = start + 1
        end = start + len(surface)
        sent = next(i for i, s in enumerate(sentences) if s["start"] <= start < s["end"])
        out.append({"start": start, "end": end, "text": surface, "value": value, "precision": precision,
                    "status": "resolved" if value else "unresolved", "anchor": "published", "sentence": sent,
                    "note": None})
    return {"version": "3", "sentences": sentences, "mentions": [], "actors": [], "dates": out,
            "quantities": [], "quotes": [], "note": note}


A = ("Rebels entered the port city on Nov. 27 after a night of shelling. "
     "The city had been held by the army since 2016. Talks are planned for next week.")
B = ("Fighters reached the port city on Wednesday, residents said. "
     "The army lost the city in 2016 after a long siege. Aid convoys arrived on Nov. 28.")
C = ("The offensive on the port city began on November 25, a monitor said. "
     "By November 2024 the front had moved. Officials met on Nov. 28 to discuss aid.")

ARTICLES = [
    {"id": "a", "published": "2024-11-29T08:00:00+00:00", "text": A},
    {"id": "b", "published": "2024-11-29", "text": B},
    {"id": "c", "published": "2024-11-30", "text": C},
]
ANALYSES = {
    "a": reading(A, [("Nov. 27", "2024-11-27", "day"), ("2016", "2016", "year"),
                     ("next week", "2024-W49", "week")]),
    "b": reading(B, [("Wednesday", "2024-11-27", "day"), ("2016", "2016", "year"),
                     ("Nov. 28", "2024-11-28", "day")]),
    "c": reading(C, [("November 25", "2024-11-25", "day"), ("November 2024", "2024-11", "month"),
                     ("Nov. 28", "2024-11-28", "day")]),
}


def by_date(entries):
    return {(e["date"], e["precision"]): e for e in entries}


def test_public_names_exist():
    for module in (tl_module, ev):
        for name in module.__all__:
            assert hasattr(module, name), name


def test_entries_group_mentions_by_date_in_chronological_order():
    entries = story_timeline(ARTICLES, ANALYSES)
    keys = [(e["date"], e["precision"]) for e in entries]
    # the week and nothing else is left out; coarser first on the same first day
    assert keys == [("2016", "year"), ("2024-11", "month"), ("2024-11-25", "day"), ("2024-11-27", "day"),
                    ("2024-11-28", "day")]
    e = by_date(entries)
    assert e[("2024-11-27", "day")]["article_ids"] == ["a", "b"]
    assert e[("2024-11-28", "day")]["article_ids"] == ["b", "c"]
    assert e[("2016", "year")]["mentions"] == 2
    for entry in entries:
        src = entry["source"]
        text = {a["id"]: a["text"] for a in ARTICLES}[src["article_id"]]
        assert entry["text"] == text[src["start"]:src["end"]].strip()
        assert entry["disputed"] is False and entry["conflict_ids"] == [] and entry["claim_ids"] == []
    assert e[("2024-11-25", "day")]["text"].startswith("The offensive on the port city began on November 25")


def test_background_is_long_before_the_first_publication_day():
    e = by_date(story_timeline(ARTICLES, ANALYSES))
    assert e[("2016", "year")]["background"] is True
    assert not any(v["background"] for k, v in e.items() if k != ("2016", "year"))
    # without publication dates the latest day mentioned is the reference
    undated = [{**a, "published": None} for a in ARTICLES]
    e = by_date(story_timeline(undated, ANALYSES))
    assert e[("2016", "year")]["background"] is True and e[("2024-11-25", "day")]["background"] is False
    # a story of 2017 does not find 2016 long past if the window is wide enough
    e = by_date(story_timeline(ARTICLES, ANALYSES, background_days=3650))
    assert e[("2016", "year")]["background"] is False


def test_centroid_sentence_is_the_one_sharing_most_words():
    texts = {"x": "Talks began on May 4 in the capital. Weather was mild.",
             "y": "Talks between the parties began on May 4 in the capital city. Nothing else happened.",
             "z": "A parade unrelated to anything passed by on May 4 downtown. Quiet day."}
    arts = [{"id": k, "published": "2021-05-05", "text": t} for k, t in texts.items()]
    an = {k: reading(t, [("May 4", "2021-05-04", "day")]) for k, t in texts.items()}
    (entry,) = story_timeline(arts, an)
    assert entry["article_ids"] == ["x", "y", "z"]
    assert entry["source"]["article_id"] in ("x", "y")      # the parade sentence shares no words
    assert "Talks" in entry["text"]


def test_judged_claims_give_the_wording_and_fragments_are_skipped():
    start = A.index("Rebels")
    end = A.index(" after a night")
    frag = B.index("in 2016")
    claims = {"claims": [
        {"id": "k1", "text": A[start:end], "status": "corroborated", "independent_sources": 2, "background": False,
         "sources": [{"article_id": "a", "quote": A[start:end], "start": start, "end": end}]},
        # a clause that does not read alone: it names the date, its wording is not used
        {"id": "k2", "text": "in 2016 after a long siege", "status": "single_source", "independent_sources": 1,
         "background": True, "sources": [{"article_id": "b", "quote": B[frag:B.index(".", frag)],
                                          "start": frag, "end": B.index(".", frag)}]},
    ], "conflicts": []}
    e = by_date(story_timeline(ARTICLES, ANALYSES, claims))
    day = e[("2024-11-27", "day")]
    assert day["text"] == "Rebels entered the port city on Nov. 27"
    assert day["claim_ids"] == ["k1"] and day["source"] == {"article_id": "a", "start": start, "end": end}
    year = e[("2016", "year")]
    assert year["claim_ids"] == ["k2"]
    assert year["text"].startswith("The city had been held") or year["text"].startswith("The army lost")
    # raw Claim dicts (one article, one span) are read the same way
    raw = [{"id": "cl_1", "article_id": "a", "text": A[start:end], "start": start, "end": end}]
    assert by_date(story_timeline(ARTICLES, ANALYSES, raw))[("2024-11-27", "day")]["claim_ids"] == ["cl_1"]


def test_date_conflicts_mark_both_sides_disputed():
    s27 = A.index("Rebels")
    block = {"claims": [], "conflicts": [
        {"id": "x1", "kind": "date", "topic": "the offensive began", "sides": [
            {"value": "Nov. 27", "normalized": "2024-11-27", "article_ids": ["a"], "quotes": ["..."],
             "evidence": [{"article_id": "a", "quote": "...", "start": s27, "end": A.index(".", s27)}]},
            # no evidence spans: matched on the normalised value and the article
            {"value": "November 25", "normalized": "2024-11-25", "article_ids": ["c"], "quotes": ["..."]}]},
        {"id": "x2", "kind": "number", "topic": "deaths", "sides": [
            {"value": "10", "normalized": "10", "article_ids": ["a"], "quotes": []},
            {"value": "12", "normalized": "12", "article_ids": ["b"], "quotes": []}]},
    ]}
    e = by_date(story_timeline(ARTICLES, ANALYSES, block))
    for key, other in ((("2024-11-27", "day"), "2024-11-25"), (("2024-11-25", "day"), "2024-11-27")):
        assert e[key]["disputed"] is True and e[key]["conflict_ids"] == ["x1"]
        assert [alt["normalized"] for alt in e[key]["alternatives"]] == [other]
    assert e[("2024-11-28", "day")]["disputed"] is False
    # a side's value with another article does not mark a date its own articles do not give
    lone = {"conflicts": [{"id": "x3", "kind": "date", "sides": [
        {"value": "Nov. 28", "normalized": "2024-11-28", "article_ids": ["a"]},
        {"value": "Nov. 29", "normalized": "2024-11-29", "article_ids": ["b"]}]}]}
    assert by_date(story_timeline(ARTICLES, ANALYSES, lone))[("2024-11-28", "day")]["disputed"] is False
    # a year-less "--MM-DD" side still meets the day it names
    yearless = {"conflicts": [{"id": "x4", "kind": "date", "sides": [
        {"value": "November 25", "normalized": "--11-25", "article_ids": ["c"]},
        {"value": "Nov. 27", "normalized": "2024-11-27", "article_ids": ["a"]}]}]}
    assert by_date(story_timeline(ARTICLES, ANALYSES, yearless))[("2024-11-25", "day")]["conflict_ids"] == ["x4"]


def test_max_entries_keeps_the_best_scored_in_chronological_order():
    full = story_timeline(ARTICLES, ANALYSES)
    top = story_timeline(ARTICLES, ANALYSES, max_entries=2)
    assert len(top) == 2
    assert [e["date"] for e in top] == sorted(e["date"] for e in top)
    best = sorted(full, key=lambda e: -e["score"])[:2]
    assert {e["date"] for e in top} == {e["date"] for e in best}
    # background is halved: the twice-cited 2016 does not beat the twice-cited, recent days
    assert "2016" not in {e["date"] for e in top}
    assert story_timeline(ARTICLES, ANALYSES, max_entries=0) == []
    with pytest.raises(TimelineError, match="max_entries"):
        story_timeline(ARTICLES, ANALYSES, max_entries=-1)


def test_unusable_readings_are_skipped_and_broken_ones_named():
    an = {**ANALYSES, "b": reading(B, [], note="not analysed: language is de")}
    e = by_date(story_timeline(ARTICLES, an))
    assert e[("2024-11-27", "day")]["article_ids"] == ["a"]
    assert story_timeline(ARTICLES[:1], {}) == []
    with pytest.raises(TimelineError, match="'a'.*dates"):
        story_timeline(ARTICLES, {**ANALYSES, "a": {"sentences": []}})
    bad = reading(A, [("Nov. 27", "2024-13-27", "day")])
    with pytest.raises(TimelineError, match="not a valid day"):
        story_timeline(ARTICLES, {**ANALYSES, "a": bad})
    with pytest.raises(TimelineError, match="outside"):
        story_timeline([{**ARTICLES[0], "text": A[:20]}], {"a": ANALYSES["a"]})


def test_signals_and_scores():
    d = dt.date
    ms = [DateMention("p", "2010-04-20", "day", 0, 1, 0, d(2010, 4, 21)),
          DateMention("p", "2010-04-20", "day", 5, 6, 1, d(2010, 4, 21)),     # same article: one article
          DateMention("q", "2010-04-20", "day", 0, 1, 0, d(2010, 5, 30)),     # 40 days on: later
          DateMention("q", "2010-06-01", "day", 9, 9, 0, d(2010, 5, 30)),     # announced ahead
          DateMention("r", "2010-05", "month", 0, 1, 0, d(2010, 5, 30))]
    sig = date_signals(ms, [d(2010, 4, 21), d(2010, 5, 30), d(2010, 5, 30), None])
    s = sig[("2010-04-20", "day")]
    assert (s.mentions, s.articles, s.later, s.earlier, s.same_day) == (3, 2, 1, 0, 0)
    assert s.published == 0.5                      # half of the next day's one article
    assert s.recent == pytest.approx(pytest.approx(0.7165, abs=1e-3))
    assert sig[("2010-06-01", "day")].earlier == 1
    assert sig[("2010-05-30", "day")].published == 2.0
    assert sig[("2010-05", "month")].later == 0 and sig[("2010-05", "month")].articles == 1
    # the referred-to day is the centre of the reference graph
    days = {k: v.graph for k, v in sig.items() if k[1] == "day"}
    assert max(days, key=days.get) == ("2010-04-20", "day")
    scores = date_score(sig, {"articles": 1.0})
    assert scores[("2010-04-20", "day")] == 1.0 and scores[("2010-05", "month")] == 0.5
    with pytest.raises(TimelineError, match="unknown signal"):
        date_score(sig, {"popularity": 1.0})


def test_date_mentions_skip_unresolved_and_coarse_precisions():
    an = {"a": reading(A, [("Nov. 27", None, None), ("2016", "2016", "year"), ("next week", "2024-W49", "week")])}
    ms = date_mentions([ARTICLES[0]], an)
    assert [(m.value, m.precision, m.published) for m in ms] == [("2016", "year", dt.date(2024, 11, 29))]


# ---------------------------------------------------------------------------------------------
# The evaluation, on a synthetic Timeline17-shaped folder with readings put in its cache
# ---------------------------------------------------------------------------------------------

def _timeline_folder(root, name, gold, articles):
    """articles: [(uid, dct, [(surface, day)])]; returns readings by uid."""
    folder = root / name
    folder.mkdir()
    items, readings = [], {}
    for uid, dct, dates in articles:
        text = " ".join(f"Something happened on {s}." for s, _ in dates) or "Nothing dated here."
        items.append({"uid": uid, "dct": dct, "text": text, "dates": "[]"})
        readings[uid] = reading(text, [(s, v, "day") for s, v in dates])
    (folder / "articles.json").write_text(json.dumps(items), encoding="utf-8")
    (folder / "story.txt.timeline.json").write_text(json.dumps([{"date": g, "text": "event"} for g in gold]),
                                                    encoding="utf-8")
    return readings


@pytest.fixture
def t17(tmp_path):
    data, cache = tmp_path / "data", tmp_path / "cache"
    data.mkdir()
    cache.mkdir()
    # topic "quake": gold 1 and 3 June; 2 June is only mentioned once; 9 June lies outside the span
    quake = _timeline_folder(data, "quake_one", ["2011-06-01", "2011-06-03", "2011-06-03"], [
        ("q1", "2011-06-01", [("1 June 2011", "2011-06-01")]),
        ("q2", "2011-06-02", [("1 June 2011", "2011-06-01"), ("3 June 2011", "2011-06-03")]),
        ("q3", "2011-06-03", [("3 June 2011", "2011-06-03"), ("2 June 2011", "2011-06-02")]),
        ("q4", "2011-06-09", [("9 June 2011", "2011-06-09"), ("9 June 2011", "2011-06-09"),
                              ("9 June 2011", "2011-06-09")]),
    ])
    flood = _timeline_folder(data, "flood_two", ["2012-03-05", "2012-03-07"], [
        ("f1", "2012-03-05", [("5 March 2012", "2012-03-05")]),
        ("f2", "2012-03-06", [("5 March 2012", "2012-03-05"), ("6 March 2012", "2012-03-06")]),
        ("f3", "2012-03-07", [("7 March 2012", "2012-03-07"), ("5 March 2012", "2012-03-05"),
                              ("7 March 2012", "2012-03-07")]),
    ])
    for ts in ev.load_sets(data):
        ev.cache_path(ts, cache).write_text(json.dumps(quake if ts.topic == "quake" else flood), encoding="utf-8")
    return data, cache


def test_date_prf_and_selection_ties():
    d = dt.date
    assert ev.select_dates({d(2020, 1, 2): 1.0, d(2020, 1, 1): 1.0, d(2020, 1, 3): 2.0}, 2) == [d(2020, 1, 3),
                                                                                            d(2020, 1, 1)]
    prf = ev.date_prf([d(2020, 1, 1), d(2020, 1, 2)], {d(2020, 1, 1), d(2020, 1, 5), d(2020, 1, 6)})
    assert prf["precision"] == 0.5 and prf["recall"] == pytest.approx(1 / 3) and prf["f1"] == pytest.approx(0.4)


def test_evaluation_protocols_baselines_and_loto(t17):
    data, cache = t17
    result = ev.evaluate(data, cache_dir=cache)
    win = result["protocols"]["window"]
    quake = win["timelines"]["quake_one"]
    assert quake["k"] == 2 and quake["articles"] == 3          # the 9 June article is outside the span
    assert quake["candidates"] == 3 and quake["reachable"] == 2
    # mention counts: 1 June 2x, 3 June 2x, 2 June 1x -> both gold days
    assert quake["systems"]["mention_count"]["f1"] == 1.0
    # publication counts tie at one a day: the earlier days 1 and 2 June win, half right
    assert quake["systems"]["publication_count"]["f1"] == 0.5
    opened = result["protocols"]["open"]["timelines"]["quake_one"]
    assert opened["articles"] == 4 and opened["systems"]["mention_count"]["precision"] == 0.5
    assert set(win["loto_weights"]) == {"quake", "flood"}
    assert set(win["macro"]) == set(ev.SYSTEMS)
    for block in win["macro"].values():
        assert 0.0 <= block["f1"] <= 1.0
    assert result["speed"]["cached_readings"] is True
    table = ev._table(result)
    assert "quake_one" in table and "macro f1" in table


def test_evaluation_errors_name_the_input(tmp_path):
    from rashomon.errors import EvaluationError

    with pytest.raises(EvaluationError, match="no <name>/articles.json"):
        ev.load_sets(tmp_path)
    (tmp_path / "x_y").mkdir()
    (tmp_path / "x_y" / "articles.json").write_text("[]", encoding="utf-8")
    with pytest.raises(EvaluationError, match="exactly one"):
        ev.load_sets(tmp_path)
    with pytest.raises(EvaluationError, match="unknown system"):
        ev.evaluate(tmp_path, systems=["oracle"])


def test_cli_eval_timeline_prints_json(t17):
    from typer.testing import CliRunner

    from rashomon.cli import app

    data, cache = t17
    out = CliRunner().invoke(app, ["eval", "timeline", str(data), "--cache", str(cache), "--json"])
    assert out.exit_code == 0, out.output
    result = json.loads(out.stdout)
    assert result["protocols"]["window"]["timelines"]["flood_two"]["k"] == 2


# ---------------------------------------------------------------------------------------------
# Real readings (slow): the seed story, and the Timeline17 floor
# ---------------------------------------------------------------------------------------------

@pytest.mark.slow
def test_seed_story_timeline_from_real_readings():
    from rashomon.nlp import ReadItem, read_articles

    from .conftest import EXAMPLES

    arts = [{"id": p.stem, "published": "2024-11-29", "text": p.read_text(encoding="utf-8")}
            for p in sorted(EXAMPLES.glob("*.txt"))]
    analyses = read_articles([ReadItem(a["id"], a["text"], "en", a["published"], "day") for a in arts])
    entries = story_timeline(arts, analyses)
    e = by_date(entries)
    assert len(e[("2024-11-27", "day")]["article_ids"]) >= 2
    assert e[("2016", "year")]["background"] is True and len(e[("2016", "year")]["article_ids"]) >= 3
    texts = {a["id"]: a["text"] for a in arts}
    for entry in entries:
        src = entry["source"]
        assert " ".join(texts[src["article_id"]][src["start"]:src["end"]].split()).startswith(entry["text"].rstrip("…"))


@pytest.mark.slow
def test_timeline17_date_f1_floor():
    """The evaluation gate: the shipped ranking keeps date-F1 ≥ .60 in the standard window protocol
    (.656 when the weights were set) and stays above the mention-count baseline."""
    from .conftest import SHARED

    data = SHARED / "timelines"
    if not data.is_dir():
        pytest.skip(f"{data} is not here")
    result = ev.evaluate(data, systems=("mention_count", "publication_count", "rashomon"))
    macro = result["protocols"]["window"]["macro"]
    assert macro["rashomon"]["f1"] >= 0.60
    assert macro["rashomon"]["f1"] >= macro["mention_count"]["f1"] - 0.01
