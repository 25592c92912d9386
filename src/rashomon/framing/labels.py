"""How each source names and describes the actors of a story.

``story_actors(items)`` resolves the actors of a story's articles together (one actor for
"Kim Jong Un", "Mr. Kim" and "Kim Jong-un" across outlets, :func:`rashomon.nlp.aliases.resolve_actors`)
and collects every *reference* to each actor, with its span, from a dependency parse:

* **name** — the entity mention, with the titles written against it ("President Trump",
  "Mr. Kim");
* **descriptor** — the rest of the noun phrase in front of the name ("North Korean leader" Kim
  Jong Un, "the C.I.A. director" Mike Pompeo, "tyrant" Bashar al-Assad);
* **apposition** — a noun phrase set beside the name ("Abu Mohammed al-Jolani, the group's
  leader"; "the group's leader, Abu Mohammed al-Jolani");
* **predicate** — "Abe is a fine gentleman";
* **reference** — a noun phrase with no name that points back at a named actor through a role the
  story gave it: once an outlet wrote "North Korean leader Kim Jong Un", "the North Korean leader"
  and "the leader" refer to him (a nationality word in the phrase must agree; with several
  candidates, the one last named in that article wins, then the one most often given the role);
  "the Assad regime" (a government noun owned by a named person) is a label of that person;
* **group** — a recurring plural or collective noun for people that names nobody ("the
  migrants", "the caravan", "rebels"): a group actor of its own, keyed on the noun.

Each reference carries a ``polarity`` in [-1, 1] from the words it uses besides the name (our
loaded lexicon first, then the VADER valence, damped), or None when it uses none; an actor's
``stance`` per article averages those of its descriptive references, so "the regime of tyrant
Bashar al-Assad" and "President Assad" land at opposite ends of the sympathetic–hostile scale.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from typing import Any, Iterable, Sequence

import numpy

from ..errors import ConfigError
from ..memo import Memo, digest
from ..nlp.types import Actor, ArticleAnalysis, Mention

__all__ = ["LabelInput", "ActorReference", "StoryActor", "story_actors", "REFERENCE_KINDS"]

REFERENCE_KINDS = ("name", "descriptor", "apposition", "predicate", "reference", "group")
_DESCRIPTIVE = ("descriptor", "apposition", "predicate", "reference", "group")

# Titles written against a name belong to the name ("President Trump"); honorifics carry no role.
_HONORIFICS = frozenset("mr mrs ms miss dr prof sen rep gov gen col lt maj capt adm sgt st".split())
_TITLES = frozenset("""president presidentelect vice minister prime premier chancellor senator representative
    governor general colonel lieutenant major captain admiral sergeant sheikh sheik king queen prince princess
    emir sultan pope ayatollah imam judge justice secretary ambassador director chairman chairwoman chair
    chief leader commander speaker mayor attorney counsel special deputy first lady crown supreme""".split())
_GOVERNMENT = frozenset("government administration regime cabinet junta campaign team".split())
_DEFINITE = frozenset({"the", "this", "that", "these", "those"})
# "northern Syria" locates; it does not describe
_COMPASS = frozenset("""north south east west northern southern eastern western northeast northwest southeast
    southwest northeastern northwestern southeastern southwestern central upper lower greater""".split())
_MAX_PHRASE_TOKENS = 14
# Nouns for people or bodies of people. The list is the general vocabulary of news about
# conflicts, politics and migration (written for Rashomon); agent nouns (-ers, -ists ...) that
# act as a clause subject somewhere in the story count too.
_PEOPLE_NOUNS = frozenset("""people person persons men women children kids families residents civilians citizens
    voters workers soldiers troops forces fighters rebels insurgents militants militias militia guerrillas
    jihadists extremists terrorists gunmen protesters protestors demonstrators activists supporters opponents
    critics lawmakers legislators officials diplomats leaders ministers politicians delegates negotiators
    migrants immigrants refugees emigrants asylum-seekers seekers travelers travellers passengers
    students teachers doctors nurses patients victims survivors hostages prisoners detainees captives
    police officers agents guards troopers investigators prosecutors lawyers attorneys judges
    democrats republicans conservatives liberals progressives moderates hardliners loyalists separatists
    settlers villagers farmers tribesmen clerics believers worshippers pilgrims fans crowds crowd mob
    caravan convoy group groups coalition alliance opposition authorities administration government regime
    army military navy parliament congress senate committee delegation organizers organisers volunteers
    observers monitors experts analysts researchers scientists journalists reporters staff staffers aides
    advisers advisors employees members residents inhabitants population mourners bystanders witnesses
    defendants plaintiffs suspects perpetrators attackers assailants invaders occupiers smugglers traffickers
    gangs gang cartel cartels""".split())
_AGENT_SUFFIX = re.compile(r"(?:ers|ors|ists|ants|ents|ians|ees|ites)$")
_NOT_PEOPLE = frozenset("""numbers orders borders papers matters members' centers centres powers letters
    reports events comments documents statements agreements governments contents talents parents' percents
    elements arguments payments investments movements departments moments segments
    accidents incidents""".split()) - {"parents"}


@dataclass(frozen=True)
class LabelInput:
    """One article of the story: its id, text and stored analysis (ArticleAnalysis or its JSON)."""
    article_id: str
    text: str
    analysis: Any


@dataclass
class ActorReference:
    article_id: str
    start: int
    end: int
    text: str
    kind: str                        # one of REFERENCE_KINDS
    polarity: float | None = None    # -1 hostile … +1 sympathetic; None: no evaluative word


@dataclass
class StoryActor:
    id: str
    name: str
    type: str
    aliases: list[str]
    references: list[ActorReference] = field(default_factory=list)

    def labels(self) -> dict[str, list[str]]:
        """Per article, the distinct phrases used for this actor (descriptive ones first)."""
        out: dict[str, list[str]] = {}
        for ref in sorted(self.references, key=lambda r: (r.kind == "name", r.start)):
            seen = out.setdefault(ref.article_id, [])
            text = _clean(ref.text)
            if text not in seen:
                seen.append(text)
        return out

    def stance(self) -> dict[str, dict[str, Any]]:
        """Per article, the mean polarity of its evaluative references: ``{"score", "n", "evidence"}``."""
        out: dict[str, dict[str, Any]] = {}
        for ref in self.references:
            if ref.polarity is None or ref.kind == "name":
                continue
            s = out.setdefault(ref.article_id, {"score": 0.0, "n": 0, "evidence": []})
            s["score"] += ref.polarity
            s["n"] += 1
            s["evidence"].append(_clean(ref.text))
        for s in out.values():
            s["score"] = round(s["score"] / s["n"], 3)
            s["evidence"] = list(dict.fromkeys(s["evidence"]))
        return out

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "type": self.type, "aliases": self.aliases,
                "labels": self.labels(), "stance": self.stance(),
                "references": [{"article_id": r.article_id, "start": r.start, "end": r.end, "text": r.text,
                                "kind": r.kind, "polarity": r.polarity} for r in self.references]}


def _lemma(token) -> str:
    from ..claims.lemmas import lemma   # the model's rule tables; the pipeline runs without a lemmatizer

    return lemma(token) if token.pos_ in ("NOUN", "VERB", "ADJ", "AUX") else token.lower_


def _clean(text: str) -> str:
    return " ".join(text.split()).strip(" ,;:\"“”'‘’")


def _analysis(value: Any, article_id: str) -> ArticleAnalysis:
    if isinstance(value, ArticleAnalysis):
        return value
    if isinstance(value, dict):
        return ArticleAnalysis.from_json(value)
    raise ConfigError(f"article {article_id}: actor labels need its stored analysis "
                      f"(ArticleAnalysis or its JSON), got {type(value).__name__}")


# -- the pass over one story ---------------------------------------------------------------------

class _Story:
    def __init__(self, items: Sequence[LabelInput], actors: list[Actor], groups: list[list[Mention]], docs):
        self.items = items
        self.actors = {a.id: a for a in actors}
        self.groups = groups
        self.docs = docs
        self.refs: dict[str, list[ActorReference]] = defaultdict(list)
        self.taken: list[list[tuple[int, int]]] = [[] for _ in items]   # token ranges already used
        # role noun ("leader", "prime minister") → actor → count, and the nationality actors seen with it
        self.roles: dict[str, Counter] = defaultdict(Counter)
        self.role_country: dict[tuple[str, str], set[str]] = defaultdict(set)
        self.mention_at: list[dict[int, Mention]] = []   # per article: token index → mention covering it
        # per article: head token → the name modifying it, decided once every role is known
        # ("North Korean leader", "American officials", "the Assad regime")
        self.deferred: list[dict[int, tuple[Mention, int, int]]] = [{} for _ in items]
        for doc, mentions in zip(docs, groups):
            at: dict[int, Mention] = {}
            for m in mentions:
                span = doc.char_span(m.start, m.end, alignment_mode="expand")
                if span is not None:
                    for t in span:
                        at.setdefault(t.i, m)
            self.mention_at.append(at)

    def add(self, k: int, actor: str, a: int, b: int, kind: str, polarity=None) -> None:
        doc = self.docs[k]
        start, end = doc[a].idx, doc[b - 1].idx + len(doc[b - 1].text)
        # The doc was parsed from the item's text; Doc.text would join every token again on each call.
        item = self.items[k]
        self.refs[actor].append(ActorReference(item.article_id, start, end, item.text[start:end], kind, polarity))
        self.taken[k].append((a, b))

    def free(self, k: int, a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in self.taken[k])

    def home_country(self, actor: str) -> str | None:
        """The country a person's roles tie them to ("Japanese Prime Minister" → Japan), if one stands out."""
        seen = Counter(c for (_, a), cs in self.role_country.items() if a == actor for c in cs)
        return seen.most_common(1)[0][0] if seen else None

    def country_of(self, k: int, tokens) -> str | None:
        for t in tokens:
            m = self.mention_at[k].get(t.i)
            if m is not None and m.actor and self.actors[m.actor].type == "country":
                return m.actor
        return None


