"""Who says so: per-sentence attribution, hedges, and direct quotes with their speakers.

``annotate(doc, sentences, mentions)`` fills ``Sentence.attribution`` and ``Sentence.hedges`` of
every sentence in ``sentences`` (in place) and returns the direct quotes. It needs only tags and
entities (no parser) and runs in one pass over the tokens.

Attribution cues (cues inside a quotation are ignored: a "said" inside quotes is the speaker's
words, not the article's attribution)

* ``according to X`` · ``citing X`` · ``quoting X`` · ``per X`` / ``as per X`` ·
  ``in the words of X`` · ``X said`` and the other reporting verbs in :data:`SPEECH_VERBS`
  (said, says, told, reported, reports, stated, claimed, announced, added, noted, wrote,
  confirmed, denied, warned, revealed, ...), with adverbs, auxiliaries and time phrases between
  subject and verb skipped ("The Observatory also reported", "officials have claimed", "Trump on
  Saturday accused"). Verbs that often mean something else (asked, continued, added, wrote,
  described, declared, ... :data:`_QUOTE_ONLY`) count only next to a quotation or before
  ``that``/``:``/``,`` — not "The White House asked Clinton to ...", "fighting continued".
* ``X, the Y, said``: of the two comma-separated noun phrases the one holding a person (else a
  proper name, else the first) is the source; ``"...," said X`` / ``..., notes X`` (inversion
  after a quote or comma); ``with X saying/suggesting/warning`` (absolute construction).
* Passives: ``it was reported (that)``, ``X is said/believed/thought to``, ``N casualties
  reported`` → kind ``vague`` with no source; ``was reported by X`` / ``..., claimed by X,`` → X.
  "announced"/"confirmed" only impersonally ("it was announced that"; "when the tariffs were
  announced" is an event), and "it is announced" without ``that`` is not impersonal.
* Headline convention ``...: Syria war monitor`` (a final ``: NP`` that names a source).
* ``claimed``/``claims`` count only as an assertion — followed by ``that``/``to``/a clause with its
  own verb, or an object like responsibility/victory/advance — not "claimed 327 lives" or
  "claimed portions of the city".
* Pronoun subjects: ``he``/``she`` resolve to the person of the last named cue within the three
  sentences before ("Issa said ... , he said"), else the last PERSON mention there; ``it`` to
  the last ORG mention within two sentences. The span then points at that mention. Unresolved
  pronouns are vague; "we"/"I" outside quotes are not sources.

Source kinds

* ``named``: the head of the source phrase is a PERSON mention; or the phrase overlaps an ORG
  mention or has a proper-noun token (NNP) and its head is not a generic people-word; or it is
  a country/nationality used as a speaker ("Turkey said"), or an institution owned by one ("the
  Israeli military", "Russia's foreign ministry").
* ``vague``: a generic people-word head (:data:`VAGUE_PEOPLE`, lower-case), even with a
  nationality or a named body attached ("military sources", "Turkish officials", "a White House
  official", "Senate aides", "sources close to the government", "analysts", "residents",
  "witnesses", "state media", "Syrian state TV", "reports", "a spokesperson"), unowned
  institutions ("the ministry"), unresolved pronouns and passives. (Deliberately stricter than
  "contains a GPE/NORP/ORG mention": a nationality or employer does not say who spoke.)
* ``none``: no cue in the sentence and not inside an attributed quotation.

A phrase that is neither (a subject like "this attack revealed", "the opposition claimed
portions") is not a source and the cue is dropped.

``relay`` is True when the source is a news outlet or agency — its name holds an outlet word
(Press, News, Times, Post, TV, Radio, Express, Journal, Herald, ...), is a known wire or
broadcaster (Reuters, AFP, AP, Xinhua, Anadolu, BBC, ...), "Agency" together with a news word
or a known agency, or its appositive says so ("Militarnyi, a Ukrainian media outlet") — or when
the source is "reports"/"media" themselves ("per reports", "state media"; "the report" alone is
a document, not an outlet).

When a sentence has several cues the first with a source wins (else the first passive). A
sentence with no cue of its own inside a quotation whose speaker is known takes that speaker's
attribution.

Quotes: straight and curly double quotes, paired within a paragraph (an unclosed quote runs to
the paragraph end, the newspaper convention for multi-paragraph quotes), and single-quoted
spans ('most of', ‘...’) whose marks sit at word edges (apostrophes inside words and plural
possessives without an opening mark are not quotes). Quote offsets are the inside of the marks.
The speaker is the nearest attribution cue with a source in the sentences the quote spans,
else in the sentence just before or after; otherwise None.

Hedges: the phrases in :data:`HEDGES` (own list), longest match first, stored lower-cased in text
order without repeats; modal hedges (may, might, could) only when tagged as modals.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import replace

from .types import Attribution, Mention, Quote

__all__ = ["annotate", "find_quotes", "SPEECH_VERBS", "HEDGES"]

SPEECH_VERBS = {
    "say", "says", "said", "tell", "tells", "told", "report", "reports", "reported", "state",
    "states", "stated", "claim", "claims", "claimed", "announce", "announces", "announced", "add",
    "adds", "added", "note", "notes", "noted", "write", "writes", "wrote", "explain", "explains",
    "explained", "confirm", "confirms", "confirmed", "deny", "denies", "denied", "warn", "warns",
    "warned", "insist", "insists", "insisted", "argue", "argues", "argued", "declare", "declares",
    "declared", "reveal", "reveals", "revealed", "estimate", "estimates", "estimated", "allege",
    "alleges", "alleged", "tweet", "tweets", "tweeted", "acknowledge", "acknowledges",
    "acknowledged", "admit", "admits", "admitted", "assert", "asserts", "asserted", "stress",
    "stresses", "stressed", "emphasise", "emphasised", "emphasize", "emphasized", "observe",
    "observes", "observed", "suggest", "suggests", "suggested", "predict", "predicts",
    "predicted", "maintain", "maintains", "maintained", "contend", "contends", "contended",
    "recount", "recounts", "recounted", "recall", "recalls", "recalled", "describe",
    "describes", "described", "accuse", "accuses", "accused", "indicate", "indicates",
    "indicated", "continued", "replied", "replies", "asked", "quoted", "mentioned", "remarked",
    "documented", "recorded", "posted",
}
# Verbs that may be followed by their source ("..., said X", "..., notes Defense Express").
_INVERTIBLE = {"said", "says", "added", "adds", "noted", "notes", "wrote", "writes", "explained",
               "explains", "continued", "replied", "asked", "reports", "reported", "stated",
               "states", "declared", "insisted", "argued", "warned", "recalled", "observed",
               "stressed", "tweeted", "claimed", "claims", "announced", "confirmed", "remarked"}
_ABSOLUTE_VBG = {"saying", "suggesting", "warning", "claiming", "noting", "reporting", "arguing",
                 "estimating", "adding", "insisting", "stating", "alleging", "predicting",
                 "citing", "describing", "accusing", "confirming", "denying", "calling"}
_PASSIVE = {"reported", "said", "believed", "thought", "claimed", "alleged", "announced",
            "confirmed", "understood", "estimated", "rumoured", "rumored", "feared", "reputed",
            "suspected"}
_CLAIM_VERBS = {"claim", "claims", "claimed", "claiming"}
_CLAIM_OBJECTS = {"responsibility", "credit", "victory", "victories", "success", "successes",
                  "advance", "advances", "gains", "win", "capture", "control", "breakthrough",
                  "downing", "killing", "killings", "destruction", "hit", "hits", "strike",
                  "strikes", "attack", "attacks", "bombing", "bombings", "assassination",
                  "shooting", "operation", "kidnapping", "abduction"}
_BE = {"is", "was", "were", "are", "been", "being", "be", "'s", "’s", "'re", "’re"}
_AUX = _BE | {"has", "have", "had", "will", "would", "could", "can", "may", "might", "should",
              "must", "did", "does", "do", "also", "reportedly", "previously", "earlier", "later",
              "then", "repeatedly", "again", "now", "already", "separately", "once", "further",
              "publicly", "officially", "recently", "initially", "first", "last", "allegedly",
              "not", "n't", "never", "still", "too", "often", "frequently", "himself", "herself",
              "themselves", "itself", "directly", "privately", "late", "just", "yet"}

# Generic people-groups: vague even with a nationality attached ("Turkish officials").
VAGUE_PEOPLE = {
    "source", "sources", "official", "officials", "report", "reports", "analyst", "analysts",
    "spokesperson", "spokespersons", "spokesman", "spokesmen", "spokeswoman", "spokeswomen",
    "observer", "observers", "resident", "residents", "media", "witness", "witnesses",
    "activist", "activists", "expert", "experts", "diplomat", "diplomats", "medic", "medics",
    "doctor", "doctors", "rescuer", "rescuers", "monitor", "monitors", "insider", "insiders",
    "people", "person", "local", "locals", "aide", "aides", "adviser", "advisers", "advisor",
    "advisors", "researcher", "researchers", "commentator", "commentators", "journalist",
    "journalists", "reporter", "reporters", "correspondent", "correspondents", "critic",
    "critics", "supporter", "supporters", "opponent", "opponents", "negotiator", "negotiators",
    "lawmaker", "lawmakers", "legislator", "legislators", "investigator", "investigators",
    "prosecutor", "prosecutors", "rebel", "rebels", "insurgent", "insurgents", "militant",
    "militants", "fighter", "fighters", "protester", "protesters", "protestors", "survivor",
    "survivors", "relative", "relatives", "family", "families", "neighbour", "neighbours",
    "neighbor", "neighbors", "worker", "workers", "staff", "employee", "employees", "members",
    "member", "leader", "leaders", "commander", "commanders", "soldier", "soldiers", "troops",
    "scientist", "scientists", "economist", "economists", "authorities", "statement",
    "statements", "outlets", "outlet", "footage", "images", "video", "videos",
    "documents", "data", "figures", "estimates", "count", "tally", "census", "polls", "poll",
    "survey", "study", "accounts", "rumours", "rumors", "posts", "representative",
    "representatives", "envoy", "envoys", "ambassador", "minister", "ministers", "president",
    "governor", "mayor", "director", "chief", "head", "officer", "officers", "agent", "agents",
    "monitoring", "campaigners", "volunteers", "paramedics", "hospital", "hospitals",
    "opposition", "residents", "sources", "someone", "anyone", "many", "some", "others",
}
# Institutions: named when owned by a country/nationality ("the Israeli military").
INSTITUTIONS = {
    "ministry", "government", "army", "military", "police", "presidency", "embassy", "cabinet",
    "parliament", "office", "agency", "council", "committee", "court", "regime", "administration",
    "forces", "navy", "command", "department", "service", "services", "authority", "kremlin",
    "observatory", "group", "organisation", "organization", "coalition", "alliance", "company",
    "firm", "party", "movement", "network", "commission", "senate", "congress", "assembly",
    "television", "tv", "radio", "newspaper", "broadcaster", "channel", "website", "daily",
    "ministries", "governments", "militaries", "armies",
}
_STATE_OUTLETS = {"tv", "television", "radio", "broadcaster", "news", "agency", "outlets", "outlet",
                  "channel", "newspaper", "television", "press", "broadcasting"}
_PRONOUNS = {"he", "she", "they", "it", "we", "i"}

_OUTLET_WORDS = {"press", "news", "times", "post", "tv", "television", "radio", "express",
                 "journal", "herald", "tribune", "gazette", "telegraph", "guardian", "daily",
                 "observer", "independent", "chronicle", "courier", "mail", "mirror", "sun",
                 "standard", "star", "insider", "wire", "magazine", "newspaper", "newsweek",
                 "broadcaster", "broadcasting", "channel", "outlet", "media", "website",
                 "tabloid", "agency", "reports", "report", "today", "politico", "axios", "monitor"}
_OUTLET_NAMES = {"reuters", "afp", "ap", "ansa", "dpa", "efe", "xinhua", "tass", "ria", "interfax",
                 "ukrinform", "unian", "anadolu", "sana", "irna", "isna", "tasnim", "fars", "mehr",
                 "wafa", "petra", "yonhap", "kyodo", "bernama", "antara", "bbc", "cnn", "nbc",
                 "cbs", "abc", "msnbc", "npr", "pbs", "fox", "sky", "bloomberg", "politico",
                 "axios", "haaretz", "ynet", "aljazeera", "jazeera", "arabiya", "al-arabiya",
                 "al-jazeera", "al-monitor", "dw", "france24", "euronews", "rt", "sputnik",
                 "novosti", "kommersant", "izvestia", "vedomosti", "meduza", "tsn", "hromadske",
                 "militarnyi", "nyt", "wsj", "ft", "cbc", "abc news", "ani", "pti", "nhk", "kcna",
                 "presstv", "al-mayadeen", "mayadeen", "al-akhbar", "asharq", "nexta", "rudaw",
                 "kurdistan24", "enab", "baladi", "syriac", "bellingcat", "semafor", "vox",
                 "hurriyet", "sabah", "trt", "yeni", "aa", "pravda", "zaman"}
# "Agency" alone is not an outlet (energy, intelligence, refugee agencies).
_AGENCY_QUALIFIERS = {"news", "press", "anadolu", "xinhua", "tasnim", "fars", "mehr", "sana",
                      "irna", "isna", "yonhap", "kyodo", "interfax", "ukrinform", "wafa", "petra",
                      "bernama", "antara", "tass", "ria", "dpa", "efe", "ansa", "associated",
                      "telegraphic", "information", "media"}
_APPOSITIVE_OUTLET = {"outlet", "newspaper", "broadcaster", "channel", "website", "daily",
                      "magazine", "agency", "tabloid", "media", "news", "tv", "television",
                      "radio", "wire", "publication", "portal", "blog"}

# Hedge phrases (multi-word first). Written for this project.
HEDGES = [
    "could not be independently verified", "could not be independently confirmed",
    "could not immediately be verified", "could not be verified", "could not be confirmed",
    "not independently verified", "not been verified", "not been confirmed",
    "is said to", "are said to", "was said to", "were said to",
    "is believed to", "are believed to", "was believed to", "were believed to", "believed to be",
    "is thought to", "are thought to", "was thought to", "were thought to",
    "is understood to", "are understood to", "is reported to", "are reported to",
    "was reported to", "were reported to", "is alleged to", "are alleged to",
    "appears to", "appear to", "appeared to", "seems to", "seem to", "seemed to",
    "may have", "might have", "could have", "it is unclear", "it was unclear", "unclear whether",
    "reportedly", "allegedly", "alleged", "purportedly", "purported", "apparently",
    "unconfirmed", "unverified", "supposedly", "presumably", "seemingly", "possibly",
    "perhaps", "probably", "potentially", "suspected", "rumoured", "rumored", "likely",
    "claimed", "claims", "claim", "could", "may", "might",
]
_HEDGE_SEQS = sorted((tuple(h.split()) for h in HEDGES), key=len, reverse=True)
_HEDGE_FIRST: dict[str, list[tuple[str, ...]]] = {}
for _seq in _HEDGE_SEQS:
    _HEDGE_FIRST.setdefault(_seq[0], []).append(_seq)
_MODALS = {"could", "may", "might"}

_NP_TAGS = {"NNP", "NNPS", "NN", "NNS", "JJ", "JJR", "JJS", "DT", "PRP$", "POS", "HYPH", "CD"}
_NP_INNER_PREPS = {"of", "for", "from", "at", "in", "with", "to", "on", "inside", "within"}
_COMPOUND_PARTICIPLES = {"linked", "backed", "based", "led", "allied", "affiliated", "aligned",
                         "funded", "run", "controlled", "owned", "supported", "sponsored", "held",
                         "made", "born", "trained", "armed", "installed", "appointed"}
_PLACE_PREPS = {"in", "at", "on", "inside", "within", "with", "to"}
_CALENDAR = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
             "january", "february", "march", "april", "may", "june", "july", "august",
             "september", "october", "november", "december", "jan.", "feb.", "aug.", "sept.",
             "oct.", "nov.", "dec.", "today", "tonight"}
# Verbs that attribute only next to a quotation or a reported clause ("asked", "continued").
_QUOTE_ONLY = {"asked", "continued", "replied", "replies", "added", "adds", "wrote", "writes",
               "described", "describes", "recalled", "recalls", "recounted", "observed",
               "suggested", "suggests", "predicted", "indicated", "indicates", "mentioned",
               "remarked", "recorded", "documented", "posted", "tweeted", "explained", "explains",
               "acknowledged", "stressed", "emphasised", "emphasized", "declared", "declares"}
_STOP_WORDS = {"that", "who", "which", "whose", "whom", "where", "when", "while", "because"}

_WORD_CHAR = re.compile(r"\w")


# ---------------------------------------------------------------------------------------------
# Quotes

def find_quotes(text: str) -> list[tuple[int, int]]:
    """(start, end) of each quotation's inside, in text order."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for para in text.split("\n"):
        p0, p1 = pos, pos + len(para)
        pos = p1 + 1
        doubles = _pair_doubles(text, p0, p1)
        spans.extend(doubles)
        spans.extend(s for s in _pair_singles(text, p0, p1)
                     if not any(a <= s[0] and s[1] <= b for a, b in doubles))
    spans.sort()
    out = []
    for a, b in spans:
        # trim whitespace and a closing comma inside the marks: “..., opposition forces advanced,”
        while a < b and text[a].isspace():
            a += 1
        while b > a and (text[b - 1].isspace() or text[b - 1] == ","):
            b -= 1
        if b > a:
            out.append((a, b))
    return out


