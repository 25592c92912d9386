"""Claim extraction: splits, slots, attribution, hedges, quotes, background, guards, the seed story."""

from __future__ import annotations

import json

import pytest

import rashomon.claims as claims_pkg
from rashomon.claims import Claim, ClaimInput, extract_claims, extract_claims_many
from rashomon.claims.guards import local_boilerplate_spans
from rashomon.errors import ClaimError, RashomonError
from rashomon.nlp import ReadItem, read_articles

from .conftest import EXAMPLES

PUBLISHED = "2024-11-29"   # a Friday: "Wednesday" is 2024-11-27

TEXTS = {
    "coord": "Rebels seized 15 villages on Wednesday and the army lost 3 towns.",
    "shared": "Rebels seized villages and advanced on the city.",
    "reported": "The Syrian Observatory said that rebels captured the airport in Aleppo.",
    "inverted": "\"Rebels have captured the airport,\" the ministry said.",
    "relative": "Regaining control of Aleppo, which the opposition lost in 2016, would weaken the regime.",
    "plain_relative": "The rebels, who were tired, rested near the road.",
    "negation": "The army did not capture the town.",
    "never": "Government troops never entered the village.",
    "hedge": "Rebels reportedly captured the town and the army shelled the highway.",
    "according": "According to military sources, rebels launched an attack on Idlib.",
    "claimed": "Officials claimed that rebels captured the town.",
    "background": "The civil war began in 2011.",
    "news": "Rebels entered Aleppo on Wednesday.",
    "backshift": "Officials said rebels had entered the city.",
    "pluperfect": "The rebels had controlled the town for years.",
    "active": "The Syrian army captured the town of Saraqeb on Wednesday.",
    "passive": "The town of Saraqeb was captured by the Syrian army on Wednesday.",
    "furniture": ("Rebels advance on Aleppo\n"
                  "Image created by AI\n"
                  "Rebels captured the airport on Wednesday.\n"
                  "Will the army return?\n"
                  "[READ MORE: Senator Slams Rival, Says It Is Over]\n"
                  "Cover: AP Photo/Jane Doe\n"),
    "nbsp": "The\u00a0Syrian army\u00a0captured the\u00a0town of Saraqeb on Wednesday.",
    "cut": "Rebels took the airport on Wednesday.\nOfficials confirmed that the new...",
    "close_name": "The ransomware group REvil demanded $70 million on Sunday.",
    "comma_name": "The militants, Hamas, fired rockets at the town on Sunday.",
    "aux_subject": "The traffic lanes were not closed for four days in September, creating gridlock in Fort Lee.",
    "measure": "The jury deliberated almost seven hours before finding Simpson guilty.",
    "unmarked": ("Aubrey is fighting for her life after the shooting where investigators were called in with "
                 "reports the 2-year-old accidentally did not shoot herself in the head."),
    "agreed_not": "President Trump did not agree on Friday to reopen the federal government for three weeks.",
    "purpose": "He went to Paris to meet Macron.",
    "relative_report": ("He talked to five aid workers in the camp, all of whom said that eight bombs were dropped "
                        "but that they caused no casualties."),
}


@pytest.fixture(scope="module")
def analyses():
    return {k: a.to_json() for k, a in read_articles(
        [ReadItem(k, t, "en", PUBLISHED, "day") for k, t in TEXTS.items()]).items()}


@pytest.fixture(scope="module")
def got(analyses):
    return extract_claims_many([ClaimInput(k, t, analyses[k], PUBLISHED) for k, t in TEXTS.items()])


def only(claims: list[Claim], **want) -> Claim:
    hits = [c for c in claims if all(getattr(c, k) == v for k, v in want.items())]
    assert len(hits) == 1, f"expected one claim with {want}, got {[c.text for c in hits]} of {[c.text for c in claims]}"
    return hits[0]


