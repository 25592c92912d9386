"""Article quality flags, attribution profile and user outlet metadata (rashomon.framing)."""

from __future__ import annotations

import gzip
from importlib import resources

import pytest

import rashomon
from rashomon.errors import ConfigError
from rashomon.framing import (FLAG_KINDS, Outlet, OutletIndex, attribution_profile, boilerplate_spans,
                              load_outlets, quality_flags)
from rashomon.framing.outlets import parse_outlets
from rashomon.framing.quality import english_words, is_labelled_opinion, misspellings
from rashomon.output import render_html, render_markdown, validate_document

from .conftest import EXAMPLES

ROW = {"author": "Jane Doe", "published": "2024-03-05", "title": "Council passes budget", "language": "en",
       "url": "https://news.example.com/local/budget"}

CLEAN = ("The city council approved a budget of 12 million dollars on Tuesday after a debate that lasted "
         "four hours. Members voted seven to two in favour of the plan, which raises spending on schools "
         "and roads.\nThe mayor said the money would be spent over two years. Residents asked about taxes, "
         "and the finance director promised to publish a detailed report next month. Read the report "
         "carefully, one councillor told colleagues, before the next vote.")


def sentence(start, end, kind="none", source=None, hedges=(), cue=None, relay=False, s_start=None, s_end=None):
    return {"start": start, "end": end, "hedges": list(hedges),
            "attribution": {"source": source, "kind": kind, "cue": cue, "start": s_start, "end": s_end,
                            "relay": relay}}


def reading(text, sentences=(), quotes=(), mentions=(), actors=()):
    """A minimal stored analysis: the given sentences, else one sentence per line."""
    if not sentences:
        sentences, pos = [], 0
        for line in text.split("\n"):
            sentences.append(sentence(pos, pos + len(line)))
            pos += len(line) + 1
    return {"version": "test", "note": None, "sentences": list(sentences), "mentions": list(mentions),
            "actors": list(actors), "dates": [], "quantities": [], "quotes": list(quotes)}


def kinds(flags):
    return [f["kind"] for f in flags]


def check_spans(text, flags):
    for f in flags:
        if f["start"] is None:
            assert f["end"] is None and f["evidence"]
        else:
            assert text[f["start"]:f["end"]] == f["evidence"], f


# ---------------------------------------------------------------------------------------------
# negatives

def test_clean_news_paragraph_gets_no_flags():
    flags = quality_flags(CLEAN, reading(CLEAN), ROW)
    assert flags == []
    assert boilerplate_spans(CLEAN) == []


@pytest.mark.parametrize("text", [
    "She said she would read more books this year and read the bill before the vote.",
    "Officials will read more of the documents on Monday, the court said.",
    "The senator urged supporters to donate to food banks and to support the troops.",
    "An embedded chip in the battery adjusts the charge.",
    "Getty Images sued a software maker over its photos, the company said.",
])
def test_ordinary_prose_is_not_an_insert_or_boilerplate(text):
    assert boilerplate_spans(text) == []


def test_quoted_or_attributed_judgement_is_not_opinion_in_news():
    text = ('The minister called the vote "shameful" and left the chamber.\n'
            "The opposition leader said the decision was disgraceful.\n"
            "Critics said we must act now.")
    analysis = reading(text, quotes=[{"start": text.index("shameful"), "end": text.index("shameful") + 8,
                                      "text": "shameful", "speaker": "the minister"}])
    # the second and third lines are reported speech
    analysis["sentences"][1]["attribution"].update(kind="named", source="The opposition leader", cue="said")
    analysis["sentences"][2]["attribution"].update(kind="vague", source="Critics", cue="said")
    assert "opinion_in_news" not in kinds(quality_flags(text, analysis, ROW))
    # without any reading the plain quote pairing still protects the quoted word
    assert "opinion_in_news" not in kinds(quality_flags('He called it "shameful" at once.', None, ROW))


def test_named_source_carries_a_dramatic_claim():
    text = "Five people were killed in the blast, the Health Ministry of Ruritania said."
    analysis = reading(text, [sentence(0, len(text), "named", "the Health Ministry of Ruritania", cue="said")])
    assert quality_flags(text, analysis, ROW) == []


