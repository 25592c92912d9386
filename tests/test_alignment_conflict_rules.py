"""Slot rules and links added to catch one fact told two ways (dates with partial agreement,
ages, several counts of one noun, short names, a name against a description) while keeping apart
facts that only look alike (neighbouring places, two countries, counts an order apart, running
lengths, a year the resolver guessed)."""

from __future__ import annotations

import math

import numpy as np

from rashomon.alignment import AlignParams, Context, align_and_link, compare_claims
from rashomon.alignment.align import affirmed_text
from rashomon.alignment.pipeline import place_key
from rashomon.claims import ClaimActor, ClaimPlace, ClaimQuantity, ClaimTime

from .test_alignment_calibration import claim as calibration_claim


def claim(text, article="a", predicate="report", obj=None, **slots):
    return calibration_claim(text, article, predicate, obj=obj, **slots)


def when(text, value=None, precision=None, at=0):
    return ClaimTime(value, precision, "resolved" if value else "unresolved", text, at, at + len(text))


def count(whole, text, low, high, noun):
    at = whole.index(text)
    return ClaimQuantity(low, high, noun, text, False, at, at + len(text))


def kinds(a, b, ctx=None):
    return [d.kind for d in compare_claims(a, b, 0, ctx)]


def numbers(ta, qa, tb, qb):
    a = claim(ta, quantities=[count(ta, *x) for x in qa])
    b = claim(tb, article="b", quantities=[count(tb, *x) for x in qb])
    return kinds(a, b, Context({"a": ta, "b": tb}, {}))


# --- dates --------------------------------------------------------------------------------------

def test_ordinal_and_of_month_days_are_read_without_a_year():
    a = claim("Trump will travel to the UK on July 16th", time=[when("July 16th")])
    b = claim("Trump will visit the UK on the 13th of July", article="b", time=[when("July"), when("the 13th of July")])
    assert kinds(a, b) == ["date"]
    same = claim("Trump will visit the UK on the 16th of July", article="b", time=[when("the 16th of July")])
    assert kinds(a, same) == []


def test_agreement_on_one_part_of_a_date_does_not_settle_another():
    # the day agrees, the year does not: "fiscal 2006 quarter, which ends January 31" vs "Jan. 31, 2008"
    a = claim("the deal closes in its fiscal 2006 quarter, which ends January 31",
              time=[when("2006", "2006", "year"), when("January 31")])
    b = claim("the deal closes in the quarter which will end Jan. 31, 2008", article="b",
              time=[when("Jan. 31, 2008", "2008-01-31", "day")])
    assert kinds(a, b) == ["date"]
    # the year agrees, the day does not
    c = claim("the quarter will end Jan. 27, 2008", time=[when("Jan. 27, 2008", "2008-01-27", "day")])
    d = claim("its fiscal 2008 quarter ends January 31", article="b",
              time=[when("2008", "2008", "year"), when("January 31")])
    assert kinds(c, d) == ["date"]
    # a year both give agrees on the very part the other pair differs in: one account of two years
    e = claim("hackers broke in in 2013 and 2016", time=[when("2013", "2013", "year"), when("2016", "2016", "year")])
    f = claim("breaches in 2015 and 2016", article="b",
              time=[when("2015", "2015", "year"), when("2016", "2016", "year")])
    assert kinds(e, f) == []


def test_a_year_the_text_does_not_write_is_not_compared():
    # "Jan. 6" resolved to the coming year by one reading, "January 6" to the past one
    a = claim("the panel on the Jan. 6 insurrection", time=[when("Jan. 6", "2022-01-06", "day")])
    b = claim("the committee investigating the January 6 insurrection on Wednesday", article="b",
              time=[when("January 6", "2021-01-06", "day"), when("Wednesday", "2021-07-21", "day")])
    assert kinds(a, b) == []
    c = claim("the attack of Jan. 9", time=[when("Jan. 9", "2022-01-09", "day")])
    assert kinds(c, b) == ["date"]          # the day still differs


# --- numbers ------------------------------------------------------------------------------------

def test_ages_in_the_same_role_are_one_persons_age():
    ta, tb = "A 2-year-old girl accidentally shot herself", "the 4-year-old accidentally shot herself"
    a = claim(ta, predicate="shoot", subject="A 2-year-old girl", obj="herself",
              quantities=[count(ta, "2-year", 2, 2, "year")])
    b = claim(tb, article="b", predicate="shoot", subject="the 4-year-old", obj="herself",
              quantities=[count(tb, "4-year", 4, 4, "year")])
    assert kinds(a, b, Context({"a": ta, "b": tb}, {})) == ["number"]
    # one age is the subject's, the other the object's: two people
    tc = "Police questioned the 4-year-old's father"
    c = claim(tc, article="b", predicate="question", subject="Police", obj="the 4-year-old's father",
              quantities=[count(tc, "4-year", 4, 4, "year")])
    assert kinds(a, c, Context({"a": ta, "b": tc}, {})) == []
    # an age of the object's owner is not the object's age
    td, te = "Jeffs kissed a 12-year-old girl", "Jeffs was the father of the 15-year-old's child"
    d = claim(td, predicate="kiss", subject="Jeffs", obj="a 12-year-old girl",
              quantities=[count(td, "12-year", 12, 12, "year")])
    e = claim(te, article="b", predicate="be", subject="Jeffs", obj="the father of the 15-year-old's child",
              quantities=[count(te, "15-year", 15, 15, "year")])
    assert kinds(d, e, Context({"a": td, "b": te}, {})) == []


def test_the_words_around_a_count_pick_which_of_several_is_compared():
    ta = "The quake struck about 28 miles north of Healdsburg"
    tb = "The quake struck about 14 miles north of Healdsburg, on the Maacama Fault, with a depth of 12 miles"
    assert numbers(ta, [("about 28 miles", 25, 31, "miles")],
                   tb, [("about 14 miles", 13, 15, "miles"), ("12 miles", 12, 12, "miles")]) == ["number"]
    # no word ties the single count to one of the two: which of them it answers is unknown
    assert numbers("AMD pays $334 million", [("$334 million", 334e6, 334e6, "dollars")],
                   "AMD pays $281 million in cash and $53 million in stock",
                   [("$281 million", 281e6, 281e6, "dollars"), ("$53 million", 53e6, 53e6, "dollars")]) == []

    # what a count is of follows it: the words up to the next count pick the steel duty
    steel = "Exporters would face duties of 50 percent on steel and 10 percent on aluminum"
    assert numbers(steel, [("50 percent", 50, 50, "percent"), ("10 percent", 10, 10, "percent")],
                   "China will face a 25 percent tariff on steel imports to the United States",
                   [("25 percent", 25, 25, "percent")]) == ["number"]
    assert numbers(steel, [("50 percent", 50, 50, "percent"), ("10 percent", 10, 10, "percent")],
                   "A 25 percent rate applies to Chinese imports", [("25 percent", 25, 25, "percent")]) == []
    # distances on two bearings from one landmark are two fixes, not one distance misreported
    assert numbers("The quake was centered about 3 miles southwest of Cobb", [("about 3 miles", 3, 3, "miles")],
                   "The quake began four miles west of Cobb", [("four miles", 4, 4, "miles")]) == []
    assert numbers("The quake was centered 3 miles north - northeast of Cobb", [("3 miles", 3, 3, "miles")],
                   "The quake began four miles northeast of Cobb", [("four miles", 4, 4, "miles")]) == ["number"]
    assert numbers("The quake was centered 3 miles west of Cobb", [("3 miles", 3, 3, "miles")],
                   "The quake began four miles west of Cobb", [("four miles", 4, 4, "miles")]) == ["number"]


def test_a_count_that_agrees_leaves_the_others_uncompared():
    assert numbers("The 13-inch MacBook Pro costs less, while the 15-inch MacBook Pro sells for more",
                   [("13-inch", 13, 13, "inch"), ("15-inch", 15, 15, "inch")],
                   "The 15-inch MacBook Pro starts at a higher price", [("15-inch", 15, 15, "inch")]) == []


def test_counts_an_order_of_magnitude_apart_measure_two_things():
    assert numbers("Three people were killed at the school", [("Three people", 3, 3, "people")],
                   "Forty people were killed at the school", [("Forty people", 40, 40, "people")]) == []
    assert numbers("Three people were killed at the school", [("Three people", 3, 3, "people")],
                   "Five people were killed at the school", [("Five people", 5, 5, "people")]) == ["number"]
    # Crowd sizes by the police and by the organisers: several times apart, one figure disputed.
    assert numbers("5,000 people marched through the capital", [("5,000 people", 5000, 5000, "people")],
                   "40,000 people marched through the capital", [("40,000 people", 40000, 40000, "people")]) == ["number"]


def test_a_number_word_split_by_tokenisation_is_not_read():
    assert numbers("The quake was centered about 3 miles from Cobb", [("about 3 miles", 2, 4, "miles")],
                   "The quake was centered seventy - five miles from Cobb", [("five miles", 5, 5, "miles")]) == []


def test_a_running_length_is_not_a_disputed_count_but_a_duration_is():
    assert numbers("600 were killed in the 12 days of the offensive", [("12 days", 12, 12, "days")],
                   "After 13 days of bombardment, 660 were dead", [("13 days", 13, 13, "days")]) == []
    assert numbers("the deal reopens the government for three weeks", [("three weeks", 3, 3, "weeks")],
                   "the deal reopens the government for six weeks", [("six weeks", 6, 6, "weeks")]) == ["number"]


# --- places -------------------------------------------------------------------------------------

def city(name, text, lat, lon):
    at = text.index(name)
    return ClaimPlace(name, lat, lon, name, at, at + len(name))


def place_pair(ta, pa, tb, pb, ca=None, cb=None):
    a = claim(ta, predicate="hit", places=[city(*pa)])
    b = claim(tb, article="b", predicate="hit", places=[city(*pb)])
    key_a = place_key({"kind": "city", "country": ca})
    key_b = place_key({"kind": "city", "country": cb})
    return kinds(a, b, Context({"a": ta, "b": tb}, {("a", a.places[0].start): key_a, ("b", b.places[0].start): key_b}))