def test_coordinated_clauses_split_and_each_keeps_its_own_numbers_and_date(got):
    first, second = got["coord"]
    assert (first.text, first.predicate, first.subject, first.split) == (
        "Rebels seized 15 villages on Wednesday", "seize", "Rebels", "main")
    assert (second.text, second.predicate, second.subject, second.split) == (
        "the army lost 3 towns", "lose", "the army", "coordinated")
    assert [(q.text, q.low) for q in first.quantities] == [("15 villages", 15)]
    assert [(q.text, q.low) for q in second.quantities] == [("3 towns", 3)]
    assert [(t.value, t.precision) for t in first.time] == [("2024-11-27", "day")]
    assert second.time == []


def test_conjoined_verb_phrases_share_the_subject(got):
    first, second = got["shared"]
    assert first.text == "Rebels seized villages" and first.object == "villages"
    assert (second.text, second.split, second.subject, second.predicate) == (
        "advanced on the city", "shared_subject", "Rebels", "advance")


def test_a_name_right_after_its_noun_is_part_of_the_subject_but_one_set_off_by_commas_is_not(got):
    close = only(got["close_name"])
    assert close.subject == "The ransomware group REvil"
    assert [(a.text, a.role) for a in close.actors if a.text == "REvil"] == [("REvil", "subject")]
    assert only(got["comma_name"]).subject == "The militants"


def test_a_subject_the_parser_hangs_on_an_auxiliary_is_still_the_subject(got):
    claim = only(got["aux_subject"])
    assert (claim.predicate, claim.negated, claim.passive, claim.object) == ("close", True, True, "The traffic lanes")


def test_a_length_the_parser_hangs_on_a_preposition_measures_the_verb(got):
    # "seven hours before finding": the count is the deliberation's length, as in "deliberated seven hours"
    [q] = only(got["measure"], predicate="deliberate").quantities
    assert (q.text, q.head, q.of_predicate, q.role) == ("almost seven hours", "deliberate", True, "object")


def test_a_clause_with_its_own_subject_and_nothing_subordinating_it_is_a_claim_of_its_own(got):
    # the parser hangs "the 2-year-old did not shoot herself" on "fighting" as a bare adverbial clause
    claim = only(got["unmarked"], predicate="shoot")
    assert (claim.text, claim.negated, claim.subject) == (
        "the 2-year-old accidentally did not shoot herself in the head", True, "the 2-year-old")


def test_what_is_agreed_to_is_the_claim_however_the_parser_hangs_the_infinitive(got):
    # negated, "agree ... to reopen" comes out of the parser as a purpose clause
    claim = only(got["agreed_not"])
    assert (claim.predicate, claim.negated, claim.object) == ("reopen", True, "the federal government")
    # a verb of motion keeps its purpose clause as a purpose: the claim is the going
    assert only(got["purpose"]).predicate == "go"


def test_what_a_relative_clause_reports_is_a_claim_when_it_carries_a_count(got):
    claim = only(got["relative_report"], predicate="drop")
    assert (claim.text, [q.low for q in claim.quantities]) == ("eight bombs were dropped", [8])


def test_reported_speech_is_the_claim_and_the_speaker_its_source(got):
    claim = only(got["reported"])
    assert claim.text == "rebels captured the airport in Aleppo"
    assert (claim.split, claim.predicate, claim.subject, claim.object) == (
        "reported", "capture", "rebels", "the airport")
    assert claim.attribution.source == "The Syrian Observatory" and claim.attribution.kind == "named"
    assert [p.name for p in claim.places] == ["Aleppo"]
    assert 36 < claim.places[0].lat < 37 and 37 < claim.places[0].lon < 38
    assert not any(c.predicate == "say" for cs in got.values() for c in cs)


def test_a_quotation_before_its_speaker_is_quoted_and_attributed(got):
    claim = only(got["inverted"])
    assert claim.text == "Rebels have captured the airport"
    assert claim.quoted and claim.split == "reported"
    assert claim.attribution.source == "the ministry"


