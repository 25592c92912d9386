"""Three writer processes on one store at once, on PostgreSQL and on SQLite.

Each writer ingests its own files and files shared with the others (exact copies under other outlets,
syndicated near-copies, a broken line) in small batches, two of them placing articles into stories
between files, all starting together at a barrier on a store nobody has opened yet (so the
migrations race too). Afterwards every article must be stored exactly once, every origin and
rejection exactly once, every article in exactly one story, and no writer may have seen an error.
"""

from __future__ import annotations

import json
import logging
import multiprocessing as mp
import os
import queue as queue_module
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import func, select

from rashomon.storage import Store, schema

from .wordvectors import WordHashEncoder

WRITERS = 3
ROUNDS = int(os.environ.get("RASHOMON_CONCURRENCY_ROUNDS", "4"))   # per backend, slow test
BATCH = 3

VOCAB = """
about above across action activity actor added address affect after again against agency agreement
aid air airport almost alone along already also although always among amount analysis ancient animal
annual another answer anyone appear apply approach area argue army around arrive article artist
attack attempt attention author average avoid away baby back bad bag ball bank bar base basin battle
bear beat beautiful become bed before begin behind believe benefit best better between beyond bill
billion bird black blood blue board boat body book border born both box boy bridge brother budget
build building business buy call camera campaign capital car card care career carry case cash catch
cause cell center central century chair chance change channel charge check chief child choice church
citizen city civil claim class clear close club coach coast cold collect college color come commercial
common community company compare computer concern condition conference congress consider contain
continue control cost council country county couple course court cover create crime crisis cultural
current customer cut damage dark data daughter day dead deal death debate decade decide deep defense
degree democrat describe design detail develop device difference dinner direction director discover
disease doctor document dog door down draw dream drive drop drug during early east economy edge
education effect effort eight election else employee energy engine enjoy enough enter entire
environment equal escape evening event evidence exactly example expert explain factory faith family
farm father fear federal feeling field fight figure film final finance finger fire firm fish floor
flower fly focus follow food foot force foreign forest forget form former forward free friend front
fruit fuel fund future game garden gas general girl glass goal gold government green ground group
grow growth guard guess gun hair half hall hand harbor head health heart heat heavy help high hill
history hold home hope hospital hotel hour house huge human hundred husband idea image impact income
industry island issue item job join journey judge jury justice key kid kitchen knee knowledge labor
lake land language large late law lawyer lead leader learn leave left legal letter level library
light line list little local long machine magazine main major manager market material matter mayor
""".split()


@dataclass
class Corpus:
    files: list[list[Path]]                    # per writer, in the order it ingests them
    texts: set[str] = field(default_factory=set)
    origins: int = 0
    rejections: int = 0
    copies: list[tuple[str, str]] = field(default_factory=list)   # (original text, near-copy text)


def _text(rng: np.random.Generator, n: int = 90) -> str:
    words = list(rng.choice(VOCAB, n))
    sentences = [" ".join(words[i:i + 15]).capitalize() + "." for i in range(0, n, 15)]
    return " ".join(sentences)


def _near_copy(text: str, rng: np.random.Generator) -> str:
    """What a copy desk leaves of a wire story: two words swapped for others and a line added."""
    words = text.split()
    for i in rng.choice(len(words), 2, replace=False):
        words[i] = "reportedly" + ("." if words[i].endswith(".") else "")
    return " ".join(words) + " The agency contributed to this report."