def test_accountable_vague_source_and_negated_claims_are_not_unverified():
    text = ("Two people were killed in the crash, police officials said.\n"
            "No one was injured, witnesses said.\n"
            "No deaths have been reported.")
    lines = text.split("\n")
    a = 0
    sents = []
    for line, (src, cue) in zip(lines, [("police officials", "said"), ("witnesses", "said"), (None, "have been reported")]):
        sents.append(sentence(a, a + len(line), "vague", src, cue=cue))
        a += len(line) + 1
    assert "unverified_claim" not in kinds(quality_flags(text, reading(text, sents), ROW))


# ---------------------------------------------------------------------------------------------
# each kind

def test_ai_disclosure_lines_and_statements():
    text = ("Image created by AI\nStorms swept the coast on Monday and closed two ports for the day.\n"
            "This article was generated with the help of AI and checked by an editor.")
    flags = quality_flags(text, reading(text), ROW)
    check_spans(text, flags)
    ai = [f for f in flags if f["kind"] == "ai_disclosure"]
    assert [f["evidence"] for f in ai] == ["Image created by AI",
                                           "This article was generated with the help of AI and checked by an editor."]
    prose = ("An AI-generated video of the senator spread online on Sunday before the platform removed it, "
             "and researchers said fakes made with AI tools were becoming harder to spot for ordinary viewers.")
    assert boilerplate_spans(prose) == []


def test_promotional_inserts_blocks_and_lines():
    text = ("Ports reopened on Tuesday after the storm.\n"
            "[READ MORE: Senator Says Storm Response Was Slow]\n"
            "Shipping resumed in the afternoon. READ MORE: Why ports close in storms\n"
            "Related stories\n"
            "Storm season starts early\n"
            "How ports prepare for floods\n"
            "Officials expect normal traffic by Friday.\n"
            "Sign up for our free morning newsletter to get the latest news.\n"
            "Follow us on Twitter and Facebook\n"
            "Please support our journalism: become a member today.")
    spans = boilerplate_spans(text)
    got = [(text[a:b], k) for a, b, k in spans]
    assert ("[READ MORE: Senator Says Storm Response Was Slow]", "promotional_insert") in got
    assert ("READ MORE: Why ports close in storms", "promotional_insert") in got
    assert ("Related stories\nStorm season starts early\nHow ports prepare for floods", "promotional_insert") in got
    assert ("Sign up for our free morning newsletter to get the latest news.", "promotional_insert") in got
    assert ("Follow us on Twitter and Facebook", "promotional_insert") in got
    assert ("Please support our journalism: become a member today.", "promotional_insert") in got
    assert not any("Officials expect" in t or "Shipping resumed" in t for t, _ in got)
    flags = quality_flags(text, reading(text), ROW)
    check_spans(text, flags)
    assert kinds(flags).count("promotional_insert") == 6


def test_boilerplate_credits_copyright_and_furniture():
    text = ("Rescuers search the rubble in the town centre (Photo by Jan Novak/AFP via Getty Images)\n"
            "Image: Reuters\n"
            "Cover: AP Photo/Omar Example\n"
            "The bridge will reopen next week, engineers said.\n"
            "Share this article\n"
            "Advertisement\n"
            "We use cookies to improve your experience on our site.\n"
            "Click here to see more pictures.\n"
            "© 2024 Example Media Group. All rights reserved.")
    spans = boilerplate_spans(text)
    got = {text[a:b] for a, b, k in spans if k == "boilerplate"}
    # a caption line goes whole; after a full sentence only the credit goes
    assert "Rescuers search the rubble in the town centre (Photo by Jan Novak/AFP via Getty Images)" in got
    prose = "The bridge reopened on Monday after repairs. (Photo by Jan Novak/AFP via Getty Images)"
    assert [prose[a:b] for a, b, _ in boilerplate_spans(prose)] == ["(Photo by Jan Novak/AFP via Getty Images)"]
    assert {"Image: Reuters", "Cover: AP Photo/Omar Example", "Share this article", "Advertisement"} <= got
    assert any(g.startswith("We use cookies") for g in got)
    assert any(g.startswith("Click here") for g in got)
    assert any(g.startswith("© 2024 Example Media Group") for g in got)
    assert not any("bridge" in g for g in got)
    check_spans(text, quality_flags(text, reading(text), ROW))


