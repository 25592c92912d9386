"""Date expressions: found with exact offsets, normalised against the publication date, never a guessed day."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from rashomon.nlp.dates import date_range, extract_dates, parse_anchor
from rashomon.nlp.model import load_pipeline
from rashomon.nlp.sentences import SentenceIndex

PUB = "2024-11-29"          # a Friday


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline()


def dates(nlp, text, published=PUB, precision=None):
    doc = nlp(text)
    found = extract_dates(doc, published, precision, SentenceIndex(doc))
    for d in found:
        assert text[d.start:d.end] == d.text, d
        assert d.status in ("resolved", "unresolved")
        assert (d.value is None) == (d.status == "unresolved")
    return found


def by_text(found):
    return {d.text: d for d in found}


def one(nlp, text, surface, published=PUB, precision=None):
    found = by_text(dates(nlp, text, published, precision))
    assert surface in found, f"{surface!r} not found in {sorted(found)}"
    return found[surface]


# --- absolute dates -------------------------------------------------------------------------

@pytest.mark.parametrize("text,surface,value", [
    ("The offensive began on Nov. 27, 2024, officials said.", "Nov. 27, 2024", "2024-11-27"),
    ("The siege started on 25 April 2009 in the north.", "25 April 2009", "2009-04-25"),
    ("It was signed on November 25 by both sides.", "November 25", "2024-11-25"),
    ("The file is dated 2021-07-30 in the archive.", "2021-07-30", "2021-07-30"),
    ("Posted on Thursday , 28 May 2009 | comment", "Thursday , 28 May 2009", "2009-05-28"),
])
def test_absolute_days(nlp, text, surface, value):
    d = one(nlp, text, surface)
    assert (d.value, d.precision, d.status) == (value, "day", "resolved")


def test_day_month_takes_the_nearest_year_corrected_by_tense(nlp):
    # January article, a past event "on December 28": last December, not eleven months ahead
    d = one(nlp, "The ceasefire collapsed on December 28 after talks failed.", "December 28", "2024-01-05")
    assert d.value == "2023-12-28"
    # December article, a future deadline in January: next year
    d = one(nlp, "The ministry will publish the report on January 5.", "January 5", "2024-12-20")
    assert d.value == "2025-01-05"
    # within a month of publication the nearest date wins whatever the tense
    d = one(nlp, "Officials said the vote was held on Nov. 2.", "Nov. 2", PUB)
    assert d.value == "2024-11-02"


def test_weekday_written_with_a_date_picks_the_year(nlp):
    d = one(nlp, "The rally took place on Wednesday, Nov. 27.", "Wednesday, Nov. 27", "2025-03-01")
    assert d.value == "2024-11-27"          # 27 November is a Wednesday in 2024, not in 2025


def test_ambiguous_numeric_date_is_not_guessed(nlp):
    d = one(nlp, "The contract dated 03/04/2010 was leaked.", "03/04/2010")
    assert d.status == "unresolved" and "ambiguous" in d.note
    assert one(nlp, "The contract dated 25/04/2010 was leaked.", "25/04/2010").value == "2010-04-25"


# --- weekdays ------------------------------------------------------------------------------

def test_weekday_past_is_the_most_recent_on_or_before_publication(nlp):
    d = one(nlp, "Rebels launched the offensive on Wednesday, residents said.", "Wednesday")
    assert (d.value, d.precision, d.anchor) == ("2024-11-27", "day", "published")
    assert one(nlp, "The council met on Friday to vote.", "Friday").value == PUB      # same day


def test_weekday_future_tense_is_the_next_on_or_after_publication(nlp):
    assert one(nlp, "The ministers will meet on Monday in Geneva.", "Monday").value == "2024-12-02"
    assert one(nlp, "Talks are due to resume on Tuesday.", "Tuesday").value == "2024-12-03"


def test_last_and_next_weekday(nlp):
    found = by_text(dates(nlp, "He arrived last Wednesday and leaves next Wednesday."))
    assert found["last Wednesday"].value == "2024-11-27"
    assert found["next Wednesday"].value == "2024-12-04"


def test_weekday_needs_a_publication_day(nlp):
    d = one(nlp, "Rebels attacked on Wednesday.", "Wednesday", None)
    assert (d.value, d.status, d.precision) == (None, "unresolved", None)
    assert "publication" in d.note
    d = one(nlp, "Rebels attacked on Wednesday.", "Wednesday", "2024-11", "month")
    assert d.status == "unresolved" and "2024-11" in d.note


# --- relative to publication --------------------------------------------------------------

@pytest.mark.parametrize("text,surface,value,precision", [
    ("Two soldiers were killed yesterday near the border.", "yesterday", "2024-11-28", "day"),
    ("The minister resigned today.", "today", "2024-11-29", "day"),
    ("Shelling resumed last night in the city.", "last night", "2024-11-28", "day"),
    ("The bridge collapsed two days ago.", "two days ago", "2024-11-27", "day"),
    ("Prices rose sharply last week.", "last week", "2024-W47", "week"),
    ("The talks continue this week.", "this week", "2024-W48", "week"),
    ("Earlier this month, the army withdrew.", "Earlier this month", "2024-11", "month"),
    ("Exports fell last month.", "last month", "2024-10", "month"),
    ("The company collapsed last year.", "last year", "2023", "year"),
    ("The dam was built three years ago.", "three years ago", "2021", "year"),
    ("Elections are expected next year.", "next year", "2025", "year"),
])
def test_relative_to_publication(nlp, text, surface, value, precision):
    d = one(nlp, text, surface)
    assert (d.value, d.precision, d.status, d.anchor) == (value, precision, "resolved", "published")


def test_a_screen_resolution_is_no_year(nlp):
    found = by_text(dates(nlp, "Since 2008 the notebook has come with a 1920 x 1200 display, not the 1680x1050 one."))
    assert sorted(found) == ["2008"]


def test_today_inside_a_quotation_counts_from_an_unknown_day(nlp):
    # a statement released the day before the report: its "this afternoon" is not the publication day
    found = dates(nlp, '"This afternoon, the President and the Speaker met," the statement said. '
                       'They met again this afternoon. "We spoke yesterday," she said on Wednesday.')
    quoted, plain, yesterday = [d for d in found if d.text.lower() in ("this afternoon", "yesterday")]
    assert (quoted.status, quoted.value) == ("unresolved", None)
    assert "quotation" in quoted.note
    assert (plain.status, plain.value) == ("resolved", "2024-11-29")
    assert (yesterday.status, yesterday.value) == ("unresolved", None)
    assert one(nlp, '"We spoke yesterday," she said on Wednesday.', "Wednesday").value == "2024-11-27"


def test_publication_datetime_with_offset_uses_its_local_date(nlp):
    d = one(nlp, "The fire started yesterday.", "yesterday", "2021-07-31T09:45:00-07:00")
    assert d.value == "2021-07-30"


def test_without_publication_date_relative_dates_are_unresolved_never_guessed(nlp):
    text = ("Yesterday the army entered the town. Last week talks failed. Two days ago a convoy was hit. "
            "The town fell in 2016. On Nov. 27 rebels advanced.")
    found = by_text(dates(nlp, text, None))
    for surface in ("Yesterday", "Last week", "Two days ago", "Nov. 27"):
        d = found[surface]
        assert (d.value, d.precision, d.status) == (None, None, "unresolved"), d
        assert d.note
    assert (found["2016"].value, found["2016"].status) == ("2016", "resolved")   # absolute still resolves


def test_year_only_publication_resolves_only_what_a_year_allows(nlp):
    found = by_text(dates(nlp, "Yesterday the plan was approved. Last year it was rejected.", "2024", "year"))
    assert found["Yesterday"].status == "unresolved"
    assert found["Last year"].value == "2023"


# --- years, months, decades, seasons ---------------------------------------------------------

def test_years_months_decades(nlp):
    text = ("The opposition lost the city in 2016. Protests began in March 2010. The town was quiet in "
            "the 1990s. Fighting resumed in March.")
    found = by_text(dates(nlp, text))
    assert (found["2016"].value, found["2016"].precision) == ("2016", "year")
    assert (found["March 2010"].value, found["March 2010"].precision) == ("2010-03", "month")
    assert (found["the 1990s"].value, found["the 1990s"].precision) == ("1990s", "decade")
    assert (found["March"].value, found["March"].precision) == ("2024-03", "month")


def test_bare_month_after_publication_month_in_past_tense_is_last_year(nlp):
    assert one(nlp, "The deal was signed in December.", "December", "2024-03-10").value == "2023-12"


def test_month_of_a_year_named_earlier(nlp):
    found = by_text(dates(nlp, "SARS was declared a pandemic in March 2003. By June of that year it had waned."))
    assert found["June of that year"].value == "2003-06"


def test_year_range_gives_both_years(nlp):
    found = dates(nlp, "A pandemic like that of 1918-19 killed millions.")
    assert [(d.text, d.value) for d in found] == [("1918", "1918"), ("19", "1919")]


def test_seasons(nlp):
    d = one(nlp, "The offensive stalled last summer.", "last summer")
    assert (d.value, d.precision) == ("2024-SU", "season")
    assert one(nlp, "The offensive stalled in the summer of 2013.", "the summer of 2013").value == "2013-SU"
    assert one(nlp, "It stalled last summer.", "last summer", None).status == "unresolved"


def test_holiday(nlp):
    d = one(nlp, "Aid arrived on Christmas Day.", "Christmas Day", "2024-12-30")
    assert d.value == "2024-12-25"


# --- anchored on events ---------------------------------------------------------------------

def test_two_days_after_a_dated_event(nlp):
    text = ("The rebels began launching a strike on Nov. 27 in the countryside. "
            "They entered Aleppo two days after launching the offensive.")
    d = one(nlp, text, "two days after")
    assert (d.value, d.precision, d.anchor) == ("2024-11-29", "day", "event")
    assert "Nov. 27" in d.note


def test_offset_from_a_date_written_after_it(nlp):
    d = one(nlp, "The town fell two days after Nov. 20, witnesses said.", "two days after")
    assert d.value == "2024-11-22"


def test_two_days_after_an_undated_event_is_unresolved(nlp):
    d = one(nlp, "The town fell two days after the bridge collapsed.", "two days after")
    assert (d.value, d.status, d.anchor) == (None, "unresolved", "event")
    assert "no date" in d.note


def test_narrative_offsets(nlp):
    text = "The boy arrived in Brownsville on 4 April and developed symptoms four days later."
    assert one(nlp, text, "four days later", "2009-04-29").value == "2009-04-08"
    text = "The talks collapsed on Monday. The next day, fighting resumed."
    assert one(nlp, text, "The next day").value == "2024-11-26"


def test_anchored_date_after_publication_in_past_tense_is_rejected(nlp):
    text = "The talks collapsed on Thursday. A week later a truce was agreed."
    d = one(nlp, text, "A week later")
    assert d.status == "unresolved"


# --- not dates -----------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "He was jailed for 13 years.",
    "She is 13 years old.",
    "Four years of war followed.",
    "Officials said the past two weeks were the worst.",
    "Aid will be needed over the next year.",
    "It may be four months before a vaccine is ready.",
    "Fighting lasted two weeks after the ceasefire collapsed.",
    "The well leaked 25,000 barrels of oil a day before the cap was fitted.",
    "A 13-year-old boy died at the two-day summit.",
    "In recent years the town grew.",
    "The operation lasted 24 hours.",
    "At 1930 GMT the shear was completed.",
    "The Sunday Times reported the story.",
    "Some 2000 troops were deployed.",
])
def test_durations_ages_and_names_are_not_dates(nlp, text):
    assert [(d.text, d.value) for d in dates(nlp, text)] == []


# --- robustness ------------------------------------------------------------------------------

def test_offsets_are_exact_and_sentences_indexed(nlp):
    text = ("Headline: strike on Wednesday\n\nRebels — backed by drones — took the city on Nov. 27, 2024 . "
            "`` It fell yesterday , '' a resident said . Vote set for 5 Jan. « Next week » talks.")
    found = dates(nlp, text)
    assert {d.text for d in found} >= {"Wednesday", "Nov. 27, 2024", "yesterday", "5 Jan.", "Next week"}
    assert all(d.sentence >= 0 for d in found)
    assert [d.start for d in found] == sorted(d.start for d in found)


def test_all_caps_and_empty_texts(nlp):
    assert dates(nlp, "") == []
    found = by_text(dates(nlp, "OFFICIALS SAID ON WEDNESDAY THAT 12 PEOPLE WERE HURT."))
    assert found["WEDNESDAY"].value == "2024-11-27"


def test_parse_anchor_precisions():
    assert parse_anchor("2024-11-29").precision == "day"
    assert parse_anchor("2024-11").precision == "month"
    assert parse_anchor("2024").precision == "year"
    assert parse_anchor("2024-01-01", "year").precision == "year"      # a year written as a day stays a year
    assert parse_anchor(None).precision is None
    assert parse_anchor("soon").precision is None


def test_date_range():
    assert date_range("2024-W48", "week") == (dt.date(2024, 11, 25), dt.date(2024, 12, 1))
    assert date_range("2024-02", "month") == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    assert date_range("2009-WI", "season") == (dt.date(2009, 12, 1), dt.date(2010, 2, 28))
    assert date_range("1990s", "decade") == (dt.date(1990, 1, 1), dt.date(1999, 12, 31))
    assert date_range(None, None) is None


# --- the evaluation -------------------------------------------------------------------------

def test_score_counts_multiset_and_set_matches():
    from rashomon.evaluation.dates import comparable, score

    assert comparable("2016", "year") == "2016-01-01"
    assert comparable("2010-03", "month") == "2010-03-01"
    assert comparable("2024-W47", "week") is None
    result = score([(["2010-06-01", "2010-06-01", "2009-01-01"], ["2010-06-01", "2010-05-31"])])
    assert result["multiset"]["tp"] == 1 and result["multiset"]["pred"] == 3 and result["multiset"]["gold"] == 2
    assert result["set"]["tp"] == 1 and result["set"]["pred"] == 2
    assert result["by_precision"]["year"]["pred"] == 1 and result["by_precision"]["year"]["tp"] == 0


def test_evaluate_on_a_small_timeline_folder(tmp_path):
    from rashomon.evaluation.dates import evaluate

    subset = tmp_path / "toy_subset"
    subset.mkdir()
    (subset / "articles.json").write_text(json.dumps([
        {"uid": "1", "dct": "2010-06-01", "text": "BP shares fell on Tuesday . The well blew out in April 2010 .",
         "dates": ["2010-06-01", "2010-04-01"]},
        {"uid": "2", "dct": "2010-06-01", "text": "Never annotated .", "dates": [None, None]},
    ]))
    result = evaluate(tmp_path, baselines=True)
    overall = result["overall"]
    assert overall["n_articles"] == 1 and overall["skipped_unannotated"] == 1
    assert overall["ours"]["multiset"]["f1"] == 1.0
    assert "dateparser_search" in overall and "spacy_dateparser" in overall
    from typer.testing import CliRunner

    from rashomon.cli import app

    run = CliRunner().invoke(app, ["eval", "dates", str(tmp_path), "--json", "--no-baselines"])
    assert run.exit_code == 0, run.output
    assert json.loads(run.stdout)["overall"]["ours"]["multiset"]["f1"] == 1.0