def _role_keys(tokens) -> list[str]:
    """'leader' and 'korean leader'-style keys for the head noun of a descriptive phrase, longest first."""
    words = [_lemma(t) for t in tokens if t.is_alpha]
    if not words:
        return []
    keys = [words[-1]]
    if len(words) >= 2 and words[-2] in _TITLES:
        keys.insert(0, f"{words[-2]} {words[-1]}")
    return keys


_DANGLING = ("ADV", "ADP", "CCONJ", "SCONJ", "DET", "PART", "AUX", "PRON")


def _trim(doc, a: int, b: int) -> tuple[int, int]:
    """Drop punctuation and conjunctions at the ends, and words left dangling by a cut ("... previously")."""
    while a < b and (doc[a].is_punct or doc[a].is_space or doc[a].lower_ in ("and", "or")):
        a += 1
    while b > a and (doc[b - 1].is_punct or doc[b - 1].is_space or doc[b - 1].dep_ in ("cc", "case")
                     or doc[b - 1].pos_ in _DANGLING):
        b -= 1
    return a, b


def _is_title(token) -> bool:
    w = token.lower_.rstrip(".")
    return (w in _TITLES or w in _HONORIFICS) and token.pos_ in ("PROPN", "NOUN", "ADJ")


def _name_references(st: _Story, k: int) -> None:
    doc = st.docs[k]
    chunk_of: dict[int, Any] = {}
    for c in doc.noun_chunks:
        for t in c:
            chunk_of[t.i] = c
    for m in st.groups[k]:
        if not m.actor:
            continue
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None or not st.free(k, span.start, span.end):
            continue
        actor = m.actor
        a, b = span.start, span.end
        root, head = span.root, span.root.head
        kind = st.actors[actor].type
        if (root.dep_ in ("amod", "compound", "poss", "nmod") and head.i >= b and head.pos_ == "NOUN"
                and head.i not in st.mention_at[k]
                and (kind == "country" or _lemma(head) in _GOVERNMENT)):
            st.deferred[k][head.i] = (m, a, b)
            continue
        # titles written against the name
        while a > 0 and _is_title(doc[a - 1]) and doc[a - 1].i not in st.mention_at[k]:
            a -= 1
        chunk = chunk_of.get(span.root.i)
        pre_a = a
        # only a phrase the name heads describes it: in "Russian and Iranian forces" Iran is a modifier
        if chunk is not None and chunk.root.i == span.root.i and chunk.start < a:
            pre_a = chunk.start
            while pre_a < a and (doc[pre_a].pos_ in ("DET", "PRON") or doc[pre_a].dep_ == "predet"):
                pre_a += 1
        if pre_a < a and any(t.pos_ in ("NOUN", "PROPN", "ADJ") for t in doc[pre_a:a]) \
                and not all(t.lower_ in _COMPASS or t.is_punct for t in doc[pre_a:a]):
            # "North Korean leader" / "the C.I.A. director": a descriptor, then the name with its titles
            title_a = a
            while title_a < span.start and doc[title_a].lower_.rstrip(".") not in _HONORIFICS:
                title_a += 1
            desc_end = title_a if title_a > pre_a else a
            if desc_end == pre_a:
                desc_end = span.start
            st.add(k, actor, pre_a, desc_end, "descriptor")
            _note_role(st, k, actor, doc[pre_a:desc_end])
            st.add(k, actor, desc_end, b, "name")
        else:
            st.add(k, actor, a, b, "name")
            if a < span.start:
                _note_role(st, k, actor, doc[a:span.start])
        for child in root.children:
            if child.dep_ == "appos" and child.i >= b and child.pos_ in ("NOUN", "PROPN"):
                x, y = _phrase(doc, child)
                if x < y and st.free(k, x, y) and child.i not in st.mention_at[k]:
                    st.add(k, actor, x, y, "apposition")
                    _note_role(st, k, actor, doc[x:child.i + 1])
        if root.dep_ == "appos" and head.i < a and head.pos_ == "NOUN" and head.i not in st.mention_at[k]:
            x, y = _trim(doc, head.left_edge.i, head.i + 1)
            if x < y and st.free(k, x, y):
                st.add(k, actor, x, y, "apposition")
                _note_role(st, k, actor, doc[x:y])
        if root.dep_ == "nsubj" and head.lemma_ == "be":
            for attr in head.children:
                if attr.dep_ == "attr" and attr.pos_ == "NOUN" and attr.i not in st.mention_at[k]:
                    x, y = _phrase(doc, attr)
                    if x < y and st.free(k, x, y):
                        st.add(k, actor, x, y, "predicate")


