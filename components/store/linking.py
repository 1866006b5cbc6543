"""Linking what several articles report about the same thing.

Incidents: the counted casualty figures of one event in one article (its `incident`
index) join the stored incident at the same place within a day of it; otherwise they
start a new one. The charts then count each incident once, at its latest report.

Tracks: a milestone joins the track of the same kind whose parties it shares (the same
set, or at least two in common) and whose last milestone is recent; otherwise it starts
a track. A track's current status is that of its latest milestone (computed when read).

Both run inside the transaction that stores the article. The matching works on plain
values with prepared Core statements (`link_casualties`, `link_milestones`), so
`Store.save` can link an article's items before inserting them; `assign_incidents` and
`assign_tracks` do the same for items already in the session (re-extraction, corrections,
migrations).
An article's items are taken in the order they were extracted (their ids): which row
anchors an event no longer depends on the order a database happens to return them in.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, bindparam, insert, or_, select, update
from sqlalchemy.orm import Session

from .schema import ArticlePlaceRow, ArticleRow, CasualtyRow, IncidentRow, MilestoneRow, PlaceRow, TrackRow
from .writes import fitter

INCIDENT_WINDOW = timedelta(days=1)
TRACK_WINDOW = timedelta(days=90)

_I = IncidentRow.__table__
_T = TrackRow.__table__
_MATCH_INCIDENT = (
    select(_I.c.id, _I.c.date, _I.c.last_date)
    .where(_I.c.location == bindparam("location"), _I.c.date <= bindparam("latest"), _I.c.last_date >= bindparam("earliest"))
    .order_by(_I.c.id).limit(1)
)
_MATCH_INCIDENT_IN = _MATCH_INCIDENT.where((_I.c.country == bindparam("country")) | _I.c.country.is_(None))
# The same gazetteer place written two ways ("Raqqa", "Raqqah") has the same coordinates.
_MATCH_INCIDENT_AT = (
    select(_I.c.id, _I.c.date, _I.c.last_date)
    .where(_I.c.lat == bindparam("lat"), _I.c.lon == bindparam("lon"), _I.c.date <= bindparam("latest"), _I.c.last_date >= bindparam("earliest"))
    .order_by(_I.c.id).limit(1)
)
_NEW_INCIDENT = insert(_I)
_STRETCH_INCIDENT = update(_I).where(_I.c.id == bindparam("b_id")).values(date=bindparam("b_date"), last_date=bindparam("b_last"))
_COORDINATES = (
    select(PlaceRow.__table__.c.lat, PlaceRow.__table__.c.lon)
    .join(ArticlePlaceRow.__table__, ArticlePlaceRow.__table__.c.place_id == PlaceRow.__table__.c.id)
    .where(ArticlePlaceRow.__table__.c.article_id == bindparam("article_id"), PlaceRow.__table__.c.name == bindparam("location"))
    .order_by(ArticlePlaceRow.__table__.c.id)
)
_TRACKS_OF_KIND = select(_T.c.id, _T.c.parties, _T.c.parties_key, _T.c.first_date, _T.c.last_date).where(_T.c.kind == bindparam("kind"))
_TRACKS = _TRACKS_OF_KIND.order_by(_T.c.last_date.desc().nulls_last())
# Tracks whose last milestone is too far from this one never match: left out by the database.
_TRACKS_NEAR = _TRACKS_OF_KIND.where(
    or_(_T.c.last_date.is_(None), _T.c.last_date.between(bindparam("earliest"), bindparam("latest")))
).order_by(_T.c.last_date.desc().nulls_last())
_NEW_TRACK = insert(_T)
_UPDATE_TRACK = update(_T).where(_T.c.id == bindparam("b_id")).values(
    parties=bindparam("b_parties"), parties_key=bindparam("b_key"), first_date=bindparam("b_first"), last_date=bindparam("b_last"))
_fit_incident = fitter(_I)
_fit_track = fitter(_T)

Coordinates = Callable[[str | None], tuple[float | None, float | None]]


def parties_key(parties: list[str]) -> str:
    return "|".join(sorted(set(parties)))


def _earliest(stored: date | None, when: date) -> date:
    return when if stored is None else min(stored, when)


def _latest(stored: date | None, when: date) -> date:
    return when if stored is None else max(stored, when)


def link_casualties(conn: Connection, rows: Sequence[Mapping[str, Any]], published: date | None, coordinates: Coordinates) -> list[int]:
    """The incident of each of an article's non-cumulative casualty rows (dicts or rows), creating incidents as needed."""
    groups: dict[int, list[int]] = {}
    for n, row in enumerate(rows):
        groups.setdefault(row["incident"], []).append(n)
    ids = [0] * len(rows)
    for members in groups.values():
        anchor = next((rows[n] for n in members if rows[n]["counted"]), rows[members[0]])
        when = anchor["date"] or published
        incident = _incident_for(conn, anchor["location"], anchor["country"], when, coordinates)
        for n in members:
            ids[n] = incident
    return ids