def test_neighbouring_places_are_one_area_at_two_scales():
    ta, tb = "Israeli bombs hit a school in Jabaliya", "Israeli bombs hit a school in Gaza City"
    assert place_pair(ta, ("Jabaliya", ta, 31.53, 34.48), tb, ("Gaza City", tb, 31.50, 34.47)) == []
    tc = "Israeli bombs hit a school in Khan Younis"
    assert place_pair(tc, ("Khan Younis", tc, 31.34, 34.31), tb, ("Gaza City", tb, 31.50, 34.47)) == ["place"]


def test_cities_of_two_countries_are_two_events_unless_a_name_fits_both():
    ta, tb = "an Israeli bombing hit the village of Qana", "an Israeli bombing hit a school in Gaza"
    assert place_pair(ta, ("Qana", ta, 33.21, 35.30), tb, ("Gaza", tb, 31.50, 34.47), "LB", "PS") == []
    # "Geneva" read as Geneva, New York by an article that names the U.S.: still a Swiss city too
    tc, td = "the leaders will meet in Geneva in June", "the leaders will meet in Winterthur in June"
    assert place_pair(tc, ("Geneva", tc, 42.87, -76.98), td, ("Winterthur", td, 47.50, 8.72), "US", "CH") == ["place"]



def test_a_city_the_other_claim_names_is_no_dispute_unless_inside_a_title():
    ta = "Blackmore, the Bishop of Bountiful, runs a sect in the town of Omaha"
    tb = "Winston Blackmore runs a sect of about 400 in Bountiful"
    assert place_pair(ta, ("Omaha", ta, 41.26, -95.94), tb, ("Bountiful", tb, 40.89, -111.88)) == ["place"]
    tc = "Blackmore, who left Bountiful, runs a sect in the town of Omaha"
    assert place_pair(tc, ("Omaha", tc, 41.26, -95.94), tb, ("Bountiful", tb, 40.89, -111.88)) == []


def test_place_key_and_context_read_kind_and_country():
    assert place_key({"kind": "city", "country": "SY"}) == "city:SY"
    assert place_key({"kind": "country", "country": None}) == "country"
    ctx = Context({}, {("a", 0): "city:SY", ("a", 9): "region"})
    assert (ctx.place_kind("a", 0), ctx.place_country("a", 0)) == ("city", "SY")
    assert (ctx.place_kind("a", 9), ctx.place_country("a", 9)) == ("region", None)


# --- negation -----------------------------------------------------------------------------------

def actor(name, role, text, article="a"):
    at = text.index(name)
    return ClaimActor(f"{article}1", name, role, name, at, at + len(name), "ORG")


def test_descriptions_that_wordnet_makes_one_kind_are_one_party_but_two_kinds_are_not():
    # a tremor is an earthquake; "the pack" is a group; a report and a story are one sense
    a = claim("One 7.3-magnitude tremor did not send small tsunamis into Japan's coast", predicate="send",
              negated=True, subject="One 7.3-magnitude tremor", obj="small tsunamis")
    b = claim("the quakes also sent small tsunamis into Japan's coast", article="b", predicate="send",
              subject="the quakes", obj="small tsunamis")
    assert kinds(a, b) == ["negation"]
    c = claim("Romney does not lead the pack at 21 percent", predicate="lead", negated=True, subject="Romney",
              obj="the pack")
    d = claim("Romney leads the would-be group of contenders with 21 percent", article="b", predicate="lead",
              subject="Romney", obj="the would-be group of contenders")
    assert kinds(c, d) == ["negation"]
    e = claim("The AARP did not push back on a report", predicate="push", negated=True, subject="The AARP",
              obj="on a report")
    f = claim("AARP pushed back against the newspaper's story", article="b", predicate="push", subject="AARP",
              obj="against the newspaper's story")
    assert kinds(e, f) == ["negation"]
    # two kinds of one class stay apart: police and army are both forces, a bomb is no rocket
    g = claim("the police did not send troops into the town", predicate="send", negated=True,
              subject="the police", obj="troops")
    h = claim("the army sent troops into the town", article="b", predicate="send", subject="the army", obj="troops")
    assert kinds(g, h) == []
    i = claim("Romney does not lead the rockets", predicate="lead", negated=True, subject="Romney", obj="the rockets")
    j = claim("Romney leads the bombs", article="b", predicate="lead", subject="Romney", obj="the bombs")
    assert kinds(i, j) == []


def test_an_object_opened_by_a_rough_count_is_what_was_acted_on_not_a_circumstance():
    a = claim("at least 12 people had not been killed", predicate="kill", negated=True, obj="at least 12 people")
    b = claim("12 people were killed", article="b", predicate="kill", obj="12 people")
    assert kinds(a, b) == ["negation"]
    c = claim("several dozen people were not wounded", predicate="wound", negated=True, obj="several dozen people")
    d = claim("which also wounded around 100 people", article="b", predicate="wound", obj="around 100 people")
    assert kinds(c, d) == ["negation"]
    # a real circumstance still says nothing about what was acted on
    e = claim("they were not wounded at the school", predicate="wound", negated=True, obj="at the school")
    f = claim("they were wounded at the market", article="b", predicate="wound", obj="at the market")
    assert kinds(e, f) == []


def test_a_name_the_reader_missed_is_still_a_name_not_a_description():
    # "Obama" (no actor found) and "The president": a name and a description may be one actor
    a = claim("Obama is not nominating Todd Jones to lead the agency", predicate="nominate", negated=True,
              subject="Obama", obj="Todd Jones")
    b = claim("The president on Wednesday will nominate Todd Jones", article="b", predicate="nominate",
              subject="The president on Wednesday", obj="Todd Jones")
    assert kinds(a, b) == ["negation"]
    # two descriptions with no word in common are two subjects
    c = claim("The army is not nominating Todd Jones", predicate="nominate", negated=True, subject="The army",
              obj="Todd Jones")
    assert kinds(c, b) == []
    # a common noun capitalised as the first word is a description, which a name may be
    d = claim("Hackers demanded $70 million", article="b", predicate="demand", subject="Hackers", obj="$70 million")
    e = claim("The ransomware group REvil has not demanded $70 million", predicate="demand", negated=True,
              subject="The ransomware group REvil", obj="$70 million",
              actors=[actor("REvil", "subject", "The ransomware group REvil has not demanded $70 million")])
    assert kinds(e, d) == ["negation"]


def test_a_light_verb_and_objects_that_name_one_kind_of_event_state_one_act():
    a = claim("Pompeo did not make the trip for high-level talks", predicate="make", negated=True,
              subject="Pompeo", obj="the trip for high-level talks")
    b = claim("CIA director Mike Pompeo made a top-secret visit to North Korea", article="b", predicate="make",
              subject="CIA director Mike Pompeo", obj="a top-secret visit to North Korea")
    assert kinds(a, b) == ["negation"]
    # a trip is no attack; and another subject is another act
    c = claim("Pompeo did not make an attack on the plan", predicate="make", negated=True, subject="Pompeo",
              obj="an attack on the plan")
    assert kinds(c, b) == []
    d = claim("Kim did not make the trip", predicate="make", negated=True, subject="Kim", obj="the trip")
    assert kinds(d, b) == []


def test_a_short_name_is_one_party():
    ta, tb = "UN staff vetted those Palestinians", "UN staff did not vet Palestinians"
    a = claim(ta, predicate="vet", subject="UN staff", obj="those Palestinians", actors=[actor("UN", "subject", ta)])
    b = claim(tb, article="b", predicate="vet", negated=True, subject="UN staff", obj="Palestinians",
              actors=[actor("UN", "subject", tb, "b")])
    assert kinds(a, b) == ["negation"]


def test_plural_and_singular_objects_are_one_object():
    a = claim("Hamas fighters had fired mortar shells from the school", predicate="fire", subject="Hamas fighters",
              obj="mortar shells")
    b = claim("Hamas militants did not fire mortars from the school", article="b", predicate="fire", negated=True,
              subject="Hamas militants", obj="mortars")
    assert kinds(a, b) == ["negation"]


def test_a_complement_of_circumstance_is_no_object_but_a_prepositional_object_is():
    a = claim("Trump and Macron met in a more casual setting", predicate="meet", subject="Trump and Macron",
              obj="in a more casual setting")
    b = claim("Trump and Macron did not meet amid the pomp of a state visit", article="b", predicate="meet",
              negated=True, subject="Trump and Macron", obj="amid the pomp of a state visit")
    assert kinds(a, b) == ["negation"]
    c = claim("the spokesman did not respond to an email seeking comment", predicate="respond", negated=True,
              subject="the spokesman", obj="to an email")
    d = claim("the spokesman responded to the controversy on Wednesday", article="b", predicate="respond",
              subject="the spokesman", obj="to the controversy")
    assert kinds(c, d) == []


def test_a_name_and_a_description_may_be_one_subject():
    ta, tb = "Obama is nominating Todd Jones to lead the agency", "The president will not nominate Todd Jones"
    a = claim(ta, predicate="nominate", subject="Obama", obj="Todd Jones",
              actors=[ClaimActor("a1", "Barack Obama", "subject", "Obama", 0, 5, "PERSON")])
    b = claim(tb, article="b", predicate="nominate", negated=True, subject="The president", obj="Todd Jones")
    assert kinds(a, b) == ["negation"]
    # two descriptions that share no word stay two subjects
    c = claim("the army did not nominate Todd Jones", article="b", predicate="nominate", negated=True,
              subject="the army", obj="Todd Jones")
    d = claim("the police nominated Todd Jones", predicate="nominate", subject="the police", obj="Todd Jones")
    assert kinds(d, c) == []


# --- links --------------------------------------------------------------------------------------