def _phrase(doc, head) -> tuple[int, int]:
    """The phrase headed by ``head``, cut at a clause or after a few tokens."""
    a, b = head.left_edge.i, head.right_edge.i + 1
    for t in doc[head.i + 1:b]:
        if t.dep_ in ("relcl", "acl", "advcl", "ccomp") or t.text in (",", ";", "(", "—", "–"):
            b = t.i
            break
    if b - a > _MAX_PHRASE_TOKENS:
        b = min(b, head.i + 1 + 6)
    return _trim(doc, a, b)


def _note_role(st: _Story, k: int, actor: str, tokens) -> None:
    """Remember the head noun of a description as a role of ``actor`` ("leader", "prime minister")."""
    words = [t for t in tokens if t.i not in st.mention_at[k] and not t.is_punct]
    # the head of an English noun phrase is its last word: "war-torn" (Syria) names no role
    if not words or words[-1].pos_ not in ("NOUN", "PROPN"):
        return
    country = st.country_of(k, tokens)
    for key in _role_keys(words):
        if key in _HONORIFICS:
            continue
        st.roles[key][actor] += 1
        if country:
            st.role_country[(key, actor)].add(country)


def _chunk_key_tokens(st: _Story, k: int, chunk) -> list:
    return [t for t in chunk if t.i <= chunk.root.i and t.i not in st.mention_at[k] and t.pos_ != "DET"]


