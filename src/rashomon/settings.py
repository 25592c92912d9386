"""Settings, defined once.

Each setting is declared here as (name, default, help). Values are layered
defaults < config file (TOML) < environment (``RASHOMON_<NAME>``) < explicit overrides
(CLI flags or keyword arguments), then validated into one frozen :class:`Settings`.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from pathlib import Path
from typing import Any, Mapping

from .errors import ConfigError

__all__ = ["Setting", "SETTINGS", "Settings", "load_settings"]


@dataclasses.dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str
    choices: tuple[str, ...] | None = None


SETTINGS: tuple[Setting, ...] = (
    Setting("db", "sqlite:///rashomon.db",
            "Store URL: sqlite:///PATH (default) or postgresql+psycopg://USER@HOST/DB."),
    Setting("max_document_bytes", 50_000_000,
            "Largest single document (text, HTML, feed) read; larger files are rejected."),
    Setting("max_record_bytes", 10_000_000,
            "Largest single record inside a stream (JSONL line, CSV row, WARC record)."),
    Setting("min_words", 10, "Articles with fewer words are rejected as too short (briefs of a sentence or two still count)."),
    Setting("http_timeout", 20.0, "Seconds to wait on connect/read for one HTTP request."),
    Setting("http_max_bytes", 20_000_000, "Largest HTTP response body accepted."),
    Setting("http_max_redirects", 5, "Redirects followed before a URL is given up."),
    Setting("user_agent", "Rashomon/0.1 (multi-source news analysis)",
            "User-Agent sent with every HTTP request and matched against robots.txt."),
    Setting("respect_robots", True, "Check robots.txt before fetching a page."),
    Setting("fetch_feed_links", "auto",
            "Fetch the page an RSS/Atom entry links to: auto (only when the entry has no "
            "full text), always, never.", choices=("auto", "always", "never")),
    Setting("near_duplicate_jaccard", 0.5,
            "MinHash Jaccard similarity at or above which two articles are syndicated copies."),
    Setting("near_duplicate_containment", 0.8,
            "Share of the shorter article's shingles found in the longer one that marks a "
            "shortened wire copy."),
    Setting("min_year", 1990, "Publication dates before this year are treated as implausible."),
    Setting("max_future_days", 1, "Publication dates more than this many days ahead are implausible."),
    Setting("batch_size", 200, "Articles written per database transaction."),
    Setting("read_articles", True,
            "Run the per-article reading (entities, actors, dates, quantities, attributions) in analyze."),
    Setting("nlp_processes", 1, "Processes for the per-article reading (spaCy n_process)."),
    Setting("group_stories", True, "Group the analysed articles into stories in analyze."),
    Setting("outlets_file", "",
            "YAML or CSV file of outlet metadata you supply (domain, name, country, owner, leaning, notes); "
            "empty = none. Rashomon ships no outlet ratings."),
    Setting("batch_workers", 2, "Dask workers `rashomon batch` starts on this machine (0 = no Dask: one process)."),
    Setting("batch_retries", 2, "Times `rashomon batch` retries a failed partition before reporting it."),
    Setting("batch_story_every", 5000,
            "New articles after which `rashomon batch` places the finished ones into stories while the rest run."),
    Setting("watch_interval", 900.0, "Seconds between two polls of one feed by `rashomon watch`."),
    Setting("watch_host_delay", 2.0, "Least seconds between two requests to the same host while watching."),
    Setting("watch_max_backoff", 86_400.0,
            "Longest wait, in seconds, before polling again a feed that keeps failing (the backoff doubles "
            "from watch_interval up to this)."),
    Setting("log_format", "text", "How the command line writes log records to stderr: text, or json (one object "
            "a line: ts, level, logger, msg and the record's fields).", choices=("text", "json")),
    Setting("log_level", "warning", "Least severity of the log records written.",
            choices=("debug", "info", "warning", "error", "critical")),
)

_BY_NAME = {s.name: s for s in SETTINGS}


@dataclasses.dataclass(frozen=True)
class Settings:
    db: str
    max_document_bytes: int
    max_record_bytes: int
    min_words: int
    http_timeout: float
    http_max_bytes: int
    http_max_redirects: int
    user_agent: str
    respect_robots: bool
    fetch_feed_links: str
    near_duplicate_jaccard: float
    near_duplicate_containment: float
    min_year: int
    max_future_days: int
    batch_size: int
    read_articles: bool
    nlp_processes: int
    group_stories: bool
    outlets_file: str
    batch_workers: int
    batch_retries: int
    batch_story_every: int
    watch_interval: float
    watch_host_delay: float
    watch_max_backoff: float
    log_format: str
    log_level: str

    def replace(self, **changes: Any) -> "Settings":
        return load_settings(overrides={**dataclasses.asdict(self), **changes}, env={}, config_file=None)


def _coerce(setting: Setting, value: Any, origin: str) -> Any:
    kind = type(setting.default)
    try:
        if kind is bool:
            if isinstance(value, str):
                low = value.strip().lower()
                if low in ("1", "true", "yes", "on"):
                    value = True
                elif low in ("0", "false", "no", "off"):
                    value = False
                else:
                    raise ValueError(value)
            value = bool(value)
        elif kind is int:
            if isinstance(value, float) and not value.is_integer():
                raise ValueError(value)
            value = int(value)
        elif kind is float:
            value = float(value)
        else:
            value = str(value)
    except (TypeError, ValueError):
        raise ConfigError(
            f"setting {setting.name!r} from {origin} must be {kind.__name__}, got {value!r}"
        ) from None
    if setting.choices and value not in setting.choices:
        raise ConfigError(
            f"setting {setting.name!r} from {origin} is {value!r}; valid: {', '.join(setting.choices)}"
        )
    if kind in (int, float) and value < 0:
        raise ConfigError(f"setting {setting.name!r} from {origin} must not be negative, got {value}")
    return value


def load_settings(
    overrides: Mapping[str, Any] | None = None,
    *,
    env: Mapping[str, str] | None = None,
    config_file: str | os.PathLike | None = None,
) -> Settings:
    """Build the settings: defaults < config file < environment < overrides.

    ``config_file`` is a TOML file with a ``[rashomon]`` table (or top-level keys); when
    None, ``RASHOMON_CONFIG`` names one if set. ``None`` values in overrides are ignored,
    so CLI flags left unset do not mask lower layers.
    """
    env = os.environ if env is None else env
    values = {s.name: s.default for s in SETTINGS}

    path = config_file if config_file is not None else env.get("RASHOMON_CONFIG")
    if path:
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"config file {path} does not exist") from None
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"config file {path} is not valid TOML: {exc}") from None
        except OSError as exc:  # a folder, no permission, ...
            raise ConfigError(f"config file {path} cannot be read: {exc.strerror or exc}") from None
        data = data.get("rashomon", data)
        for key, value in data.items():
            _check_name(key, f"config file {path}")
            values[key] = _coerce(_BY_NAME[key], value, f"config file {path}")

    for s in SETTINGS:
        key = f"RASHOMON_{s.name.upper()}"
        if key in env:
            values[s.name] = _coerce(s, env[key], f"environment variable {key}")

    for key, value in (overrides or {}).items():
        if value is None:
            continue
        _check_name(key, "arguments")
        values[key] = _coerce(_BY_NAME[key], value, f"argument {key}")
    return Settings(**values)


def _check_name(key: str, origin: str) -> None:
    if key not in _BY_NAME:
        raise ConfigError(f"unknown setting {key!r} in {origin}; valid: {', '.join(_BY_NAME)}")
