"""Gazetteer lookups, entity mentions with gazetteer corrections, and actor resolution."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from rashomon.nlp.aliases import alias_tokens, article_actors, is_metonymic, resolve_actors
from rashomon.nlp.gazetteer import get_gazetteer, loose_key, normalize, translit_key
from rashomon.nlp.types import Mention

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "aleppo-2024"


@pytest.fixture(scope="module")
def gaz():
    return get_gazetteer()


@pytest.fixture(scope="module")
def nlp():
    from rashomon.nlp.model import load_pipeline
    return load_pipeline()


def _mentions(nlp, text):
    from rashomon.nlp.entities import extract_mentions
    from rashomon.nlp.sentences import SentenceIndex
    doc = nlp(text)
    return extract_mentions(doc, SentenceIndex(doc))


# -- gazetteer -----------------------------------------------------------------------------------

def test_normalisation_keys():
    assert normalize("U.S.") == "us"
    assert normalize("the United States") == "united states"
    assert normalize("Türkiye") == "turkiye"
    assert loose_key("Abu al-Duhur") == "abu duhur"
    assert translit_key("Saraqeb") == translit_key("Saraqib")
    assert translit_key("Hay’et") != translit_key("Hamas")


def test_exact_and_alternate_names(gaz):
    aleppo = gaz.lookup("Aleppo")
    assert (aleppo.name, aleppo.country, aleppo.kind) == ("Aleppo", "SY", "city")
    assert abs(aleppo.lat - 36.2) < 0.1 and abs(aleppo.lon - 37.16) < 0.1
    saraqeb = gaz.lookup("Saraqeb")                       # a GeoNames alternate name
    assert (saraqeb.name, saraqeb.country, saraqeb.score) == ("Saraqib", "SY", 1.0)
    assert gaz.lookup("Idleb").name == "Idlib"
    assert gaz.lookup("Kiev").name == "Kyiv"
    assert gaz.lookup("Ar-Raqqa").geonames_id == gaz.lookup("Raqqa").geonames_id
    assert gaz.lookup("Jisr al-Shughur").country == "SY"  # "al-" vs GeoNames' "ash"


def test_spelling_variants_are_fuzzy_matched(gaz):
    m = gaz.match("Sarakeeb", context={"SY"})             # in no GeoNames list
    assert m.place.name == "Saraqib" and m.tier in ("translit", "fuzzy") and m.place.score < 1.0
    assert gaz.lookup("Damascos").name == "Damascus"
    assert gaz.lookup("damascos") is None                 # fuzzy only for capitalised names
    assert gaz.lookup("Sarakeeb") is None                 # a small town needs its country in context


@pytest.mark.parametrize("word", ["Minister", "Government", "Defence", "Islamic", "Crisis", "Civil",
                                  "Persia", "Khalifa", "Reports", "Security", "Observatory",
                                  "Opposition", "Insurgents", "Hezbollah", "Congress", "Parliament"])
def test_no_false_fuzzy_match_on_common_words(gaz, word):
    assert gaz.lookup(word) is None


@pytest.mark.parametrize("names,iso", [
    (("Turkey", "Türkiye", "Turkiye"), "TR"),
    (("Burma", "Myanmar"), "MM"),
    (("US", "U.S.", "United States", "the United States", "America", "USA"), "US"),
    (("UK", "U.K.", "Britain", "Great Britain", "United Kingdom"), "GB"),
    (("Russia", "Russian Federation"), "RU"),
])
def test_country_variants(gaz, names, iso):
    for name in names:
        place = gaz.lookup(name)
        assert place is not None and place.kind == "country" and place.country == iso, name


def test_demonyms(gaz):
    expect = {"Syrian": "SY", "Syrians": "SY", "Turkish": "TR", "Turks": "TR", "Russian": "RU",
              "Iranians": "IR", "pro-Iranian": "IR", "Lebanese": "LB", "Israeli": "IL", "Ukrainian": "UA",
              "American": "US", "British": "GB", "Nigerian": "NG", "Nigerien": "NE",
              "Dominican": "DO", "Filipino": "PH", "Iraqi": "IQ", "Saudi": "SA"}
    for word, iso in expect.items():
        place = gaz.demonym(word)
        assert place is not None and place.country == iso, word
    for word in ("Islamist", "Democrat", "Jihadist", "Sunni", "Aleppo"):
        assert gaz.demonym(word) is None, word


def test_capitals_and_landmarks_stand_for_countries(gaz):
    expect = {"Ankara": "TR", "Moscow": "RU", "Tehran": "IR", "Damascus": "SY", "Washington": "US",
              "Kyiv": "UA", "the Kremlin": "RU", "White House": "US", "Downing Street": "GB",
              "the Pentagon": "US", "Élysée": "FR"}
    for word, iso in expect.items():
        place = gaz.metonym(word)
        assert place is not None and place.country == iso and place.kind == "country", word
    assert gaz.metonym("Aleppo") is None
    assert gaz.metonym("Istanbul") is None


def test_gazetteer_is_fast_after_loading(gaz):
    t = time.perf_counter()
    for _ in range(200):
        gaz.lookup("Aleppo"), gaz.lookup("Türkiye"), gaz.demonym("Syrian")
    assert (time.perf_counter() - t) / 600 < 0.001
    assert get_gazetteer() is gaz


# -- entity mentions -----------------------------------------------------------------------------

def test_gazetteer_corrects_and_geocodes_places(nlp):
    text = ("Insurgents have also captured Saraqeb, a strategic town south of Aleppo connecting "
            "highways to Damascus and the coast. Syria’s army withdrew from Idlib.")
    ms = {m.text: m for m in _mentions(nlp, text)}
    assert ms["Saraqeb"].label == "GPE" and ms["Saraqeb"].place.name == "Saraqib"
    for name in ("Aleppo", "Damascus", "Idlib"):
        assert ms[name].label == "GPE" and ms[name].place.country == "SY", name
    assert "Syria" in ms and ms["Syria"].place.kind == "country"        # possessive trimmed
    assert all(m.sentence in (0, 1) for m in ms.values())
    assert ms["Idlib"].sentence == 1


def test_acronym_definitions_and_bare_uses(nlp):
    text = ("Jihadist rebels, led by Hayat Tahrir al-Sham (HTS), have taken over most of Aleppo. "
            "HTS and associated groups captured a highway.")
    ms = _mentions(nlp, text)
    hts = [m for m in ms if m.text == "HTS"]
    assert len(hts) == 2 and all(m.label == "ORG" for m in hts)
    long_form = [m for m in ms if m.text == "Hayat Tahrir al-Sham"]
    assert long_form and long_form[0].label == "ORG"


def test_backed_compounds_yield_mentions(nlp):
    text = ("Tehran-backed militias and Turkish-backed forces fought U.S.-backed fighters, "
            "while radical Al-Qaeda linked insurgents advanced.")
    ms = {m.text: m for m in _mentions(nlp, text)}
    assert ms["Tehran"].place.name == "Tehran"
    assert ms["Turkish"].label == "NORP"
    assert ms["U.S."].place.country == "US"
    assert "Al-Qaeda" in ms


def test_surname_and_common_words_are_not_places(nlp):
    text = ("Dareen Khalifa of the International Crisis Group said the rebels had prepared for months. "
            "Khalifa added that the summit would wait. The Justice Department declined to comment on justice.")
    ms = _mentions(nlp, text)
    assert all(m.place is None for m in ms if m.text in ("Khalifa", "Justice"))
    assert all(m.label == "PERSON" for m in ms if m.text == "Khalifa")



def test_a_large_city_where_something_happens_is_found_though_ner_missed_it(nlp):
    # Brno (380,000 people, no Czech context): found after "in"; a town of 20,000 would not be
    ms = {m.text: m for m in _mentions(nlp, "He learned of the role while filming in Brno for the BBC.")}
    assert ms["Brno"].label == "GPE" and ms["Brno"].place.country == "CZ"


# -- actors --------------------------------------------------------------------------------------

def _build(gaz, text, spec):
    """Mentions for (surface, label, nth occurrence) triples; places from the gazetteer."""
    out = []
    for surface, label, nth in spec:
        found = [m.start() for m in re.finditer(re.escape(surface), text)]
        start = found[nth]
        place = gaz.lookup(surface, fuzzy=False) if label in ("GPE", "LOC") else None
        out.append(Mention(start, start + len(surface), surface, label, 0, place=place))
    out.sort(key=lambda m: m.start)
    return out


STORY = ("Hayat Tahrir al-Sham (HTS) attacked. Hay'et Tahrir al-Sham and HTS fighters, and later "
         "Hayat Tahrir al-Sham, advanced on Bashar al-Assad's forces; Assad and President al-Assad fled. "
         "Ankara said it was not involved, but Turkey and Türkiye backed the rebels; a meeting in Ankara "
         "followed. The Kremlin condemned it and Russia and Russian jets struck. Syrian forces left "
         "Syria's north and regrouped in Damascus. Donald Trump and Donald Tusk spoke; Trump and Tusk "
         "agreed. Islamic State and Islamic Jihad were absent. Kim Jong Un met Kim Jong Il. The Syrian "
         "Observatory for Human Rights (SOHR) said SOHR counted 300 dead, the Observatory added. "
         "Donald Trump Jr. was there.")
SPEC = [("Hayat Tahrir al-Sham", "PERSON", 0), ("HTS", "ORG", 0), ("Hay'et Tahrir al-Sham", "ORG", 0),
        ("HTS", "PERSON", 1), ("Hayat Tahrir al-Sham", "ORG", 1), ("Bashar al-Assad", "PERSON", 0),
        ("Assad", "PERSON", 1), ("al-Assad", "PERSON", 1), ("Ankara", "GPE", 0), ("Turkey", "GPE", 0),
        ("Türkiye", "GPE", 0), ("Ankara", "GPE", 1), ("Kremlin", "ORG", 0), ("Russia", "GPE", 0),
        ("Russian", "NORP", 0), ("Syrian", "NORP", 0), ("Syria", "GPE", 1), ("Damascus", "GPE", 0),
        ("Donald Trump", "PERSON", 0), ("Donald Tusk", "PERSON", 0), ("Trump", "PERSON", 1),
        ("Tusk", "PERSON", 1), ("Islamic State", "ORG", 0), ("Islamic Jihad", "ORG", 0),
        ("Kim Jong Un", "PERSON", 0), ("Kim Jong Il", "PERSON", 0),
        ("Syrian Observatory for Human Rights", "ORG", 0), ("SOHR", "ORG", 0), ("SOHR", "ORG", 1),
        ("Observatory", "ORG", 1), ("Donald Trump Jr.", "PERSON", 0)]


@pytest.fixture(scope="module")
def story(gaz):
    mentions = _build(gaz, STORY, SPEC)
    actors = resolve_actors([mentions], [STORY])
    by_id = {a.id: a for a in actors}

    def actor(surface, nth=0):
        hits = [m for m in mentions if m.text == surface]
        return by_id[hits[nth].actor]
    return mentions, actors, actor


def test_every_mention_gets_an_actor(story):
    mentions, actors, _ = story
    assert all(m.actor for m in mentions)
    assert [a.id for a in actors] == [f"a{i}" for i in range(1, len(actors) + 1)]
    assert sum(len(a.mentions) for a in actors) == len(mentions)


def test_acronym_and_transliteration_variants(story):
    _, _, actor = story
    hts = actor("HTS")
    assert actor("Hay'et Tahrir al-Sham") is hts and actor("Hayat Tahrir al-Sham", 1) is hts
    assert actor("HTS", 1) is hts
    assert hts.name == "Hayat Tahrir al-Sham" and hts.type == "organisation"
    sohr = actor("SOHR")
    assert actor("Syrian Observatory for Human Rights") is sohr and actor("Observatory") is sohr
    assert sohr.name == "Syrian Observatory for Human Rights"


def test_short_person_names(story):
    _, _, actor = story
    assad = actor("Bashar al-Assad")
    assert actor("Assad") is assad and actor("al-Assad") is assad
    assert assad.name == "Bashar al-Assad" and assad.type == "person"


def test_countries_metonymy_and_nationalities(story):
    _, _, actor = story
    turkey = actor("Turkey")
    assert actor("Türkiye") is turkey and actor("Ankara", 0) is turkey      # "Ankara said"
    assert turkey.type == "country" and turkey.place.country == "TR" and turkey.name == "Turkey"
    assert actor("Ankara", 1) is not turkey                               # "a meeting in Ankara"
    assert actor("Ankara", 1).type == "place"
    russia = actor("Russia")
    assert actor("Kremlin") is russia and actor("Russian") is russia
    syria = actor("Syria")
    assert actor("Syrian") is syria
    assert actor("Damascus") is not syria and actor("Damascus").type == "place"   # "in Damascus"


def test_different_people_and_organisations_stay_apart(story):
    _, _, actor = story
    assert actor("Donald Trump") is not actor("Donald Tusk")
    assert actor("Trump") is actor("Donald Trump") and actor("Tusk") is actor("Donald Tusk")
    assert actor("Donald Trump Jr.") is not actor("Donald Trump")
    assert actor("Islamic State") is not actor("Islamic Jihad")
    assert actor("Kim Jong Un") is not actor("Kim Jong Il")
    assert actor("Syrian Observatory for Human Rights") is not actor("Syrian")


def test_lone_first_name_is_ambiguous(gaz):
    text = "Donald Trump met Donald Tusk. Donald smiled."
    ms = _build(gaz, text, [("Donald Trump", "PERSON", 0), ("Donald Tusk", "PERSON", 0), ("Donald", "PERSON", 2)])
    resolve_actors([ms], [text])
    assert len({m.actor for m in ms}) == 3


def test_metonymy_context():
    text = ("Ankara said no. Talks in Ankara. Tehran-backed militias. The Damascus-Aleppo highway. "
            "Attempts by Moscow to contact Ankara failed. Control of Damascus.")

    def at(word, nth=0):
        start = [m.start() for m in re.finditer(word, text)][nth]
        return start, start + len(word)
    assert is_metonymic(text, *at("Ankara"))
    assert not is_metonymic(text, *at("Ankara", 1))
    assert is_metonymic(text, *at("Tehran"))
    assert not is_metonymic(text, *at("Damascus"))
    assert is_metonymic(text, *at("Moscow")) and is_metonymic(text, *at("Ankara", 2))
    assert not is_metonymic(text, *at("Damascus", 1))


def test_alias_tokens():
    assert alias_tokens("President Bashar al-Assad’s") == ["bashar", "assad"]
    assert alias_tokens("the Syrian Observatory") == ["syrian", "observatory"]
    assert alias_tokens("Hay’et Tahrir al-Sham") == alias_tokens("Hay'et Tahrir al-Sham")


def test_story_over_several_articles(gaz):
    a = "Hayat Tahrir al-Sham (HTS) took Aleppo. Ankara said nothing."
    b = "HTS fighters entered Aleppo; Türkiye denied a role."
    ga = _build(gaz, a, [("Hayat Tahrir al-Sham", "PERSON", 0), ("HTS", "ORG", 0), ("Aleppo", "GPE", 0),
                         ("Ankara", "GPE", 0)])
    gb = _build(gaz, b, [("HTS", "ORG", 0), ("Aleppo", "GPE", 0), ("Türkiye", "GPE", 0)])
    actors = resolve_actors([ga, gb], [a, b])
    assert ga[1].actor == gb[0].actor and ga[2].actor == gb[1].actor and ga[3].actor == gb[2].actor
    assert all(not x.mentions for x in actors)            # offsets are per article
    per_b = article_actors(actors, gb)
    assert {tuple(x.mentions[0]) for x in per_b} == {(m.start, m.end) for m in gb}
    with pytest.raises(ValueError):
        resolve_actors([ga], [a, b])


# -- the seed story end to end -------------------------------------------------------------------

def test_seed_story_actors(nlp):
    from rashomon.nlp.entities import extract_mentions
    from rashomon.nlp.sentences import SentenceIndex
    texts = [p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.txt"))]
    docs = [nlp(t) for t in texts]
    t = time.perf_counter()
    groups = [extract_mentions(d, SentenceIndex(d)) for d in docs]
    actors = resolve_actors(groups, texts)
    per_article = (time.perf_counter() - t) / len(texts)
    names = {a.name: a for a in actors}
    hts = names["Hayat Tahrir al-Sham"]
    assert {"HTS", "Hay’et Tahrir al-Sham", "Hayat Tahrir al-Sham"} <= set(hts.aliases)
    assert {"Türkiye", "Turkey", "Ankara"} <= set(names["Turkey"].aliases)
    assert {"Kremlin", "Moscow", "Russian"} <= set(names["Russia"].aliases)
    assert names["Saraqib"].place.country == "SY" and "Saraqeb" in names["Saraqib"].aliases
    assert names["Bashar al-Assad"].type == "person" and "Assad" in names["Bashar al-Assad"].aliases
    assert "Khalifa" in names["Dareen Khalifa"].aliases
    assert {"Observatory", "Syrian Observatory"} <= set(names["Syrian Observatory for Human Rights"].aliases)
    assert sum(1 for a in actors if "Assad" in a.aliases) == 1
    assert per_article < 0.05
