"""The conflict-injection benchmark on synthetic text: the rewrites, the detection of an injected
conflict, the judgement file, and one small end-to-end run."""

from __future__ import annotations

import json
import random

import pytest

from rashomon.errors import EvaluationError
from rashomon.evaluation import conflicts as ce

from .wordvectors import WordCountEncoder


def test_dates_move_day_then_month_then_year_then_weekday():
    assert ce.shift_date("Nov. 24") == ("Nov. 27", "day")
    assert ce.shift_date("Nov. 27") == ("Nov. 23", "day")       # late in the month: back, not past its end
    assert ce.shift_date("November 28, 2024") == ("November 24, 2024", "day")
    assert ce.shift_date("27th of November") == ("23rd of November", "day")
    assert ce.shift_date("April 2008") == ("June 2008", "month")
    assert ce.shift_date("Nov.") == ("Jan.", "month")
    assert ce.shift_date("in 2016") == ("in 2014", "year")
    assert ce.shift_date("early Wednesday") == ("early Friday", "weekday")
    # an unanchored weekday names no date, so there is nothing to contradict
    assert ce.shift_date("Wednesday", weekday_resolved=False) is None
    assert ce.shift_date("last week") is None


def test_counts_change_materially_and_in_the_direction_that_is_no_update():
    assert ce.scale_count(15, 15, 15, 15, 15, 0) == 30
    assert ce.scale_count(15, 15, 15, 15, 15, -1) == 7          # a later report must not rise
    assert ce.scale_count(1, 1, 1, 1, 1, -1) is None
    assert ce.scale_count(300, None, 300, 327, 327, 0) == 600     # "at least 600" is clear of 327
    assert ce.scale_count(300, 330, 300, 500, 700, 0) == 900      # doubled it would still meet 500-700
    assert ce.scale_count(300, None, 300, 600, None, 0) is None   # two open counts always meet
    assert ce.rewrite_count("over 15 villages", 30) == "over 30 villages"
    assert ce.rewrite_count("1,200 people", 2400) == "2,400 people"
    assert ce.rewrite_count("Two leaders", 4) == "Four leaders"
    assert ce.rewrite_count("twenty-five people", 50) == "fifty people"
    assert ce.rewrite_count("$3.5 billion", 7) == "$7.0 billion"


def test_numbers_that_are_no_count_are_not_rewritten():
    def skip(text, before="", noun=None):
        return ce._not_a_count(text, ce.written_number(text), before, noun)

    assert skip("two-thirds of the vote")
    assert skip("$12 billion to $13 billion")
    assert skip("8900 smartphone", "the BlackBerry Curve ")
    assert skip("4G LTE")
    assert skip("Three Musketeers", "a remake of the ", "Musketeers")
    assert skip("1 - magnitude", "A 6. ")
    assert not skip("four bombs", "planes dropped ", "bombs")
    assert not skip("12 people", "Police said ", "people")


def test_split_thousands_and_model_numbers_are_not_rewritten():
    def skip(text, before="", noun=None, after=""):
        return ce._not_a_count(text, ce.written_number(text), before, noun, after)

    # the tokeniser split "$2,499" into "$2" and ", 499": the quantity read is "$2"
    assert skip("$2", "The laptop sells for ", None, ", 499 in the shops")
    assert not skip("$2", "The ticket costs ", None, ", and parking is free")
    assert not skip("7 villages", "In 2019, troops took ", "villages", ", 12 towns")
    # a version number after a product name, with its trademark sign kept or lost
    assert skip("12 platform", "runs on the Orchid\u00ae ", "platform")
    assert skip("12 platform", "runs on the Orchid\ufffd ", "platform")
    assert skip("12 platform", "It shipped. Orchid ", "platform")
    # a sentence opened by a word that qualifies the number still counts
    assert not skip("9 percent", "It rose. Nearly ", "percent")
    assert not skip("6 seats", "It was close. Liberals ", "seats", " in the vote")
    assert not skip("5 megapixel camera", "a phone with a ", "camera")


def test_another_city_of_the_same_country_that_the_gazetteer_reads_back():
    from rashomon.nlp.gazetteer import get_gazetteer

    g = get_gazetteer()
    city = ce.other_city("Aleppo", "SY", ["Idlib", "Damascus"], random.Random(3), gazetteer=g)
    assert city not in (None, "Aleppo", "Idlib", "Damascus")
    place = g.lookup(city, fuzzy=False)
    assert place.country == "SY" and place.kind == "city"
    assert ce.other_city("Aleppo", None, [], random.Random(0), gazetteer=g) is None


