"""The one definition of an article and of what the extractor pulls out of it.

These dataclasses are shared by the extractor (which builds them), the store (which
persists them), the CLI (which prints them as JSON, see EXTRACTION.md) and the pages.
The kinds and statuses their fields take are in vocab.py.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any


def content_hash(text: str) -> str:
    """A stable id for an article body: whitespace-normalised, case kept."""
    normalised = re.sub(r"\s+", " ", text).strip()
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()[:16]


@dataclass
class Article:
    """One news article as ingested, before extraction."""

    text: str
    title: str | None = None
    published: date | None = None
    source: str | None = None
    url: str | None = None
    author: str | None = None
    path: str | None = None
    illustrative: bool = False

    @property
    def id(self) -> str:
        return content_hash(self.text)


@dataclass
class Actor:
    name: str
    kind: str
    country: str | None = None
    role: str | None = None
    mentions: int = 0
    aliases: list[str] = field(default_factory=list)
    canonical: str | None = None  # the cross-article name from shipped knowledge, if known
    spans: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class Place:
    name: str
    kind: str
    country: str | None = None
    mentions: int = 0
    lat: float | None = None
    lon: float | None = None
    spans: list[tuple[int, int]] = field(default_factory=list)
    # Other names of the place: the article's other spellings, the gazetteer's name
    # ("Raqqa" shown, "Ar Raqqah" kept), the qualified form ("Palmyra, Syria").
    aliases: list[str] = field(default_factory=list)


@dataclass
class Casualty:
    kind: str
    count: int
    low: int
    high: int
    qualifier: str | None
    sentence: str
    start: int
    end: int
    victims: str | None = None
    perpetrator: str | None = None
    location: str | None = None
    country: str | None = None
    date: str | None = None
    incident: int = 0
    cumulative: bool = False
    counted: bool = False  # the figure that stands for its incident and kind in `totals`


@dataclass
class Figure:
    kind: str
    count: int
    sentence: str
    start: int
    end: int
    low: int | None = None
    high: int | None = None
    qualifier: str | None = None
    each_side: bool = False
    action: str | None = None  # launched, shot down, released, exchanged, displaced, evacuated, deployed...


@dataclass
class Milestone:
    kind: str
    status: str
    sentence: str
    start: int
    end: int
    parties: list[str] = field(default_factory=list)
    location: str | None = None
    date: str | None = None
    condition: str | None = None
    count: int | None = None
    expected: str | None = None
    mediators: list[str] = field(default_factory=list)
    participants: list[str] = field(default_factory=list)  # the people meeting or talking for the parties


@dataclass
class Quote:
    speaker: str | None
    text: str
    start: int
    end: int


@dataclass
class Relation:
    """Two actors linked in an article: named in one sentence, or parties to one milestone."""

    source: str
    target: str
    kind: str  # "co-occurrence" (same sentence) | "meets" (meeting) | "negotiates" (talks, agreements...)
    weight: int = 1


_ATOMS = (str, int, float, bool, type(None))
_FIELDS: dict[type, tuple[str, ...] | None] = {}


def _plain(value: Any) -> Any:
    cls = type(value)
    if cls in _ATOMS:
        return value
    if cls is list or cls is tuple:
        return cls(_plain(v) for v in value)
    if cls is dict:
        return {k: _plain(v) for k, v in value.items()}
    if cls not in _FIELDS:
        _FIELDS[cls] = tuple(f.name for f in dataclasses.fields(cls)) if dataclasses.is_dataclass(cls) else None
    names = _FIELDS[cls]
    if names is None:
        return value
    return {name: _plain(getattr(value, name)) for name in names}


@dataclass
class Extraction:
    id: str
    title: str | None = None
    published: str | None = None
    dateline: str | None = None
    actors: list[Actor] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    casualties: list[Casualty] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)
    figures: list[Figure] = field(default_factory=list)
    milestones: list[Milestone] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    extractor_version: str = ""
    model: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Plain values all the way down (what `dataclasses.asdict` gives, several times faster)."""
        return _plain(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Extraction:
        def build(kind: type, items: list[dict[str, Any]]) -> list[Any]:
            names = {f.name for f in dataclasses.fields(kind)}
            out = []
            for item in items:
                values = {k: v for k, v in item.items() if k in names}
                if "spans" in values:
                    values["spans"] = [tuple(s) for s in values["spans"]]
                out.append(kind(**values))
            return out

        return cls(
            id=data["id"],
            title=data.get("title"),
            published=data.get("published"),
            dateline=data.get("dateline"),
            actors=build(Actor, data.get("actors", [])),
            places=build(Place, data.get("places", [])),
            casualties=build(Casualty, data.get("casualties", [])),
            totals=dict(data.get("totals", {})),
            figures=build(Figure, data.get("figures", [])),
            milestones=build(Milestone, data.get("milestones", [])),
            quotes=build(Quote, data.get("quotes", [])),
            relations=build(Relation, data.get("relations", [])),
            extractor_version=data.get("extractor_version", ""),
            model=data.get("model", ""),
        )
