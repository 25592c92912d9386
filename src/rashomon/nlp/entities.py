"""Entity mentions of one parsed article: spaCy NER, corrected and completed with the gazetteer.

``extract_mentions(doc, sentences)`` returns the PERSON, ORG, GPE, LOC, NORP, FAC and EVENT
mentions of a Doc (dates, times and numbers are other readers' work), in text order, without
overlaps, each with its sentence index, and:

- **trimmed spans**: a leading "the", a trailing possessive ("Syria’s") and dashes are cut off;
  a name's hyphenated tail NER dropped is put back ("Moon Jae" → "Moon Jae-in");
- **geocoding**: GPE/LOC mentions the gazetteer knows get ``place``, unless the reading hangs on
  a weak homonym: short capitals ("AI", "EU") only as country codes, no common words ("North",
  "Summit" — also any single word the article itself uses in lower case), alternate names
  only for places of the article's countries or of 100,000+ people;
- **label corrections** (``corrected_from`` keeps spaCy's label):
  * a span labelled ORG, PERSON, NORP, LANGUAGE, WORK_OF_ART, PRODUCT, EVENT, FAC or LAW that
    is wholly a place name → GPE (LOC for regions) — "Saraqeb" (ORG) → Saraqib, "Aleppo" (NORP)
    → Aleppo — when the evidence is good enough: a country, a capital, a city of the countries
    the article names (its "context"), a city after a locative preposition ("in", "near" ...),
    or a city of a million people; never a first name or surname of a person in the article,
    never a span with an organisation word; a PERSON span only for a city of 100,000+ or after
    a locative preposition;
  * a single word that is the surname of a PERSON in the article → PERSON ("Khalifa said"),
    also when NER called it GPE ("Obama");
  * a nationality word NER called ORG/GPE → NORP ("Britons"); a country name NER called NORP
    → GPE ("U.S." in "U.S.-allied");
  * PERSON spans with an organisation word ("Syrian Observatory", "... Group") → ORG;
  * a PERSON span followed by a parenthesised acronym ("Hayat Tahrir al-Sham (HTS)") → ORG;
  * spans ending in, or followed by, a facility word ("... Airport", "Abu al-Duhur airbase")
    → FAC; unknown GPEs ending in an event word ("Arab Spring") → EVENT;
- **added mentions** NER missed:
  * the acronym of a parenthetical definition and its bare uses anywhere in the article ("HTS");
  * X of "X-backed", "X-linked", "X-led", "X-controlled" ... ("Tehran-backed", "U.S.-backed",
    "Turkish-backed"), the first conjunct of "Tehran and Kremlin-backed", and "X linked <noun>"
    after a determiner or adjective ("radical Al-Qaeda linked insurgents");
  * both sides of place pairs: "Russia-Ukraine war", "U.S.-China", "Damascus-Aleppo highway";
  * gazetteer place names among proper-noun tokens (not in headline-style lines, not common
    words, not sentence-initial unless a country): countries, capitals, regions, cities of the
    context countries, cities of a million people;
  * other occurrences of a name already geocoded in the article (headlines, sentence starts),
    unless it is part of a longer capitalised name ("Aleppo International Airport").
"""

from __future__ import annotations

import re

from .gazetteer import Gazetteer, PlaceMatch, get_gazetteer, normalize
from .sentences import SentenceIndex
from .types import Mention

__all__ = ["extract_mentions", "ENTITY_LABELS"]

ENTITY_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT"})
# labels whose spans may really be places (spaCy's usual slips on unfamiliar names)
_CORRECTABLE = frozenset({"ORG", "PERSON", "NORP", "LANGUAGE", "WORK_OF_ART", "PRODUCT", "EVENT",
                          "FAC", "LAW"})
_ORG_WORDS = frozenset("""group groups forces force army navy party front council observatory agency
    ministry department committee commission organisation organization union association company
    corporation corp inc ltd bank institute university college school court movement brigade
    brigades battalion regiment militia network alliance coalition federation league office bureau
    service services press news times post media tv radio foundation fund trust center centre
    authority administration government parliament assembly senate congress cabinet police guard
    guards corps command defence defense international""".split())
