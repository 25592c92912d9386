"""The watch loop: poll each feed when it is due, store what is new, update the stories, and wait.

Time comes from an injectable ``clock`` (epoch seconds) and waiting from an injectable ``sleep``, so a
test can run days of polls on a fake clock in milliseconds. ``stop`` (a threading.Event, set by Ctrl-C in
the CLI) is checked between feeds: the feed being polled is finished, and its state saved, first.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import httpx

from ..errors import ConfigError, HTTPStatusError, InputError
from ..settings import Settings
from ..sources import Fetcher
from ..storage import Store
from .changes import describe_counts
from .poll import poll_feed
from .polite import PoliteTransport
from .schedule import backoff_delay, retry_after_seconds
from .state import FeedState, load_feed_states, save_feed_state
from .update import refresh_stories, store_documents

__all__ = ["FeedReport", "WatchReport", "run_watch", "ROBOTS_TTL"]

log = logging.getLogger("rashomon.watch")

# robots.txt is read again after this many seconds: a watch may run for weeks, and sites change rules.
ROBOTS_TTL = 86_400.0


@dataclass
class FeedReport:
    url: str
    polls: int = 0
    not_modified: int = 0       # polls answered 304
    fetched: int = 0            # polls answered with content
    failures: int = 0
    new_articles: int = 0
    last_error: str | None = None
    next_poll_at: str | None = None


@dataclass
class WatchReport:
    rounds: int = 0
    polls: int = 0
    requests: int = 0           # HTTP requests sent, robots.txt and linked pages included
    host_wait_seconds: float = 0.0
    new_articles: int = 0
    new_stories: int = 0
    grown_stories: int = 0
    changes: list[dict[str, Any]] = field(default_factory=list)
    stopped: bool = False       # ended by ``stop`` (Ctrl-C), not by the number of rounds
    feeds: list[FeedReport] = field(default_factory=list)


def _utc(seconds: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(seconds, dt.timezone.utc)


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None


def run_watch(urls: Sequence[str], store: Store, settings: Settings, *, polls: int | None = None,
              clock: Callable[[], float] = time.time, sleep: Callable[[float], Any] | None = None,
              stop: threading.Event | None = None, transport: httpx.BaseTransport | None = None,
              progress: Callable[[str], None] | None = None) -> WatchReport:
    """Watch ``urls`` until ``polls`` rounds are done (None: until ``stop`` is set).

    A round polls every feed that is due, then places the new articles in stories; between rounds the
    loop sleeps until the next feed is due. ``sleep`` defaults to waiting on ``stop`` (so Ctrl-C ends the
    wait at once) between rounds and to ``time.sleep`` for per-host delays.
    """
    if polls is not None and polls < 1:
        raise ConfigError(f"--polls {polls}: expected at least 1 (or leave it out to watch until Ctrl-C)")
    if settings.watch_interval <= 0:
        raise ConfigError("watch_interval must be more than 0 seconds")
    stop = stop or threading.Event()
    say = progress or (lambda _line: None)
    round_sleep = sleep or stop.wait
    hosts: dict[str, float] = {}
    transports: list[PoliteTransport] = []

    def new_fetcher() -> Fetcher:
        polite = PoliteTransport(settings.watch_host_delay, clock=clock, sleep=sleep or time.sleep,
                                 inner=transport, hosts=hosts)
        transports.append(polite)
        return Fetcher(settings, transport=polite)

    states = load_feed_states(store, urls)
    report = WatchReport(feeds=[FeedReport(s.url) for s in states])
    by_url = {f.url: f for f in report.feeds}
    fetcher, fetcher_born = new_fetcher(), clock()
    try:
        while polls is None or report.rounds < polls:
            if stop.is_set():
                report.stopped = True
                break
            now = clock()
            due = sorted((s for s in states if s.due() <= now), key=lambda s: (s.due(), s.url))
            if not due:
                round_sleep(max(0.0, min(s.due() for s in states) - now))
                continue
            if now - fetcher_born > ROBOTS_TTL:
                fetcher.close()
                fetcher, fetcher_born = new_fetcher(), now
            new = 0
            for state in due:
                if stop.is_set():
                    report.stopped = True
                    break
                new += _poll_one(state, fetcher, store, settings, clock, now, by_url[state.url], report, say)
            report.rounds += 1
            if report.stopped:
                if new:
                    say(f"stopped: {new} new article(s) are stored; the next watch places them in stories")
                break
            # The first round also places what an earlier, interrupted watch stored but did not place.
            if new or report.rounds == 1:
                refresh = refresh_stories(store, settings, _utc(clock()))
                report.new_stories += refresh.new_stories
                report.grown_stories += refresh.grown_stories
                report.changes += [{"story_id": c.story_id, "at": _iso(c.at), "kind": c.kind, "ref": c.ref,
                                    "summary": c.summary} for c in refresh.changes]
                _say_changes(refresh.changes, say)
    finally:
        fetcher.close()
        report.requests = sum(t.requests for t in transports)
        report.host_wait_seconds = round(sum(t.waited for t in transports), 3)
    return report


def _poll_one(state: FeedState, fetcher: Fetcher, store: Store, settings: Settings, clock: Callable[[], float],
              round_start: float, feed: FeedReport, report: WatchReport, say: Callable[[str], None]) -> int:
    """Poll one feed, store what is new and save its state; returns the number of new articles.

    The next poll is scheduled from the start of the round, not of this poll: otherwise the host delays
    within a round would spread the feeds of one host over ever more rounds."""
    started = round_start
    state.last_polled_at = _utc(clock())
    feed.polls += 1
    report.polls += 1
    try:
        outcome = poll_feed(state, fetcher, settings)
    except InputError as exc:
        _failed(state, settings, started, exc.reason,
                exc.status if isinstance(exc, HTTPStatusError) else None,
                exc.headers.get("retry-after") if isinstance(exc, HTTPStatusError) else None)
    except (MemoryError, RecursionError) as exc:
        _failed(state, settings, started, f"too complex to read ({type(exc).__name__})", None, None)
    except Exception as exc:  # a bug in a reader must not stop the other feeds
        log.exception("unexpected error polling %s", state.url)
        _failed(state, settings, started, f"unexpected error {type(exc).__name__}: {exc} (a bug in Rashomon; "
                                          "please report it with this feed)", None, None)
    else:
        stored = store_documents(store, settings, outcome)
        state.remember(outcome.keys)
        if outcome.status != 304:
            # Validators are kept only when everything in the response was taken: otherwise the next
            # poll would be answered 304 and what was left for it never read.
            keep = outcome.complete and not outcome.problem
            state.etag = outcome.etag if keep else None
            state.last_modified = outcome.last_modified if keep else None
        if outcome.problem:
            _failed(state, settings, started, outcome.problem, outcome.status, None)
        else:
            state.last_status, state.failures, state.last_error = outcome.status, 0, None
            state.next_poll_at = _utc(started + settings.watch_interval)
        save_feed_state(store, state)
        if outcome.problem:
            feed.failures += 1
            feed.last_error = state.last_error
        feed.next_poll_at = _iso(state.next_poll_at)
        if outcome.status == 304:
            feed.not_modified += 1
            say(f"{state.url}: not modified (304)")
            return 0
        feed.fetched += 1
        feed.new_articles += len(stored.new)
        report.new_articles += len(stored.new)
        say(f"{state.url}: {outcome.entries} entries, {len(outcome.documents)} new, {len(stored.new)} new "
            f"article(s), {stored.rejected} rejected")
        return len(stored.new)
    save_feed_state(store, state)
    feed.failures += 1
    feed.last_error = state.last_error
    feed.next_poll_at = _iso(state.next_poll_at)
    say(f"{state.url}: failed ({state.last_error}); failure {state.failures} in a row, next poll at "
        f"{feed.next_poll_at}")
    return 0


def _failed(state: FeedState, settings: Settings, started: float, reason: str, status: int | None,
            retry_after: str | None) -> None:
    state.failures += 1
    state.last_status = status
    state.last_error = reason
    delay = backoff_delay(state.failures, settings.watch_interval, settings.watch_max_backoff,
                          retry_after_seconds(retry_after, started))
    state.next_poll_at = _utc(started + delay)


def _say_changes(changes, say: Callable[[str], None]) -> None:
    counts: dict[str, dict[str, int]] = {}
    for c in changes:
        counts.setdefault(c.story_id, {}).setdefault(c.kind, 0)
        counts[c.story_id][c.kind] += 1
    for story_id, kinds in counts.items():
        say(f"story {story_id}: {describe_counts(kinds)}")
