"""Outlet metadata the user supplies: who runs a site, where, and how the user rates its leaning.

Rashomon ships no ratings. A user who has them points the ``outlets_file`` setting at a YAML or
CSV file; each outlet may give ``domain``, ``name``, ``country``, ``owner``, ``leaning``,
``notes`` and ``aliases`` (other names it is cited under), and needs at least a domain or a name.

YAML, either a mapping from domain to fields or a list of entries::

    nytimes.com: {name: The New York Times, country: US, owner: The New York Times Company}
    # or
    - {domain: aljazeera.com, name: Al Jazeera, country: QA, aliases: [Al Jazeera English]}

CSV, with a header row naming the columns (aliases separated by ``;``)::

    domain,name,country,owner,leaning,notes,aliases
    bbc.co.uk,BBC,GB,BBC,,public broadcaster,BBC News;BBC World Service

An article is matched by its URL host — ``www.`` dropped, then parent domains tried, so
``edition.cnn.com`` finds ``cnn.com`` — and, failing that, by its source name (outlet name,
an alias, or a domain written as the source). Problems are reported as :class:`ConfigError`
naming the file, the line and the key.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator
from urllib.parse import urlsplit

import yaml

from ..errors import ConfigError

__all__ = ["Outlet", "OutletIndex", "load_outlets", "parse_outlets", "OUTLET_FIELDS", "normalise_domain"]

OUTLET_FIELDS = ("domain", "name", "country", "owner", "leaning", "notes", "aliases")
_DOMAIN = re.compile(r"^(?:[^\W_](?:[\w-]{0,61}[^\W_])?\.)+[^\W\d_]{2,63}$")


@dataclass(frozen=True)
class Outlet:
    domain: str | None
    name: str | None
    country: str | None = None
    owner: str | None = None
    leaning: str | None = None
    notes: str | None = None
    aliases: tuple[str, ...] = ()
    origin: str = field(default="", compare=False)   # "outlets.yaml:12", for messages

    def to_json(self) -> dict[str, Any]:
        return {"domain": self.domain, "name": self.name, "country": self.country, "owner": self.owner,
                "leaning": self.leaning, "notes": self.notes, "aliases": list(self.aliases)}


def normalise_domain(value: str) -> str:
    """"https://www.Example.com/news" → "example.com"; returns "" when nothing host-like is left."""
    v = value.strip()
    host = urlsplit(v if "//" in v else "//" + v).hostname or ""
    host = host.rstrip(".").lower()
    return host[4:] if host.startswith("www.") else host


def _name_key(value: str) -> str:
    v = re.sub(r"[^\w\s]", " ", value.casefold())
    v = re.sub(r"^\s*the\s+", "", v)
    return " ".join(v.split())


class OutletIndex:
    """Outlets by domain and by name; ``match(url=..., source=...)`` finds an article's outlet."""

    def __init__(self, outlets: Iterable[Outlet] = (), *, origin: str = "outlets"):
        self.origin = origin
        self._outlets: list[Outlet] = []
        self._by_domain: dict[str, Outlet] = {}
        self._by_name: dict[str, Outlet] = {}
        for o in outlets:
            self.add(o)

    def add(self, outlet: Outlet) -> None:
        if not outlet.domain and not outlet.name:
            raise ConfigError(f"{outlet.origin or self.origin}: an outlet needs a domain or a name")
        if outlet.domain:
            if outlet.domain in self._by_domain:
                first = self._by_domain[outlet.domain]
                raise ConfigError(f"{outlet.origin or self.origin}: domain {outlet.domain!r} is listed twice "
                                  f"(first at {first.origin or '?'}); keep one entry per domain")
            self._by_domain[outlet.domain] = outlet
        for n in (outlet.name, *outlet.aliases):
            if n and _name_key(n):
                self._by_name.setdefault(_name_key(n), outlet)
        self._outlets.append(outlet)

    def __len__(self) -> int:
        return len(self._outlets)

    def __iter__(self) -> Iterator[Outlet]:
        return iter(self._outlets)

    def by_host(self, host: str) -> Outlet | None:
        host = normalise_domain(host)
        while host:
            if host in self._by_domain:
                return self._by_domain[host]
            if "." not in host:
                return None
            host = host.split(".", 1)[1]
            if "." not in host:   # never match a bare public suffix ("com", "uk")
                return self._by_domain.get(host)
        return None

    def match(self, url: str | None = None, source: str | None = None) -> Outlet | None:
        """The outlet of an article: by URL host first, then by source name or domain; None if unknown."""
        if url:
            try:
                host = urlsplit(url.strip()).hostname
            except ValueError:
                host = None
            if host and (hit := self.by_host(host)):
                return hit
        if source and source.strip():
            if hit := self._by_name.get(_name_key(source)):
                return hit
            if _DOMAIN.match(normalise_domain(source)):
                return self.by_host(source)
        return None


