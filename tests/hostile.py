"""Hostile inputs for the "bad input: clear error, nothing lost" proof.

``build_cases(root, server)`` writes every hostile file under ``root`` and registers the hostile
URLs on a running :class:`tests.httpserver.LoopbackServer`; it returns one :class:`Case` each,
naming the input exactly as a user would pass it and what Rashomon must say about it.
``build_good(root)`` writes the good articles that sit beside them and must always be stored.

Used by tests/test_hostile_inputs.py and scripts/bad_input_matrix.py; real files, a real
HTTP server on 127.0.0.1, nothing else.
"""

from __future__ import annotations

import io
import ctypes
import os
import random
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from .httpserver import LoopbackServer, Reply

__all__ = ["Case", "CASE_NAMES", "SETTINGS", "SETTINGS_ENV", "Outcome", "build_cases", "build_good",
           "belongs", "collect", "prose", "subprocess_env", "unprivileged_preexec"]

# Small network limits so the hostile URLs fail fast; passed as keyword overrides to the library
# and as RASHOMON_* environment variables to the command line.
SETTINGS = {"http_timeout": 1.0, "http_max_bytes": 5_000_000, "http_max_redirects": 5}
SETTINGS_ENV = {f"RASHOMON_{k.upper()}": str(v) for k, v in SETTINGS.items()}

many_files_count = 10_000


