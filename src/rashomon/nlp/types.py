"""What the per-article reading produces. Offsets are character offsets into ``Article.text``."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Place", "Mention", "Actor", "DateExpr", "Quantity", "Attribution", "Quote", "Sentence",
           "ArticleAnalysis", "ANALYSIS_VERSION"]

# Bump when any extractor changes its output, so stored analyses are recomputed.
ANALYSIS_VERSION = "6"


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


@dataclass
class Place:
    name: str                 # canonical GeoNames name ("Saraqib")
    country: str | None       # ISO 3166-1 alpha-2
    lat: float
    lon: float
    kind: str                 # country | city | region
    geonames_id: int | None = None
    score: float = 1.0        # match quality, 1.0 = exact name or alternate name


@dataclass
class Mention:
    start: int
    end: int
    text: str
    label: str                # spaCy label after corrections: PERSON ORG GPE LOC NORP FAC EVENT ...
    sentence: int             # index into ArticleAnalysis.sentences
    actor: str | None = None  # Actor.id this mention resolves to
    place: Place | None = None
    corrected_from: str | None = None  # original NER label when a gazetteer rule changed it


@dataclass
class Actor:
    id: str                   # stable within one resolution run: "a1", "a2", ...
    name: str                 # the fullest name seen ("Hayat Tahrir al-Sham", "Bashar al-Assad")
    type: str                 # person | organisation | country | place | group
    aliases: list[str] = field(default_factory=list)   # every surface form that resolved here
    mentions: list[tuple[int, int]] = field(default_factory=list)
    place: Place | None = None  # for countries/cities and governments by metonymy


@dataclass
class DateExpr:
    start: int
    end: int
    text: str
    value: str | None         # "2024-11-27", "2024-11", "2016", "2010s"; None when unresolved
    precision: str | None     # day | week | month | quarter | season | year | decade; None if unresolved
    status: str               # resolved | unresolved
    anchor: str               # absolute | published | event | none
    sentence: int = -1
    note: str | None = None   # why unresolved, or how it was anchored


@dataclass
class Quantity:
    start: int
    end: int
    text: str                 # modifier through counted noun: "at least 327 lives", "over 15 villages"
    low: float | None         # inclusive lower bound (None = unbounded)
    high: float | None        # inclusive upper bound (None = unbounded)
    noun: str | None          # the counted noun ("villages", "people")
    approximate: bool = False  # "about", "some", "nearly", vague words
    sentence: int = -1


@dataclass
class Attribution:
    source: str | None        # "the Syrian Observatory for Human Rights", "military sources"
    kind: str                 # named | vague | none
    cue: str | None = None    # "according to", "said", "reported"
    start: int | None = None  # span of the source phrase; for a resolved "he said" it is the
    end: int | None = None    # person's mention, which may sit in an earlier sentence
    relay: bool = False       # second-hand: "X reports", "according to Y" relaying another outlet


@dataclass
class Quote:
    start: int
    end: int
    text: str
    speaker: str | None
    sentence: int = -1


@dataclass
class Sentence:
    start: int
    end: int
    attribution: Attribution = field(default_factory=lambda: Attribution(None, "none"))
    hedges: list[str] = field(default_factory=list)   # "reportedly", "claimed", ...


@dataclass
class ArticleAnalysis:
    version: str = ANALYSIS_VERSION
    sentences: list[Sentence] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    dates: list[DateExpr] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    note: str | None = None   # e.g. "not analysed: language is de"

    def to_json(self) -> dict[str, Any]:
        """Plain JSON values (tuples become lists), equal to what a JSON round trip gives back."""
        return _plain(dataclasses.asdict(self))

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "ArticleAnalysis":
        def place(d):
            return Place(**d) if d else None
        return cls(
            version=data.get("version", ""), note=data.get("note"),
            sentences=[Sentence(s["start"], s["end"], Attribution(**s["attribution"]), list(s["hedges"]))
                       for s in data.get("sentences", [])],
            mentions=[Mention(**{**m, "place": place(m.get("place"))}) for m in data.get("mentions", [])],
            actors=[Actor(**{**a, "place": place(a.get("place")),
                             "mentions": [tuple(x) for x in a.get("mentions", [])]}) for a in data.get("actors", [])],
            dates=[DateExpr(**d) for d in data.get("dates", [])],
            quantities=[Quantity(**q) for q in data.get("quantities", [])],
            quotes=[Quote(**q) for q in data.get("quotes", [])],
        )
