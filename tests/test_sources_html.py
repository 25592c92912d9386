"""HTML pages: trafilatura extraction, <meta>/Open Graph fallback, raw hash, charsets."""

from __future__ import annotations

import hashlib

import pytest
from types import SimpleNamespace

import rashomon
from rashomon.errors import NoArticle
from rashomon.sources import html as html_mod
from rashomon.sources.html import declared_charset, extract_html, html_to_text

from .sourcehelpers import read_one, read_paths

PARAS = [
    "Officials in the city of Riverton said on Tuesday that the council had approved a new budget "
    "after a long and heated debate about schools, roads and public safety.",
    "Residents packed the council chamber to ask questions about taxes, and the mayor promised a "
    "detailed report next month explaining every change that was made to the plan.",
    "Opposition members argued that the budget cut too deeply into library funding, while "
    "supporters said the savings were needed to repair ageing bridges across the river.",
    "The vote was seven to four, and the new budget takes effect on the first of January, "
    "according to a statement published by the city clerk late on Tuesday evening.",
]

PAGE = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Council approves budget after long debate | Riverton Gazette</title>
<meta property="og:site_name" content="Riverton Gazette">
<meta property="og:title" content="Council approves budget after long debate">
<meta name="author" content="Jane Reporter">
<meta property="article:published_time" content="2024-11-27T09:30:00+00:00">
<link rel="canonical" href="https://gazette.example/news/budget">
<script>window.dataLayer = [{{"page": "article"}}];</script>
<style>body {{ font-family: serif; }}</style>
</head><body>
<header><nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a>
<a href="/subscribe">Subscribe for unlimited access to every story today</a></nav></header>
<main><article>
<h1>Council approves budget after long debate</h1>
<p class="byline">By Jane Reporter</p>
{''.join(f'<p>{p}</p>' for p in PARAS)}
</article></main>
<aside><h3>Most read</h3><ul><li><a href="/a">Storm hits the coast overnight</a></li>
<li><a href="/b">Local team wins the cup final</a></li></ul></aside>
<footer><p>Copyright 2019 Riverton Gazette. All rights reserved. Cookie policy and terms.</p></footer>
</body></html>"""


def test_trafilatura_extracts_text_and_metadata(tmp_path, settings):
    f = tmp_path / "budget.html"
    f.write_text(PAGE, encoding="utf-8")
    doc = read_one(f, settings)
    assert doc.format == "html" and doc.path == str(f)
    assert doc.title == "Council approves budget after long debate"
    assert doc.source == "Riverton Gazette"
    assert doc.author == "Jane Reporter"
    assert doc.published == "2024-11-27T09:30:00+00:00"
    assert doc.url == "https://gazette.example/news/budget"
    for p in PARAS:
        assert p in doc.text
    # Boilerplate stays out: navigation, sidebar, footer, scripts.
    for junk in ("Subscribe", "Most read", "Storm hits", "Copyright", "dataLayer", "font-family"):
        assert junk not in doc.text, junk
    assert not doc.text.startswith("Council approves budget")  # title not repeated in the text


def test_raw_hash_is_sha256_of_the_bytes(tmp_path, settings):
    data = PAGE.encode("utf-8")
    f = tmp_path / "budget.html"
    f.write_bytes(data)
    doc = read_one(f, settings)
    assert doc.raw_hash == hashlib.sha256(data).hexdigest()
    # A change in the markup only changes raw_hash, not the text.
    other = extract_html(data.replace(b"font-family: serif", b"font-family: sans-serif"), "b.html")
    assert other.raw_hash != doc.raw_hash and other.text == doc.text


def test_raw_hash_reaches_the_store(tmp_path, sqlite_url, settings):
    f = tmp_path / "budget.html"
    f.write_text(PAGE, encoding="utf-8")
    report = rashomon.ingest([f], db=sqlite_url, settings=settings)
    assert report.new == 1
    with rashomon.open_store(sqlite_url) as store:
        (row,) = store.articles()
    assert row["raw_hash"] == hashlib.sha256(PAGE.encode()).hexdigest()
    assert row["published"] == "2024-11-27T09:30:00+00:00"
    assert row["language"] == "en"


def test_meta_tags_fill_in_when_trafilatura_finds_no_metadata(monkeypatch):
    page = f"""<html><head>
    <meta property="og:title" content="Bridge repairs begin downtown">
    <meta property="og:site_name" content="Metro Daily">
    <meta name="dc.creator" content="Sam Writer">
    <meta property="article:published_time" content="2024-10-01T08:00:00+02:00">
    <meta property="og:url" content="https://metro.example/bridge">
    <meta property="og:locale" content="en_GB">
    <title>Ignored when og:title exists</title>
    </head><body><div>{''.join(f'<p>{p}</p>' for p in PARAS[:3])}</div></body></html>"""
    calls = []

    def no_metadata(tree, **kwargs):  # trafilatura finding text but none of the metadata
        calls.append(kwargs)
        found = {"text": "\n".join(PARAS[:3]), "title": None, "author": None, "date": None,
                 "sitename": None, "url": None}
        return SimpleNamespace(as_dict=lambda: found)  # trafilatura's Document

    monkeypatch.setattr(html_mod.trafilatura, "bare_extraction", no_metadata)
    doc = extract_html(page.encode(), "bridge.html")
    assert calls, "trafilatura was not asked"
    assert doc.title == "Bridge repairs begin downtown"
    assert doc.source == "Metro Daily"
    assert doc.author == "Sam Writer"
    assert doc.published == "2024-10-01T08:00:00+02:00"
    assert doc.url == "https://metro.example/bridge"
    assert doc.language == "en_GB"
    assert doc.text == "\n".join(PARAS[:3])


def test_paragraphs_and_title_tag_when_trafilatura_finds_nothing(monkeypatch):
    page = ("<html><head><title>Plain page title</title></head><body>"
            "<p>Short.</p>" + "".join(f"<p>{p}</p>" for p in PARAS[:2]) + "</body></html>")
    monkeypatch.setattr(html_mod.trafilatura, "bare_extraction", lambda tree, **kw: None)
    doc = extract_html(page.encode(), "plain.html")
    assert doc.title == "Plain page title"
    assert doc.text == "\n".join(PARAS[:2])  # paragraphs under five words are dropped
    assert doc.source is None and doc.author is None and doc.published is None


def test_meta_description_is_the_last_resort(monkeypatch):
    desc = "A summary of the council budget vote, the debate that preceded it and what changes next year."
    page = f'<html><head><meta name="description" content="{desc}"></head><body><div></div></body></html>'
    monkeypatch.setattr(html_mod.trafilatura, "bare_extraction", lambda tree, **kw: None)
    assert extract_html(page.encode(), "d.html").text == desc


def test_copyright_year_is_not_a_publication_date():
    """No date on the page but a copyright year: the date stays unknown, it is not guessed."""
    page = ("<html><head><title>Bridge repairs begin downtown</title></head><body><article>"
            + "".join(f"<p>{p}</p>" for p in PARAS)
            + "</article><footer><p>Copyright 2019 Metro Daily. All rights reserved.</p></footer></body></html>")
    doc = extract_html(page.encode(), "nodate.html")
    assert doc.published is None


@pytest.mark.parametrize("page", [
    b"<html><head><title>Gallery</title></head><body><img src='a.jpg'><img src='b.jpg'></body></html>",
    b"<html><head><script>var x = 1;</script></head><body><div></div></body></html>",
    b"<!DOCTYPE html><html><body>   </body></html>",
    b"   \n  ",
])
def test_page_without_article_raises_no_article_naming_the_input(page):
    with pytest.raises(NoArticle) as info:
        extract_html(page, "gallery.html")
    assert info.value.input == "gallery.html"
    assert str(info.value).startswith("gallery.html: ")


def test_navigation_only_page_is_rejected_at_ingest(tmp_path, sqlite_url, settings):
    f = tmp_path / "nav.html"
    f.write_text("<html><head><title>Index</title></head><body><nav><a href='/'>Home</a>"
                 "<a href='/news'>News</a></nav></body></html>")
    report = rashomon.ingest([f], db=sqlite_url, settings=settings)
    assert report.new == 0
    (rej,) = report.rejected
    assert rej.kind == "no_article" and rej.input == str(f)


def test_charset_from_meta_charset(tmp_path, settings):
    text = "Le café «Chez Müller» a rouvert – «c’est très bien», dit le maire de Riverton. " * 3
    page = (f'<html><head><meta charset="windows-1252"><title>Le café rouvre</title></head>'
            f"<body><article><p>{text}</p><p>{PARAS[0]}</p></article></body></html>")
    f = tmp_path / "cafe.html"
    f.write_bytes(page.encode("cp1252"))
    doc = read_one(f, settings)
    assert "Le café «Chez Müller» a rouvert – «c’est très bien»" in doc.text
    assert doc.title == "Le café rouvre"
    assert any("windows-1252" in n for n in doc.notes)


def test_charset_from_http_equiv():
    text = "Ελληνικά νέα: το δημοτικό συμβούλιο ενέκρινε τον νέο προϋπολογισμό μετά από μακρά συζήτηση. " * 2
    page = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-7">'
            f"</head><body><article><p>{text}</p></article></body></html>").encode("iso-8859-7")
    assert declared_charset(page) == "iso-8859-7"
    doc = extract_html(page, "greek.html")
    assert text.strip() in doc.text


def test_charset_argument_beats_the_meta_tag():
    text = "Der Bürgermeister begrüßte die Entscheidung über den Haushalt für das nächste Jahr. " * 3
    page = ('<html><head><meta charset="utf-8"></head><body><article><p>'
            f"{text}</p></article></body></html>").encode("latin-1")
    doc = extract_html(page, "de.html", charset="iso-8859-1")
    assert text.strip() in doc.text


def test_manifest_overrides_what_the_page_says(tmp_path, settings):
    f = tmp_path / "budget.html"
    f.write_text(PAGE, encoding="utf-8")
    (tmp_path / "manifest.csv").write_text("file,outlet,published\nbudget.html,Gazette (print),2024-11-28\n")
    doc = read_one(f, settings)
    assert doc.source == "Gazette (print)" and doc.published == "2024-11-28"
    assert doc.author == "Jane Reporter"  # not in the manifest: the page's own value stays


def test_html_sniffed_without_suffix(tmp_path, settings):
    f = tmp_path / "saved_page"
    f.write_text("<!-- saved -->\n" + PAGE, encoding="utf-8")
    doc = read_one(f, settings)
    assert doc.format == "html" and doc.title == "Council approves budget after long debate"


def test_html_to_text_for_feed_fragments():
    assert html_to_text("plain words") == "plain words"
    assert html_to_text("<p>One para.</p><p>Two <b>bold</b> para.</p>") == "One para.\nTwo bold para."
    assert html_to_text("line one<br>line two") == "line one\nline two"
