"""One actor per real-world referent across the articles of a story.

``resolve_actors(groups, texts)`` takes the mentions of one or more articles (``groups[i]`` are
the mentions of ``texts[i]``), sets every ``Mention.actor`` and returns the actors. The rules,
in the order they apply:

1. **Places** resolve on the gazetteer: every country name or variant ("Türkiye", "Turkey",
   "U.S.", "America") is the country's actor; a city or region is its own place actor, keyed on
   its GeoNames id ("Saraqeb" and "Saraqib" are one).
2. **Metonymy**: a capital used as a government ("Ankara said", "by Moscow", "Tehran-backed",
   "Moscow's") and a government landmark ("the Kremlin", "the White House", "Downing Street")
   resolve to the country's actor. A capital used as a place ("in Damascus", "to Damascus",
   "control of Damascus", "Damascus-Aleppo highway") stays the city.
3. **Nationality words** (NORP) that name a state ("Syrian", "Russians", "pro-Iranian", "U.S.")
   keep their NORP mention but resolve to the country's actor: in news prose the adjective
   ("Syrian forces", "Russian air power") points at the state or its forces, which is the actor
   the reader follows. NORP words of no state ("Kurdish", "jihadist", "Islamist") are groups.
4. **Names** (people, organisations, groups, events, facilities) are first grouped on a
   normalised key (case, accents, apostrophes, "al-" particles, titles and a leading "the"
   ignored: "Hay’et Tahrir al-Sham" ~ "Hay'et Tahrir al-Sham"), then merged:
   a. **acronym definitions** in the texts: "Hayat Tahrir al-Sham (HTS)";
   b. **acronym initials**: "SOHR" ↔ "Syrian Observatory for Human Rights", "ISIS" ↔ "Islamic
      State of Iraq and Syria" (content-word initials, or all initials), when one expansion fits;
   c. **transliteration variants**: same number of words, each pair equal on a transliteration
      key or rapidfuzz ratio ≥ 80 (words of 4+ letters; short words must be equal), at least one
      word identical: "Hay'et Tahrir al-Sham" = "Hayat Tahrir al-Sham", "Abu Mohammed al-Jolani" =
      "Abu Mohammad al-Julani"; "Kim Jong Un" ≠ "Kim Jong Il", "Islamic State" ≠ "Islamic Jihad";
   d. **short person names**: a surname or partial name whose words appear in order in one fuller
      PERSON name ending in the same word ("Assad", "al-Assad", "President Assad" → "Bashar
      al-Assad"); a lone first word only when exactly one fuller name starts with it ("Kim" →
      "Kim Jong Un"); with several candidates, the one mentioned most, if clearly so; people who
      only share a first name ("Donald Trump", "Donald Tusk") are never merged;
   e. **short organisation names**: words appearing in order inside exactly one longer ORG name
      ("the Observatory", "Syrian Observatory" → "Syrian Observatory for Human Rights"), not
      when the shorter name is only generic words ("Group", "Army") or a nationality.

``Actor.name`` is the fullest proper form (most words, not an acronym, most frequent on ties;
the GeoNames name for places), ``Actor.type`` is person | organisation | country | place | group |
event. Actor ids ("a1", "a2" ...) follow the first mention. With one group, ``Actor.mentions``
holds that article's ``[start, end]`` pairs (lists, so that an analysis and its JSON round trip
compare equal); with several, offsets would be ambiguous across articles, so it stays empty and
:func:`article_actors` gives each article its own view.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import replace

from .gazetteer import Gazetteer, fold, get_gazetteer, normalize, translit_key
from .types import Actor, Mention, Place

__all__ = ["resolve_actors", "article_actors", "is_metonymic", "alias_tokens"]

_TITLES = frozenset("""mr mrs ms miss dr prof president presidentelect vice minister prime premier
    chancellor sen senator rep representative gov governor gen general col colonel lt lieutenant
    maj major capt captain adm admiral sgt sheikh sheik king queen prince princess emir sultan pope
    ayatollah imam judge justice secretary ambassador director chairman chief leader dictator tyrant
    former late""".split())
_PARTICLES = frozenset({"al", "el", "ad", "an", "ar", "as", "ash", "at", "az", "ath", "adh", "ed",
                        "es", "et", "ez", "bin", "ibn", "bint", "ben"})
_PARTICLE_HYPHEN_RE = re.compile(r"(?<![a-z])(?:al|el|ad|an|ar|as|ash|at|az|ath|adh|ed|es|et|ez)-")
_STOP = frozenset("the of for and in on at to a an de du la le des del der von van y".split())
_GENERIC = frozenset("""group groups forces force army armies navy military party front council
    government ministry department agency committee commission union movement organisation
    organization office authority authorities administration regime state states coalition alliance
    brigade brigades militia militias rebels opposition police guard guards corps court parliament
    assembly congress senate house people national international united republic democratic
    popular islamic federal central new""".split())
_LOCATIVE = frozenset("""in near at from into outside around toward towards across to inside within
    through via between throughout of over beyond around nearby""".split())
_PLACE_AFTER_RE = re.compile(r"^(?:\s+(?:city|province|governorate|region|district|airport|"
                             r"countryside|suburbs|outskirts)\b|-(?:based|born|area)\b|[\-–][A-Z])")
_ACRONYM_RE = re.compile(r"^(?:[A-Z]\.?){2,7}$|^[A-Z][A-Z0-9&]{1,6}$")
_DEF_RE = re.compile(r"\(\s*([A-Z][A-Za-z0-9&.\-]{1,9})\s*\)")
_COUNTRY_LABELS = ("GPE", "LOC", "FAC", "NORP", "ORG", "PERSON")


# -- keys ----------------------------------------------------------------------------------------

def alias_tokens(text: str) -> list[str]:
    """Normalised content words of a name: "President Bashar al-Assad’s" → ["bashar", "assad"]."""
    folded = fold(re.sub(r"(?:['’]s|(?<=s)['’])$", "", text.strip()))
    folded = _PARTICLE_HYPHEN_RE.sub(" ", folded).replace(".", "")
    words = [w for w in re.split(r"[^0-9a-z]+", folded) if w]
    while len(words) > 1 and (words[0] in _TITLES or words[0] in ("the", "pro", "anti")):
        words = words[1:]
    if len(words) > 1:
        words = [w for w in words if w not in _PARTICLES and w not in _STOP] or words
    return words


def _is_acronym(text: str) -> bool:
    t = text.strip()
    return bool(_ACRONYM_RE.match(t)) and sum(c.isupper() for c in t) >= 2 and "-" not in t


def _acronym_letters(text: str) -> str:
    return "".join(c for c in text if c.isalnum()).lower()


def _initials(text: str) -> set[str]:
    """Possible acronyms of a long name: all words, content words, without particles."""
    raw = [w for w in re.split(r"[\s\-]+", fold(text).replace(".", "")) if w and w[0].isalnum()]
    if raw and raw[0] == "the":
        raw = raw[1:]
    forms = set()
    if len(raw) >= 2:
        forms.add("".join(w[0] for w in raw))
        content = [w for w in raw if w not in _STOP and w not in _PARTICLES]
        if len(content) >= 2:
            forms.add("".join(w[0] for w in content))
        no_part = [w for w in raw if w not in _PARTICLES]
        if len(no_part) >= 2:
            forms.add("".join(w[0] for w in no_part))
    return forms


def is_metonymic(text: str, start: int, end: int) -> bool:
    """Is the capital at text[start:end] used for its government ("Ankara said") not the place?"""
    after = text[end:end + 20]
    if _PLACE_AFTER_RE.match(after):
        return False
    before = text[max(0, start - 40):start]
    words = re.findall(r"[A-Za-z]+", before)
    while words and words[-1].lower() in ("the", "a"):
        words.pop()
    if words and words[-1].lower() in _LOCATIVE:
        return False
    return True


# -- union-find ----------------------------------------------------------------------------------

class _Sets:
    def __init__(self):
        self.parent: dict = {}

    def find(self, x):
        self.parent.setdefault(x, x)
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a, b):
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra


class _Cluster:
    """Mentions that share one normalised name key."""
    __slots__ = ("key", "tokens", "items", "labels", "texts", "acronym")

    def __init__(self, key):
        self.key = key
        self.tokens = list(key)
        self.items: list[tuple[int, int]] = []   # (group index, mention index)
        self.labels: Counter = Counter()
        self.texts: Counter = Counter()
        self.acronym = False


# -- resolution ----------------------------------------------------------------------------------

def resolve_actors(groups: list[list[Mention]], texts: list[str], *,
                   gazetteer: Gazetteer | None = None) -> list[Actor]:
    """Actors of one story; sets ``Mention.actor`` on every mention of ``groups``."""
    if len(groups) != len(texts):
        raise ValueError(f"resolve_actors needs one text per mention group; got {len(groups)} groups "
                         f"and {len(texts)} texts")
    g = gazetteer or get_gazetteer()
    node_of: dict[tuple[int, int], tuple] = {}       # mention → node key
    place_of: dict[tuple, Place] = {}
    clusters: dict[tuple, _Cluster] = {}

    surnames = _story_surnames(groups)
    for gi, mentions in enumerate(groups):
        text = texts[gi]
        for mi, m in enumerate(mentions):
            node = _place_node(g, m, text, place_of, surnames)
            if node is None:
                toks = alias_tokens(m.text)
                if not toks:
                    toks = [normalize(m.text) or m.text.lower()]
                node = ("N", tuple(toks))
                c = clusters.get(node)
                if c is None:
                    c = clusters[node] = _Cluster(tuple(toks))
                c.items.append((gi, mi))
                c.labels[m.label] += 1
                c.texts[m.text] += 1
                c.acronym = c.acronym or _is_acronym(m.text)
            node_of[(gi, mi)] = node

    sets = _Sets()
    for node in clusters:
        sets.find(node)
    _merge_definitions(groups, texts, clusters, sets)
    _merge_transliterations(clusters, sets)
    _merge_reordered(clusters, sets)
    _merge_initials(clusters, sets)
    _merge_short_persons(clusters, sets)
    _merge_short_orgs(g, clusters, sets)

    # actors in order of first mention
    members: dict[tuple, list[tuple[int, int]]] = defaultdict(list)
    order: list[tuple] = []
    for gi, mentions in enumerate(groups):
        for mi, _m in enumerate(mentions):
            node = node_of[(gi, mi)]
            root = sets.find(node) if node[0] == "N" else node
            if root not in members:
                order.append(root)
            members[root].append((gi, mi))

    actors: list[Actor] = []
    for n, root in enumerate(order, start=1):
        items = members[root]
        ms = [groups[gi][mi] for gi, mi in items]
        actor_id = f"a{n}"
        for m in ms:
            m.actor = actor_id
        aliases = list(dict.fromkeys(m.text for m in ms))
        # [start, end] lists, not tuples: ArticleAnalysis.to_json (dataclasses.asdict) keeps tuples,
        # which would differ from the same analysis read back from JSON
        offsets = [[m.start, m.end] for m in ms] if len(groups) == 1 else []
        if root[0] in ("C", "P"):
            place = place_of[root]
            kind = "country" if root[0] == "C" else "place"
            actors.append(Actor(actor_id, place.name, kind, aliases, offsets, place))
        else:
            name, kind = _name_and_type(ms)
            actors.append(Actor(actor_id, name, kind, aliases, offsets, None))
    return actors


def article_actors(actors: list[Actor], mentions: list[Mention]) -> list[Actor]:
    """The actors one article's mentions resolved to, with that article's (start, end) offsets."""
    by_id = {a.id: a for a in actors}
    spans: dict[str, list[list[int]]] = defaultdict(list)
    forms: dict[str, list[str]] = defaultdict(list)
    for m in mentions:
        if m.actor in by_id:
            spans[m.actor].append([m.start, m.end])
            if m.text not in forms[m.actor]:
                forms[m.actor].append(m.text)
    return [replace(by_id[i], aliases=forms[i], mentions=spans[i]) for i in spans]


def _story_surnames(groups) -> set[str]:
    out = set()
    for mentions in groups:
        for m in mentions:
            if m.label == "PERSON":
                toks = alias_tokens(m.text)
                if len(toks) >= 2:
                    out.add(toks[-1])
    return out


def _place_node(g: Gazetteer, m: Mention, text: str, place_of: dict, surnames: set[str]) -> tuple | None:
    """("C", iso) for countries and their governments, ("P", id) for other places, else None."""
    landmark = g.landmark_country(m.text)
    if landmark is not None:
        return _country_node(landmark, place_of)
    if m.label == "NORP":
        dem = g.demonym(m.text)
        if dem is not None and dem.kind == "country":
            return _country_node(dem, place_of)
        return None
    if m.place is not None and m.label in ("GPE", "LOC", "FAC"):
        if m.place.kind == "country":
            return _country_node(m.place, place_of)
        if m.place.kind == "city":
            toks = alias_tokens(m.text)
            if len(toks) == 1 and toks[0] in surnames and g.capital_country(m.text) is None:
                return None        # "Clinton" in a story about Hillary Clinton: the person
            gov = g.capital_country(m.text)
            if gov is not None and gov.country == m.place.country and is_metonymic(text, m.start, m.end):
                return _country_node(gov, place_of)
        node = ("P", m.place.geonames_id or (m.place.name, m.place.country, m.place.kind))
        place_of.setdefault(node, m.place)
        return node
    return None


def _country_node(place: Place, place_of: dict) -> tuple:
    node = ("C", place.country or place.name)
    place_of.setdefault(node, place)
    return node


# -- merge rules ---------------------------------------------------------------------------------

def _index_by_end(groups):
    out = {}
    for gi, mentions in enumerate(groups):
        for mi, m in enumerate(mentions):
            out[(gi, m.end)] = (gi, mi)
    return out




def _merge_definitions(groups, texts, clusters, sets) -> None:
    """"Long Name (ACR)" in any text of the story joins the long name's and the acronym's nodes."""
    item_node = {item: node for node, c in clusters.items() for item in c.items}
    by_end = _index_by_end(groups)
    acr_nodes: dict[str, list[tuple]] = defaultdict(list)
    for node, c in clusters.items():
        if c.acronym:
            acr_nodes["".join(c.tokens)].append(node)
    for gi, text in enumerate(texts):
        for match in _DEF_RE.finditer(text):
            acr = match.group(1)
            if not _is_acronym(acr):
                continue
            j = match.start()
            while j > 0 and text[j - 1] in " \t":
                j -= 1
            item = by_end.get((gi, j))
            if item is None or item not in item_node:
                continue
            long_node = item_node[item]
            if clusters[long_node].acronym:
                continue
            letters = _acronym_letters(acr)
            long_text = groups[item[0]][item[1]].text
            # a definition's letters should at least start like the long name
            if letters[:1] != (alias_tokens(long_text) or [""])[0][:1] and letters not in _initials(long_text):
                continue
            for node in acr_nodes.get(letters, ()):
                sets.union(long_node, node)


def _merge_initials(clusters, sets) -> None:
    acronyms = [(n, c) for n, c in clusters.items() if c.acronym]
    if not acronyms:
        return
    expansions: dict[str, set[tuple]] = defaultdict(set)
    for node, c in clusters.items():
        if c.acronym or len(c.tokens) < 2:
            continue
        if not (c.labels.keys() & {"ORG", "NORP", "GPE", "LOC", "FAC", "EVENT", "PERSON"}):
            continue
        for text in c.texts:
            for form in _initials(text):
                expansions[form].add(node)
    for node, c in acronyms:
        letters = "".join(c.tokens)
        cands = expansions.get(letters, set())
        roots = {sets.find(x) for x in cands}
        if len(roots) == 1:
            sets.union(next(iter(roots)), node)


def _token_close(a: str, b: str, ratio) -> bool:
    if a == b:
        return True
    if len(a) < 4 or len(b) < 4:
        return False
    if translit_key(a) == translit_key(b):
        return True
    return ratio(a, b) >= 80


def _merge_transliterations(clusters, sets) -> None:
    from rapidfuzz import fuzz
    by_len: dict[int, list[tuple]] = defaultdict(list)
    single: dict[str, list[tuple]] = defaultdict(list)
    for node, c in clusters.items():
        if c.acronym:
            continue
        if len(c.tokens) >= 2:
            by_len[len(c.tokens)].append(node)
        elif len(c.tokens[0]) >= 5:
            single[translit_key(c.tokens[0])].append(node)
    for nodes in single.values():
        for other in nodes[1:]:
            if _compatible(clusters[nodes[0]], clusters[other]):
                sets.union(nodes[0], other)
    for nodes in by_len.values():
        for i, a in enumerate(nodes):
            ta = clusters[a].tokens
            for b in nodes[i + 1:]:
                tb = clusters[b].tokens
                if not any(x == y for x, y in zip(ta, tb)):
                    continue
                if all(_token_close(x, y, fuzz.ratio) for x, y in zip(ta, tb)) and \
                        _compatible(clusters[a], clusters[b]):
                    sets.union(a, b)


def _compatible(a: _Cluster, b: _Cluster) -> bool:
    """Names of people do not merge with names of places or events."""
    kinds = {_kind_of(a), _kind_of(b)}
    return len(kinds) == 1 or kinds <= {"person", "organisation", "group"}


def _kind_of(c: _Cluster) -> str:
    label = c.labels.most_common(1)[0][0]
    return {"PERSON": "person", "ORG": "organisation", "NORP": "group", "EVENT": "event"}.get(label, "place")


def _is_subsequence(short: list[str], long: list[str]) -> bool:
    it = iter(long)
    return all(any(w == x for x in it) for w in short)


def _dominant(roots: Counter):
    """The root mentioned most, when it is mentioned at least twice as often as the next."""
    ranked = roots.most_common()
    if not ranked:
        return None
    if len(ranked) == 1 or ranked[0][1] >= 2 * ranked[1][1]:
        return ranked[0][0]
    return None


_GENERATION = frozenset({"jr", "sr", "ii", "iii", "iv"})


def _split_generation(tokens: list[str]) -> tuple[list[str], str | None]:
    if len(tokens) >= 2 and tokens[-1] in _GENERATION:
        return tokens[:-1], tokens[-1]
    return tokens, None


def _merge_short_persons(clusters, sets) -> None:
    persons = [(n, c) for n, c in clusters.items()
               if c.labels.get("PERSON") and not c.acronym and _kind_of(c) != "place"]
    full = [(n, c) for n, c in persons if len(_split_generation(c.tokens)[0]) >= 2
            and c.labels["PERSON"] * 2 >= sum(c.labels.values())]
    surnames = {_split_generation(fc.tokens)[0][-1] for _, fc in full}
    for node, c in persons:
        base, gen = _split_generation(c.tokens)
        cands: Counter = Counter()
        junior: Counter = Counter()
        first: Counter = Counter()
        for fnode, fc in full:
            fbase, fgen = _split_generation(fc.tokens)
            if len(fbase) <= len(base) or fnode == node:
                continue
            if gen and fgen != gen:
                continue              # "Trump Jr." is short for "Donald Trump Jr." only
            n_items = len(clusters[fnode].items)
            if base[-1] == fbase[-1] and _is_subsequence(base, fbase):
                # "Assad", "Donald J. Trump"; a junior only for a lone surname with no senior
                if fgen in ("jr", "sr") and not gen:
                    if len(base) == 1:
                        junior[sets.find(fnode)] += n_items
                else:
                    cands[sets.find(fnode)] += n_items
            elif len(base) == 1 and fbase[0] == base[0] and (fgen == gen or not fgen):
                first[sets.find(fnode)] += n_items           # "Kim" of "Kim Jong Un"
        root = None
        if cands:
            root = _dominant(cands)
        elif junior:
            root = _dominant(junior)
        elif first and base[0] not in surnames:
            root = _dominant(first)
            if root is not None and first[root] < 2 and len(first) > 1:
                root = None
        if root is not None:
            sets.union(root, node)


def _merge_reordered(clusters, sets) -> None:
    """"Justice Department" = "Department of Justice": the same words in another order."""
    by_bag: dict[tuple, list[tuple]] = defaultdict(list)
    for node, c in clusters.items():
        if len(c.tokens) >= 2 and not c.acronym and (c.labels.get("ORG") or c.labels.get("FAC")):
            by_bag[tuple(sorted(c.tokens))].append(node)
    for nodes in by_bag.values():
        for other in nodes[1:]:
            sets.union(nodes[0], other)


def _merge_short_orgs(g: Gazetteer, clusters, sets) -> None:
    orgs = [(n, c) for n, c in clusters.items()
            if (c.labels.get("ORG") or c.labels.get("FAC") or c.labels.get("EVENT")) and not c.acronym]
    person_roots = {sets.find(n) for n, c in clusters.items()
                    if len(c.tokens) >= 2 and c.labels.get("PERSON", 0) * 2 > sum(c.labels.values())}
    for node, c in orgs:
        if c.labels.get("PERSON", 0) >= c.labels.get("ORG", 0) or sets.find(node) in person_roots:
            continue          # "Trump" (sometimes tagged ORG) is not short for "Trump Tower"
        distinctive = [t for t in c.tokens if t not in _GENERIC and t not in _STOP
                       and g.demonym(t) is None and g.lookup(t, fuzzy=False, kinds=("country",)) is None]
        if not distinctive:
            continue
        roots = set()
        for lnode, lc in orgs:
            if lnode == node or len(lc.tokens) <= len(c.tokens):
                continue
            if _is_subsequence(c.tokens, lc.tokens) and _contiguous_or_head(c.tokens, lc.tokens):
                roots.add(sets.find(lnode))
        if len(roots) == 1:
            sets.union(next(iter(roots)), node)


def _contiguous_or_head(short: list[str], long: list[str]) -> bool:
    """"Syrian Observatory" inside "Syrian Observatory for Human Rights": a contiguous run."""
    n = len(short)
    return any(long[i:i + n] == short for i in range(len(long) - n + 1))


# -- naming --------------------------------------------------------------------------------------

_ORG_HINTS = frozenset("""group forces army party front council observatory agency ministry committee
    commission organisation organization union association company corporation institute university
    movement brigade brigades militia network alliance coalition federation league office bureau
    press news media foundation authority administration government parliament assembly senate
    congress police corps command defence defense""".split())


def _clean_surface(text: str) -> str:
    t = re.sub(r"^(?:the|The)\s+", "", text.strip())
    return re.sub(r"(?:['’]s|['’])$", "", t)


def _name_and_type(ms: list[Mention]) -> tuple[str, str]:
    labels = Counter(m.label for m in ms)
    forms = Counter(_clean_surface(m.text) for m in ms)
    first_seen = {f: i for i, f in reversed(list(enumerate(_clean_surface(m.text) for m in ms)))}

    def quality(form: str):
        words = alias_tokens(form)
        return (not _is_acronym(form), len(words), forms[form], -first_seen[form])

    # people's names drop titles ("President Bashar al-Assad" → "Bashar al-Assad")
    name = max(forms, key=quality)
    has_acronym = any(_is_acronym(f) for f in forms)
    org_words = any(w in _ORG_HINTS for f in forms for w in alias_tokens(f))
    if labels.get("PERSON", 0) and not has_acronym and not org_words and \
            labels["PERSON"] >= labels.get("ORG", 0):
        kind = "person"
        name = _strip_titles(name)
    elif labels.get("ORG", 0) or has_acronym or org_words:
        kind = "organisation"
    elif labels.get("NORP", 0):
        kind = "group"
    elif labels.get("EVENT", 0):
        kind = "event"
    elif labels.get("PERSON", 0):
        kind = "person"
    else:
        kind = "place"
    return name, kind


def _strip_titles(name: str) -> str:
    words = name.split()
    while len(words) > 1 and re.sub(r"[^a-z]", "", words[0].lower()) in _TITLES:
        words = words[1:]
    return " ".join(words)