class AngleEncoder:
    """Unit vectors at set cosines to the first text: {text: cosine}; other texts orthogonal."""

    def __init__(self, cosines):
        self.cosines = cosines

    def encode(self, texts, batch_size=32):
        out = []
        for i, text in enumerate(texts):
            c = self.cosines.get(text)
            v = np.zeros(8, dtype=np.float32)
            if c is None:
                v[2 + (hash(text) % 6)] = 1.0
            else:
                v[0], v[1] = c, math.sqrt(max(0.0, 1 - c * c))
            out.append(v)
        return np.stack(out)


def test_each_others_best_match_of_one_event_is_compared_below_the_usual_threshold():
    ta = "Rebels captured the town of Kafr Halab on Monday"
    tb = "The town fell to the rebels who seized it on Friday"
    a = claim(ta, predicate="capture", obj="the town")
    b = claim(tb, article="b", predicate="seize", obj="it")
    # cosine .52 + .08 for one event: .60, under compare_threshold (.62), above mutual_threshold (.57)
    enc = AngleEncoder({ta: 1.0, tb: 0.52})
    _, links = align_and_link([a, b], enc, AlignParams())
    assert [(k.a.id, k.b.id) for k in links] == [(a.id, b.id)]
    # b's article has a closer claim to a: a and b are no longer each the other's best match
    tc = "Rebels captured a second town near the highway"
    c = claim(tc, article="b", predicate="capture", obj="a second town", start=200)
    enc = AngleEncoder({ta: 1.0, tb: 0.52, tc: 0.60})
    _, links = align_and_link([a, b, c], enc, AlignParams())
    assert (a.id, b.id) not in {(k.a.id, k.b.id) for k in links}


def test_a_denial_is_aligned_by_what_it_denies():
    ta = "Police have not arrested a suspect in connection with the packages"
    tb = "A male suspect was arrested on Friday in connection with the packages"
    affirmed = "Police have arrested a suspect in connection with the packages"
    a = claim(ta, predicate="arrest", negated=True, subject="Police", obj="a suspect")
    b = claim(tb, article="b", predicate="arrest", obj="A male suspect")
    assert affirmed_text(a) == affirmed and affirmed_text(b) == tb
    # the denial as written embeds far (.45 + .08 for one event: under every link threshold);
    # the words it denies embed close
    _, links = align_and_link([a, b], AngleEncoder({tb: 1.0, ta: 0.45, affirmed: 0.60}), AlignParams())
    assert [(k.a.id, k.b.id) for k in links] == [(a.id, b.id)]
    assert kinds(a, b) == ["negation"]
    ways = [claim(t, negated=True) for t in ("It won't rain", "You cannot end it", "They can't stop it",
                                             "It hasn't rained", "He never said so", "She is no longer there")]
    assert [affirmed_text(c) for c in ways] == ["It will rain", "You can end it", "They can stop it",
                                                "It has rained", "He said so", "She is there"]


def test_each_others_best_match_naming_the_same_actors_is_compared_at_the_grouping_score():
    ta = "Peter Capaldi was in Prague shooting a BBC remake of The Three Musketeers"
    tb = "Peter Capaldi was filming the BBC adaptation of The Three Musketeers in Teplice"
    acts_a = [ClaimActor("a1", "Peter Capaldi", "subject", "Peter Capaldi", 0, 13, "PERSON"),
              ClaimActor("a2", "BBC", "other", "BBC", ta.index("BBC"), ta.index("BBC") + 3, "ORG")]
    acts_b = [ClaimActor("b1", "Peter Capaldi", "subject", "Peter Capaldi", 0, 13, "PERSON"),
              ClaimActor("b2", "BBC", "other", "BBC", tb.index("BBC"), tb.index("BBC") + 3, "ORG")]
    a = claim(ta, predicate="be", actors=acts_a)
    b = claim(tb, article="b", predicate="film", actors=acts_b)
    # cosine .64 (< actor_cosine .72) + two shared actors (.12): .76, at the grouping threshold
    _, links = align_and_link([a, b], AngleEncoder({ta: 1.0, tb: 0.64}), AlignParams())
    assert len(links) == 1
    _, links = align_and_link([a, b], AngleEncoder({ta: 1.0, tb: 0.55}), AlignParams())
    assert links == []


def test_a_denial_needs_something_shown_to_be_the_same():
    a = claim("a bomb exploded on the outskirts, near the airfield", predicate="explode", subject="a bomb")
    b = claim("it did not explode", article="b", predicate="explode", negated=True, subject="it")
    assert kinds(a, b) == []
    c = claim("the second bomb did not explode", article="b", predicate="explode", negated=True,
              subject="the second bomb")
    assert kinds(a, c) == ["negation"]


def test_a_verb_that_takes_an_infinitive_is_one_fact_only_with_the_same_infinitive():
    a = claim("AMD is not allowed to use that front side bus", predicate="allow", negated=True, obj="AMD")
    b = claim("the deal will allow AMD to better address the laptop market", article="b", predicate="allow",
              obj="AMD")
    assert kinds(a, b) == []
    c = claim("Intel allows AMD to use that front side bus", article="b", predicate="allow", obj="AMD")
    assert kinds(a, c) == ["negation"]


def test_an_attribute_and_a_plain_count_of_one_unit_are_one_measure_but_not_for_time():
    assert numbers("One 14.6-magnitude tremor was felt in Australia", [("14.6-magnitude", 14.6, 14.6, "magnitude")],
                   "One of the tremors with a 7.3 magnitude was felt in Australia",
                   [("7.3 magnitude", 7.3, 7.3, "magnitude")]) == ["number"]
    assert numbers("a 30-year-old man was convicted", [("30-year", 30, 30, "year")],
                   "the man was convicted after 15 years", [("15 years", 15, 15, "years")]) == []


def test_a_component_of_a_sum_is_not_the_sum():
    assert numbers("AMD is paying $281 million in cash for SeaMicro", [("$281 million", 281e6, 281e6, "dollars")],
                   "AMD is paying $334 million for SeaMicro", [("$334 million", 334e6, 334e6, "dollars")]) == []
    assert numbers("AMD is paying $281 million in cash for SeaMicro", [("$281 million", 281e6, 281e6, "dollars")],
                   "AMD is paying $200 million in cash for SeaMicro",
                   [("$200 million", 200e6, 200e6, "dollars")]) == ["number"]
    assert numbers("AMD will pay $334 million in cash and stock for SeaMicro", [("$334 million", 334e6, 334e6, "dollars")],
                   "AMD is paying $668 million for SeaMicro", [("$668 million", 668e6, 668e6, "dollars")]) == ["number"]
    assert numbers("AMD is paying $281m in cash and $53m in stock", [("$281m", 281e6, 281e6, "dollars")],
                   "AMD is paying $334 million for SeaMicro", [("$334 million", 334e6, 334e6, "dollars")]) == []


def test_a_family_name_in_the_plural_is_one_party():
    a = claim("the Clintons have paid $43 million in federal taxes", predicate="pay", subject="the Clintons",
              obj="$43 million in federal taxes",
              actors=[ClaimActor("a1", "Clintons", "subject", "Clintons", 4, 12, "PERSON")])
    b = claim("Hillary and Bill Clinton did not pay $43 million in federal taxes", article="b", predicate="pay",
              negated=True, subject="Hillary and Bill Clinton", obj="$43 million in federal taxes",
              actors=[ClaimActor("b1", "Bill Clinton", "subject", "Bill Clinton", 12, 24, "PERSON")])
    assert kinds(a, b) == ["negation"]



# --- round 2: several cities, a capital named by its title, light verbs without an object -------

def cities(text, article, *named):
    """A claim whose places are ``named`` (name, lat, lon), with its context kinds."""
    places = [city(n, text, la, lo) for n, la, lo in named]
    c = claim(text, article=article, predicate="run", places=places)
    return c, {(article, p.start): "city:ID" for p in places}


def test_a_claim_naming_several_cities_is_placed_in_the_first():
    ta = "People ran outside in panic in Padang as the quake shook houses, and in Medan to the north"
    tb = "People ran out of buildings in panic in the provincial capital Banda Aceh as the quake shook houses"
    a, ka = cities(ta, "a", ("Padang", -0.95, 100.35), ("Medan", 3.58, 98.67))
    b, kb = cities(tb, "b", ("Banda Aceh", 5.55, 95.32))
    assert kinds(a, b, Context({"a": ta, "b": tb}, {**ka, **kb})) == ["place"]
    # the same fact told in the same first city agrees, whatever else the claim lists
    tc = "People ran outside in panic in Banda Aceh as the quake shook houses, and in Medan to the south"
    c, kc = cities(tc, "a", ("Banda Aceh", 5.55, 95.32), ("Medan", 3.58, 98.67))
    assert kinds(c, b, Context({"a": tc, "b": tb}, {**kc, **kb})) == []
    # a city the other claim names too is no dispute, even when it is not the first
    td = "People ran out of buildings in panic in Medan as the quake shook houses"
    d, kd = cities(td, "b", ("Medan", 3.58, 98.67))
    assert kinds(a, d, Context({"a": ta, "b": td}, {**ka, **kd})) == []


def test_one_city_named_twice_is_one_place():
    ta = "the Bishop of Bountiful runs a sect of about 400 in Bountiful"
    tb = "the Bishop of Bountiful runs a sect of about 400 members in Creston"
    a = claim(ta, predicate="run", places=[city("Bountiful", ta, 49.08, -116.51)])
    a.places.append(ClaimPlace("Bountiful", 49.08, -116.51, "Bountiful", ta.rindex("Bountiful"), len(ta)))
    b = claim(tb, article="b", predicate="run", places=[city("Bountiful", tb, 49.08, -116.51),
                                                         city("Creston", tb, 49.10, -116.51)])
    ctx = Context({"a": ta, "b": tb}, {("a", p.start): "city:CA" for p in a.places}
                  | {("b", p.start): "city:CA" for p in b.places})
    # Bountiful is read once for a; b names Bountiful too, so no place is in dispute
    assert kinds(a, b, ctx) == []