_FACILITY_WORDS = frozenset("""airport airbase base bridge highway road port harbour harbor stadium
    hospital prison square dam palace mosque church cathedral crossing checkpoint camp""".split())
_EVENT_WORDS = frozenset("spring war wars revolution uprising crisis intifada summit games olympics "
                         "cup election elections accords accord agreement deal".split())
_LOCATIVE = frozenset("""in near at from into outside around toward towards across to inside within
    through via between throughout of""".split())
# prepositions after which a proper noun is where something is (narrower than _LOCATIVE: no "of", "to", "from")
_IN_PLACE = frozenset("in near outside inside".split())
_COMMON_CAPS = frozenset("""the a an and or but if in on at of to for by with from as this that these
    those there here it its he she they we you i his her their our my your who what when where why
    how not no yes all some any many most more much few other such only own same so than too very
    can will just should now also however meanwhile despite although though while after before
    during since until per according mr mrs ms dr president minister prime king queen prince
    general colonel captain officials official police army government state city province
    north south east west northern southern eastern western central new old great saint st
    monday tuesday wednesday thursday friday saturday sunday january february march april may june
    july august september october november december image photo cover read more
    street road avenue square bridge river lake mountain valley island bay coast border summit capital
    town village county district region ocean sea park house hall center centre tower palace justice
    union liberty independence freedom victory unity peace hope""".split())
_TITLES = frozenset("mr mrs ms dr president minister prime sen senator rep gov governor gen general "
                    "col colonel lt capt captain adm admiral sheikh sheik king queen prince emir".split())
_PARTICIPLES = ("backed|linked|led|allied|aligned|affiliated|sponsored|supported|funded|controlled|"
                "based|run|owned|dominated|brokered|trained|armed|inspired|installed|appointed|"
                "occupied|held|annexed|friendly|leaning|oriented")
_NAME = r"(?:[A-Z][\w’'.]*|U\.S\.|U\.K\.|U\.N\.)"
_COMPOUND_RE = re.compile(
    r"(?<![\w’'.\-])(" + _NAME + r"(?:(?: |-)(?:(?:al|el|ad|as|ash|ar|at|az)-)?[A-Z][\w’'.]*)*)"
    r"-(" + _PARTICIPLES + r")\b")
_ACRONYM_DEF_RE = re.compile(r"\(\s*([A-Z][A-Za-z0-9&.\-]{1,9})\s*\)")
_POSSESSIVE_RE = re.compile(r"(?:['’]s|['’])$")
_LEADING_THE_RE = re.compile(r"^(?:the|The|THE)\s+")
_PARTICLE_TOKENS = frozenset({"al", "el", "ad", "an", "ar", "as", "ash", "at", "az", "bin", "ibn",
                              "abu", "abd", "de", "la", "du", "von", "van", "der", "-"})


def extract_mentions(doc, sentences: SentenceIndex, *, gazetteer: Gazetteer | None = None) -> list[Mention]:
    """Entity mentions of a parsed article (see the module docstring for every rule)."""
    g = gazetteer or get_gazetteer()
    text = doc.text
    raw = []
    for ent in doc.ents:
        if ent.label_ not in ENTITY_LABELS and ent.label_ not in _CORRECTABLE:
            continue
        start, end = _trim(text, ent.start_char, _extend_hyphen(text, ent.end_char, ent.label_))
        if end > start:
            raw.append([start, end, ent.label_])

    context = _context_countries(g, text, raw)
    surnames = _person_surnames(text, raw)
    names = surnames | _person_first_names(text, raw)
    lower_words = set(_LOWER_WORD_RE.findall(text))

    mentions: list[Mention] = []
    for start, end, label in raw:
        m = _classify(g, text, start, end, label, context, surnames, names, lower_words)
        if m is not None:
            mentions.append(m)

    _add_acronyms(text, mentions)
    _add_compounds(g, doc, text, mentions, surnames)
    _add_pairs(g, text, mentions, context, surnames)
    _add_missed_places(g, doc, text, mentions, context, lower_words)
    _propagate_places(text, mentions, surnames)

    mentions.sort(key=lambda m: (m.start, -m.end))
    out: list[Mention] = []
    last_end = -1
    for m in mentions:
        if m.start < last_end:       # overlapping leftovers: keep the earlier, longer one
            continue
        m.sentence = sentences.of(m.start)
        out.append(m)
        last_end = m.end
    return out


