"""An article and its extracted items written with Core inserts, as `Store.save` stores them.

The rows are those the ORM wrote one object at a time before (`writes.fitter` cuts strings
and fills defaults as a flush does), written with one executemany per table:

- the shared actors and places an article names are found with one query each and created
  only when missing (per article, not cached: other processes and analysts' corrections
  change them between articles);
- with `link`, the casualties' incidents and the milestones' tracks are found before those
  rows are inserted (`linking.link_casualties`, `link_milestones`), so each row is written
  once instead of inserted, read back and updated.

Everything runs on the caller's connection, inside its transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, bindparam, insert, select, update

from ..models import Actor, Extraction, Place
from .linking import link_casualties, link_milestones
from .schema import (
    ActorRow,
    ArticleActorRow,
    ArticlePlaceRow,
    ArticleRow,
    CasualtyRow,
    FigureRow,
    MilestoneRow,
    PlaceRow,
    QuoteRow,
    RelationRow,
)
from .writes import fitter, lock_names

ARTICLES, ACTORS, PLACES = ArticleRow.__table__, ActorRow.__table__, PlaceRow.__table__
ITEM_TABLES = tuple(t.__table__ for t in (ArticleActorRow, ArticlePlaceRow, CasualtyRow, FigureRow, MilestoneRow, QuoteRow, RelationRow))
_FIT = {t: fitter(t) for t in (ARTICLES, ACTORS, PLACES, *ITEM_TABLES)}
_INSERT = {t: insert(t) for t in (ARTICLES, ACTORS, PLACES, *ITEM_TABLES)}

ARTICLE_BY_HASH = select(ARTICLES.c.id).where(ARTICLES.c.content_hash == bindparam("hash"))
_ACTORS_NAMED = select(ACTORS.c.id, ACTORS.c.name, ACTORS.c.country).where(ACTORS.c.name.in_(bindparam("names", expanding=True)))
_PLACES_NAMED = (
    select(PLACES.c.id, PLACES.c.name, PLACES.c.country, PLACES.c.lat, PLACES.c.lon)
    .where(PLACES.c.name.in_(bindparam("names", expanding=True))).order_by(PLACES.c.id)
)
_SET_ACTOR_COUNTRY = update(ACTORS).where(ACTORS.c.id == bindparam("b_id")).values(country=bindparam("b_country"))


@dataclass(frozen=True)
class StoredArticle:
    """What writing an article's items needs of it (and what `Store.save` hands `_write_items`)."""

    id: int
    text: str
    published: date | None


def insert_article(conn: Connection, values: dict[str, Any]) -> StoredArticle:
    fitted = _FIT[ARTICLES](values)
    article_id = conn.execute(_INSERT[ARTICLES], fitted).inserted_primary_key[0]
    return StoredArticle(int(article_id), fitted["text"], fitted["published"])


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _executemany(conn: Connection, table: Any, rows: list[dict[str, Any]]) -> None:
    if rows:
        conn.execute(_INSERT[table], rows)


def insert_items(conn: Connection, article: StoredArticle, ex: Extraction, redirects: dict[str, str], *, link: bool) -> None:
    """An article's extracted items; with `link`, their incidents and tracks too."""
    # Concurrent writers: the actors and places this article may create, locked in one order.
    lock_names(conn, [f"actor:{redirects.get(a.canonical or a.name, a.canonical or a.name)}" for a in ex.actors]
               + [f"place:{p.name}|{p.country or ''}" for p in ex.places])
    article_id = article.id
    _insert_actors(conn, article_id, ex.actors, redirects)
    coordinates = _insert_places(conn, article_id, ex.places)
    casualties = [_FIT[CasualtyRow.__table__]({
        "article_id": article_id, "kind": c.kind, "count": c.count, "low": c.low, "high": c.high, "qualifier": c.qualifier,
        "victims": c.victims, "perpetrator": c.perpetrator, "location": c.location, "country": c.country,
        "date": _date(c.date), "incident": c.incident, "cumulative": c.cumulative, "counted": c.counted,
        "sentence": c.sentence, "start": c.start, "end": c.end, "incident_id": None, "correction_id": None,
    }) for c in ex.casualties]
    milestones = [_FIT[MilestoneRow.__table__]({
        "article_id": article_id, "kind": m.kind, "status": m.status, "parties": list(m.parties), "mediators": list(m.mediators),
        "participants": list(m.participants),
        "location": m.location, "date": _date(m.date), "condition": m.condition, "count": m.count,
        "expected": _date(m.expected), "sentence": m.sentence, "start": m.start, "end": m.end, "track_id": None, "correction_id": None,
    }) for m in ex.milestones]
    if link:
        linked = [row for row in casualties if not row["cumulative"]]
        for row, incident_id in zip(linked, link_casualties(conn, linked, article.published, lambda name: coordinates.get(name, (None, None))), strict=True):
            row["incident_id"] = incident_id
        for row, track_id in zip(milestones, link_milestones(conn, milestones, article.published), strict=True):
            row["track_id"] = track_id
    _executemany(conn, CasualtyRow.__table__, casualties)
    _executemany(conn, FigureRow.__table__, [_FIT[FigureRow.__table__]({
        "article_id": article_id, "kind": f.kind, "count": f.count, "low": f.low, "high": f.high, "qualifier": f.qualifier,
        "each_side": f.each_side, "action": f.action, "sentence": f.sentence, "start": f.start, "end": f.end, "correction_id": None,
    }) for f in ex.figures])
    _executemany(conn, MilestoneRow.__table__, milestones)
    _executemany(conn, QuoteRow.__table__, [_FIT[QuoteRow.__table__]({
        "article_id": article_id, "speaker": q.speaker, "text": q.text, "start": q.start, "end": q.end}) for q in ex.quotes])
    # Relations name actors as the article does; store them under their canonical names.
    canonical = {a.name: (redirects.get(a.canonical or a.name, a.canonical or a.name)) for a in ex.actors}
    relations = []
    for r in ex.relations:
        a, b = sorted((canonical.get(r.source, r.source), canonical.get(r.target, r.target)))
        if a != b:
            relations.append(_FIT[RelationRow.__table__]({"article_id": article_id, "source": a, "target": b, "kind": r.kind, "weight": r.weight}))
    _executemany(conn, RelationRow.__table__, relations)