def test_a_light_verb_without_objects_is_compared_on_the_rest_of_the_claim():
    a = claim("thousands of our supporters will very definitely be making our voices heard", predicate="make",
              subject="thousands of our supporters", obj=None)
    b = claim("we and thousands of our supporters will not be making our voices heard", article="b",
              predicate="make", negated=True, subject="we and thousands of our supporters", obj=None)
    assert kinds(a, b) == ["negation"]
    c = claim("thousands of our supporters will not be making the trip to the coast", article="b",
              predicate="make", negated=True, subject="thousands of our supporters", obj=None)
    assert kinds(a, c) == []


def test_a_name_with_a_generation_is_another_person():
    # "named as defendants were Donald Trump Jr., ..." against "it does not name Trump": the son, not the father
    ta = "named as defendants were Donald Trump Jr. and Roger Stone"
    a = claim(ta, predicate="name", subject=None, obj="Donald Trump Jr.",
              actors=[ClaimActor("a1", "Donald Trump Jr.", "object", "Donald Trump Jr.", 25, 41, "PERSON")])
    tb = "it does not name Trump as a defendant"
    b = claim(tb, article="b", predicate="name", negated=True, subject="it", obj="Trump",
              actors=[ClaimActor("b1", "Donald Trump", "object", "Trump", 16, 21, "PERSON")])
    assert kinds(a, b) == []
    tc = "it does not name Trump Jr. as a defendant"
    c = claim(tc, article="b", predicate="name", negated=True, subject="it", obj="Trump Jr.",
              actors=[ClaimActor("b1", "Donald Trump Jr.", "object", "Trump Jr.", 16, 25, "PERSON")])
    assert kinds(a, c) == ["negation"]


def test_a_resolved_name_carries_its_generation_and_a_habit_is_not_denied_by_one_occasion():
    # the article's "Mr. Trump" was resolved to Donald Trump Jr.; "Trump Jr." ends its phrase with a dot
    ta, tb = "Mr. Trump did not share the link", "Trump Jr. did share the links"
    a = claim(ta, predicate="share", negated=True, subject="Mr. Trump", obj="the link",
              actors=[ClaimActor("a1", "Donald Trump Jr.", "subject", "Trump", 4, 9, "PERSON")])
    b = claim(tb, article="b", predicate="share", subject="Trump Jr.", obj="the links",
              actors=[ClaimActor("b1", "Donald Trump Jr.", "subject", "Trump Jr.", 0, 9, "PERSON")])
    assert kinds(a, b) == ["negation"]
    # "occasionally": a habit, which one link not shared does not deny; "never" does
    tc = "Trump Jr. did occasionally share the links"
    c = claim(tc, article="b", predicate="share", subject="Trump Jr.", obj="the links",
              actors=[ClaimActor("b1", "Donald Trump Jr.", "subject", "Trump Jr.", 0, 9, "PERSON")])
    assert kinds(a, c) == []
    tn = "Mr. Trump never shared the links"
    n = claim(tn, predicate="share", negated=True, subject="Mr. Trump", obj="the links",
              actors=[ClaimActor("a1", "Donald Trump Jr.", "subject", "Trump", 4, 9, "PERSON")])
    assert kinds(n, c) == ["negation"]
    # a generation only one article's resolved name carries does not part "Mr. Mueller" from Robert Mueller
    tm, tr = "Mr. Mueller did not plan the interview", "Special counsel Robert Mueller planned the interview"
    m = claim(tm, predicate="plan", negated=True, subject="Mr. Mueller", obj="the interview",
              actors=[ClaimActor("a2", "Robert S. Mueller III", "subject", "Mueller", 4, 11, "PERSON")])
    r = claim(tr, article="b", predicate="plan", subject="Special counsel Robert Mueller", obj="the interview",
              actors=[ClaimActor("b2", "Robert Mueller", "subject", "Robert Mueller", 16, 30, "PERSON")])
    assert kinds(m, r) == ["negation"]


def test_an_object_is_its_head_not_its_owner_or_complement():
    ta = "The lawsuit also names Trump's son as a defendant"
    a = claim(ta, predicate="name", subject="The lawsuit", obj="Trump's son",
              actors=[ClaimActor("a1", "Donald Trump", "object", "Trump", ta.index("Trump"), ta.index("Trump") + 5,
                                 "PERSON")])
    tb = "it does not name Trump as a defendant"
    b = claim(tb, article="b", predicate="name", negated=True, subject="it", obj="Trump",
              actors=[ClaimActor("b1", "Donald Trump", "object", "Trump", 16, 21, "PERSON")])
    assert kinds(a, b) == []
    c = claim("it does not name his son as a defendant", article="b", predicate="name", negated=True, subject="it",
              obj="his son")
    assert kinds(a, c) == ["negation"]
    d = claim("Obama has cut $716 billion from Medicare", predicate="cut", subject="Obama",
              obj="$716 billion from Medicare")
    e = claim("The savings do not cut a single guaranteed Medicare benefit", article="b", predicate="cut", negated=True,
              subject="The savings", obj="a single guaranteed Medicare benefit")
    assert kinds(d, e) == []
    # "to" and "in" belong to the object as often as not ("up to 16GB")
    f = claim("the phone supports up to 16GB cards", predicate="support", subject="the phone", obj="up to 16GB cards")
    g = claim("the phone does not support microSD cards up to 16GB", article="b", predicate="support", negated=True,
              subject="the phone", obj="microSD cards up to 16GB")
    assert kinds(f, g) == ["negation"]


def test_a_possibility_is_not_contradicted_by_a_denial():
    a = claim("the committee could issue additional subpoenas", predicate="issue", subject="the committee",
              obj="additional subpoenas")
    b = claim("the committee did not issue additional subpoenas", article="b", predicate="issue", negated=True,
              subject="the committee", obj="additional subpoenas")
    assert kinds(a, b) == []
    c = claim("the committee issued additional subpoenas in May", predicate="issue", subject="the committee",
              obj="additional subpoenas")
    assert kinds(c, b) == ["negation"]
    # a modal over another verb of the claim leaves its own verb asserted
    d = claim("the committee issued subpoenas that may reach the White House", predicate="issue",
              subject="the committee", obj="additional subpoenas")
    assert kinds(d, b) == ["negation"]


def test_a_possibility_is_contradicted_by_its_denial_unless_conditions_differ():
    a = claim("the ruling might affect future elections", predicate="affect", subject="the ruling",
              obj="future elections")
    b = claim("the ruling might not affect future elections", article="b", predicate="affect", negated=True,
              subject="the ruling", obj="future elections")
    assert kinds(a, b) == ["negation"]
    c = claim("the committee could issue additional subpoenas if witnesses fail to cooperate", predicate="issue",
              subject="the committee", obj="additional subpoenas")
    d = claim("the committee could not issue additional subpoenas without Republican votes", article="b",
              predicate="issue", negated=True, subject="the committee", obj="additional subpoenas")
    assert kinds(c, d) == []


def test_one_verb_placed_by_the_same_words_is_compared_however_far_the_wordings():
    ta = "the party filed the civil suit in federal district court in Boston on Friday"
    tb = "filed in federal district court in Denver"
    a = claim(ta, predicate="file", places=[city("Boston", ta, 42.36, -71.06)])
    b = claim(tb, article="b", predicate="file", places=[city("Denver", tb, 39.74, -104.99)])
    enc = AngleEncoder({ta: 1.0, tb: 0.30})         # far below any threshold
    _, links = align_and_link([a, b], enc, AlignParams())
    assert [(k.a.id, k.b.id) for k in links] == [(a.id, b.id)]
    ctx = Context({"a": ta, "b": tb}, {("a", a.places[0].start): "city:US", ("b", b.places[0].start): "city:US"})
    assert kinds(a, b, ctx) == ["place"]
    # a second claim of b's article framed the same way: which one answers a is unknown
    tc = "filed a second suit in federal district court in Austin"
    at = 300 + tc.index("Austin")
    c = claim(tc, article="b", predicate="file", places=[ClaimPlace("Austin", 30.27, -97.74, "Austin", at, at + 6)],
              start=300)
    _, links = align_and_link([a, b, c], AngleEncoder({ta: 1.0, tb: 0.30, tc: 0.30}), AlignParams())
    assert links == []
    # the same place words under another verb, or with too few content words, frame nothing
    td = "denied the claims in federal district court in Denver"
    d = claim(td, article="b", predicate="deny", places=[city("Denver", td, 39.74, -104.99)])
    assert align_and_link([a, d], AngleEncoder({ta: 1.0, td: 0.30}), AlignParams())[1] == []
    te, tf = "the party filed in Boston", "the suit was filed in Denver"
    e = claim(te, predicate="file", places=[city("Boston", te, 42.36, -71.06)])
    f = claim(tf, article="b", predicate="file", places=[city("Denver", tf, 39.74, -104.99)])
    assert align_and_link([e, f], AngleEncoder({te: 1.0, tf: 0.30}), AlignParams())[1] == []


def test_a_compound_and_its_head_are_one_subject():
    a = claim("The lawsuit names the campaign chairman as a defendant", predicate="name", subject="The lawsuit",
              obj="the campaign chairman")
    b = claim("The suit does not name the campaign chairman", article="b", predicate="name", negated=True,
              subject="The suit", obj="the campaign chairman")
    assert kinds(a, b) == ["negation"]
    c = claim("The judge does not name the campaign chairman", article="b", predicate="name", negated=True,
              subject="The judge", obj="the campaign chairman")
    assert kinds(a, c) == []


def test_an_object_written_out_in_the_others_list_is_one_object():
    a = claim("the phone does not feature a 3.2 megapixel camera", predicate="feature", negated=True,
              subject="the phone", obj="a 3.2 megapixel camera")
    b = claim("the phone will feature built-in GPS, WiFi and a 3.2 megapixel camera", article="b",
              predicate="feature", subject="the phone", obj="built-in GPS")
    assert kinds(a, b) == ["negation"]
    # one content word is too little: "the hospital" in "the school near the hospital"
    c = claim("the army did not attack the hospital", predicate="attack", negated=True, subject="the army",
              obj="the hospital")
    d = claim("the army attacked the school near the hospital", article="b", predicate="attack", subject="the army",
              obj="the school")
    assert kinds(c, d) == []
    # the same words outside the list of what the verb acts on are another matter
    e = claim("Kim promised to never use nuclear weapons", predicate="use", negated=True, subject="Kim",
              obj="nuclear weapons")
    f = claim("Kim wanted to use negotiations to buy time, never intending to abandon his nuclear weapons",
              article="b", predicate="use", subject="Kim", obj="negotiations")
    assert kinds(e, f) == []


