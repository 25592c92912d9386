"""The public API surface and how settings are layered and checked."""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import subprocess
import sys

import pytest

import rashomon
from rashomon import ConfigError, RashomonError, Settings, load_settings
from rashomon.settings import SETTINGS

from .conftest import EXAMPLES, article_text

PUBLIC = {
    "__version__",
    "analyze", "ingest", "open_store", "resolve_settings", "list_stories", "get_story", "story_document",
    "doctor", "batch", "watch", "similar_stories",
    "load_settings", "Settings", "SETTINGS",
    "validate_document", "render_html", "render_markdown",
    "Article", "Origin", "RawDocument", "Rejection", "IngestReport",
    "RashomonError", "ConfigError", "StoreError", "InputError", "UnsupportedInput", "DecodeError",
    "TooLarge", "NoArticle", "MalformedInput", "UnsafeInput", "FetchError", "OutputError",
    "NotFound",
}


# -- the public surface -------------------------------------------------------------------
def test_all_lists_exactly_the_public_names():
    assert len(rashomon.__all__) == len(set(rashomon.__all__)), "duplicates in __all__"
    assert set(rashomon.__all__) == PUBLIC
    # nothing public is missing from __all__: every non-module, non-underscore attribute is listed
    exported = {name for name, value in vars(rashomon).items()
                if not name.startswith("_") and not inspect.ismodule(value)}
    assert exported == PUBLIC - {"__version__"}
    assert isinstance(rashomon.__version__, str) and rashomon.__version__.count(".") == 2


