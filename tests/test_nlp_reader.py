"""The per-article reading layer end to end: robustness, storage, the JSON document."""

from __future__ import annotations

import pytest

import rashomon
from rashomon.nlp import ANALYSIS_VERSION, ReadItem, read_articles
from rashomon.nlp.reader import MAX_CHARS, STEPS, Step, _check_order

from .conftest import EXAMPLES

SENTENCE = ("The Syrian Civil Defence said on Wednesday that at least 12 people were hurt when a building "
            "collapsed in Aleppo.")


def _read(text: str, language: str = "en", published: str | None = "2024-11-29"):
    return read_articles([ReadItem("x", text, language, published, "day" if published else None)])["x"]


@pytest.mark.parametrize("text", [
    "",                                                     # 0 words
    SENTENCE,                                               # 1 sentence
    SENTENCE.upper(),                                       # all caps
    SENTENCE.replace(",", "").replace(".", ""),             # no punctuation
    "Protesters in Kyiv chanted Слава Україні while others in 北京 watched; تظاهر المئات in Beirut.",  # mixed scripts
    "\n\n\n" + "word " * 5 + "\n\n",                        # whitespace and no sentence
])
def test_odd_articles_are_read_or_explained_never_crash(text):
    result = _read(text)
    assert result.version == ANALYSIS_VERSION
    if not text.strip():
        assert result.note and "no text" in result.note
        return
    for s in result.sentences:
        assert 0 <= s.start < s.end <= len(text)
    for span in [*result.mentions, *result.dates, *result.quantities, *result.quotes]:
        assert text[span.start:span.end] == span.text


def test_one_sentence_finds_place_date_quantity_and_source():
    result = _read(SENTENCE)
    assert len(result.sentences) == 1
    assert any(m.text == "Aleppo" for m in result.mentions)
    assert any(d.text.endswith("Wednesday") and d.value == "2024-11-27" for d in result.dates)
    assert any(q.low == 12 for q in result.quantities)
    assert result.sentences[0].attribution.kind == "named"


def test_a_50000_word_article_is_analysed():
    paragraph = (SENTENCE + " ") * 4 + "\n"
    text = paragraph * (50_000 // len(paragraph.split()) + 1)
    assert len(text.split()) >= 50_000 and len(text) < MAX_CHARS
    result = _read(text)
    assert result.note is None
    assert len(result.sentences) >= 2000


def test_too_long_and_non_english_are_explained():
    assert "over the" in _read("word " * (MAX_CHARS // 5 + 10)).note
    german = _read("Die Regierung in Damaskus hat am Mittwoch die Kontrolle verloren.", language="de")
    assert german.note and "language is de" in german.note


def test_steps_declare_order_and_a_misordered_pipeline_fails():
    _check_order(STEPS)
    wrong = (Step("attribution", ("mentions",), ("quotes",), lambda *a: None), *STEPS)
    with pytest.raises(RuntimeError, match="needs"):
        _check_order(wrong)


def test_analyses_are_stored_and_reused(sqlite_url, monkeypatch):
    first = rashomon.analyze([EXAMPLES], db=sqlite_url)
    assert all(a["analysis"]["version"] == ANALYSIS_VERSION for a in first["articles"])
    assert all(a["analysis"]["sentences"] for a in first["articles"])
    calls = []
    import rashomon.nlp as nlp_pkg

    real = nlp_pkg.read_articles
    monkeypatch.setattr(nlp_pkg, "read_articles", lambda items, **kw: calls.append(list(items)) or real(items, **kw))
    second = rashomon.analyze([EXAMPLES], db=sqlite_url)
    assert calls == []  # nothing re-read: the stored analyses were used
    assert [a["analysis"] for a in second["articles"]] == [a["analysis"] for a in first["articles"]]
    rashomon.validate_document(second)


def test_parallel_reading_matches_serial():
    items = [ReadItem(f"a{i}", SENTENCE.replace("12", str(10 + i)), "en", "2024-11-29", "day") for i in range(40)]
    serial = read_articles(items, n_process=1)
    parallel = read_articles(items, n_process=2, batch_size=8)
    assert {k: v.to_json() for k, v in serial.items()} == {k: v.to_json() for k, v in parallel.items()}