# --- what a value belongs to (issue 5) -----------------------------------------------------------

def dated(text, value, head, of_predicate, precision="day"):
    return ClaimTime(value, precision, "resolved", text, 0, len(text), head, of_predicate)


def test_a_date_of_another_event_in_the_clause_is_not_the_claims_date():
    # "urged Trump to cancel Monday's summit" dates the summit; "after indictments were announced
    # Friday" dates the indictments: neither dates the urging
    a = claim("Senators urged Trump to cancel Monday's summit", predicate="urge",
              time=[dated("Monday", "2018-07-16", "summit", False)])
    b = claim("Lawmakers urged Trump to cancel the summit after indictments were announced Friday", article="b",
              predicate="urge", time=[dated("Friday", "2018-07-13", "announce", False)])
    assert kinds(a, b) == []
    # the urging's own dates still disagree, and so do two dates of the one summit
    c = claim("Senators on Monday urged Trump to cancel the summit", predicate="urge",
              time=[dated("on Monday", "2018-07-16", "urge", True)])
    d = claim("Lawmakers on Friday urged Trump to cancel the summit", article="b", predicate="urge",
              time=[dated("on Friday", "2018-07-13", "urge", True)])
    assert kinds(c, d) == ["date"]
    e = claim("Lawmakers urged Trump to cancel Friday's summit", article="b", predicate="urge",
              time=[dated("Friday", "2018-07-13", "summit", False)])
    assert kinds(a, e) == ["date"]


def test_a_dated_noun_naming_the_others_act_is_that_act():
    a = claim("The attack on Monday killed four", predicate="kill",
              time=[dated("Monday", "2024-11-25", "attack", False)])
    b = claim("Rebels attacked the base on Tuesday", article="b", predicate="attack",
              time=[dated("on Tuesday", "2024-11-26", "attack", True)])
    assert kinds(a, b) == ["date"]
    c = claim("Rebels seized the base days after Tuesday's vote", article="b", predicate="seize",
              time=[dated("Tuesday", "2024-11-26", "vote", False)])
    assert kinds(a, c) == []


def counted(whole, text, low, noun, head, of_predicate, role, cumulative=False):
    at = whole.index(text)
    return ClaimQuantity(low, low, noun, text, False, at, at + len(text), head, of_predicate, role, cumulative)


def pair(ta, qa, tb, qb, pa="lose", pb="lose"):
    a = claim(ta, predicate=pa, quantities=[counted(ta, *qa)])
    b = claim(tb, article="b", predicate=pb, quantities=[counted(tb, *qb)])
    return kinds(a, b, Context({"a": ta, "b": tb}, {}))


def test_a_running_total_is_not_one_incidents_count():
    one = "Five soldiers were lost on Wednesday"
    total = "The army has so far lost seven soldiers in the conflict"
    assert pair(one, ("Five soldiers", 5, "soldiers", "lose", True, "object"),
                total, ("seven soldiers", 7, "soldiers", "lose", True, "object", True)) == []
    # two incident counts of one role still disagree
    assert pair(one, ("Five soldiers", 5, "soldiers", "lose", True, "object"),
                "The army lost seven soldiers on Wednesday", ("seven soldiers", 7, "soldiers", "lose", True,
                                                              "object")) == ["number"]


def test_a_count_in_another_role_of_the_same_verb_counts_another_group():
    # who lost and what was lost: five soldiers lost their lives; the army lost seven soldiers
    assert pair("Five soldiers lost their lives", ("Five soldiers", 5, "soldiers", "lose", True, "subject"),
                "The army lost seven soldiers", ("seven soldiers", 7, "soldiers", "lose", True, "object")) == []
    # across two verbs, subject and object alike ("died", "were killed") stay comparable
    assert pair("Five soldiers died in the raid", ("Five soldiers", 5, "soldiers", "die", True, "subject"),
                "Seven soldiers were killed in the raid", ("Seven soldiers", 7, "soldiers", "kill", True, "object"),
                pa="die", pb="kill") == ["number"]

    # a length is one role written with or without "for"; another preposition is another role
    assert pair("The jury deliberated for seven hours", ("seven hours", 7, "hours", "deliberate", True, "prep:for"),
                "The jury deliberated 14 hours", ("14 hours", 14, "hours", "deliberate", True, "object"),
                pa="deliberate", pb="deliberate") == ["number"]
    assert pair("The jury sat after seven hours", ("seven hours", 7, "hours", "sit", True, "prep:after"),
                "The jury sat 14 hours", ("14 hours", 14, "hours", "sit", True, "object"),
                pa="sit", pb="sit") == []


def test_the_sum_a_thing_is_bought_for_is_the_sum_paid_for_it():
    bought = "AMD will acquire SeaMicro for $668 million"
    assert pair(bought, ("$668 million", 668e6, "dollars", "acquire", True, "prep:for"),
                "AMD will pay $334 million for SeaMicro", ("$334 million", 334e6, "dollars", "pay", True, "object"),
                pa="acquire", pb="pay") == ["number"]
    # "for" after a verb that sells nothing is another role ("sued for $5 million" is not a price)
    assert pair("The firm sued the city for $5 million", ("$5 million", 5e6, "dollars", "sue", True, "prep:for"),
                "The firm paid $9 million", ("$9 million", 9e6, "dollars", "pay", True, "object"),
                pa="sue", pb="pay") == []


def test_a_whole_against_a_whole_and_the_part_of_it_paid_in_cash_one_verb_deep():
    ta = ("it signed an agreement to acquire SeaMicro for approximately $668 million, of which approximately "
          "$281 million will be paid in cash")
    tb = "AMD to acquire SeaMicro for $334 million"
    a = claim(ta, predicate="sign", quantities=[
        counted(ta, "approximately $668 million", 668e6, "dollars", "acquire", False, "prep:for"),
        counted(ta, "approximately $281 million", 281e6, "dollars", "pay", False, "object")])
    b = claim(tb, article="b", predicate="acquire",
              quantities=[counted(tb, "$334 million", 334e6, "dollars", "acquire", True, "prep:for")])
    assert kinds(a, b, Context({"a": ta, "b": tb}, {})) == ["number"]


def test_a_count_after_a_comparison_is_the_rivals():
    tb = "Romney leads the group with 21 percent of voters, followed by Trump and Huckabee at 17 percent each"
    b = claim(tb, article="b", predicate="lead", quantities=[
        counted(tb, "21 percent", 21, "percent", "lead", True, "prep:with"),
        counted(tb, "17 percent", 17, "percent", "lead", True, "prep:at")])
    ta = "Mitt Romney leads the pack at 42 percent"
    a = claim(ta, predicate="lead", quantities=[counted(ta, "42 percent", 42, "percent", "lead", True, "prep:at")])
    ctx = Context({"a": ta, "b": tb}, {})
    assert kinds(a, b, ctx) == ["number"]          # 42 answers Romney's 21, not Trump's 17
    same = "Mitt Romney leads the pack at 21 percent"
    a2 = claim(same, predicate="lead", quantities=[counted(same, "21 percent", 21, "percent", "lead", True, "prep:at")])
    assert kinds(a2, b, Context({"a": same, "b": tb}, {})) == []
    # without the comparison, which of two counts answers is unknown
    tc = "Romney has 21 percent of voters and 17 percent of donors"
    c = claim(tc, article="b", predicate="have", quantities=[
        counted(tc, "21 percent", 21, "percent", "have", True, "object"),
        counted(tc, "17 percent", 17, "percent", "have", True, "object")])
    assert kinds(a, c, Context({"a": ta, "b": tc}, {})) == []


def test_a_bare_number_after_for_has_no_measure_role_to_borrow():
    # "sold it for 5": no noun, so neither a length nor a price; its role stays as parsed
    from rashomon.alignment.compare import _measure_role
    assert _measure_role(ClaimQuantity(5, 5, None, "5", False, 0, 1, "sell", True, "prep:for")) == "prep:for"


def test_a_core_count_and_a_complement_of_two_verbs_measure_two_things():
    assert pair("HP values the deal at $13.9 billion", ("$13.9 billion", 13.9e9, "dollars", "value", True, "prep:at"),
                "HP had $39 billion in revenue", ("$39 billion", 39e9, "dollars", "have", True, "object"),
                pa="value", pb="have") == []
    assert pair("HP values the deal at $13.9 billion", ("$13.9 billion", 13.9e9, "dollars", "value", True, "prep:at"),
                "Analysts value the deal at $39 billion", ("$39 billion", 39e9, "dollars", "value", True, "prep:at"),
                pa="value", pb="value") == ["number"]


def test_a_part_named_with_including_is_not_the_whole():
    assert pair("Nine people, including three civilians, were killed",
                ("three civilians", 3, "civilians", "people", False, "part"),
                "Eight civilians were killed in the strike",
                ("Eight civilians", 8, "civilians", "kill", True, "object"), pa="kill", pb="kill") == []
    assert pair("Nine people, including three civilians, were killed",
                ("three civilians", 3, "civilians", "people", False, "part"),
                "Ten people, including eight civilians, were killed",
                ("eight civilians", 8, "civilians", "people", False, "part"), pa="kill", pb="kill") == ["number"]


def test_another_before_a_count_marks_a_remainder():
    assert numbers("Another four people died in hospital", [("four people", 4, 4, "people")],
                   "At least 24 people died in the quake", [("24 people", 24, 24, "people")]) == []
    assert numbers("Four people died in hospital", [("Four people", 4, 4, "people")],
                   "At least 24 people died in the quake", [("24 people", 24, 24, "people")]) == ["number"]


