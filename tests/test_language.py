"""Language identification; non-English articles are kept and flagged, never dropped."""

from __future__ import annotations

import json

import pytest

import rashomon
from rashomon.articles.language import detect_language

from .conftest import article_text

TEXTS = {
    "en": ("The city council approved the new budget on Tuesday after a long debate about schools, "
           "roads and public safety. Residents asked many questions about taxes, and the mayor promised "
           "a detailed report next month to explain every change that was made to the plan."),
    "de": ("Der Stadtrat hat am Dienstag nach einer langen Debatte über Schulen, Straßen und öffentliche "
           "Sicherheit den neuen Haushalt beschlossen. Die Bürger stellten viele Fragen zu den Steuern, "
           "und der Bürgermeister versprach für den nächsten Monat einen ausführlichen Bericht."),
    "fr": ("Le conseil municipal a approuvé mardi le nouveau budget après un long débat sur les écoles, "
           "les routes et la sécurité publique. Les habitants ont posé de nombreuses questions sur les "
           "impôts, et le maire a promis un rapport détaillé le mois prochain."),
    "ar": ("وافق مجلس المدينة يوم الثلاثاء على الميزانية الجديدة بعد نقاش طويل حول المدارس والطرق "
           "والسلامة العامة. وطرح السكان أسئلة كثيرة حول الضرائب، ووعد رئيس البلدية بتقديم تقرير مفصل "
           "في الشهر المقبل يشرح كل التغييرات التي أدخلت على الخطة."),
}


@pytest.mark.parametrize("code", sorted(TEXTS))
def test_detects_the_language(code):
    lang, score = detect_language(TEXTS[code])
    assert lang == code
    assert 0.5 < score <= 1.0


def test_too_little_text_is_undetermined():
    assert detect_language("Breaking news") == ("und", 0.0)
    assert detect_language("   \n  ") == ("und", 0.0)


@pytest.fixture
def mixed_folder(tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    for code, text in TEXTS.items():
        (folder / f"{code}.txt").write_text(text, encoding="utf-8")
    return folder


def test_non_english_articles_are_stored_and_flagged(mixed_folder, sqlite_url, settings):
    doc = rashomon.analyze([mixed_folder], db=sqlite_url, settings=settings)
    assert doc["summary"]["rejected"] == 0 and doc["rejected"] == []
    by_file = {a["path"].rsplit("/", 1)[1]: a for a in doc["articles"]}
    assert sorted(by_file) == ["ar.txt", "de.txt", "en.txt", "fr.txt"]  # none dropped
    for code in ("de", "fr", "ar"):
        art = by_file[f"{code}.txt"]
        assert art["language"] == code
        flags = [f for f in art["quality"]["flags"] if f["kind"] == "non_english"]
        assert len(flags) == 1 and code in flags[0]["evidence"], art["quality"]
    english = by_file["en.txt"]
    assert english["language"] == "en"
    assert not any(f["kind"] == "non_english" for f in english["quality"]["flags"])


def test_language_is_queryable_in_the_store(mixed_folder, sqlite_url, settings):
    rashomon.ingest([mixed_folder], db=sqlite_url, settings=settings)
    with rashomon.open_store(sqlite_url) as store:
        assert [r["path"].rsplit("/", 1)[1] for r in store.articles(language="de")] == ["de.txt"]
        assert store.count() == 4


def test_declared_language_that_disagrees_is_kept(tmp_path, sqlite_url, settings):
    f = tmp_path / "labelled.jsonl"
    f.write_text(json.dumps({"id": "x", "language": "en", "text": TEXTS["de"]}) + "\n"
                 + json.dumps({"id": "y", "lang": "en-GB", "text": article_text("harbour")}) + "\n",
                 encoding="utf-8")
    doc = rashomon.analyze([f], db=sqlite_url, settings=settings)
    by_id = {a["origins"][0]["external_id"]: a for a in doc["articles"]}
    assert by_id["x"]["language"] == "de"                      # detected, not taken on trust
    assert by_id["x"]["extra"]["declared_language"] == "en"
    assert "declared_language" not in by_id["y"]["extra"]      # en-GB agrees with en