def _text_value(value: Any, where: str, key: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ConfigError(f"{where}: {key!r} must be text, got {type(value).__name__} {value!r}")
    text = str(value).strip()
    return text or None


def _outlet(fields: dict[str, Any], where: str) -> Outlet:
    unknown = [k for k in fields if k not in OUTLET_FIELDS]
    if unknown:
        raise ConfigError(f"{where}: unknown key {unknown[0]!r}; valid keys: {', '.join(OUTLET_FIELDS)}")
    raw_aliases = fields.get("aliases")
    if raw_aliases is None:
        aliases: tuple[str, ...] = ()
    elif isinstance(raw_aliases, str):
        aliases = tuple(a.strip() for a in raw_aliases.split(";") if a.strip())
    elif isinstance(raw_aliases, list):
        aliases = tuple(a for a in (_text_value(x, where, "aliases") for x in raw_aliases) if a)
    else:
        raise ConfigError(f"{where}: 'aliases' must be a list or a ';'-separated text, got {raw_aliases!r}")
    domain = _text_value(fields.get("domain"), where, "domain")
    if domain is not None:
        norm = normalise_domain(domain)
        if not _DOMAIN.match(norm):
            raise ConfigError(f"{where}: {domain!r} is not a domain; expected a host name such as 'example.com'")
        domain = norm
    values = {k: _text_value(fields.get(k), where, k) for k in ("name", "country", "owner", "leaning", "notes")}
    if not domain and not values["name"]:
        raise ConfigError(f"{where}: an outlet needs a 'domain' or a 'name'")
    return Outlet(domain=domain, aliases=aliases, origin=where, **values)


def _from_yaml(text: str, origin: str) -> list[Outlet]:
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{origin}: not valid YAML: {exc}") from None
    finally:
        loader.dispose()
    if data is None:
        return []
    if isinstance(data, dict) and set(data) == {"outlets"}:
        node = node.value[0][1]
        data = data["outlets"]

    def line(n) -> str:
        return f"{origin}:{n.start_mark.line + 1}"

    out = []
    if isinstance(data, list):
        for item_node, item in zip(node.value, data):
            if not isinstance(item, dict):
                raise ConfigError(f"{line(item_node)}: each outlet must be a mapping of keys "
                                  f"({', '.join(OUTLET_FIELDS)}), got {item!r}")
            out.append(_outlet(item, line(item_node)))
    elif isinstance(data, dict):
        for (key_node, _), (domain, fields) in zip(node.value, data.items()):
            where = f"{line(key_node)} ({domain!r})"
            if fields is None:
                fields = {}
            if not isinstance(fields, dict):
                raise ConfigError(f"{where}: the fields of a domain must be a mapping, e.g. "
                                  f"'{domain}: {{name: ..., country: ...}}', got {fields!r}")
            if "domain" in fields:
                raise ConfigError(f"{where}: 'domain' is the key of this entry; do not repeat it inside")
            out.append(_outlet({"domain": str(domain), **fields}, where))
    else:
        raise ConfigError(f"{origin}: expected a mapping from domain to fields or a list of outlets, "
                          f"got {type(data).__name__}")
    return out


def _from_csv(text: str, origin: str) -> list[Outlet]:
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    if not header:
        return []
    unknown = [h for h in header if h not in OUTLET_FIELDS]
    if unknown:
        raise ConfigError(f"{origin}:1: unknown column {unknown[0]!r}; valid columns: {', '.join(OUTLET_FIELDS)}")
    if "domain" not in header and "name" not in header:
        raise ConfigError(f"{origin}:1: the header needs a 'domain' or a 'name' column")
    reader.fieldnames = header
    out = []
    try:
        for row in reader:
            where = f"{origin}:{reader.line_num}"
            if None in row:
                raise ConfigError(f"{where}: more values than the {len(header)} columns of the header")
            if not any((v or "").strip() for v in row.values()):
                continue
            out.append(_outlet({k: v for k, v in row.items() if v is not None and v.strip()}, where))
    except csv.Error as exc:
        raise ConfigError(f"{origin}:{reader.line_num}: not valid CSV: {exc}") from None
    return out


def parse_outlets(text: str, fmt: str, *, origin: str = "outlets") -> OutletIndex:
    """Outlets from ``text`` in ``fmt`` ("yaml" or "csv"); ``origin`` names the input in messages."""
    if fmt not in ("yaml", "csv"):
        raise ConfigError(f"{origin}: unknown outlets format {fmt!r}; valid: yaml, csv")
    outlets = _from_yaml(text, origin) if fmt == "yaml" else _from_csv(text, origin)
    if not outlets:
        raise ConfigError(f"{origin}: holds no outlets; give at least one entry with a domain or a name")
    return OutletIndex(outlets, origin=origin)


def load_outlets(path: str | Path) -> OutletIndex:
    """Read the user's outlets file (.yaml, .yml, .json or .csv) into an index; ConfigError on any problem."""
    p = Path(path)
    suffix = p.suffix.lower()
    fmt = {".yaml": "yaml", ".yml": "yaml", ".json": "yaml", ".csv": "csv"}.get(suffix)
    if fmt is None:
        raise ConfigError(f"outlets file {p}: unknown extension {suffix or '(none)'!r}; "
                          "valid: .yaml, .yml, .json, .csv")
    try:
        text = p.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ConfigError(f"outlets file {p} does not exist; check the outlets_file setting") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"outlets file {p} is not UTF-8 text: {exc.reason} at byte {exc.start}") from None
    except OSError as exc:
        raise ConfigError(f"outlets file {p} cannot be read: {exc.strerror or exc}") from None
    return parse_outlets(text, fmt, origin=str(p))