def test_one_of_an_enumeration_is_not_a_count_of_one():
    told = "One bomb hit a schoolhouse but did not explode, another bomb hit the marketplace"
    assert numbers(told, [("One bomb", 1, 1, "bomb")],
                   "Two bombs fell on the airstrip", [("Two bombs", 2, 2, "bombs")]) == []
    alone = "One bomb hit a schoolhouse but did not explode"
    assert numbers(alone, [("One bomb", 1, 1, "bomb")],
                   "Two bombs fell on the airstrip", [("Two bombs", 2, 2, "bombs")]) == ["number"]


def test_a_count_named_as_the_whole_a_part_is_taken_of_is_not_the_claims_count():
    assert numbers("The bill included none of the $5.7 billion", [("$5.7 billion", 5.7e9, 5.7e9, "dollar")],
                   "The bill includes just $1.4 billion", [("$1.4 billion", 1.4e9, 1.4e9, "dollar")]) == []
    assert numbers("The bill included all of the $5.7 billion", [("$5.7 billion", 5.7e9, 5.7e9, "dollar")],
                   "The bill includes just $1.4 billion", [("$1.4 billion", 1.4e9, 1.4e9, "dollar")]) == ["number"]


def test_extraction_records_what_each_date_and_count_hangs_from():
    from rashomon.claims import extract_claims
    from rashomon.nlp import ReadItem, read_articles

    text = ("Senators urged the president to cancel Monday's summit after charges were announced on Friday. "
            "The army has so far lost seven soldiers in the war. "
            "Officials announced the deal during a Tuesday press conference.")
    reading = read_articles([ReadItem("x", text, "en", "2024-11-28", "day")])["x"]
    claims = extract_claims("x", text, reading.to_json(), "2024-11-28")
    times = {t.text: t for c in claims for t in c.time}
    assert (times["Monday"].head, times["Monday"].of_predicate) == ("summit", False)
    assert (times["Friday"].head, times["Friday"].of_predicate) == ("announce", False)
    # the dated occasion is the setting of the verb: the date is the verb's
    assert (times["Tuesday"].head, times["Tuesday"].of_predicate) == ("announce", True)
    # "after charges were announced": a clause with a subject of its own
    assert times["Friday"].own_subject and not times["Tuesday"].own_subject
    seven = next(q for c in claims for q in c.quantities if q.text.startswith("seven"))
    assert (seven.head, seven.of_predicate, seven.role, seven.cumulative) == ("lose", True, "object", True)


def test_a_year_on_a_nested_verb_still_dates_the_claim_but_a_day_does_not():
    def year(text, value, head, of_predicate, kind):
        return ClaimTime(value, "year", "resolved", text, 0, len(text), head, of_predicate, kind)

    # "accused of hacking emails during the 2016 election": the parser hangs the year on either verb
    a = claim("Officers are accused of hacking emails during the 2016 election", predicate="accuse",
              time=[year("2016", "2016", "accuse", True, "verb")])
    b = claim("Officers are accused of hacking emails during the 2017 race", article="b", predicate="accuse",
              time=[year("2017", "2017", "hack", False, "verb")])
    assert kinds(a, b) == ["date"]
    # a year of a dated thing is that thing's ("the 2011 war"), and a day of a nested verb is its own
    c = claim("Rebels marked the 2011 war", article="b", predicate="mark",
              time=[year("2011", "2011", "war", False, "noun")])
    assert kinds(a, c) == []
    # a nested verb with a subject of its own is another clause's act: "Smith has time, as Tennant
    # will not leave until 2009" does not date Smith's debut in 2010
    f = claim("Smith has time to prepare, as Tennant will not leave the show until 2009", predicate="have",
              time=[year("2009", "2009", "leave", False, "verb")])
    g = claim("Smith will make his debut in 2010", article="b", predicate="make",
              time=[year("2010", "2010", "make", True, "verb")])
    assert kinds(f, g) == ["date"]
    f.time[0].own_subject = True
    assert kinds(f, g) == []
    d = claim("Democrats called Friday for the summit to be cancelled", predicate="call",
              time=[ClaimTime("2018-07-13", "day", "resolved", "Friday", 0, 6, "call", True, "verb")])
    e = claim("Democrats called for the summit to be cancelled after officers were indicted Monday", article="b",
              predicate="call", time=[ClaimTime("2018-07-09", "day", "resolved", "Monday", 0, 6, "indict", False,
                                                "verb")])
    assert kinds(d, e) == []


def test_one_dated_thing_named_two_ways_in_the_same_place_of_one_verb():
    def on_noun(text, value, noun, governor):
        return ClaimTime(value, "day", "resolved", text, 0, len(text), noun, False, "noun", governor)

    a = claim("Pelosi will set up a panel to investigate the Jan. 6 attack", predicate="set",
              time=[on_noun("Jan. 6", "2021-01-06", "attack", "investigate:object")])
    b = claim("Pelosi will set up a panel to investigate the Jan. 7 insurrection", article="b", predicate="set",
              time=[on_noun("Jan. 7", "2021-01-07", "insurrection", "investigate:object")])
    assert kinds(a, b) == ["date"]
    c = claim("Pelosi will set up a panel after the Jan. 7 vote", article="b", predicate="set",
              time=[on_noun("Jan. 7", "2021-01-07", "vote", "set:prep:after")])
    assert kinds(a, c) == []
    # years on nouns name what they date ("the 2005 treaty", "the 2005 peace deal") wherever they stand
    d = claim("The rebels broke the 2005 treaty", predicate="break",
              time=[on_noun("2005", "2005", "treaty", "break:object")])
    e = claim("The rebels said the 2006 peace deal was broken", article="b", predicate="say",
              time=[on_noun("2006", "2006", "deal", "break:subject")])
    d.time[0].precision = e.time[0].precision = "year"
    assert kinds(d, e) == ["date"]


def test_dates_that_agree_tie_two_claims_to_one_time_whatever_they_date():
    # "pressured on Friday ... officers indicted for hacking in 2016" against "called Friday": the
    # Fridays agree (though one dates a nested verb), so 2016 against that Friday is no dispute
    a = claim("Democrats on Friday pressed Trump after officers were indicted for hacking in 2016", predicate="indict",
              time=[ClaimTime("2018-07-13", "day", "resolved", "Friday", 0, 6, "press", False, "verb"),
                    ClaimTime("2016", "year", "resolved", "2016", 0, 4, "indict", True, "verb")])
    b = claim("Democrats called Friday for the summit to be cancelled", article="b", predicate="call",
              time=[ClaimTime("2018-07-13", "day", "resolved", "Friday", 0, 6, "call", True, "verb")])
    assert kinds(a, b) == []
    c = claim("Democrats called Thursday for the summit to be cancelled", article="b", predicate="call",
              time=[ClaimTime("2018-07-12", "day", "resolved", "Thursday", 0, 8, "call", True, "verb")])
    assert kinds(a, c) == ["date"]


def test_a_head_spelled_two_ways_is_one_word():
    a = claim("He is charged with practising polygamy on May 1, 2005", predicate="charge",
              time=[ClaimTime("2005-05-01", "day", "resolved", "May 1, 2005", 0, 11, "practise", False, "verb")])
    b = claim("He is charged with practicing polygamy on May 3, 2005", article="b", predicate="charge",
              time=[ClaimTime("2005-05-03", "day", "resolved", "May 3, 2005", 0, 11, "practice", False, "verb")])
    assert kinds(a, b) == ["date"]
    c = claim("He is charged after a hearing on May 3, 2005", article="b", predicate="charge",
              time=[ClaimTime("2005-05-03", "day", "resolved", "May 3, 2005", 0, 11, "hearing", False, "noun")])
    assert kinds(a, c) == []


def test_a_role_the_parse_left_odd_does_not_keep_two_counts_apart():
    assert pair("Buildings were damaged, as well as seven bridges",
                ("seven bridges", 7, "bridges", "damage", True, "ccomp"),
                "The quake damaged 40 houses and 8 bridges", ("8 bridges", 8, "bridges", "damage", True, "prep:in"),
                pa="damage", pb="damage") == ["number"]
    assert pair("The quake damaged seven bridges", ("seven bridges", 7, "bridges", "damage", True, "object"),
                "The quake damaged houses in 8 bridges", ("8 bridges", 8, "bridges", "damage", True, "prep:in"),
                pa="damage", pb="damage") == []


def test_the_date_of_telling_is_not_the_date_of_the_act():
    def on_verb(text, value):
        return ClaimTime(value, "day", "resolved", text, 0, len(text), None, True, "verb", None)

    a = claim("Trump announced the tariffs on March 8", predicate="announce",
              time=[on_verb("March 8", "2018-03-08")])
    b = claim("Trump imposed the tariffs on March 23", article="b", predicate="impose",
              time=[on_verb("March 23", "2018-03-23")])
    assert kinds(a, b) == []
    c = claim("Trump unveiled the tariffs on March 9", article="b", predicate="unveil",
              time=[on_verb("March 9", "2018-03-09")])
    assert kinds(a, c) == ["date"]          # two tellings of one announcement still disagree
    d = claim("Trump imposed the tariffs on March 24", article="c", predicate="impose",
              time=[on_verb("March 24", "2018-03-24")])
    assert kinds(b, d) == ["date"]


def test_a_share_set_off_after_a_count_can_agree_but_not_disagree():
    four = "Four soldiers were killed by friendly fire near the border"
    five = "Five soldiers died near the border on Wednesday, four from friendly fire"
    assert numbers(four, [("Four soldiers", 4, 4, "soldiers")],
                   five, [("Five soldiers", 5, 5, "soldiers"), ("four", 4, 4, None)]) == []
    # without the share, five against four is a dispute
    assert numbers(four, [("Four soldiers", 4, 4, "soldiers")],
                   five, [("Five soldiers", 5, 5, "soldiers")]) == ["number"]
    # a share that disagrees disputes nothing itself, and leaves open which count four answers
    three = "Five soldiers died near the border on Wednesday, three from friendly fire"
    assert numbers(four, [("Four soldiers", 4, 4, "soldiers")],
                   three, [("Five soldiers", 5, 5, "soldiers"), ("three", 3, 3, None)]) == []
    # a relative clause counts what its own verb says
    dropped = "Planes dropped four bombs on the town"
    which = "Five bombs were dropped on the town, of which four exploded"
    assert numbers(dropped, [("four bombs", 4, 4, "bombs")],
                   which, [("Five bombs", 5, 5, "bombs"), ("four", 4, 4, None)]) == ["number"]