def test_relative_clause_with_a_date_is_its_own_background_claim(got):
    main = only(got["relative"], split="main")
    rel = only(got["relative"], split="relative")
    assert rel.text == "which the opposition lost in 2016"
    assert (rel.predicate, rel.subject, rel.object) == ("lose", "the opposition", "Aleppo")
    assert [t.value for t in rel.time] == ["2016"] and rel.background and rel.background_cue == "2016"
    assert main.predicate == "weaken" and main.time == [] and not main.background
    assert only(got["plain_relative"]).predicate == "rest"   # no date, number or place: no split


def test_negation_is_a_flag_and_not_part_of_the_predicate(got):
    claim = only(got["negation"])
    assert claim.negated and claim.predicate == "capture" and claim.object == "the town"
    assert only(got["never"]).negated
    assert not any(c.negated for c in got["coord"])


def test_hedge_goes_to_the_claim_that_holds_it(got):
    hedged = only(got["hedge"], predicate="capture")
    plain = only(got["hedge"], predicate="shell")
    assert hedged.hedged and hedged.hedges == ["reportedly"]
    assert not plain.hedged and plain.hedges == []


def test_hedging_reporting_verb_hedges_what_it_reports(got):
    claim = only(got["claimed"])
    assert claim.text == "rebels captured the town" and claim.hedged and "claimed" in claim.hedges
    assert claim.attribution.source == "Officials" and claim.attribution.kind == "vague"


def test_according_to_is_attribution_not_claim_text(got):
    claim = only(got["according"])
    assert claim.text == "rebels launched an attack on Idlib"
    assert (claim.attribution.source, claim.attribution.kind) == ("military sources", "vague")


def test_background_from_old_dates_and_past_perfect_but_not_from_backshift(got):
    assert only(got["background"]).background
    assert not only(got["news"]).background
    backshifted = only(got["backshift"])
    assert backshifted.split == "reported" and not backshifted.background
    old = only(got["pluperfect"])
    assert old.background and old.background_cue == "past perfect"


def test_passive_roles_are_semantic(got):
    active, passive = only(got["active"]), only(got["passive"])
    assert not active.passive and passive.passive
    for claim in (active, passive):
        assert claim.predicate == "capture"
        assert {a.name: a.role for a in claim.actors} == {"Saraqib": "object", "Syria": "subject"}
        assert claim.subject.lower() == "the syrian army" and claim.object.lower() == "the town of saraqeb"
        assert [p.name for p in claim.places] == ["Saraqib"]


def test_boilerplate_headings_and_questions_hold_no_claims(got):
    texts = [c.text for c in got["furniture"]]
    assert texts == ["Rebels captured the airport on Wednesday"]
    assert [c.text for c in got["cut"]] == ["Rebels took the airport on Wednesday"]   # an excerpt cut mid-sentence


def test_local_boilerplate_guard_finds_furniture_lines():
    text = TEXTS["furniture"]
    found = [text[a:b] for a, b in local_boilerplate_spans(text)]
    assert found == ["Image created by AI", "[READ MORE: Senator Slams Rival, Says It Is Over]",
                     "Cover: AP Photo/Jane Doe"]
    assert local_boilerplate_spans("Watchdog groups said the vote was fair.\nSubscribers got the news first.") == []


def test_no_break_spaces_do_not_shift_offsets_or_break_the_parse(got):
    claim = only(got["nbsp"])
    assert claim.predicate == "capture" and claim.object.replace("\u00a0", " ") == "the town of Saraqeb"
    assert TEXTS["nbsp"][claim.start:claim.end] == claim.text


def test_every_span_matches_the_article_text_and_ids_are_stable(got, analyses):
    for key, claims in got.items():
        text = TEXTS[key]
        for c in claims:
            assert text[c.start:c.end] == c.text and c.text.strip() == c.text
            for slot in [*c.actors, *c.places, *c.time, *c.quantities]:
                assert text[slot.start:slot.end] == slot.text
    again = extract_claims("coord", TEXTS["coord"], analyses["coord"], PUBLISHED)
    assert [c.id for c in again] == [c.id for c in got["coord"]]
    ids = [c.id for cs in got.values() for c in cs]
    assert len(ids) == len(set(ids))


