"""Actor labels per source: references, roles, groups, polarity, the NewsWCL50 scorer and the report."""

from __future__ import annotations

import pytest

from rashomon.evaluation.actor_labels import concept_scores
from rashomon.framing import LabelInput, story_actors, story_framing
from rashomon.nlp import ReadItem, read_articles

A = ("Prime Minister Helga Varn of Norway met Chancellor Otto Brenner in Berlin on Tuesday. "
     "The prime minister said talks on fishing quotas would go on. "
     "Protesters gathered outside the chancellery, and the protesters chanted for hours.\n"
     "Brenner, a veteran negotiator, called the meeting useful.")
B = ("The tyrant Otto Brenner hosted Helga Varn. Critics say the chancellor ignored the protesters. "
     "Norwegian officials declined to comment. The protesters left at dusk.")


@pytest.fixture(scope="module")
def actors():
    analyses = read_articles([ReadItem("a", A, "en"), ReadItem("b", B, "en")])
    items = [LabelInput("a", A, analyses["a"]), LabelInput("b", B, analyses["b"].to_json())]
    return {x.name: x for x in story_actors(items)}, items


def test_one_actor_per_person_across_articles_with_titles_in_the_name(actors):
    by_name, _ = actors
    varn = by_name["Helga Varn"]
    assert {r.article_id for r in varn.references} == {"a", "b"}
    assert any(r.kind == "name" and r.text == "Prime Minister Helga Varn" for r in varn.references)


def test_role_references_link_back_to_the_titled_person(actors):
    by_name, _ = actors
    varn_refs = {(r.article_id, r.text, r.kind) for r in by_name["Helga Varn"].references}
    assert ("a", "The prime minister", "reference") in varn_refs
    brenner = by_name["Otto Brenner"]
    kinds = {(r.article_id, r.text, r.kind) for r in brenner.references}
    assert ("b", "the chancellor", "reference") in kinds        # role learned in article a
    assert ("a", "a veteran negotiator", "apposition") in kinds
    # the parser may hang "The tyrant Otto Brenner" either way round; both are descriptions of him
    assert any(a == "b" and t.lower().endswith("tyrant") and k in ("descriptor", "apposition") for a, t, k in kinds)


def test_loaded_descriptor_gives_a_hostile_stance_only_where_it_is_used(actors):
    by_name, _ = actors
    stance = by_name["Otto Brenner"].stance()
    assert stance["b"]["score"] < -0.5
    assert "a" not in stance or stance["a"]["score"] > -0.25
    labels = by_name["Otto Brenner"].labels()
    assert labels["b"][0].lower().endswith("tyrant")            # descriptions come before names


def test_recurring_people_nouns_become_one_group_actor(actors):
    by_name, _ = actors
    groups = [a for a in by_name.values() if a.type == "group"]
    protesters = [g for g in groups if g.name.lower() == "protesters"]
    assert len(protesters) == 1
    assert {r.article_id for r in protesters[0].references} == {"a", "b"}


def test_country_adjective_on_people_noun_refers_to_the_country(actors):
    by_name, _ = actors
    norway = by_name["Norway"]
    assert any(r.text == "Norwegian officials" and r.kind == "reference" for r in norway.references)


def test_story_framing_orders_actors_and_carries_tone(actors):
    _, items = actors
    rows = story_framing(items)
    assert rows[0]["name"] in ("Otto Brenner", "Helga Varn")
    assert all(set(r) >= {"id", "name", "type", "aliases", "labels", "stance", "tone", "references"} for r in rows)
    assert all(-1 <= v <= 1 for r in rows for v in r["tone"].values())


def test_concept_scores_pick_the_best_actor_per_concept():
    gold = {("0", "c1"): 4, ("0", "c2"): 2}
    matches = [("0", "c1", "x"), ("0", "c1", "x"), ("0", "c1", "y"), ("0", "c2", "y")]
    sizes = {("0", "x"): 4, ("0", "y"): 2}
    r = concept_scores(gold, matches, sizes)
    assert r["per_concept"]["c1"] == {"precision": 0.5, "recall": 0.5, "f1": 0.5, "gold": 4}
    assert r["per_concept"]["c2"]["precision"] == 0.5 and r["per_concept"]["c2"]["recall"] == 0.5
    assert r["macro"]["f1"] == 0.5
    assert r["micro"]["precision"] == round(3 / 6, 4)


def test_a_story_judged_again_parses_only_its_new_article(actors, monkeypatch):
    from rashomon.nlp import model

    by_name, items = actors
    parsed: list[int] = []
    load = model.load_pipeline

    def counting(**kw):
        nlp = load(**kw)

        class Counting:
            def pipe(self, texts, **options):
                texts = list(texts)
                parsed.append(len(texts))
                return nlp.pipe(texts, **options)
        return Counting()
    monkeypatch.setattr(model, "load_pipeline", counting)
    again = {x.name: x for x in story_actors(items)}
    assert parsed == []                                   # both parses remembered
    assert {n: [(r.article_id, r.start, r.end, r.kind) for r in x.references] for n, x in again.items()} == \
        {n: [(r.article_id, r.start, r.end, r.kind) for r in x.references] for n, x in by_name.items()}
    c = "Helga Varn flew home on Wednesday."
    story_actors(items + [LabelInput("c", c, read_articles([ReadItem("c", c, "en")])["c"])])
    assert parsed == [1]                                  # only the new article