def _pair_doubles(text: str, p0: int, p1: int) -> list[tuple[int, int]]:
    spans = []
    open_at = None
    for k in range(p0, p1):
        c = text[k]
        if c not in "\"“”„«»":
            continue
        before = text[k - 1] if k > p0 else " "
        after = text[k + 1] if k + 1 < p1 else " "
        can_open = c in "“„«" or (c == '"' and (before.isspace() or before in "([{—–-:;,/" or k == p0)
                                       and not after.isspace())
        can_close = c in "”»" or (c == '"' and not before.isspace())
        if open_at is None and can_open:
            open_at = k + 1
        elif open_at is not None and can_close:
            spans.append((open_at, k))
            open_at = None
        elif open_at is not None and c in "“„«":
            open_at = k + 1   # a new opening mark: the previous quote was not closed
    if open_at is not None and p1 - open_at > 1:
        spans.append((open_at, p1))   # multi-paragraph quote: runs to the paragraph end
    return spans


def _pair_singles(text: str, p0: int, p1: int) -> list[tuple[int, int]]:
    spans = []
    open_at = None
    for k in range(p0, p1):
        c = text[k]
        if c not in "'‘’":
            continue
        before = text[k - 1] if k > p0 else " "
        after = text[k + 1] if k + 1 < p1 else " "
        word_before = bool(_WORD_CHAR.match(before))
        word_after = bool(_WORD_CHAR.match(after))
        if open_at is None:
            if c in "'‘" and not word_before and after.isalpha() and before not in "'’":
                open_at = k + 1
        else:
            if c in "'’" and not word_after and (word_before or before in ".!?,;"):
                if k - open_at <= 300:
                    spans.append((open_at, k))
                open_at = None
    return spans