def test_a_swapped_city_is_no_suburb_of_the_one_it_replaces():
    from rashomon.nlp.gazetteer import get_gazetteer

    g = get_gazetteer()
    origin = (32.08, 34.78)                  # Tel Aviv: Bnei Brak and Ramat Gan are minutes away
    picks = {ce.other_city("Tel Aviv", "IL", [], random.Random(k), gazetteer=g, origin=origin) for k in range(8)}
    assert None not in picks
    for city in picks:
        place = g.lookup(city, fuzzy=False)
        assert ce._km(origin, (place.lat, place.lon)) >= ce.MIN_SWAP_KM
    near = {ce.other_city("Tel Aviv", "IL", [], random.Random(k), gazetteer=g) for k in range(8)}
    assert any(ce._km(origin, (g.lookup(c, fuzzy=False).lat, g.lookup(c, fuzzy=False).lon)) < ce.MIN_SWAP_KM
               for c in near)            # without an origin the draw does land next door


def test_swappable_places_are_where_something_happens():
    text = "Rebels fought in Aleppo on Monday; the Aleppo International Airport closed; an Aleppo-based group"
    assert ce._swappable_place(text, 17, 23)
    assert not ce._swappable_place(text, text.index("Aleppo International"), text.index("Aleppo International") + 6)
    assert not ce._swappable_place(text, text.index("Aleppo-based"), text.index("Aleppo-based") + 6)


def test_negation_goes_after_the_auxiliary_or_takes_do_support():
    from rashomon.nlp.model import load_pipeline

    nlp = load_pipeline(with_parser=True)

    def negate(sentence, verb):
        doc = nlp(sentence)
        i = next(t.i for t in doc if t.text == verb)
        edit = ce.negate_verb(doc, i)
        return None if edit is None else sentence[:edit[0]] + edit[2] + sentence[edit[1]:]

    assert negate("The rebels have taken the airport.", "taken") == "The rebels have not taken the airport."
    assert negate("The rebels attacked the airport.", "attacked") == "The rebels did not attack the airport."
    assert negate("The city is calm.", "is") == "The city is not calm."
    assert negate("The rebels managed to capture the airport.", "capture") == \
        "The rebels did not manage to capture the airport."
    assert negate("The rebels did not attack the airport.", "attack") is None


def target(**kw):
    base = dict(kind="date", story="s", article_id="x", partner_id="y", claim_id="cx", partner_claim_id="cy",
                similarity=0.8, start=10, end=17, old="Nov. 25", new="Nov. 28", how="day")
    return ce.Target(**{**base, **kw})


def side(value, *spans):
    return {"value": value, "normalized": value, "article_ids": list(dict.fromkeys(a for a, _, _ in spans)),
            "quotes": ["…"] * len(spans), "evidence": [{"article_id": a, "start": s, "end": e} for a, s, e in spans]}


def test_detection_needs_the_kind_and_sides_that_separate_the_rewritten_article():
    tg = target()
    found = {"conflicts": [{"kind": "date", "sides": [side("Nov. 28", ("x", 0, 40)), side("Nov. 25", ("y", 5, 50))]}],
             "updates": [], "claims": []}
    assert ce.detect(found, tg) == (True, "found")
    wrong_kind = {"conflicts": [{"kind": "number", "sides": [side("3", ("x", 0, 40)), side("5", ("y", 5, 50))]}],
                  "updates": [], "claims": []}
    assert ce.detect(wrong_kind, tg) == (False, "found as number")
    elsewhere = {"conflicts": [{"kind": "date", "sides": [side("a", ("x", 100, 140)), side("b", ("y", 5, 50))]}],
                 "updates": [], "claims": [{"sources": [{"article_id": "x", "start": 0, "end": 40},
                                                        {"article_id": "y", "start": 5, "end": 50}]}]}
    assert ce.detect(elsewhere, tg) == (False, "aligned, no difference")
    alone = {"conflicts": [], "updates": [], "claims": [{"sources": [{"article_id": "x", "start": 0, "end": 40}]}]}
    assert ce.detect(alone, tg) == (False, "not aligned")


def test_apply_edit_checks_the_text_and_conflict_keys_ignore_quote_order():
    assert ce.apply_edit("Rebels on Nov. 25 attacked", target(start=10, end=17)) == "Rebels on Nov. 28 attacked"
    with pytest.raises(EvaluationError, match="expected 'Nov. 25'"):
        ce.apply_edit("Rebels on Nov. 26 attacked", target(start=10, end=17))
    a = {"kind": "date", "sides": [side("1", ("x", 0, 4)), side("2", ("y", 1, 5))]}
    b = {"kind": "date", "sides": [side("2", ("y", 1, 5)), side("1", ("x", 0, 4))]}
    assert ce.conflict_key(a, "s") == ce.conflict_key(b, "s") != ce.conflict_key(a, "t")


