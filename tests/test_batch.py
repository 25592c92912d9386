"""`rashomon batch`: Dask workers and the one-process engine give the same store; reruns skip what is
done; a broken input or a failing partition is reported while the rest completes; a worker killed
mid-batch costs nothing — every article is stored exactly once."""

from __future__ import annotations

import json
import os
import signal
import threading
import time

import pytest
from sqlalchemy import func, select

from rashomon import api
from rashomon.engine import run_batch
from rashomon.nlp import ANALYSIS_VERSION
from rashomon.storage import Store, schema
from rashomon.storage.batches import partition_rows

from .conftest import article_text

TOPICS = ["harbour", "glacier", "vaccine", "election", "wildfire", "railway", "drought", "satellite",
          "parliament", "earthquake", "festival", "pipeline"]


def write_inputs(folder, files: int, per_file: int) -> set[str]:
    """JSONL shards of distinct articles; returns the distinct texts' first words (one per article)."""
    folder.mkdir(parents=True, exist_ok=True)
    titles = set()
    for f in range(files):
        with open(folder / f"shard-{f:02d}.jsonl", "w", encoding="utf-8") as fh:
            for i in range(per_file):
                topic = f"{TOPICS[f % len(TOPICS)]}{i}"
                title = f"Report {f}-{i} on the {topic} plan"
                titles.add(title)
                fh.write(json.dumps({"id": f"{f}-{i}", "title": title, "source": f"Outlet {i % 3}",
                                     "date": f"2024-03-{1 + i % 27:02d}",
                                     "text": article_text(topic, 90)}) + "\n")
    return titles


def counts(store: Store) -> dict[str, int]:
    with store.begin() as conn:
        n = lambda t: conn.execute(select(func.count()).select_from(t)).scalar_one()  # noqa: E731
        distinct_origins = conn.execute(select(func.count(func.distinct(schema.origins.c.key)))).scalar_one()
        return {"articles": n(schema.articles), "origins": n(schema.origins), "distinct_origins": distinct_origins,
                "analyses": conn.execute(select(func.count()).select_from(schema.article_analysis).where(
                    schema.article_analysis.c.version == ANALYSIS_VERSION)).scalar_one(),
                "embeddings": n(schema.article_embeddings), "members": n(schema.story_members)}


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("batch-in")
    titles = write_inputs(folder, files=6, per_file=4)
    (folder / "broken.jsonl").write_text('{"title": "no text field"\nnot json at all\n', encoding="utf-8")
    return folder, titles


def test_one_process_and_dask_store_the_same_and_reruns_skip(inputs, tmp_path, settings):
    folder, titles = inputs
    results = {}
    for workers in (0, 2):
        with Store(f"sqlite:///{tmp_path / f'w{workers}.db'}") as store:
            report = run_batch([folder], settings=settings, store=store, workers=workers)
            assert report.failed == []
            assert report.partitions == 7 and report.done == 7 and report.skipped == 0
            assert report.new == len(titles) == 24
            assert {r.input for r in report.rejected} == {str(folder / "broken.jsonl")}
            c = counts(store)
            assert c == {"articles": 24, "origins": 24, "distinct_origins": 24, "analyses": 24, "embeddings": 24,
                         "members": 24}
            results[workers] = ({r["id"] for r in store.articles()}, report.stories["new_stories"])
            again = run_batch([folder], settings=settings, store=store, workers=workers)
            assert (again.skipped, again.done, again.new, again.articles) == (7, 0, 0, 0)
            assert counts(store) == c
            rows = partition_rows(store)
            assert len(rows) == 7 and {r["status"] for r in rows} == {"done"}
    assert results[0] == results[2]


def test_dry_run_writes_nothing(inputs, tmp_path, settings):
    folder, _ = inputs
    db = tmp_path / "dry.db"
    report = api.batch([folder], db=f"sqlite:///{db}", settings=settings, workers=0, dry_run=True)
    assert report.dry_run and report.partitions == 7 and report.done == 0
    assert [p["status"] for p in report.planned] == ["todo"] * 7
    assert not db.exists()   # not even an empty store is created


def test_a_failing_partition_is_reported_and_the_rest_completes(inputs, tmp_path, settings):
    folder, _ = inputs
    out = tmp_path / "shards"
    plan = run_batch([folder], settings=settings, parquet=out, workers=0, dry_run=True)
    assert plan.partitions == 7
    from rashomon.engine import plan_partitions
    from rashomon.embed import get_embedder

    parts, _ = plan_partitions([folder], field_map=None, versions=[ANALYSIS_VERSION, get_embedder().model_id])
    blocked = next(p for p in parts if "shard-" in p.input)
    (out / f"part-{blocked.key}.parquet").mkdir(parents=True)  # a folder where the shard must go: cannot write
    report = run_batch([folder], settings=settings, parquet=out, workers=0, retries=1)
    # the directory counts as "not done" (not a file), fails twice, is reported; the others are written
    assert [f["input"] for f in report.failed] == [blocked.input]
    assert "IsADirectoryError" in report.failed[0]["error"] or "directory" in report.failed[0]["error"].lower()
    assert report.done == 6
    import pyarrow.parquet as pq

    files = sorted(p for p in out.glob("part-*.parquet") if p.is_file())
    table = pq.read_table(files)
    assert table.num_rows == 20 and len(set(table.column("id").to_pylist())) == 20
    row = table.slice(0, 1).to_pylist()[0]
    reading = json.loads(row["analysis"])
    assert reading["version"] == ANALYSIS_VERSION and reading["sentences"]
    assert len(row["embedding"]) == 384


