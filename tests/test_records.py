"""Record files: the evaluation JSONL, JSON arrays, CSV/TSV, broken lines and field mappings."""

from __future__ import annotations

import gzip
import json

import pytest

import rashomon
from rashomon.errors import ConfigError, MalformedInput, NoArticle
from rashomon.sources.fields import parse_field_map

from .conftest import article_text
from .sourcehelpers import read_paths


def _eval_record(n: int, topic: str, **over) -> dict:
    rec = {"id": f"doc-{n}", "cluster_id": f"cluster-{n % 2}", "outlet": ["nyt", "foxnews", "ap"][n % 3],
           "leaning": ["left-center", "right", "center"][n % 3], "date": f"2024-11-{20 + n:02d}",
           "title": f"Story {n} about {topic}", "text": article_text(topic),
           "url": f"https://news.example/{topic}"}
    rec.update(over)
    return rec


def _write_jsonl(path, records, *, raw_lines=()):
    lines = [json.dumps(r, ensure_ascii=False) for r in records] + list(raw_lines)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


# --- the evaluation JSONL --------------------------------------------------------------------


def test_evaluation_jsonl_out_of_the_box(tmp_path, settings):
    f = tmp_path / "stories.jsonl"
    _write_jsonl(f, [_eval_record(1, "harbour"), _eval_record(2, "railway")])
    docs, errors = read_paths([f], settings)
    assert errors == []
    one = docs[0]
    assert one.text == article_text("harbour") and one.title == "Story 1 about harbour"
    assert one.source == "foxnews" and one.published == "2024-11-21"
    assert one.url == "https://news.example/harbour" and one.external_id == "doc-1"
    assert one.extra == {"cluster_id": "cluster-1", "leaning": "right"}
    assert one.format == "jsonl" and one.locator == "line 1" and one.path == str(f)
    assert docs[1].locator == "line 2" and docs[1].source == "ap"


def test_evaluation_jsonl_in_the_store(tmp_path, sqlite_url, settings):
    f = tmp_path / "stories.jsonl"
    _write_jsonl(f, [_eval_record(1, "harbour"), _eval_record(2, "railway"), _eval_record(3, "bridge")])
    doc = rashomon.analyze([f], db=sqlite_url, settings=settings)
    assert doc["summary"]["articles"] == 3 and doc["summary"]["rejected"] == 0
    by_source = {a["source"]: a for a in doc["articles"]}
    nyt = by_source["nyt"]
    assert nyt["published"] == "2024-11-23" and nyt["published_precision"] == "day"
    assert nyt["extra"] == {"cluster_id": "cluster-1", "leaning": "left-center"}
    assert nyt["origins"][0]["external_id"] == "doc-3" and nyt["origins"][0]["locator"] == "line 3"
    assert nyt["origins"][0]["format"] == "jsonl"


def test_gzipped_jsonl(tmp_path, settings):
    f = tmp_path / "stories.jsonl.gz"
    f.write_bytes(gzip.compress(b"".join(json.dumps(_eval_record(n, t)).encode() + b"\n"
                                         for n, t in enumerate(["harbour", "railway"]))))
    docs, errors = read_paths([f], settings)
    assert errors == [] and [d.external_id for d in docs] == ["doc-0", "doc-1"]


def test_broken_lines_are_reported_with_line_numbers_and_good_lines_kept(tmp_path, settings):
    f = tmp_path / "mixed.jsonl"
    f.write_text("\n".join([
        json.dumps(_eval_record(1, "harbour")),
        '{"id": "doc-2", "text": "unterminated',
        "",                                                   # blank lines are skipped silently
        json.dumps(_eval_record(3, "bridge")),
        "[1, 2, 3]",                                          # valid JSON, not an object
        '{"id": "doc-5", "title": "no text here"}',
        json.dumps(_eval_record(6, "tunnel")),
        "not json at all",
    ]) + "\n", encoding="utf-8")
    docs, errors = read_paths([f], settings)
    assert [d.external_id for d in docs] == ["doc-1", "doc-3", "doc-6"]
    assert [d.locator for d in docs] == ["line 1", "line 4", "line 7"]
    reasons = [e.reason for e in errors]
    assert all(e.input == str(f) for e in errors)
    assert [r.split(":")[0] for r in reasons] == ["line 2", "line 5", "line 6", "line 8"], reasons
    assert isinstance(errors[0], MalformedInput) and "invalid JSON" in reasons[0]
    assert "expected a JSON object" in reasons[1]
    assert isinstance(errors[2], NoArticle) and "no text field" in reasons[2]
    assert "invalid JSON" in reasons[3]