# -- spans ---------------------------------------------------------------------------------------

def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    span = text[start:end]
    lead = _LEADING_THE_RE.match(span)
    if lead and lead.end() < len(span):
        start += lead.end()
    while end > start and text[end - 1] in " \t\n.,;:!?\"“”)―—–-":
        if text[end - 1] == "." and _ends_with_abbrev(text[start:end]):
            break
        end -= 1
    tail = _POSSESSIVE_RE.search(text[start:end])
    if tail and tail.start() > 0:
        end = start + tail.start()
    while start < end and text[start] in " \t\n\"“”(":
        start += 1
    return start, end


_HYPHEN_TAIL_RE = re.compile(r"-[a-z]{1,4}(?![\w\-])")


def _extend_hyphen(text: str, end: int, label: str) -> int:
    """NER stops before a name's hyphenated lower-case tail: "Moon Jae" of "Moon Jae-in"."""
    if label in ("PERSON", "ORG"):
        m = _HYPHEN_TAIL_RE.match(text, end)
        if m and end > 0 and text[end - 1].isalpha():
            return m.end()
    return end


def _ends_with_abbrev(span: str) -> bool:
    last = span.split()[-1] if span.split() else ""
    return bool(re.fullmatch(r"(?:[A-Za-z]\.){2,}", last)) or last in ("Jr.", "Sr.", "Co.", "Inc.", "Corp.", "Ltd.")


def _words(span: str) -> list[str]:
    return [w for w in re.split(r"[\s\-]+", span) if w]


def _prev_word(text: str, start: int) -> str:
    m = re.search(r"([A-Za-z]+)\W*$", text[max(0, start - 30):start])
    return m.group(1).lower() if m else ""


def _context_countries(g: Gazetteer, text: str, raw) -> set[str]:
    """Countries the article names outright (country names, nationality words, capitals)."""
    ctx: set[str] = set()
    for start, end, label in raw:
        span = text[start:end]
        if label in ("GPE", "LOC", "NORP", "ORG"):
            place = g.lookup(span, fuzzy=False, kinds=("country",))
            if place is None and label in ("NORP", "GPE"):
                place = g.demonym(span)
            if place is None and label == "GPE":
                place = g.capital_country(span)
            if place is not None and place.kind == "country" and place.country:
                ctx.add(place.country)
    return ctx


_LOWER_WORD_RE = re.compile(r"(?<![\w’'])[a-z][a-z]+(?![\w’'])")


def _common_word(span: str, lower_words: set[str]) -> bool:
    """The name is also an ordinary word of this very article ("Summit", "Justice", "Street")."""
    return " " not in span.strip() and span.strip().lower() in lower_words


def _person_first_names(text: str, raw) -> set[str]:
    out = set()
    for start, end, label in raw:
        if label == "PERSON":
            words = _words(text[start:end])
            if len(words) >= 2:
                out.add(normalize(words[0]))
    return out


def _person_surnames(text: str, raw) -> set[str]:
    out = set()
    for start, end, label in raw:
        if label != "PERSON":
            continue
        words = [w for w in _words(text[start:end]) if normalize(w) not in _PARTICLE_TOKENS]
        if len(words) >= 2 and not any(w.lower() in _ORG_WORDS for w in words):
            out.add(normalize(words[-1]))
    return out


# -- classification ------------------------------------------------------------------------------

