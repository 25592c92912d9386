"""The calibrated alignment: which claim pairs are compared, and the slot rules that keep apart two
facts of one kind (two strikes, two ages, a part and its whole) while still catching one fact told
two ways."""

from __future__ import annotations

import datetime as dt

import numpy as np

from rashomon.alignment import AlignParams, Context, StoryArticle, align_and_link, compare_claims, judge_story
from rashomon.alignment.align import event_class, masked_text
from rashomon.claims import Claim, ClaimActor, ClaimAttribution, ClaimPlace, ClaimQuantity, ClaimTime
from rashomon.claims.background import reference_date
from rashomon.nlp.types import DateExpr


def claim(text="Rebels launched the offensive", article="a", predicate="launch", negated=False, time=(),
          quantities=(), places=(), actors=(), subject=None, obj="the offensive", start=0):
    return Claim(id=f"c-{article}-{start}-{text[:10]}", article_id=article, sentence=0, start=start,
                 end=start + len(text), text=text, predicate=predicate, negated=negated, subject=subject, object=obj,
                 actors=list(actors), places=list(places), time=list(time), quantities=list(quantities),
                 attribution=ClaimAttribution(None, "none"))


def t(text, value=None, precision=None, start=0):
    return ClaimTime(value, precision, "resolved" if value else "unresolved", text, start, start + len(text))


def q(text, low, high, noun, start=0, approximate=False):
    return ClaimQuantity(low, high, noun, text, approximate, start, start + len(text))


def kinds(a, b, later=0, ctx=None):
    return [(d.kind, d.evolving) for d in compare_claims(a, b, later, ctx)]


def quantity_pair(text_a, qa, text_b, qb):
    """Two claims, each the whole text of its article, with one count each at its place in the text."""
    a = claim(text_a, quantities=[q(qa[0], qa[1], qa[2], qa[3], start=text_a.index(qa[0]))])
    b = claim(text_b, article="b", quantities=[q(qb[0], qb[1], qb[2], qb[3], start=text_b.index(qb[0]))])
    return a, b, Context({"a": text_a, "b": text_b}, {})


# --- dates --------------------------------------------------------------------------------------

def test_a_claim_with_two_dates_conflicts_only_when_none_of_them_agrees():
    convicted = claim("Peterson was convicted Nov. 12, just before Christmas 2002",
                      time=[t("Nov. 12"), t("Christmas 2002", "2002-12-25", "day")])
    assert kinds(claim("The jury convicted Peterson on Nov. 15", article="b", time=[t("Nov. 15")]),
                 convicted) == [("date", False)]
    assert kinds(claim("The jury convicted Peterson on Nov. 12", article="b", time=[t("Nov. 12")]), convicted) == []


def test_years_far_apart_are_two_events_not_one_date_in_dispute():
    quake = claim("A massive quake struck off Aceh in 2004", predicate="strike", time=[t("in 2004", "2004", "year")])
    assert kinds(quake, claim("A quake struck off Aceh in May 2012", article="b", predicate="strike",
                              time=[t("in May 2012", "2012-05", "month")])) == []
    assert kinds(quake, claim("A quake struck off Aceh in 2005", article="b", predicate="strike",
                              time=[t("in 2005", "2005", "year")])) == [("date", False)]


# --- numbers ------------------------------------------------------------------------------------

def test_a_rounded_amount_meets_the_exact_one():
    a, b, ctx = quantity_pair("the Clintons have paid $43 million in taxes", ("$43 million", 43e6, 43e6, "dollars"),
                              "the couple paid $43,885,310 in taxes", ("$43,885,310", 43885310, 43885310, "dollars"))
    assert kinds(a, b, ctx=ctx) == []
    a, b, ctx = quantity_pair("the Clintons have paid $43 million in taxes", ("$43 million", 43e6, 43e6, "dollars"),
                              "the couple paid $53 million in taxes", ("$53 million", 53e6, 53e6, "dollars"))
    assert kinds(a, b, ctx=ctx) == [("number", False)]


