"""What a date or a count inside a claim belongs to, read from the dependency parse.

A clause often holds values of more than one event: "urged Trump to cancel Monday's summit" dates
the summit, not the urging; "Three of the four soldiers killed" counts a part of a group. Two
claims disagree on a value only when the values answer the same question, so each value records
the word it hangs from (the claim's own verb, a noun, or a verb nested in the claim), how it
stands to that word, and whether it is a running total.
"""

from __future__ import annotations

from dataclasses import dataclass

from .lemmas import lemma

__all__ = ["Attachment", "attach", "predicate_chain"]

# Verb-tagged words that work as prepositions: "Nine Israelis, including three civilians".
_PREP_LIKE = {"including", "excluding", "among", "like", "plus"}
_PART_PREPS = {"including", "among", "excluding"}
# Nouns a date phrase is built on: "the end of 2009" still says when the verb happened.
_DATE_NOUNS = {"end", "beginning", "start", "middle", "turn", "eve", "course", "part", "half", "week", "weeks",
               "month", "months", "year", "years", "day", "days", "morning", "afternoon", "evening", "night",
               "weekend", "quarter", "period", "spring", "summer", "autumn", "fall", "winter", "season", "time",
               "hour", "hours", "date", "decade", "century", "early", "late"}
_CORE = {"nsubj": "subject", "csubj": "subject", "nsubjpass": "object", "csubjpass": "object",
         "dobj": "object", "attr": "object", "oprd": "object", "acomp": "object", "npadvmod": "object",
         "dative": "object", "nummod": "object", "appos": "object",
         "advmod": "object"}   # a measure of the verb ("located 34 miles west") is what it states
_ARGUMENT_DEPS = {"nsubj", "nsubjpass", "dobj", "attr", "oprd", "dative"}
_RUNNING_ADVERBS = {"altogether", "overall", "cumulatively"}
_RUNNING_NOUNS = {"total", "tally", "toll", "sum"}


@dataclass(frozen=True)
class Attachment:
    head: str | None          # lemma (lower case) of the word the value hangs from
    of_predicate: bool        # that word is the claim's verb (or the verb chain down to it)
    role: str | None          # subject | object | part ("including three civilians") | prep:<word> | a dep label
    cumulative: bool = False
    head_kind: str | None = None   # "verb" or "noun": what ``head`` is
    governor: str | None = None    # for a noun head: "<verb lemma>:<role>", the noun's place in the clause
    # for a nested verb head: it has a subject of its own, so it is another clause's act ("Smith has time,
    # as Tennant will not leave until 2009"), not a complement of the claim's ("accused of hacking in 2016")
    own_subject: bool = False


def predicate_chain(head, verb) -> set[int]:
    """Token indices from a clause's head down to its content verb ("managed to capture": both)."""
    ids = {head.i, verb.i}
    tok = verb
    for _ in range(6):
        if tok.i == head.i or tok.head.i == tok.i:
            break
        tok = tok.head
        ids.add(tok.i)
    return ids if head.i in ids else {head.i, verb.i}


def _governor(noun) -> str | None:
    """The verb a noun is an argument of, with its role there ("investigate:object")."""
    tok = noun
    for _ in range(4):
        up = tok.head
        if up.i == tok.i:
            return None
        if tok.dep_ in ("conj", "appos", "compound"):
            tok = up
            continue
        if _verbal(up):
            return f"{_word(up)}:{_role_at_verb(tok, up)}"
        if up.pos_ != "ADP" or up.lower_ == "of":
            return None
        tok = up
    return None


# Where a word the tagger calls a verb stands as a noun does ("Trump on March 23 imposed", "a Twitter
# accounts appeared"): a noun, whatever its tag.
_NOMINAL_DEPS = {"nsubj", "nsubjpass", "dobj", "pobj", "compound", "poss", "attr", "appos", "npadvmod"}


def _own_subject(verb, chain: set[int]) -> bool:
    # not a wh-word: "who left in 2009" is the act of the noun the clause hangs on, and the parser
    # reads a stray "Who" ("new to Doctor Who, having appeared") as a subject
    return verb.i not in chain and any(c.dep_ in ("nsubj", "nsubjpass", "csubj", "expl") and c.tag_ not in ("WP", "WDT")
                                       for c in verb.children)


def _verbal(tok) -> bool:
    return tok.pos_ in ("VERB", "AUX") and tok.dep_ not in _NOMINAL_DEPS


def _kind(tok) -> str:
    return "verb" if _verbal(tok) else "noun"


def _word(tok) -> str:
    """A verb's lemma; a noun in the singular by its ending (the claims parser runs no lemmatizer)."""
    if _verbal(tok):
        return lemma(tok)
    low = tok.lower_
    return low[:-1] if low.endswith("s") and not low.endswith("ss") and len(low) > 3 else low