def _classify(g, text, start, end, label, context, surnames, names, lower_words) -> Mention | None:
    span = text[start:end]
    words = _words(span)
    lowered = [w.lower().strip(".,") for w in words]
    key = normalize(span)

    dem = g.demonym(span) if label in ("ORG", "PERSON", "GPE", "LOC") else None
    if dem is not None and dem.kind == "country" and g.lookup(span, fuzzy=False, kinds=("country",)) is None:
        return Mention(start, end, span, "NORP", -1, corrected_from=label)   # "Britons" as ORG
    if label in ("GPE", "LOC") and len(words) == 1 and key in surnames and \
            g.lookup(span, fuzzy=False, kinds=("country",)) is None and g.capital_country(span) is None:
        return Mention(start, end, span, "PERSON", -1, corrected_from=label)  # "Obama" as GPE
    if label in ("GPE", "LOC"):
        m = g.match(span, context=context)
        if m is not None and _accept_geocode(m, span, context) and not (
                m.place.kind == "city" and m.population < 1_000_000 and _common_word(span, lower_words)):
            new = "LOC" if (m.place.kind == "region" and label == "LOC") else label
            return Mention(start, end, span, new, -1, place=m.place)
        if g.demonym(span) is not None:
            return Mention(start, end, span, "NORP", -1, corrected_from=label)
        if m is None and len(words) > 1 and lowered[-1] in _EVENT_WORDS:
            return Mention(start, end, span, "EVENT", -1, corrected_from=label)
        return Mention(start, end, span, label, -1)

    # PERSON / ORG / NORP / other labels
    if label == "NORP":
        country = g.lookup(span, fuzzy=False, kinds=("country",))
        if country is not None:
            return Mention(start, end, span, "GPE", -1, place=country, corrected_from="NORP")  # "U.S.-backed"
        if g.demonym(span) is not None or not span[:1].isupper():
            return Mention(start, end, span, "NORP", -1)
    if g.landmark_country(span) is not None:
        return Mention(start, end, span, "ORG" if label not in ENTITY_LABELS else label, -1)
    if len(words) == 1 and key in surnames and label != "PERSON":
        return Mention(start, end, span, "PERSON", -1, corrected_from=label)
    if label == "PERSON" and any(w in _ORG_WORDS for w in lowered):
        return Mention(start, end, span, "ORG", -1, corrected_from="PERSON")
    if label in ("WORK_OF_ART", "PRODUCT", "PERSON", "LAW", "EVENT") and lowered and lowered[-1] in _FACILITY_WORDS:
        return Mention(start, end, span, "FAC", -1, corrected_from=label)
    following = re.match(r"\s+([a-z]+)", text[end:end + 20])
    if label in ("PERSON", "WORK_OF_ART", "PRODUCT") and following and following.group(1) in _FACILITY_WORDS:
        return Mention(start, end, span, "FAC", -1, corrected_from=label)   # "Abu al-Duhur airbase"

    if label in _CORRECTABLE and key not in names and not _common_word(span, lower_words):
        m = g.match(span, context=context, fuzzy=len(words) == 1)
        if m is not None and _accept_correction(m, label, span, words, lowered, context,
                                               _prev_word(text, start)):
            new = "LOC" if m.place.kind == "region" and not m.place.country else "GPE"
            return Mention(start, end, span, new, -1, place=m.place, corrected_from=label)

    if label in ENTITY_LABELS:
        return Mention(start, end, span, label, -1)
    return None   # LANGUAGE, WORK_OF_ART ... that are not places: other readers' business


def _short_caps(span: str) -> bool:
    """"AI", "EU", "U.N.": short upper-case words are acronyms far more often than towns."""
    return span.isupper() and sum(c.isalpha() for c in span) <= 4


def _accept_geocode(m: PlaceMatch, span: str, context) -> bool:
    """NER says place: take the gazetteer's reading unless it hangs on a weak homonym."""
    place = m.place
    if _short_caps(span):                              # only a country's code ("US", "UK")
        return place.kind == "country" and not m.alternate
    if normalize(span) in _COMMON_CAPS:                # "North", "South", "State"
        return False
    if place.kind in ("country", "region") or m.capital:
        return True
    if place.country and place.country in context:
        return not m.alternate or m.population >= 20_000
    return not m.alternate or m.population >= 100_000


