"""Event identity before a slot conflict: two different facts of one kind are not a dispute."""

from rashomon.alignment.align import event_class
from rashomon.alignment.compare import Context, compare_claims
from rashomon.claims import Claim, ClaimActor, ClaimAttribution, ClaimPlace, ClaimQuantity, ClaimTime


def claim(text, article="a", predicate="kill", negated=False, time=(), quantities=(), places=(), actors=(),
          subject=None, obj=None, background=False, cue=None):
    return Claim(id=f"c-{article}-{text[:12]}", article_id=article, sentence=0, start=0, end=len(text), text=text,
                 predicate=predicate, negated=negated, subject=subject, object=obj, actors=list(actors),
                 places=list(places), time=list(time), quantities=list(quantities),
                 attribution=ClaimAttribution(None, "none"), background=background, background_cue=cue)


def day(text, sentence, value):
    start = sentence.index(text)
    return ClaimTime(value, "day", "resolved", text, start, start + len(text))


def count(text, sentence, n, noun):
    start = sentence.index(text)
    return ClaimQuantity(n, n, noun, text, False, start, start + len(text))


def kinds(a, b, ctx=None):
    return [(d.kind, d.evolving) for d in compare_claims(a, b, 0, ctx)]


def test_two_acts_on_two_dates_are_not_a_date_conflict():
    sa, sb = "The minister announced the tariffs on March 8", "The minister imposed the tariffs on March 23"
    announced = claim(sa, predicate="announce", subject="The minister", obj="the tariffs",
                      time=[day("March 8", sa, "2018-03-08")])
    imposed = claim(sb, article="b", predicate="impose", subject="The minister", obj="the tariffs",
                    time=[day("March 23", sb, "2018-03-23")])
    assert kinds(announced, imposed) == []
    # the same act on two dates is the dispute
    imposed_too = claim(sb.replace("imposed", "announced"), article="b", predicate="announce",
                        subject="The minister", obj="the tariffs", time=[day("March 23", sb, "2018-03-23")])
    assert kinds(announced, imposed_too) == [("date", False)]


def test_found_guilty_and_convicted_are_one_event():
    a = claim("A jury found the man guilty on Thursday", predicate="find")
    b = claim("A jury convicted the man on Friday", article="b", predicate="convict")
    assert event_class(a) == event_class(b) == "convict"
    assert event_class(claim("Police found the car on Friday", predicate="find")) == "find"


def test_another_instance_and_a_running_total_are_other_counts():
    sa = "Three people were killed in a separate strike on a school"
    sb = "Forty people were killed in the strike on the school"
    a = claim(sa, quantities=[count("Three people", sa, 3, "people")], obj="Three people")
    b = claim(sb, article="b", quantities=[count("Forty people", sb, 40, "people")], obj="Forty people")
    assert kinds(a, b) == []
    sc = "Three people were killed in the strike on the school"
    c = claim(sc, quantities=[count("Three people", sc, 3, "people")], obj="Three people")
    assert kinds(c, b) == [("number", False)]
    sd = "Six hundred people have been killed so far in the offensive"
    d = claim(sd, article="b", quantities=[count("Six hundred people", sd, 600, "people")], obj="people")
    assert kinds(c, d) == []


def test_a_part_and_distances_from_other_landmarks_are_not_the_count():
    sa, sb = "Nine people, including three civilians, were killed", "Twenty-eight civilians were killed"
    a = claim(sa, quantities=[count("three civilians", sa, 3, "civilians")])
    b = claim(sb, article="b", quantities=[count("Twenty-eight civilians", sb, 28, "civilians")])
    assert kinds(a, b) == []
    sc, sd = "The quake was centred 3 miles southwest of Cobb", "The quake was centred 75 miles north of Napa"
    c = claim(sc, predicate="centre", quantities=[count("3 miles", sc, 3, "miles")])
    d = claim(sd, article="b", predicate="centre", quantities=[count("75 miles", sd, 75, "miles")])
    assert kinds(c, d, Context({"a": sc, "b": sd}, {})) == []
    se = "The quake was centred 9 miles southwest of Cobb"
    e = claim(se, article="b", predicate="centre", quantities=[count("9 miles", se, 9, "miles")])
    assert kinds(c, e, Context({"a": sc, "b": se}, {})) == [("number", False)]