# --- who the subject is, parts beside a whole, light verbs, acts of two kinds ---------------------

def test_a_name_modifying_the_subject_is_not_the_subject():
    # "an increase in COVID-19 cases ... requires" against "Los Angeles County will require": the
    # subjects share "county"; COVID-19 only modifies the first, so no two named parties
    covid = ClaimActor("a1", "COVID-19", "subject", "COVID-19", 30, 38, "ORG")
    la = ClaimActor("b1", "Los Angeles County", "subject", "Los Angeles County", 0, 18, "GPE")
    a = claim("A sustained increase in COVID-19 cases in the county requires masks", predicate="require",
              subject="A sustained increase in COVID-19 cases in the county", obj="masks", actors=[covid])
    b = claim("Los Angeles County does not require masks", article="b", predicate="require", negated=True,
              subject="Los Angeles County", obj="masks", actors=[la])
    assert kinds(a, b) == ["negation"]
    # a named subject that is the subject still tells two parties apart
    who = ClaimActor("a1", "World Health Organization", "subject", "World Health Organization", 0, 25, "ORG")
    c = claim("World Health Organization requires masks", predicate="require",
              subject="World Health Organization", obj="masks", actors=[who])
    assert kinds(c, b) == []


def test_a_name_modifying_the_object_is_not_the_object():
    # "cut $716 billion from Medicare" and "do not cut a single Medicare benefit": two objects
    med_a = ClaimActor("a1", "Medicare", "other", "Medicare", 36, 44, "ORG")
    med_b = ClaimActor("b1", "Medicare", "object", "Medicare", 43, 51, "ORG")
    a = claim("Obama has cut $716 billion from Medicare", predicate="cut", subject="Obama", obj="$716 billion",
              actors=[ClaimActor("a0", "Barack Obama", "subject", "Obama", 0, 5, "PERSON"), med_a])
    b = claim("The savings do not cut a single guaranteed Medicare benefit", article="b", predicate="cut",
              negated=True, subject="The savings", obj="a single guaranteed Medicare benefit", actors=[med_b])
    assert kinds(a, b) == []
    # the same name as the object itself still makes one object
    c = claim("The savings do not cut Medicare", article="b", predicate="cut", negated=True,
              subject="The savings", obj="Medicare", actors=[ClaimActor("b1", "Medicare", "object", "Medicare", 24, 32)])
    d = claim("Obama has cut Medicare", predicate="cut", subject="Obama", obj="Medicare",
              actors=[ClaimActor("a0", "Barack Obama", "subject", "Obama", 0, 5, "PERSON"),
                      ClaimActor("a1", "Medicare", "object", "Medicare", 14, 22)])
    assert kinds(d, c) == ["negation"]


def test_a_pronoun_subject_needs_the_same_object():
    abe = ClaimActor("a1", "Shinzo Abe", "other", "Abe", 4, 7, "PERSON")
    trump_a = ClaimActor("a2", "Donald Trump", "other", "Trump", 30, 35, "PERSON")
    a = claim("Mr. Abe praised Mr. Trump, but he did not repeat the words about the war", predicate="repeat",
              negated=True, subject="he", obj="the words about the war", actors=[abe, trump_a])
    trump_b = ClaimActor("b1", "Donald Trump", "subject", "Trump", 15, 20, "PERSON")
    b = claim("With Abe beside, Trump repeated that he plans to meet Kim", article="b", predicate="repeat",
              subject="Trump", obj=None, actors=[ClaimActor("b2", "Shinzo Abe", "other", "Abe", 5, 8), trump_b])
    assert kinds(a, b) == []
    same = claim("Trump repeated the words about the war", article="b", predicate="repeat", subject="Trump",
                 obj="the words about the war", actors=[trump_b])
    assert kinds(a, same) == ["negation"]


def test_a_single_whole_is_paired_with_the_other_whole_not_its_parts():
    ta = "AMD will acquire SeaMicro for $668 million"
    tb = "AMD is acquiring SeaMicro for $334 million, including $281 million in cash"
    a = claim(ta, predicate="acquire", quantities=[counted(ta, "$668 million", 668e6, "dollars", "acquire", True, "prep:for")])
    b = claim(tb, article="b", predicate="acquire",
              quantities=[counted(tb, "$334 million", 334e6, "dollars", "acquire", True, "prep:for"),
                          counted(tb, "$281 million", 281e6, "dollars", "million", False, "part")])
    ctx = Context({"a": ta, "b": tb}, {})
    assert kinds(a, b, ctx) == ["number"]
    # a whole of another role (a revenue, not the price) stays unpaired: which figure answers is unknown
    tc = "SeaMicro's revenue will be around $50 million, and $20 million in cash"
    c = claim(tc, article="b", predicate="acquire",
              quantities=[counted(tc, "$50 million", 50e6, "dollars", "be", False, "object"),
                          counted(tc, "$20 million", 20e6, "dollars", "million", False, "part")])
    assert kinds(a, c, Context({"a": ta, "b": tc}, {})) == []


def test_a_shared_light_verb_links_two_claims_for_negation_only():
    from .test_alignment_calibration import FixedEncoder

    ta = "Thousands of our supporters will be making our voices heard, 300 of them"
    tb = "Thousands of our supporters will not be making our voices heard, 900 of them"
    a = claim(ta, predicate="make", subject="Thousands of our supporters", obj=None,
              quantities=[counted(ta, "300", 300, "supporters", "make", True, "object")])
    b = claim(tb, article="b", predicate="make", negated=True, subject="Thousands of our supporters", obj=None,
              quantities=[counted(tb, "900", 900, "supporters", "make", True, "object")])
    enc = FixedEncoder({ta: 0, tb: 0, affirmed_text(b): 0})   # a denial is aligned by what it denies
    _, links = align_and_link([a, b], enc, AlignParams())
    assert [(k.a.id, k.b.id, k.negation_only) for k in links] == [(a.id, b.id, True)]
    from rashomon.alignment import StoryArticle, judge_story

    arts = [StoryArticle("a", "A", None, None, ta), StoryArticle("b", "B", None, None, tb)]
    out = judge_story(arts, {"a": [a], "b": [b]}, enc, {})
    assert [c["kind"] for c in out["conflicts"]] == ["negation"]   # the counts of a light verb are not compared


def test_two_days_of_two_kinds_of_act_are_two_acts_but_a_year_spans_them():
    def act(text, verb, when_text, value, precision="day", article="a"):
        return claim(text, article=article, predicate=verb, time=[dated(when_text, value, verb, True, precision)])

    dismissed = act("Santorum dismissed the theology on Saturday", "dismiss", "Saturday", "2012-02-18")
    clarified = act("Santorum tried to clarify the theology on Sunday", "clarify", "Sunday", "2012-02-19", article="b")
    assert kinds(dismissed, clarified) == []
    # one kind of act (an event class) on two days is still in dispute
    ousted = act("The board ousted the chief on Sunday", "oust", "Sunday", "2012-02-19", article="b")
    fired = act("The board fired the chief on Saturday", "fire", "Saturday", "2012-02-18")
    assert kinds(fired, ousted) == ["date"]
    # and a year dates both acts of one story
    guilty = act("A Spiro man was found guilty in the 2010 shooting", "find", "2010", "2010", "year")
    convicted = act("A jury convicted a Spiro man in the 2012 shooting", "convict", "2012", "2012", "year", "b")
    assert kinds(guilty, convicted) == ["date"]


def test_two_periods_sums_are_two_facts_however_rough_the_figures():
    from rashomon.alignment import StoryArticle, judge_story
    from .test_alignment_calibration import FixedEncoder

    ta = "she had earned nearly $10 million in speaking fees in 2013"
    tb = "she had earned approximately $30 million from book sales and speeches in 2014"
    a = claim(ta, predicate="earn", subject="she", time=[dated("2013", "2013", "earn", True, "year")],
              quantities=[ClaimQuantity(10e6, 10e6, "dollars", "nearly $10 million", True, 16, 34)])
    b = claim(tb, article="b", predicate="earn", subject="she", time=[dated("2014", "2014", "earn", True, "year")],
              quantities=[ClaimQuantity(30e6, 30e6, "dollars", "approximately $30 million", True, 16, 41)])
    assert kinds(a, b) == ["date"]     # the pair alone: the rough sums may be one, the years differ
    enc = FixedEncoder({ta: 0, tb: 0})
    arts = [StoryArticle("a", "A", None, None, ta), StoryArticle("b", "B", None, None, tb)]
    assert judge_story(arts, {"a": [a], "b": [b]}, enc, {})["conflicts"] == []
    from rashomon.alignment.compare import counts_apart

    def sums(text, *figures):
        return claim(text, quantities=[count(text, f, v, v, "dollars") for f, v in figures])
    # the rounding of the digits is one sum; and one count in common is enough to tie the claims
    assert not counts_apart(sums("paid $43 million", ("$43 million", 43e6)),
                            sums("paid $43,885,310", ("$43,885,310", 43885310)))
    assert not counts_apart(sums("$10 million and $30 million", ("$10 million", 10e6), ("$30 million", 30e6)),
                            sums("$30 million", ("$30 million", 30e6)))
    # ages say who, not how much: "the 32-year-old Peterson" and "his 23-year-old wife"
    ta, tb = "the jury convicted the 32-year-old Peterson", "Peterson killed his 23-year-old wife"
    assert not counts_apart(claim(ta, quantities=[count(ta, "32-year", 32, 32, "year")]),
                            claim(tb, quantities=[count(tb, "23-year", 23, 23, "year")]))