# ---------------------------------------------------------------------------------------------
# Cues

class _Cue:
    __slots__ = ("attr", "pos", "end", "sent")

    def __init__(self, attr: Attribution, pos: int, end: int, sent: int):
        self.attr, self.pos, self.end, self.sent = attr, pos, end, sent


class _Reader:
    def __init__(self, doc, text, sentences, mentions, quotes):
        self.text = text
        self.toks = list(doc)
        self.n = len(self.toks)
        self.low = [t.lower_ for t in self.toks]
        self.tags = [t.tag_ for t in self.toks]
        self.idx = [t.idx for t in self.toks]
        self.sentences = sentences
        self.sent_of = [sentences.of(t.idx) for t in self.toks]
        self.mentions = sorted(mentions, key=lambda m: m.start)
        # token → mention label
        self.label = [None] * self.n
        self.mention_of = [None] * self.n
        ti = 0
        for m in self.mentions:
            while ti < self.n and self.idx[ti] + len(self.toks[ti].text) <= m.start:
                ti += 1
            k = ti
            while k < self.n and self.idx[k] < m.end:
                self.label[k] = m.label
                self.mention_of[k] = m
                k += 1
        # token → [lo, hi) of its sentence (by SentenceIndex, so headlines split at line breaks)
        self.bounds = [(0, 0)] * self.n
        self.sent_tokens: dict[int, tuple[int, int]] = {}
        lo = 0
        for k in range(1, self.n + 1):
            if k == self.n or self.sent_of[k] != self.sent_of[lo]:
                for x in range(lo, k):
                    self.bounds[x] = (lo, k)
                self.sent_tokens.setdefault(self.sent_of[lo], (lo, k))
                lo = k
        self.last_person = None   # PERSON mention of the last named speaker, for "he said"
        self.quote_mask = [False] * self.n
        qi = 0
        for k in range(self.n):
            c = self.idx[k]
            while qi < len(quotes) and quotes[qi][1] <= c:
                qi += 1
            if qi < len(quotes) and quotes[qi][0] <= c < quotes[qi][1]:
                self.quote_mask[k] = True

    # ---- helpers ---------------------------------------------------------------------------
    def w(self, k: int) -> str:
        return self.low[k] if 0 <= k < self.n else ""

    def t(self, k: int) -> str:
        return self.tags[k] if 0 <= k < self.n else ""

    def same_sent(self, a: int, b: int) -> bool:
        return 0 <= a < self.n and 0 <= b < self.n and self.sent_of[a] == self.sent_of[b]

    def is_quote_mark(self, k: int) -> bool:
        return 0 <= k < self.n and self.toks[k].text in ("\"", "“", "”", "'", "‘", "’", "''", "``", "«", "»")

    def span(self, a: int, b: int) -> tuple[int, int, str]:
        s = self.idx[a]
        e = self.idx[b - 1] + len(self.toks[b - 1].text)
        return s, e, self.text[s:e]

    def glued(self, a: int) -> bool:
        """Token a touches token a + 1."""
        return 0 <= a < self.n and not self.toks[a].whitespace_

    # ---- noun phrases ----------------------------------------------------------------------
    def _np_token(self, k: int, nxt_in_np: bool) -> bool:
        tag, w = self.tags[k], self.low[k]
        if w in _STOP_WORDS or self.quote_mask[k] or self.is_quote_mark(k):
            return False
        if tag in _NP_TAGS:
            return True
        if w in ("'s", "’s") or w in ("-", "–") and (self.glued(k - 1) or self.glued(k)):
            return True
        # "Britain-based", "Al-Qaeda linked", "Iran-backed": participles inside a compound
        if nxt_in_np and (tag in ("VBN", "VBG") or w in _COMPOUND_PARTICIPLES) and (
                self.t(k - 1) in ("HYPH", "NNP", "NNPS") or self.w(k - 1) in ("-", "–")):
            return True
        return False

    def np_back(self, end: int, floor: int) -> tuple[int, int] | None:
        """Noun phrase ending at token end - 1, not before token floor: (a, b) or None."""
        k = end - 1
        if k < floor or not self._np_token(k, False) or self.t(k) in ("DT", "HYPH", "POS", "JJ"):
            if not (k >= floor and self.t(k) in ("JJ",) and self.low[k] in VAGUE_PEOPLE):
                return None
        a = k
        while a - 1 >= floor:
            p = a - 1
            if self._np_token(p, True):
                a = p
                continue
            # "the Food and Drug Administration"
            if self.low[p] in ("and", "&") and p - 1 >= floor and self.t(p - 1) in ("NNP", "NNPS") \
                    and self.t(a) in ("NNP", "NNPS"):
                a = p
                continue
            # "sources close to the government", "forces loyal to Assad"
            if self.low[p] == "to" and p - 2 >= floor and self.low[p - 1] in (
                    "close", "loyal", "linked", "allied", "near") and self.t(p - 2) in ("NNS", "NN", "NNP"):
                a = p - 1
                continue
            # "Khalifa of the International Crisis Group", "Rahman from the Observatory",
            # "officials in Damascus" — but not "Twitter at the time", "Trump on Saturday"
            if self.low[p] in _NP_INNER_PREPS and p - 1 >= floor and self.t(p - 1) in (
                    "NNP", "NNPS", "NN", "NNS") and self.t(a) in ("DT", "NNP", "NNPS", "JJ", "NN", "NNS"):
                if self.low[p] in _PLACE_PREPS and not any(
                        self.t(x) in ("NNP", "NNPS") and self.label[x] not in ("DATE", "TIME")
                        and self.low[x] not in _CALENDAR for x in range(a, end)):
                    break
                a = p
                continue
            break
        # trim leading prepositions / hyphens / possessives
        while a < end and (self.t(a) in ("HYPH", "POS", "IN", "TO") or self.low[a] in ("-", "'s", "’s")):
            a += 1
        return (a, end) if a < end else None

    def np_forward(self, start: int, ceil: int, limit: int = 14) -> tuple[int, int] | None:
        """Noun phrase starting at token start, before token ceil: (a, b) or None."""
        k = start
        b = start
        while k < ceil and k - start < limit:
            w, tag = self.low[k], self.tags[k]
            if self._np_token(k, k + 1 < ceil and self.t(k + 1) in _NP_TAGS):
                k += 1
                if tag not in ("DT", "HYPH", "POS", "PRP$"):
                    b = k
                continue
            if w in _NP_INNER_PREPS and b > start and k + 1 < ceil and self.t(k + 1) in (
                    "DT", "NNP", "NNPS", "NN", "NNS", "JJ", "PRP$"):
                if w in ("in", "at", "on", "inside", "within") and not any(
                        self.t(x) in ("NNP", "NNPS") for x in range(k + 1, min(k + 4, ceil))):
                    break   # "officials in Damascus" yes, "in a statement" no
                if w == "to" and self.low[k - 1] not in ("close", "loyal", "near", "linked", "allied"):
                    break
                k += 1
                continue
            if w == "close" and self.w(k + 1) == "to":
                k += 1
                continue
            if w in ("and", "&") and b > start and self.t(k + 1) in ("NNP", "NNPS", "DT"):
                k += 1
                continue
            break
        return (start, b) if b > start else None

    def head(self, a: int, b: int) -> int:
        """The head noun: last noun before any inner preposition."""
        h = None
        for k in range(a, b):
            if self.low[k] in _NP_INNER_PREPS and h is not None:
                break
            if self.tags[k] in ("NN", "NNS", "NNP", "NNPS") or self.low[k] in VAGUE_PEOPLE:
                h = k
        return h if h is not None else b - 1

    # ---- classification --------------------------------------------------------------------
    def classify(self, a: int, b: int) -> str | None:
        """named | vague | None (not a plausible source) for tokens [a, b)."""
        labels = {self.label[k] for k in range(a, b)} - {None}
        h = self.head(a, b)
        hw = self.low[h]
        if "PERSON" in labels and self.label[h] == "PERSON":
            return "named"
        vague_head = hw in VAGUE_PEOPLE and (h == a or not self.toks[h].text[:1].isupper())
        if vague_head:
            return "vague"   # an unnamed member of a named body: "a White House official"
        if labels & {"PERSON", "ORG"}:
            return "named"
        if hw in _STATE_OUTLETS and any(self.low[x] == "state" for x in range(a, h)):
            return "vague"   # "Syrian state TV": which outlet is not named
        if labels & {"GPE", "NORP"}:
            if hw in INSTITUTIONS or self.label[h] in ("GPE", "NORP") or self.tags[h] in ("NNP", "NNPS"):
                return "named"
            return None
        if any(self.tags[k] in ("NNP", "NNPS") and self.toks[k].text[:1].isupper()
               and not (k == a and self.low[k] in ("the", "a")) for k in range(a, b)):
            # a proper-noun phrase; sentence-initial capitals of common words are tagged NN
            if hw in INSTITUTIONS or self.tags[h] in ("NNP", "NNPS"):
                return "named"
            return None
        if hw in INSTITUTIONS:
            return "vague"
        return None

    def relay(self, a: int, b: int, after: int) -> bool:
        words = [self.low[k] for k in range(a, b)]
        if any(w in _OUTLET_NAMES for w in words):
            return True
        h = self.low[self.head(a, b)]
        if h in ("reports", "media", "outlets") or (h == "report" and any(
                self.low[x] in ("news", "media", "press") for x in range(a, b))):
            return True   # "per reports", "state media"; "the report" is a document
        caps = [self.low[k] for k in range(a, b) if self.toks[k].text[:1].isupper()
                or self.tags[k] in ("NNP", "NNPS")]
        for w in caps:
            if w == "agency":
                if any(x in _AGENCY_QUALIFIERS for x in words):
                    return True
            elif w in _OUTLET_WORDS:
                return True
        # appositive: "Militarnyi, a Ukrainian media outlet"
        if self.w(after) == "," and self.w(after + 1) in ("a", "an", "the"):
            k = after + 2
            while k < self.n and k < after + 10 and self.tags[k] not in (",", ".", ":") \
                    and self.same_sent(after, k):
                if self.low[k] in _APPOSITIVE_OUTLET:
                    return True
                k += 1
        return False

    def attribution(self, a: int, b: int, cue: str, kind: str | None = None) -> Attribution | None:
        kind = kind or self.classify(a, b)
        if kind is None:
            return None
        s, e, txt = self.span(a, b)
        return Attribution(source=txt, kind=kind, cue=cue, start=s, end=e,
                           relay=self.relay(a, b, b))

    # ---- the cue finders ------------------------------------------------------------------
    def sent_bounds(self, k: int) -> tuple[int, int]:
        """Token range [lo, hi) of the sentence holding token k."""
        return self.bounds[k]

    def pronoun(self, k: int, cue: str) -> Attribution:
        w = self.low[k]
        s, e, txt = self.span(k, k + 1)
        if w in ("he", "she"):
            sent = self.sent_of[k]
            if self.last_person is not None and self.sentences.of(self.last_person.start) >= sent - 3:
                m = self.last_person     # the last person quoted is the usual "he said"
                return Attribution(source=m.text, kind="named", cue=cue, start=m.start, end=m.end,
                                   relay=False)
            best = None
            for m in self.mentions:
                if m.start >= self.idx[k]:
                    break
                if m.label == "PERSON" and self.sentences.of(m.start) >= sent - 3:
                    best = m
            if best is not None:
                return Attribution(source=best.text, kind="named", cue=cue, start=best.start,
                                   end=best.end, relay=False)
        if w == "it":
            sent = self.sent_of[k]
            best = None
            for m in self.mentions:
                if m.start >= self.idx[k]:
                    break
                if m.label == "ORG" and self.sentences.of(m.start) >= sent - 2:
                    best = m
            if best is not None:
                return Attribution(source=best.text, kind="named", cue=cue, start=best.start,
                                   end=best.end, relay=False)
        return Attribution(source=txt, kind="vague", cue=cue, start=s, end=e, relay=False)

    def time_phrase_start(self, j: int, lo: int) -> int | None:
        """Start of a time phrase ending at token j ("on Saturday", "last week", "at the time",
        "on Wednesday morning"), or None."""
        a = j
        while a >= lo and (self.label[a] in ("DATE", "TIME") or self.low[a] in _CALENDAR
                           or (self.low[a] in ("time", "moment") and self.w(a - 1) == "the")
                           or (self.low[a] == "the" and self.w(a + 1) in ("time", "moment"))):
            a -= 1
        if a == j:
            return None
        if a >= lo and self.low[a] in ("on", "at", "in", "during", "this", "last", "earlier", "late"):
            return a
        return a + 1 if self.label[a + 1] in ("DATE", "TIME") or self.low[a + 1] in _CALENDAR else None

    def near_quote(self, k: int, lo: int, hi: int) -> bool:
        """A quotation closes within the 8 tokens before token k, or k opens a reported clause
        ("added that", "wrote:", 'asked, "...')."""
        if any(self.is_quote_mark(x) or self.quote_mask[x] for x in range(max(lo, k - 8), k)):
            return True
        nxt = self.w(k + 1)
        return nxt in ("that", ":", ",") or self.is_quote_mark(k + 1) or (
            k + 1 < hi and self.quote_mask[k + 1])

    def claim_is_assertion(self, k: int, hi: int) -> bool:
        """'claimed' as an assertion ("claimed that", "claimed the offensive seeks") — not
        "claimed 327 lives" or "claimed portions of the city"."""
        nxt = self.w(k + 1)
        if k + 1 >= hi or nxt in ("that", "to", ",", ":", ".", "“", "\"", "responsibility") or \
                self.tags[k + 1] in (".", ",", ":", "``", "''"):
            return True
        m = k + 1
        while m < hi and m < k + 10:
            tag = self.tags[m]
            if self.low[m] in _CLAIM_OBJECTS and tag.startswith("NN"):
                return True
            if tag in ("VBZ", "VBD", "VBP", "MD"):
                return True
            if tag in (",", ".", ":") or self.low[m] in ("and", "but", "after", "before", "in"):
                break
            m += 1
        return False

    def find_cues(self) -> list[_Cue]:
        cues: list[_Cue] = []
        k = 0
        while k < self.n:
            if self.quote_mask[k]:
                k += 1
                continue
            found = self.cue_at(k)
            if found:
                attr, pos_tok, end_tok = found
                if attr.kind == "named" and attr.start is not None:
                    for x in range(bisect_left(self.idx, attr.start), bisect_left(self.idx, attr.end)):
                        m = self.mention_of[x]
                        if m is not None and m.label == "PERSON" and attr.start <= m.start < attr.end:
                            self.last_person = m
                            break
                cues.append(_Cue(attr, self.idx[pos_tok], self.idx[end_tok - 1] + len(self.toks[end_tok - 1].text),
                                 self.sent_of[pos_tok]))
            k += 1
        # headline convention: "...: Syria war monitor"
        for si, sent in enumerate(self.sentences.sentences):
            cue = self.headline_source(sent)
            if cue:
                cues.append(cue)
        cues.sort(key=lambda c: c.pos)
        return cues

    def cue_at(self, k: int):
        w, tag = self.low[k], self.tags[k]
        if w not in _CUE_WORDS:
            return None
        lo, hi = self.sent_bounds(k)
        # according to X / citing X / quoting X / per X / in the words of X
        if w == "according" and self.w(k + 1) == "to":
            np = self.np_forward(k + 2, hi)
            if np:
                attr = self.attribution(*np, cue="according to")
                if attr:
                    return attr, k, k + 2
            return None
        if w in ("citing", "quoting"):
            np = self.np_forward(k + 1, hi)
            if np:
                attr = self.attribution(*np, cue=w)
                if attr:
                    return attr, k, k + 1
            return None
        if w == "per" and (k == lo or self.w(k - 1) in (",", "as") or self.t(k - 1) in (",", ":")):
            np = self.np_forward(k + 1, hi)
            if np:
                attr = self.attribution(*np, cue="as per" if self.w(k - 1) == "as" else "per")
                if attr:
                    return attr, k, k + 1
            return None
        if w == "words" and self.w(k - 1) == "the" and self.w(k - 2) == "in" and self.w(k + 1) == "of":
            np = self.np_forward(k + 2, hi)
            if np:
                attr = self.attribution(*np, cue="in the words of")
                if attr:
                    return attr, k - 2, k + 2
            return None
        # with X saying / suggesting ...
        if w in _ABSOLUTE_VBG and tag == "VBG" and w != "citing":
            np = self.np_back(k, lo)
            if np and self.w(np[0] - 1) == "with":
                attr = self.attribution(*np, cue=w)
                if attr:
                    return attr, k, k + 1
            return None
        if w not in SPEECH_VERBS and w not in _PASSIVE:
            return None
        is_verb = tag.startswith("VB")
        if not is_verb and not (w in _INVERTIBLE and (self.is_quote_mark(k - 1) or self.w(k - 1) == ",")):
            return None
        if w not in SPEECH_VERBS and tag != "VBN":
            return None
        # skip adverbs, auxiliaries and time phrases back to the subject
        j = k - 1
        saw_be = False
        while j >= lo and not self.quote_mask[j]:
            if self.low[j] in _AUX or self.tags[j] in ("RB", "MD"):
                if self.low[j] in _BE:
                    saw_be = True
                j -= 1
                continue
            t = self.time_phrase_start(j, lo)
            if t is None:
                break
            j = t - 1
        # passives: "were reported by state media", "the attack, claimed by IS, ..."
        if tag == "VBN" and w in _PASSIVE and self.w(k + 1) == "by":
            np = self.np_forward(k + 2, hi)
            if np:
                attr = self.attribution(*np, cue=f"{w} by")
                if attr:
                    return attr, k, k + 2
        # "it was reported (that)", "is said to"
        if saw_be and tag == "VBN" and w in _PASSIVE:
            impersonal = (j - 1 >= lo and self.t(j - 1) in (",", ":")) or self.w(k + 1) == "to" or any(
                self.w(x) in ("that", ":") or self.is_quote_mark(x) for x in range(k + 1, min(k + 8, hi)))
            if self.w(j) == "it" and not impersonal:
                return None   # "It is also announced on the eve of ...": "it" is a thing
            if w in ("announced", "confirmed") and not (self.w(j) == "it" or self.w(k + 1) == "to"):
                return None   # "when the tariffs were announced": an event, not a source
            be_tok = j + 1
            cue_text = self.text[self.idx[be_tok]:self.idx[k] + len(self.toks[k].text)]
            if self.w(j) == "it":
                cue_text = self.text[self.idx[j]:self.idx[k] + len(self.toks[k].text)]
            return Attribution(None, "vague", cue=cue_text.lower()), max(j, lo), k + 1
        if tag == "VBN" and not saw_be and w in ("reported", "confirmed") and j >= lo and \
                self.tags[j] in ("NNS", "NN") and self.classify(j, j + 1) is None and \
                (k + 1 >= hi or self.tags[k + 1] in (".", ",", ":", "IN", "_SP")) and self.w(k + 1) != "by":
            return Attribution(None, "vague", cue=w), k, k + 1   # "over 300 casualties reported"
        if tag == "VBN" and saw_be:
            return None
        if w in _CLAIM_VERBS and not self.claim_is_assertion(k, hi):
            return None
        if w not in SPEECH_VERBS:
            return None
        if w in _QUOTE_ONLY and not self.near_quote(k, lo, hi):
            return None   # "The White House asked Clinton to ...", "fighting continued"
        # subject: pronoun
        if j >= lo and self.low[j] in _PRONOUNS and self.tags[j] == "PRP":
            if self.low[j] in ("we", "i"):
                return None
            return self.pronoun(j, w), j, k + 1
        # subject: "X, the Y, said"
        if j >= lo and self.low[j] == "," and not self.is_quote_mark(j - 1):
            seg1 = self.np_back(j, lo)
            if seg1:
                k1 = self.classify(*seg1)
                seg2 = None
                if seg1[0] - 1 >= lo and self.low[seg1[0] - 1] == ",":
                    seg2 = self.np_back(seg1[0] - 1, lo)
                k2 = self.classify(*seg2) if seg2 else None
                choice = None
                if k1 and k2:
                    has_person = lambda s: any(self.label[x] == "PERSON" for x in range(*s))
                    starts_det = lambda s: self.low[s[0]] in ("the", "a", "an")
                    if has_person(seg1) and not has_person(seg2):
                        choice = seg1
                    elif has_person(seg2) and not has_person(seg1):
                        choice = seg2
                    elif starts_det(seg2) and not starts_det(seg1):
                        choice = seg1
                    else:
                        choice = seg2
                elif k2 and seg1 and self.low[seg1[0]] in ("the", "a", "an"):
                    choice = seg2
                elif k1:
                    choice = seg1 if not seg2 or self.low[seg1[0]] not in ("the", "a", "an") or not k2 else seg2
                if choice and (w in _INVERTIBLE or seg2):
                    attr = self.attribution(*choice, cue=w)
                    if attr:
                        return attr, choice[0], k + 1
        # subject: the noun phrase right before the verb
        if j >= lo and is_verb:
            np = self.np_back(j + 1, lo)
            if np:
                attr = self.attribution(*np, cue=w)
                if attr:
                    return attr, np[0], k + 1
        # inversion: '"...," said X', '..., notes Defense Express'
        if w in _INVERTIBLE and (self.is_quote_mark(k - 1) or self.w(k - 1) == ","):
            np = self.np_forward(k + 1, hi)
            if np:
                attr = self.attribution(*np, cue=w)
                if attr:
                    return attr, k, np[1]
        return None

    def headline_source(self, sent) -> _Cue | None:
        """'Jihadist rebels seize most of Aleppo: Syria war monitor' — a final ': source'."""
        body = self.text[sent.start:sent.end]
        if body.endswith((".", "!", "?", "”", "\"")):
            return None
        c = body.rfind(":")
        if c <= 0 or len(body) - c > 60:
            return None
        # tokens after the colon
        lo, hi = self.sent_tokens.get(self.sentences.of(sent.start), (0, 0))
        ks = [k for k in range(lo, hi) if sent.start + c < self.idx[k] < sent.end]
        if not ks or len(ks) > 6:
            return None
        a, b = ks[0], ks[-1] + 1
        if any(self.tags[k].startswith("VB") or self.tags[k] in (",", ".") for k in range(a, b)):
            return None
        np = self.np_forward(a, b)
        if not np or np[1] != b:
            return None
        kind = self.classify(*np)
        h = self.low[self.head(*np)]
        if kind is None or (kind == "named" and not ({self.label[k] for k in range(*np)} & {"PERSON", "ORG"})
                            and h not in VAGUE_PEOPLE and h not in INSTITUTIONS
                            and not self.relay(*np, np[1])):
            return None
        if h in VAGUE_PEOPLE:
            kind = "vague"
        attr = self.attribution(*np, cue=":", kind=kind)
        if attr is None:
            return None
        return _Cue(attr, sent.start + c, sent.start + c + 1, self.sentences.of(sent.start))

    # ---- hedges ----------------------------------------------------------------------------
    def hedges(self) -> dict[int, list[str]]:
        out: dict[int, list[str]] = {}
        k = 0
        while k < self.n:
            hit = None
            for seq in _HEDGE_FIRST.get(self.low[k], ()):
                if tuple(self.low[k:k + len(seq)]) == seq:
                    hit = seq
                    break
            if hit is None:
                k += 1
                continue
            if len(hit) == 1:
                w = hit[0]
                if w in _MODALS and self.tags[k] != "MD":
                    k += 1
                    continue
                if w in _CLAIM_VERBS:
                    lo, hi = self.sent_bounds(k)
                    if not self.tags[k].startswith("VB") and w != "claimed" or \
                            not self.claim_is_assertion(k, hi):
                        k += 1
                        continue
                if w == "likely" and self.w(k - 1) in ("less", "more", "most", "un"):
                    k += 1
                    continue
            s = self.sent_of[k]
            phrase = " ".join(hit)
            lst = out.setdefault(s, [])
            if phrase not in lst:
                lst.append(phrase)
            k += len(hit)
        return out