def test_a_remainder_is_not_the_whole():
    a, b, ctx = quantity_pair("Twelve people were killed in the quake", ("Twelve people", 12, 12, "people"),
                              "Four other people died in hospitals", ("Four other people", 4, 4, "people"))
    assert kinds(a, b, ctx=ctx) == []
    a, b, ctx = quantity_pair("Five bombs were dropped on the camp", ("Five bombs", 5, 5, "bombs"),
                              "Two of the bombs fell within the camp", ("Two of the bombs", 2, 2, "bombs"))
    assert kinds(a, b, ctx=ctx) == []
    # the same remainder on both sides is one count
    a, b, ctx = quantity_pair("Eleven other men were charged", ("Eleven other men", 11, 11, "men"),
                              "Jeffs and 22 other men were charged", ("22 other men", 22, 22, "men"))
    assert kinds(a, b, ctx=ctx) == [("number", False)]


def test_two_counts_of_one_noun_are_not_compared_on_it():
    a = claim("AMD is paying $281m in cash and $53m in stock", quantities=[
        q("$281m", 281e6, 281e6, "dollars", start=13), q("$53m", 53e6, 53e6, "dollars", start=34)])
    b = claim("AMD will pay $334 million", article="b", quantities=[q("$334 million", 334e6, 334e6, "dollars", 13)])
    assert kinds(a, b, ctx=Context({"a": a.text, "b": b.text}, {})) == []


def test_words_of_magnitude_disagree_only_by_a_wide_margin():
    a, b, ctx = quantity_pair("some 14,000 Palestinians displaced", ("some 14,000 Palestinians", 12600, 15400, "Palestinians"),
                              "Thousands of Palestinians fled", ("Thousands of Palestinians", 2000, 9999, "Palestinians"))
    assert kinds(a, b, ctx=ctx) == []
    a, b, ctx = quantity_pair("dozens of people were injured", ("dozens of people", 24, 99, "people"),
                              "some 900 people were injured", ("some 900 people", 810, 990, "people"))
    assert kinds(a, b, ctx=ctx) == [("number", False)]


def test_attribute_counts_compare_only_for_the_same_thing():
    a, b, ctx = quantity_pair("A 17-year-old boy was shot", ("17-year", 17, 17, "year"),
                              "A 66-year-old man was shot", ("66-year", 66, 66, "year"))
    assert kinds(a, b, ctx=ctx) == []
    a, b, ctx = quantity_pair("police spoke to 21-year-old Jesse Dobbs", ("21-year", 21, 21, "year"),
                              "detectives interviewed 22-year-old Jesse Dobbs", ("22-year", 22, 22, "year"))
    assert kinds(a, b, ctx=ctx) == [("number", False)]


def test_addresses_and_numbers_split_by_the_text_are_not_counts():
    a, b, ctx = quantity_pair("he was shot in the 1500 block of Pennsylvania Avenue", ("1500", 1500, 1500, "block"),
                              "he was shot in the 800 block of Lyndhurst Street", ("800", 800, 800, "block"))
    assert kinds(a, b, ctx=ctx) == []
    a, b, ctx = quantity_pair("The 13-inch models start at $1, 199", ("$1", 1, 1, "dollars"),
                              "The models start at $999 with a 1", ("$999", 999, 999, "dollars"))
    assert kinds(a, b, ctx=ctx) == []


# --- places -------------------------------------------------------------------------------------

def place(name, text_of, at):
    # distinct names far apart (whole degrees), one name one point: no two test cities are neighbours
    return ClaimPlace(name, float(len(name)), float(sum(map(ord, name)) % 90), name, at, at + len(name))


def test_the_city_a_fact_is_in_wins_over_a_bearing_and_bearings_do_not_conflict():
    ta = "the suspect Cesar Sayoc of Aventura, just north of Miami"
    tb = "sources identified the suspect as Cesar Sayoc of Boston"
    a = claim(ta, predicate="identify", places=[place("Aventura", ta, ta.index("Aventura")),
                                                place("Miami", ta, ta.index("Miami"))])
    b = claim(tb, article="b", predicate="identify", places=[place("Boston", tb, tb.index("Boston"))])
    ctx = Context({"a": ta, "b": tb}, {("a", ta.index("Aventura")): "city", ("a", ta.index("Miami")): "city",
                                       ("b", tb.index("Boston")): "city"})
    assert kinds(a, b, ctx=ctx) == [("place", False)]
    tc = "The quake was centered 13 miles east of Cloverdale"
    td = "The quake was centered 23 miles north of Santa Rosa"
    c = claim(tc, predicate="center", places=[place("Cloverdale", tc, tc.index("Cloverdale"))])
    d = claim(td, article="b", predicate="center", places=[place("Santa Rosa", td, td.index("Santa Rosa"))])
    ctx = Context({"a": tc, "b": td}, {("a", tc.index("Cloverdale")): "city", ("b", td.index("Santa Rosa")): "city"})
    assert kinds(c, d, ctx=ctx) == []