def subprocess_env() -> dict[str, str]:
    """This environment without the caller's RASHOMON_* settings, with the hostile-test limits."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("RASHOMON_")}
    return {**env, **SETTINGS_ENV}


_PR_CAPBSET_DROP, _CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH, _NOBODY = 24, 1, 2, 65534


def _drop_read_override() -> None:
    """preexec_fn: make a root child honour file modes, so a mode-000 file really is unreadable.

    Dropping CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH from the bounding set keeps them out of
    the exec'd interpreter. Becoming ``nobody`` is the fallback; it is not the first choice
    because it fails where Python itself is installed under /root (mode 0700).
    """
    libc = ctypes.CDLL(None, use_errno=True)
    try:
        for cap in (_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH):
            if libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
                raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")
    except OSError:
        os.setgroups([])
        os.setgid(_NOBODY)
        os.setuid(_NOBODY)


def unprivileged_preexec() -> Callable[[], None] | None:
    """``preexec_fn`` for a subprocess that must meet permission errors: needed only as root."""
    return _drop_read_override if os.geteuid() == 0 else None


@dataclass(frozen=True)
class Case:
    name: str
    input: str                     # path or URL, as the user passes it
    expect: tuple[str, ...]        # each must appear (case-insensitively) in a rejection reason of
                                   # this input; for an ingested input, in its stored notes
    what: str                      # one line for the matrix
    stored: int = 0                # articles this input must still store (good records inside it)
    rejections: int | None = None  # exact number of rejections, where it is known
    unprivileged: bool = False     # only fails for a user without root's DAC override
    ingested: bool = False         # stored whole, no rejection; ``expect`` then names repair notes


# -- text ----------------------------------------------------------------------------------
_VOCAB = (
    "council minister river border court harbour election village police market factory "
    "school hospital bridge storm drought harvest union strike budget treaty army rebels "
    "convoy refugees embassy senator governor mayor judge jury witness protest festival "
    "airport railway pipeline reactor vaccine clinic teacher farmer miner sailor pilot "
    "engineer doctor nurse reporter editor author singer athlete coach referee stadium "
    "museum library cathedral mosque temple castle palace prison border checkpoint valley "
    "mountain island coast desert forest lake canal dam port tunnel highway province district"
).split()
_VERBS = ("announced", "rejected", "approved", "delayed", "reported", "confirmed", "denied",
          "criticised", "welcomed", "investigated", "opened", "closed", "visited", "warned")
_GLUE = ("on Monday", "late on Tuesday", "after a long debate", "according to officials",
         "despite heavy rain", "for the first time", "in a brief statement", "near the old market",
         "before the deadline", "under growing pressure", "with little warning", "by a narrow margin")


def prose(seed: str, sentences: int = 9) -> str:
    """A distinct English article body for ``seed``: no two seeds share five-word runs."""
    rng = random.Random(seed)
    out = []
    for _ in range(sentences):
        a, b, c = rng.sample(_VOCAB, 3)
        out.append(f"The {a} {rng.choice(_VERBS)} the {b} plan {rng.choice(_GLUE)}, and the {c} "
                   f"{rng.choice(_VERBS)} it {rng.choice(_GLUE)} ({rng.randrange(10_000)} people).")
    return " ".join(out)


def _html_page(title: str, body: str) -> str:
    paras = "".join(f"<p>{s.strip()}.</p>" for s in body.split(".") if s.strip())
    return (f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title>"
            f"</head><body><nav><a href=\"/\">Home</a> <a href=\"/world\">World</a></nav>"
            f"<main><article><h1>{title}</h1>{paras}</article></main>"
            f"<footer><p>Copyright the publisher.</p></footer></body></html>")


# -- cases ---------------------------------------------------------------------------------
Builder = Callable[[Path, LoopbackServer], Case]
_BUILDERS: dict[str, Builder] = {}


def _case(name: str) -> Callable[[Builder], Builder]:
    def register(fn: Builder) -> Builder:
        _BUILDERS[name] = fn
        return fn
    return register


@_case("empty-file")
def _(d: Path, s: LoopbackServer) -> Case:
    p = d / "empty.txt"
    p.write_bytes(b"")
    return Case("empty-file", str(p), ("empty file (0 bytes)",), "0-byte .txt")


@_case("whitespace-only")
def _(d: Path, s: LoopbackServer) -> Case:
    p = d / "blank.txt"
    p.write_text(" \n\t\n   \r\n\n " * 50)
    return Case("whitespace-only", str(p), ("empty or only whitespace",), "spaces, tabs and newlines")


@_case("png-named-txt")
def _(d: Path, s: LoopbackServer) -> Case:
    p = d / "photo.txt"
    p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + random.Random(1).randbytes(4000))
    return Case("png-named-txt", str(p), ("PNG image",), "PNG bytes named .txt")


@_case("zip-archive")
def _(d: Path, s: LoopbackServer) -> Case:
    p = d / "articles.zip"
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("story.txt", prose("zipped"))
    return Case("zip-archive", str(p), ("zip archive", "unpack it first"), "a .zip holding an article")


@_case("200mb-txt")
def _(d: Path, s: LoopbackServer) -> Case:
    p = d / "huge.txt"
    with open(p, "wb") as fh:
        fh.truncate(200_000_000)  # sparse: instant, no disk used
    return Case("200mb-txt", str(p), ("200.0 MB", "max_document_bytes"), "200 MB .txt (sparse)")


@_case("invalid-utf8")
def _(d: Path, s: LoopbackServer) -> Case:
    p = d / "mangled-utf8.txt"
    text = "Council approves the café budget\n\n“" + prose("mangled") + "” said the mayor."
    p.write_bytes(text.encode().replace(b"plan", b"pl\xffan", 1))
    return Case("invalid-utf8", str(p), ("1 invalid UTF-8 sequence(s) replaced",),
                "UTF-8 text with one stray 0xFF byte", stored=1, ingested=True)


@_case("random-bytes")
def _(d: Path, s: LoopbackServer) -> Case:
    p = d / "noise.txt"
    p.write_bytes(random.Random(7).randbytes(20_000))
    return Case("random-bytes", str(p), ("binary content", "control characters"),
                "20 kB of random bytes named .txt")


@_case("latin1-text")
def _(d: Path, s: LoopbackServer) -> Case:
    p = d / "latin1.txt"
    text = ("Café owners in Zürich protest new façade rules\n\n" + prose("latin1") +
            " José Müller, the señor who runs the café, said the naïve rules would cost the "
            "quarter its charm and its crème brûlée.")
    p.write_bytes(text.encode("latin-1"))
    return Case("latin1-text", str(p), ("decoded as",), "Latin-1 text with accents", stored=1, ingested=True)


@_case("utf16-bom")
def _(d: Path, s: LoopbackServer) -> Case:
    p = d / "utf16.txt"
    p.write_bytes(("Harbour strike ends after nine days\n\n" + prose("utf16")).encode("utf-16"))
    return Case("utf16-bom", str(p), ("byte-order mark",), "UTF-16 with BOM", stored=1, ingested=True)


@_case("truncated-html")
def _(d: Path, s: LoopbackServer) -> Case:
    p = d / "truncated.html"
    page = _html_page("Storm closes the coast road", prose("truncated-html")).encode()
    head = page[:page.index(b"<main>")]
    p.write_bytes(head + b"<main><article><h1>Storm closes the co")  # cut before any paragraph
    return Case("truncated-html", str(p), ("word(s) of text", "min_words"), "HTML cut off before the story")


@_case("html-no-article")
def _(d: Path, s: LoopbackServer) -> Case:
    p = d / "navonly.html"
    links = "".join(f'<li><a href="/s/{i}">Section {i}</a></li>' for i in range(40))
    p.write_text("<!DOCTYPE html><html><head><title>Home</title>"
                 "<script>var tracking = {id: 42}; function f() { return 'ads'; }</script>"
                 "<style>body { color: red }</style></head><body>"
                 f"<nav><ul>{links}</ul></nav><script>document.write('loading')</script></body></html>")
    return Case("html-no-article", str(p), ("no article text found",), "HTML with only nav, script, style")


@_case("malformed-feed")
def _(d: Path, s: LoopbackServer) -> Case:
    p = d / "broken-feed.xml"
    p.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>Broken</title>'
                 '<item><title>One</title><description>unclosed <b>bold</descr')
    return Case("malformed-feed", str(p), ("entry 1", "not well-formed XML", "cut off"), "RSS cut off mid-tag")


_LOL = ('<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY lol "lol">\n'
        + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'
                  for i in range(1, 10))
        + ']>\n<rss version="2.0"><channel><title>Laughs</title><item><title>lol</title>'
          '<description>&lol9;</description></item></channel></rss>\n')


@_case("billion-laughs")
def _(d: Path, s: LoopbackServer) -> Case:
    p = d / "laughs.xml"
    p.write_text(_LOL)
    return Case("billion-laughs", str(p), ("entity-expansion",), "nested entities (billion laughs)")


@_case("billion-laughs-utf16")
def _(d: Path, s: LoopbackServer) -> Case:
    p = d / "laughs16.rss"
    p.write_bytes(_LOL.replace('version="1.0"?', 'version="1.0" encoding="UTF-16"?').encode("utf-16"))
    return Case("billion-laughs-utf16", str(p), ("entity-expansion", "'lol'"),
                "billion laughs encoded as UTF-16 (no ASCII <!ENTITY)")


@_case("xxe-feed")
def _(d: Path, s: LoopbackServer) -> Case:
    p = d / "xxe.rss"
    p.write_text('<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
                 '<rss version="2.0"><channel><title>Leak</title><item><title>passwd</title>'
                 '<description>&xxe;</description></item></channel></rss>\n')
    return Case("xxe-feed", str(p), ("external-entity",), "external entity file:///etc/passwd")


def _warc(records: list[tuple[str, str]]) -> tuple[bytes, list[int]]:
    """A gzipped WARC of HTML responses; returns the bytes and each record's end offset."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    ends = []
    for url, html in records:
        body = html.encode()
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                                           ("Content-Length", str(len(body)))], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                      http_headers=http))
        ends.append(buf.tell())
    return buf.getvalue(), ends