_CUE_WORDS = SPEECH_VERBS | _PASSIVE | _ABSOLUTE_VBG | _INVERTIBLE | {
    "according", "citing", "quoting", "per", "words"}


def _speaker(quote: tuple[int, int], cues: list[_Cue], sentences) -> _Cue | None:
    """Nearest cue with a source in the sentences the quote spans, else the adjacent ones."""
    qs, qe = quote
    s0, s1 = sentences.of(qs), sentences.of(max(qs, qe - 1))
    usable = [c for c in cues if c.attr.source is not None and not (qs <= c.pos < qe)]

    def dist(c):
        if c.pos >= qe:
            return c.pos - qe
        return qs - c.end if c.end <= qs else 0

    same = [c for c in usable if s0 <= c.sent <= s1]
    if same:
        return min(same, key=dist)
    near = [c for c in usable if c.sent in (s0 - 1, s1 + 1)]
    if near:
        return min(near, key=dist)
    return None


def annotate(doc, sentences, mentions) -> list:
    """Fill ``attribution`` and ``hedges`` of each sentence in ``sentences``; return the quotes.

    ``mentions`` are the article's entity mentions (PERSON/ORG/GPE/NORP decide named sources and
    resolve he/she); when the list is empty the Doc's own entities stand in.
    """
    if not mentions:
        mentions = [Mention(e.start_char, e.end_char, e.text, e.label_, sentences.of(e.start_char))
                    for e in doc.ents]
    text = doc.text
    quotes = find_quotes(text)
    rd = _Reader(doc, text, sentences, mentions, quotes)
    cues = rd.find_cues()
    sents = sentences.sentences
    # per sentence: the first cue with a source, else the first passive
    by_sent: dict[int, list[_Cue]] = {}
    for c in cues:
        if c.sent >= 0:
            by_sent.setdefault(c.sent, []).append(c)
    for si, lst in by_sent.items():
        if si >= len(sents):
            continue
        with_source = [c for c in lst if c.attr.source is not None]
        best = (with_source or lst)[0]
        sents[si].attribution = replace(best.attr)
    for si, hs in rd.hedges().items():
        if 0 <= si < len(sents):
            sents[si].hedges = hs
    out = []
    for qs, qe in quotes:
        sp = _speaker((qs, qe), cues, sentences)
        out.append(Quote(start=qs, end=qe, text=text[qs:qe], speaker=sp.attr.source if sp else None,
                         sentence=sentences.of(qs)))
        if sp is None:
            continue
        # sentences inside an attributed quotation take its speaker
        for si in range(max(0, sentences.of(qs)), sentences.of(max(qs, qe - 1)) + 1):
            if si >= len(sents) or sents[si].attribution.kind != "none":
                continue
            sent = sents[si]
            inside = min(qe, sent.end) - max(qs, sent.start)
            if inside * 2 >= sent.end - sent.start:   # mostly quoted, not a scare quote
                sents[si].attribution = replace(sp.attr)
    return out