def test_negation_needs_a_participant_and_no_modal():
    bomb = claim("The camp was bombed on Thursday", predicate="bomb", obj="The camp")
    denial = claim("The army did not bomb the camp", article="b", predicate="bomb", negated=True,
                   subject="The army", obj="the camp")
    assert kinds(bomb, denial) == [("negation", False)]
    nothing_shared = claim("It did not explode", article="b", predicate="explode", negated=True, subject="It")
    exploded = claim("A shell exploded near the airfield", predicate="explode", subject="A shell")
    assert kinds(exploded, nothing_shared) == []
    maybe = claim("The army could not bomb the camp without support", article="b", predicate="bomb", negated=True,
                  subject="The army", obj="the camp")
    assert kinds(bomb, maybe) == []


def test_a_place_of_origin_and_cities_without_a_shared_participant_are_no_dispute():
    ta, tb = "Militants fired mortars from Gaza", "Militants fired rockets in Ashdod"
    gaza = ClaimPlace("Gaza", 31.5, 34.46, "Gaza", ta.index("Gaza"), ta.index("Gaza") + 4)
    ashdod = ClaimPlace("Ashdod", 31.8, 34.65, "Ashdod", tb.index("Ashdod"), tb.index("Ashdod") + 6)
    ctx = Context({"a": ta, "b": tb}, {("a", gaza.start): "city", ("b", ashdod.start): "city"})
    a = claim(ta, predicate="fire", subject="Militants", places=[gaza])
    b = claim(tb, article="b", predicate="fire", subject="Militants", places=[ashdod])
    assert kinds(a, b, ctx) == []
    tc = "Militants fired mortars in Gaza"
    at = tc.index("Gaza")
    c = claim(tc, predicate="fire", subject="Militants", places=[ClaimPlace("Gaza", 31.5, 34.46, "Gaza", at, at + 4)])
    ctx_c = Context({"a": tc, "b": tb}, {("a", at): "city", ("b", ashdod.start): "city"})
    assert kinds(c, b, ctx_c) == [("place", False)]
    strangers = claim(tb, article="b", predicate="fire", subject="Soldiers", places=[ashdod],
                      actors=[ClaimActor(None, "Soldiers", "subject", "Soldiers", 0, 8)])
    assert kinds(c, strangers, ctx_c) == []


def test_one_act_done_to_two_named_targets_is_two_events():
    sa, sb = "The sheriff endorsed Romney in 2008", "The sheriff endorsed Perry on Tuesday"
    romney = ClaimActor(None, "Mitt Romney", "object", "Romney", sa.index("Romney"), sa.index("Romney") + 6)
    perry = ClaimActor(None, "Rick Perry", "object", "Perry", sb.index("Perry"), sb.index("Perry") + 5)
    a = claim(sa, predicate="endorse", subject="The sheriff", actors=[romney],
              time=[ClaimTime("2008", "year", "resolved", "2008", sa.index("2008"), sa.index("2008") + 4)])
    b = claim(sb, article="b", predicate="endorse", subject="The sheriff", actors=[perry],
              time=[day("Tuesday", sb, "2011-11-29")])
    assert kinds(a, b) == []
    b_same = claim(sb.replace("Perry", "Romney"), article="b", predicate="endorse", subject="The sheriff",
                   actors=[ClaimActor(None, "Mitt Romney", "object", "Romney", 22, 28)],
                   time=[day("Tuesday", sb, "2011-11-29")])
    assert kinds(a, b_same) == [("date", False)]