def _corpus(folder: Path, seed: int) -> Corpus:
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    corpus = Corpus(files=[[] for _ in range(WRITERS)])
    day = iter(range(1, 29))

    def record(text: str, outlet: str) -> dict:
        corpus.texts.add(text)
        corpus.origins += 1
        return {"title": " ".join(text.split()[:6]).title(), "text": text, "outlet": outlet,
                "date": f"2024-03-{next(day, 28):02d}"}

    def write(name: str, records: list, broken: bool = False) -> Path:
        path = folder / name
        lines = [json.dumps(r) for r in records] + (["{this line is not JSON"] if broken else [])
        corpus.rejections += broken
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path

    shared_texts = [[_text(rng) for _ in range(4)] for _ in range(3)]
    shared = [write(f"shared{k}.jsonl", [record(t, "Wire Service") for t in texts], broken=(k == 1))
              for k, texts in enumerate(shared_texts)]
    for w in range(WRITERS):
        own = []
        for k in range(3):
            texts = [_text(rng) for _ in range(3)]
            copy = _near_copy(shared_texts[k][w], rng)        # syndicated: written while the original is
            corpus.copies.append((shared_texts[k][w], copy))
            texts.append(copy)
            texts.append(shared_texts[(k + 1) % 3][w])        # the same story under another outlet
            own.append(write(f"writer{w}-{k}.jsonl", [record(t, f"Outlet {w}") for t in texts]))
        corpus.files[w] = [f for pair in zip(shared, own) for f in pair]
    # Every writer starts with a burst: its own new stories interleaved with near-copies of the next
    # writer's, so an original and its copy are in flight in two writers' first batches at once.
    burst = [[_text(rng) for _ in range(4)] for _ in range(WRITERS)]
    for w in range(WRITERS):
        records = []
        for mine, theirs in zip(burst[w], burst[(w + 1) % WRITERS]):
            copy = _near_copy(theirs, rng)
            corpus.copies.append((theirs, copy))
            records += [record(copy, f"Outlet {w}"), record(mine, f"Outlet {w}")]
        corpus.files[w].insert(0, write(f"burst{w}.jsonl", records))
    return corpus


def _writer(index: int, urls: list[str], files: list[list[Path]], update: bool, barrier, results) -> None:
    """One writer process: for each round's store, ingest its files, placing stories between them."""
    import rashomon
    from rashomon.stories import update_stories

    retries = _RetryCounter()
    logging.getLogger("rashomon.storage.retry").addHandler(retries)
    logging.getLogger("rashomon.storage.retry").setLevel(logging.INFO)
    for round_no, url in enumerate(urls):
        new, error = 0, None
        try:
            barrier.wait(timeout=120)
            start = time.perf_counter()
            for path in files[round_no]:
                new += rashomon.ingest([path], db=url, batch_size=BATCH).new
                if update:
                    with rashomon.open_store(url) as store:
                        update_stories(store, encoder=WordHashEncoder())
            seconds = time.perf_counter() - start
        except BaseException:  # noqa: BLE001 - reported to the test, which fails on it
            error, seconds = traceback.format_exc(), 0.0
        results.put({"writer": index, "round": round_no, "new": new, "seconds": seconds, "error": error,
                     "retries": retries.count})
        retries.count = 0


class _RetryCounter(logging.Handler):
    def __init__(self):
        super().__init__()
        self.count = 0

    def emit(self, record):
        self.count += 1


def _run_writers(urls: list[str], corpora: list[Corpus]) -> list[dict]:
    ctx = mp.get_context("spawn")
    barrier, results = ctx.Barrier(WRITERS), ctx.Queue()
    procs = [ctx.Process(target=_writer, args=(w, urls, [c.files[w] for c in corpora], w < 2, barrier, results))
             for w in range(WRITERS)]
    for p in procs:
        p.start()
    out = []
    try:
        for _ in range(WRITERS * len(urls)):
            out.append(results.get(timeout=240))
    except queue_module.Empty:
        pytest.fail(f"writers did not finish; got {out}")
    finally:
        for p in procs:
            p.join(timeout=30)
            if p.is_alive():
                p.kill()
    return out


