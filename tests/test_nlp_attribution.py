"""Attribution: who each sentence is attributed to, hedges, and direct quotes with speakers."""

from __future__ import annotations

import pytest

from rashomon.nlp.attribution import annotate
from rashomon.nlp.model import load_pipeline
from rashomon.nlp.sentences import SentenceIndex
from rashomon.nlp.types import Mention

from .conftest import EXAMPLES


def read(text, mentions=None):
    """(sentences, quotes) with the Doc's entities as mentions."""
    doc = load_pipeline()(text)
    sents = SentenceIndex(doc)
    if mentions is None:
        mentions = [Mention(e.start_char, e.end_char, e.text, e.label_, sents.of(e.start_char))
                    for e in doc.ents]
    quotes = annotate(doc, sents, mentions)
    return sents.sentences, quotes


def attr(text):
    return read(text)[0][0].attribution


@pytest.mark.parametrize("text,source,kind,cue,relay", [
    ("Jihadist rebels have taken over most of Aleppo city, according to the Syrian Observatory "
     "for Human Rights.", "the Syrian Observatory for Human Rights", "named", "according to", False),
    ("According to military sources, rebels launched a multi-pronged attack.",
     "military sources", "vague", "according to", False),
    ("Rebels control some 70 locations across Aleppo and Idlib provinces, Anadolu Agency reported.",
     "Anadolu Agency", "named", "reported", True),
    ("Opposition forces launched a large-scale offensive near Aleppo, Associated Press reports.",
     "Associated Press", "named", "reports", True),
    ("Türkiye has remained unresponsive, according to Militarnyi, a Ukrainian media outlet.",
     "Militarnyi", "named", "according to", True),
    ("Rami Abdel Rahman from the Observatory said regime forces withdrew.",
     "Rami Abdel Rahman from the Observatory", "named", "said", False),
    ("The last US ambassador to Syria, Robert Ford, said that the attack revealed weakness.",
     "Robert Ford", "named", "said", False),
    ("Dareen Khalifa of the International Crisis Group revealed that the rebels had prepared.",
     "Dareen Khalifa of the International Crisis Group", "named", "revealed", False),
    ("The Syrian Observatory also reported that Russian warplanes launched airstrikes.",
     "The Syrian Observatory", "named", "reported", False),
    ("Turkish officials have claimed the offensive seeks to restore the boundaries.",
     "Turkish officials", "vague", "claimed", False),
    ("Witnesses told the strike hit a school.", "Witnesses", "vague", "told", False),
    ("Sources close to the government said talks had stalled.",
     "Sources close to the government", "vague", "said", False),
    ("The army shelled the town, state media reported.", "state media", "vague", "reported", True),
    ("Per reports, the government forces offered little resistance.", "reports", "vague", "per", True),
    ("The strike killed five, citing military sources.", "military sources", "vague", "citing", False),
    ("Israel said it had struck Hezbollah targets.", "Israel", "named", "said", False),
    ("Russia's foreign ministry said it was alarmed.", "Russia's foreign ministry", "named", "said", False),
    ("The ceasefire is collapsing, analysts say.", "analysts", "vague", "say", False),
    ("The town is lost, said John Smith, a rebel commander.", "John Smith", "named", "said", False),
    ("Rebels seize airport: Reuters", "Reuters", "named", ":", True),
    ("Jihadist rebels seize 'most of' Aleppo city: Syria war monitor", "Syria war monitor", "vague",
     ":", False),
    ("The attack was claimed by Islamic State.", "Islamic State", "named", "claimed by", False),
    ("Breaches rose, with analysts suggesting rising attacks by the regime.", "analysts", "vague",
     "suggesting", False),
    ("But a White House official said the plan was for Sestak to stay.", "a White House official",
     "vague", "said", False),
    ("The vaccine is safe for teens, the Food and Drug Administration said Monday.",
     "the Food and Drug Administration", "named", "said", False),
    ("The controversy grew, and Donald Trump on Saturday accused social media sites of censorship.",
     "Donald Trump", "named", "accused", False),
    ("In a statement, Twitter at the time said it was a glitch.", "Twitter", "named", "said", False),
    ("Batting down allegations, the report said no job was offered.", "the report", "vague", "said",
     False),
    ("The figures, reported by the UN, were high.", "the UN", "named", "reported by", False),
])
def test_source(text, source, kind, cue, relay):
    a = attr(text)
    assert (a.source, a.kind, a.cue, a.relay) == (source, kind, cue, relay)
    assert text[a.start:a.end] == a.source


@pytest.mark.parametrize("text,cue", [
    ("It was reported that the airport had closed.", "it was reported"),
    ("The town was captured, it was announced on Monday.", "it was announced"),
    ("The commander is said to have fled.", "is said"),
    ("Conflict escalates in Aleppo, over 300 casualties reported", "reported"),
])
def test_passive_is_vague_without_source(text, cue):
    a = attr(text)
    assert (a.source, a.kind, a.cue) == (None, "vague", cue)


