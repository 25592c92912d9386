"""Command line: a thin layer over the library API (``rashomon.api``).

Exit codes:
  0  every input was read and stored
  1  an unexpected internal error (a bug: please report it)
  2  bad usage: unknown flag, invalid setting or field mapping
  3  partial: some inputs or records were rejected, the others stored
  4  nothing stored: every input was rejected (or none was given that exists)
  5  the store could not be opened or written
  6  an output could not be written or failed the JSON Schema
  130 interrupted (Ctrl-C); what was committed stays, a rerun adds the rest
`rashomon doctor` exits 0 when no check failed and 1 when one did.
"""

from __future__ import annotations

import functools
import json
import os
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any, Callable, List, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from . import __version__, api
from .errors import ConfigError, NotFound, OutputError, RashomonError, StoreError
from .models import IngestReport
from .output import write_outputs
from .output.write import write_atomic
from .settings import load_settings

EXIT_OK, EXIT_INTERNAL, EXIT_USAGE, EXIT_PARTIAL, EXIT_NOTHING, EXIT_STORE, EXIT_OUTPUT = 0, 1, 2, 3, 4, 5, 6
EXIT_INTERRUPTED = 130

app = typer.Typer(help="Rashomon: multi-source news analysis.", no_args_is_help=True,
                  add_completion=False, rich_markup_mode=None, pretty_exceptions_enable=False)
# Piped or logged output gets 140 columns: rich's 80-column default cuts the article table.
out = Console(highlight=False, soft_wrap=False, width=None if sys.stdout.isatty() else 140)
err = Console(stderr=True, highlight=False)

DbOpt = typer.Option(None, "--db", help="Store URL (default sqlite:///rashomon.db; or postgresql+psycopg://USER@HOST/DB).")
ConfigOpt = typer.Option(None, "--config", help="TOML settings file ([rashomon] table).", exists=False)
FieldOpt = typer.Option(None, "--field", "-f", help="Map a record key: FIELD=KEY, e.g. --field text=body. Repeatable.")
MinWordsOpt = typer.Option(None, "--min-words", help="Reject articles shorter than this many words.")
FeedLinksOpt = typer.Option(None, "--fetch-feed-links", help="Fetch pages feed entries link to: auto, always, never.")
RobotsOpt = typer.Option(None, "--robots/--no-robots", help="Respect robots.txt when fetching URLs (default on).")
QuietOpt = typer.Option(False, "--quiet", "-q", help="Print only errors.")