def _warc_pages(tag: str) -> list[tuple[str, str]]:
    return [(f"https://news.example/{tag}/{i}", _html_page(f"{tag} report number {i} from the valley",
                                                           prose(f"{tag}-{i}"))) for i in range(3)]


@_case("truncated-warc")
def _(d: Path, s: LoopbackServer) -> Case:
    p = d / "cut.warc.gz"
    data, ends = _warc(_warc_pages("cut"))
    p.write_bytes(data[:ends[1] + (ends[2] - ends[1]) // 2])  # two whole records, half of the third
    return Case("truncated-warc", str(p), ("record 3 (", "cut off", "truncated archive"),
                "WARC.gz cut inside its 3rd record", stored=2, rejections=1)


@_case("corrupt-warc")
def _(d: Path, s: LoopbackServer) -> Case:
    p = d / "corrupt.warc.gz"
    data, ends = _warc(_warc_pages("corrupt"))
    mid = ends[0] + (ends[1] - ends[0]) // 2
    broken = bytearray(data)
    for i in range(mid, mid + 64):
        broken[i] ^= 0xA5  # flip bits inside the 2nd record's deflate stream
    p.write_bytes(bytes(broken))
    return Case("corrupt-warc", str(p), ("WARC unreadable after 1 record(s)", "[binary data]", "corrupt"),
                "WARC.gz with 64 flipped bytes in record 2", stored=1, rejections=1)


@_case("jsonl-mixed")
def _(d: Path, s: LoopbackServer) -> Case:
    import json

    p = d / "mixed.jsonl"
    good = [json.dumps({"title": f"Good line {i}", "text": prose(f"jsonl-{i}")}) for i in range(3)]
    p.write_text("\n".join([
        good[0],
        '{"title": "cut off", "text": "The council met on',          # broken JSON
        good[1],
        json.dumps({"title": "No body", "url": "https://news.example/x"}),  # no text field
        "[1, 2, 3]",                                                   # not an object
        json.dumps({"title": "Numeric", "text": 42}),                  # wrong type
        "",
        "\x00\x01garbage\x02",                                         # noise
        good[2],
    ]) + "\n")
    return Case("jsonl-mixed", str(p), ("line 2: invalid JSON", "line 4: no text field",
                                        "line 5: expected a JSON object", "line 6: text field is int"),
                "JSONL: 3 good lines, 5 broken or without text", stored=3, rejections=5)


@_case("csv-semicolon")
def _(d: Path, s: LoopbackServer) -> Case:
    p = d / "semicolon.csv"
    rows = ["title;text;source"] + [f"Row {i} headline here;{prose(f'csv-{i}')};Example Post" for i in range(2)]
    p.write_text("\n".join(rows) + "\n")
    return Case("csv-semicolon", str(p), (), "CSV delimited by ';' (text holds commas)", stored=2,
                ingested=True)


@_case("csv-no-text")
def _(d: Path, s: LoopbackServer) -> Case:
    p = d / "notext.csv"
    p.write_text("date,outlet,rating\n2024-01-02,Example Post,4\n2024-01-03,Daily Example,5\n")
    return Case("csv-no-text", str(p), ("no text column", "--field text="), "CSV without a text column")


@_case("10k-small-files")
def _(d: Path, s: LoopbackServer) -> Case:
    folder = d / "many"
    folder.mkdir()
    for i in range(many_files_count):
        (folder / f"note{i:05d}.txt").write_bytes(b"tiny note %d" % i)
    return Case("10k-small-files", str(folder), ("only 3 word(s) of text", "min_words"),
                f"folder of {many_files_count:,} three-word files", rejections=many_files_count)


@_case("symlink-loop")
def _(d: Path, s: LoopbackServer) -> Case:
    folder = d / "loopdir"
    folder.mkdir()
    (folder / "inside.txt").write_text("Valley road reopens after landslide\n\n" + prose("loop"))
    os.symlink(folder, folder / "loop")
    return Case("symlink-loop", str(folder), ("symlink loop",), "folder with loop -> itself (+1 good file)",
                stored=1, rejections=1)


@_case("self-symlink")
def _(d: Path, s: LoopbackServer) -> Case:
    p = d / "self.txt"
    os.symlink(p.name, p)
    return Case("self-symlink", str(p), ("symlink loop",), "self.txt -> self.txt")


@_case("broken-symlink")
def _(d: Path, s: LoopbackServer) -> Case:
    p = d / "dangling.txt"
    os.symlink(d / "gone-for-good.txt", p)
    return Case("broken-symlink", str(p), ("broken symlink",), "symlink to a missing file")


@_case("fifo")
def _(d: Path, s: LoopbackServer) -> Case:
    p = d / "pipe.txt"
    os.mkfifo(p)
    return Case("fifo", str(p), ("not a regular file (a FIFO)",), "named pipe (would block a reader)")


@_case("mode-000-file")
def _(d: Path, s: LoopbackServer) -> Case:
    p = d / "locked.txt"
    p.write_text("Locked article about the reservoir\n\n" + prose("locked"))
    p.chmod(0)
    return Case("mode-000-file", str(p), ("permission denied",), "chmod 000 file (good article inside)",
                unprivileged=True)


@_case("mode-000-folder")
def _(d: Path, s: LoopbackServer) -> Case:
    folder = d / "lockeddir"
    folder.mkdir()
    (folder / "hidden.txt").write_text("Hidden article about the tunnel\n\n" + prose("lockeddir"))
    folder.chmod(0)
    return Case("mode-000-folder", str(folder), ("permission denied",), "chmod 000 folder",
                unprivileged=True)


@_case("missing-path")
def _(d: Path, s: LoopbackServer) -> Case:
    return Case("missing-path", str(d / "no-such-file.txt"), ("no such file or directory",), "path that does not exist")


@_case("ftp-url")
def _(d: Path, s: LoopbackServer) -> Case:
    return Case("ftp-url", "ftp://127.0.0.1/story.txt", ("only http:// and https://",), "ftp:// URL")


@_case("url-timeout")
def _(d: Path, s: LoopbackServer) -> Case:
    s.routes["/slow"] = Reply(200, _html_page("Late", prose("late")).encode(),
                              {"Content-Type": "text/html"}, delay=SETTINGS["http_timeout"] * 4)
    return Case("url-timeout", s.url + "/slow", ("timed out after 1s", "http_timeout"),
                "server answers after 4 s (timeout 1 s)")


def _drip() -> Iterator[bytes]:
    import time

    yield b"<html><body><p>"
    for _ in range(600):  # never finishes: one byte every 0.3 s, each read well under the timeout
        time.sleep(0.3)
        yield b"x"


@_case("url-slow-drip")
def _(d: Path, s: LoopbackServer) -> Case:
    s.routes["/drip"] = lambda h: Reply(200, _drip(), {"Content-Type": "text/html"})
    return Case("url-slow-drip", s.url + "/drip", ("download took longer than 3s",),
                "one byte every 0.3 s, forever")


@_case("url-404")
def _(d: Path, s: LoopbackServer) -> Case:
    return Case("url-404", s.url + "/missing-story", ("HTTP 404 Not Found",), "404")


@_case("url-redirect-forever")
def _(d: Path, s: LoopbackServer) -> Case:
    for i in range(50):
        s.routes[f"/hop/{i}"] = Reply(302, b"", {"Location": f"/hop/{i + 1}"})
    return Case("url-redirect-forever", s.url + "/hop/0", ("more than 5 redirects", "http_max_redirects"),
                "302 to a new URL, 50 times")


@_case("url-redirect-loop")
def _(d: Path, s: LoopbackServer) -> Case:
    s.routes["/ping"] = Reply(301, b"", {"Location": "/pong"})
    s.routes["/pong"] = Reply(301, b"", {"Location": "/ping"})
    return Case("url-redirect-loop", s.url + "/ping", ("redirect loop",), "/ping -> /pong -> /ping")


def _gigabyte() -> Iterator[bytes]:
    chunk = b"<p>" + b"a" * (64 * 1024 - 7) + b"</p>\n"
    for _ in range((1 << 30) // len(chunk)):
        yield chunk


@_case("url-1gb")
def _(d: Path, s: LoopbackServer) -> Case:
    s.routes["/gigabyte"] = lambda h: Reply(200, _gigabyte(), {"Content-Type": "text/html"})
    return Case("url-1gb", s.url + "/gigabyte", ("exceeded 5,000,000 bytes", "download stopped"),
                "1 GB streamed with no Content-Length")


@_case("url-declared-huge")
def _(d: Path, s: LoopbackServer) -> Case:
    s.routes["/declared"] = lambda h: Reply(200, _gigabyte(), {"Content-Type": "text/html",
                                                               "Content-Length": str(1 << 30)})
    return Case("url-declared-huge", s.url + "/declared", ("response is 1,073,741,824 bytes",),
                "Content-Length: 1 GB")


@_case("url-binary")
def _(d: Path, s: LoopbackServer) -> Case:
    s.routes["/image"] = Reply(200, b"\x89PNG\r\n\x1a\n" + bytes(2000), {"Content-Type": "image/png"})
    return Case("url-binary", s.url + "/image", ("content type 'image/png'",), "URL serving a PNG")


CASE_NAMES: tuple[str, ...] = tuple(_BUILDERS)


def build_cases(root: Path, server: LoopbackServer, names: tuple[str, ...] | None = None) -> list[Case]:
    """Create the hostile inputs under ``root`` (which must exist) and routes on ``server``."""
    cases = []
    for name in names or CASE_NAMES:
        case = _BUILDERS[name](Path(root), server)
        assert case.name == name, (case.name, name)
        cases.append(case)
    return cases


def build_good(root: Path) -> list[Path]:
    """Good articles beside the hostile ones: a .txt and an .html file."""
    txt = Path(root) / "good-article.txt"
    txt.write_text("Bridge reopens to traffic after repairs\n\n" + prose("good-txt"))
    page = Path(root) / "good-article.html"
    page.write_text(_html_page("Harvest festival draws record crowds", prose("good-html")))
    return [txt, page]



# -- outcomes ------------------------------------------------------------------------------
@dataclass
class Outcome:
    case: Case
    rejections: list[dict]  # rejection rows of the store that name this input (or a file in it)
    stored: int             # places in this input that articles were stored from (origins)
    notes: list[str]        # repair notes on those articles ("decoded as cp1252")

    def problems(self) -> list[str]:
        """What differs from the case's expectation; empty when Rashomon did the right thing."""
        c, errs = self.case, []
        reasons = [r["reason"] for r in self.rejections]
        if c.ingested:
            if reasons:
                errs.append(f"expected to be ingested, but rejected: {reasons}")
            for want in c.expect:
                if not any(want.lower() in n.lower() for n in self.notes):
                    errs.append(f"no repair note containing {want!r}; notes: {self.notes}")
        else:
            if not reasons:
                errs.append("not rejected")
            if c.rejections is not None and len(reasons) != c.rejections:
                errs.append(f"{len(reasons)} rejection(s), expected {c.rejections}")
            for want in c.expect:
                if not any(want.lower() in r.lower() for r in reasons):
                    errs.append(f"no rejection reason containing {want!r}; reasons: {reasons[:5]}")
        if self.stored != c.stored:
            errs.append(f"{self.stored} article(s) stored from it, expected {c.stored}")
        errs += [f"reason admits a bug: {r}" for r in reasons if "bug in Rashomon" in r]
        return errs

    def message(self) -> str:
        if self.case.ingested and not self.rejections:
            return f"ingested ({'; '.join(self.notes) or 'no repair needed'})"
        reasons = list(dict.fromkeys(r["reason"] for r in self.rejections))
        if len(self.rejections) > 3 and len(reasons) == 1:
            return f"{len(self.rejections):,} × {reasons[0]}"
        return " / ".join(reasons)


def belongs(name: str, case_input: str) -> bool:
    """Whether a rejection or origin named ``name`` comes from the input ``case_input``."""
    return name == case_input or name.startswith(case_input.rstrip("/") + "/")


def collect(store, cases: list[Case]) -> dict[str, Outcome]:
    """Read back from ``store`` (a rashomon Store) what became of each case."""
    rejections = store.rejections()
    articles = {a["id"]: a for a in store.articles()}
    origins = [o for rows in store.origins(list(articles)).values() for o in rows]
    out = {}
    for c in cases:
        mine = [o for o in origins if belongs(o["input"], c.input)]
        notes = [n for o in mine for n in (articles[o["article_id"]]["extra"] or {}).get("notes", [])]
        out[c.name] = Outcome(c, [r for r in rejections if belongs(r["input"], c.input)], len(mine), notes)
    return out
