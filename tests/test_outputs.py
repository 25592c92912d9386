"""The analysis document, its schema, and the Markdown and HTML reports."""

from __future__ import annotations

import copy
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

import rashomon
from rashomon import OutputError, render_html, render_markdown, validate_document

from .conftest import EXAMPLES, ROOT, article_text


@pytest.fixture
def aleppo_doc(sqlite_url, monkeypatch):
    monkeypatch.chdir(ROOT)
    return rashomon.analyze(["examples/aleppo-2024"], db=sqlite_url)


def valid_story() -> dict:
    """A story using every part of the schema that has an enum or a required key."""
    return {
        "id": "s1", "title": "Aleppo offensive", "article_ids": ["a", "b"],
        "claims": [{"id": "c1", "text": "Rebels entered Aleppo.", "status": "corroborated",
                    "independent_sources": 2,
                    "sources": [{"article_id": "a", "quote": "surged into Aleppo", "start": 0, "end": 18}]}],
        "conflicts": [{"id": "k1", "kind": "number", "topic": "casualties", "sides": [
            {"value": "20", "normalized": 20, "article_ids": ["a"], "quotes": ["20 killed"]},
            {"value": "30", "normalized": 30, "article_ids": ["b"], "quotes": ["30 killed"]}]}],
        "timeline": [{"date": "2024-11-27", "precision": "day", "text": "Offensive begins", "article_ids": ["a"]}],
    }


# -- the document -------------------------------------------------------------------------
def test_analyze_returns_a_valid_document_for_the_seed_articles(aleppo_doc):
    doc = aleppo_doc
    validate_document(doc)  # raises on any schema violation
    assert doc["schema"] == "rashomon.analysis/1"
    assert doc["generator"] == {"name": "rashomon", "version": rashomon.__version__}
    assert doc["summary"]["inputs"] == 5 and doc["summary"]["articles"] == 5
    assert doc["summary"]["rejected"] == 0 and doc["rejected"] == []
    assert len(doc["articles"]) == 5
    assert len({a["id"] for a in doc["articles"]}) == 5
    on_disk = {p.name: p.read_text(encoding="utf-8") for p in EXAMPLES.glob("*.txt")}
    assert len(on_disk) == 5
    seen = set()
    for a in doc["articles"]:
        path = Path(a["path"])
        assert a["path"].startswith("examples/aleppo-2024/"), a["path"]
        assert (ROOT / path).resolve().parent == EXAMPLES.resolve()
        seen.add(path.name)
        assert [o["input"] for o in a["origins"]] == [a["path"]]
        assert a["origins"][0]["format"] == "txt"
        assert a["language"] == "en"
        assert a["word_count"] > 300
        # the stored text is the file's text (less a headline split off as title)
        assert " ".join(a["text"].split()[:12]) in " ".join(on_disk[path.name].split())
    assert seen == set(on_disk)


def test_the_schema_rejects_broken_documents_and_names_the_place(aleppo_doc):
    doc = copy.deepcopy(aleppo_doc)
    doc["stories"] = [valid_story()]
    validate_document(doc)  # the baseline is valid: each failure below comes from one change

    def fails(mutate, *expected: str) -> str:
        broken = copy.deepcopy(doc)
        mutate(broken)
        with pytest.raises(OutputError) as info:
            validate_document(broken)
        message = str(info.value)
        for part in expected:
            assert part in message, f"{part!r} not in {message!r}"
        return message

    fails(lambda d: d.pop("articles"), "'articles' is a required property", "rashomon.analysis/1")
    fails(lambda d: d.pop("stories"), "'stories' is a required property")
    fails(lambda d: d.update(schema="rashomon.analysis/2"), "at /schema")
    fails(lambda d: d["articles"][2].pop("id"), "at /articles/2", "'id' is a required property")
    fails(lambda d: d["articles"][0].update(published="last Tuesday"), "at /articles/0/published")
    fails(lambda d: d["articles"][1].update(published_precision="week"), "at /articles/1/published_precision")
    fails(lambda d: d["stories"][0]["claims"][0].update(status="confirmed"),
          "at /stories/0/claims/0/status", "'confirmed'")
    fails(lambda d: d["stories"][0]["conflicts"][0].update(kind="opinion"),
          "at /stories/0/conflicts/0/kind", "'opinion'")
    fails(lambda d: d["stories"][0]["conflicts"][0]["sides"].pop(), "at /stories/0/conflicts/0/sides")
    fails(lambda d: d["stories"][0]["timeline"][0].update(precision="week"), "at /stories/0/timeline/0/precision")
    fails(lambda d: d["rejected"].append({"input": "x.txt", "reason": ""}), "at /rejected/0/reason")

    # several problems: each is listed with its own place
    message = fails(lambda d: (d["articles"][4].pop("quality"),
                               d["stories"][0]["claims"][0].update(status="maybe")),
                    "at /articles/4", "at /stories/0/claims/0/status")
    assert message.count("\n  at /") == 2


# -- Markdown -----------------------------------------------------------------------------
def test_markdown_lists_every_article(aleppo_doc):
    md = render_markdown(aleppo_doc)
    assert md.startswith("# Rashomon analysis\n")
    rows = [line for line in md.splitlines() if re.match(r"^\| \d+ \| `", line)]
    assert len(rows) == 5
    for a in aleppo_doc["articles"]:
        assert sum(f"`{a['id']}`" in row for row in rows) == 1, a["id"]
        if a["title"]:
            assert a["title"] in md
        else:
            assert " ".join(a["text"].split()[:6]) in md
    assert "5 article(s) from 5 input(s)" in md