def test_spelling_density_and_what_never_counts():
    body = ("The goverment said the new policy would recieve funding next year, and officals planned a "
            "public meeting to explain it. ")
    filler = "The council met on Monday and approved the plan for new schools and roads in the city. "
    text = body + filler * 3
    unknown, total = misspellings(text)
    assert [w for _, _, w in unknown] == ["goverment", "recieve", "officals"]
    assert total == len(text.split())
    flags = quality_flags(text, reading(text), ROW)
    check_spans(text, flags)
    spelling = [f for f in flags if f["kind"] == "spelling"]
    assert len(spelling) == 1 and spelling[0]["evidence"] == "goverment"
    assert "3 unknown word(s)" in spelling[0]["note"] and len(spelling[0]["spans"]) == 3
    # names, capitalised words, numbers, URLs, e-mails, handles, compounds of known words,
    # quoted words and words used twice are not counted
    fine = ('Zelenskyy met Brnovich in Kyiv. Visit https://example.com/xqzt or www.example.org/abcq, write to '
            'qqx@example.com or @qqxhandle. A rebel-held town, a well-known long-standing pro-government '
            'livestream, 5km and 3rd place. He wrote "zorbly" in his notes; the blorvat and the blorvat again. '
            'Shipping resumed after the storm.')
    quoted = fine.index('"zorbly"')
    assert misspellings(fine, skip=[(quoted, quoted + 8)])[0] == []
    assert [w for _, _, w in misspellings(fine)[0]] == ["zorbly"]
    assert "spelling" not in kinds(quality_flags(fine + " Teh", None, ROW))
    # one slip in a long text is below the threshold
    one = "The goverment met. " + filler * 30
    assert "spelling" not in kinds(quality_flags(one, reading(one), ROW))


def test_word_list_ships_with_its_notice():
    words = english_words()
    assert {"the", "government", "ceasefire", "reportedly"} <= words and "goverment" not in words
    data = resources.files("rashomon.framing").joinpath("data")
    assert len(gzip.decompress(data.joinpath("words_en.txt.gz").read_bytes()).split()) > 100_000
    notice = data.joinpath("NOTICE").read_text("utf-8")
    assert "SCOWL" in notice and "Apache-2.0" in notice
    assert "Permission to use, copy, modify" in data.joinpath("SCOWL-COPYRIGHT.txt").read_text("utf-8")


def test_missing_byline_and_missing_date():
    flags = quality_flags(CLEAN, reading(CLEAN), {**ROW, "author": "  ", "published": None})
    assert [(f["kind"], f["start"], f["end"]) for f in flags] == [("missing_byline", None, None),
                                                                  ("missing_date", None, None)]


def test_opinion_in_news_spans_and_opinion_label():
    text = ("The council approved the plan on Tuesday.\n"
            "I believe this decision is shameful, and we must reverse it.\n"
            "Clearly, the mayor ignored the residents.")
    flags = quality_flags(text, reading(text), ROW)
    check_spans(text, flags)
    assert [f["evidence"] for f in flags if f["kind"] == "opinion_in_news"] == [
        "I believe", "shameful", "we must", "Clearly"]
    for labelled in ({"title": "Opinion: The council got it wrong"},
                     {"url": "https://news.example.com/opinion/2024/council"},
                     {"extra": {"section": "Commentary"}}):
        row = {**ROW, **labelled}
        assert is_labelled_opinion(row)
        assert "opinion_in_news" not in kinds(quality_flags(text, reading(text), row))
    assert not is_labelled_opinion(ROW)


def test_unverified_claims_by_hedge_and_anonymous_source():
    lines = ["Government troops reportedly killed dozens of protesters in the square.",
             "Sources say several prisoners were tortured in the camp.",
             "The army allegedly moved tanks to the border.",
             "Ten people were killed, unconfirmed reports said."]
    text = "\n".join(lines)
    spec = [("none", None, ["reportedly"], None), ("vague", "Sources", [], "say"), ("none", None, ["allegedly"], None),
            ("vague", "unconfirmed reports", ["unconfirmed"], "said")]
    sents, a = [], 0
    for line, (kind, src, hedges, cue) in zip(lines, spec):
        sents.append(sentence(a, a + len(line), kind, src, hedges, cue))
        a += len(line) + 1
    flags = [f for f in quality_flags(text, reading(text, sents), ROW) if f["kind"] == "unverified_claim"]
    check_spans(text, flags)
    # "moved tanks" is hedged but not dramatic
    assert [f["evidence"] for f in flags] == [lines[0], lines[1], lines[3]]
    assert "reportedly" in flags[0]["note"] and "killed" in flags[0]["note"]
    assert "Sources" in flags[1]["note"] and "tortured" in flags[1]["note"]


