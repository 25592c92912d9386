"""Article-level quality signals: what in a report, apart from its facts, should make a reader wary.

``quality_flags(text, analysis_json, row)`` returns flags ``{"kind", "evidence", "start", "end"}``
(plus ``"note"`` where it helps). ``evidence`` is exactly ``text[start:end]``; whole-article flags
(``missing_byline``, ``missing_date``) have ``start``/``end`` None and say in words what is missing.

Kinds

* ``ai_disclosure`` — "Image created by AI", "This article was generated with the help of AI",
  "AI-generated image". On a long line the disclosure must speak of *this* article/story/image;
  a short caption-like line may name any picture or text ("Illustration created with Midjourney").
  Prose about AI fakes ("an AI-generated video of the senator spread online") is not a disclosure.
* ``promotional_insert`` — inserted reading links and calls to action: "[READ MORE: ...]",
  a line opening with "Read more:" / "Related:" / "See also:" / "Watch:" (and the short title
  lines under a bare "Related stories" header), newsletter sign-ups, "Follow us on ...", app
  downloads, donation asks. The word "read" in a sentence is not an insert: the keyword has to
  open a line or a bracket and be followed by a separator, or the call has to name its object
  ("sign up for our newsletter").
* ``boilerplate`` — page furniture that leaked into the text: photo credits and captions
  ("(Photo by X/AFP via Getty Images)", "Image: Reuters", "Cover: AP Photo/..."), copyright
  lines, "All rights reserved", "Click here", share-button rows, cookie notices, "Advertisement".
* ``spelling`` — unknown lower-case words per 1,000 words over a threshold, the first few as
  evidence. Proper names and anything capitalised, numbers, URLs, e-mail addresses, hyphenated
  compounds of known words, words inside quotations and words used twice or more in the article
  (a term, not a slip) never count. The word list is SCOWL (see ``data/NOTICE``).
* ``missing_byline`` / ``missing_date`` — the article row has no author / no publication date.
* ``opinion_in_news`` — the writer's own opinion in an article not labelled as opinion:
  first-person stance ("I believe", "we must", "in my view"), "it is clear that", "make no
  mistake", sentence adverbs of judgement ("Sadly,", "Obviously,") and contemptuous adjectives
  ("shameful", "disgraceful", "ridiculous"). Matches inside quotations or in sentences the
  analysis attributes to a source (reported speech) are someone else's opinion and do not count.
* ``unverified_claim`` — a sentence with a violent or dramatic claim (killed, massacred,
  tortured, casualties, chemical weapons, ...) carried only by a strong hedge ("reportedly",
  "allegedly", "unconfirmed", "is said to", "could not be verified") or by a vague source
  ("sources say", "officials said", passive "it was reported"). A named source carries it.

``boilerplate_spans(text)`` gives the ai_disclosure / promotional_insert / boilerplate spans as
``(start, end, kind)`` so that later stages can skip them when they read claims.
"""

from __future__ import annotations

import gzip
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Iterator, Mapping
from urllib.parse import urlsplit

__all__ = ["FLAG_KINDS", "SPAN_KINDS", "SPELLING_PER_1000", "SPELLING_MIN", "quality_flags",
           "boilerplate_spans", "misspellings", "is_labelled_opinion", "english_words"]

SPAN_KINDS = ("ai_disclosure", "promotional_insert", "boilerplate")
FLAG_KINDS = SPAN_KINDS + ("spelling", "missing_byline", "missing_date", "opinion_in_news",
                           "unverified_claim")

# Unknown words per 1,000 words at or above which the spelling flag is raised, and the least
# number of unknown words that may raise it (one slip in a short piece is not a pattern).
SPELLING_PER_1000 = 2.0
SPELLING_MIN = 2
_SPELLING_EVIDENCE = 5
_MAX_SPAN_FLAGS = 10   # per kind and article; a note on the last says how many more there were


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    kind: str
    note: str | None = None


# ---------------------------------------------------------------------------------------------
# Lines