def _insert_actors(conn: Connection, article_id: int, actors: Sequence[Actor], redirects: dict[str, str]) -> None:
    """The canonical actors (created when missing, given a country when they had none) and the article's mentions."""
    wanted = []
    for a in actors:
        name = a.canonical or a.name
        wanted.append(_FIT[ACTORS]({"name": redirects.get(name, name), "kind": a.kind, "country": a.country, "role": a.role}))
    known: dict[str, list[Any]] = {}
    if wanted:
        for row in conn.execute(_ACTORS_NAMED, {"names": sorted({w["name"] for w in wanted})}):
            known[row.name] = [row.id, row.country]
    seen: set[int] = set()
    mentions = []
    for a, values in zip(actors, wanted, strict=True):
        found = known.get(values["name"])
        if found is None:
            found = known[values["name"]] = [conn.execute(_INSERT[ACTORS], values).inserted_primary_key[0], values["country"]]
        elif found[1] is None and a.country:
            found[1] = values["country"]
            conn.execute(_SET_ACTOR_COUNTRY, {"b_id": found[0], "b_country": found[1]})
        if found[0] in seen:
            continue
        seen.add(found[0])
        mentions.append(_FIT[ArticleActorRow.__table__]({
            "article_id": article_id, "actor_id": found[0], "name": a.name, "kind": a.kind, "country": a.country, "role": a.role,
            "mentions": a.mentions, "aliases": list(a.aliases), "spans": [list(x) for x in a.spans]}))
    _executemany(conn, ArticleActorRow.__table__, mentions)


def _insert_places(conn: Connection, article_id: int, places: Sequence[Place]) -> dict[str, tuple[float | None, float | None]]:
    """The canonical places (created when missing) and the article's mentions; returns the
    coordinates of the article's places by name, the first of a name winning."""
    wanted = [_FIT[PLACES]({"name": p.name, "country": p.country, "kind": p.kind, "lat": p.lat, "lon": p.lon}) for p in places]
    known: dict[tuple[str, str | None], tuple[int, float | None, float | None]] = {}
    if wanted:
        for row in conn.execute(_PLACES_NAMED, {"names": sorted({w["name"] for w in wanted})}):
            known.setdefault((row.name, row.country), (row.id, row.lat, row.lon))  # the oldest of equals, as a lookup finds it
    coordinates: dict[str, tuple[float | None, float | None]] = {}
    mentions = []
    for p, values in zip(places, wanted, strict=True):
        key = (values["name"], values["country"])
        found = known.get(key)
        if found is None:
            found = known[key] = (conn.execute(_INSERT[PLACES], values).inserted_primary_key[0], values["lat"], values["lon"])
        coordinates.setdefault(values["name"], (found[1], found[2]))
        mentions.append(_FIT[ArticlePlaceRow.__table__]({
            "article_id": article_id, "place_id": found[0], "kind": p.kind, "mentions": p.mentions, "spans": [list(x) for x in p.spans]}))
    _executemany(conn, ArticlePlaceRow.__table__, mentions)
    return coordinates
