"""The web app: the stored stories as pages and as JSON, read-only.

``create_app(settings)`` serves the store ``settings.db`` names:

- ``/`` the stories, with search and filters; ``/stories/{id}`` one story with the sections of the HTML
  report and citations that link to the cited words; ``/articles/{id}`` one article;
- ``/api/stories``, ``/api/stories/{id}`` (the analysis document, schema ``rashomon.analysis/1``) and
  ``/api/articles/{id}``; ``/api/changes?since=ISO`` what ``rashomon watch`` changed in stories since then;
- "since your last visit": a cookie holding the visitor's previous visit (see visits.py) marks, on the list
  and story pages, the stories, articles and conflicts a watch added since; ``?changed=1`` lists only those;
- errors as ``{"error": {"status", "message"}}`` under ``/api/`` (and for any refused method), as a page
  elsewhere.

Nothing is loaded from the network: no CDN assets, no OpenAPI pages.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import math
import time
from contextlib import asynccontextmanager
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from jinja2 import Environment, PackageLoader, select_autoescape
from sqlalchemy.engine import make_url
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..errors import ConfigError, NotFound, RashomonError
from ..settings import Settings
from ..storage import stories as story_db
from ..storage.store import normalise_url
from .cache import DocumentCache, RecentAnswers, file_stamp, story_stamp
from ..watch.changes import change_counts, changes_since, conflict_key, describe_counts
from .guard import Guard
from .views import article_view, story_view
from .visits import COOKIE_MAX_AGE, VISIT_COOKIE, Visit, read_visit

__all__ = ["create_app", "StoryFilters", "parse_filters", "PER_PAGE", "MAX_PER_PAGE", "CACHE_STORIES", "LIST_TTL"]

log = logging.getLogger("rashomon.web")

PER_PAGE = 25
MAX_PER_PAGE = 100
MAX_QUERY_CHARS = 200
MAX_QUERY_WORDS = 8
# Stories whose document and pages stay in memory; one is a few megabytes at most for a story of tens of
# articles, most of it the article texts and readings.
CACHE_STORIES = 32
# Seconds a story list answer is reused for the same query (see cache.RecentAnswers).
LIST_TTL = 2.0

_HTML = "text/html; charset=utf-8"
_JSON = "application/json"


def _safe_href(url: Any) -> str | None:
    """A link target only for http(s) URLs: an article's url is untrusted (``javascript:`` and the like)."""
    if not isinstance(url, str):
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else None


_env = Environment(loader=PackageLoader("rashomon.web", "templates"), autoescape=select_autoescape(["html", "j2"]),
                   trim_blocks=True, lstrip_blocks=True)
_env.filters["safe_href"] = _safe_href


def _page(template: str, **context: Any) -> bytes:
    return _env.get_template(template).render(**context).encode("utf-8")


@dataclass(frozen=True)
class StoryFilters:
    """The list's query: ``q`` words (all must appear in a story's title or a member's title or text),
    an outlet name part, a date range the story's span must meet, disputed stories only, and the page."""

    q: str | None = None
    source: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    disputed: bool = False
    changed: bool = False        # only stories a watch changed since the visitor's last visit
    page: int = 1
    per_page: int = PER_PAGE

    @property
    def words(self) -> list[str]:
        return (self.q or "").split()

    @property
    def active(self) -> bool:
        return bool(self.q or self.source or self.date_from or self.date_to or self.disputed or self.changed)

    def query(self, **changes: Any) -> str:
        """This query as URL parameters (empty ones left out), with ``changes`` applied."""
        values = {"q": self.q, "source": self.source, "date_from": self.date_from, "date_to": self.date_to,
                  "disputed": "1" if self.disputed else None, "changed": "1" if self.changed else None,
                  "page": self.page,
                  "per_page": self.per_page if self.per_page != PER_PAGE else None, **changes}
        return urlencode({k: str(v) for k, v in values.items() if v not in (None, "")})


