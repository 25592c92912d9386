"""Publication dates: parsed with their precision, checked for plausibility, never invented."""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from dataclasses import dataclass

__all__ = ["Published", "parse_published"]

_YEAR = re.compile(r"^\s*(\d{4})\s*$")
_YEAR_MONTH = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")
_ISO_DAY = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
_FULL_YEAR = re.compile(r"(?<!\d)\d{4}(?!\d)")
_CLOCK = re.compile(r"\d:\d|\d\s*[ap]\.?m\b", re.I)
_DATEPARSER_SETTINGS = {
    # Absolute dates only: "two days ago" in a publication field has no trustworthy anchor.
    "PARSERS": ["timestamp", "absolute-time"],
    "REQUIRE_PARTS": ["day", "month", "year"],
    "RETURN_AS_TIMEZONE_AWARE": False,
}


@dataclass(frozen=True)
class Published:
    value: str | None        # ISO 8601 date or datetime
    precision: str | None    # day | month | year
    note: str | None         # why unknown, when it is


def parse_published(raw: object, *, now: dt.datetime, min_year: int, max_future_days: int) -> Published:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return Published(None, None, "no publication date in the input")
    shown = repr(raw) if not isinstance(raw, str) else repr(raw.strip()[:60])
    try:
        when, precision = _parse(raw)
    except (ValueError, OverflowError, TypeError):
        when, precision = None, None
    if when is None:
        return Published(None, None, f"unparsable publication date {shown}")
    naive = when.replace(tzinfo=None) if isinstance(when, dt.datetime) else dt.datetime(when.year, when.month, when.day)
    if when.year < min_year:
        return Published(None, None, f"implausible publication date {shown}: before {min_year}")
    limit = now.replace(tzinfo=None) + dt.timedelta(days=max_future_days)
    if naive > limit:
        return Published(None, None, f"implausible publication date {shown}: in the future "
                                     f"(now is {now.date().isoformat()})")
    if precision == "year":
        return Published(f"{when.year:04d}", "year", None)
    if precision == "month":
        return Published(f"{when.year:04d}-{when.month:02d}", "month", None)
    return Published(when.isoformat(), "day", None)


def _parse(raw: object) -> tuple[dt.date | dt.datetime | None, str | None]:
    if isinstance(raw, dt.datetime):
        return raw, "day"
    if isinstance(raw, dt.date):
        return raw, "day"
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        seconds = raw / 1000 if raw > 1e11 else raw  # milliseconds since the epoch are common
        return dt.datetime.fromtimestamp(seconds, tz=dt.timezone.utc), "day"
    text = str(raw).strip()
    if m := _YEAR.match(text):
        return dt.date(int(m.group(1)), 1, 1), "year"
    if m := _YEAR_MONTH.match(text):
        return dt.date(int(m.group(1)), int(m.group(2)), 1), "month"
    if m := _ISO_DAY.match(text):
        # Raises ValueError for 2024-13-01, which dateparser would read as 13 January.
        dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    iso = text.replace("Z", "+00:00") if text.endswith("Z") else text
    try:
        value = dt.datetime.fromisoformat(iso)
        return (value.date() if len(text) <= 10 else value), "day"
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(text), "day"
    except (TypeError, ValueError, IndexError):
        pass
    import dateparser  # slow to import; only needed for free-form dates

    value = dateparser.parse(text, settings=_DATEPARSER_SETTINGS)
    if value is not None:
        # "Nov. 27, 2024" names a day, not midnight: no invented time of day.
        return (value if _CLOCK.search(text) else value.date()), "day"
    if not _FULL_YEAR.search(text):  # "Nov 15" is a day without a year, not November 2015
        return None, None
    month_only = dateparser.parse(text, settings={**_DATEPARSER_SETTINGS, "REQUIRE_PARTS": ["month", "year"]})
    return (month_only, "month") if month_only is not None else (None, None)