def test_a_place_named_as_an_owner_says_nothing_about_where():
    ta = "officials discussed Pyongyang's nuclear program"
    tb = "officials discussed the nuclear program in Washington"
    a = claim(ta, predicate="discuss", places=[place("Pyongyang", ta, ta.index("Pyongyang"))])
    b = claim(tb, article="b", predicate="discuss", places=[place("Washington", tb, tb.index("Washington"))])
    ctx = Context({"a": ta, "b": tb}, {("a", ta.index("Pyongyang")): "city", ("b", tb.index("Washington")): "city"})
    assert kinds(a, b, ctx=ctx) == []


# --- negation and actors ------------------------------------------------------------------------

def test_negation_needs_the_same_subject_and_object_as_far_as_both_say_them():
    rcmp = ClaimActor("a1", "RCMP", "subject", "the RCMP", 0, 8)
    blackmore = ClaimActor("a2", "Winston Blackmore", "other", "Winston Blackmore", 40, 57)
    a = claim("the RCMP did not arrest two residents, Winston Blackmore", predicate="arrest", negated=True,
              subject="the RCMP", obj="two residents", actors=[rcmp, blackmore])
    b = claim("Winston Blackmore was arrested by RCMP", article="b", predicate="arrest", subject="RCMP",
              obj="Winston Blackmore", actors=[ClaimActor("b1", "RCMP", "subject", "RCMP", 30, 34),
                                               ClaimActor("b2", "Winston Blackmore", "object", "Winston Blackmore", 0, 17)])
    assert kinds(a, b) == [("negation", False)]
    other = claim("the army did not arrest the protesters", article="b", predicate="arrest", negated=True,
                  subject="the army", obj="the protesters")
    assert kinds(claim("the police arrested the protesters", predicate="arrest", subject="the police",
                       obj="the protesters"), other) == []


def test_a_light_verb_or_a_reporting_verb_makes_no_negation_conflict():
    new = claim("Capaldi is not completely new to Doctor Who", predicate="be", negated=True, subject="Capaldi",
                obj="completely new to Doctor Who")
    assert kinds(claim("Capaldi will be the Twelfth Doctor", article="b", predicate="be", subject="Capaldi",
                       obj="the Twelfth Doctor"), new) == []
    assert kinds(claim("AMD did not say the deal closed", predicate="say", negated=True, obj="the deal closed"),
                 claim("AMD said the deal closed", article="b", predicate="say", obj="the deal closed")) == []


def test_never_and_no_longer_are_denials():
    from rashomon.claims.clauses import _negated

    class Tok:
        def __init__(self, lower, dep, children=()):
            self.lower_, self.dep_, self.children = lower, dep, list(children)

    assert _negated(Tok("need", "ROOT", [Tok("longer", "advmod", [Tok("no", "neg")])]))
    assert _negated(Tok("test", "ROOT", [Tok("never", "advmod")]))
    assert not _negated(Tok("test", "ROOT", [Tok("longer", "advmod")]))
    # "was not then issued": the parser may hang "not" from the auxiliary
    assert _negated(Tok("issued", "ROOT", [Tok("was", "auxpass", [Tok("not", "neg")])]))
    assert not _negated(Tok("issued", "ROOT", [Tok("was", "auxpass")]))


