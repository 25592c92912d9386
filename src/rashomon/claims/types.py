"""What claim extraction produces: atomic statements with slots and their evidence span.

Every offset is a character offset into the article text, the same text the analysis was made on,
so ``text[claim.start:claim.end] == claim.text`` and the same holds for every slot with a span.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Claim", "ClaimActor", "ClaimPlace", "ClaimTime", "ClaimQuantity", "ClaimAttribution",
           "claim_id", "ROLES", "SPLITS"]

# How a claim came out of its sentence.
SPLITS = ("main", "coordinated", "shared_subject", "reported", "relative")
ROLES = ("subject", "object", "other")


def claim_id(article_id: str, start: int, end: int) -> str:
    """Stable across runs: the same article and evidence span always give the same id."""
    digest = hashlib.sha1(f"{article_id}\x1f{start}\x1f{end}".encode("utf-8")).hexdigest()
    return "cl_" + digest[:16]


@dataclass
class ClaimActor:
    actor_id: str | None      # the analysis' Actor.id; None for a mention that resolved to no actor
    name: str                 # the actor's fullest name, else the mention text
    role: str                 # subject | object | other (semantic: the agent of a passive is the subject)
    text: str                 # the mention as written
    start: int
    end: int
    label: str | None = None  # the mention's entity label (PERSON, ORG, GPE, NORP, ...)


@dataclass
class ClaimPlace:
    name: str
    lat: float
    lon: float
    text: str
    start: int
    end: int


@dataclass
class ClaimTime:
    value: str | None
    precision: str | None
    status: str
    text: str
    start: int
    end: int
    # What the date dates: the lemma of the word it hangs from, and whether that is the claim's own
    # verb ("attacked on Monday") rather than a noun or a nested verb inside the claim ("Monday's
    # summit", "after indictments were announced Friday"). None/True: not known (older data).
    head: str | None = None
    of_predicate: bool = True
    head_kind: str | None = None   # "verb" or "noun": what ``head`` is
    # For a date on a noun, where that noun stands: "investigate:object" for "investigate the
    # Jan. 6 attack" (the same place in two claims holds one thing named two ways).
    governor: str | None = None
    # For a nested verb: it has a subject of its own, another clause's act ("as Tennant will not
    # leave until 2009"), not a complement of the claim's verb ("accused of hacking in 2016").
    own_subject: bool = False


@dataclass
class ClaimQuantity:
    low: float | None
    high: float | None
    noun: str | None
    text: str
    approximate: bool
    start: int
    end: int
    head: str | None = None   # as for ClaimTime: the word the counted phrase hangs from
    of_predicate: bool = True
    # How the count stands to that word: subject | object | part ("three of the four") |
    # "prep:in" ...; None when not known.
    role: str | None = None
    cumulative: bool = False  # a running total ("so far", "in all", "a total of"; not "since March")


@dataclass
class ClaimAttribution:
    source: str | None
    kind: str                 # named | vague | none
    relay: bool = False
    cue: str | None = None


@dataclass
class Claim:
    id: str
    article_id: str
    sentence: int             # index into the analysis' sentences
    start: int
    end: int
    text: str
    predicate: str | None     # lemma of the content verb, particle and negation stripped
    negated: bool
    subject: str | None       # the semantic subject phrase (shared or antecedent subjects included)
    object: str | None        # direct object or complement phrase (a passive's subject)
    actors: list[ClaimActor] = field(default_factory=list)
    places: list[ClaimPlace] = field(default_factory=list)
    time: list[ClaimTime] = field(default_factory=list)
    quantities: list[ClaimQuantity] = field(default_factory=list)
    attribution: ClaimAttribution = field(default_factory=lambda: ClaimAttribution(None, "none"))
    hedged: bool = False
    hedges: list[str] = field(default_factory=list)
    quoted: bool = False
    background: bool = False
    background_cue: str | None = None   # why: "date 2016", "since 2016", "past perfect", "once"
    passive: bool = False
    split: str = "main"       # one of SPLITS

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Claim":
        return cls(**{
            **data,
            "actors": [ClaimActor(**a) for a in data.get("actors", [])],
            "places": [ClaimPlace(**p) for p in data.get("places", [])],
            "time": [ClaimTime(**t) for t in data.get("time", [])],
            "quantities": [ClaimQuantity(**q) for q in data.get("quantities", [])],
            "attribution": ClaimAttribution(**data.get("attribution", {"source": None, "kind": "none"})),
            "hedges": list(data.get("hedges", [])),
        })