def _check_store(url: str, corpus: Corpus, reports: list[dict]) -> dict:
    from rashomon.stories import update_stories

    errors = [r["error"] for r in reports if r["error"]]
    assert not errors, "a writer failed:\n" + "\n".join(errors)
    with Store(url) as store:
        update_stories(store, encoder=WordHashEncoder())   # articles that arrived after the last update
        a, o, r, m, s = (schema.articles, schema.origins, schema.rejections, schema.story_members,
                         schema.stories)
        with store.begin() as conn:
            def count(table):
                return conn.execute(select(func.count()).select_from(table)).scalar_one()
            counts = {"articles": count(a), "origins": count(o), "rejections": count(r),
                      "members": count(m), "stories": count(s)}
            texts = conn.execute(select(a.c.text)).scalars().all()
            unplaced = conn.execute(select(func.count()).select_from(a).where(
                ~a.c.id.in_(select(m.c.article_id)))).scalar_one()
            sizes = dict(conn.execute(select(s.c.id, s.c.size)).all())
            held = dict(conn.execute(select(m.c.story_id, func.count()).group_by(m.c.story_id)).all())
            groups = dict(conn.execute(select(a.c.text, a.c.syndication_group)).all())
    assert sorted(texts) == sorted(corpus.texts)                     # each distinct text stored once
    assert counts["articles"] == len(corpus.texts)
    assert counts["origins"] == corpus.origins                       # each (input, locator) once
    assert counts["rejections"] == corpus.rejections
    assert sum(x["new"] for x in reports) == len(corpus.texts)        # exactly one writer stored each
    assert unplaced == 0 and counts["members"] == counts["articles"]  # each article in one story
    assert sizes == held and sum(sizes.values()) == counts["articles"]
    # Syndication found across writers exactly as one writer alone finds it (LSH may miss a pair
    # either way; which pairs is a property of the texts, not of the timing).
    expected = _reference_groups(corpus)
    assert _partition(groups) == _partition(expected)
    linked = sum(1 for o, c in corpus.copies if groups[o] is not None and groups[o] == groups[c])
    assert linked >= len(corpus.copies) - 2, "the scenario should exercise syndication"
    counts["copies_linked"] = f"{linked}/{len(corpus.copies)}"
    return counts


def _partition(groups: dict[str, str | None]) -> set[frozenset[str]]:
    by_group: dict[str, set[str]] = {}
    for text, group in groups.items():
        if group is not None:
            by_group.setdefault(group, set()).add(text)
    return {frozenset(texts) for texts in by_group.values()}


def _reference_groups(corpus: Corpus) -> dict[str, str | None]:
    """text -> syndication group after one process ingests every writer's files in turn."""
    import tempfile

    import rashomon

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/reference.db"
        rashomon.ingest([f for files in corpus.files for f in files], db=url, batch_size=BATCH)
        with Store(url) as store, store.begin() as conn:
            return dict(conn.execute(select(schema.articles.c.text, schema.articles.c.syndication_group)).all())


def _pg_urls(pg_url: str, pg_server, n: int) -> list[str]:
    import psycopg

    urls = [pg_url]
    with psycopg.connect(pg_server.get_uri(), autocommit=True) as conn:
        for k in range(1, n):
            name = f"concurrent_round{k}_{os.getpid()}"
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
            urls.append("postgresql+psycopg://" + pg_server.get_uri(name).split("://", 1)[1])
    return urls


def _scenario(tmp_path: Path, pg_url: str, pg_server, rounds: int) -> None:
    """``rounds`` rounds on PostgreSQL then as many on SQLite, by the same three processes."""
    urls = _pg_urls(pg_url, pg_server, rounds) + [
        f"sqlite:///{tmp_path / f'round{n}' / 'store.db'}" for n in range(rounds)]
    corpora = [_corpus(tmp_path / f"input{n}", seed=n) for n in range(len(urls))]
    start = time.perf_counter()
    reports = _run_writers(urls, corpora)
    wall = time.perf_counter() - start
    for round_no, (url, corpus) in enumerate(zip(urls, corpora)):
        mine = [r for r in reports if r["round"] == round_no]
        counts = _check_store(url, corpus, mine)
        print(f"\n{url.split(':', 1)[0].split('+')[0]} round {round_no}: {counts}; writers' seconds "
              f"{[round(r['seconds'], 2) for r in sorted(mine, key=lambda r: r['writer'])]}; "
              f"retried transactions {sum(r['retries'] for r in mine)}")
    print(f"{len(urls)} round(s) of {WRITERS} writers in {wall:.1f} s (process start included)")


def test_three_writers_on_postgresql_and_sqlite(tmp_path, pg_url, pg_server):
    _scenario(tmp_path, pg_url, pg_server, rounds=1)


@pytest.mark.slow
def test_three_writers_many_rounds(tmp_path, pg_url, pg_server):
    _scenario(tmp_path, pg_url, pg_server, rounds=ROUNDS)