def test_broken_lines_in_the_store(tmp_path, sqlite_url, settings):
    f = tmp_path / "mixed.jsonl"
    _write_jsonl(f, [_eval_record(1, "harbour")], raw_lines=['{"broken": '])
    report = rashomon.ingest([f], db=sqlite_url, settings=settings)
    assert report.new == 1
    (rej,) = report.rejected
    assert rej.kind == "malformed" and rej.input == str(f) and rej.reason.startswith("line 2: ")


def test_oversized_line_is_skipped(tmp_path, settings):
    f = tmp_path / "big.jsonl"
    _write_jsonl(f, [_eval_record(1, "x", text="word " * 5000), _eval_record(2, "railway")])
    docs, errors = read_paths([f], settings.replace(max_record_bytes=5000))
    assert [d.external_id for d in docs] == ["doc-2"]
    assert "line 1" in errors[0].reason and "max_record_bytes" in errors[0].reason


def test_first_records_without_text_name_the_mapping_problem(tmp_path, settings):
    f = tmp_path / "wrong.jsonl"
    _write_jsonl(f, [{"id": n, "article_body": article_text(f"t{n}")} for n in range(5)])
    docs, errors = read_paths([f], settings)
    assert docs == []
    assert any("article_body" in e.reason and "--field text=" in e.reason for e in errors), errors


# --- field mapping ---------------------------------------------------------------------------


def test_parse_field_map():
    assert parse_field_map(["text=body"]) == {"text": "body"}
    assert parse_field_map(["text = body", "published=date_publish"]) == {"text": "body", "published": "date_publish"}
    assert parse_field_map(None) == {}
    with pytest.raises(ConfigError, match="FIELD=KEY"):
        parse_field_map(["textbody"])
    with pytest.raises(ConfigError, match="unknown field 'txt'"):
        parse_field_map(["txt=body"])
    with pytest.raises(ConfigError, match="names no input key"):
        parse_field_map(["text="])


def test_field_mapping_overrides_the_aliases(tmp_path, settings):
    f = tmp_path / "custom.jsonl"
    _write_jsonl(f, [{"text": "A teaser only.", "body": article_text("harbour"), "when": "2024-11-27",
                      "paper": "Riverton Gazette", "date": "1999-01-01"}])
    docs, errors = read_paths([f], settings, field_map=["text=body", "published=when", "source=paper"])
    assert errors == []
    (doc,) = docs
    assert doc.text == article_text("harbour")
    assert doc.published == "2024-11-27" and doc.source == "Riverton Gazette"
    assert doc.extra["text"] == "A teaser only." and doc.extra["date"] == "1999-01-01"  # unmapped keys kept


def test_field_mapping_through_the_api(tmp_path, sqlite_url, settings):
    f = tmp_path / "custom.jsonl"
    _write_jsonl(f, [{"story_html": article_text("harbour"), "Outlet_Name": "Gazette"}])
    report = rashomon.ingest([f], db=sqlite_url, settings=settings,
                             field_map={"text": "story_html", "source": "outlet_name"})
    assert report.new == 1 and not report.rejected
    with rashomon.open_store(sqlite_url) as store:
        (row,) = store.articles()
    assert row["source"] == "Gazette"  # keys match case-insensitively


def test_mapped_text_field_missing_is_reported(tmp_path, settings):
    f = tmp_path / "custom.jsonl"
    _write_jsonl(f, [{"text": article_text("harbour")}])
    docs, errors = read_paths([f], settings, field_map=["text=body"])
    assert docs == [] and "body" in errors[0].reason


# --- CSV -------------------------------------------------------------------------------------


@pytest.mark.parametrize("delimiter,suffix", [(",", ".csv"), (";", ".csv"), ("\t", ".csv"), ("\t", ".tsv"), ("|", ".csv")])
def test_csv_delimiters_are_sniffed(tmp_path, settings, delimiter, suffix):
    import csv

    f = tmp_path / f"articles{suffix}"
    with open(f, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, delimiter=delimiter)
        w.writerow(["title", "text", "outlet", "date", "url"])
        # Texts full of the other delimiters, quotes and a line break inside a field.
        w.writerow(["Budget; vote, passed", article_text("harbour") + ' "quoted", a; b\tc\nsecond line',
                    "Gazette", "2024-11-27", "https://g.example/a"])
        w.writerow(["Bridge", article_text("bridge"), "Post", "2024-11-28", "https://p.example/b"])
    docs, errors = read_paths([f], settings)
    assert errors == []
    assert [d.title for d in docs] == ["Budget; vote, passed", "Bridge"]
    assert docs[0].text.endswith('"quoted", a; b\tc\nsecond line')
    assert [d.source for d in docs] == ["Gazette", "Post"]
    assert docs[1].published == "2024-11-28" and docs[1].url == "https://p.example/b"
    assert docs[0].locator == "line 2" and docs[0].format == "csv"