def test_markdown_keeps_table_cells_intact(sqlite_url, tmp_path):
    (tmp_path / "pipe.txt").write_text("---\ntitle: 'Left | right\nsplit'\nsource: 'A|B'\n---\n"
                                       + article_text("harbour"), encoding="utf-8")
    doc = rashomon.analyze([tmp_path], db=sqlite_url)
    md = render_markdown(doc)
    (row,) = [line for line in md.splitlines() if line.startswith("| 1 |")]
    assert row.count(" | ") == 7  # eight cells: the pipes in the values are escaped
    assert "Left \\| right split" in row and "A\\|B" in row


# -- HTML ---------------------------------------------------------------------------------
class _Collect(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.styles.append(data)


def parse(html: str) -> _Collect:
    parser = _Collect()
    parser.feed(html)
    parser.close()
    return parser


_EXTERNAL = re.compile(r"^\s*(https?:|//|ftp:|data:text/html|javascript:)", re.I)


def assert_self_contained(html: str) -> _Collect:
    parsed = parse(html)
    names = [t for t, _ in parsed.tags]
    assert "script" not in names
    assert not {"iframe", "object", "embed", "base", "img", "video", "audio", "source", "form"} & set(names)
    for tag, attrs in parsed.tags:
        if tag == "link":
            raise AssertionError(f"<link> in a self-contained report: {attrs}")
        for name, value in attrs.items():
            assert not name.startswith("on"), f"event handler {name} on <{tag}>"
            if name in ("src", "href", "srcset", "action", "poster", "background", "data", "formaction"):
                assert value is not None and not _EXTERNAL.match(value), f"<{tag} {name}={value!r}>"
                if name == "href":
                    assert value.startswith("#"), f"<{tag} href={value!r}> leaves the page"
            if name == "style":
                assert "url(" not in value.replace(" ", "").lower()
    css = "".join(parsed.styles).lower()
    assert "@import" not in css
    for ref in re.findall(r"url\(\s*['\"]?([^)'\"]*)", css):
        assert not _EXTERNAL.match(ref), ref
    metas = [a for t, a in parsed.tags if t == "meta" and (a.get("http-equiv") or "").lower() == "content-security-policy"]
    assert metas and "default-src 'none'" in metas[0]["content"]
    return parsed


def test_html_report_is_one_self_contained_file(aleppo_doc):
    html = render_html(aleppo_doc)
    assert html.lstrip().lower().startswith("<!doctype html>")
    assert_self_contained(html)
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", html, re.I)
    assert not re.search(r"url\(\s*['\"]?\s*(https?:)?//", html, re.I)
    for a in aleppo_doc["articles"]:
        assert f'id="article-{a["id"]}"' in html
        assert f'href="#article-{a["id"]}"' in html
        # each article's text is in the report (escaped as HTML would show it; highlights cut it into marks)
        first = a["text"].split("\n")[0][:80]
        plain = re.sub(r"<mark [^>]*>|</mark>", "", html)
        assert first.replace("&", "&amp;").replace("'", "&#39;").replace('"', "&#34;") in plain
    assert '<mark class="label"' in html and '<mark class="loaded' in html
    assert "How each source names the actors" in html


PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "<a href=\"javascript:alert(1)\">click</a>",
    "<link rel=stylesheet href=https://evil.example/x.css>",
    "<style>body{background:url(https://evil.example/x.png)}</style>",
]


def test_html_escapes_hostile_article_content(sqlite_url, tmp_path):
    hostile = " ".join(PAYLOADS)
    body = f"{hostile}\n\n{article_text('harbour')}\n\nClosing line {hostile}"
    (tmp_path / "hostile.txt").write_text(
        "---\n"
        f"title: {hostile!r}\n"
        f"source: {PAYLOADS[1]!r}\n"
        f"author: {PAYLOADS[2]!r}\n"
        "published: '<script>alert(2)</script>'\n"
        "---\n" + body, encoding="utf-8")
    odd_name = tmp_path / '"><svg onload=alert(3)>.txt'
    odd_name.write_text(article_text("orchard") + " <script>alert(4)</script>", encoding="utf-8")
    doc = rashomon.analyze([tmp_path], db=sqlite_url)
    assert len(doc["articles"]) == 2
    hostile_article = next(a for a in doc["articles"] if a["title"])
    assert "<script>alert(1)</script>" in hostile_article["text"]  # stored as given
    assert any(f["kind"] == "date_unknown" and "<script>" in f["evidence"]
               for f in hostile_article["quality"]["flags"])

    html = render_html(doc)
    parsed = assert_self_contained(html)
    assert [t for t, _ in parsed.tags].count("style") == 1  # only the report's own stylesheet
    assert "<script" not in html.lower()
    assert "<img" not in html.lower() and "<svg" not in html.lower()
    assert "evil.example" not in "".join(parsed.styles)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "&lt;svg onload=alert(3)&gt;" in html  # the file name, shown as an origin
    assert "&lt;script&gt;alert(4)&lt;/script&gt;" in html
