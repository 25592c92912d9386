"""Read articles: sentences, entities and actors, dates, quantities, attributions, quotes.

Each extractor declares what it needs from the parsed Doc and what it fills in; the order below
is checked once when the module loads, so a stage added in the wrong place fails at import,
not on a user's data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable

from .model import load_pipeline
from .sentences import SentenceIndex
from .types import ArticleAnalysis

__all__ = ["read_articles", "ReadItem", "MAX_CHARS", "STEPS"]

# spaCy needs about 1 GB per 100,000 words with NER; longer texts are books, not articles.
MAX_CHARS = 1_000_000


@dataclass(frozen=True)
class ReadItem:
    id: str
    text: str
    language: str
    published: str | None = None
    published_precision: str | None = None


@dataclass(frozen=True)
class Step:
    name: str
    requires: tuple[str, ...]
    produces: tuple[str, ...]
    run: Callable[[Any, ReadItem, SentenceIndex, ArticleAnalysis], None]


def _entities(doc, item, sents, out):
    from .entities import extract_mentions

    out.mentions = extract_mentions(doc, sents)


def _actors(doc, item, sents, out):
    from .aliases import resolve_actors

    out.actors = resolve_actors([out.mentions], [item.text])


def _dates(doc, item, sents, out):
    from .dates import extract_dates

    out.dates = extract_dates(doc, item.published, item.published_precision, sents)


def _quantities(doc, item, sents, out):
    from .quantities import extract_quantities

    out.quantities = extract_quantities(doc, sents)


def _attribution(doc, item, sents, out):
    from .attribution import annotate

    out.quotes = annotate(doc, sents, out.mentions)


STEPS: tuple[Step, ...] = (
    Step("entities", ("doc.ents", "sentences"), ("mentions",), _entities),
    Step("actors", ("mentions",), ("actors", "mentions.actor"), _actors),
    Step("dates", ("doc.ents", "sentences"), ("dates",), _dates),
    Step("quantities", ("doc.ents", "doc.pos", "sentences"), ("quantities",), _quantities),
    Step("attribution", ("sentences", "mentions"), ("sentences.attribution", "sentences.hedges", "quotes"),
         _attribution),
)


def _check_order(steps: Iterable[Step]) -> None:
    available = {"doc.ents", "doc.pos", "sentences"}
    for step in steps:
        missing = [r for r in step.requires if r not in available]
        if missing:
            raise RuntimeError(f"reading step {step.name!r} needs {missing} before it runs")
        available.update(step.produces)


_check_order(STEPS)


def _skip_reason(item: ReadItem) -> str | None:
    if item.language not in ("en", "und"):
        return f"not analysed: language is {item.language}; the reading layer is English-only"
    if len(item.text) > MAX_CHARS:
        return f"not analysed: {len(item.text):,} characters, over the {MAX_CHARS:,} an article may have"
    if not item.text.strip():
        return "not analysed: no text"
    return None


def read_articles(items: Iterable[ReadItem], *, n_process: int = 1, batch_size: int = 16) -> dict[str, ArticleAnalysis]:
    """Analyse each article; articles that cannot be read get an analysis with a ``note`` saying why.

    With ``n_process > 1`` whole articles go to worker processes (parse and every extractor), so
    the extractors scale with the parser instead of queueing behind it in this process.
    """
    items = list(items)
    if n_process > 1 and len(items) > batch_size:
        return _read_parallel(items, n_process, batch_size)
    results: dict[str, ArticleAnalysis] = {}
    todo = []
    for item in items:
        reason = _skip_reason(item)
        if reason:
            results[item.id] = ArticleAnalysis(note=reason)
        else:
            todo.append(item)
    if not todo:
        return results
    nlp = load_pipeline()
    docs = nlp.pipe((i.text for i in todo), n_process=n_process, batch_size=batch_size)
    for item, doc in zip(todo, docs):
        sents = SentenceIndex(doc)
        out = ArticleAnalysis(sentences=sents.sentences)
        for step in STEPS:
            step.run(doc, item, sents, out)
        results[item.id] = out
    return results


def _read_chunk(chunk: list[ReadItem]) -> dict[str, ArticleAnalysis]:
    return read_articles(chunk, n_process=1)


def _read_parallel(items: list[ReadItem], n_process: int, batch_size: int) -> dict[str, ArticleAnalysis]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # Interleaved chunks balance long and short articles across workers.
    chunks = [items[i:i + batch_size] for i in range(0, len(items), batch_size)]
    results: dict[str, ArticleAnalysis] = {}
    load_pipeline()  # load before forking so workers share the model instead of each loading it
    context = multiprocessing.get_context("fork")  # workers inherit the loaded model pages
    with ProcessPoolExecutor(max_workers=n_process, mp_context=context) as pool:
        for part in pool.map(_read_chunk, chunks):
            results.update(part)
    return results