def _accept_correction(m: PlaceMatch, label: str, span: str, words, lowered, context, prev: str) -> bool:
    """Is a place reading of a non-place NER span well enough supported?"""
    if any(w in _ORG_WORDS for w in lowered) or normalize(span) in _COMMON_CAPS:
        return False
    if _short_caps(span):
        return m.place.kind == "country" and not m.alternate
    if any(w[:1].islower() and w.lower() not in _PARTICLE_TOKENS for w in words):
        return False
    place = m.place
    in_context = bool(place.country and place.country in context)
    if m.tier in ("translit", "fuzzy") and not in_context:
        return False
    if label in ("PERSON", "NORP") and m.alternate and place.kind != "country" and not m.capital:
        return False      # "Xi" is an old name of Xi'an, "Christian" of Christiana
    if label == "PERSON" and len(words) > 1 and not in_context:
        return False
    if place.kind == "country" or m.capital:
        return True
    if place.kind == "region":
        return not m.alternate
    if label == "PERSON" and m.population < 100_000 and prev not in _LOCATIVE:
        return False      # "Clinton", "Tyler": people far more often than towns
    if in_context:
        return m.population >= 20_000
    if prev in _LOCATIVE:
        return m.population >= 50_000 and not m.alternate
    return m.population >= 1_000_000 and not m.alternate


# -- added mentions ------------------------------------------------------------------------------

def _overlapping(mentions: list[Mention], start: int, end: int) -> list[Mention]:
    return [m for m in mentions if m.start < end and start < m.end]


def _acronym_like(word: str) -> bool:
    """"HTS", "SOHR", "U.N.", "DoJ" — not "R-Va." (party and state) nor "Reuters"."""
    upper = sum(c.isupper() for c in word)
    lower = sum(c.islower() for c in word)
    return upper >= 2 and upper > lower and "-" not in word


def _add_acronyms(text: str, mentions: list[Mention]) -> None:
    """"Long Name (LN)": the acronym and its bare uses become mentions with the long form's label."""
    by_end = {m.end: m for m in mentions}
    for match in _ACRONYM_DEF_RE.finditer(text):
        acr = match.group(1)
        if not _acronym_like(acr):
            continue
        j = match.start()
        while j > 0 and text[j - 1] in " \t":
            j -= 1
        expansion = by_end.get(j)
        if expansion is None or expansion.label not in ("ORG", "PERSON", "NORP", "GPE", "FAC", "EVENT", "LOC"):
            continue
        if expansion.label == "PERSON":
            expansion.corrected_from = expansion.corrected_from or "PERSON"
            expansion.label = "ORG"
        label = expansion.label
        for occ in re.finditer(r"(?<![\w.\-])" + re.escape(acr) + r"(?![\w\-])", text):
            hits = _overlapping(mentions, occ.start(), occ.end())
            if not hits:
                mentions.append(Mention(occ.start(), occ.end(), acr, label, -1))
            else:
                for h in hits:
                    if h.start == occ.start() and h.end == occ.end() and h.label != label:
                        h.corrected_from = h.corrected_from or h.label
                        h.label = label


def _add_compounds(g: Gazetteer, doc, text: str, mentions: list[Mention], surnames) -> None:
    """X of "X-backed" / "X-linked" ... compounds, and "X linked <noun>" before a noun."""
    spans: list[tuple[int, int]] = []
    for match in _COMPOUND_RE.finditer(text):
        spans.append((match.start(1), match.end(1)))
        # "Tehran and Kremlin-backed": the first conjunct too
        before = re.search(r"(" + _NAME + r"(?: [A-Z][\w’'.]*)*) (?:and|or|&) $", text[max(0, match.start(1) - 60):match.start(1)])
        if before:
            s = match.start(1) - len(before.group(0))
            spans.append((s, s + len(before.group(1))))
    participles = set(_PARTICIPLES.split("|"))
    for i, tok in enumerate(doc[1:-1], start=1):
        if tok.lower_ in participles and doc[i - 1].ent_type_ and doc[i - 1].whitespace_:
            nxt, first = doc[i + 1], doc[i - 1]
            k = i - 1
            while k > 0 and doc[k].ent_iob_ == "I":
                k -= 1
            prev = doc[k - 1] if k > 0 else None
            if nxt.tag_ in ("NN", "NNS", "JJ") and prev is not None and prev.tag_ in (
                    "DT", "JJ", "JJR", "JJS", "PRP$", "POS", "CD", ",", "CC"):
                spans.append((doc[k].idx, first.idx + len(first.text)))
    for start, end in spans:
        start, end = _trim(text, start, end)
        if end <= start:
            continue
        span = text[start:end]
        hits = _overlapping(mentions, start, end)
        if any(h.start == start and h.end == end for h in hits):
            continue
        if hits:
            # an entity that swallowed the participle ("Turkish-backed" as one NORP): cut it back
            for h in hits:
                if h.start == start and h.end > end and re.match(r"[\- ](?:" + _PARTICIPLES + r")\b", text[end:h.end]):
                    h.end, h.text = end, span
                    if h.place is None:
                        label = _compound_label(g, span, start, text, surnames)
                        if label is not None and label != h.label:
                            h.corrected_from, h.label = h.corrected_from or h.label, label
                            h.place = g.lookup(span, fuzzy=False) if label == "GPE" else None
            continue
        label = _compound_label(g, span, start, text, surnames)
        if label is None:
            continue
        place = g.lookup(span, fuzzy=False) if label == "GPE" else None
        mentions.append(Mention(start, end, span, label, -1, place=place))