def _text(params: dict[str, str], name: str) -> str | None:
    value = (params.get(name) or "").strip()
    if len(value) > MAX_QUERY_CHARS:
        raise ConfigError(f"query parameter {name!r} is {len(value)} characters long; at most {MAX_QUERY_CHARS}")
    return value or None


def _date(params: dict[str, str], name: str) -> dt.date | None:
    value = _text(params, name)
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ConfigError(f"query parameter {name!r} is {value!r}; expected a date as YYYY-MM-DD") from None


def _int(params: dict[str, str], name: str, default: int, lo: int, hi: int) -> int:
    value = _text(params, name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ConfigError(f"query parameter {name!r} is {value!r}; expected a whole number") from None
    if not lo <= number <= hi:
        raise ConfigError(f"query parameter {name!r} is {number}; expected {lo} to {hi}")
    return number


def _flag(params: dict[str, str], name: str) -> bool:
    value = (_text(params, name) or "0").lower()
    if value not in ("0", "1", "true", "false", "on", "off", "yes", "no"):
        raise ConfigError(f"query parameter {name!r} is {value!r}; expected 1 or 0")
    return value in ("1", "true", "on", "yes")


def _since_param(params: dict[str, str]) -> dt.datetime:
    value = _text(params, "since")
    if value is None:
        raise ConfigError("query parameter 'since' is missing; give a time as ISO 8601, e.g. "
                          "since=2025-03-08T12:00:00Z")
    try:
        when = dt.datetime.fromisoformat(value.replace("Z", "+00:00").replace(" ", "+"))
    except ValueError:
        raise ConfigError(f"query parameter 'since' is {value!r}; expected a time as ISO 8601, e.g. "
                          "2025-03-08T12:00:00Z") from None
    return when.replace(tzinfo=dt.timezone.utc) if when.tzinfo is None else when.astimezone(dt.timezone.utc)


def parse_filters(params: dict[str, str]) -> StoryFilters:
    """The list filters from query parameters; empty ones (as an HTML form sends them) mean "any".
    Raises ConfigError, naming the parameter, for a value that cannot be read."""
    q = _text(params, "q")
    if q and len(q.split()) > MAX_QUERY_WORDS:
        raise ConfigError(f"query parameter 'q' has {len(q.split())} words; at most {MAX_QUERY_WORDS}")
    filters = StoryFilters(q=q, source=_text(params, "source"), date_from=_date(params, "date_from"),
                           date_to=_date(params, "date_to"), disputed=_flag(params, "disputed"),
                           changed=_flag(params, "changed"),
                           page=_int(params, "page", 1, 1, 1_000_000),
                           per_page=_int(params, "per_page", PER_PAGE, 1, MAX_PER_PAGE))
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        raise ConfigError(f"date_from {filters.date_from} is after date_to {filters.date_to}")
    return filters


def _day(date: dt.date | None) -> int | None:
    return None if date is None else (date - dt.date(1970, 1, 1)).days


def _day_iso(day: int | None) -> str | None:
    return None if day is None else (dt.date(1970, 1, 1) + dt.timedelta(days=day)).isoformat()


def _check_store(settings: Settings) -> None:
    """The app only reads: a store that does not exist yet is a mistake, not something to create."""
    url = make_url(normalise_url(settings.db))
    if url.get_backend_name() == "sqlite":
        if not url.database or url.database == ":memory:":
            raise ConfigError(f"store {settings.db!r} is in memory, so it holds nothing to serve; "
                              "give a file, e.g. --db out/demo.db")
        if not Path(url.database).expanduser().is_file():
            raise ConfigError(f"no store at {url.database!r}; fill one first, e.g. "
                              f"`rashomon analyze FOLDER --db {settings.db}`")


def create_app(settings: Settings, *, cache_stories: int = CACHE_STORIES, list_ttl: float = LIST_TTL) -> FastAPI:
    """The web app over the store ``settings.db`` (which must exist); see the module doc for the routes.
    ``cache_stories``: stories whose pages stay in memory; ``list_ttl``: seconds a list answer is reused."""
    from .. import api

    _check_store(settings)
    store = api.open_store(settings=settings)
    cache = DocumentCache(cache_stories)
    recent = RecentAnswers(list_ttl)
    outlets = None
    if settings.outlets_file:
        from ..framing.outlets import load_outlets

        outlets = load_outlets(settings.outlets_file)  # a bad file is reported at start, not per request

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        yield
        store.close()

    app = FastAPI(title="Rashomon", version=__version__, docs_url=None, redoc_url=None, openapi_url=None,
                  lifespan=lifespan)
    app.state.store, app.state.cache, app.state.settings = store, cache, settings

    def stamp_of(story_id: str) -> str | None:
        return story_stamp(store, story_id, extra=file_stamp(settings.outlets_file))

    def build(story_id: str, stamp: str) -> tuple[str, dict[str, Any]]:
        doc = api.story_document(story_id, settings=settings)
        after = stamp_of(story_id)
        if after is None:
            raise NotFound(f"no story {story_id!r}: it left the store while its page was built")
        if after == stamp:
            return stamp, doc
        # Building stored the story's judged blocks or readings; build again from what is stored now, and
        # keep it only if nothing else moved meanwhile.
        doc = api.story_document(story_id, settings=settings)
        again = stamp_of(story_id)
        return (again if again == after else ""), doc

    def story_entry(story_id: str):
        stamp = stamp_of(story_id)
        if stamp is None:
            raise NotFound(f"no story {story_id!r} in this store; the list at / shows them")
        return cache.get(story_id, stamp, lambda: build(story_id, stamp))

    def article_doc(article_id: str) -> tuple[dict[str, Any], Any]:
        """The document an article is shown from: its story's (cached), or one of its own when in no story."""
        with store.begin() as conn:
            story_id = story_db.story_ids_for(conn, [article_id]).get(article_id)
        if story_id is not None:
            entry = story_entry(story_id)
            if any(a["id"] == article_id for a in entry.doc["articles"]):
                return entry.doc, entry
        rows = store.articles([article_id])
        if not rows:
            raise NotFound(f"no article {article_id!r} in this store")
        from ..models import IngestReport
        from ..nlp import ensure_analyses
        from ..output import build_document

        analyses = ensure_analyses(store, rows, n_process=1)
        doc = build_document(store, IngestReport(article_ids=[article_id], unchanged=1), version=__version__,
                             analyses=analyses, outlets=outlets)
        return doc, None

    def render_error(status: int, path: str, message: str) -> tuple[bytes, str]:
        if status == 405 or path.startswith("/api/") or path == "/api":
            return _json_bytes({"error": {"status": status, "message": message}}), _JSON
        return _page("error.html.j2", status=status, reason=HTTPStatus(status).phrase, message=message), _HTML

    def error(request: Request, status: int, message: str) -> Response:
        body, media = render_error(status, request.url.path, message)
        return Response(body, status_code=status, media_type=media)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = (f"no page at {request.url.path}" if exc.status_code == 404
                   else str(exc.detail or HTTPStatus(exc.status_code).phrase))
        return error(request, exc.status_code, message)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        problems = "; ".join(f"{'.'.join(map(str, e.get('loc', ())))}: {e.get('msg')}" for e in exc.errors())
        return error(request, 422, f"invalid request: {problems}")

    @app.exception_handler(RashomonError)
    async def rashomon_error(request: Request, exc: RashomonError) -> Response:
        if isinstance(exc, NotFound):
            return error(request, 404, str(exc))
        if isinstance(exc, ConfigError):
            return error(request, 422, str(exc))
        log.error("%s on %s: %s", type(exc).__name__, request.url.path, exc)
        return error(request, 500, f"the server could not build this answer ({type(exc).__name__}); "
                                   "its log has the details")

    def find(f: StoryFilters, since: dt.datetime | None) -> tuple[int, list[dict[str, Any]]]:
        total, rows = story_db.find_stories(store, words=f.words, source=f.source, from_day=_day(f.date_from),
                                            to_day=_day(f.date_to), disputed=f.disputed, limit=f.per_page,
                                            offset=(f.page - 1) * f.per_page,
                                            changed_since=since if f.changed else None)
        for r in rows:
            r["first_date"], r["last_date"] = _day_iso(r.pop("first_day")), _day_iso(r.pop("last_day"))
        return total, rows

    def list_context(params: dict[str, str], visit: Visit) -> dict[str, Any]:
        f = parse_filters(params)
        # A first visit has nothing to compare with: "changed since" then means since now, i.e. nothing.
        since = visit.since_utc or dt.datetime.fromtimestamp(visit.seen, dt.timezone.utc)
        key = (f, since) if f.changed else f   # the answer depends on the visit only when filtered by it
        total, rows = recent.get(key, lambda: find(f, since))
        pages = max(1, math.ceil(total / f.per_page))
        changed = change_counts(store, visit.since_utc) if visit.since is not None else {}
        # Copies: the rows may be a cached answer that other visitors' requests are reading.
        rows = [{**r, "changed": describe_counts(changed.get(r["id"], {}))} for r in rows]
        return {"filters": f, "total": total, "stories": rows, "page": f.page, "pages": pages,
                "per_page": f.per_page, "since": visit.since_utc, "changed_count": len(changed)}

    def visit_of(request: Request) -> Visit:
        return read_visit(request.cookies.get(VISIT_COOKIE), time.time())

    def personal(response: Response, visit: Visit) -> Response:
        """Mark a page as made for this visitor, and move their visit on."""
        response.set_cookie(VISIT_COOKIE, visit.cookie, max_age=COOKIE_MAX_AGE, path="/", httponly=True,
                            samesite="lax")
        response.headers["cache-control"] = "private, no-cache"
        response.headers["vary"] = "Cookie"
        return response

    def story_marks(story_id: str, doc: dict[str, Any], visit: Visit) -> dict[str, Any]:
        """The articles and conflicts of ``doc`` a watch added since the visitor's last visit."""
        if visit.since is None:
            return {"new_article_ids": set(), "new_conflict_ids": set(), "changed": ""}
        found = changes_since(store, visit.since_utc, story_ids=[story_id])
        articles = {c["ref"] for c in found if c["kind"] == "new_article"}
        keys = {c["ref"] for c in found if c["kind"] == "new_conflict"}
        (story,) = doc["stories"]
        conflicts = {c["id"] for c in story.get("conflicts") or [] if conflict_key(c) in keys}
        articles &= {a["id"] for a in doc["articles"]}
        counts = {"new_article": len(articles), "new_conflict": len(conflicts),
                  "new_story": any(c["kind"] == "new_story" for c in found)}
        return {"new_article_ids": articles, "new_conflict_ids": conflicts, "changed": describe_counts(counts)}

    routes = dict(methods=["GET", "HEAD"], response_class=Response)

    @app.api_route("/", **routes)
    def index(request: Request) -> Response:
        visit = visit_of(request)
        ctx = list_context(dict(request.query_params), visit)
        f: StoryFilters = ctx["filters"]
        first = (f.page - 1) * f.per_page + 1
        body = _page("index.html.j2", q=f.q, filtered=f.active, first=first,
                     last=first + len(ctx["stories"]) - 1,
                     prev_url="/?" + f.query(page=f.page - 1) if f.page > 1 else None,
                     next_url="/?" + f.query(page=f.page + 1) if f.page < ctx["pages"] else None,
                     filters={"source": f.source, "date_from": f.date_from, "date_to": f.date_to,
                              "disputed": f.disputed, "changed": f.changed},
                     **{k: v for k, v in ctx.items() if k != "filters"})
        return personal(Response(body, media_type=_HTML), visit)

    @app.api_route("/stories/{story_id}", **routes)
    def story_page(story_id: str, request: Request) -> Response:
        visit = visit_of(request)
        entry = story_entry(story_id)
        marks = story_marks(story_id, entry.doc, visit)
        # The rendered page is cached under what it marks, never under the visitor: two visitors whose
        # visits mark the same items share a page, and nobody is shown another visit's marks.
        name = "story.html"
        if marks["new_article_ids"] or marks["new_conflict_ids"] or marks["changed"]:
            raw = repr((sorted(marks["new_article_ids"]), sorted(marks["new_conflict_ids"]), marks["changed"]))
            name += ":new:" + hashlib.sha1(raw.encode("utf-8")).hexdigest()[:16]
        body = entry.render(name, lambda doc: _page("story.html.j2", **story_view(doc), **marks))
        return personal(Response(body, media_type=_HTML), visit)

    @app.api_route("/articles/{article_id}", **routes)
    def article_page(article_id: str) -> Response:
        doc, entry = article_doc(article_id)

        def make(d: dict[str, Any]) -> bytes:
            return _page("article.html.j2", **article_view(d, article_id))

        body = entry.render(f"article.html:{article_id}", make) if entry else make(doc)
        return Response(body, media_type=_HTML)

    @app.api_route("/api/stories", **routes)
    def api_stories(request: Request) -> Response:
        ctx = list_context(dict(request.query_params), visit_of(request))
        f: StoryFilters = ctx["filters"]
        body = {"total": ctx["total"], "page": f.page, "pages": ctx["pages"], "per_page": f.per_page,
                "filters": {"q": f.q, "source": f.source, "date_from": f.date_from and f.date_from.isoformat(),
                            "date_to": f.date_to and f.date_to.isoformat(), "disputed": f.disputed,
                            "changed": f.changed},
                "stories": ctx["stories"]}
        return Response(_json_bytes(body), media_type=_JSON)

    @app.api_route("/api/changes", **routes)
    def api_changes(request: Request) -> Response:
        params = dict(request.query_params)
        since = _since_param(params)
        story = _text(params, "story")
        limit = _int(params, "limit", 200, 1, 1000)
        rows = changes_since(store, since, story_ids=[story] if story else None, limit=limit + 1)
        counts: dict[str, dict[str, int]] = {}
        for r in rows[:limit]:
            kinds = counts.setdefault(r["story_id"], {})
            kinds[r["kind"]] = kinds.get(r["kind"], 0) + 1
        body = {"since": since.isoformat().replace("+00:00", "Z"), "story": story, "limit": limit,
                "truncated": len(rows) > limit, "changes": rows[:limit],
                "stories": {sid: {"counts": c, "summary": describe_counts(c)} for sid, c in counts.items()}}
        return Response(_json_bytes(body), media_type=_JSON)

    @app.api_route("/api/stories/{story_id}", **routes)
    def api_story(story_id: str) -> Response:
        entry = story_entry(story_id)
        return Response(entry.render("story.json", _json_bytes), media_type=_JSON)

    @app.api_route("/api/articles/{article_id}", **routes)
    def api_article(article_id: str) -> Response:
        doc, entry = article_doc(article_id)
        story_id = doc["stories"][0]["id"] if doc["stories"] else None

        def make(d: dict[str, Any]) -> bytes:
            article = next(a for a in d["articles"] if a["id"] == article_id)
            return _json_bytes({**article, "story_id": story_id})

        body = entry.render(f"article.json:{article_id}", make) if entry else make(doc)
        return Response(body, media_type=_JSON)

    app.add_middleware(Guard, render_error=render_error)
    return app


def _json_bytes(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