def test_worker_killed_mid_batch_every_article_stored_once(tmp_path, settings):
    from distributed import Client, LocalCluster

    folder = tmp_path / "in"
    titles = write_inputs(folder, files=12, per_file=6)
    store = Store(f"sqlite:///{tmp_path / 'kill.db'}")
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                           env={"OMP_NUM_THREADS": "1"})
    client = Client(cluster)
    try:
        pids = set(client.run(os.getpid).values())
        outcome = {}
        runner = threading.Thread(target=lambda: outcome.setdefault("report", run_batch(
            [folder], settings=settings, store=store, scheduler=cluster.scheduler_address, retries=0)))
        runner.start()
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and len(partition_rows(store)) < 2:
            time.sleep(0.05)
        done_before_kill = len(partition_rows(store))
        assert 0 < done_before_kill < 12, "the kill must land mid-batch"
        victim = sorted(pids)[0]
        os.kill(victim, signal.SIGKILL)
        runner.join(300)
        assert not runner.is_alive()
        report = outcome["report"]
        # retries=0: only Dask's own rescheduling of the dead worker's task saved the partition
        assert report.failed == [] and report.done == 12
        c = counts(store)
        assert c == {"articles": len(titles), "origins": len(titles), "distinct_origins": len(titles),
                     "analyses": len(titles), "embeddings": len(titles), "members": len(titles)}
        assert victim not in set(client.run(os.getpid).values())   # the nanny started a new worker
        # models are loaded once per worker process, not per partition
        loads = client.run(lambda: __import__("rashomon.nlp.model", fromlist=["x"]).load_pipeline.cache_info().misses)
        assert set(loads.values()) == {1}
        print(f"\nworker {victim} killed after {done_before_kill}/12 partitions; batch {report.done}/12 done, "
              f"{len(report.failed)} failed, {report.seconds:.1f}s; store {c}")
    finally:
        client.close()
        cluster.close()
        store.close()


def test_cli_batch_dry_run_then_run_then_rerun(inputs, tmp_path):
    from typer.testing import CliRunner

    from rashomon.cli import app

    folder, titles = inputs
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    env = {"RASHOMON_CONFIG": "", "COLUMNS": "200"}
    dry = CliRunner().invoke(app, ["batch", str(folder), "--dry-run", "--db", db], env=env)
    assert dry.exit_code == 0, dry.output
    assert "Dry run: 7 partition(s), 0 already done" in dry.output
    run = CliRunner().invoke(app, ["batch", str(folder), "--workers", "0", "--db", db], env=env)
    assert run.exit_code == 3, run.output            # one broken input: partial success, as `ingest` says
    assert "broken.jsonl" in run.output and "invalid JSON" in run.output
    again = CliRunner().invoke(app, ["batch", str(folder), "--dry-run", "--db", db], env=env)
    assert "Dry run: 7 partition(s), 7 already done" in again.output
    with Store(db) as store:
        assert store.count() == len(titles)


@pytest.mark.postgres
def test_two_workers_write_postgresql(inputs, pg_url, settings):
    folder, titles = inputs
    with Store(pg_url) as store:
        report = run_batch([folder], settings=settings, store=store, workers=2)
        assert report.failed == [] and report.done == 7 and report.new == len(titles)
        assert counts(store) == {"articles": 24, "origins": 24, "distinct_origins": 24, "analyses": 24,
                                 "embeddings": 24, "members": 24}
        assert {r["worker"].rsplit(":", 1)[1] for r in partition_rows(store)} - {str(os.getpid())}


def test_warc_archives_in_a_batch(tmp_path, settings):
    from .test_warc import MIXED, _html, _write_warc

    folder = tmp_path / "crawl"
    folder.mkdir()
    _write_warc(folder / "a.warc.gz", gz=True, records=MIXED)
    _write_warc(folder / "b.warc", gz=False, records=[("response", "https://news.example/glacier", _html("glacier"),
                                                       {})])
    with Store(f"sqlite:///{tmp_path / 'warc.db'}") as store:
        report = run_batch([folder], settings=settings, store=store, workers=0)
        assert report.failed == [] and report.done == 2
        urls = {r["url"] for r in store.articles()}
        assert urls == {"https://news.example/harbour", "https://news.example/railway",
                        "https://news.example/glacier"}
        assert counts(store)["analyses"] == 3 and counts(store)["members"] == 3
