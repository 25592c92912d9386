"""Structured logs: `--log-json` gives one parseable JSON object a line; text mode stays as it was."""

from __future__ import annotations

import datetime as dt
import json
import logging

import pytest
from typer.testing import CliRunner

from rashomon.cli import app
from rashomon.ops.logs import TEXT_FORMAT, JsonFormatter, configure_logging
from rashomon.settings import load_settings

from .conftest import article_text, scrub_env


@pytest.fixture(autouse=True)
def restore_logging(monkeypatch):
    """Each test leaves the root logger as it found it; no RASHOMON_* from the shell."""
    scrub_env(monkeypatch)
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def inputs(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(article_text("harbour"), encoding="utf-8")
    (folder / "tiny.txt").write_text("Too short to count.", encoding="utf-8")
    return folder


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_log_json_gives_parseable_lines_with_the_fields(tmp_path):
    folder = inputs(tmp_path)
    result = CliRunner().invoke(app, ["--log-json", "--log-level", "info", "ingest", str(folder), "-q",
                                      "--db", f"sqlite:///{tmp_path / 'x.db'}"])
    assert result.exit_code == 3, result.output  # partial: tiny.txt rejected
    records = json_lines(result.stderr)
    assert records, "no log lines"
    for r in records:
        assert {"ts", "level", "logger", "msg"} <= set(r)
        when = dt.datetime.fromisoformat(r["ts"].replace("Z", "+00:00"))
        assert when.utcoffset() == dt.timedelta(0) and r["ts"].endswith("Z")
    rejected = [r for r in records if r.get("input", "").endswith("tiny.txt") and "reason" in r]
    assert len(rejected) == 1
    assert rejected[0]["level"] == "info" and rejected[0]["logger"] == "rashomon.ingestion"
    assert "at least 10 expected" in rejected[0]["reason"] and rejected[0]["kind"] == "no_article"
    done = [r for r in records if "new" in r and "seconds" in r]
    assert len(done) == 1 and done[0]["new"] == 1 and done[0]["rejected"] == 1 and done[0]["seconds"] >= 0


def test_debug_level_logs_each_article_with_its_id(tmp_path):
    result = CliRunner().invoke(app, ["--log-json", "--log-level", "DEBUG", "ingest", str(inputs(tmp_path)), "-q",
                                      "--db", f"sqlite:///{tmp_path / 'x.db'}"])
    stored = [r for r in json_lines(result.stderr) if r.get("article_id")]
    assert len(stored) == 1 and stored[0]["status"] == "new" and stored[0]["level"] == "debug"


def test_text_mode_is_unchanged_and_quiet_below_warning(tmp_path, capsys):
    result = CliRunner().invoke(app, ["ingest", str(inputs(tmp_path)), "-q", "--db", f"sqlite:///{tmp_path / 'x.db'}"])
    assert result.exit_code == 3
    assert result.stderr == ""  # INFO records (the rejection) stay out by default
    capsys.readouterr()
    logging.getLogger("rashomon.test").warning("disk %s is nearly full", "/data")
    assert capsys.readouterr().err == "WARNING rashomon.test: disk /data is nearly full\n"
    assert TEXT_FORMAT == "%(levelname)s %(name)s: %(message)s"  # the format main() used before


def test_settings_and_environment_choose_the_format(tmp_path, monkeypatch):
    monkeypatch.setenv("RASHOMON_LOG_FORMAT", "json")
    monkeypatch.setenv("RASHOMON_LOG_LEVEL", "info")
    result = CliRunner().invoke(app, ["ingest", str(inputs(tmp_path)), "-q", "--db", f"sqlite:///{tmp_path / 'x.db'}"])
    assert any(r.get("input", "").endswith("tiny.txt") for r in json_lines(result.stderr))


def test_a_bad_level_is_a_usage_error_listing_the_valid_ones():
    result = CliRunner().invoke(app, ["--log-level", "loud", "version"])
    assert result.exit_code == 2 and "valid: debug, info, warning, error, critical" in " ".join(result.stderr.split())
    assert "Traceback" not in result.output


def test_exceptions_become_one_line_fields(capsys):
    configure_logging(load_settings(env={}), log_format="json", log_level="info")
    log = logging.getLogger("rashomon.test")
    try:
        raise ValueError("bad\ninput")
    except ValueError:
        log.exception("failed on %s", "a.txt", extra={"input": "a.txt", "when": dt.date(2024, 11, 27),
                                                      "level": "clash"})
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1
    record = json.loads(lines[0])
    assert record["level"] == "error" and record["msg"] == "failed on a.txt" and record["input"] == "a.txt"
    assert record["exc"] == "ValueError: bad input" and "test_logs.py" in record["trace"]
    assert record["when"] == "2024-11-27"      # not JSON-native: written as text
    assert record["extra_level"] == "clash"    # an extra field never overwrites the envelope


def test_configure_twice_keeps_one_handler_and_the_library_sets_none():
    import subprocess
    import sys

    configure_logging(None, log_format="json")
    configure_logging(None, log_format="text", log_level="error")
    mine = [h for h in logging.getLogger().handlers if getattr(h, "_rashomon", False)]
    assert len(mine) == 1 and not isinstance(mine[0].formatter, JsonFormatter)
    assert logging.getLogger().level == logging.ERROR
    # importing and using the library installs no handler of its own
    code = ("import logging, rashomon, rashomon.api, rashomon.ingestion, rashomon.ops;"
            "print(len(logging.getLogger().handlers), logging.getLogger().level)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["0", str(logging.WARNING)]


def test_a_commands_config_file_can_turn_on_json_logs(tmp_path):
    config = tmp_path / "rashomon.toml"
    config.write_text('[rashomon]\nlog_format = "json"\nlog_level = "info"\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["ingest", str(inputs(tmp_path)), "-q", "--config", str(config),
                                      "--db", f"sqlite:///{tmp_path / 'x.db'}"])
    records = json_lines(result.stderr)
    assert any(r.get("input", "").endswith("tiny.txt") for r in records)
    # the global flag still wins over the file
    (tmp_path / "again").mkdir()
    result = CliRunner().invoke(app, ["--log-level", "error", "ingest", str(inputs(tmp_path / "again")), "-q",
                                      "--config", str(config), "--db", f"sqlite:///{tmp_path / 'y.db'}"])
    assert result.stderr == ""