def test_non_english_article_gets_only_language_free_flags():
    text = "Die Regierung hat heute beschlossen, das Budget zu erhöhen. Ich glaube, das ist schändlich."
    flags = quality_flags(text, {"version": "3", "note": "not analysed: language is de"},
                          {**ROW, "language": "de", "author": None})
    assert kinds(flags) == ["missing_byline"]


def test_flag_kinds_are_listed():
    assert set(FLAG_KINDS) == {"ai_disclosure", "promotional_insert", "boilerplate", "spelling",
                               "missing_byline", "missing_date", "opinion_in_news", "unverified_claim"}
    with pytest.raises(TypeError, match="text must be a str"):
        quality_flags(None, None, ROW)


# ---------------------------------------------------------------------------------------------
# attribution profile

def test_attribution_profile_shares_and_sources():
    text = ("Rebels took the town, according to the Observatory.\n"
            "Rami Khalid of the Observatory said fighting continued.\n"
            "Military sources said the army withdrew.\n"
            "The airport reportedly closed, Example Press reports.\n"
            "\"We will hold the line,\" Khalid said.\n"
            "The city was quiet at night.\n"
            "[READ MORE: Unrelated story]")
    lines = text.split("\n")
    starts = [sum(len(x) + 1 for x in lines[:i]) for i in range(len(lines))]
    obs1 = starts[0] + lines[0].index("the Observatory")
    rk = starts[1]
    khalid = starts[4] + lines[4].index("Khalid")
    mentions = [
        {"start": obs1 + 4, "end": obs1 + 15, "text": "Observatory", "label": "ORG", "sentence": 0, "actor": "a1"},
        {"start": rk, "end": rk + 11, "text": "Rami Khalid", "label": "PERSON", "sentence": 1, "actor": "a2"},
        {"start": rk + 19, "end": rk + 30, "text": "Observatory", "label": "ORG", "sentence": 1, "actor": "a1"},
        {"start": khalid, "end": khalid + 6, "text": "Khalid", "label": "PERSON", "sentence": 4, "actor": "a2"},
    ]
    actors = [{"id": "a1", "name": "Syrian Observatory", "type": "organisation", "aliases": []},
              {"id": "a2", "name": "Rami Khalid", "type": "person", "aliases": []}]
    sents = [
        sentence(starts[0], starts[0] + len(lines[0]), "named", "the Observatory", cue="according to",
                 s_start=obs1, s_end=obs1 + 15),
        sentence(starts[1], starts[1] + len(lines[1]), "named", "Rami Khalid of the Observatory", cue="said",
                 s_start=rk, s_end=rk + 30),
        sentence(starts[2], starts[2] + len(lines[2]), "vague", "Military sources", cue="said"),
        sentence(starts[3], starts[3] + len(lines[3]), "named", "Example Press", ["reportedly"], "reports",
                 relay=True),
        sentence(starts[4], starts[4] + len(lines[4]), "named", "Khalid", cue="said", s_start=khalid,
                 s_end=khalid + 6),
        sentence(starts[5], starts[5] + len(lines[5])),
        sentence(starts[6] + 1, starts[6] + len(lines[6]) - 1, "named", "Unrelated story", cue=":"),
    ]
    quotes = [{"start": starts[4] + 1, "end": starts[4] + 23, "text": "We will hold the line,", "speaker": "Khalid"}]
    analysis = reading(text, sents, quotes, mentions, actors)
    p = attribution_profile(analysis, text)
    # the READ MORE line is an insert, not a sourced sentence
    assert p["sentences"] == 6
    assert (p["named"], p["vague"], p["none"]) == (0.667, 0.167, 0.167)
    assert (p["relayed"], p["hedged"], p["quoted"]) == (0.167, 0.167, 0.167)
    assert p["named_sources"] == [{"name": "Rami Khalid", "count": 2, "relay": False},
                                  {"name": "Example Press", "count": 1, "relay": True},
                                  {"name": "Syrian Observatory", "count": 1, "relay": False}]
    assert p["vague_sources"] == [{"name": "Military sources", "count": 1}]
    assert attribution_profile(analysis)["sentences"] == 7
    assert attribution_profile(None)["sentences"] == 0
    assert attribution_profile({"version": "3", "note": "not analysed: language is fr"})["named_sources"] == []