def _role_at_verb(tok, verb) -> str:
    """How ``tok`` (a child of ``verb``) stands to it; an amount "by" is the measure ("cut by $800
    billion" as "cut $800 billion"), an "agent" the subject of a passive."""
    if tok.dep_ == "agent":
        return "subject"
    if tok.pos_ == "ADP" or tok.dep_ in ("prep", "pcomp") or tok.lower_ in _PREP_LIKE:
        return "object" if tok.lower_ == "by" else "prep:" + tok.lower_
    return _CORE.get(tok.dep_, tok.dep_)


def _running(tok, verb) -> bool:
    """A running total: "has so far lost", "in all", "to date", "bringing ... to 10". Not "since
    March": a sum paid since a year is as often told as "from 2007 to 2014"."""
    for c in verb.children:
        low = c.lower_
        if low in _RUNNING_ADVERBS and c.dep_ == "advmod":
            return True
        if low == "far" and any(g.lower_ in ("so", "thus") for g in c.children):
            return True
        if c.dep_ == "prep" and any(g.dep_ == "pobj" and (
                (low == "in" and g.lower_ in ("all", "total")) or (low == "to" and g.lower_ == "date"))
                for g in c.children):
            return True
    return _word(verb) == "bring" and tok.dep_ == "prep" and tok.lower_ == "to"


def attach(tokens: list, chain: set[int], *, is_date: bool = False) -> Attachment:
    """Where the phrase ``tokens`` (a date or a count with its noun) hangs in its clause, whose
    verb chain is ``chain``. A prepositional phrase the parser hung on an argument of the verb
    ("cancelled the meeting on Monday") is read as the verb's: that attachment is a guess of the
    parser; a possessive or compound ("Monday's summit", "the 2011 war") is not."""
    ids = {t.i for t in tokens}
    tok = next((t for t in tokens if t.head.i not in ids or t.head.i == t.i), tokens[0])
    running = any(t.lower_ in _RUNNING_NOUNS for t in tokens)
    prep = None
    measure = False
    for _ in range(16):
        up = tok.head
        if up.i == tok.i:
            return Attachment(_word(tok), tok.i in chain, "root", running, _kind(tok))
        if tok.dep_ in ("conj", "appos"):
            tok = up            # an item of a list stands where the list stands
            continue
        if tok.dep_ == "npadvmod" and up.pos_ == "ADP" and not is_date:
            # "deliberated seven hours before finding": the parser hangs the count on the
            # preposition, but it measures the verb's act as in "deliberated seven hours"
            measure, tok = True, up
            continue
        if up.lower_ in _PART_PREPS and tok.dep_ == "pobj":
            return Attachment(_word(up.head), False, "part", running, _kind(up.head))   # a part of the group
        if up.pos_ == "ADP" or up.lower_ in _PREP_LIKE or tok.dep_ == "pobj":
            prep, tok = up, up
            continue
        if _verbal(up):
            role = _CORE["npadvmod"] if measure else _role_at_verb(tok, up)
            return Attachment(_word(up), up.i in chain, role, running or _running(tok, up), "verb",
                              own_subject=_own_subject(up, chain))
        if up.pos_ in ("NOUN", "PROPN", "PRON", "NUM", "DET", "VERB", "AUX"):   # a verb here is one in name only
            low = up.lower_
            running = running or low in _RUNNING_NOUNS
            if is_date and low in _DATE_NOUNS:
                tok = up        # "the end of 2009", "Monday morning": still the date
                continue
            verb = up.head
            setting = verb.head if verb.pos_ == "ADP" and verb.lower_ != "of" and up.dep_ == "pobj" else None
            if is_date and setting is not None and _verbal(setting):
                # "during a Friday press conference", "in the 2010 election": the dated occasion is
                # the setting of the verb, so the date is the verb's
                return Attachment(_word(setting), setting.i in chain, "prep:" + verb.lower_, False, "verb",
                                  own_subject=_own_subject(setting, chain))
            if prep is not None and tok.i == prep.i and prep.lower_ != "of" and up.dep_ in _ARGUMENT_DEPS \
                    and verb.i in chain:
                return Attachment(_word(verb), True, "prep:" + prep.lower_, running or _running(tok, verb), "verb")
            if low in _RUNNING_NOUNS and prep is not None and prep.lower_ == "of":
                tok, prep = up, None   # "a total of 30 people": the total stands where the count would
                continue
            role = "prep:" + prep.lower_ if prep is not None and tok.i == prep.i else tok.dep_
            return Attachment(_word(up), False, role, running, "noun", _governor(up))
        tok = up                # an adjective or adverb inside the phrase ("21-year-old", "ago")
    return Attachment(None, True, None, running)