def _incident_for(conn: Connection, location: str | None, country: str | None, when: date | None, coordinates: Coordinates) -> int:
    """The incident at this place within a day of `when`: by the place's name, else by its
    coordinates (articles write one town differently; the gazetteer gives it one point)."""
    found = None
    lat, lon = coordinates(location) if location is not None else (None, None)
    if location is not None and when is not None:  # without a place and a day, two reports cannot be told to be one event
        params = {"location": location, "latest": when + INCIDENT_WINDOW, "earliest": when - INCIDENT_WINDOW}
        if country is None:
            found = conn.execute(_MATCH_INCIDENT, params).first()
        else:
            found = conn.execute(_MATCH_INCIDENT_IN, {**params, "country": country}).first()
        if found is None and lat is not None and lon is not None:
            found = conn.execute(_MATCH_INCIDENT_AT, {**params, "lat": lat, "lon": lon}).first()
    if found is None:
        values = _fit_incident({"location": location, "country": country, "lat": lat, "lon": lon, "date": when, "last_date": when})
        return int(conn.execute(_NEW_INCIDENT, values).inserted_primary_key[0])
    incident_id, first, last = found
    if when is not None:
        new_first, new_last = _earliest(first, when), _latest(last, when)
        if (new_first, new_last) != (first, last):
            conn.execute(_STRETCH_INCIDENT, {"b_id": incident_id, "b_date": new_first, "b_last": new_last})
    return int(incident_id)


def link_milestones(conn: Connection, rows: Sequence[Mapping[str, Any]], published: date | None) -> list[int]:
    """The track of each of an article's milestone rows (dicts or rows), creating and updating tracks as needed."""
    return [_track_for(conn, row["kind"], list(row["parties"] or []), row["date"] or published) for row in rows]


def _track_for(conn: Connection, kind: str, parties: list[str], when: date | None) -> int:
    track = _matching_track(conn, kind, parties, when)
    if track is None:
        values = _fit_track({"kind": kind, "parties": sorted(set(parties)), "parties_key": parties_key(parties),
                             "first_date": when, "last_date": when})
        return int(conn.execute(_NEW_TRACK, values).inserted_primary_key[0])
    new = {"b_id": track.id, "b_parties": track.parties, "b_key": track.parties_key, "b_first": track.first_date, "b_last": track.last_date}
    have = list(track.parties or [])
    if parties and len(have) < 2 and len(set(parties)) > len(have):
        new["b_parties"] = sorted(set(parties))  # a track named by one side learns the other
        new["b_key"] = parties_key(new["b_parties"])
    if when is not None:
        new["b_first"], new["b_last"] = _earliest(track.first_date, when), _latest(track.last_date, when)
    new = _fit_track(new, prefix="b_")
    if (new["b_parties"], new["b_key"], new["b_first"], new["b_last"]) != (track.parties, track.parties_key, track.first_date, track.last_date):
        conn.execute(_UPDATE_TRACK, new)
    return int(track.id)


def _matching_track(conn: Connection, kind: str, parties: list[str], when: date | None) -> Any:
    if when is None:
        q, params = _TRACKS, {"kind": kind}
    else:
        q, params = _TRACKS_NEAR, {"kind": kind, "earliest": when - TRACK_WINDOW, "latest": when + TRACK_WINDOW}
    candidates = conn.execute(q, params).all()
    wanted = set(parties)
    for t in candidates:
        have = set(t.parties or [])
        if wanted == have or len(wanted & have) >= 2 or (wanted and have and (wanted <= have or have <= wanted) and len(wanted | have) <= 3):
            return t
    return None


def _coordinates(conn: Connection, article_id: int) -> Coordinates:
    def find(location: str | None) -> tuple[float | None, float | None]:
        place = conn.execute(_COORDINATES, {"article_id": article_id, "location": location}).first()
        return (place.lat, place.lon) if place else (None, None)
    return find


_CASUALTY_FIELDS = ("incident", "counted", "date", "location", "country")
_MILESTONE_FIELDS = ("kind", "parties", "date")


def assign_incidents(s: Session, article: ArticleRow) -> None:
    rows = s.scalars(select(CasualtyRow).where(CasualtyRow.article_id == article.id, CasualtyRow.cumulative.is_(False),
                                              CasualtyRow.deleted.is_(False)).order_by(CasualtyRow.id)).all()
    values = [{k: getattr(r, k) for k in _CASUALTY_FIELDS} for r in rows]
    conn = s.connection()
    for row, incident_id in zip(rows, link_casualties(conn, values, article.published, _coordinates(conn, article.id)), strict=True):
        row.incident_id = incident_id


def assign_tracks(s: Session, article: ArticleRow) -> None:
    rows = s.scalars(select(MilestoneRow).where(MilestoneRow.article_id == article.id, MilestoneRow.deleted.is_(False)).order_by(MilestoneRow.id)).all()
    values = [{k: getattr(r, k) for k in _MILESTONE_FIELDS} for r in rows]
    for row, track_id in zip(rows, link_milestones(s.connection(), values, article.published), strict=True):
        row.track_id = track_id