def test_json_round_trip(got):
    for c in got["reported"] + got["coord"]:
        data = json.loads(json.dumps(c.to_json()))
        assert Claim.from_json(data) == c


def test_an_analysis_of_another_text_is_refused(analyses):
    with pytest.raises(ClaimError, match="another text") as err:
        extract_claims("x", TEXTS["negation"], analyses["coord"])
    assert isinstance(err.value, RashomonError)
    with pytest.raises(ClaimError, match="expected the dict"):
        extract_claims("x", TEXTS["coord"], "not an analysis")


def test_unanalysed_article_has_no_claims():
    note = read_articles([ReadItem("de", "Die Armee hat die Stadt am Mittwoch verloren.", "de")])["de"]
    assert extract_claims("de", "Die Armee hat die Stadt am Mittwoch verloren.", note.to_json()) == []


def test_public_api():
    for name in claims_pkg.__all__:
        assert hasattr(claims_pkg, name)
    assert {"extract_claims", "extract_claims_many", "Claim"} <= set(claims_pkg.__all__)


@pytest.fixture(scope="module")
def seed():
    texts = {p.stem: p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.txt"))}
    analyses = read_articles([ReadItem(k, t, "en", PUBLISHED, "day") for k, t in texts.items()])
    claims = extract_claims_many([ClaimInput(k, t, analyses[k].to_json(), PUBLISHED) for k, t in texts.items()])
    return texts, claims


def test_seed_story_claims_have_valid_spans_and_carry_the_known_facts(seed):
    texts, claims = seed
    assert len(claims) == 5 and all(len(cs) >= 8 for cs in claims.values())
    for aid, cs in claims.items():
        for c in cs:
            assert texts[aid][c.start:c.end] == c.text
            for slot in [*c.actors, *c.places, *c.time, *c.quantities]:
                assert texts[aid][slot.start:slot.end] == slot.text
    every = [c for cs in claims.values() for c in cs]
    # the start of the offensive, in three wordings
    assert any(c.predicate == "attack" and any(t.value == "2024-11-25" for t in c.time) for c in every)
    assert any(c.predicate == "start" and any(t.value == "2024-11-27" for t in c.time) for c in every)
    launch = [c for c in every if c.predicate == "launch" and any(t.value == "2024-11-27" for t in c.time)]
    assert launch and launch[0].attribution.source == "Associated Press" and launch[0].attribution.relay
    # the city's fall years before, a background fact, in two versions
    assert any(c.background and any(t.value == "2016" for t in c.time) for c in every)
    assert any(c.background and c.predicate == "lose" and any(t.value == "2017" for t in c.time) for c in every)
    # counts stay with their own claims
    control = only(every, predicate="control", split="shared_subject", subject="Rebels")
    assert [q.noun for q in control.quantities] == ["locations"] and control.quantities[0].low <= 70
    assert control.attribution.source == "Anadolu Agency"
    # no claim from the partisan insert, the photo credit or the AI note
    joined = " ".join(c.text for c in every)
    assert "READ MORE" not in joined and "Omar Albam" not in joined and "Image created" not in joined


def test_an_article_seen_before_is_not_parsed_again(analyses, monkeypatch):
    from rashomon.claims import extract

    items = [ClaimInput(k, TEXTS[k], analyses[k], PUBLISHED) for k in ("coord", "news")]
    first = extract_claims_many(items)

    def no_parse(**kw):
        raise AssertionError("a remembered article was parsed again")
    monkeypatch.setattr(extract, "load_pipeline", no_parse)
    again = extract_claims_many(items)
    assert {k: [c.to_json() for c in v] for k, v in again.items()} == \
        {k: [c.to_json() for c in v] for k, v in first.items()}
    # another publication date is another reading of the same text ("Wednesday" moves)
    with pytest.raises(AssertionError, match="parsed again"):
        extract_claims_many([ClaimInput("news", TEXTS["news"], analyses["news"], "2024-12-06")])
