"""The store, on SQLite and on a real PostgreSQL server (``store_url`` runs each test on both)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, create_engine, func, inspect, select, text

import rashomon
from rashomon.errors import StoreError
from rashomon.storage import migrations as migrations_module
from rashomon.storage import normalise_url
from rashomon.storage import schema

from .conftest import EXAMPLES, article_text

EXAMPLE_FILES = sorted(EXAMPLES.glob("*.txt"))


# -- helpers ------------------------------------------------------------------------------
def write_article(path: Path, body: str, *, source: str | None = None, title: str | None = None) -> Path:
    """A .txt article, with outlet and headline in YAML front matter when given."""
    path.parent.mkdir(parents=True, exist_ok=True)
    meta = [f"{k}: {v!r}" for k, v in (("source", source), ("title", title)) if v is not None]
    path.write_text(("---\n" + "\n".join(meta) + "\n---\n" if meta else "") + body + "\n", encoding="utf-8")
    return path


def example_body(n: int) -> str:
    """One of the real seed articles, as a single paragraph (no headline line to split off)."""
    return " ".join(EXAMPLE_FILES[n].read_text(encoding="utf-8").split())


def edited_copy(body: str) -> str:
    """A wire copy as a copy desk leaves it: three words changed and a sentence added."""
    words = body.split()
    for pos, word in ((len(words) // 4, "reportedly"), (len(words) // 2, "Thursday"),
                      (3 * len(words) // 4, "officials")):
        words[pos] = word
    return " ".join(words) + " Additional reporting by our correspondent in Beirut."


def first_part(body: str, share: float = 0.7) -> str:
    words = body.split()
    return " ".join(words[:int(len(words) * share)])


def last_part(body: str, share: float = 0.7) -> str:
    words = body.split()
    return " ".join(words[len(words) - int(len(words) * share):])


def table_counts(store) -> dict[str, int]:
    with store.begin() as conn:
        return {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
                for t in (schema.articles, schema.origins, schema.rejections, schema.lsh_bands,
                          schema.migrations_table)}


def snapshot(store) -> dict[str, set]:
    """Everything ingest decides (ids, groups, origins, rejections), without timestamps."""
    with store.begin() as conn:
        a, o, r = schema.articles, schema.origins, schema.rejections
        return {
            "articles": set(conn.execute(select(a.c.id, a.c.text_hash, a.c.source, a.c.title, a.c.path,
                                                a.c.syndication_group, a.c.duplicate_of, a.c.word_count))),
            "origins": set(conn.execute(select(o.c.key, o.c.article_id, o.c.input, o.c.locator, o.c.source))),
            "rejections": set(conn.execute(select(r.c.key, r.c.input, r.c.kind, r.c.reason))),
            "bands": set(conn.execute(select(schema.lsh_bands.c.band_key, schema.lsh_bands.c.article_id))),
        }


def by_id(store) -> dict[str, dict]:
    return {row["id"]: row for row in store.articles()}


# -- migrations ---------------------------------------------------------------------------
def test_migrations_are_recorded_by_name_and_applied_once(store_url):
    names = [name for name, _ in migrations_module.MIGRATIONS]
    with rashomon.open_store(store_url) as first:
        assert first.migrations_applied == names
        with first.begin() as conn:
            rows = conn.execute(select(schema.migrations_table.c.name, schema.migrations_table.c.applied_at)).all()
            tables = set(inspect(conn).get_table_names())
        assert sorted(r[0] for r in rows) == sorted(names)
        assert all(r[1] is not None for r in rows)
        assert {"articles", "origins", "rejections", "lsh_bands", "schema_migrations"} <= tables

    rashomon.ingest([EXAMPLE_FILES[0]], db=store_url)
    with rashomon.open_store(store_url) as again:
        assert again.migrations_applied == []
        assert migrations_module.migrate(again.engine) == []
        counts = table_counts(again)
        assert counts["schema_migrations"] == len(names)
        assert counts["articles"] == 1  # re-opening keeps what was stored


def test_a_new_migration_is_applied_once_and_a_failed_one_leaves_nothing(store_url, monkeypatch):
    rashomon.open_store(store_url).close()
    probe = Table("probe_notes", MetaData(), Column("n", Integer))
    shipped = migrations_module.MIGRATIONS

    def broken(conn):
        probe.create(conn)
        conn.execute(text("SELECT * FROM no_such_table_anywhere"))  # fails after the DDL

    monkeypatch.setattr(migrations_module, "MIGRATIONS",
                        (*shipped, ("9999_probe", broken)))
    with pytest.raises(StoreError):
        rashomon.open_store(store_url)
    engine = create_engine(normalise_url(store_url))  # look without migrating
    try:
        with engine.connect() as conn:  # the failed step is rolled back entirely, DDL included
            assert not inspect(conn).has_table("probe_notes")
            assert "9999_probe" not in {r[0] for r in conn.execute(select(schema.migrations_table.c.name))}
    finally:
        engine.dispose()

    monkeypatch.setattr(migrations_module, "MIGRATIONS",
                        (*shipped, ("9999_probe", lambda conn: probe.create(conn))))
    with rashomon.open_store(store_url) as s:
        assert s.migrations_applied == ["9999_probe"]
    with rashomon.open_store(store_url) as s:
        assert s.migrations_applied == []
        with s.begin() as conn:
            assert inspect(conn).has_table("probe_notes")
            names = [r[0] for r in conn.execute(select(schema.migrations_table.c.name))]
        assert sorted(names) == sorted([name for name, _ in shipped] + ["9999_probe"])


# -- idempotent ingest --------------------------------------------------------------------
def test_ingesting_the_same_inputs_twice_changes_nothing(store_url, tmp_path):
    folder = tmp_path / "in"
    write_article(folder / "a.txt", article_text("harbour"), source="Harbour Gazette")
    write_article(folder / "b.txt", article_text("orchard"), source="Valley Times")
    write_article(folder / "c.txt", first_part(example_body(0)), source="Wire")
    write_article(folder / "c-copy.txt", edited_copy(first_part(example_body(0))), source="Other Wire")
    (folder / "empty.txt").write_bytes(b"")
    write_article(folder / "short.txt", "Too short to be an article.")

    first = rashomon.ingest([folder], db=store_url)
    assert (first.new, first.duplicates, first.unchanged) == (4, 0, 0)
    assert first.syndicated == 1
    assert sorted(r.input for r in first.rejected) == sorted([str(folder / "empty.txt"), str(folder / "short.txt")])

    with rashomon.open_store(store_url) as store:
        counts, before = table_counts(store), snapshot(store)
    assert (counts["articles"], counts["origins"], counts["rejections"]) == (4, 4, 2)

    second = rashomon.ingest([folder], db=store_url)
    assert (second.new, second.duplicates, second.syndicated) == (0, 0, 0)
    assert second.unchanged == 4
    assert second.article_ids == first.article_ids
    assert len(second.rejected) == 2

    with rashomon.open_store(store_url) as store:
        assert table_counts(store) == counts
        assert snapshot(store) == before


# -- exact duplicates ---------------------------------------------------------------------
def test_exact_duplicate_from_two_outlets_is_stored_once_with_two_origins(store_url, tmp_path):
    body = ("The mayor's office said \"we will publish every figure\" on Tuesday, after the "
            "council's vote.\n\n" + article_text("harbour"))
    # Same words; different case, typographic quotes, spacing and line breaks.
    curly = (body.upper().replace("'S", "’S").replace(' "WE', " “WE").replace('FIGURE"', "FIGURE”"))
    words = curly.split()
    assert words[14].endswith(".")  # the first line stays a sentence, not a headline
    variant = "   ".join(words[:15]) + "\n\n\n" + "\n".join(" ".join(words[i:i + 7]) for i in range(15, len(words), 7))
    assert variant.lower() != body.lower() and "’" in variant and "“" in variant
    first = write_article(tmp_path / "gazette" / "story.txt", body, source="Harbour Gazette")
    second = write_article(tmp_path / "wire" / "copy-of-story.txt", variant, source="Coastal Wire")
    assert first.read_text() != second.read_text()

    report = rashomon.ingest([first, second], db=store_url)
    assert (report.new, report.duplicates, report.unchanged) == (1, 1, 0)
    assert len(set(report.article_ids)) == 1
    (article_id,) = set(report.article_ids)

    with rashomon.open_store(store_url) as store:
        counts = table_counts(store)
        assert (counts["articles"], counts["origins"]) == (1, 2)
        row = store.articles()[0]
        assert row["id"] == article_id
        assert row["source"] == "Harbour Gazette"  # the first one seen is the stored copy
        assert row["syndication_group"] is None and row["duplicate_of"] is None
        origins = store.origins([article_id])[article_id]
        assert {o["input"] for o in origins} == {str(first), str(second)}
        assert {o["source"] for o in origins} == {"Harbour Gazette", "Coastal Wire"}
        assert {o["path"] for o in origins} == {str(first), str(second)}

    again = rashomon.ingest([second, first], db=store_url)
    assert (again.new, again.duplicates, again.unchanged) == (0, 0, 2)


# -- near duplicates / syndication --------------------------------------------------------
def test_wire_copies_join_one_syndication_group_and_unrelated_articles_do_not(store_url, tmp_path):
    originals, copies = [], {}
    for n in range(len(EXAMPLE_FILES)):
        body = example_body(n)
        originals.append(write_article(tmp_path / "orig" / f"{n}.txt", body, source=f"Outlet {n}"))
        copies[n] = [
            write_article(tmp_path / "edited" / f"{n}.txt", edited_copy(body), source="Wire A"),
            write_article(tmp_path / "head" / f"{n}.txt", first_part(body), source="Wire B"),
            write_article(tmp_path / "tail" / f"{n}.txt", last_part(body), source="Wire C"),
        ]
    unrelated = write_article(tmp_path / "other.txt", article_text("harbour"), source="Harbour Gazette")

    report = rashomon.ingest([*originals, unrelated, *[p for n in copies for p in copies[n]]], db=store_url)
    assert report.new == 5 + 1 + 15 and not report.rejected
    assert report.syndicated == 15
    ids = report.article_ids
    orig_ids, unrelated_id = ids[:5], ids[5]
    copy_ids = {n: ids[6 + 3 * n: 9 + 3 * n] for n in range(5)}

    with rashomon.open_store(store_url) as store:
        rows = by_id(store)
    assert len(rows) == 21
    groups = []
    for n in range(5):
        members = [orig_ids[n], *copy_ids[n]]
        group = {rows[m]["syndication_group"] for m in members}
        assert len(group) == 1 and None not in group, f"example {n}: copies split over {group}"
        groups.append(group.pop())
        assert rows[orig_ids[n]]["duplicate_of"] is None
        for m in copy_ids[n]:
            assert rows[m]["duplicate_of"] in members and rows[m]["duplicate_of"] != m
    assert len(set(groups)) == 5, "the five different seed articles were merged"
    assert rows[unrelated_id]["syndication_group"] is None
    assert rows[unrelated_id]["duplicate_of"] is None


def test_shortened_copy_ingested_first_still_groups_with_the_full_text(store_url, tmp_path):
    body = example_body(2)
    short = write_article(tmp_path / "short.txt", first_part(body), source="Wire")
    full = write_article(tmp_path / "full.txt", body, source="Outlet")
    first = rashomon.ingest([short], db=store_url)
    second = rashomon.ingest([full], db=store_url)
    assert second.syndicated == 1
    with rashomon.open_store(store_url) as store:
        rows = by_id(store)
    short_row, full_row = rows[first.article_ids[0]], rows[second.article_ids[0]]
    assert short_row["syndication_group"] == full_row["syndication_group"] is not None
    assert full_row["duplicate_of"] == short_row["id"]


def test_a_copy_bridging_two_groups_merges_them(store_url, tmp_path):
    full = example_body(0)
    words = full.split()
    head = " ".join(words[:int(len(words) * 0.65)])   # first 65%
    tail = " ".join(words[int(len(words) * 0.35):])   # last 65%: shares only 30% with head
    group_a = [write_article(tmp_path / "a1.txt", head, source="A"),
               write_article(tmp_path / "a2.txt", edited_copy(head), source="A2")]
    group_b = [write_article(tmp_path / "b1.txt", tail, source="B"),
               write_article(tmp_path / "b2.txt", edited_copy(tail), source="B2")]

    before = rashomon.ingest([*group_a, *group_b], db=store_url)
    with rashomon.open_store(store_url) as store:
        rows = by_id(store)
    a_ids, b_ids = before.article_ids[:2], before.article_ids[2:]
    ga = {rows[i]["syndication_group"] for i in a_ids}
    gb = {rows[i]["syndication_group"] for i in b_ids}
    assert len(ga) == 1 and len(gb) == 1 and None not in ga | gb
    assert ga != gb, "head and tail should start as two separate groups"

    bridge = write_article(tmp_path / "full.txt", full, source="Full text")
    after = rashomon.ingest([bridge], db=store_url)
    assert after.new == 1 and after.syndicated == 1
    with rashomon.open_store(store_url) as store:
        rows = by_id(store)
    merged = {rows[i]["syndication_group"] for i in [*a_ids, *b_ids, after.article_ids[0]]}
    assert len(merged) == 1 and None not in merged
    assert merged <= ga | gb  # one of the existing groups absorbed the other


# -- reading ------------------------------------------------------------------------------
FRENCH = ("Le conseil municipal a approuvé mardi soir le nouveau budget de la ville après un long "
          "débat sur les écoles, les routes et la sécurité publique. Les habitants ont posé de "
          "nombreuses questions sur les impôts locaux, et le maire a promis de publier le mois "
          "prochain un rapport détaillé qui expliquera chaque changement apporté au projet initial.")


def test_articles_filters_and_origins(store_url, tmp_path):
    files = [
        write_article(tmp_path / "aleppo-afp.txt", example_body(3), source="Agence France-Presse",
                      title="Rebels seize most of Aleppo"),
        write_article(tmp_path / "aleppo-rt.txt", example_body(1), source="Reuters"),
        write_article(tmp_path / "budget.txt", article_text("harbour"), source="Reuters Local",
                      title="Council approves 50% budget_rise"),
        write_article(tmp_path / "budget-fr.txt", FRENCH, source="Le Courrier"),
    ]
    report = rashomon.ingest(files, db=store_url)
    assert report.new == 4
    afp, rt, budget, fr = report.article_ids

    with rashomon.open_store(store_url) as store:
        everything = store.articles()
        assert [r["id"] for r in everything] == [afp, rt, budget, fr]
        assert {r["language"] for r in everything} == {"en", "fr"}

        def ids(**kw):
            return {r["id"] for r in store.articles(**kw)}

        assert ids(search="Aleppo") == {afp, rt}
        assert ids(search="aleppo") == ids(search="ALEPPO") == {afp, rt}  # case-insensitive
        assert ids(search="Rebels seize most") == {afp}                    # title matches too
        assert ids(search="no such phrase anywhere") == set()
        # LIKE wildcards in a search are literal characters, not patterns
        assert ids(search="50%") == {budget}
        assert ids(search="%") == {budget}
        assert ids(search="_") == {budget}
        assert ids(search="budget_rise") == {budget}
        assert ids(search="budget rise") == set()
        assert ids(source="reuters") == {rt, budget}                      # contains, any case
        assert ids(source="Agence") == {afp}
        assert ids(language="fr") == {fr}
        assert ids(language="en") == {afp, rt, budget}
        assert ids(search="Aleppo", source="Reuters") == {rt}
        assert ids(search="budget", language="fr") == {fr}
        assert len(store.articles(limit=2)) == 2
        assert [r["id"] for r in store.articles(limit=2, offset=1)] == [rt, budget]
        assert [r["id"] for r in store.articles([fr, afp])] == [fr, afp]  # by id, in that order
        assert store.articles([]) == []
        assert store.count() == 4

        origins = store.origins([afp, fr, "0000000000000000"])
        assert set(origins) == {afp, fr, "0000000000000000"}
        assert origins["0000000000000000"] == []
        (o,) = origins[afp]
        assert o["input"] == str(files[0]) and o["format"] == "txt"
        assert o["source"] == "Agence France-Presse" and o["path"] == str(files[0])
        assert origins[fr][0]["source"] == "Le Courrier"