def test_judgements_are_ids_and_labels_and_bad_labels_are_refused(tmp_path):
    good = tmp_path / "j.jsonl"
    good.write_text('{"key": "k1", "kind": "date", "label": "real"}\n{"key": "k2", "kind": "date", "label": "not"}\n')
    assert ce.load_judgements(good) == {"k1": "real", "k2": "not"}
    assert ce.load_judgements(tmp_path / "missing.jsonl") == {}
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"key": "k1", "kind": "date", "label": "maybe"}\n')
    with pytest.raises(EvaluationError, match="label must be"):
        ce.load_judgements(bad)


def write_stories(path):
    rows = [
        {"id": "a1", "cluster_id": "s1", "outlet": "Daily A", "date": "2024-11-27",
         "text": "Rebel fighters attacked the town of Saraqib on Monday. The fighters seized 15 villages near the town. "
                 "Officials said the army has taken back the airport."},
        {"id": "b1", "cluster_id": "s1", "outlet": "Daily B", "date": "2024-11-27",
         "text": "Rebel fighters attacked the town of Saraqib on Monday, witnesses said. Rebel fighters seized 15 "
                 "villages near the town. The army has taken back the airport, officials said."},
        {"id": "c1", "cluster_id": "s2", "outlet": "Daily A", "date": "2024-11-28", "text": "One outlet only."},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")


def test_stories_need_two_outlets_and_a_small_run_finds_what_it_injects(tmp_path):
    data = tmp_path / "stories.jsonl"
    write_stories(data)
    stories = ce.load_stories(data, stories=5, seed=0)
    assert [s.cluster for s in stories] == ["s1"]
    twice = tmp_path / "twice.jsonl"
    twice.write_text(data.read_text().replace('"b1"', '"a1"'))
    assert [a["id"] for a in ce.load_stories(twice, stories=5)[0].articles] == ["a1", "a1@twice:2"]
    with pytest.raises(EvaluationError, match="at least 1"):
        ce.load_stories(data, stories=0)
    with pytest.raises(EvaluationError, match="does not exist"):
        ce.load_stories(tmp_path / "nope")
    out = tmp_path / "judge.jsonl"
    result = ce.evaluate(data, stories=5, seed=0, per_story=1, encoder=WordCountEncoder(), judged=None, judge_out=out,
                         examples=None)
    assert result["n_stories"] == 1 and result["n_articles"] == 2
    injected = {k: v for k, v in result["recall"].items() if v["n"]}
    assert injected, "the two near-identical articles offer targets"
    for kind, r in injected.items():
        assert r["found"] <= r["n"] and r["found"] + sum(r["misses"].values()) == r["n"]
    assert result["recall"]["number"]["n"] == 1 and result["recall"]["number"]["found"] == 1
    assert out.exists()
    assert "injected" in ce._table(result)


def test_recall_over_valid_targets_counts_only_those_judged_valid(tmp_path):
    data = tmp_path / "stories.jsonl"
    write_stories(data)
    rows_out = tmp_path / "targets.jsonl"
    run = dict(stories=5, seed=0, per_story=1, encoder=WordCountEncoder(), judged=None, examples=None)
    first = ce.evaluate(data, judged_targets=None, targets_out=rows_out, **run)
    rows = [json.loads(line) for line in rows_out.read_text().splitlines()]
    assert rows and all(r["label"] is None and len(r["key"]) == 16 for r in rows)
    assert first["recall"]["number"]["recall_valid"] is None     # nothing judged: no figure
    judged = tmp_path / "judged_targets.jsonl"
    judged.write_text("".join(json.dumps({"key": r["key"], "kind": r["kind"],
                                          "label": "valid" if r["kind"] == "number" else "invalid"}) + "\n"
                              for r in rows))
    again = ce.evaluate(data, judged_targets=judged, targets_out=rows_out, **run)
    number = again["recall"]["number"]
    assert (number["judged"], number["valid"], number["found_valid"], number["recall_valid"]) == (1, 1, 1, 1.0)
    for kind, r in again["recall"].items():
        if kind != "number":
            assert r["valid"] == 0 and r["judged"] == r["n"] and r["recall_valid"] is None
    assert {json.loads(line)["label"] for line in rows_out.read_text().splitlines()} <= {"valid", "invalid"}
    bad = tmp_path / "bad_targets.jsonl"
    bad.write_text('{"key": "k", "kind": "date", "label": "real"}\n')
    with pytest.raises(EvaluationError, match="'valid', 'invalid'"):
        ce.evaluate(data, judged_targets=bad, **run)