def test_csv_without_text_column_lists_the_columns(tmp_path, settings):
    f = tmp_path / "meta.csv"
    f.write_text("headline;outlet;published\nBudget;Gazette;2024-11-27\n", encoding="utf-8")
    docs, errors = read_paths([f], settings)
    assert docs == []
    (err,) = errors
    assert isinstance(err, NoArticle) and err.input == str(f)
    assert "['headline', 'outlet', 'published']" in err.reason
    assert "--field text=COLUMN" in err.reason


def test_csv_field_mapping(tmp_path, settings):
    f = tmp_path / "meta.csv"
    f.write_text(f"headline,article_body\nBudget,{article_text('harbour')}\n", encoding="utf-8")
    docs, errors = read_paths([f], settings, field_map=["text=article_body"])
    assert errors == [] and docs[0].text == article_text("harbour") and docs[0].title == "Budget"


def test_csv_ragged_row_is_reported_and_others_kept(tmp_path, settings):
    f = tmp_path / "ragged.csv"
    f.write_text(f"title,text\nA,{article_text('a')}\nB,{article_text('b')},extra,cells\nC,{article_text('c')}\n")
    docs, errors = read_paths([f], settings)
    assert [d.title for d in docs] == ["A", "C"]
    assert errors[0].reason.startswith("line 3:") and "more field" in errors[0].reason


def test_csv_in_cp1252(tmp_path, settings):
    f = tmp_path / "legacy.csv"
    f.write_bytes(f"title;text\nCafé “Müller” reopens;{article_text('café')}\n".encode("cp1252"))
    docs, errors = read_paths([f], settings)
    assert errors == [] and docs[0].title == "Café “Müller” reopens"


def test_empty_csv(tmp_path, settings):
    f = tmp_path / "empty.csv"
    f.write_text("\n\n")
    _, errors = read_paths([f], settings)
    assert isinstance(errors[0], NoArticle)


# --- JSON arrays -----------------------------------------------------------------------------


def test_timeline17_style_json_array(tmp_path, sqlite_url, settings):
    f = tmp_path / "articles.json"
    f.write_text(json.dumps([
        {"uid": "1842", "dct": "2010-01-12", "dates": ["2010-01-12", "2010-01-13"], "text": article_text("quake")},
        {"uid": "1843", "dct": "2010-01-14", "dates": [], "text": article_text("aid")},
    ]), encoding="utf-8")
    docs, errors = read_paths([f], settings)
    assert errors == []
    assert [(d.external_id, d.published, d.locator, d.format) for d in docs] == [
        ("1842", "2010-01-12", "item 1", "json"), ("1843", "2010-01-14", "item 2", "json")]
    assert docs[0].extra == {"dates": ["2010-01-12", "2010-01-13"]}
    report = rashomon.ingest([f], db=sqlite_url, settings=settings)
    assert report.new == 2 and not report.rejected


@pytest.mark.parametrize("wrapper", ["articles", "items", "data"])
def test_json_object_wrapping_a_list(tmp_path, settings, wrapper):
    f = tmp_path / "wrapped.json"
    f.write_text(json.dumps({"meta": {"n": 1}, wrapper: [_eval_record(1, "harbour")]}))
    docs, errors = read_paths([f], settings)
    assert errors == [] and docs[0].external_id == "doc-1"


def test_single_json_object(tmp_path, settings):
    f = tmp_path / "one.json"
    f.write_text(json.dumps(_eval_record(1, "harbour")))
    docs, _ = read_paths([f], settings)
    assert [d.external_id for d in docs] == ["doc-1"]


def test_invalid_json_file(tmp_path, settings):
    f = tmp_path / "bad.json"
    f.write_text('[{"text": "a"},\n {"text": ')
    docs, errors = read_paths([f], settings)
    assert docs == []
    assert isinstance(errors[0], MalformedInput) and "line 2" in errors[0].reason


def test_json_array_with_a_bad_item(tmp_path, settings):
    f = tmp_path / "mixed.json"
    f.write_text(json.dumps([_eval_record(1, "harbour"), "a string", _eval_record(3, "bridge")]))
    docs, errors = read_paths([f], settings)
    assert [d.external_id for d in docs] == ["doc-1", "doc-3"]
    assert errors[0].reason.startswith("item 2:")


def test_jsonl_sniffed_without_suffix(tmp_path, settings):
    f = tmp_path / "export.dat"
    _write_jsonl(f, [_eval_record(1, "harbour")])
    docs, errors = read_paths([f], settings)
    assert errors == [] and docs[0].format == "jsonl"