_PAIR_RE = re.compile(r"(?<![\w.\-])(U\.S\.|U\.K\.|[A-Z][\w’']+)[-–](U\.S\.|U\.K\.|[A-Z][\w’']+)(?![\w\-])")


def _add_pairs(g: Gazetteer, text: str, mentions: list[Mention], context: set[str], surnames) -> None:
    """Both sides of "Russia-Ukraine war", "U.S.-China rivalry", "Damascus-Aleppo highway"."""
    for match in _PAIR_RE.finditer(text):
        for k in (1, 2):
            start, end = match.span(k)
            if _overlapping(mentions, start, end):
                continue
            span = match.group(k)
            key = normalize(span)
            if key in surnames:
                mentions.append(Mention(start, end, span, "PERSON", -1))
                continue
            if key in _COMMON_CAPS:
                continue
            m = g.match(span, context=context, fuzzy=False)
            if m is None or m.tier != "exact":
                continue
            place = m.place
            if place.kind == "country" or m.capital or (
                    place.kind == "city" and not m.alternate and
                    (place.country in context or m.population >= 1_000_000)):
                mentions.append(Mention(start, end, span, "GPE", -1, place=place))


def _compound_label(g: Gazetteer, span: str, start: int, text: str, surnames) -> str | None:
    if g.landmark_country(span) is not None:
        return "ORG"
    if g.demonym(span) is not None:
        return "NORP"
    place = g.lookup(span, fuzzy=False)
    if place is not None and (place.kind in ("country", "region") or g.capital_country(span) is not None):
        return "GPE" if place.kind != "region" else "LOC"
    key = normalize(span)
    if key in surnames:
        return "PERSON"
    sentence_start = not text[:start].strip() or text[:start].rstrip()[-1:] in ".!?\n\"“"
    words = _words(span)
    if len(words) == 1 and (sentence_start or key in _COMMON_CAPS):
        return None
    if place is not None and len(words) == 1 and not span.isupper():
        return "GPE"
    if span.isupper() or len(words) > 1 or not sentence_start:
        return "ORG"
    return None


def _headline_like(doc, sent) -> bool:
    words = [t for t in sent if t.is_alpha]
    if len(words) < 4:
        return True
    caps = sum(1 for t in words if t.text[:1].isupper())
    return caps / len(words) >= 0.6 or not any(t.text in ".!?" for t in sent[-2:])