def test_an_actor_conflict_is_not_two_names_of_one_actor_nor_two_acts():
    amd = ClaimActor("a1", "Advanced Micro Devices", "subject", "AMD", 0, 3, "ORG")
    amd2 = ClaimActor("b1", "AMD", "subject", "AMD", 0, 3, "ORG")
    assert kinds(claim("AMD will acquire SeaMicro", predicate="acquire", obj="SeaMicro", actors=[amd]),
                 claim("AMD will acquire SeaMicro", article="b", predicate="acquire", obj="SeaMicro",
                       actors=[amd2])) == []
    trump = ClaimActor("a1", "Donald Trump", "subject", "Trump", 0, 5, "PERSON")
    cruz = ClaimActor("b1", "Ted Cruz", "subject", "Cruz", 0, 4, "PERSON")
    assert kinds(claim("Trump lashed out at Cruz", predicate="lash", obj="at Cruz", actors=[trump]),
                 claim("Cruz lashed out at Trump", article="b", predicate="lash", obj="at Trump", actors=[cruz])) == []
    intel = ClaimActor("b1", "Intel", "subject", "Intel", 0, 5, "ORG")
    assert kinds(claim("AMD will acquire SeaMicro", predicate="acquire", obj="SeaMicro", actors=[amd]),
                 claim("Intel will acquire SeaMicro", article="b", predicate="acquire", obj="SeaMicro",
                       actors=[intel])) == [("actor", False)]
    # a country against an organisation, or a person against his country: one actor under two names
    us = ClaimActor("b1", "US", "subject", "The US", 0, 6, "GPE")
    biden = ClaimActor("a1", "The Biden administration", "subject", "The Biden administration", 0, 24, "ORG")
    assert kinds(claim("The Biden administration will invest $3 billion in pills", predicate="invest",
                       obj="$3 billion", actors=[biden]),
                 claim("The US will invest $3 billion in pills", article="b", predicate="invest", obj="$3 billion",
                       actors=[us])) == []
    clintons = ClaimActor("a1", "the Clintons", "subject", "the Clintons", 0, 12, "PERSON")
    both = ClaimActor("b1", "Hillary and Bill Clinton", "subject", "Hillary and Bill Clinton", 0, 24, "PERSON")
    assert kinds(claim("the Clintons paid $43 million in taxes", predicate="pay", obj="$43 million", actors=[clintons]),
                 claim("Hillary and Bill Clinton paid $44 million in taxes", article="b", predicate="pay",
                       obj="$44 million", actors=[both])) == []


# --- linking and judging ------------------------------------------------------------------------

class FixedEncoder:
    """Unit vectors by text: claims given the same key point the same way."""

    def __init__(self, keys):
        self.keys = keys

    def encode(self, texts, batch_size=32):
        out = []
        for text in texts:
            v = np.zeros(8, dtype=np.float32)
            v[self.keys.get(text, hash(text) % 5 + 3)] = 1.0
            out.append(v)
        return np.stack(out)


def test_event_classes_join_synonyms_converses_and_inception_of_an_attack():
    assert event_class(claim(predicate="seize")) == event_class(claim(predicate="capture")) == "capture"
    assert event_class(claim("Rebels launched a large-scale offensive", obj="a large-scale offensive")) == "attack"
    assert event_class(claim("The rebel offensive started", predicate="start", subject="The rebel offensive",
                             obj=None)) == "attack"
    assert event_class(claim(predicate="be")) is None
    # "dismissed a challenge" rejects it; "dismissed the director" ousts him
    assert event_class(claim("The court dismissed a challenge to the law", predicate="dismiss",
                             obj="a challenge to the law")) == event_class(claim(predicate="reject")) == "reject"
    assert event_class(claim("The board dismissed the director", predicate="dismiss", obj="the director")) == "oust"


def test_masked_text_blanks_the_disputed_slots():
    text = "Rebels attacked Aleppo on November 25"
    c = claim(text, predicate="attack", time=[t("November 25", start=text.index("November"))],
              places=[place("Aleppo", text, text.index("Aleppo"))])
    assert masked_text(c) == "Rebels attacked … on …"


