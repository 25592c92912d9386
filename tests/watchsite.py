"""Helpers for the watch tests: a fake clock, feeds served with validators by the loopback server, and
synthetic articles (written for these tests) long enough to be read and clustered."""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from dataclasses import dataclass, field
from email.utils import format_datetime
from xml.sax.saxutils import escape

from .httpserver import LoopbackServer, Reply


class FakeClock:
    """Epoch seconds that move only when someone sleeps."""

    def __init__(self, start: float | None = None):
        self.now = time.time() - 30 * 86_400 if start is None else start

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += max(0.0, seconds)


@dataclass
class Item:
    guid: str
    title: str
    text: str
    published: str          # RFC 822, as RSS writes it
    link: str | None = None


def rss(items: list[Item], title: str = "Test Wire") -> bytes:
    body = "".join(
        f"<item><title>{escape(i.title)}</title><guid>{escape(i.guid)}</guid>"
        + (f"<link>{escape(i.link)}</link>" if i.link else "")
        + f"<pubDate>{i.published}</pubDate><description>{escape(i.text)}</description></item>"
        for i in items)
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{escape(title)}</title>'
            f"<link>https://wire.example/</link>{body}</channel></rss>").encode("utf-8")


@dataclass
class Hit:
    path: str
    at: float                       # the fake clock when the server saw it
    headers: dict[str, str]
    status: int


@dataclass
class FeedSite:
    """Feeds on a LoopbackServer that answer conditional GETs as a real server does (ETag and
    Last-Modified; 304 when either validator matches), and log every request with the fake time."""

    server: LoopbackServer
    clock: FakeClock
    hits: list[Hit] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.server.routes["/robots.txt"] = self._logged("/robots.txt", lambda h: Reply(404, b"no robots"))

    def _logged(self, path, make):
        def route(handler):
            reply = make(handler)
            self.hits.append(Hit(path, self.clock(), dict(handler.headers), reply.status))
            return reply
        return route

    def feed(self, path: str, body: bytes, *, modified: float | None = None) -> None:
        """Serve ``body`` at ``path`` from now on (replacing what was there)."""
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        stamp = dt.datetime.fromtimestamp(modified or self.clock(), dt.timezone.utc)
        last_modified = format_datetime(stamp, usegmt=True)

        def make(handler) -> Reply:
            if handler.headers.get("If-None-Match") == etag or (
                    handler.headers.get("If-None-Match") is None
                    and handler.headers.get("If-Modified-Since") == last_modified):
                return Reply(304, b"", {"ETag": etag})
            return Reply(200, body, {"Content-Type": "application/rss+xml", "ETag": etag,
                                     "Last-Modified": last_modified})
        self.server.routes[path] = self._logged(path, make)

    def reply(self, path: str, reply: Reply) -> None:
        self.server.routes[path] = self._logged(path, lambda h: reply)

    def url(self, path: str) -> str:
        return self.server.url + path

    def at(self, path: str) -> list[Hit]:
        return [h for h in self.hits if h.path == path]


# -- synthetic articles (written for these tests) ------------------------------------------------
FERRY_A = (
    "A passenger ferry capsized on Lake Victoria near the Tanzanian port of Mwanza on Saturday, killing at "
    "least 38 people, the regional police commander said. The ferry, the MV Nyakato, was carrying about 240 "
    "passengers and cargo from Ukerewe Island to Mwanza when it overturned a few hundred metres from the "
    "shore.\n\nRescue teams from the Tanzanian navy and local fishermen pulled 112 survivors from the water, "
    "commander Joseph Mbele told reporters in Mwanza. Divers were still searching the wreck on Sunday.\n\n"
    "The MV Nyakato entered service in 1996 and was last inspected in March, the Surface and Marine "
    "Transport Regulatory Authority said. President Samia Suluhu Hassan declared three days of mourning "
    "and ordered an inquiry into the overloading of ferries on the lake.")
FERRY_B = (
    "At least 38 people drowned when the overloaded ferry MV Nyakato sank on Lake Victoria close to Mwanza "
    "in Tanzania on Saturday, police said. Witnesses said the vessel listed sharply as passengers crowded "
    "to one side while it approached the harbour from Ukerewe Island.\n\nThe navy and fishermen rescued "
    "more than 100 people, according to the police commander Joseph Mbele, who said about 240 passengers "
    "had boarded. Survivors were taken to the Bugando hospital in Mwanza.\n\nThe ferry entered service in "
    "1996, officials said. President Samia Suluhu Hassan announced national mourning and an inquiry into "
    "the disaster on Lake Victoria.")
FERRY_C = (
    "Divers recovered more bodies from the wreck of the MV Nyakato on Lake Victoria on Sunday, raising the "
    "death toll of Saturday's ferry disaster near Mwanza to 41, Tanzanian police said. The ferry capsized "
    "close to the harbour while carrying about 160 passengers from Ukerewe Island.\n\nPolice commander "
    "Joseph Mbele said 112 people had been rescued by the navy and fishermen. The MV Nyakato entered "
    "service in 1969, the transport regulator said.\n\nPresident "
    "Samia Suluhu Hassan has ordered an inquiry, and the transport regulator suspended the operator's "
    "licence while the investigation in Mwanza goes on.")
CHESS = (
    "The Norwegian grandmaster Elin Dahl won the European rapid chess championship in Bergen on Sunday, "
    "beating the defending champion Tomasz Nowak of Poland in a tense final game that lasted four hours. "
    "Dahl, 24, finished the eleven rounds with nine points, half a point ahead of Nowak.\n\nThe tournament "
    "drew 310 players from 38 federations to the Grieg Hall in Bergen, the European Chess Union said. "
    "Dahl thanked her coach and said she would play in the world rapid championship in Samarkand in "
    "December.\n\nNowak said the final game turned on a single mistake in the endgame. The next European "
    "rapid championship will be held in Prague.")