def _descriptive_references(st: _Story, k: int, last_named: list[tuple[int, str]]) -> list[tuple]:
    """Role references in article ``k``; returns the unlinked people-noun chunks for the group pass."""
    doc = st.docs[k]
    leftovers = []
    for chunk in doc.noun_chunks:
        head = chunk.root
        if head.pos_ != "NOUN" or head.i in st.mention_at[k]:
            continue
        a, b = _trim(doc, chunk.start, chunk.end)
        owner = st.deferred[k].pop(head.i, None)
        if a >= b or not st.free(k, a, b):
            if owner:
                st.add(k, owner[0].actor, owner[1], owner[2], "name")
            continue
        plural = head.tag_ in ("NNS", "NNPS")
        definite = (doc[a].lower_ in _DEFINITE or any(c.dep_ == "poss" for c in head.children)
                    or head.text[:1].isupper())
        country = st.country_of(k, chunk)
        if not plural and (definite or country):
            actor = _link_role(st, k, chunk, country, last_named, doc[a].idx)
            if actor:
                st.add(k, actor, a, b, "reference")
                continue
        if owner:
            actor = owner[0].actor
            if st.actors[actor].type == "person":      # "the Assad regime": the state he runs, if known
                actor = st.home_country(actor) or actor
            if _lemma(head) in _GOVERNMENT or _people_noun(head, set()):
                st.add(k, actor, a, b, "reference")    # "American officials", "North Korea's government"
            else:
                st.add(k, owner[0].actor, owner[1], owner[2], "name")
            continue
        leftovers.append((k, a, b, head))
    for m, x, y in st.deferred[k].values():     # modifiers outside any noun chunk stay plain names
        st.add(k, m.actor, x, y, "name")
    return leftovers