def _handle(fn: Callable[..., int | None]) -> Callable[..., None]:
    """Map library errors to documented exit codes and one-line messages, never tracebacks."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        try:
            code = fn(*args, **kwargs) or EXIT_OK
        except ConfigError as exc:
            err.print(f"[red]error:[/red] {exc}", markup=True, highlight=False)
            code = EXIT_USAGE
        except StoreError as exc:
            err.print(f"[red]store error:[/red] {exc}", markup=True)
            code = EXIT_STORE
        except OutputError as exc:
            err.print(f"[red]output error:[/red] {exc}", markup=True)
            code = EXIT_OUTPUT
        except RashomonError as exc:
            err.print(f"[red]error:[/red] {exc}", markup=True)
            code = EXIT_INTERNAL
        except KeyboardInterrupt:
            err.print("interrupted: committed articles are kept; run the same command again to finish")
            code = EXIT_INTERRUPTED
        except Exception as exc:  # the promise is: no tracebacks for users unless asked
            if os.environ.get("RASHOMON_DEBUG"):
                raise
            err.print(f"[red]internal error:[/red] {type(exc).__name__}: {exc}\n"
                      "This is a bug in Rashomon. Rerun with RASHOMON_DEBUG=1 for the traceback.", markup=True)
            code = EXIT_INTERNAL
        raise typer.Exit(code)

    return wrapper


def _settings(config: Optional[Path], **overrides: Any):
    s = api.resolve_settings(load_settings(config_file=config), **overrides)
    if config is not None:  # the command's own config file may set log_format / log_level
        _configure_logs(s)
    return s


_LOG_FLAGS: dict[str, Optional[str]] = {}


def _configure_logs(settings=None) -> None:
    """Logging as the settings say, with the global --log-json / --log-level flags on top."""
    from .ops.logs import configure_logging

    level = _LOG_FLAGS.get("log_level") or ("debug" if os.environ.get("RASHOMON_DEBUG") else None)
    configure_logging(settings or load_settings(), log_format=_LOG_FLAGS.get("log_format"), log_level=level)


@app.callback()
def _global_options(
    log_json: bool = typer.Option(False, "--log-json", help="Log records to stderr as JSON lines "
                                  "(ts, level, logger, msg and fields such as input, article_id, seconds)."),
    log_level: Optional[str] = typer.Option(None, "--log-level",
                                            help="debug, info, warning (default), error or critical."),
) -> None:
    """Rashomon: multi-source news analysis.

    Example: rashomon --log-json --log-level info ingest news/ --db news.db
    """
    _LOG_FLAGS.clear()
    _LOG_FLAGS.update(log_format="json" if log_json else None, log_level=log_level.lower() if log_level else None)
    try:
        _configure_logs()
    except ConfigError as exc:
        err.print(f"[red]error:[/red] {exc}", markup=True, highlight=False)
        raise typer.Exit(EXIT_USAGE) from None


def _progress(quiet: bool, label: str = "reading"):
    """A progress bar on a terminal, and the callback that moves it: step(item or name, done, total)."""
    if quiet or not sys.stderr.isatty():
        return None, None
    bar = Progress(TextColumn(f"[bold]{label}[/bold]"), BarColumn(), MofNCompleteColumn(),
                   TimeElapsedColumn(), TextColumn("{task.description}"), console=err, transient=True)
    task = bar.add_task("", total=None)

    def step(item, index: int, total: int) -> None:
        name = item if isinstance(item, str) else item.name
        bar.update(task, total=total, completed=index, description=name[-60:])

    return bar, step


def _run_ingest(paths: List[str], settings, field: Optional[List[str]], quiet: bool,
                doc_out: Optional[dict] = None) -> IngestReport:
    bar, step = _progress(quiet)
    if bar:
        bar.start()
    try:
        if doc_out is not None:
            holder: dict[str, IngestReport] = {}
            doc_out["doc"] = api.analyze(paths, settings=settings, field_map=field, progress=step,
                                         on_report=lambda r: holder.setdefault("report", r))
            return holder["report"]
        return api.ingest(paths, settings=settings, field_map=field, progress=step)
    finally:
        if bar:
            bar.stop()


def _summary(report: IngestReport, db: str) -> None:
    table = Table(title="Ingest summary", show_header=True, header_style="bold")
    table.add_column("what")
    table.add_column("count", justify="right")
    table.add_row("inputs read", str(report.inputs))
    table.add_row("articles stored (new)", str(report.new))
    table.add_row("  of which syndicated copies", str(report.syndicated))
    table.add_row("exact duplicates (new origin recorded)", str(report.duplicates))
    table.add_row("already stored (unchanged)", str(report.unchanged))
    table.add_row("rejected", str(len(report.rejected)))
    out.print(table)
    out.print(f"store: {db}")
    if report.rejected:
        _rejections(report)


def _rejections(report: IngestReport, limit: int = 15) -> None:
    table = Table(title="Rejected", show_header=True, header_style="bold", show_lines=False)
    table.add_column("input", overflow="fold")
    table.add_column("reason", overflow="fold")
    if len(report.rejected) <= limit:
        for r in report.rejected:
            table.add_row(r.input, r.reason)
    else:  # many rejections: one row per kind of reason, with a count and an example
        shape = Counter(re.sub(r"\d[\d,.]*", "N", r.reason) for r in report.rejected)
        example = {}
        for r in report.rejected:
            example.setdefault(re.sub(r"\d[\d,.]*", "N", r.reason), r)
        for key, n in shape.most_common(limit):
            r = example[key]
            table.add_row(f"{r.input}" + (f"  (+{n - 1} more like it)" if n > 1 else ""), r.reason)
    out.print(table)


def _exit_code(report: IngestReport) -> int:
    if report.rejected and report.seen == 0:
        return EXIT_NOTHING
    return EXIT_PARTIAL if report.rejected else EXIT_OK


@app.command()
@_handle
def ingest(
    paths: List[str] = typer.Argument(..., help="Files, folders or http(s) URLs."),
    db: Optional[str] = DbOpt, config: Optional[Path] = ConfigOpt, field: Optional[List[str]] = FieldOpt,
    min_words: Optional[int] = MinWordsOpt, fetch_feed_links: Optional[str] = FeedLinksOpt,
    robots: Optional[bool] = RobotsOpt, quiet: bool = QuietOpt,
) -> int:
    """Read articles into the store.

    Example: rashomon ingest news/ feed.xml https://example.org/story.html --db news.db
    """
    s = _settings(config, db=db, min_words=min_words, fetch_feed_links=fetch_feed_links, respect_robots=robots)
    report = _run_ingest(paths, s, field, quiet)
    if not quiet:
        _summary(report, s.db)
    return _exit_code(report)


@app.command()
@_handle
def batch(
    paths: List[str] = typer.Argument(..., help="WARC files, JSONL shards, folders, feeds, URLs."),
    workers: Optional[int] = typer.Option(None, "--workers", "-w",
                                          help="Dask worker processes on this machine; 0 = one process, no Dask."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler",
                                            help="A running Dask scheduler, e.g. tcp://host:8786."),
    parquet: Optional[Path] = typer.Option(None, "--parquet", help="Write one Parquet file per input to this "
                                                                   "folder instead of the store."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Show what would be done; write nothing."),
    retries: Optional[int] = typer.Option(None, "--retries", help="Retries of a failed partition."),
    stories: bool = typer.Option(True, "--stories/--no-stories", help="Place the articles into stories."),
    db: Optional[str] = DbOpt, config: Optional[Path] = ConfigOpt, field: Optional[List[str]] = FieldOpt,
    quiet: bool = QuietOpt,
) -> int:
    """Ingest, read and embed many inputs in parallel (Dask), then group them into stories.

    Example: rashomon batch crawl/*.warc.gz --workers 2 --db postgresql://me@localhost/news
    """
    s = _settings(config, db=db)
    bar, step = _progress(quiet or dry_run, label="batch")
    if bar:
        bar.start()
    try:
        report = api.batch(paths, settings=s, parquet=parquet, workers=workers, scheduler=scheduler,
                           field_map=field, dry_run=dry_run, retries=retries, stories=stories,
                           progress=(lambda done, total, name: step(name, done, total)) if step else None)
    finally:
        if bar:
            bar.stop()
    if quiet:
        return EXIT_PARTIAL if report.failed or report.rejected else EXIT_OK
    if report.dry_run:
        table = Table(title=f"Dry run: {report.partitions} partition(s), {report.skipped} already done",
                      header_style="bold")
        for name in ("input", "format", "bytes", "status"):
            table.add_column(name, overflow="fold")
        for p in report.planned:
            table.add_row(p["input"], p["format"], "" if p["bytes"] is None else f"{p['bytes']:,}", p["status"])
        out.print(table)
        return EXIT_OK
    table = Table(title=f"Batch ({report.engine}, {report.workers} worker(s))", header_style="bold")
    table.add_column("what")
    table.add_column("count", justify="right")
    for label, value in (("partitions", report.partitions), ("  skipped (done before)", report.skipped),
                         ("  done now", report.done), ("  failed", len(report.failed)),
                         ("articles read", report.articles), ("  new in the store", report.new),
                         ("rejected documents", len(report.rejected)),
                         ("new stories", (report.stories or {}).get("new_stories", 0)),
                         ("seconds", f"{report.seconds:.1f}"),
                         ("articles/s", f"{report.articles_per_second:.1f}")):
        table.add_row(label, str(value))
    out.print(table)
    for f in report.failed:
        err.print(f"[red]failed:[/red] {f['input']}: {f['error']}", markup=True, highlight=False)
    if report.rejected:
        _rejections(IngestReport(rejected=report.rejected))
    return EXIT_PARTIAL if report.failed or report.rejected else EXIT_OK


@app.command()
@_handle
def analyze(
    paths: List[str] = typer.Argument(..., help="Files, folders or http(s) URLs."),
    json_out: Optional[Path] = typer.Option(None, "--json", help="Write the analysis document (JSON) here."),
    md_out: Optional[Path] = typer.Option(None, "--md", help="Write a Markdown report here."),
    html_out: Optional[Path] = typer.Option(None, "--html", help="Write a self-contained HTML report here."),
    db: Optional[str] = DbOpt, config: Optional[Path] = ConfigOpt, field: Optional[List[str]] = FieldOpt,
    min_words: Optional[int] = MinWordsOpt, fetch_feed_links: Optional[str] = FeedLinksOpt,
    robots: Optional[bool] = RobotsOpt, quiet: bool = QuietOpt,
) -> int:
    """Ingest, analyse and write the report.

    Example: rashomon analyze examples/aleppo-2024 --json out/a.json --md out/a.md --html out/a.html
    """
    s = _settings(config, db=db, min_words=min_words, fetch_feed_links=fetch_feed_links, respect_robots=robots)
    holder: dict[str, Any] = {}
    report = _run_ingest(paths, s, field, quiet, doc_out=holder)
    doc = holder["doc"]
    write_outputs(doc, json_path=json_out, md_path=md_out, html_path=html_out)
    if not quiet:
        _summary(report, s.db)
        _articles_table(doc["articles"], title="Articles analysed")
        _stories_table(doc["stories"])
        for story in doc["stories"]:
            _claims_summary(story, doc["articles"])
            _labels_table(story, doc["articles"])
        for path in (json_out, md_out, html_out):
            if path:
                out.print(f"wrote {path}")
    return _exit_code(report)


def _claims_summary(story: dict[str, Any], articles: list[dict[str, Any]], limit: int = 8) -> None:
    """Counts of the story's facts by status, then its conflicts (first) and updates, each side with its articles."""
    from rich.markup import escape

    from .output.markdown import status_counts

    claims = story.get("claims") or []
    if not claims:
        return
    for b in (story.get("brief") or [])[:6]:
        if b["section"] == "established":
            out.print(f"  • {escape(b['text'])}  [{len(b['citations'])} source span(s)]", highlight=False)
    count = status_counts(claims)
    out.print(f"story {story['id']}: {len(claims)} facts — {count['corroborated']} corroborated, "
              f"{count['contradicted']} disputed, {count['evolving']} changing over time, "
              f"{count['single_source']} single-source")
    rows = [("conflict", x) for x in story.get("conflicts", [])] + [("update", x) for x in story.get("updates", [])]
    if not rows:
        return
    number = {a["id"]: n for n, a in enumerate(articles, 1)}
    table = Table(title="Disputed and changing facts (article #)", header_style="bold", show_lines=True)
    table.add_column("what", no_wrap=True)
    table.add_column("fact", ratio=2, overflow="fold")
    table.add_column("sides", ratio=2, overflow="fold")
    for what, x in rows[:limit]:
        sides = "\n".join(f"“{side['value']}” — " + ", ".join(f"#{number.get(i, '?')}" for i in side["article_ids"])
                          for side in x["sides"])
        topic = x["topic"] if len(x["topic"]) <= 160 else x["topic"][:159] + "…"
        table.add_row(f"{x['kind']} {what}", escape(topic), escape(sides))
    out.print(table)
    if len(rows) > limit:
        out.print(f"… and {len(rows) - limit} more in the reports")


def _labels_table(story: dict[str, Any], articles: list[dict[str, Any]], limit: int = 8) -> None:
    """The top of the story's actor × source table; the reports hold all of it."""
    from rich.markup import escape

    from .output.markdown import stance_word, table_actors

    actors = table_actors(story)[:limit]
    if not actors:
        return
    number = {a["id"]: n for n, a in enumerate(articles, 1)}
    ids = [i for i in story["article_ids"] if i in number]
    table = Table(title=f"How each source names the actors — story {story['id']} (columns: article #)",
                  header_style="bold", show_lines=True)
    table.add_column("actor", overflow="fold")
    for i in ids:
        table.add_column(f"#{number[i]}", ratio=1, overflow="fold")
    for a in actors:
        cells = []
        for i in ids:
            cell = "; ".join(a.get("labels", {}).get(i, [])[:2]) or "—"
            stance = a.get("stance", {}).get(i)
            if stance and stance_word(stance["score"]) != "neutral":
                cell += f" [{stance_word(stance['score'])} {stance['score']:+.2f}]"
            cells.append(escape(cell))   # article text: "[...]" must not read as console markup
        table.add_row(escape(a["name"]), *cells)
    out.print(table)


def _stories_table(stories: list[dict[str, Any]]) -> None:
    if not stories:
        return
    table = Table(title=f"{len(stories)} stor{'y' if len(stories) == 1 else 'ies'}", header_style="bold")
    table.add_column("id", no_wrap=True)
    table.add_column("title", ratio=1, overflow="fold")
    table.add_column("articles", justify="right")
    for story in stories:
        table.add_row(story["id"], story["title"] or "(untitled)", str(len(story["article_ids"])))
    out.print(table)


def _reading(analysis: dict[str, Any] | None) -> str:
    """One cell summing up an article's reading: actors, dates, quantities, sourced sentences."""
    if not analysis:
        return ""
    if analysis.get("note"):
        return analysis["note"]
    sents = analysis["sentences"]
    sourced = sum(s["attribution"]["kind"] != "none" for s in sents)
    return (f"{len(analysis['actors'])} actors · {len(analysis['dates'])} dates · "
            f"{len(analysis['quantities'])} numbers · {sourced}/{len(sents)} sourced")


def _articles_table(rows: list[dict[str, Any]], title: str) -> None:
    cells = []
    for a in rows:
        notes = [f"syndicated ({a['syndication_group']})"] if a.get("syndication_group") else []
        notes += [f["kind"] for f in a.get("quality", {}).get("flags", []) if f["kind"] != "date_unknown"]
        heading = a["title"] or ("“" + " ".join(a["text"].split()[:8]) + "…”")
        heading = heading if len(heading) <= 70 else heading[:69] + "…"
        cells.append([a["id"], a["source"] or "—", heading, a["published"] or "unknown", a["language"],
                      str(a["word_count"]), _reading(a.get("analysis")), ", ".join(notes)])
    columns = ["id", "source", "title", "published", "lang", "words", "read", "notes"]
    # Columns empty in every row only cost width.
    keep = [i for i, name in enumerate(columns) if i < 6 or any(row[i] for row in cells)]
    table = Table(title=title, header_style="bold")
    for i in keep:
        name = columns[i]
        if name == "id":
            table.add_column(name, no_wrap=True)
        elif name == "source":
            table.add_column(name, max_width=18, overflow="ellipsis")
        elif name == "title":
            table.add_column(name, ratio=1, min_width=30, overflow="fold")
        else:
            table.add_column(name, overflow="fold")
    for row in cells:
        table.add_row(*(row[i] for i in keep))
    out.print(table)


@app.command()
@_handle
def articles(
    search: Optional[str] = typer.Option(None, "--search", "-s", help="Words in the title or text."),
    source: Optional[str] = typer.Option(None, "--source", help="Outlet name contains this."),
    language: Optional[str] = typer.Option(None, "--language", help="ISO 639-1 code, e.g. en."),
    limit: int = typer.Option(50, "--limit", help="At most this many."),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per line instead of a table."),
    db: Optional[str] = DbOpt, config: Optional[Path] = ConfigOpt,
) -> int:
    """List or search stored articles.

    Example: rashomon articles --search Aleppo --limit 10
    """
    s = _settings(config, db=db)
    with api.open_store(settings=s) as store:
        rows = store.articles(search=search, source=source, language=language, limit=limit)
    if as_json:
        for r in rows:
            sys.stdout.write(json.dumps(_plain(r), ensure_ascii=False) + "\n")
    else:
        _articles_table([{**r, "quality": {"flags": []}} for r in rows], title=f"{len(rows)} article(s)")
    return EXIT_OK


@app.command()
@_handle
def stories(
    search: Optional[str] = typer.Option(None, "--search", "-s", help="Words in the story title, or a story id."),
    like: Optional[str] = typer.Option(None, "--like",
                                       help="Stories nearest in meaning to this text (or to this story id), "
                                            "best first."),
    min_size: int = typer.Option(1, "--min-size", help="Only stories with at least this many articles."),
    limit: int = typer.Option(50, "--limit", help="At most this many."),
    update: bool = typer.Option(True, "--update/--no-update",
                                help="First place articles that are in no story yet (default on)."),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per line instead of a table."),
    db: Optional[str] = DbOpt, config: Optional[Path] = ConfigOpt, quiet: bool = QuietOpt,
) -> int:
    """Group new articles into stories, then list stories (largest, latest first).

    Example: rashomon stories --min-size 3 --limit 20
    Example: rashomon stories --like "rebels enter Aleppo" --limit 5
    """
    s = _settings(config, db=db)
    progress = None if quiet or as_json else (lambda msg: err.print(msg))
    if like is not None and search is not None:
        raise ConfigError("--like and --search cannot be combined; use one of them")
    result = api.list_stories(settings=s, update=update, search=search, min_size=min_size,
                              limit=0 if like is not None else limit, progress=progress)
    if like is not None:
        target = {"story_id": like} if _is_story_id(like, s) else {"text": like}
        result["stories"] = [r for r in api.similar_stories(**target, k=limit, settings=s)["stories"]
                             if r["size"] >= min_size]
    rep = result["update"]
    if rep and rep["articles"] and not quiet and not as_json:
        cut = f", {rep['split_stories']:,} cut in two" if rep.get("split_stories") else ""
        cut += f", {rep['reattached']:,} reattached" if rep.get("reattached") else ""
        err.print(f"placed {rep['articles']:,} new article(s): {rep['new_stories']:,} new stories, "
                  f"{rep['grown_stories']:,} grown{cut}; {rep['loaded_stories']:,} stored stories read "
                  f"({rep['seconds']:.1f} s)")
    if as_json:
        for row in result["stories"]:
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
        return EXIT_OK
    table = Table(title=f"{len(result['stories'])} stor{'y' if len(result['stories']) == 1 else 'ies'}",
                  header_style="bold")
    table.add_column("id", no_wrap=True)
    table.add_column("articles", justify="right")
    table.add_column("dates", no_wrap=True)
    table.add_column("sources", max_width=30, overflow="ellipsis")
    table.add_column("title", ratio=1, overflow="fold")
    if like is not None:
        table.add_column("similarity", justify="right")
    for row in result["stories"]:
        table.add_row(row["id"], str(row["size"]), _span(row["first_date"], row["last_date"]),
                      ", ".join(row["sources"]) or "—", row["title"] or "(untitled)",
                      *([f"{row['similarity']:.3f}"] if like is not None else []))
    out.print(table)
    return EXIT_OK


def _is_story_id(value: str, s) -> bool:
    """Whether ``--like`` names a stored story rather than giving text."""
    if not re.fullmatch(r"s[0-9a-f]{15}", value):
        return False
    try:
        api.get_story(value, settings=s)
    except NotFound:
        return False
    return True


def _span(first: str | None, last: str | None) -> str:
    if not first:
        return "undated"
    return first if first == last else f"{first} → {last}"


@app.command("story")
@_handle
def story_cmd(
    story_id: str = typer.Argument(..., help="A story id, as `rashomon stories` lists them."),
    as_json: bool = typer.Option(False, "--json", help="Print the story (members, join scores) as JSON."),
    json_out: Optional[Path] = typer.Option(None, "--report-json", help="Write the story's analysis document here."),
    md_out: Optional[Path] = typer.Option(None, "--md", help="Write the story's Markdown report here."),
    html_out: Optional[Path] = typer.Option(None, "--html", help="Write the story's HTML report here."),
    db: Optional[str] = DbOpt, config: Optional[Path] = ConfigOpt,
) -> int:
    """Show one story and its articles in the order they joined; write its full report on request.

    Example: rashomon story s1f4ae57de001053 --html story.html
    """
    settings = _settings(config, db=db)
    if json_out or md_out or html_out:
        doc = api.story_document(story_id, settings=settings)
        write_outputs(doc, json_path=json_out, md_path=md_out, html_path=html_out)
        for path in (json_out, md_out, html_out):
            if path:
                out.print(f"wrote {path}")
    found = api.get_story(story_id, settings=settings)
    if as_json:
        sys.stdout.write(json.dumps(found, ensure_ascii=False, indent=2) + "\n")
        return EXIT_OK
    out.print(f"[bold]{found['title'] or '(untitled)'}[/bold]  {found['id']} · {found['size']} article(s) · "
              f"{_span(found['first_date'], found['last_date'])}", markup=True, highlight=False)
    table = Table(header_style="bold")
    for name in ("id", "source", "published", "join score", "title"):
        table.add_column(name, overflow="fold", ratio=1 if name == "title" else None)
    for a in found["articles"]:
        score = "founder" if a["join_score"] is None else f"{a['join_score']:.2f}"
        table.add_row(a["id"], a["source"] or "—", a["published"] or "unknown", score,
                      a["title"] or a["path"] or a["url"] or "")
    out.print(table)
    return EXIT_OK


@app.command()
@_handle
def export(
    out_path: Optional[Path] = typer.Option(None, "--out", "-o", help="File to write (default: standard output)."),
    fmt: str = typer.Option("jsonl", "--format", help="jsonl (one article a line, re-ingestable) or json."),
    db: Optional[str] = DbOpt, config: Optional[Path] = ConfigOpt,
) -> int:
    """Export every stored article.

    Example: rashomon export --out corpus.jsonl   (re-ingest with: rashomon ingest corpus.jsonl)
    """
    if fmt not in ("jsonl", "json"):
        raise ConfigError(f"--format {fmt!r} is not supported; valid: jsonl, json")
    s = _settings(config, db=db)
    with api.open_store(settings=s) as store:
        rows = [_export_row(r) for r in store.articles()]
    text = ("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows) if fmt == "jsonl"
            else json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
    if out_path:
        write_atomic(out_path, text)
        err.print(f"exported {len(rows)} article(s) to {out_path}")
    else:
        sys.stdout.write(text)
    return EXIT_OK


@app.command()
@_handle
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (default loopback only; the app has no login)."),
    port: int = typer.Option(8000, "--port", help="TCP port."),
    db: Optional[str] = DbOpt, config: Optional[Path] = ConfigOpt,
) -> int:
    """Serve the stored stories as a read-only web app and JSON API until Ctrl-C.

    Example: rashomon serve --db out/demo.db --port 8000   (then open http://127.0.0.1:8000/)
    """
    from .web import serve as serve_app

    serve_app(_settings(config, db=db), host=host, port=port)
    return EXIT_OK


@app.command()
@_handle
def watch(
    feeds: List[str] = typer.Argument(..., help="Feed or sitemap URLs, OPML files, or text files of URLs (one a line, # comments)."),
    interval: Optional[float] = typer.Option(None, "--interval", help="Seconds between two polls of one feed (default 900)."),
    polls: Optional[int] = typer.Option(None, "--polls", help="Stop after this many rounds (default: until Ctrl-C)."),
    db: Optional[str] = DbOpt, config: Optional[Path] = ConfigOpt, quiet: bool = QuietOpt,
) -> int:
    """Poll feeds politely, add new articles to their stories, record what changed; Ctrl-C stops after
    the current feed.

    Example: rashomon watch feeds.opml https://example.org/rss.xml --db news.db --interval 600
    """
    import signal
    import threading

    s = _settings(config, db=db, watch_interval=interval)
    stop = threading.Event()

    def on_interrupt(_signum, _frame) -> None:
        if stop.is_set():  # a second Ctrl-C: stop now, mid-feed
            raise KeyboardInterrupt
        stop.set()
        err.print("stopping after the current feed (Ctrl-C again to stop at once)")

    def say(line: str) -> None:
        err.print(line, markup=False, highlight=False)

    previous = signal.signal(signal.SIGINT, on_interrupt) if threading.current_thread() is threading.main_thread() else None
    try:
        report = api.watch(feeds, settings=s, polls=polls, stop=stop, progress=None if quiet else say)
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
    if not quiet:
        failing = [f for f in report.feeds if f.failures]
        out.print(f"{report.rounds} round(s), {report.polls} poll(s), {report.requests} request(s); "
                  f"{report.new_articles} new article(s), {report.new_stories} new stor(ies), "
                  f"{report.grown_stories} grown; {len(failing)} feed(s) failing")
        for f in failing:
            out.print(f"  {f.url}: {f.last_error} (next poll {f.next_poll_at})", markup=False)
    return EXIT_OK  # Ctrl-C is how a watch without --polls ends: a clean stop, not a failure


eval_app = typer.Typer(help="Measure Rashomon on evaluation data (prints one JSON object).",
                       no_args_is_help=True)
app.add_typer(eval_app, name="eval")


JsonOpt = typer.Option(False, "--json", help="Print one JSON object instead of a table.")


def _print_eval(module: str, target: Path, as_json: bool, **options: Any) -> int:
    import importlib

    if not target.exists():
        raise ConfigError(f"{target} does not exist; give the evaluation data folder")
    evaluation = importlib.import_module(f"rashomon.evaluation.{module}")
    result = evaluation.evaluate(target, **options)
    text = json.dumps(result, ensure_ascii=False, indent=2) if as_json else evaluation._table(result)
    sys.stdout.write(text + "\n")
    return EXIT_OK


@eval_app.command("dates")
@_handle
def eval_dates(
    data: Path = typer.Argument(..., help="Timeline17 folder (…/data/timelines) or one subset."),
    limit: Optional[int] = typer.Option(None, "--limit", help="At most N annotated articles per subset."),
    no_baselines: bool = typer.Option(False, "--no-baselines", help="Score only Rashomon (faster)."),
    processes: int = typer.Option(1, "--processes", help="spaCy worker processes."),
    as_json: bool = JsonOpt,
) -> int:
    """Date normalisation against Timeline17's normalised dates, with dateparser baselines.

    Example: rashomon eval dates ../shared/data/timelines --json
    """
    return _print_eval("dates", data, as_json, limit=limit, baselines=not no_baselines, n_process=processes)


@eval_app.command("timeline")
@_handle
def eval_timeline(
    data: Path = typer.Argument(..., help="Timeline17 folder (…/data/timelines) or one timeline folder."),
    cache: Optional[Path] = typer.Option(None, "--cache", help="Keep readings here (default ~/.cache/rashomon/timelines)."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Read every article again and keep nothing."),
    processes: int = typer.Option(1, "--processes", help="Reading worker processes."),
    as_json: bool = JsonOpt,
) -> int:
    """Timeline date selection (date-F1, Timeline17 protocol) with mention- and publication-count baselines.

    Example: rashomon eval timeline ../shared/data/timelines --json
    """
    return _print_eval("timelines", data, as_json, cache_dir=None if no_cache else (cache or "default"),
                       n_process=processes)


@eval_app.command("aliases")
@_handle
def eval_aliases(data: Path = typer.Argument(..., help="NewsWCL50 folder (…/data/framing/newswcl50)."),
                 as_json: bool = JsonOpt) -> int:
    """Entity and alias resolution against NewsWCL50's concept annotations, with string-match baselines.

    Example: rashomon eval aliases ../shared/data/framing/newswcl50
    """
    return _print_eval("aliases", data, as_json)


@eval_app.command("labels")
@_handle
def eval_labels(data: Path = typer.Argument(..., help="NewsWCL50 folder (…/data/framing/newswcl50)."),
                as_json: bool = JsonOpt) -> int:
    """How well actor labels recover NewsWCL50's annotated mentions per target concept (F1).

    Example: rashomon eval labels ../shared/data/framing/newswcl50 --json
    """
    return _print_eval("actor_labels", data, as_json)


@eval_app.command("brief")
@_handle
def eval_brief(data: Path = typer.Argument(..., help="The shared data folder (holding stories/ and lexicons/)."),
               limit: Optional[int] = typer.Option(None, "--limit", help="Only the first N stories."),
               as_json: bool = JsonOpt) -> int:
    """Brief faithfulness, neutrality (NRC-VAD arousal) and ROUGE against AllSides roundups.

    Example: rashomon eval brief ../shared/data --json
    """
    return _print_eval("brief", data, as_json, limit=limit)


@eval_app.command("geocoding")
@_handle
def eval_geocoding(examples: Path = typer.Argument(Path("examples/aleppo-2024"), help="The seed story folder."),
                   as_json: bool = JsonOpt) -> int:
    """Place geocoding on the seed story against its hand-checked gold places.

    Example: rashomon eval geocoding examples/aleppo-2024
    """
    return _print_eval("geocoding", examples, as_json)


@eval_app.command("clustering")
@_handle
def eval_clustering(
    data: Path = typer.Argument(..., help="A story .jsonl file or a folder of them (…/data/stories)."),
    baseline_only: bool = typer.Option(False, "--baseline-only", help="Score the TF-IDF baseline alone."),
    system: Optional[str] = typer.Option(None, "--system", help="Clusterer as MODULE:FUNCTION (records -> labels)."),
    threshold: Optional[float] = typer.Option(None, "--threshold", help="Baseline cosine-distance cut."),
    shuffle: Optional[int] = typer.Option(None, "--shuffle", metavar="SEED",
                                          help="Shuffle file order before the date sort (undated sets are grouped)."),
    no_oracle: bool = typer.Option(False, "--no-oracle", help="Skip the per-file best-threshold diagnostic."),
    orders: int = typer.Option(1, "--orders", min=1,
                               help="Stream each file in N orders (the first, then shuffles) and report the means."),
    as_json: bool = JsonOpt,
) -> int:
    """Story clustering (B³, AMI, ARI) with the TF-IDF average-link baseline in the same run.

    Example: rashomon eval clustering ../shared/data/stories --orders 4 --json
    """
    from .evaluation import clustering

    return _print_eval("clustering", data, as_json, baseline_only=baseline_only,
                       system=system or clustering.DEFAULT_SYSTEM,
                       threshold=clustering.BASELINE_THRESHOLD if threshold is None else threshold,
                       oracle=not no_oracle, shuffle_seed=shuffle, orders=orders)


@eval_app.command("conflicts")
@_handle
def eval_conflicts(
    data: Path = typer.Argument(..., help="A story .jsonl file or a folder of them (…/data/stories)."),
    stories: int = typer.Option(20, "--stories", help="Stories drawn per file (with articles from 2+ outlets)."),
    seed: int = typer.Option(0, "--seed", help="Seed of the story, target and judgement-sample draws."),
    per_story: int = typer.Option(2, "--per-story", help="Injections per kind per story."),
    judge_out: Optional[Path] = typer.Option(None, "--judge-out",
                                             help="Write the sampled flagged conflicts (with quotes) here to judge."),
    judged: Optional[Path] = typer.Option(None, "--judged", help="Judgements file (default benchmarks/judged/conflicts.jsonl)."),
    judged_targets: Optional[Path] = typer.Option(
        None, "--judged-targets", help="Target judgements, valid or not (default benchmarks/judged/targets.jsonl)."),
    cache: Optional[Path] = typer.Option(None, "--cache", help="Keep article readings and claims in this folder."),
    targets_out: Optional[Path] = typer.Option(None, "--targets-out",
                                               help="Write each injection (claims, rewrite, outcome) here."),
    as_json: bool = JsonOpt,
) -> int:
    """Conflict injection: recall of injected date/number/place/negation conflicts, judged precision.

    Example: rashomon eval conflicts ../shared/data/stories --stories 20 --seed 0 --json
    """
    from .evaluation import conflicts

    return _print_eval("conflicts", data, as_json, stories=stories, seed=seed, per_story=per_story,
                       judge_out=judge_out, judged=judged or conflicts.DEFAULT_JUDGED,
                       judged_targets=judged_targets or conflicts.DEFAULT_JUDGED_TARGETS, cache_dir=cache,
                       targets_out=targets_out)


@eval_app.command("summedits")
@_handle
def eval_summedits(
    data: Path = typer.Argument(..., help="The SummEdits news file (…/data/consistency/summedits_news.json)."),
    limit: Optional[int] = typer.Option(None, "--limit", help="Only the first N pairs."),
    folds: int = typer.Option(5, "--folds", help="Cross-validation folds, grouped by original summary."),
    seed: int = typer.Option(0, "--seed", help="Seed of the fold draw."),
    cache: Optional[Path] = typer.Option(None, "--cache", help="Keep readings here (default ~/.cache/rashomon/summedits)."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Read every text again and keep nothing."),
    as_json: bool = JsonOpt,
) -> int:
    """Does the document support the summary? Fixed rule, grouped-CV logistic regression, overlap baseline.

    Example: rashomon eval summedits ../shared/data/consistency/summedits_news.json --json
    """
    return _print_eval("summedits", data, as_json, limit=limit, folds=folds, seed=seed,
                       cache_dir=None if no_cache else (cache or "default"))


@eval_app.command("babe")
@_handle
def eval_babe(
    data: Path = typer.Argument(..., help="BABE folder (…/data/framing/babe) or one final_labels_*.csv."),
    label_set: str = typer.Option("SG2", "--set", help="Label set: SG2 (3,674 sentences) or SG1."),
    variant: Optional[List[str]] = typer.Option(None, "--variant", help="Score only this variant. Repeatable."),
    as_json: bool = JsonOpt,
) -> int:
    """Loaded language on BABE: sentence bias macro-F1 (5-fold CV per variant) and biased-word F1.

    Example: rashomon eval babe ../shared/data/framing/babe --json
    """
    return _print_eval("framing", data, as_json, dataset="babe", label_set=label_set, variants=variant or None)


@eval_app.command("basil")
@_handle
def eval_basil(
    data: Path = typer.Argument(..., help="BASIL folder (…/data/framing/basil)."),
    no_analysis: bool = typer.Option(False, "--no-analysis", help="Skip the per-article reading (quotes, names)."),
    processes: int = typer.Option(1, "--processes", help="spaCy worker processes."),
    as_json: bool = JsonOpt,
) -> int:
    """Loaded-language spans against BASIL's lexical-bias annotations (exact and overlap P/R/F1).

    Example: rashomon eval basil ../shared/data/framing/basil --json
    """
    return _print_eval("framing", data, as_json, dataset="basil", with_analysis=not no_analysis,
                       n_process=processes)


@app.command("doctor")
@_handle
def doctor_cmd(
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object: ok, summary, checks."),
    models: bool = typer.Option(True, "--models/--no-models",
                                help="Load the spaCy and embedding models and time them (default on)."),
    db: Optional[str] = DbOpt, config: Optional[Path] = ConfigOpt,
) -> int:
    """Check Python, packages, models, the store (migrations, counts, pgvector), disk and temp space.

    Exit code 0 when no check fails, 1 when one does (warnings do not count).
    Example: rashomon doctor --db postgresql://rashomon@db.example.org/news --json
    """
    from rich.markup import escape

    from .ops.doctor import summary

    checks = api.doctor(settings=_settings(config, db=db), models=models)
    failed = any(c.status == "fail" for c in checks)
    if as_json:
        sys.stdout.write(json.dumps({"ok": not failed, "summary": summary(checks),
                                     "checks": [c.as_dict() for c in checks]}, ensure_ascii=False, indent=2) + "\n")
        return EXIT_INTERNAL if failed else EXIT_OK
    colour = {"ok": "green", "warn": "yellow", "fail": "red"}
    table = Table(title="rashomon doctor", header_style="bold")
    table.add_column("status", no_wrap=True)
    table.add_column("check", no_wrap=True)
    table.add_column("detail", ratio=1, overflow="fold")
    for c in checks:
        detail = escape(c.detail) + (f"\n[dim]fix: {escape(c.fix)}[/dim]" if c.fix else "")
        table.add_row(f"[{colour[c.status]}]{c.status}[/{colour[c.status]}]", c.name, detail)
    out.print(table)
    count = summary(checks)
    out.print(f"{count['ok']} ok, {count['warn']} warning(s), {count['fail']} failed")
    return EXIT_INTERNAL if failed else EXIT_OK


@app.command()
def version() -> None:
    """Print the version."""
    out.print(f"rashomon {__version__}")


_EXPORTED = ("id", "title", "text", "source", "url", "author", "published", "language", "syndication_group",
             "duplicate_of")


def _export_row(row: dict[str, Any]) -> dict[str, Any]:
    """An article as a JSONL record that `rashomon ingest` reads back: core fields, then the input's
    own extra keys (leaning, cluster_id, ...), never the store's bookkeeping."""
    extra = {k: v for k, v in (row.get("extra") or {}).items() if k not in _EXPORTED and k != "notes"}
    return {**extra, **{k: row[k] for k in _EXPORTED}}


def _plain(row: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in row.items()}


def main() -> None:
    app()  # logging is set up by the app's callback (--log-json, --log-level, log_* settings)


if __name__ == "__main__":
    main()
