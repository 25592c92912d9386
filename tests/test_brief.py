"""The brief: faithful by construction, checked by a verifier that trusts nothing."""

from __future__ import annotations

import pytest

from rashomon.brief import check_brief, checkable_items, compose_brief, verify_brief
from rashomon.errors import BriefError

A = "An utterly devastating blast killed 12 people in Tikrit on Monday, officials said."
B = "A blast killed 12 people in Tikrit on Monday, police said. The mayor of the city resigned on Tuesday."
C = "Residents said the explosion happened on Sunday near the market."
ARTICLES = {"a": {"id": "a", "source": "Daily A", "text": A, "published": None},
            "b": {"id": "b", "source": "Wire B", "text": B, "published": None},
            "c": {"id": "c", "source": "Paper C", "text": C, "published": None}}


def src(aid: str, quote: str) -> dict:
    start = ARTICLES[aid]["text"].index(quote)
    return {"article_id": aid, "quote": quote, "start": start, "end": start + len(quote)}


def story(conflict_value_c: str = "Sunday") -> dict:
    a_quote = "An utterly devastating blast killed 12 people in Tikrit on Monday"
    b_quote = "A blast killed 12 people in Tikrit on Monday"
    c_quote = "the explosion happened on Sunday near the market"
    return {
        "claims": [
            {"id": "k1", "text": b_quote, "status": "contradicted", "independent_sources": 3,
             "sources": [src("a", a_quote), src("b", b_quote), src("c", c_quote)]},
            {"id": "k2", "text": b_quote, "status": "corroborated", "independent_sources": 2,
             "sources": [src("a", a_quote), src("b", b_quote)]},
            {"id": "k3", "text": "The mayor of the city resigned on Tuesday", "status": "single_source",
             "independent_sources": 1, "sources": [src("b", "The mayor of the city resigned on Tuesday")]},
            {"id": "k4", "text": "who fled", "status": "corroborated", "independent_sources": 2,
             "sources": [src("c", "near the market"), src("a", "officials said")]},
        ],
        "conflicts": [{"id": "x1", "kind": "date", "claim_id": "k1", "topic": b_quote, "sides": [
            {"value": "Monday", "normalized": "2024-01-01", "article_ids": ["a", "b"], "quotes": [],
             "evidence": [src("a", a_quote), src("b", b_quote)]},
            {"value": conflict_value_c, "normalized": "2023-12-31", "article_ids": ["c"], "quotes": [],
             "evidence": [src("c", c_quote)]}]}],
        "updates": [],
    }


def test_established_sentence_takes_the_least_loaded_wording_and_cites_every_source():
    brief = compose_brief(story(), ARTICLES)
    established = [s for s in brief if s["section"] == "established"]
    assert [s["text"] for s in established] == ["A blast killed 12 people in Tikrit on Monday."]
    assert [c["article_id"] for c in established[0]["citations"]] == ["b", "a"]   # chosen wording first
    assert established[0]["claim_ids"] == ["k2"]


def test_fragments_are_never_sentences_and_single_source_is_marked():
    brief = compose_brief(story(), ARTICLES)
    assert not any("near the market" == s["text"].rstrip(".").lower() for s in brief)
    (single,) = [s for s in brief if s["section"] == "single_source"]
    assert single["text"] == "The mayor of the city resigned on Tuesday." and single["source"] == "Wire B"


def test_conflict_sentence_says_who_says_what_with_verbatim_values():
    brief = compose_brief(story(), ARTICLES)
    (disputed,) = [s for s in brief if s["section"] == "disputed"]
    assert disputed["text"] == "Sources differ on the date: Daily A and Wire B say “Monday”; Paper C says “Sunday”."
    assert {c["article_id"] for c in disputed["citations"]} == {"a", "b", "c"}


def test_a_sentence_naming_what_its_spans_do_not_say_is_rejected_not_shown():
    rejected: list = []
    brief = compose_brief(story(conflict_value_c="Mosul"), ARTICLES, rejected=rejected)
    assert not any(s["section"] == "disputed" for s in brief)
    assert rejected and "Mosul" in rejected[0]["problem"]
    check_brief(brief, {k: v["text"] for k, v in ARTICLES.items()}, ["Daily A", "Wire B", "Paper C"])


def test_verifier_finds_unsupported_items_bad_citations_and_missing_citations():
    texts = {k: v["text"] for k, v in ARTICLES.items()}
    ok = {"text": "A blast killed 12 people in Tikrit on Monday.", "citations": [src("b", B[:57])]}
    wrong_number = {"text": "A blast killed 15 people in Tikrit on Monday.", "citations": ok["citations"]}
    wrong_name = {"text": "A blast killed 12 people in Mosul on Monday.", "citations": ok["citations"]}
    moved = {"text": ok["text"], "citations": [{**ok["citations"][0], "start": 3}]}
    bare = {"text": "Nothing cited.", "citations": []}
    kinds = [(p.sentence, p.kind, p.item) for p in verify_brief([ok, wrong_number, wrong_name, moved, bare], texts)]
    assert (1, "unsupported", "15") in kinds and (2, "unsupported", "Mosul") in kinds
    assert (3, "bad_citation", ok["citations"][0]["quote"]) in kinds and (4, "no_citation", "") in kinds
    assert not [k for k in kinds if k[0] == 0]
    with pytest.raises(BriefError, match="15"):
        check_brief([wrong_number], texts)


def test_checkable_items_pull_numbers_dates_names_and_quotes():
    items = checkable_items('The Red Cross said “we are overwhelmed” after 1,200 people fled on Nov. 27 in 2024.')
    assert ("number", "1,200") in items and ("number", "2024") in items
    assert ("date", "Nov") in items and ("quote", "we are overwhelmed") in items
    assert ("name", "Red Cross") in items


def test_place_map_is_inline_svg_escaped_and_frames_the_local_places():
    from rashomon.output.mapsvg import place_map

    places = [{"name": "Aleppo", "lat": 36.2, "lon": 37.16, "kind": "city", "article_ids": ["a", "b"]},
              {"name": "Idlib<script>", "lat": 35.93, "lon": 36.63, "kind": "city", "article_ids": ["a"]},
              {"name": "United States", "lat": 39.8, "lon": -98.5, "kind": "country", "article_ids": ["b"]}]
    svg = place_map(places)
    assert svg.startswith("<svg") and "<script" not in svg and "Idlib&lt;script&gt;" in svg
    assert "http" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "outside this frame: United States" in svg
    assert place_map([]) == ""


def test_relation_graph_is_inline_svg_with_escaped_labels():
    from rashomon.output.graphsvg import relation_graph

    rels = [{"subject": "Turkey", "predicate": "back", "object": "Rebels<b>", "article_ids": ["a", "b"]},
            {"subject": "Iran", "predicate": "support", "object": "Turkey", "article_ids": ["a"]}]
    svg = relation_graph(rels)
    assert svg.startswith('<svg class="graph"') and svg.count("marker-end") == 2
    assert "Rebels&lt;b&gt;" in svg and "<b>" not in svg and "<script" not in svg
    assert relation_graph([]) == ""