def test_a_pair_that_differs_on_two_of_when_where_how_many_is_two_facts():
    ta = "Three people were killed in Gaza City on Monday"
    tb = "Five people were killed in Rafah on Monday"
    a = claim(ta, predicate="kill", quantities=[q("Three people", 3, 3, "people", 0)],
              places=[place("Gaza City", ta, ta.index("Gaza City"))])
    b = claim(tb, article="b", predicate="kill", quantities=[q("Five people", 5, 5, "people", 0)],
              places=[place("Rafah", tb, tb.index("Rafah"))])
    kinds_of = {("a", ta.index("Gaza City")): "city", ("b", tb.index("Rafah")): "city"}
    arts = [StoryArticle("a", "Outlet A", None, None, ta), StoryArticle("b", "Outlet B", None, None, tb)]
    enc = FixedEncoder({ta: 0, tb: 0})
    assert {d.kind for d in compare_claims(a, b, 0, Context({"a": ta, "b": tb}, kinds_of))} == {"number", "place"}
    out = judge_story(arts, {"a": [a], "b": [b]}, enc, kinds_of)
    assert out["conflicts"] == []
    # one of them alone is a dispute
    b2 = claim(tb.replace("Rafah", "Gaza City"), article="b", predicate="kill",
               quantities=[q("Five people", 5, 5, "people", 0)],
               places=[place("Gaza City", tb, tb.index("Rafah"))])
    arts[1] = StoryArticle("b", "Outlet B", None, None, b2.text)
    enc = FixedEncoder({ta: 0, b2.text: 0})
    out = judge_story(arts, {"a": [a], "b": [b2]}, enc, {**kinds_of, ("b", tb.index("Rafah")): "city"})
    assert [c["kind"] for c in out["conflicts"]] == ["number"]
    sides = out["conflicts"][0]["sides"]
    assert {tuple(s["article_ids"]) for s in sides} == {("a",), ("b",)}


def test_links_need_an_event_or_a_close_actor_and_cross_groups():
    ta, tb = "Rebels attacked the airbase on Monday", "Rebels stormed the airbase on Friday"
    a = claim(ta, predicate="attack", time=[t("on Monday", "2024-11-25", "day", ta.index("on Monday"))])
    b = claim(tb, article="b", predicate="storm", time=[t("on Friday", "2024-11-29", "day", tb.index("on Friday"))])
    unrelated = claim("Officials praised the new budget plan", article="b", predicate="praise", obj="the plan", start=100)
    enc = FixedEncoder({ta: 0, tb: 0, "Officials praised the new budget plan": 1})
    groups, links = align_and_link([a, b, unrelated], enc, AlignParams())
    assert [(k.a.id, k.b.id) for k in links] == [(a.id, b.id)]
    arts = [StoryArticle("a", "A", "2024-11-29", None, ta), StoryArticle("b", "B", "2024-11-30", None, tb)]
    out = judge_story(arts, {"a": [a], "b": [b, unrelated]}, enc, {})
    assert [c["kind"] for c in out["conflicts"]] == ["date"]


def test_an_update_with_unknown_dates_says_its_order_is_unknown():
    ta, tb = "Rebels advanced near Aleppo", "Rebels advanced into Aleppo"
    a = claim(ta, predicate="advance", obj=None, places=[place("Aleppo", ta, 21)])
    b = claim(tb, article="b", predicate="advance", obj=None, places=[place("Aleppo", tb, 21)])
    kinds_of = {("a", 21): "city", ("b", 21): "city"}
    enc = FixedEncoder({ta: 0, tb: 0})
    out = judge_story([StoryArticle("a", "A", None, None, ta), StoryArticle("b", "B", None, None, tb)],
                      {"a": [a], "b": [b]}, enc, kinds_of)
    assert out["updates"] and "publication dates unknown" in out["updates"][0]["explanation"]
    out = judge_story([StoryArticle("a", "A", "2024-11-27", None, ta), StoryArticle("b", "B", "2024-11-29", None, tb)],
                      {"a": [a], "b": [b]}, enc, kinds_of)
    assert "read in publication order" in out["updates"][0]["explanation"]
    out = judge_story([StoryArticle("a", "A", "2024-11-29", None, ta), StoryArticle("b", "B", "2024-11-29", None, tb)],
                      {"a": [a], "b": [b]}, enc, kinds_of)
    assert "published at the same time" in out["updates"][0]["explanation"]


def test_a_year_alone_is_no_reference_date_for_background():
    year = DateExpr(0, 4, "2016", "2016", "year", "resolved", "absolute")
    day = DateExpr(0, 6, "Nov 27", "2024-11-27", "day", "resolved", "published")
    assert reference_date(None, [year]) is None
    assert reference_date(None, [year, day]) == dt.date(2024, 11, 27)
