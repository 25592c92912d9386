"""One parsed sentence → its clause units, from spaCy's dependency arcs.

Each unit owns a set of tokens (no token belongs to two units), so the slots found in the article
(dates, numbers, places, actors) go to exactly one claim. Splits:

* ``coordinated``: a verb conjoined to the clause's verb with a subject of its own
  ("X captured A and Y shelled B");
* ``shared_subject``: a conjoined verb without one, which takes the first verb's subject
  ("rebels seized villages and advanced on the city");
* ``reported``: the complement of a reporting verb ("X said that Y happened" → "Y happened"); the
  reporting frame ("X said", "according to X", "..., Anadolu reported") is owned by no claim;
* ``relative``: a relative or participial clause that carries a date, number or place
  ("Aleppo, which the opposition lost in 2016, ..."), whose subject or object is its antecedent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..nlp.attribution import SPEECH_VERBS
from .lemmas import lemma

__all__ = ["Clause", "split_sentence", "phrase", "is_reporting", "is_bare_report", "REPORT_LEMMAS"]

REPORT_LEMMAS = {
    "say", "tell", "report", "state", "claim", "announce", "add", "note", "write", "explain", "confirm",
    "deny", "warn", "insist", "argue", "declare", "reveal", "estimate", "allege", "tweet", "acknowledge",
    "admit", "assert", "stress", "emphasise", "emphasize", "observe", "suggest", "predict", "maintain",
    "contend", "recount", "recall", "indicate", "reply", "mention", "remark", "believe", "think", "fear",
    "find", "conclude", "show", "know", "understand", "testify", "charge", "complain", "caution",
}
# Their complements are questions, not statements.
_ASKING = {"ask", "wonder", "question", "inquire", "enquire", "query"}
# The source asserts the opposite of the complement.
_DENYING = {"deny", "reject", "dismiss", "refute", "dispute"}
# "managed to capture", "is expected to provide": the claim is about the complement verb.
_CONTROL = {"manage", "begin", "start", "continue", "try", "attempt", "seek", "appear", "seem", "plan",
            "intend", "want", "decide", "agree", "vow", "threaten", "aim", "expect", "hope", "promise",
            "pledge", "fail", "go", "say", "believe", "think", "report", "allege", "understand",
            "rumour", "rumor", "set", "poise", "schedule", "find", "show", "know", "estimate",
            "consider", "see"}
_FAILING = {"fail"}
# Control verbs whose "to" infinitive is their complement even when set off by a phrase.
_COMMITTING = {"agree", "decide", "plan", "intend", "want", "vow", "threaten", "aim", "hope", "promise",
               "pledge", "try", "attempt", "seek", "manage", "fail"}
_SUBJECTS = {"nsubj", "nsubjpass", "csubj", "csubjpass", "expl"}
# Punctuation that lives inside a phrase: hyphens and quotation marks ('“high” rates').
_KEPT_PUNCT = {"HYPH", "``", "''"}
_PHRASE_CUTS = {"relcl", "acl", "appos", "parataxis", "advcl", "punct"}
_DISCOURSE = {"however", "meanwhile", "instead", "moreover", "furthermore", "also", "still", "yet",
              "but", "and", "so", "then", "thus", "nevertheless", "nonetheless", "besides", "indeed"}
_LEADING_MARKS = {"that", "whether", "if"}
_TIME_NOUNS = {"week", "weeks", "month", "months", "year", "years", "day", "days", "period", "quarter",
               "time", "times", "hour", "hours", "season", "decade", "weekend", "date", "morning",
               "afternoon", "evening", "night", "term", "half"}
_RELATIVE_WORDS = {"which", "who", "whom", "that", "whose", "where", "when"}
_CLAUSE_TAGS = {"VBD", "VBZ", "VBP", "VBN", "VBG", "VB", "MD"}
# A slot below one of these belongs to a phrase nested in the clause, not to the clause.
_NESTED = {"appos", "relcl", "acl", "advcl", "parataxis", "ccomp"}


@dataclass
class Clause:
    head: Any                          # the token the clause hangs from
    verb: Any                          # the content verb: the head, or its complement after "managed to"
    tokens: list = field(default_factory=list)   # owned tokens in text order, edges trimmed
    split: str = "main"
    subject: list = field(default_factory=list)  # tokens of the semantic subject (may lie outside ``tokens``)
    object: list = field(default_factory=list)
    negated: bool = False
    passive: bool = False
    frame: Any = None                  # the reporting verb whose content this is
    frame_subject: list = field(default_factory=list)
    frame_negated: bool = False        # "did not confirm that ...": the content is not asserted


def _verbal(tok) -> bool:
    return tok.pos_ in ("VERB", "AUX") and tok.tag_ in _CLAUSE_TAGS


def _finite_aux(tok) -> bool:
    """A base-form verb made finite by its auxiliary ("which did not send", "who will face"),
    unlike the infinitive of "a plan to send"."""
    return any(k.dep_ in ("aux", "auxpass") and k.tag_ in ("VBD", "VBZ", "VBP", "MD") for k in tok.children)


def is_reporting(tok) -> bool:
    return tok.lower_ in SPEECH_VERBS or lemma(tok) in REPORT_LEMMAS or lemma(tok) in _ASKING


def _content_of(tok) -> list:
    return [c for c in tok.children if c.dep_ == "ccomp" and _verbal(c)]


def _is_frame(tok) -> bool:
    """A reporting verb whose complement clause is what is reported."""
    return is_reporting(tok) and bool(_content_of(tok))


def is_bare_report(tok) -> bool:
    """'..., officials said' hung below the clause it reports: a speaker and a verb, nothing more."""
    if not is_reporting(tok) or not any(c.dep_ in _SUBJECTS for c in tok.children):
        return False
    return not any(c.dep_ in ("dobj", "ccomp", "xcomp", "attr") for c in tok.children)


def _source_phrase(tok) -> bool:
    """'according to X', 'per X', 'citing X': attribution, not content."""
    low = tok.lower_
    if low == "according" and any(c.lower_ == "to" for c in tok.children):
        return True
    return (low == "per" and tok.dep_ == "prep") or (low in ("citing", "quoting") and tok.dep_ in ("advcl", "prep"))


def _negated(tok) -> bool:
    # "never" and "no longer" deny the verb as "not" does; the parser sometimes hangs "not" from
    # the auxiliary instead ("was not then issued": not → was)
    return any(c.dep_ == "neg" or (c.dep_ == "advmod" and (c.lower_ == "never" or (
        c.lower_ == "longer" and any(g.lower_ == "no" for g in c.children))))
        or (c.dep_ in ("aux", "auxpass") and any(g.dep_ == "neg" for g in c.children)) for c in tok.children)


def _subtree_ids(tok) -> set[int]:
    return {t.i for t in tok.subtree}


def _close_name(head, d) -> bool:
    """A proper name set right after its noun, no comma between ("the ransomware group REvil")."""
    return d.dep_ == "appos" and d.head.i == head.i and d.left_edge.i == head.i + 1 and d.pos_ == "PROPN"


def phrase(tok, cut: set[int] | None = None) -> list:
    """The noun phrase around ``tok``: its subtree less clauses and appositions, the contiguous
    run that holds ``tok`` ("the militants, led by HTS, a jihadist alliance" → "the militants").
    A name in close apposition stays: "the ransomware group REvil" is REvil."""
    drop = set(cut or ())
    for d in tok.subtree:
        if d.i != tok.i and d.dep_ in _PHRASE_CUTS and d.tag_ not in _KEPT_PUNCT \
                and not _close_name(tok, d):   # "Turkish-backed" stays whole
            drop |= _subtree_ids(d)
    keep = {t.i for t in tok.subtree} - drop
    doc = tok.doc
    lo = hi = tok.i
    while lo - 1 in keep:
        lo -= 1
    while hi + 1 in keep:
        hi += 1
    toks = [doc[i] for i in range(lo, hi + 1)]
    while toks and toks[0].i != tok.i and (toks[0].is_punct or toks[0].is_space or (
            toks[0].dep_ in ("advmod", "cc", "preconj") and toks[0].head.i == tok.i)):
        toks.pop(0)   # "notably Hezbollah" → "Hezbollah"
    while toks and (toks[-1].is_punct or toks[-1].is_space) and toks[-1].i != tok.i:
        toks.pop()
    if toks and _unbalanced(toks):   # 'a “premature push”': keep the closing mark
        nxt = toks[-1].i + 1
        if nxt < len(doc) and doc[nxt].text in _CLOSING:
            toks.append(doc[nxt])
    return toks


def _infinitive(tok) -> bool:
    return tok.tag_ == "VB" and any(k.dep_ == "aux" and k.lower_ == "to" for k in tok.children) \
        and not any(k.dep_ == "mark" for k in tok.children)


def _descend(head):
    """The content verb: "have managed to capture" → capture, "is said to have killed" → killed."""
    verb = head
    chain = [head]
    for _ in range(4):
        if lemma(verb) not in _CONTROL:
            break
        nxt = [c for c in verb.children if c.dep_ == "xcomp" and _verbal(c)]
        if not nxt and lemma(verb) in _COMMITTING:
            # "did not agree on Friday to reopen": once negated, the parser often hangs the
            # infinitive as a purpose clause; after these verbs it is still what is agreed to
            nxt = [c for c in verb.children if c.dep_ == "advcl" and _infinitive(c)]
        if not nxt:
            break
        verb = nxt[0]
        chain.append(verb)
    return verb, chain


def _unmarked_clause(tok) -> bool:
    """A finite clause with its own subject hung on a verb with nothing to subordinate it ("with
    reports the 2-year-old did not shoot herself", parsed as a bare adverbial clause): a statement
    of its own, as a conjunct would be. "when", "if", "because" and the like keep it inside."""
    if not _verbal(tok) or not any(k.dep_ in ("nsubj", "nsubjpass") for k in tok.children):
        return False
    if any(k.dep_ == "mark" or k.tag_ in ("WRB", "WDT", "WP") for k in tok.children):
        return False
    return tok.tag_ in ("VBD", "VBZ", "VBP") or _finite_aux(tok)


def _attaches_here(first, conj) -> bool:
    """Whether a conjoined verb belongs to ``first``. Without a subject of its own, a verb that
    follows another clause with a subject ("... in which supporters overwhelmed police and stormed
    the building") is as likely that clause's conjunct, a common parser slip: not split then."""
    if any(k.dep_ in _SUBJECTS for k in conj.children):
        return True
    doc = first.doc
    for k in range(first.i + 1, conj.i):
        t = doc[k]
        if t.pos_ in ("VERB", "AUX") and t.dep_ in ("relcl", "advcl", "ccomp", "acl", "pcomp") and any(
                g.dep_ in ("nsubj", "nsubjpass") for g in t.children):
            return False
        if t.tag_ in ("VBD", "VBZ", "VBP") and t.dep_ not in ("aux", "auxpass", "ROOT"):
            return False   # a finite verb the parser mislabelled ("easily overwhelmed" as an adjective)
    return True


def _object(verb, dates: set[int]) -> list:
    kids = list(verb.children)
    for deps in (("dobj",), ("dative",), ("attr", "acomp", "oprd")):
        for c in kids:
            if c.dep_ in deps:
                obj = phrase(c)
                after = obj[-1].i + 1
                of = [k for k in kids if k.dep_ == "prep" and k.lower_ == "of" and k.i == after]
                if of:   # the parser hangs "of ..." on the verb: "taken control | of much of Aleppo"
                    obj += phrase(of[0])
                return _drop_time(obj, dates)
    for c in kids:
        if c.dep_ == "prep" and c.i > verb.i and not _source_phrase(c):
            pobj = [g for g in c.children if g.dep_ == "pobj"]
            if pobj and not (_subtree_ids(pobj[0]) & dates) and pobj[0].lower_ not in _TIME_NOUNS:
                # "in 2011", "in the second quarter" say when, not what
                return [c] + phrase(pobj[0])
    return []


_OPENING = {'"', "“", "``"}
_CLOSING = {'"', "”", "''"}


def _unbalanced(toks: list) -> bool:
    straight = sum(t.text == '"' for t in toks)
    return straight % 2 == 1 or sum(t.text == "“" for t in toks) != sum(t.text == "”" for t in toks)


def _drop_time(obj: list, dates: set[int]) -> list:
    """'its mask guidance on Tuesday' → 'its mask guidance': a date says when, not what."""
    cut = len(obj)
    while cut > 1 and (obj[cut - 1].i in dates or obj[cut - 1].is_space):
        cut -= 1
    if cut < len(obj):
        while cut > 1 and obj[cut - 1].dep_ in ("prep", "punct", "det"):
            cut -= 1
    return obj[:cut]


def _trim(tokens: list, head) -> list:
    full = sorted(tokens, key=lambda t: t.i)
    toks = _trim_edges(full, head)
    if toks and _unbalanced(toks):
        # trimming cut a quotation mark that pairs with one inside: 'is "flagrant racism."'
        at = {t.i: k for k, t in enumerate(full)}
        k_last, k_first = at[toks[-1].i], at[toks[0].i]
        tail = []
        for t in full[k_last + 1:k_last + 4]:
            if not (t.is_punct or t.is_space):
                break
            tail.append(t)
            if t.text in _CLOSING:
                toks = toks + tail
                break
        else:
            if k_first > 0 and full[k_first - 1].text in _OPENING:
                toks = [full[k_first - 1]] + toks
    return toks


def _trim_edges(toks: list, head) -> list:
    toks = list(toks)
    changed = True
    while toks and changed:
        first = toks[0]
        changed = (first.is_punct or first.is_space or first.dep_ in ("cc", "preconj") or
                   # the clause's own complementizer, not the "if" of a conditional inside it
                   (first.dep_ == "mark" and first.lower_ in _LEADING_MARKS and first.head.i == head.i) or
                   (first.lower_ in _DISCOURSE and first.dep_ in ("advmod", "cc")))
        if changed:
            toks.pop(0)
    while toks and (toks[-1].is_punct or toks[-1].is_space or toks[-1].dep_ in ("cc", "preconj")):
        toks.pop()
    return toks


class _Splitter:
    def __init__(self, anchors: set[int], dates: set[int]):
        self.anchors = anchors     # token indices where a date, number or place starts
        self.dates = dates         # token indices inside dates
        self.out: list[Clause] = []

    def separate(self, tok) -> bool:
        """A relative clause that states a fact of its own: it has a date, number or place, some
        length, and its antecedent is not a stretch of time ("the week ended July 10")."""
        if tok.head.lower_ in _TIME_NOUNS or sum(not t.is_punct for t in tok.subtree) < 3:
            return False
        return self.carries(tok)

    def carries(self, tok) -> bool:
        # what a relative clause reports ("workers, all of whom said that four bombs were
        # dropped") is its own content, not a phrase nested in it
        report = _is_frame(tok)
        for k in _subtree_ids(tok) & self.anchors:
            t = tok.doc[k]
            while t.i != tok.i and (t.dep_ not in _NESTED or (report and t.dep_ == "ccomp" and t.head.i == tok.i)):
                t = t.head
            if t.i == tok.i:
                return True
        return False

    def visit(self, head, split: str = "main", inherited: Any = None, frame: Any = None,
              frame_subject: list | None = None, frame_neg: bool = False, denied: bool = False,
              antecedent: Any = None) -> None:
        if not _verbal(head):
            return
        if _is_frame(head):
            self.visit_frame(head, split, inherited, frame, frame_subject, frame_neg, denied)
            return
        verb, chain = _descend(head)
        on_chain = {t.i for t in chain}
        owned: list = []
        splits: list = []
        paratactic = None
        stack = [head]
        while stack:
            t = stack.pop()
            owned.append(t)
            split_conj = {c.i for c in t.children if t.i in on_chain and c.dep_ == "conj" and _verbal(c)
                          and _attaches_here(t, c)}
            verbal_conj = bool(split_conj)
            for c in t.children:
                if c.i in split_conj:
                    splits.append((c, "conj"))
                elif verbal_conj and c.dep_ in ("cc", "preconj"):
                    continue
                elif t.i in on_chain and c.dep_ == "advcl" and _unmarked_clause(c):
                    splits.append((c, "conj"))
                elif c.dep_ in ("relcl", "acl") and _verbal(c) and (c.tag_ != "VB" or _finite_aux(c)) \
                        and self.separate(c):
                    splits.append((c, "relative"))
                elif t.i == head.i and c.dep_ in ("parataxis", "ccomp", "advcl") and is_bare_report(c):
                    paratactic = c
                elif t.i == head.i and _source_phrase(c):
                    continue
                else:
                    stack.append(c)
        clause = Clause(head=head, verb=verb, tokens=_trim(owned, head), split=split,
                        negated=any(_negated(t) for t in chain) != denied or
                        any(lemma(t) in _FAILING for t in chain[:-1]),
                        frame=frame, frame_subject=list(frame_subject or []), frame_negated=frame_neg)
        if paratactic is not None and frame is None:
            clause.frame = paratactic
            clause.frame_subject = self.subject_of(paratactic)
        self.fill_roles(clause, inherited, antecedent)
        self.out.append(clause)
        for c, kind in splits:
            if kind == "relative":
                self.visit(c, "relative", antecedent=c.head)
                continue
            own = any(k.dep_ in _SUBJECTS for k in c.children)
            self.visit(c, "coordinated" if own else "shared_subject",
                       inherited=None if own else (clause.subject, clause.object, clause.passive, head),
                       frame=clause.frame, frame_subject=clause.frame_subject, frame_neg=frame_neg, denied=denied)

    def visit_frame(self, head, split, inherited, frame, frame_subject, frame_neg, denied) -> None:
        asking = lemma(head) in _ASKING
        subject = self.subject_of(head)
        neg = _negated(head)
        if not asking:
            for c in _content_of(head):
                self.visit(c, "reported", frame=head, frame_subject=subject,
                           frame_neg=neg and lemma(head) not in _DENYING,
                           denied=lemma(head) in _DENYING and not neg)
        for c in head.children:
            if c.dep_ == "conj" and _verbal(c):
                own = any(k.dep_ in _SUBJECTS for k in c.children)
                self.visit(c, "coordinated" if own else "shared_subject",
                           inherited=None if own else (subject, [], False, head),
                           frame=frame, frame_subject=frame_subject, frame_neg=frame_neg, denied=denied)

    @staticmethod
    def subject_of(verb) -> list:
        for c in verb.children:
            if c.dep_ in ("nsubj", "csubj") or (c.dep_ == "nsubjpass" and not any(
                    k.dep_ == "agent" for k in verb.children)):
                return phrase(c)
        for c in verb.children:
            if c.dep_ == "agent":
                pobj = [g for g in c.children if g.dep_ == "pobj"]
                if pobj:
                    return phrase(pobj[0])
        return []

    def fill_roles(self, clause: Clause, inherited, antecedent) -> None:
        head, verb = clause.head, clause.verb
        subj = next((c for c in head.children if c.dep_ in _SUBJECTS), None)
        if subj is None and verb.i != head.i:
            subj = next((c for c in verb.children if c.dep_ in _SUBJECTS), None)
        if subj is None:
            # the parser sometimes hangs the subject on an auxiliary: "The lanes were(→lanes) not closed"
            subj = next((g for a in verb.children if a.dep_ in ("aux", "auxpass") and a.i < verb.i
                         for g in a.children if g.dep_ in _SUBJECTS), None)
        clause.passive = any(c.dep_ == "auxpass" for c in verb.children) or (
            verb.i == head.i and subj is not None and subj.dep_ in ("nsubjpass", "csubjpass"))
        agent = next((g for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"), None)
        relative = subj is not None and subj.lower_ in _RELATIVE_WORDS and subj.tag_ in ("WDT", "WP", "IN")
        if antecedent is not None:
            ante = phrase(antecedent, cut=_subtree_ids(head))
            participle = head.dep_ == "acl" and subj is None
            if participle:
                clause.passive = head.tag_ == "VBN"
            if clause.passive and (relative or participle):
                clause.object = ante
                clause.subject = phrase(agent) if agent is not None else []
                return
            if relative or (participle and head.tag_ == "VBG"):
                clause.subject = ante
                clause.object = self.object_of(verb, ante)
                return
            own_subject = phrase(subj) if subj is not None and subj.dep_ != "expl" else []
            if clause.passive:
                clause.object = own_subject
                clause.subject = phrase(agent) if agent is not None else []
                return
            clause.subject = own_subject
            clause.object = self.object_of(verb, ante)
            circumstance = any(c.lower_ in ("where", "when", "why") for c in verb.children)
            if not clause.object and not circumstance:
                clause.object = ante   # "the city (that) the rebels took"
            return
        if subj is None and inherited is not None:
            inh_subject, inh_object, inh_passive, _ = inherited
            surface = inh_object if inh_passive else inh_subject   # the first verb's grammatical subject
            bare_participle = verb.tag_ == "VBN" and not any(c.dep_ in ("aux", "auxpass") for c in verb.children)
            if clause.passive or (inh_passive and bare_participle):   # "... and were taken to Fort Lee"
                clause.passive = True
                clause.object = surface
                clause.subject = phrase(agent) if agent is not None else []
                return
            clause.subject = surface
            clause.object = self.object_of(verb, None)
            return
        if clause.passive:
            clause.object = phrase(subj) if subj is not None else []
            clause.subject = phrase(agent) if agent is not None else []
            return
        clause.subject = phrase(subj) if subj is not None and subj.dep_ != "expl" else []
        clause.object = self.object_of(verb, None)

    def object_of(self, verb, antecedent) -> list:
        obj = _object(verb, self.dates)
        if antecedent and len(obj) == 1 and obj[0].lower_ in _RELATIVE_WORDS:
            return antecedent
        return obj


def split_sentence(doc, anchors: set[int] | None = None, dates: set[int] | None = None) -> list[Clause]:
    """Clause units of a parsed sentence (a Doc or Span), in text order of their first token.

    ``anchors`` are token indices where a date, number or place mention starts: a relative clause
    is split off only when it holds one. ``dates`` are the token indices inside date expressions
    (a prepositional phrase of time is not an object).
    """
    splitter = _Splitter(set(anchors or ()), set(dates or ()))
    for sent in doc.sents:
        splitter.visit(sent.root)
    return sorted((c for c in splitter.out if c.tokens), key=lambda c: c.tokens[0].i)