def _link_role(st: _Story, k: int, chunk, country, last_named, pos) -> str | None:
    words = _chunk_key_tokens(st, k, chunk)
    for key in _role_keys(words):
        cands = st.roles.get(key)
        if not cands:
            continue
        pool = dict(cands)
        if country:
            agree = {a: n for a, n in pool.items() if country in st.role_country.get((key, a), ())}
            if not agree:
                continue
            pool = agree
        recent = [a for p, a in last_named if p < pos and a in pool]
        if recent:
            return recent[-1]
        return max(pool, key=lambda a: (pool[a], -int(a[1:]) if a[1:].isdigit() else 0))
    return None


def _people_noun(head, agents: set[str]) -> bool:
    word = head.lower_
    if word in _NOT_PEOPLE:
        return False
    lemma = _lemma(head)
    return word in _PEOPLE_NOUNS or lemma in _PEOPLE_NOUNS or (
        head.tag_ == "NNS" and _AGENT_SUFFIX.search(word) is not None and lemma in agents)


_MEMBER_NOUNS = frozenset({"member", "participant", "rank"})
# Nouns for a body made of its members: "the migrant caravan" is the migrants, "caravan organizers" are not
_COLLECTIVE = frozenset("caravan convoy group coalition alliance crowd mob movement army militia delegation".split())
_DETERMINERS = frozenset({"the", "a", "an", "this", "that", "these", "those", "his", "her", "its", "their", "our"})


def _groups(st: _Story, leftovers: list[tuple], agents: set[str], first_id: int) -> list[StoryActor]:
    """Group actors from the recurring people nouns no named actor claimed (module docstring)."""
    by_key: dict[str, list[tuple]] = defaultdict(list)
    modifiers: dict[str, set[str]] = defaultdict(set)
    for k, a, b, head in leftovers:
        doc = st.docs[k]
        # "44 civilians" counts people; it does not name a group
        if any(t.like_num or t.dep_ == "nummod" for t in doc[a:b]):
            continue
        key = _lemma(head)
        owner = next((c for c in head.children if c.dep_ == "poss" and c.pos_ == "NOUN"), None)
        if key in _MEMBER_NOUNS and owner is not None:
            key = _lemma(owner)          # "the caravan's members" are the caravan
        elif not (_people_noun(head, agents) and head.tag_ in ("NNS", "NN")) or (
                head.tag_ == "NN" and key not in _PEOPLE_NOUNS):
            continue
        by_key[key].append((k, a, b))
        modifiers[key] |= {_lemma(t) for t in head.children if t.dep_ in ("compound", "amod") and t.pos_ == "NOUN"}
    # "the migrant caravan" ties the caravan to "the migrants" when it is never anybody else's;
    # "rebel groups" and "opposition groups" tie "groups" to nothing
    parent = {key: key for key in by_key}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x
    for key, mods in modifiers.items():
        if key not in _COLLECTIVE:
            continue
        linked = [m for m in mods if m in by_key and m != key]
        if len(linked) == 1:
            parent[find(key)] = find(linked[0])
    merged: dict[str, list[tuple]] = defaultdict(list)
    for key, spots in by_key.items():
        merged[find(key)] += spots
    out = []
    n = first_id
    for spots in sorted(merged.values(), key=lambda v: (-len(v), v[0])):
        if len(spots) < 3 and len({k for k, _, _ in spots}) < 2:
            continue
        n += 1
        actor_id = f"a{n}"
        for k, a, b in sorted(spots):
            st.add(k, actor_id, a, b, "group")
        forms = Counter(_clean(r.text) for r in st.refs[actor_id])
        bare = Counter({" ".join(w for w in f.split() if w.lower() not in _DETERMINERS): c for f, c in forms.items()})
        out.append(StoryActor(actor_id, bare.most_common(1)[0][0] or forms.most_common(1)[0][0], "group",
                              list(forms)))
    return out