# ---------------------------------------------------------------------------------------------
# outlets

def test_outlets_yaml_and_csv_load_and_match(tmp_path):
    y = tmp_path / "outlets.yaml"
    y.write_text("example.com: {name: Example Times, country: GB, owner: Example plc, leaning: centre}\n"
                 "news.example.org:\n  name: Example Org News\n  aliases: [EON, Example Org]\n", encoding="utf-8")
    idx = load_outlets(y)
    assert len(idx) == 2
    assert idx.match(url="https://www.example.com/world/x").name == "Example Times"
    assert idx.match(url="https://edition.example.com/a").name == "Example Times"   # parent domain
    assert idx.match(url="https://example.net/a") is None
    assert idx.match(source="the example times").country == "GB"
    assert idx.match(source="EON").domain == "news.example.org"
    assert idx.match(source="www.example.com").name == "Example Times"
    assert idx.match(url="https://other.test/x", source="Nobody") is None
    assert idx.match(url="https://example.com/").to_json() == {
        "domain": "example.com", "name": "Example Times", "country": "GB", "owner": "Example plc",
        "leaning": "centre", "notes": None, "aliases": []}

    lst = tmp_path / "outlets.yml"
    lst.write_text("outlets:\n  - {domain: 'https://www.Example.com/', name: X}\n  - {name: Wire Only}\n",
                   encoding="utf-8")
    idx = load_outlets(lst)
    assert idx.match(url="http://example.com/a").name == "X" and idx.match(source="Wire only").domain is None

    c = tmp_path / "outlets.csv"
    c.write_text("domain,name,country,owner,leaning,notes,aliases\n"
                 "bbc.co.uk,BBC,GB,BBC,,public broadcaster,BBC News;BBC World Service\n\n"
                 ",Local Gazette,US,,,,\n", encoding="utf-8")
    idx = load_outlets(c)
    assert idx.match(url="https://www.bbc.co.uk/news/1").notes == "public broadcaster"
    assert idx.match(source="BBC World Service").name == "BBC"
    assert idx.match(source="Local Gazette").country == "US"
    # a public suffix alone never matches
    assert idx.match(url="https://other.co.uk/") is None


@pytest.mark.parametrize("name, content, message", [
    ("o.yaml", "example.com: {name: X, leanig: left}\n", r"o\.yaml:1 \('example\.com'\): unknown key 'leanig'; valid keys"),
    ("o.yaml", "- {name: A}\n- {country: GB}\n", r"o\.yaml:2: an outlet needs a 'domain' or a 'name'"),
    ("o.yaml", "- {domain: a.com}\n- {domain: b.com}\n- {domain: www.a.com}\n",
     r"o\.yaml:3: domain 'a\.com' is listed twice \(first at .*o\.yaml:1\)"),
    ("o.yaml", "- {domain: 'not a domain'}\n", r"o\.yaml:1: 'not a domain' is not a domain"),
    ("o.yaml", "example.com: [1, 2]\n", r"o\.yaml:1 \('example\.com'\): the fields of a domain must be a mapping"),
    ("o.yaml", "- {domain: a.com, name: {x: 1}}\n", r"o\.yaml:1: 'name' must be text"),
    ("o.yaml", "- just a string\n", r"o\.yaml:1: each outlet must be a mapping"),
    ("o.yaml", "a: [b\n", r"o\.yaml: not valid YAML"),
    ("o.yaml", "", r"o\.yaml: holds no outlets"),
    ("o.csv", "domain,name,leaning,colour\n", r"o\.csv:1: unknown column 'colour'; valid columns"),
    ("o.csv", "country,owner\nGB,X\n", r"o\.csv:1: the header needs a 'domain' or a 'name' column"),
    ("o.csv", "domain,name\na.com,A\nb.com,B,extra\n", r"o\.csv:3: more values than the 2 columns"),
    ("o.txt", "a.com\n", r"unknown extension '\.txt'; valid: \.yaml, \.yml, \.json, \.csv"),
])
def test_outlets_file_errors_name_file_line_and_problem(tmp_path, name, content, message):
    p = tmp_path / name
    p.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_outlets(p)