def _add_missed_places(g: Gazetteer, doc, text: str, mentions: list[Mention], context: set[str],
                       lower_words: set[str]) -> None:
    """Capitalised proper nouns NER left alone that the gazetteer firmly knows."""
    covered = bytearray(len(text) + 1)
    for m in mentions:
        covered[m.start:m.end] = b"\x01" * (m.end - m.start)
    for sent in doc.sents:
        if _headline_like(doc, sent):
            continue
        toks = list(sent)
        i = 0
        while i < len(toks):
            t = toks[i]
            if not (t.tag_ in ("NNP", "NNPS") and t.text[:1].isupper() and t.is_alpha) or covered[t.idx]:
                i += 1
                continue
            # a run of proper nouns, allowing Arabic particles joined by hyphens ("Abu al-Duhur")
            j = i + 1
            while j < len(toks):
                u = toks[j]
                if u.tag_ in ("NNP", "NNPS") and u.text[:1].isupper() and u.is_alpha and not covered[u.idx]:
                    j += 1
                    continue
                if u.lower_ in _PARTICLE_TOKENS and j + 1 < len(toks) and u.text != "-" and \
                        toks[j + 1].text == "-" and j + 2 < len(toks) and toks[j + 2].text[:1].isupper():
                    j += 3
                    continue
                break
            found = False
            for a in range(i, j):
                for b in range(j, a, -1):   # longest first
                    start, end = toks[a].idx, toks[b - 1].idx + len(toks[b - 1].text)
                    span = text[start:end]
                    if not _common_word(span, lower_words) and \
                            _missed_place_ok(g, span, a == 0 or toks[a].is_sent_start, context,
                                             _prev_word(text, start) in _IN_PLACE):
                        place = g.lookup(span, context=context, fuzzy=False)
                        label = "LOC" if place.kind == "region" and not place.country else "GPE"
                        mentions.append(Mention(start, end, span, label, -1, place=place))
                        covered[start:end] = b"\x01" * (end - start)
                        found = True
                        break
                if found:
                    break
            i = j


_CAP_WORD_RE = re.compile(r"[A-Z][\w’'\-]*")


def _propagate_places(text: str, mentions: list[Mention], surnames: set[str]) -> None:
    """A place named once is that place wherever else the same name stands on its own
    (headlines and sentence starts NER skipped), not inside a longer capitalised name."""
    places = {}
    for m in mentions:
        if m.place is not None and m.label in ("GPE", "LOC") and normalize(m.text) not in surnames:
            places.setdefault(m.text, m)
    if not places:
        return
    covered = bytearray(len(text) + 1)
    for m in mentions:
        covered[m.start:m.end] = b"\x01" * (m.end - m.start)
    pattern = re.compile(r"(?<![\w.\-])(" + "|".join(re.escape(t) for t in sorted(places, key=len, reverse=True))
                         + r")(?![\w\-])")
    for occ in pattern.finditer(text):
        start, end = occ.span()
        if any(covered[start:end]):
            continue
        before = text[max(0, start - 30):start]
        after = text[end:end + 30]
        prev_cap = re.search(r"([A-Z][\w’'\-]*)[ \t]+$", before)
        next_cap = re.match(r"[ \t]+(?:of |de |al-)?([A-Z][\w’'\-]*)", after)
        if next_cap or (prev_cap and not _sentence_boundary(before[:prev_cap.start()])):
            continue   # part of a longer name: "Aleppo International Airport", "North Aleppo Council"
        src = places[occ.group(1)]
        mentions.append(Mention(start, end, occ.group(1), src.label, -1, place=src.place))
        covered[start:end] = b"\x01" * (end - start)


def _sentence_boundary(before: str) -> bool:
    stripped = before.rstrip()
    return not stripped or stripped[-1] in ".!?:\n\"“'‘"


def _missed_place_ok(g: Gazetteer, span: str, sentence_initial: bool, context: set[str], located: bool) -> bool:
    key = normalize(span)
    if not key or key in _COMMON_CAPS or len(key) < 3 or span.isupper():
        return False
    m = g.match(span, context=context, fuzzy=False)
    if m is None or m.tier not in ("exact", "loose"):
        return False
    place = m.place
    if place.kind == "country":
        return not sentence_initial or not m.alternate
    if sentence_initial:
        return False
    if m.capital or place.kind == "region":
        return not m.alternate
    if place.country and place.country in context:
        return m.population >= 5000 and (not m.alternate or m.population >= 20_000)
    if located:         # "filming in Brno": where a place stands, a city of 100,000+ is that city
        return m.population >= 100_000 and not m.alternate
    return m.population >= 1_000_000 and not m.alternate