@pytest.mark.parametrize("text", [
    "The rebels took the city on Wednesday.",
    "The escalating conflict has claimed at least 327 lives.",          # claimed = killed
    "The opposition claimed portions of the city in 2012.",             # claimed = seized
    "The Kremlin condemned the attack as a violation of sovereignty.",
    "It is also announced on the eve of the second administration.",    # "it" is a thing here
    "Robert Ford said this attack revealed weakness."[19:],             # "this attack revealed"
    "The White House asked former President Bill Clinton to talk to him.",  # asked = requested
    "Heavy fighting continued in the north.",
    "A spokesperson posted nothing.",
])
def test_no_source(text):
    a = attr(text)
    assert a.kind == "none" and a.source is None and a.cue is None


def test_said_inside_a_quote_is_not_the_attribution():
    sents, quotes = read('"He said he would come," the mayor said.')
    a = sents[0].attribution
    assert (a.source, a.kind, a.cue) == ("the mayor", "vague", "said")
    assert [(q.text, q.speaker) for q in quotes] == [("He said he would come", "the mayor")]


def test_a_quote_without_a_cue_has_no_speaker_and_no_attribution():
    sents, quotes = read('The banner read "never again" in red letters.')
    assert sents[0].attribution.kind == "none"
    assert [(q.text, q.speaker) for q in quotes] == [("never again", None)]


def test_pronoun_resolves_to_the_last_person():
    sents, _ = read("Dareen Khalifa of the International Crisis Group spoke on Friday. "
                    "They framed their actions as defensive, she said.")
    a = sents[1].attribution
    assert (a.source, a.kind, a.cue) == ("Dareen Khalifa", "named", "said")


def test_he_said_is_the_last_named_speaker():
    sents, _ = read('"This is about the White House," Issa said, adding that he wants to know what '
                    'Clinton was empowered to say. "They answered a question," he said.')
    assert sents[-1].attribution.source == "Issa"


def test_multi_sentence_quote_gives_every_sentence_the_speaker():
    text = '"We will fight. We will win," Smith told reporters. The weather was cold.'
    sents, quotes = read(text)
    assert [s.attribution.source for s in sents] == ["Smith", "Smith", None]
    assert [s.attribution.kind for s in sents] == ["named", "named", "none"]
    assert [(q.text, q.speaker) for q in quotes] == [("We will fight. We will win", "Smith")]


def test_curly_quote_with_inverted_outlet_speaker():
    text = "“Leveraging this advantage, opposition forces have advanced,” notes Defense Express."
    sents, quotes = read(text)
    assert (sents[0].attribution.source, sents[0].attribution.relay) == ("Defense Express", True)
    q = quotes[0]
    assert q.text == "Leveraging this advantage, opposition forces have advanced"
    assert text[q.start:q.end] == q.text and q.speaker == "Defense Express"


def test_colon_quote_and_adjacent_sentence_speaker():
    text = 'John Smith said: "We will fight."\n“Nobody is safe.”'
    sents, quotes = read(text)
    assert [q.speaker for q in quotes] == ["John Smith", "John Smith"]
    assert sents[1].attribution.source == "John Smith"


def test_single_quoted_headline_quote_and_apostrophes():
    text = "Rebels seize 'most of' the city: war monitor\nThe insurgents' advance and Assad's forces' retreat went on."
    _, quotes = read(text)
    assert [(q.text, q.speaker) for q in quotes] == [("most of", "war monitor")]


@pytest.mark.parametrize("text,hedges", [
    ("The army reportedly suffered a setback.", ["reportedly"]),
    ("The commander is believed to have fled and may have been wounded.",
     ["is believed to", "may have"]),
    ("The strike could possibly escalate the conflict.", ["could", "possibly"]),
    ("The claims could not be independently verified.", ["could not be independently verified"]),
    ("An alleged spy apparently appears to be a suspected agent.",
     ["alleged", "apparently", "appears to", "suspected"]),
    ("Turkish officials have claimed the offensive seeks to restore the zone.", ["claimed"]),
    ("The conflict has claimed at least 327 lives in May.", []),
    ("Rebels captured the city.", []),
])
def test_hedges(text, hedges):
    assert read(text)[0][0].hedges == hedges


def test_named_source_needs_no_entity_when_proper_nouns_are_tagged():
    sents, _ = read("The Syrian Civil Defence reported civilian casualties.", mentions=[])
    assert sents[0].attribution.kind == "named"


def test_seed_article():
    text = (EXAMPLES / "004_d1dd31becd032df8.txt").read_text()
    sents, quotes = read(text)
    got = [(s.attribution.source, s.attribution.kind) for s in sents if s.attribution.kind != "none"]
    assert ("the Britain-based Syrian Observatory for Human Rights", "named") in got
    assert ("Dareen Khalifa", "named") in got
    assert ("analysts", "vague") in got
    assert [q.speaker for q in quotes] == ["Khalifa"]
    assert sum(s.attribution.kind == "none" for s in sents) > len(sents) // 2