def test_every_public_name_imports_in_a_fresh_interpreter():
    code = ("import rashomon\n"
            "ns = {}\n"
            "exec('from rashomon import *', ns)\n"
            "missing = [n for n in rashomon.__all__ if n not in ns]\n"
            "assert not missing, missing\n"
            "for n in rashomon.__all__:\n"
            "    exec(f'from rashomon import {n}', {})\n"
            "print('ok', len(rashomon.__all__))\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f"ok {len(PUBLIC)}"


def test_public_names_are_what_they_claim():
    for name in ("analyze", "ingest", "open_store", "resolve_settings", "load_settings",
                 "validate_document", "render_html", "render_markdown"):
        assert callable(getattr(rashomon, name)), name
    errors = ["ConfigError", "StoreError", "InputError", "OutputError"]
    input_errors = ["UnsupportedInput", "DecodeError", "TooLarge", "NoArticle", "MalformedInput",
                    "UnsafeInput", "FetchError"]
    for name in errors + input_errors:
        assert issubclass(getattr(rashomon, name), RashomonError), name
    for name in input_errors:
        assert issubclass(getattr(rashomon, name), rashomon.InputError), name
    assert issubclass(RashomonError, Exception)
    for name in ("Article", "Origin", "RawDocument", "Rejection", "IngestReport", "Settings"):
        assert dataclasses.is_dataclass(getattr(rashomon, name)), name
    assert {s.name for s in rashomon.SETTINGS} == {f.name for f in dataclasses.fields(Settings)}
    # the API functions are the ones the CLI calls
    api = importlib.import_module("rashomon.api")
    for name in api.__all__:
        assert getattr(rashomon, name) is getattr(api, name)


def test_api_ingest_and_analyze_take_settings_as_keywords(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(article_text("harbour"), encoding="utf-8")
    (tmp_path / "in" / "short.txt").write_text("Just eight words in this short text here.", encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'x.db'}"
    report = rashomon.ingest([tmp_path / "in"], db=db, min_words=5)
    assert report.new == 2 and not report.rejected
    strict = rashomon.analyze([tmp_path / "in"], db=f"sqlite:///{tmp_path / 'y.db'}", min_words=30)
    assert strict["summary"]["rejected"] == 1 and len(strict["articles"]) == 1
    with pytest.raises(ConfigError, match="valid: auto, always, never"):
        rashomon.ingest([EXAMPLES], db=db, fetch_feed_links="sometimes")
    with pytest.raises(ConfigError, match="unknown setting 'colour'"):
        rashomon.analyze([EXAMPLES], db=db, colour="red")
    with pytest.raises(ConfigError, match="valid: id, title, text"):
        rashomon.ingest([EXAMPLES], db=f"sqlite:///{tmp_path / 'z.db'}", field_map={"body": "text"})
    assert not (tmp_path / "z.db").exists()  # usage errors are found before the store is touched


# -- settings layering --------------------------------------------------------------------
DEFAULTS = {s.name: s.default for s in SETTINGS}


def write_config(tmp_path, text: str, name: str = "rashomon.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_come_from_the_one_settings_table():
    s = load_settings(env={})
    assert dataclasses.asdict(s) == DEFAULTS
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.min_words = 3  # type: ignore[misc]


def test_layers_defaults_then_file_then_environment_then_overrides(tmp_path):
    config = write_config(tmp_path, """
[rashomon]
min_words = 30            # file, env and override all set this
batch_size = 50           # file and env
http_timeout = 5.5        # file only
fetch_feed_links = "never"
respect_robots = false
""")
    env = {"RASHOMON_MIN_WORDS": "40", "RASHOMON_BATCH_SIZE": "60", "RASHOMON_USER_AGENT": "EnvAgent/1",
           "RASHOMON_RESPECT_ROBOTS": "yes", "UNRELATED": "x"}
    s = load_settings({"min_words": 50, "max_future_days": None}, env=env, config_file=config)
    assert s.min_words == 50                       # override beats environment, file, default
    assert s.batch_size == 60                      # environment beats file
    assert s.http_timeout == 5.5                   # file beats default
    assert s.fetch_feed_links == "never"
    assert s.respect_robots is True                # environment "yes" beats file false
    assert s.user_agent == "EnvAgent/1"            # environment beats default
    assert s.max_future_days == DEFAULTS["max_future_days"]  # None in overrides masks nothing
    assert s.db == DEFAULTS["db"]                  # untouched everywhere: the default
    assert type(s.batch_size) is int and type(s.http_timeout) is float

    only_file = load_settings(env={}, config_file=config)
    assert (only_file.min_words, only_file.batch_size, only_file.respect_robots) == (30, 50, False)
    only_env = load_settings(env=env)
    assert (only_env.min_words, only_env.batch_size, only_env.http_timeout) == (40, 60, DEFAULTS["http_timeout"])


def test_config_file_named_by_the_environment_and_top_level_keys(tmp_path):
    config = write_config(tmp_path, 'min_words = 12\ndb = "sqlite:///elsewhere.db"\n', name="flat.toml")
    s = load_settings(env={"RASHOMON_CONFIG": str(config)})
    assert (s.min_words, s.db) == (12, "sqlite:///elsewhere.db")
    other = write_config(tmp_path, "[rashomon]\nmin_words = 13\n", name="other.toml")
    assert load_settings(env={"RASHOMON_CONFIG": str(config)}, config_file=other).min_words == 13


def test_explicit_env_mapping_is_used_instead_of_the_process_environment(monkeypatch):
    monkeypatch.setenv("RASHOMON_MIN_WORDS", "77")
    assert load_settings(env={}).min_words == DEFAULTS["min_words"]
    assert load_settings().min_words == 77  # env=None reads os.environ


def test_resolve_settings_and_replace_keep_other_values(tmp_path):
    base = load_settings({"batch_size": 7, "user_agent": "Test/1"}, env={})
    changed = rashomon.resolve_settings(base, min_words=3, db=None)
    assert (changed.min_words, changed.batch_size, changed.user_agent, changed.db) == (3, 7, "Test/1", DEFAULTS["db"])
    assert rashomon.resolve_settings(base) is base
    assert base.replace(http_timeout="2.5").http_timeout == 2.5  # coerced and checked like any layer
    with pytest.raises(ConfigError):
        base.replace(min_words="lots")


# -- bad values ---------------------------------------------------------------------------
@pytest.mark.parametrize("layer", ["override", "env", "file"])
def test_bad_choice_lists_valid_options_and_names_its_origin(tmp_path, layer):
    config = write_config(tmp_path, '[rashomon]\nfetch_feed_links = "sometimes"\n')
    kwargs = {"override": dict(overrides={"fetch_feed_links": "sometimes"}, env={}),
              "env": dict(env={"RASHOMON_FETCH_FEED_LINKS": "sometimes"}),
              "file": dict(env={}, config_file=config)}[layer]
    with pytest.raises(ConfigError) as info:
        load_settings(**kwargs)
    message = str(info.value)
    assert "fetch_feed_links" in message and "'sometimes'" in message
    assert "valid: auto, always, never" in message
    origin = {"override": "argument", "env": "RASHOMON_FETCH_FEED_LINKS", "file": str(config)}[layer]
    assert origin in message


@pytest.mark.parametrize("source, expected", [
    ({"overrides": {"colour": "red"}, "env": {}}, "unknown setting 'colour' in arguments"),
    ({"overrides": {"min_words": "many"}, "env": {}}, "must be int, got 'many'"),
    ({"overrides": {"min_words": 2.5}, "env": {}}, "must be int"),
    ({"overrides": {"min_words": -1}, "env": {}}, "must not be negative"),
    ({"overrides": {"respect_robots": "perhaps"}, "env": {}}, "must be bool, got 'perhaps'"),
    ({"env": {"RASHOMON_HTTP_TIMEOUT": "soon"}}, "environment variable RASHOMON_HTTP_TIMEOUT must be float"),
    ({"env": {"RASHOMON_BATCH_SIZE": "-5"}}, "must not be negative"),
])
def test_bad_values_raise_config_error(source, expected):
    with pytest.raises(ConfigError) as info:
        load_settings(**source)
    assert expected in str(info.value)


def test_unknown_setting_lists_the_valid_names(tmp_path):
    config = write_config(tmp_path, "[rashomon]\nmin_word = 5\n")
    with pytest.raises(ConfigError) as info:
        load_settings(env={}, config_file=config)
    message = str(info.value)
    assert "'min_word'" in message and str(config) in message
    for s in SETTINGS:
        assert s.name in message


def test_unreadable_config_files_are_config_errors(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(env={}, config_file=tmp_path / "missing.toml")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings(env={}, config_file=write_config(tmp_path, "min_words = = 3\n"))
    binary = tmp_path / "binary.toml"
    binary.write_bytes(b"\xff\xfe\x00min")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings(env={}, config_file=binary)
    with pytest.raises(ConfigError, match="cannot be read"):  # a folder is not a config file
        load_settings(env={}, config_file=tmp_path)
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(env={"RASHOMON_CONFIG": str(tmp_path / "nope.toml")})
