"""Publication dates: precision kept, plausibility checked against an injected clock, nothing invented."""

from __future__ import annotations

import datetime as dt

import pytest

import rashomon
from rashomon.articles.dates import Published, parse_published

from .conftest import article_text

NOW = dt.datetime(2024, 12, 1, 12, 0, tzinfo=dt.timezone.utc)


def parse(raw, now=NOW, min_year=1990, max_future_days=1) -> Published:
    return parse_published(raw, now=now, min_year=min_year, max_future_days=max_future_days)


@pytest.mark.parametrize("raw,value", [
    ("2024-11-27T09:30:00+03:00", "2024-11-27T09:30:00+03:00"),   # ISO with offset, kept as given
    ("2024-11-27T09:30:00-05:00", "2024-11-27T09:30:00-05:00"),
    ("2024-11-27T09:30:00Z", "2024-11-27T09:30:00+00:00"),
    ("2024-11-27 09:30", "2024-11-27T09:30:00"),
    ("2024-11-27", "2024-11-27"),
    ("20241127", "2024-11-27"),
    ("Wed, 27 Nov 2024 09:30:00 +0000", "2024-11-27T09:30:00+00:00"),  # RFC 822 (RSS pubDate)
    ("Wed, 27 Nov 2024 09:30:00 GMT", "2024-11-27T09:30:00+00:00"),
    ("27 Nov 2024 09:30:00 +0100", "2024-11-27T09:30:00+01:00"),
    ("Nov. 27, 2024", "2024-11-27"),                                  # free text: a day, no invented time
    ("27 November 2024", "2024-11-27"),
    ("November 27, 2024 at 10:15", "2024-11-27T10:15:00"),
    (" 2024-11-27 ", "2024-11-27"),
])
def test_day_precision(raw, value):
    got = parse(raw)
    assert got == Published(value, "day", None)


def test_year_precision():
    assert parse("2016") == Published("2016", "year", None)


def test_month_precision():
    assert parse("2016-05") == Published("2016-05", "month", None)
    assert parse("2016-5") == Published("2016-05", "month", None)


@pytest.mark.parametrize("raw", ["November 2024", "Nov 2024"])
def test_month_name_and_year_is_month_precision_not_an_invented_day(raw):
    assert parse(raw) == Published("2024-11", "month", None)


@pytest.mark.parametrize("raw", ["27 Nov", "Nov 15", "Nov 24", "Tuesday 27 Nov", "Tuesday", "summer 2024", "sometime soon", "n/a", "0", "2024-00",
                                 "2024-02-30", "2024-13-01", "two days ago", "yesterday"])
def test_unparsable_or_partial_dates_are_none_with_a_note(raw):
    got = parse(raw)
    assert got.value is None and got.precision is None
    assert got.note == f"unparsable publication date {raw!r}"


def test_a_day_without_a_year_does_not_become_a_month_of_some_year():
    # dateparser alone reads "Nov 15" as November 2015 and "27 Nov" as November 2027.
    assert parse("Nov 15").value is None
    assert parse("27 Nov", now=dt.datetime(2030, 1, 1, tzinfo=dt.timezone.utc)).value is None


def test_impossible_iso_date_is_not_swapped_into_another_day():
    # dateparser alone reads 2024-13-01 as 13 January: an invented date.
    assert parse("2024-13-01").value is None


def test_future_dates_are_implausible():
    got = parse("2030-01-01")
    assert got.value is None and got.precision is None
    assert "in the future" in got.note and "2024-12-01" in got.note and "'2030-01-01'" in got.note


def test_future_tolerance_follows_max_future_days():
    assert parse("2024-12-02").value == "2024-12-02"          # within one day: time zones
    assert parse("2024-12-03").value is None
    assert parse("2024-12-03", max_future_days=3).value == "2024-12-03"
    assert parse("2025").value is None and "future" in parse("2025").note
    assert parse("2024-12").value == "2024-12"


def test_the_clock_is_injected():
    later = dt.datetime(2031, 1, 1, tzinfo=dt.timezone.utc)
    assert parse("2030-01-01", now=later).value == "2030-01-01"


@pytest.mark.parametrize("raw", ["1985-06-01", "1985", "Mon, 02 Jan 1970 00:00:00 GMT", 0])
def test_dates_before_min_year_are_implausible(raw):
    got = parse(raw)
    assert got.value is None and "before 1990" in got.note


def test_min_year_is_a_setting():
    assert parse("1985-06-01", min_year=1900).value == "1985-06-01"


@pytest.mark.parametrize("raw", [None, "", "   "])
def test_missing_dates(raw):
    assert parse(raw) == Published(None, None, "no publication date in the input")


def test_python_dates_and_timestamps():
    assert parse(dt.date(2024, 11, 27)) == Published("2024-11-27", "day", None)
    aware = dt.datetime(2024, 11, 27, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    assert parse(aware).value == "2024-11-27T09:30:00+02:00"
    assert parse(1732700000).value == "2024-11-27T09:33:20+00:00"       # seconds since the epoch
    assert parse(1732700000000).value == "2024-11-27T09:33:20+00:00"    # milliseconds
    assert parse(True).value is None


def test_dates_reach_the_store_with_their_notes(tmp_path, sqlite_url, settings):
    import json

    f = tmp_path / "dates.jsonl"
    rows = [("y", "2016"), ("m", "2016-05"), ("d", "Nov. 27, 2024"), ("future", "2999-01-01"),
            ("old", "1950-01-01"), ("junk", "soonish"), ("none", None)]
    f.write_text("\n".join(json.dumps({"id": k, "date": v, "text": article_text(k)}) for k, v in rows))
    doc = rashomon.analyze([f], db=sqlite_url, settings=settings)
    by_id = {a["origins"][0]["external_id"]: a for a in doc["articles"]}
    assert (by_id["y"]["published"], by_id["y"]["published_precision"]) == ("2016", "year")
    assert (by_id["m"]["published"], by_id["m"]["published_precision"]) == ("2016-05", "month")
    assert (by_id["d"]["published"], by_id["d"]["published_precision"]) == ("2024-11-27", "day")
    for key, why in [("future", "in the future"), ("old", "before 1990"), ("junk", "unparsable"),
                     ("none", "no publication date")]:
        art = by_id[key]
        assert art["published"] is None and why in art["published_note"], key
        assert any(f["kind"] == "date_unknown" and why in f["evidence"] for f in art["quality"]["flags"]), key