def test_outlets_file_missing_or_unreadable(tmp_path):
    with pytest.raises(ConfigError, match="does not exist; check the outlets_file setting"):
        load_outlets(tmp_path / "nope.yaml")
    (tmp_path / "bin.csv").write_bytes(b"domain\n\xff\xfe\n")
    with pytest.raises(ConfigError, match="is not UTF-8 text"):
        load_outlets(tmp_path / "bin.csv")
    with pytest.raises(ConfigError, match="unknown outlets format 'xml'"):
        parse_outlets("", "xml")
    with pytest.raises(ConfigError, match="needs a domain or a name"):
        OutletIndex([Outlet(domain=None, name=None, origin="x:1")])


def test_outlets_setting_is_defined_once(tmp_path):
    settings = rashomon.load_settings(env={})
    assert settings.outlets_file == ""
    assert rashomon.load_settings(env={"RASHOMON_OUTLETS_FILE": "/x/o.yaml"}).outlets_file == "/x/o.yaml"
    bad = tmp_path / "bad.yaml"
    bad.write_text("example.com: {colour: red}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown key 'colour'"):
        rashomon.analyze([EXAMPLES], db="sqlite://", outlets_file=str(bad), read_articles=False,
                         group_stories=False)


# ---------------------------------------------------------------------------------------------
# the seed story through the whole document

@pytest.fixture(scope="module")
def seed_doc(tmp_path_factory):
    outlets = tmp_path_factory.mktemp("outlets") / "outlets.csv"
    # the seed files carry no URL or source; match nothing, but load through analyze
    outlets.write_text("domain,name,country\nexample-wire.test,Example Wire,GB\n", encoding="utf-8")
    return rashomon.analyze([EXAMPLES], db="sqlite://", group_stories=False, outlets_file=str(outlets))


def test_seed_story_flags_in_document(seed_doc):
    validate_document(seed_doc)
    arts = seed_doc["articles"]
    assert len(arts) == 5
    found = {f["kind"]: f for a in arts for f in a["quality"]["flags"]}
    for a in arts:
        check_spans(a["text"], [f for f in a["quality"]["flags"] if "start" in f])
        ks = kinds(a["quality"]["flags"])
        assert "date_unknown" in ks and "missing_date" not in ks   # one flag for the missing date
        assert "missing_byline" in ks
        assert "outlet" not in a
        p = a["quality"]["attribution"]
        assert p["sentences"] > 5 and abs(p["named"] + p["vague"] + p["none"] - 1) < 0.01
    assert found["promotional_insert"]["evidence"].startswith("[READ MORE:")
    assert found["ai_disclosure"]["evidence"] == "Image created by AI"
    assert found["boilerplate"]["evidence"].startswith("Cover: AP Photo/")
    assert "reportedly killed" in found["unverified_claim"]["evidence"] or any(
        "reportedly killed" in f["evidence"] for a in arts for f in a["quality"]["flags"])
    relayed = {s["name"] for a in arts for s in a["quality"]["attribution"]["named_sources"] if s["relay"]}
    assert {"Associated Press", "Militarnyi"} <= relayed


def test_seed_story_reports_show_flags_escaped(seed_doc):
    md = render_markdown(seed_doc)
    assert "## Quality and sourcing per article" in md
    assert "**ai_disclosure** (chars 0–19): “Image created by AI”" in md
    assert "Named sources:" in md
    doc = {**seed_doc, "articles": [dict(a) for a in seed_doc["articles"]]}
    a0 = doc["articles"][0]
    a0["quality"] = {**a0["quality"], "flags": a0["quality"]["flags"] + [
        {"kind": "boilerplate", "evidence": "<script>alert(1)</script>", "start": 0, "end": 25,
         "note": "<b>x</b>"}]}
    a0["outlet"] = {"domain": "x.test", "name": "<img src=x onerror=alert(2)>", "country": None, "owner": None,
                    "leaning": "<i>l</i>", "notes": None, "aliases": []}
    html = render_html(doc)
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img src=x" not in html and "&lt;b&gt;x&lt;/b&gt;" in html
    assert "Image created by AI" in html and "Attribution</b>" in html
    md = render_markdown(doc)
    assert "<script>" not in md and "<img" not in md
