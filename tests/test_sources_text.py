"""Plain-text inputs: headline detection, YAML front matter, sidecar manifests, encodings."""

from __future__ import annotations

import codecs
import datetime as dt
import json

import pytest

import rashomon
from rashomon.errors import DecodeError, MalformedInput, UnsupportedInput
from rashomon.sources.decode import decode_bytes
from rashomon.sources.text import read_text_document, split_front_matter, split_headline

from .sourcehelpers import BODY, read_one, read_paths

# --- headline detection ------------------------------------------------------------------


def test_headline_first_line_becomes_title(tmp_path, settings):
    f = tmp_path / "budget.txt"
    f.write_text("Council approves budget after long debate\n\n" + BODY, encoding="utf-8")
    doc = read_one(f, settings)
    assert doc.title == "Council approves budget after long debate"
    assert doc.text.startswith("Officials in the city of Riverton")
    assert "Council approves budget" not in doc.text
    assert doc.format == "txt" and doc.path == str(f)


def test_headline_with_question_mark_and_crlf(tmp_path, settings):
    f = tmp_path / "q.txt"
    f.write_bytes(("Will the council approve the budget?\r\n\r\n" + BODY.replace("\n", "\r\n")).encode())
    doc = read_one(f, settings)
    assert doc.title == "Will the council approve the budget?"
    assert "\r" not in doc.text


@pytest.mark.parametrize("first_line", [
    "The council approved the new budget on Tuesday after a long debate.",  # a sentence
    "Image created by AI",                                                  # picture credit
    "Photo by Jane Doe/Reuters",
    "Photograph courtesy of the Riverton city council",
    "Illustration generated with an image model",
    "officials said the council approved the budget",                      # lower-case start
    "Budget",                                                               # too short
])
def test_first_line_that_is_not_a_headline_stays_in_the_text(first_line):
    title, text = split_headline(first_line + "\n" + BODY)
    assert title is None
    assert text.startswith(first_line)


def test_headline_needs_a_body_after_it():
    title, text = split_headline("Council approves budget after long debate\nShort tail here.")
    assert title is None
    assert text.startswith("Council approves budget")


def test_no_headline_means_no_title_in_the_store(tmp_path, sqlite_url, settings):
    f = tmp_path / "credit.txt"
    f.write_text("Image created by AI\n" + BODY, encoding="utf-8")
    doc = read_one(f, settings)
    assert doc.title is None
    assert doc.text.startswith("Image created by AI")


# --- YAML front matter ---------------------------------------------------------------------

FRONT = """---
title: "Council approves budget after long debate"
source: Riverton Gazette
published: 2024-11-27
author: Jane Reporter
url: https://gazette.example/news/budget
section: politics
---
"""


def test_front_matter_fields_are_picked_up(tmp_path, settings):
    f = tmp_path / "fm.txt"
    f.write_text(FRONT + "A first line that looks like a headline\n\n" + BODY, encoding="utf-8")
    doc = read_one(f, settings)
    assert doc.title == "Council approves budget after long debate"
    assert doc.source == "Riverton Gazette"
    assert doc.published == dt.date(2024, 11, 27)
    assert doc.author == "Jane Reporter"
    assert doc.url == "https://gazette.example/news/budget"
    assert doc.extra == {"section": "politics"}
    assert doc.notes == []
    # The front matter is metadata, not text; with a title given, the first line stays text.
    assert "---" not in doc.text and "Riverton Gazette" not in doc.text
    assert doc.text.startswith("A first line that looks like a headline")


def test_front_matter_aliases_and_lists(tmp_path, settings):
    f = tmp_path / "fm2.md"
    f.write_text("---\nheadline: Bridge repairs begin downtown\noutlet: Metro Daily\n"
                 "date: '2024-10-01T08:00:00+02:00'\nauthors: [Sam Writer, Ann Editor]\nlink: https://metro.example/b\n---\n"
                 + BODY, encoding="utf-8")
    doc = read_one(f, settings)
    assert (doc.title, doc.source, doc.url) == ("Bridge repairs begin downtown", "Metro Daily", "https://metro.example/b")
    assert doc.author == "Sam Writer, Ann Editor"
    assert doc.published == "2024-10-01T08:00:00+02:00"


def test_front_matter_published_reaches_the_store(tmp_path, sqlite_url, settings):
    f = tmp_path / "fm.txt"
    f.write_text(FRONT + BODY, encoding="utf-8")
    report = rashomon.ingest([f], db=sqlite_url, settings=settings)
    assert report.new == 1 and not report.rejected
    with rashomon.open_store(sqlite_url) as store:
        (row,) = store.articles()
    assert row["published"] == "2024-11-27" and row["published_precision"] == "day"
    assert row["source"] == "Riverton Gazette" and row["author"] == "Jane Reporter"
    assert row["title"] == "Council approves budget after long debate"


