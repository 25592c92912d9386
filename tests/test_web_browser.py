"""The pages in a real headless Chromium (the Debian package, driven by Python playwright).

A click on a citation must land on the cited words, in the static report and in the web app; a story whose
text, title, outlet and url carry script payloads must run none of them. Set RASHOMON_WEB_SHOTS to a folder
to keep screenshots of the seed story page there.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

import rashomon

from .test_web import PAYLOADS, LiveServer, seeded_store

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is in the test extra: pip install -e '.[test]'")

CHROMIUM = os.environ.get("RASHOMON_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update"]

if not shutil.which(CHROMIUM):
    pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium, or set RASHOMON_CHROMIUM)",
                allow_module_level=True)


@pytest.fixture(scope="module")
def seeded():
    return seeded_store()


@pytest.fixture(scope="module")
def live(seeded):
    with LiveServer(seeded.url) as server:
        yield server


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    # bypass_csp: the payloads must stay inert through escaping alone; the CSP header is a second wall,
    # checked over HTTP in tests/test_web.py.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    pg = context.new_page()
    pg.dialogs = []
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    pg.set_default_timeout(15_000)
    yield pg
    context.close()


def _in_viewport(pg, selector: str) -> bool:
    return pg.evaluate("""(sel) => { const r = document.querySelector(sel).getBoundingClientRect();
        return r.height > 0 && r.bottom > 0 && r.top < window.innerHeight; }""", selector)


def _click_and_check(pg, link) -> str:
    """Click a citation link; the element it names must be the :target and on screen."""
    fragment = link.get_attribute("href").split("#", 1)[1]
    link.click()
    pg.wait_for_function("(f) => location.hash === '#' + f", arg=fragment)
    assert pg.evaluate("() => document.querySelector(':target') && document.querySelector(':target').id") == fragment
    assert _in_viewport(pg, f"[id='{fragment}']"), f"#{fragment} is not in the viewport"
    return fragment


def test_a_citation_in_the_web_story_page_lands_on_the_cited_span(page, live, seeded):
    page.goto(f"{live.base}/stories/{seeded.seed_story}")
    doc = rashomon.story_document(seeded.seed_story, db=seeded.url)
    texts = {a["id"]: a["text"] for a in doc["articles"]}
    links = page.locator("#facts a.citation[href^='#a-']")
    assert links.count() > 0
    shots = os.environ.get("RASHOMON_WEB_SHOTS")
    for n in (0, links.count() - 1):  # the first citation and the last, in different articles or parts
        fragment = _click_and_check(page, links.nth(n))
        _, article_id, start, end = fragment.split("-")
        shown = page.inner_text(f"[id='{fragment}']")
        assert " ".join(shown.split()) == " ".join(texts[article_id][int(start):int(end)].split())
        if shots:
            Path(shots).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(shots) / f"story-cited-span-{n}.png"))
        page.evaluate("window.scrollTo(0, 0)")
    if shots:
        page.goto(f"{live.base}/stories/{seeded.seed_story}")
        page.screenshot(path=str(Path(shots) / "story-top.png"))
        page.screenshot(path=str(Path(shots) / "story-full.png"), full_page=True)
        page.goto(f"{live.base}/")
        page.screenshot(path=str(Path(shots) / "list.png"))


def test_a_brief_citation_in_the_static_report_lands_on_the_cited_span(page, seeded, tmp_path):
    doc = rashomon.story_document(seeded.seed_story, db=seeded.url)
    texts = {a["id"]: a["text"] for a in doc["articles"]}
    report = tmp_path / "report.html"
    report.write_text(rashomon.render_html(doc), encoding="utf-8")
    page.goto(report.as_uri())
    links = page.locator(".brief sup a[href^='#a-']")
    assert links.count() > 0
    # the cited text sits in a closed <details>: following the link must open it and show the span
    fragment = _click_and_check(page, links.last)
    _, article_id, start, end = fragment.split("-")
    shown = page.inner_text(f"[id='{fragment}']")
    assert " ".join(shown.split()) == " ".join(texts[article_id][int(start):int(end)].split())


def test_script_payloads_in_articles_run_nowhere(page, live, seeded):
    urls = [f"{live.base}/stories/{seeded.hostile_story}", f"{live.base}/articles/{seeded.hostile_article}",
            f"{live.base}/", f"{live.base}/?q={PAYLOADS[0]}&source={PAYLOADS[2]}"]
    for url in urls:
        page.goto(url)
        page.wait_for_load_state("load")
        assert page.evaluate("typeof window.__pwned") == "undefined", url
        injected = page.evaluate("""() => ({
            scripts: document.querySelectorAll('script, img, svg:not(.map), iframe, object, embed').length,
            handlers: [...document.querySelectorAll('*')].filter(e => [...e.attributes].some(
                a => a.name.startsWith('on'))).length,
            jsLinks: [...document.querySelectorAll('a[href]')].filter(
                a => a.href.trim().toLowerCase().startsWith('javascript:')).length })""")
        assert injected == {"scripts": 0, "handlers": 0, "jsLinks": 0}, (url, injected)
    # the payloads are on the page as text, and clicking around the hostile article runs nothing either
    page.goto(f"{live.base}/articles/{seeded.hostile_article}")
    assert "<script>window.__pwned=1;alert(1)</script>" in page.inner_text("body")
    page.get_by_text("click me").first.click()
    page.locator("a.citation").first.click() if page.locator("a.citation").count() else None
    page.wait_for_timeout(200)
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.dialogs == []