# --- counts scoped to different sets ------------------------------------------------------------

def _counted(text, figure, low, noun, article="a", **slots):
    return claim(text, article=article, quantities=[count(text, figure, low, low, noun)], **slots)


def test_market_figures_of_two_sessions_are_not_one_figure_disputed():
    ta, tb = "HP shares dropped $2.49 to close at $46.64", "HP shares sagged $2.56 Tuesday to finish at $44.27"
    a = _counted(ta, "$2.49", 2.49, "dollar", subject="HP shares", predicate="drop")
    b = _counted(tb, "$2.56", 2.56, "dollar", article="b", subject="HP shares", predicate="sag",
                 time=[when("Tuesday")])
    ctx = Context({"a": ta, "b": tb}, {})
    assert kinds(a, b, ctx) == []
    a.time = [when("Tuesday")]          # the same session named on both sides
    assert kinds(a, b, ctx) == ["number"]
    # not a traded measure: two figures of one event
    c = _counted(ta, "$2.49", 2.49, "dollar", subject="The fee", predicate="drop")
    d = _counted(tb, "$2.56", 2.56, "dollar", article="b", subject="The fee", predicate="sag", time=[when("Tuesday")])
    assert kinds(c, d, ctx) == ["number"]


def test_a_count_over_a_subset_named_before_is_not_the_whole_toll():
    assert numbers("seven people were killed in those bombings", [("seven people", 7, 7, "people")],
                   "12 people had been killed", [("12 people", 12, 12, "people")]) == []
    assert numbers("seven people were killed in the bombings", [("seven people", 7, 7, "people")],
                   "12 people had been killed", [("12 people", 12, 12, "people")]) == ["number"]
    # a set its own relative clause defines is no subset named before
    assert numbers("nearly 8 percent of those who got a first shot missed the second",
                   [("nearly 8 percent", 8, 8, "percent")],
                   "over 16% of people are not returning for the second dose",
                   [("over 16%", 16, None, "percent")]) == ["number"]


def test_a_town_count_is_not_its_district_count():
    ta, tb = "10 houses were damaged in Takengon, the capital", "at least 22 houses were damaged in the district"
    a = _counted(ta, "10 houses", 10, "house")
    b = claim(tb, article="b", quantities=[ClaimQuantity(22, None, "house", "at least 22 houses", False, 0, 18)])
    assert kinds(a, b, Context({"a": ta, "b": tb}, {})) == []
    # a city named and "the city": one place named two ways
    tc, td = "10 houses were damaged in Aleppo", "22 houses were damaged in the city"
    c, d = _counted(tc, "10 houses", 10, "house"), _counted(td, "22 houses", 22, "house", article="b")
    assert kinds(c, d, Context({"a": tc, "b": td}, {("a", tc.index("Aleppo")): "city:SY"})) == ["number"]
    # two names: the place may hang on another word ("leaders in Bountiful", "arrested in Canada")
    te, tf = "Two leaders of groups in Bountiful were arrested", "Four leaders were arrested in Canada"
    e, f = _counted(te, "Two leaders", 2, "leader"), _counted(tf, "Four leaders", 4, "leader", article="b")
    assert kinds(e, f, Context({"a": te, "b": tf}, {("a", te.index("Bountiful")): "city:CA",
                                                    ("b", tf.index("Canada")): "country"})) == ["number"]


def test_counts_of_two_periods_are_two_figures():
    year = lambda y: ClaimTime(y, "year", "resolved", y, 0, 4)   # noqa: E731
    ta, tb = "Clinton earned nearly $20 million between 2011 and 2014", \
        "Clinton earned $30 million in 2014 and the first months of 2015"
    a = _counted(ta, "$20 million", 20e6, "dollar", time=[year("2011"), year("2014")])
    b = _counted(tb, "$30 million", 30e6, "dollar", article="b", time=[year("2014"), year("2015")])
    ctx = Context({"a": ta, "b": tb}, {})
    assert kinds(a, b, ctx) == []
    # one period told two ways ("from 2007 to 2014", "since 2007") still compares
    tc, td = "they paid $44 million in taxes from 2007 to 2014", "they have paid $23 million in taxes since 2007"
    c = _counted(tc, "$44 million", 44e6, "dollar", time=[year("2007"), year("2014")])
    d = _counted(td, "$23 million", 23e6, "dollar", article="b", time=[year("2007")])
    assert kinds(c, d, Context({"a": tc, "b": td}, {})) == ["number"]
    # a named span against dates
    te = "the Clintons earned $40 million over the eight year span"
    e = _counted(te, "$40 million", 40e6, "dollar", article="b")
    assert kinds(a, e, Context({"a": ta, "b": te}, {})) == []


def test_a_request_for_comment_unanswered_is_not_a_denial():
    a = claim("A spokeswoman for the F.B.I. did not respond to a message seeking comment", predicate="respond",
              negated=True, subject="A spokeswoman for the F.B.I.", obj=None)
    b = claim("The FBI responded that the process was followed", article="b", predicate="respond",
              subject="The FBI", obj=None)
    assert kinds(a, b) == []
    c = claim("The FBI did not respond to the subpoena", predicate="respond", negated=True, subject="The FBI",
              obj=None)
    assert kinds(c, b) == ["negation"]


def test_dates_of_one_verb_on_two_named_objects_date_two_acts():
    ta, tb = "Arpaio endorsed Mitt Romney in 2008", "Arpaio endorsed Rick Perry on Tuesday"
    a = claim(ta, predicate="endorse", subject="Arpaio", obj="Mitt Romney",
              time=[ClaimTime("2008", "year", "resolved", "2008", 0, 4)],
              actors=[ClaimActor("a1", "Mitt Romney", "object", "Mitt Romney", 16, 27, "PERSON")])
    b = claim(tb, article="b", predicate="endorse", subject="Arpaio", obj="Rick Perry",
              time=[ClaimTime("2011-09-13", "day", "resolved", "Tuesday", 0, 7)],
              actors=[ClaimActor("b1", "Rick Perry", "object", "Rick Perry", 16, 26, "PERSON")])
    assert kinds(a, b) == []
    b.actors = [ClaimActor("b1", "Mitt Romney", "object", "Romney", 16, 22, "PERSON")]
    b.object = "Romney"
    assert kinds(a, b) == ["date"]
    # descriptions that share no word may still name one thing ("the first new medication",
    # "Biogen's Alzheimer's drug"): they do not part two dates
    c = claim("The FDA on Monday approved the first new medication", predicate="approve", subject="The FDA",
              obj="the first new medication", time=[ClaimTime("2021-06-07", "day", "resolved", "Monday", 0, 6)])
    d = claim("The FDA on Wednesday approved Biogen's Alzheimer's drug", article="b", predicate="approve",
              subject="The FDA", obj="Biogen's Alzheimer's drug",
              time=[ClaimTime("2021-06-09", "day", "resolved", "Wednesday", 0, 9)])
    assert kinds(c, d) == ["date"]
    # a name in a complement of the object is not what the object is
    te = "Biden on Sunday fired the commissioner of Social Security"
    tf = "Biden fired Commissioner Andrew Saul on Friday"
    e = claim(te, predicate="fire", subject="Biden", obj="the commissioner of Social Security",
              time=[ClaimTime("2021-07-04", "day", "resolved", "Sunday", 0, 6)],
              actors=[ClaimActor("a1", "Social Security", "object", "Social Security", te.index("Social"), len(te),
                                 "ORG")])
    f = claim(tf, article="b", predicate="fire", subject="Biden", obj="Commissioner Andrew Saul",
              time=[ClaimTime("2021-07-09", "day", "resolved", "Friday", 0, 6)],
              actors=[ClaimActor("b1", "Andrew Saul", "object", "Andrew Saul", tf.index("Andrew"),
                                 tf.index("Andrew") + 11, "PERSON")])
    assert kinds(e, f) == ["date"]


def test_a_proposed_figure_a_part_is_taken_of_is_not_the_claims_count():
    assert numbers("the deal provides a fraction of Trump's originally proposed figure of $5.7 billion",
                   [("$5.7 billion", 5.7e9, 5.7e9, "dollar")],
                   "it provided $1.375 billion for fencing", [("$1.375 billion", 1.375e9, 1.375e9, "dollar")]) == []
    assert numbers("the deal provides Trump's originally proposed figure of $5.7 billion",
                   [("$5.7 billion", 5.7e9, 5.7e9, "dollar")],
                   "it provided $1.375 billion for fencing", [("$1.375 billion", 1.375e9, 1.375e9, "dollar")]) == [
        "number"]


def test_acts_of_a_series_are_dated_apart():
    day = lambda text, value: ClaimTime(value, "day", "resolved", text, 0, len(text))   # noqa: E731
    a = claim("Obama and Boehner met at the White House on Sunday", predicate="meet", subject="Obama and Boehner",
              obj=None, time=[day("Sunday", "2012-12-09")])
    b = claim("Obama and Boehner met on Thursday evening in their latest attempt to break the impasse", article="b",
              predicate="meet", subject="Obama and Boehner", obj=None, time=[day("Thursday", "2012-12-13")])
    assert kinds(a, b) == []
    b.text = "Obama and Boehner met on Thursday evening in an attempt to break the impasse"
    assert kinds(a, b) == ["date"]
    # "last week" is a date, not the last of a series
    b.text = "Obama and Boehner met on Thursday evening, the last week before the deadline"
    assert kinds(a, b) == ["date"]


def test_a_denied_ability_is_not_a_denied_fact():
    a = claim("Birthright citizenship will be ended one way or the other", predicate="end", subject=None,
              obj="Birthright citizenship")
    b = claim("You cannot end birthright citizenship with an executive order", article="b", predicate="end",
              negated=True, subject="You", obj="birthright citizenship")
    assert kinds(a, b) == []
    c = claim("You can end birthright citizenship with an executive order", predicate="end", subject="You",
              obj="birthright citizenship")
    assert kinds(c, b) == ["negation"]