def test_broken_front_matter_keeps_the_text_and_says_so(tmp_path, settings):
    f = tmp_path / "broken.txt"
    f.write_text("---\ntitle: [unclosed\nsource: Gazette: extra: colons\n---\n"
                 "Council approves budget after long debate\n\n" + BODY, encoding="utf-8")
    doc = read_one(f, settings)
    assert doc.source is None
    assert any("front matter ignored" in n and "YAML" in n for n in doc.notes), doc.notes
    assert "Residents packed the council chamber" in doc.text
    assert "[unclosed" not in doc.text
    # Headline detection still runs on the body.
    assert doc.title == "Council approves budget after long debate"


def test_front_matter_that_is_not_a_mapping():
    meta, body, note = split_front_matter("---\n- just\n- a list\n---\nBody text here.")
    assert meta == {} and body == "Body text here."
    assert "key: value" in note


def test_unclosed_front_matter_is_plain_text():
    text = "---\ntitle: Something\n\nBody text that never closes the block."
    meta, body, note = split_front_matter(text)
    assert (meta, body, note) == ({}, text, None)


# --- sidecar manifests ---------------------------------------------------------------------


def _folder(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text("Council approves budget after long debate\n\n" + BODY, encoding="utf-8")
    (folder / "b.txt").write_text(BODY.replace("Riverton", "Lakeside"), encoding="utf-8")
    return folder


def test_manifest_csv(tmp_path, settings):
    folder = _folder(tmp_path)
    (folder / "manifest.csv").write_text(
        "file,outlet,url,published,author,leaning\n"
        "a.txt,Riverton Gazette,https://gazette.example/a,2024-11-27,Jane Reporter,center\n"
        "b.txt,Lakeside Post,https://post.example/b,2024-11-28,\"Doe, John\",left\n", encoding="utf-8")
    docs, errors = read_paths([folder], settings)
    assert errors == []
    by_name = {d.path.rsplit("/", 1)[1]: d for d in docs}
    assert sorted(by_name) == ["a.txt", "b.txt"]  # the manifest itself is not an article
    a, b = by_name["a.txt"], by_name["b.txt"]
    assert (a.source, a.url, a.published, a.author) == (
        "Riverton Gazette", "https://gazette.example/a", "2024-11-27", "Jane Reporter")
    assert (b.source, b.url, b.published, b.author) == (
        "Lakeside Post", "https://post.example/b", "2024-11-28", "Doe, John")
    assert a.extra == {"leaning": "center"}  # unknown columns kept, the file column dropped
    assert a.title == "Council approves budget after long debate"


@pytest.mark.parametrize("shape", ["list", "mapping"])
def test_manifest_json(tmp_path, settings, shape):
    folder = _folder(tmp_path)
    rows = {"a.txt": {"source": "Riverton Gazette", "url": "https://gazette.example/a",
                      "published": "2024-11-27", "author": "Jane Reporter"},
            "b.txt": {"outlet": "Lakeside Post", "published": "2024-11-28"}}
    data = [{"file": k, **v} for k, v in rows.items()] if shape == "list" else rows
    (folder / "manifest.json").write_text(json.dumps(data), encoding="utf-8")
    docs, errors = read_paths([folder], settings)
    assert errors == []
    by_name = {d.path.rsplit("/", 1)[1]: d for d in docs}
    assert by_name["a.txt"].source == "Riverton Gazette"
    assert by_name["a.txt"].author == "Jane Reporter"
    assert by_name["a.txt"].url == "https://gazette.example/a"
    assert by_name["b.txt"].source == "Lakeside Post"
    assert by_name["b.txt"].published == "2024-11-28"


def test_front_matter_overrides_manifest(tmp_path, settings):
    folder = _folder(tmp_path)
    (folder / "a.txt").write_text(FRONT + BODY, encoding="utf-8")
    (folder / "manifest.csv").write_text("file,source,author\na.txt,Manifest Outlet,Manifest Author\n")
    docs, _ = read_paths([folder / "a.txt"], settings)
    assert docs[0].source == "Riverton Gazette" and docs[0].author == "Jane Reporter"


def test_manifest_title_skips_headline_detection(tmp_path, settings):
    folder = _folder(tmp_path)
    (folder / "manifest.csv").write_text("file,title\na.txt,The Manifest Title\n")
    docs, _ = read_paths([folder / "a.txt"], settings)
    assert docs[0].title == "The Manifest Title"
    assert docs[0].text.startswith("Council approves budget")


def test_manifest_without_file_column_is_reported(tmp_path, settings):
    folder = _folder(tmp_path)
    (folder / "manifest.csv").write_text("name_of_outlet,when\nGazette,2024\n")
    docs, errors = read_paths([folder], settings)
    assert len(docs) == 2 and all(d.source is None for d in docs)
    assert len(errors) == 1 and isinstance(errors[0], MalformedInput)
    assert errors[0].input.endswith("manifest.csv") and "'file' column" in errors[0].reason


def test_broken_manifest_json_is_reported(tmp_path, sqlite_url, settings):
    folder = _folder(tmp_path)
    (folder / "manifest.json").write_text('[{"file": "a.txt", "source": ')
    report = rashomon.ingest([folder], db=sqlite_url, settings=settings)
    assert report.new == 2
    assert [r.kind for r in report.rejected] == ["malformed"]
    assert report.rejected[0].input.endswith("manifest.json")


# --- encodings -----------------------------------------------------------------------------

WESTERN = ("Müller’s café near the Straße served “crème brûlée” – naïve critics said. " + BODY)


def test_utf8(tmp_path, settings):
    text, note = decode_bytes(WESTERN.encode("utf-8"), "x.txt")
    assert (text, note) == (WESTERN, None)


def test_utf8_bom_is_stripped(tmp_path, settings):
    f = tmp_path / "bom.txt"
    f.write_bytes(codecs.BOM_UTF8 + ("Council approves budget after long debate\n\n" + WESTERN).encode())
    doc = read_one(f, settings)
    assert doc.title == "Council approves budget after long debate"  # no U+FEFF in front
    assert doc.text.startswith("Müller’s café") and doc.notes == []


@pytest.mark.parametrize("bom,codec,name", [
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be"),
])
def test_utf16_with_bom(tmp_path, settings, bom, codec, name):
    f = tmp_path / "u16.txt"
    f.write_bytes(bom + ("Council approves budget after long debate\n\n" + WESTERN).encode(codec))
    doc = read_one(f, settings)
    assert doc.title == "Council approves budget after long debate"
    assert doc.text.startswith("Müller’s café")
    assert any(name in n for n in doc.notes), doc.notes


def test_cp1252_with_quotes_and_dashes():
    text, note = decode_bytes(WESTERN.encode("cp1252"), "x.txt")
    assert text == WESTERN
    assert note and "cp1252" in note


def test_latin1_german():
    s = "Grüße aus München: die schöne Straße am Fluß wird erneuert. " + BODY
    text, note = decode_bytes(s.encode("latin-1"), "x.txt")
    assert text == s and note


def test_cp1252_with_a_single_accented_character_is_not_mangled():
    # One é in an otherwise ASCII file: there is no evidence of UTF-8, so it is a legacy encoding.
    s = "The café reopened on Tuesday. " + BODY
    text, note = decode_bytes(s.encode("cp1252"), "x.txt")
    assert text == s
    assert "\ufffd" not in text and note


def test_declared_charset_wins():
    s = "Ελληνικά νέα από την Αθήνα. " + BODY
    text, note = decode_bytes(s.encode("iso-8859-7"), "x.html", declared="iso-8859-7")
    assert text == s and "iso-8859-7" in note


def test_a_few_invalid_utf8_bytes_are_repaired_with_a_note(tmp_path, settings):
    good = WESTERN.encode("utf-8")
    cut = good.index(b"Officials")
    f = tmp_path / "repair.txt"
    f.write_bytes(good[:cut] + b"\xff\xfe" + good[cut:])
    doc = read_one(f, settings)
    assert "Müller’s café" in doc.text                   # the valid UTF-8 is kept as UTF-8
    assert doc.text.count("\ufffd") == 2
    assert doc.notes == ["2 invalid UTF-8 sequence(s) replaced"]


def test_repair_note_becomes_a_quality_flag(tmp_path, sqlite_url, settings):
    good = WESTERN.encode("utf-8")
    f = tmp_path / "repair.txt"
    f.write_bytes(good[:20] + b"\xff" + good[20:])
    doc = rashomon.analyze([f], db=sqlite_url, settings=settings)
    (article,) = doc["articles"]
    assert {"kind": "text_repaired", "evidence": "1 invalid UTF-8 sequence(s) replaced"} in article["quality"]["flags"]


@pytest.mark.parametrize("head,named", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF"),
    (b"PK\x03\x04\x14\x00\x00\x00", "zip"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG"),
])
def test_binary_is_refused_naming_the_format(tmp_path, settings, head, named):
    f = tmp_path / "article.txt"
    f.write_bytes(head + bytes(range(256)) * 4)
    docs, errors = read_paths([f], settings)
    assert docs == []
    (err,) = errors
    assert isinstance(err, UnsupportedInput)
    assert err.input == str(f) and named in err.reason and "binary" in err.reason


def test_binary_without_magic_is_refused_by_its_control_characters():
    data = bytes(range(32)) * 50
    with pytest.raises(UnsupportedInput, match="control characters"):
        decode_bytes(data, "blob.txt")


def test_unknown_suffix_binary_is_sniffed(tmp_path, settings):
    f = tmp_path / "download"
    f.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    _, errors = read_paths([f], settings)
    assert "PNG" in errors[0].reason


def test_unknown_suffix_text_is_read_as_text(tmp_path, settings):
    f = tmp_path / "README"
    f.write_text("Council approves budget after long debate\n\n" + BODY, encoding="utf-8")
    doc = read_one(f, settings)
    assert doc.format == "txt" and doc.title == "Council approves budget after long debate"


def test_bad_bom_is_a_decode_error():
    with pytest.raises(DecodeError, match="utf-16-le"):
        decode_bytes(codecs.BOM_UTF16_LE + b"\x00\xd8", "odd.txt")  # lone surrogate


def test_read_text_document_direct():
    doc = read_text_document(("Council approves budget after long debate\n\n" + BODY).encode(), "mem", None)
    assert doc.input == "mem" and doc.path is None and doc.title
