"""Slot comparison of aligned claims: typed conflicts, agreements and updates."""

from __future__ import annotations

from rashomon.alignment import Context, StoryArticle, compare_claims, independence_key
from rashomon.claims import Claim, ClaimActor, ClaimAttribution, ClaimPlace, ClaimQuantity, ClaimTime


def claim(text="Rebels launched the offensive", article="a", predicate="launch", negated=False, time=(),
          quantities=(), places=(), actors=(), obj="the offensive", attribution=None):
    return Claim(id=f"c-{article}-{text[:8]}", article_id=article, sentence=0, start=0, end=len(text), text=text,
                 predicate=predicate, negated=negated, subject=None, object=obj, actors=list(actors),
                 places=list(places), time=list(time), quantities=list(quantities),
                 attribution=attribution or ClaimAttribution(None, "none"))


def t(text, value=None, precision=None):
    return ClaimTime(value, precision, "resolved" if value else "unresolved", text, 0, len(text))


def q(text, low, high, noun):
    return ClaimQuantity(low, high, noun, text, False, 0, len(text))


def kinds(a, b, later=0, ctx=None):
    return [(d.kind, d.evolving) for d in compare_claims(a, b, later, ctx)]


def test_dates_conflict_at_the_coarser_precision_and_unresolved_ones_never_do():
    assert kinds(claim(time=[t("in 2016", "2016", "year")]),
                 claim(article="b", time=[t("in 2017", "2017", "year")])) == [("date", False)]
    assert kinds(claim(time=[t("in 2016", "2016", "year")]),
                 claim(article="b", time=[t("in May 2016", "2016-05", "month")])) == []
    # day and month with no year still disagree with another day of the same month
    assert kinds(claim(time=[t("November 25")]), claim(article="b", time=[t("Nov. 27")])) == [("date", False)]
    assert kinds(claim(time=[t("Nov. 27")]), claim(article="b", time=[t("2024-11-27", "2024-11-27", "day")])) == []
    assert kinds(claim(time=[t("on Wednesday")]), claim(article="b", time=[t("Nov. 27")])) == []


def test_counts_that_meet_agree_rising_later_counts_are_updates():
    a = claim(quantities=[q("at least 300 people", 300, None, "people")])
    assert kinds(a, claim(article="b", quantities=[q("327 people", 327, 327, "people")])) == []
    low = claim(quantities=[q("15 villages", 15, 15, "villages")])
    high = claim(article="b", quantities=[q("30 villages", 30, 30, "village")])
    assert kinds(low, high) == [("number", False)]              # order unknown: a contradiction
    assert kinds(low, high, later=1) == [("number", True)]      # the later report is higher: an update
    assert kinds(low, high, later=-1) == [("number", False)]    # the count went down later
    other = claim(article="b", quantities=[q("30 tanks", 30, 30, "tanks")])
    assert kinds(low, other) == []                              # different things counted


def test_negation_and_actor_conflicts_need_the_same_predicate():
    assert kinds(claim(), claim(article="b", negated=True)) == [("negation", False)]
    assert kinds(claim(), claim(article="b", predicate="announce", negated=True)) == []
    rebels = ClaimActor("a1", "Hayat Tahrir al-Sham", "subject", "HTS", 0, 3, "ORG")
    army = ClaimActor("a2", "Syrian Army", "subject", "the army", 0, 8, "ORG")
    assert kinds(claim(actors=[rebels]), claim(article="b", actors=[army])) == [("actor", False)]
    assert kinds(claim(actors=[rebels]), claim(article="b", actors=[army], obj="a ceasefire deal")) == []


def test_places_two_cities_conflict_near_then_in_is_an_update():
    aleppo = ClaimPlace("Aleppo", 36.2, 37.2, "Aleppo", 21, 27)
    idlib = ClaimPlace("Idlib", 35.9, 36.6, "Idlib", 21, 26)
    ctx = Context({"a": "Rebels advanced near Aleppo", "b": "Rebels advanced into Aleppo"},
                  {("a", 21): "city", ("b", 21): "city"})
    assert kinds(claim(places=[aleppo]), claim(article="b", places=[idlib]), ctx=ctx) == [("place", False)]
    assert kinds(claim(places=[aleppo]), claim(article="b", places=[aleppo]), ctx=ctx) == [("place", True)]
    country = Context(ctx.texts, {("a", 21): "city", ("b", 21): "country"})
    assert kinds(claim(places=[aleppo]), claim(article="b", places=[idlib]), ctx=country) == []


def test_relayed_and_syndicated_sources_count_once():
    a = StoryArticle("a", "Outlet A", None, None, "")
    b = StoryArticle("b", "Outlet B", None, "g1", "")
    observatory = ClaimAttribution("the Syrian Observatory for Human Rights", "named", relay=True)
    assert independence_key(claim(attribution=observatory), a) == independence_key(
        claim(article="b", attribution=ClaimAttribution("Syrian Observatory for Human Rights", "named")), b)
    assert independence_key(claim(), a) == "outlet:outlet a"
    assert independence_key(claim(article="b"), b) == "copy:g1"
