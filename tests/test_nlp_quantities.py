"""Quantities: numbers, vague amounts, modifiers and counted nouns; dates, ordinals, times,
phone numbers and identifiers are not quantities."""

from __future__ import annotations

import pytest

from rashomon.nlp.model import load_pipeline
from rashomon.nlp.quantities import extract_quantities
from rashomon.nlp.sentences import SentenceIndex

from .conftest import EXAMPLES


def quantities(text):
    doc = load_pipeline()(text)
    return extract_quantities(doc, SentenceIndex(doc))


def one(text, fragment):
    """The quantity whose text starts with ``fragment``."""
    found = [q for q in quantities(text) if q.text.startswith(fragment)]
    assert len(found) == 1, (fragment, [q.text for q in quantities(text)])
    return found[0]


@pytest.mark.parametrize("text,fragment,low,high,noun,approx", [
    ("The escalating conflict has claimed at least 327 lives.", "at least 327", 327, None, "lives", False),
    ("The opposition liberated over 15 villages.", "over 15", 16, None, "villages", False),
    ("Officials said more than 100 people were hurt.", "more than 100", 101, None, "people", False),
    ("Rebels now control some 70 locations.", "some 70", 63, 77, "locations", True),
    ("They have since seized dozens of towns and villages.", "dozens of", 24, 99, "towns", True),
    ("Hundreds of families fled.", "Hundreds", 200, 999, "families", True),
    ("Thousands of fighters advanced.", "Thousands", 2000, 9999, "fighters", True),
    ("Tens of thousands of people marched.", "Tens of thousands", 20000, 99999, "people", True),
    ("Several homes burned.", "Several", 3, 9, "homes", True),
    ("A handful of soldiers stayed.", "A handful", 2, 6, "soldiers", True),
    ("They captured up to 20 kilometers of territory.", "up to 20", None, 20, "kilometers", False),
    ("The advance is between 7 and 10 kilometers deep.", "between 7 and 10", 7, 10, "kilometers", False),
    ("Police detained 10-20 people.", "10-20", 10, 20, "people", False),
    ("Nearly 1,000 people died.", "Nearly 1,000", 900, 999, "people", True),
    ("Almost 50 wounded soldiers were evacuated.", "Almost 50", 45, 49, "soldiers", True),
    ("About 200 Israeli troops crossed.", "About 200", 180, 220, "troops", True),
    ("Fewer than 10 people remained.", "Fewer than 10", None, 9, "people", False),
    ("More than a dozen tanks were hit.", "More than a dozen", 13, None, "tanks", False),
    ("11 people were killed.", "11", 11, 11, "people", False),
    ("The tanker carried 40,000 barrels of oil.", "40,000", 40000, 40000, "barrels", False),
    ("Two soldiers were wounded.", "Two", 2, 2, "soldiers", False),
    ("Seventy-five prisoners were freed.", "Seventy-five", 75, 75, "prisoners", False),
    ("The town had two hundred and fifty residents.", "two hundred and fifty", 250, 250, "residents", False),
    ("It was the bloody 13-year civil war.", "13-year", 13, 13, "year", False),
    ("The war lasted more than 13 months.", "more than 13 months", 13, None, "months", False),
    ("Support fell to 35% in May.", "35%", 35, 35, "percent", False),
    ("Inflation reached 5.5 per cent.", "5.5 per cent", 5.5, 5.5, "percent", False),
    ("Over 50% of voters agreed.", "Over 50%", 50, None, "percent", False),
    ("The fund holds $1.5bn in assets.", "$1.5bn", 1.5e9, 1.5e9, "dollars", False),
    ("Aid worth €3 million arrived.", "€3 million", 3_000_000, 3_000_000, "euros", False),
    ("Some 2.5 million refugees left.", "Some 2.5 million", 2_250_000, 2_750_000, "refugees", True),
    ("At least 100 or more people came.", "At least 100", 100, None, "people", False),
    ("Two or three drones were shot down.", "Two or three", 2, 3, "drones", False),
    ("The strike killed 300 or so people.", "300 or so", 270, 330, "people", True),
    ("Around 2000 troops were deployed.", "Around 2000", 1800, 2200, "troops", True),
])
def test_quantity(text, fragment, low, high, noun, approx):
    q = one(text, fragment)
    assert (q.low, q.high, q.noun, q.approximate) == (low, high, noun, approx)


def test_offsets_are_exact_and_sentences_set():
    text = "Rebels advanced.\nThey seized over 15 villages and some 70 locations."
    qs = quantities(text)
    assert [q.text for q in qs] == ["over 15 villages", "some 70 locations"]
    for q in qs:
        assert text[q.start:q.end] == q.text
        assert q.sentence == 1


def test_counted_noun_skips_adjectives_and_the_span_reaches_it():
    q = one("Rebels seized 15 strategic hilltop villages.", "15")
    assert q.noun == "villages" and q.text == "15 strategic hilltop villages"


@pytest.mark.parametrize("text,expected", [
    ("The government retook the city in 2016.", []),
    ("Rebels attacked on November 25.", []),
    ("Turkish-backed forces launched an offensive on Nov. 27, officials said.", []),
    ("Aleppo fell in 2016 after a siege, as the 2016 elections neared.", []),
    ("This marks the first large-scale escalation and the second attack.", []),
    ("It was one of the most notable shifts; no one expected it.", []),
    ("The meeting starts at 10:30 a.m. and ends at 3 pm.", []),
    ("Call +1 555-123-4567 or 555-1234 for details.", []),
    ("F-16 jets and a Su-24 flew over as COVID-19 spread.", []),
    ("The council passed Resolution 2254 and moved to phase 2.", []),
    ("The war, from 2011–2024, began in the 1990s and ended two years ago.", []),
    ("Rebels broke through, several said.", []),
    ("The House voted 60-48 and about one in five voters agreed.", []),
    ("Read more at www.example.com/2013/07/31/story-3905842 today.", []),
    ("Five people, he said, died on 12 December 2024.", ["Five people"]),
])
def test_not_quantities(text, expected):
    assert [q.text for q in quantities(text)] == expected


def test_years_never_quantities_but_year_like_counts_are():
    assert quantities("In 2016, 2000 troops were deployed.")[0].text == "2000 troops"
    assert quantities("Since 2015, things changed.") == []


def test_seed_article_quantities():
    text = (EXAMPLES / "004_d1dd31becd032df8.txt").read_text()
    got = {(q.text, q.low, q.high, q.noun) for q in quantities(text)}
    assert ("at least 327 lives", 327, None, "lives") in got
    assert ("over 300 casualties", 301, None, "casualties") in got
    assert ("44 civilians", 44, 44, "civilians") in got
    assert ("dozens of towns", 24, 99, "towns") in got
    assert not any(q[0] in ("2011", "2020", "25") for q in got)