def _polarity(st: _Story, ref: ActorReference, k: int) -> float | None:
    from .loaded import load_lexicon
    from .tone import _VADER_SKIP, vader_lexicon

    if ref.kind == "name":
        return None
    lex = load_lexicon()
    vader = vader_lexicon()
    doc = st.docs[k]
    span = doc.char_span(ref.start, ref.end, alignment_mode="expand")
    if span is None:
        return None
    values = []
    for t in span:
        m = st.mention_at[k].get(t.i)
        # a name carries no judgement ("Human Rights Watch"); a group word does ("jihadist")
        if (m is not None and m.label != "NORP") or not t.is_alpha:
            continue
        word = t.lower_
        if word in lex.forms:
            e = lex.forms[word]
            if e.polarity:
                values.append(e.polarity * e.weight)
                continue
        v = 0.0 if word in _VADER_SKIP else vader.lexicon.get(word, 0.0)
        if v:
            values.append(max(-1.0, min(1.0, v / 4.0)) * 0.5)
    if not values:
        return None
    return round(max(-1.0, min(1.0, sum(values))), 3)


# Parses of the default pipeline by text: a story judged again after one article joins parses only
# that one. Kept without their tensors (unused here): 50 long articles (74k tokens) hold 14 MB so,
# 41 MB with them.
_PARSES: Memo = Memo(128)


def _parse(texts: list[str]) -> list:
    from ..nlp.model import load_pipeline

    keys = [digest(t) for t in texts]
    docs = [_PARSES.get(k) for k in keys]
    todo = [k for k, doc in enumerate(docs) if doc is None]
    if todo:
        # Names come from the stored reading; the parse is wanted for roles and modifiers only.
        fresh = load_pipeline(with_parser=True).pipe((texts[k] for k in todo), disable=["ner"])
        for k, doc in zip(todo, fresh):
            doc.tensor = numpy.zeros((0, 0), dtype="float32")
            docs[k] = doc
            _PARSES.put(keys[k], doc)
    return docs


def story_actors(items: Iterable[LabelInput], *, nlp=None) -> list[StoryActor]:
    """The actors of one story with every reference each article makes to them (module docstring)."""
    from ..nlp.aliases import resolve_actors

    items = list(items)
    analyses = [_analysis(i.analysis, i.article_id) for i in items]
    groups = [[replace(m, actor=None) for m in a.mentions if m.label != "EVENT"] for a in analyses]
    actors = resolve_actors(groups, [i.text for i in items])
    texts = [i.text for i in items]
    docs = _parse(texts) if nlp is None else list(nlp.pipe(texts, disable=["ner"]))
    st = _Story(items, actors, groups, docs)
    for k in range(len(items)):
        _name_references(st, k)
    agents = {_lemma(t) for doc in docs for t in doc if t.dep_ in ("nsubj", "nsubjpass") and t.pos_ == "NOUN"}
    leftovers = []
    for k in range(len(items)):
        aid = items[k].article_id
        named = sorted((r.start, actor) for actor, refs in st.refs.items() for r in refs if r.article_id == aid)
        leftovers += _descriptive_references(st, k, named)
    result = [StoryActor(a.id, a.name, a.type, a.aliases) for a in actors if st.refs.get(a.id)]
    result += _groups(st, leftovers, agents, len(actors))
    index = {it.article_id: k for k, it in enumerate(items)}
    for actor in result:
        refs = sorted(st.refs[actor.id], key=lambda r: (index[r.article_id], r.start))
        for r in refs:
            r.polarity = _polarity(st, r, index[r.article_id])
        actor.references = refs
    return result
