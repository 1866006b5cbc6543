"""Linking what several articles report about the same thing.

Incidents: the counted casualty figures of one event in one article (its `incident`
index) join the stored incident at the same place within a day of it; otherwise they
start a new one. The charts then count each incident once, at its latest report.

Tracks: a milestone joins the track of the same kind whose parties it shares (the same
set, or at least two in common) and whose last milestone is recent; otherwise it starts
a track. A track's current status is that of its latest milestone (computed when read).

Both run inside the transaction that stores the article.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from .schema import ArticlePlaceRow, ArticleRow, CasualtyRow, IncidentRow, MilestoneRow, PlaceRow, TrackRow

INCIDENT_WINDOW = timedelta(days=1)
TRACK_WINDOW = timedelta(days=90)


def parties_key(parties: list[str]) -> str:
    return "|".join(sorted(set(parties)))


def assign_incidents(s: Session, article: ArticleRow) -> None:
    rows = s.scalars(select(CasualtyRow).where(CasualtyRow.article_id == article.id, CasualtyRow.cumulative.is_(False), CasualtyRow.deleted.is_(False))).all()
    groups: dict[int, list[CasualtyRow]] = {}
    for row in rows:
        groups.setdefault(row.incident, []).append(row)
    for rows_of_event in groups.values():
        anchor = next((r for r in rows_of_event if r.counted), rows_of_event[0])
        when = anchor.date or article.published
        incident = _matching_incident(s, anchor.location, anchor.country, when)
        if incident is None:
            lat, lon = _coordinates(s, article.id, anchor.location)
            incident = IncidentRow(location=anchor.location, country=anchor.country, lat=lat, lon=lon, date=when, last_date=when)
            s.add(incident)
            s.flush()
        elif when is not None:
            incident.date = min(d for d in (incident.date, when) if d is not None)
            incident.last_date = max(d for d in (incident.last_date, when) if d is not None)
        for r in rows_of_event:
            r.incident_id = incident.id


def _matching_incident(s: Session, location: str | None, country: str | None, when: date | None) -> IncidentRow | None:
    if location is None or when is None:
        return None  # without a place and a day, two reports cannot be told to be one event
    q = select(IncidentRow).where(
        IncidentRow.location == location,
        IncidentRow.date <= when + INCIDENT_WINDOW,
        IncidentRow.last_date >= when - INCIDENT_WINDOW,
    )
    if country is not None:
        q = q.where((IncidentRow.country == country) | IncidentRow.country.is_(None))
    return s.scalars(q.order_by(IncidentRow.id)).first()


def _coordinates(s: Session, article_id: int, location: str | None) -> tuple[float | None, float | None]:
    if location is None:
        return None, None
    place = s.scalars(
        select(PlaceRow).join(ArticlePlaceRow, ArticlePlaceRow.place_id == PlaceRow.id)
        .where(ArticlePlaceRow.article_id == article_id, PlaceRow.name == location)
    ).first()
    return (place.lat, place.lon) if place else (None, None)


def assign_tracks(s: Session, article: ArticleRow) -> None:
    rows = s.scalars(select(MilestoneRow).where(MilestoneRow.article_id == article.id, MilestoneRow.deleted.is_(False))).all()
    for m in rows:
        when = m.date or article.published
        track = _matching_track(s, m.kind, list(m.parties or []), when)
        if track is None:
            track = TrackRow(kind=m.kind, parties=sorted(set(m.parties or [])), parties_key=parties_key(m.parties or []),
                             first_date=when, last_date=when)
            s.add(track)
            s.flush()
        else:
            if m.parties and len(track.parties or []) < 2 and len(set(m.parties)) > len(track.parties or []):
                track.parties = sorted(set(m.parties))  # a track named by one side learns the other
                track.parties_key = parties_key(track.parties)
            if when is not None:
                track.first_date = min(d for d in (track.first_date, when) if d is not None)
                track.last_date = max(d for d in (track.last_date, when) if d is not None)
        m.track_id = track.id


def _matching_track(s: Session, kind: str, parties: list[str], when: date | None) -> TrackRow | None:
    candidates = s.scalars(select(TrackRow).where(TrackRow.kind == kind).order_by(TrackRow.last_date.desc().nulls_last())).all()
    wanted = set(parties)
    for t in candidates:
        if when is not None and t.last_date is not None and abs((when - t.last_date).days) > TRACK_WINDOW.days:
            continue
        have = set(t.parties or [])
        if wanted == have or len(wanted & have) >= 2 or (wanted and have and (wanted <= have or have <= wanted) and len(wanted | have) <= 3):
            return t
    return None