def _lines(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of every non-blank line, surrounding white space trimmed."""
    pos = 0
    for line in text.split("\n"):
        a, b = pos, pos + len(line)
        pos = b + 1
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            yield a, b


def _words(s: str) -> int:
    return len(s.split())


# ---------------------------------------------------------------------------------------------
# AI disclosure

_AI = (r"(?:generative\s+AI|AI(?:\s+(?:tools?|models?|software|systems?|technology|image\s+generators?))?"
       r"|A\.I\.|artificial\s+intelligence|(?:a\s+)?(?:large\s+)?language\s+models?|ChatGPT|GPT-?\d\w*"
       r"|Midjourney|DALL[-·]?E(?:\s*\d)?|Stable\s+Diffusion|Gemini|Copilot|Grok)")
_AI_NOUNS = (r"(?:image|photo|photograph|picture|illustration|graphic|artwork|video|audio|voice"
             r"|article|story|report|text|content|summary|piece|post|translation|newsletter)")
_AI_VERBS = (r"(?:created|generated|written|produced|drafted|composed|made|edited|translated"
             r"|summari[sz]ed|enhanced|assisted|prepared|rendered|illustrated)")
_AI_MADE = re.compile(
    rf"\b(?P<noun>{_AI_NOUNS})s?\s+(?:(?:was|were|has\s+been|have\s+been|is|are)\s+)?"
    rf"(?:(?:partly|partially|fully|entirely|largely)\s+)?{_AI_VERBS}\s+"
    rf"(?:(?:with|using|through)\s+(?:the\s+)?(?:help|assistance|aid|use|support)\s+of|using|by|with|via|through)"
    rf"\s+(?:an?\s+|the\s+)?{_AI}", re.I)
_AI_USED = re.compile(
    rf"\b{_AI}\s+(?:was|were|has\s+been|have\s+been)\s+used\s+(?:to\s+(?:help\s+)?|in\s+)"
    r"(?:writ|produc|generat|creat|draft|summari[sz]|translat|edit|prepar|illustrat)\w*", re.I)
_AI_TAG = re.compile(rf"\b(?:{_AI}[- ](?:generated|created|assisted|produced|written|made|enhanced)"
                     rf"|(?:generated|created|made|produced)\s+(?:by|with|using)\s+{_AI})\b", re.I)
_SELF = re.compile(r"\b(?:this|the\s+following|the\s+above)\s+" + _AI_NOUNS, re.I)


def _ai_spans(text: str, line: tuple[int, int]) -> list[_Span]:
    a, b = line
    s = text[a:b]
    short = _words(s) <= 20
    for rx in (_AI_MADE, _AI_USED, _AI_TAG):
        for m in rx.finditer(s):
            if short and (rx is not _AI_TAG or _words(s) <= 12):
                return [_Span(a, b, "ai_disclosure")]
            # In running prose only a statement about this very article or picture discloses.
            window = s[max(0, m.start() - 60):m.end()]
            if rx is not _AI_TAG and _SELF.search(window):
                return [_Span(a + m.start(), a + m.end(), "ai_disclosure")]
    return []


# ---------------------------------------------------------------------------------------------
# Promotional inserts

_SEP = r"\s*(?:[:|»›>—–]|-\s)"
_INSERT_WORDS = (r"(?:read\s+more|read\s+also|also\s+read|more\s+reading|further\s+reading"
                 r"|related(?:\s+(?:stories|articles|content|coverage|reading|links|news|posts|video))?"
                 r"|see\s+also|recommended(?:\s+(?:reading|stories|for\s+you|videos?))?|don['’]t\s+miss"
                 r"|watch(?:\s+(?:now|more|the\s+video|live))?|listen(?:\s+now)?|must\s+read|editor['’]s\s+picks?"
                 r"|more\s+from\s+[\w .&'’-]{1,40}|more\s+on\s+(?:this|these)(?:\s+(?:story|topic|stories))?"
                 r"|most\s+(?:read|popular|viewed|shared)|trending(?:\s+now)?|top\s+stories|latest\s+news"
                 r"|you\s+may\s+also\s+like|you\s+might\s+also\s+like|continue\s+reading|keep\s+reading)")
_INSERT_LINE = re.compile(rf"^\s*[\[(]?\s*{_INSERT_WORDS}(?:{_SEP}|\s*[\])]?\s*$)", re.I)
_INSERT_BRACKETED = re.compile(
    rf"\[\s*{_INSERT_WORDS}{_SEP}[^\]\n]{{0,300}}(?:\]|$)|\(\s*{_INSERT_WORDS}{_SEP}[^)\n]{{0,300}}(?:\)|$)",
    re.I | re.M)
# Mid-paragraph inserts left by extraction are written in capitals ("... week. READ MORE: ...").
_INSERT_CAPS = re.compile(r"\b(?:READ MORE|ALSO READ|READ ALSO|RELATED|SEE ALSO|WATCH|LISTEN)\s*[:|—–]")
_READ_ON = re.compile(r"^(?:read|watch|listen\s+to|see)\s+(?:more|the\s+full|our|all|the\s+latest)\b.*"
                      r"\b(?:here|at|on|below)\s*[.:!]?$", re.I)
_CALL = re.compile(
    r"\b(?:sign\s+up|subscribe|register)\s+(?:now\s+|today\s+|here\s+|free\s+)?(?:for|to)\s+(?:our|the|a|my)\s+"
    r"[\w\s'’&-]{0,40}?(?:newsletters?|digest|briefing|alerts?|e-?mails?|updates|bulletin|podcast|channel"
    r"|daily|weekly|morning|evening|edition)\b"
    r"|\b(?:sign\s+up|subscribe)\s+(?:now|today|here)\b"
    r"|\b(?:follow|find|like|join)\s+us\s+on\s+(?:twitter|x|facebook|instagram|telegram|tiktok|youtube"
    r"|linkedin|threads|bluesky|mastodon|whatsapp|social\s+media|google\s+news|flipboard|truth\s+social|gettr|gab)\b"
    r"|\bjoin\s+our\s+[\w\s]{0,30}?(?:channel|community|newsletter|list|group)\b"
    r"|\bdownload\s+(?:our|the\s+[\w\s]{0,20}?)\s*app\b"
    r"|\bdonate\s+(?:now|today|here|to\s+us|to\s+our\s+\w+)\b(?!['’])"
    r"|\bmake\s+a\s+(?:donation|contribution)\s+(?:now|today|to\s+us|to\s+our)\b"
    r"|\b(?:support|supporting)\s+(?:us|our\s+(?:journalism|work|reporting|newsroom|mission|coverage)"
    r"|independent\s+(?:journalism|media|news))\b"
    r"|\bbecome\s+an?\s+(?:member|subscriber|patron|supporter|donor)\b"
    r"|\bchip\s+in\s+(?:now|today|\$\s?\d|what\s+you\s+can)|\b(?:click|tap)\s+here\s+to\s+(?:subscribe|sign\s+up|donate|support|join|follow)\b",
    re.I)
_LINK_LIST_HEAD = re.compile(rf"^\s*{_INSERT_WORDS}\s*[:|]?\s*$", re.I)


def _is_title_line(s: str) -> bool:
    """A short line without closing punctuation: a linked headline in a list."""
    return 0 < _words(s) <= 16 and s[-1] not in ".!?\"”'’:;,"


def _promo_spans(text: str, lines: list[tuple[int, int]]) -> list[_Span]:
    out = [_Span(m.start(), m.end(), "promotional_insert") for m in _INSERT_BRACKETED.finditer(text)]
    n = 0
    while n < len(lines):
        a, b = lines[n]
        s = text[a:b]
        if _LINK_LIST_HEAD.match(s) and n + 1 < len(lines):
            # a bare "Related stories" header: the short title lines under it belong to it
            k = n + 1
            while k < len(lines) and k <= n + 6 and _is_title_line(text[lines[k][0]:lines[k][1]]):
                k += 1
            out.append(_Span(a, lines[k - 1][1], "promotional_insert"))
            n = k
            continue
        if _INSERT_LINE.match(s) or (_words(s) <= 25 and _READ_ON.match(s)):
            out.append(_Span(a, b, "promotional_insert"))
        elif (m := _INSERT_CAPS.search(s)) and m.start() > 0 and b - (a + m.start()) <= 250:
            out.append(_Span(a + m.start(), b, "promotional_insert"))
        elif m := _CALL.search(s):
            out.append(_Span(a, b, "promotional_insert") if _words(s) <= 40
                       else _Span(a + m.start(), a + m.end(), "promotional_insert"))
        n += 1
    return out


# ---------------------------------------------------------------------------------------------
# Boilerplate

_AGENCIES = (r"(?:AFP|Reuters|AP|EPA|EPA-EFE|Getty(?:\s+Images)?|Shutterstock|Bloomberg|Xinhua|Anadolu(?:\s+Agency)?"
             r"|Sipa(?:\s+USA)?|ZUMA(?:\s+Wire|\s+Press)?|Alamy|Pool|NurPhoto|TNS|UPI|Abaca|dpa|SOPA\s+Images"
             r"|LightRocket|iStock(?:photo)?|Wikimedia(?:\s+Commons)?|Unsplash|Pexels|Flickr)")
_CREDIT_IN_PARENS = re.compile(
    r"\((?=[^()\n]{3,200}\))[^()\n]*?(?:\b(?:Photo|Photograph|Image|Picture|Illustration|Video|Footage|Credit|"
    r"File\s+photo|Photo\s+credit|Image\s+credit)s?\s*(?:by\b|:|courtesy\b|credit\b|via\b)"
    rf"|\bvia\s+{_AGENCIES}\b|/\s*{_AGENCIES}\b|\bAP\s+Photo\b|\bGetty\s+Images\b)[^()\n]*\)")
_CREDIT_LINE = re.compile(
    r"^(?:(?:Top|Main|Header|Featured|Lead|Hero|Cover)\s+)?(?:photo|photograph|image|picture|illustration|cover"
    r"|caption|credit|video|graphic|footage|file\s+photo|photo\s+credit|image\s+credit|image\s+source|source\s+image"
    r"|photo\s+illustration|pictured|above|below)s?\s*(?:credit\s*)?(?::|\||/|—|–|-\s)", re.I)
_CREDIT_TOKEN = re.compile(
    rf"\bAP\s+Photo\b|(?:\bvia\s+|/\s*){_AGENCIES}\s*\)?\s*$"
    r"|\b(?:Photo|Image|Picture)s?\s+(?:by|courtesy\s+of)\b|\bShutterstock\b")
_COPYRIGHT = re.compile(
    r"(?:©|\(c\)\s*(?=\d{4})|\bCopyright\s+(?:©\s*)?(?=\d{4}))\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?)?[^\n]{0,120}", re.I)
_FURNITURE = re.compile(
    r"\ball\s+rights\s+reserved\b\.?"
    r"|\bthis\s+(?:material|article|story|content)\s+may\s+not\s+be\s+(?:published|reproduced|broadcast|rewritten"
    r"|redistributed|copied)[^.\n]*\.?"
    r"|\b(?:click|tap)\s+here\b[^.\n]{0,80}\.?"
    r"|\b(?:this|the)\s+(?:article|story|piece|report)\s+(?:was\s+)?(?:originally|first)\s+(?:appeared|published)"
    r"\s+(?:in|on|at|by)\b[^.\n]{0,120}\.?"
    r"|\bstory\s+continues\s+below(?:\s+(?:advertisement|this\s+ad))?\b"
    r"|\bcontinue\s+reading\s+the\s+main\s+story\b|\bskip\s+(?:advertisement|ad)\b", re.I)
_COOKIES = re.compile(
    r"\bwe\s+use\s+cookies\b[^\n]{0,200}|\b(?:accept|reject|manage)\s+(?:all\s+)?cookies\b"
    r"|\bcookie\s+(?:policy|settings|preferences|consent)\b"
    r"|\bby\s+continuing\s+to\s+(?:use|browse)\s+(?:this|our|the)\s+(?:site|website|page)\b[^\n]{0,150}", re.I)
_SHARE_WORDS = {"share", "shares", "tweet", "email", "e-mail", "mail", "print", "facebook", "twitter", "x",
                "whatsapp", "linkedin", "reddit", "pinterest", "telegram", "messenger", "sms", "flipboard",
                "copy", "link", "copied", "save", "saved", "comments", "comment", "this", "article", "story",
                "on", "via", "the", "page", "gift", "bookmark", "listen", "to"}
_SHARE_CORE = {"share", "tweet", "facebook", "twitter", "whatsapp", "linkedin", "reddit", "pinterest",
               "print", "email", "e-mail", "bookmark"}
_LONE_FURNITURE = re.compile(
    r"^(?:advertisement|advertisements|sponsored(?:\s+content)?|ad|ads|promoted|paid\s+content"
    r"|scroll\s+to\s+continue(?:\s+with\s+content)?|loading\.*|image|photo|video|audio)\s*$", re.I)


def _boiler_spans(text: str, lines: list[tuple[int, int]]) -> list[_Span]:
    out = [_Span(m.start(), m.end(), "boilerplate") for m in _CREDIT_IN_PARENS.finditer(text)]
    for a, b in lines:
        s = text[a:b]
        nw = _words(s)
        tokens = re.findall(r"[\w-]+", s.lower())
        credit = _CREDIT_TOKEN.search(s) if nw <= 30 else None
        # a caption line ends in its credit; a full sentence before the credit is prose, whose
        # credit alone (in parentheses) is caught above
        caption = credit is not None and not re.search(r"[.!?][\"”’)]?\s", s[:credit.start()])
        if (nw <= 30 and _CREDIT_LINE.match(s)) or caption or _LONE_FURNITURE.match(s) or (
                tokens and len(tokens) <= 12 and set(tokens) <= _SHARE_WORDS and set(tokens) & _SHARE_CORE):
            out.append(_Span(a, b, "boilerplate"))
            continue
        for rx in (_COPYRIGHT, _FURNITURE) + ((_COOKIES,) if nw <= 80 else ()):
            for m in rx.finditer(s):
                end = m.end()
                while end > m.start() and s[end - 1].isspace():
                    end -= 1
                out.append(_Span(a + m.start(), a + end, "boilerplate"))
    return out


def _merge(spans: list[_Span]) -> list[_Span]:
    """Overlapping spans become one, keeping the kind of the earliest-starting span."""
    out: list[_Span] = []
    for s in sorted(spans, key=lambda s: (s.start, -s.end)):
        if out and s.start < out[-1].end:
            last = out[-1]
            if s.end > last.end:
                out[-1] = _Span(last.start, s.end, last.kind, last.note)
            continue
        out.append(s)
    return out


def boilerplate_spans(text: str) -> list[tuple[int, int, str]]:
    """Spans of text that are not the report itself: (start, end, kind), in text order, disjoint.

    kind is ai_disclosure, promotional_insert or boilerplate. Later stages skip these spans when
    they look for claims.
    """
    lines = list(_lines(text))
    spans: list[_Span] = []
    for line in lines:
        spans += _ai_spans(text, line)
    spans += _promo_spans(text, lines)
    spans += _boiler_spans(text, lines)
    # An AI disclosure outranks a generic caption line it sits in.
    ai = [s for s in spans if s.kind == "ai_disclosure"]
    rest = [s for s in spans if s.kind != "ai_disclosure"
            and not any(x.start <= s.start and s.end <= x.end for x in ai)]
    return [(s.start, s.end, s.kind) for s in _merge(ai + rest)]


# ---------------------------------------------------------------------------------------------
# Spelling

# Words of the last decades that SCOWL 70 lacks, and common lower-case abbreviations. Written for
# this project; general vocabulary, not names.
_RECENT_WORDS = frozenset("""
covid coronavirus coronaviruses vax vaxxed unvaxxed antivax antivaxxer antivaxxers anti-vaxxer anti-vaxxers
lockdown lockdowns livestream livestreamed livestreaming livestreams podcast podcasts podcaster podcasters
smartphone smartphones selfie selfies hashtag hashtags blockchain cryptocurrency cryptocurrencies crypto
bitcoin bitcoins ransomware malware spyware deepfake deepfakes chatbot chatbots influencer influencers
cyberattack cyberattacks cybersecurity cyberbullying doxxing doxxed misinformation disinformation
microaggression microaggressions transgender nonbinary cisgender misgender misgendered misgendering
rideshare ridesharing telehealth telemedicine ventilator ventilators preprint preprints biden
onboarding upskill upskilling reskilling gig staycation wildfire wildfires megadrought heatwave heatwaves
superspreader superspreaders booster boosters unvaccinated mrna antiviral antivirals monoclonal
e-commerce ecommerce emoji emojis app apps wifi bandwidth startup startups unicorn fintech
whistleblower whistleblowers clickbait meme memes viral retweet retweeted retweets tweet tweets tweeting
subreddit subreddits vlog vlogs vlogger vloggers youtuber youtubers streamer streamers
airstrike airstrikes drone drones ceasefire ceasefires jihadist jihadists jihadism
cyber roadmap roadmaps rollout rollouts dropoff dropoffs incentivize incentivizes incentivized incentivizing
incentivise incentivises incentivised incentivising comorbidity comorbidities aerosol aerosolized aerosolised
unibody trackpad trackpads touchpad touchscreen touchscreens chipset chipsets netbook netbooks nano
virtualize virtualized virtualizing virtualization virtualise virtualised smartwatch smartwatches
alma decryptor decryptors encryptor geofence geofencing opioid opioids fentanyl biometric biometrics
mph kph km kg mm cm ml mg lb lbs oz ft sq etc vs vis-a-vis pm am ie eg
von van der den de du la le al el bin ibn abu
""".split())

# URLs, e-mail addresses, bare domains, @handles and #tags; also URLs a tokeniser spread out ("http: / / www. x. com / a").
_URLISH = re.compile(r"https?://\S+|www\.\S+|www\s?\.\s?[\w-]+(?:\s?\.\s?[\w-]+)+|https?\s?:\s/\s?/\s?[\w%~+]*(?:\s?[./:?=&#_-]+\s?[\w%~+]*)*|\S+@\S+\.\w+|\b[\w-]+(?:\.[\w-]+)+\.(?:com|org|net|gov|edu|io|co|uk"
                     r"|us|info|news|tv|ly|me)\b\S*|[@#][\w_]+", re.I)
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*(?:-[^\W\d_]+(?:['’][^\W\d_]+)*)*")
_PREFIXES = ("counter", "under", "inter", "intra", "multi", "super", "cyber", "micro", "macro", "ultra",
             "pseudo", "quasi", "hyper", "cross", "proto", "over", "anti", "semi", "post", "mega", "mini",
             "self", "tele", "trans", "non", "pre", "mis", "dis", "sub", "geo", "bio", "eco", "neo", "mid",
             "out", "un", "re", "co", "de", "up", "ex")
_SUFFIXES = (("ization", "ize"), ("isation", "ise"), ("izations", "ize"), ("isations", "ise"),
             ("ness", ""), ("less", ""), ("ship", ""), ("ism", ""), ("isms", ""), ("ist", ""), ("ists", ""),
             ("ally", "al"), ("ly", ""), ("ers", ""), ("er", ""), ("like", ""), ("wise", ""), ("able", ""),
             ("s", ""), ("es", ""))
_APOSTROPHE_ENDINGS = ("'s", "'", "'ve", "'re", "'ll", "'d", "n't", "'m")


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """The shipped English word list (SCOWL 70, American + British, lower-case entries)."""
    raw = resources.files(__package__).joinpath("data/words_en.txt.gz").read_bytes()
    return frozenset(gzip.decompress(raw).decode("utf-8").split()) | _RECENT_WORDS


def _known(w: str, words: frozenset[str], depth: int = 0) -> bool:
    if w in words:
        return True
    for ending in _APOSTROPHE_ENDINGS:
        if w.endswith(ending) and len(w) > len(ending) + 1 and w[:-len(ending)] in words:
            return True
    if "'" in w.strip("'"):
        # "rock'n'roll", or a quotation mark glued to a word ("because'he") by careless editing
        parts = [p for p in w.split("'") if p]
        if len(parts) > 1 and all(_known(p, words, depth + 1) or p in ("s", "t", "n", "d", "m", "re", "ve", "ll")
                                  for p in parts):
            return True
    if "-" in w:
        parts = [p for p in w.split("-") if p]
        return all(p in _PREFIXES or _known(p, words, depth + 1) for p in parts)
    if depth > 1:
        return False
    for suffix, repl in _SUFFIXES:
        if w.endswith(suffix) and len(w) - len(suffix) >= 3 and w[:-len(suffix)] + repl in words:
            return True
    for prefix in _PREFIXES:
        if w.startswith(prefix) and len(w) - len(prefix) >= 3 and _known(w[len(prefix):], words, depth + 1):
            return True
    if len(w) >= 8:
        # closed compounds of two plain words ("livestream", "frontline"), each of 4+ letters
        for k in range(4, len(w) - 3):
            if w[:k] in words and w[k:] in words:
                return True
    return False


def misspellings(text: str, skip: list[tuple[int, int]] = ()) -> tuple[list[tuple[int, int, str]], int]:
    """Unknown lower-case words of ``text`` outside the ``skip`` spans, and the number of words read.

    Returns ([(start, end, word), ...], word_count). A word used twice or more is a term the
    writer means (a transliteration, a brand in lower case), not a slip, and is left out.
    """
    words = english_words()
    masked = list(text)
    for a, b in list(skip) + [(m.start(), m.end()) for m in _URLISH.finditer(text)]:
        masked[a:b] = " " * (b - a)
    masked_text = "".join(masked)
    unknown: list[tuple[int, int, str]] = []
    seen: dict[str, int] = {}
    total = 0
    for m in _WORD.finditer(masked_text):
        total += 1
        tok = m.group()
        lw = tok.replace("’", "'").lower()
        seen[lw] = seen.get(lw, 0) + 1
        a, b = m.start(), m.end()
        if len(tok) < 3 or tok != tok.lower():
            continue
        before = masked_text[a - 1] if a else " "
        after = masked_text[b] if b < len(masked_text) else " "
        # "5km", "x86", "'90s", file names and the like
        # a word cut short by an excerpt ("requir...") is not a misspelling
        if masked_text.startswith(("...", "…"), b):
            continue
        # a contraction split by a tokeniser ("didn 't"), a prefix set apart ("pre - order")
        if re.match(r"\s?['’`´]", masked_text[b:b + 2]) or (lw in _PREFIXES and re.match(r"\s?-", masked_text[b:b + 2])):
            continue
        if before.isdigit() or after.isdigit() or before in "_/\\.@#" or (after == "." and b + 1 < len(masked_text)
                                                                       and masked_text[b + 1].isalnum()):
            continue
        if not _known(lw, words):
            unknown.append((a, b, lw))
    return [u for u in unknown if seen[u[2]] == 1], total


# ---------------------------------------------------------------------------------------------
# Opinion in news

_OPINION = re.compile(
    r"\bI\s+(?:(?:strongly|firmly|truly|really|personally|genuinely|honestly|still)\s+)?"
    r"(?:believe|think|feel|suspect|contend|would\s+argue|argue|am\s+convinced|am\s+certain|am\s+sure|doubt"
    r"|hope|fear|maintain|submit)\b"
    r"|(?i:\bin\s+my\s+(?:view|opinion|judg(?:e)?ment|estimation|book|mind)\b|\bto\s+my\s+mind\b"
    r"|\bwe\s+(?:all\s+)?(?:must|should|ought\s+to|need\s+to|cannot\s+(?:allow|afford|let|accept)"
    r"|can['’]t\s+(?:allow|afford|let|accept)|have\s+to\s+(?:stop|stand|ask|demand|reject))\b"
    r"|\blet(?:\s+us|['’]s)\s+(?:be\s+(?:clear|honest|frank|real)|not\s+forget|face\s+it|hope)\b"
    r"|\bmake\s+no\s+mistake\b|\bneedless\s+to\s+say\b"
    r"|\bit\s+(?:is|['’]s|was)\s+(?:now\s+)?(?:clear|obvious|evident|plain|undeniable|indisputable|beyond\s+doubt"
    r"|high\s+time)\s+that\b"
    r")|(?:^|(?<=[.!?]\s)|(?<=[.!?][\"”’]\s))(?:Clearly|Obviously|Sadly|Shamefully|Thankfully|Frankly|Undeniably"
    r"|Mercifully|Disgracefully|Outrageously|Predictably|Incredibly|Absurdly|Pathetically),"
    r"|(?i:\b(?:shameful(?:ly)?|shameless(?:ly)?|disgraceful(?:ly)?|outrageous(?:ly)?|disgusting|despicable"
    r"|deplorable|appalling|abhorrent|reprehensible|contemptible|pathetic|ridiculous(?:ly)?|absurd(?:ly)?"
    r"|ludicrous(?:ly)?|idiotic|moronic|laughable|asinine|vile|scandalous(?:ly)?|unconscionable|inexcusable"
    r"|unforgivable|indefensible|hypocritical|cowardly|spineless|brainless|dimwitted|deranged|sickening"
    r"|nauseating|insane|lunatic|clownish|buffoonish)\b)",
    re.M)
_OPINION_LABEL = re.compile(r"\b(?:opinion|op-?ed|commentary|editorial|column|viewpoint|perspective|analysis"
                            r"|letters?\s+to\s+the\s+editor|guest\s+essay)\b", re.I)
_OPINION_PATH = {"opinion", "opinions", "commentary", "op-ed", "oped", "op-eds", "editorial", "editorials",
                 "column", "columns", "columnist", "columnists", "views", "viewpoint", "viewpoints",
                 "perspective", "perspectives", "letters", "blogs", "ideas", "voices"}


def is_labelled_opinion(row: Mapping[str, Any]) -> bool:
    """The outlet marks the piece as opinion: in its title ("Opinion: ..."), its URL path, or a genre field."""
    title = (row.get("title") or "").strip()
    if re.match(r"^\W*(?:opinion|op-?ed|commentary|editorial|column|analysis|perspective|viewpoint)\b", title, re.I):
        return True
    if re.search(r"\|\s*(?:opinion|commentary|op-?ed)\s*$", title, re.I):
        return True
    url = row.get("url") or ""
    if url:
        path = urlsplit(url).path.lower()
        if any(seg in _OPINION_PATH for seg in re.split(r"[/_.]", path)):
            return True
    extra = row.get("extra") or {}
    for key in ("genre", "section", "category", "type", "kind"):
        if isinstance(extra.get(key), str) and _OPINION_LABEL.search(extra[key]):
            return True
    return False


# ---------------------------------------------------------------------------------------------
# Unverified claims

_STRONG_HEDGES = {
    "reportedly", "allegedly", "alleged", "purportedly", "purported", "supposedly", "unconfirmed", "unverified",
    "rumoured", "rumored", "is said to", "are said to", "was said to", "were said to", "is reported to",
    "are reported to", "was reported to", "were reported to", "is alleged to", "are alleged to",
    "could not be independently verified", "could not be independently confirmed",
    "could not immediately be verified", "could not be verified", "could not be confirmed",
    "not independently verified", "not been verified", "not been confirmed",
}
_DRAMATIC = re.compile(
    r"\b(?:kill(?:s|ed|ing)?|dead|deaths?|died|murder(?:s|ed|ing)?|massacr(?:e|es|ed)|slaughter(?:s|ed)?"
    r"|execut(?:ed|ions?)|behead(?:ed|ing|ings)?|tortur(?:e|ed|ing)|rap(?:e|ed|es)|assassinat(?:ed|ion)"
    r"|shot\s+(?:dead|down)|gunned\s+down|bomb(?:ed|ing|ings)|shell(?:ed|ing)|air\s?strikes?|genocide"
    r"|ethnic\s+cleansing|war\s+crimes?|atrocit(?:y|ies)|chemical\s+(?:weapons?|attacks?)|poison(?:ed|ing)"
    r"|hostages?|kidnapp?(?:ed|ing)|abduct(?:ed|ions?)|casualt(?:y|ies)|wounded|injured|mass\s+graves?"
    r"|famine|starv(?:ed|ing|ation)|coup|invad(?:ed|ing)|invasion|nuclear\s+(?:strike|attack|weapons?))\b",
    re.I)


# Vague sources that leave a reader no one to hold to the claim. "Officials", "police" or "the
# authorities" are vague about the person but name an accountable body; they do not count here.
_ANONYMOUS_HEADS = {"source", "sources", "media", "rumour", "rumours", "rumor", "rumors", "account", "accounts",
                    "post", "posts", "insider", "insiders", "claims", "footage", "video", "videos", "witness",
                    "witnesses", "resident", "residents", "activist", "activists", "local", "locals", "monitor",
                    "monitors", "observers"}
# "reports" is anonymous only when nothing says whose ("media reports", "one report"), not "the police report".
_REPORT_HEADS = {"report", "reports"}
_REPORT_QUALIFIERS = {"a", "one", "some", "several", "many", "multiple", "media", "news", "local", "unconfirmed",
                      "unverified", "initial", "early", "earlier", "other", "press", "the", "these", "those",
                      "conflicting", "various", "social", "online", "unofficial"}
_ANONYMOUS_WORDS = re.compile(r"\b(?:anonymous|anonymity|unnamed|unidentified|familiar\s+with|social\s+media)\b", re.I)
_PASSIVE_CUES = {"reported", "said", "claimed", "alleged", "rumoured", "rumored"}


def _anonymous(attr: Mapping[str, Any]) -> bool:
    source = (attr.get("source") or "").strip()
    if not source:
        cue = (attr.get("cue") or "").split()
        return bool(cue) and cue[-1].lower() in _PASSIVE_CUES
    words = re.findall(r"[\w'’]+", source.lower())
    if not words:
        return False
    if words[-1] in _REPORT_HEADS:
        return set(words[:-1]) <= _REPORT_QUALIFIERS
    return words[-1] in _ANONYMOUS_HEADS or bool(_ANONYMOUS_WORDS.search(source))


def _in_any(a: int, b: int, spans: list[tuple[int, int]]) -> bool:
    return any(s < b and a < e for s, e in spans)


# a negation earlier in the same clause: "no one was killed or injured", "was not wounded"
_NEGATED = re.compile(r"(?:\b(?:not|no|never|nobody|none|without)\b|n['’]t\b)[^,.;:!?]{0,40}$", re.I)
_NEGATED_PASSIVE = re.compile(r"\b(?:no|not|never|none)\b(?:\s+\w+){0,3}\s+(?:(?:has|have|had|was|were|is|are)\s+)?"
                              r"(?:been\s+)?(?:reported|said|claimed|alleged)\b", re.I)


def _dramatic(text: str, a: int, b: int, quotes: list[tuple[int, int]]) -> re.Match | None:
    """The first dramatic word of text[a:b] that is neither quoted nor negated ("was not wounded")."""
    for m in _DRAMATIC.finditer(text, a, b):
        if _in_any(m.start(), m.end(), quotes) or _NEGATED.search(text, a, m.start()):
            continue
        return m
    return None


def _unverified(text: str, analysis: Mapping[str, Any], skip: list[tuple[int, int]],
                quotes: list[tuple[int, int]]) -> list[_Span]:
    out = []
    for s in analysis.get("sentences", []):
        a, b = s["start"], s["end"]
        attr = s.get("attribution") or {}
        kind = attr.get("kind", "none")
        if kind == "named" or _in_any(a, b, skip):
            continue
        hedges = [h for h in s.get("hedges", []) if h in _STRONG_HEDGES]
        anonymous = kind == "vague" and _anonymous(attr) and not (
            not attr.get("source") and _NEGATED_PASSIVE.search(text, a, b))
        if not hedges and not anonymous:
            continue
        m = _dramatic(text, a, b, quotes)
        if not m:
            continue
        carried = (f"hedged: {', '.join(hedges)}" if hedges else
                   f"anonymous source: {attr.get('source') or 'none named (' + str(attr.get('cue')) + ')'}")
        out.append(_Span(a, b, "unverified_claim", f"{carried}; claim: {m.group().lower()}"))
    return out


# ---------------------------------------------------------------------------------------------

_QUOTE_MARK = re.compile(r"[\"“”]|``|''|\n")


def _plain_quotes(text: str) -> list[tuple[int, int]]:
    """Double-quoted stretches, paired in order; a quote may run over at most three line breaks
    (sentence-per-line text), and an opening curly or TeX mark restarts an unclosed one."""
    spans: list[tuple[int, int]] = []
    open_at: int | None = None
    breaks = 0
    for m in _QUOTE_MARK.finditer(text):
        c = m.group()
        if c == "\n":
            if open_at is not None:
                breaks += 1
                if breaks > 3:
                    open_at = None
            continue
        if c in ("“", "``") or (c == '"' and open_at is None):
            open_at, breaks = m.end(), 0
        elif open_at is not None:
            spans.append((open_at, m.start()))
            open_at = None
    return spans


def _quote_spans(text: str, analysis: Mapping[str, Any] | None) -> list[tuple[int, int]]:
    """The reading's quotations plus plainly paired double quotes.

    The plain pairs catch what the reading leaves open: quotes set apart by spaces (' " insane " '),
    quotes over several one-sentence lines, ``TeX'' style, and any text when there is no reading.
    """
    spans = [(q["start"], q["end"]) for q in (analysis or {}).get("quotes") or []]
    return spans + _plain_quotes(text)


_FIRST_PERSON = re.compile(r"(?:I|[Ww]e|[Ii]n\s+my|[Tt]o\s+my|[Ll]et)\b")


def _opinion(text: str, analysis: Mapping[str, Any] | None, skip: list[tuple[int, int]],
             quotes: list[tuple[int, int]]) -> list[_Span]:
    sents = (analysis or {}).get("sentences", [])
    spoken = [i for i, s in enumerate(sents)
              if (s.get("attribution") or {}).get("kind", "none") != "none" or _in_any(s["start"], s["end"], quotes)]
    attributed = [(sents[i]["start"], sents[i]["end"]) for i in spoken
                  if (sents[i].get("attribution") or {}).get("kind", "none") != "none"]
    # Next to a quotation or a "he said" sentence, "I think ..." is the speaker going on in a
    # passage whose marks wrap several sentences, not the writer.
    near_speech = [(sents[j]["start"], sents[j]["end"]) for i in spoken for j in (i - 1, i + 1)
                   if 0 <= j < len(sents)]
    out = []
    for m in _OPINION.finditer(text):
        a, b = m.start(), m.end()
        if text[b - 1] == ",":
            b -= 1
        if _in_any(a, b, skip + quotes) or _in_any(a, b, attributed):
            continue
        if _FIRST_PERSON.match(m.group()) and _in_any(a, b, near_speech):
            continue
        out.append(_Span(a, b, "opinion_in_news"))
    return out


def _flag(text: str, span: _Span) -> dict[str, Any]:
    flag: dict[str, Any] = {"kind": span.kind, "evidence": text[span.start:span.end],
                            "start": span.start, "end": span.end}
    if span.note:
        flag["note"] = span.note
    return flag


def _capped(text: str, spans: list[_Span]) -> list[dict[str, Any]]:
    flags = []
    by_kind: dict[str, list[_Span]] = {}
    for s in sorted(spans, key=lambda s: (s.start, s.end)):
        by_kind.setdefault(s.kind, []).append(s)
    for kind, items in by_kind.items():
        for n, s in enumerate(items[:_MAX_SPAN_FLAGS]):
            f = _flag(text, s)
            if n == _MAX_SPAN_FLAGS - 1 and len(items) > _MAX_SPAN_FLAGS:
                f["note"] = ((f.get("note") + "; ") if f.get("note") else "") + \
                    f"{len(items) - _MAX_SPAN_FLAGS} more {kind} span(s) not listed"
            flags.append(f)
    return sorted(flags, key=lambda f: f["start"])


def quality_flags(text: str, analysis_json: Mapping[str, Any] | None, row: Mapping[str, Any], *,
                  spelling_per_1000: float = SPELLING_PER_1000, spelling_min: int = SPELLING_MIN
                  ) -> list[dict[str, Any]]:
    """Quality flags of one article: whole-article flags first, then span flags in text order.

    ``analysis_json`` is the stored per-article reading (``ArticleAnalysis.to_json()``) or None;
    without it the sentence-level flags (unverified_claim) are skipped and quotations are found
    by a plain double-quote match. ``row`` is the stored article row (author, published, title,
    url, language, ...). The language-bound flags (spelling, opinion, unverified claims) run only
    on English text.
    """
    if not isinstance(text, str):
        raise TypeError(f"quality_flags: text must be a str, got {type(text).__name__}")
    flags: list[dict[str, Any]] = []
    if not (row.get("author") or "").strip():
        flags.append({"kind": "missing_byline", "evidence": "no author given", "start": None, "end": None})
    if not row.get("published"):
        flags.append({"kind": "missing_date", "evidence": "no publication date", "start": None, "end": None})

    furniture = boilerplate_spans(text)
    spans = [_Span(a, b, k) for a, b, k in furniture]
    language = row.get("language") or "en"
    if language in ("en", "und") and not (analysis_json or {}).get("note"):
        skip = [(a, b) for a, b, _ in furniture] + [(m.start(), m.end()) for m in _URLISH.finditer(text)]
        quotes = _quote_spans(text, analysis_json)
        if not is_labelled_opinion(row):
            spans += _opinion(text, analysis_json, skip, quotes)
        if analysis_json:
            spans += _unverified(text, analysis_json, skip, quotes)
        flags += _capped(text, spans)
        unknown, total = misspellings(text, skip + quotes)  # misspellings masks URLs itself
        if total and len(unknown) >= max(1, spelling_min) and len(unknown) * 1000 / total >= spelling_per_1000:
            first = unknown[0]
            shown = unknown[:_SPELLING_EVIDENCE]
            flags.append({
                "kind": "spelling", "evidence": text[first[0]:first[1]], "start": first[0], "end": first[1],
                "note": f"{len(unknown)} unknown word(s) in {total} words "
                        f"({len(unknown) * 1000 / total:.1f} per 1,000): " + ", ".join(w for _, _, w in shown),
                "spans": [{"start": a, "end": b, "text": text[a:b]} for a, b, _ in shown]})
    else:
        flags += _capped(text, spans)
    return flags
