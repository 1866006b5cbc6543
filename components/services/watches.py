"""What is new in a watch since its owner last looked: the Overview's Watches section and the digest.

A watch (store/watches.py) keeps its filters and a snapshot of what the view held when last
marked seen. Against the view as it is now, four things are new:

- incidents that were not in the view (each with its latest tolls);
- tolls that rose: an incident already seen whose latest count of a kind went up (before → after);
- statuses that changed: a negotiation track whose current status moved (proposed → agreed),
  or a milestone whose own status was corrected;
- milestones that were not in the view.

A new watch starts seen as of the moment it is saved. "Mark as seen" stores the snapshot the
news were worked out from, not a fresh one, so something stored while its owner was reading
is still new next time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pandas as pd

from ..store import Filters, Store
from ..store import watches as store_watches
from ..store.watches import ALL, LIST_FIELDS, Watch, WatchError
from .trends import BACK, FORWARD

__all__ = ["ALL", "LIST_FIELDS", "SECTIONS", "Watch", "WatchError", "WatchNews", "create_watch", "digest_text", "mark_seen", "news_for",
           "remove_watch", "rename_watch", "view_state", "watches_of", "whats_new"]


def _text(value: Any) -> str:
    """Text from an article (a title, a place, a party) on one line with no control characters."""
    if value is None or (not isinstance(value, (list, tuple, dict)) and pd.isna(value)):
        return ""
    return " ".join("".join(c if c.isprintable() else " " for c in str(value)).split())


def _day(value: Any) -> str:
    text = _text(value)
    return text[:10] if text else "undated"


def _parties(value: Any) -> str:
    if isinstance(value, str):
        return _text(value)
    return ", ".join(_text(p) for p in (value or []) if _text(p)) or "parties not named"


def _source(title: Any, source: Any) -> str:
    title, source = _text(title), _text(source)
    inside = ", ".join(part for part in (f"“{title}”" if title else "", source) if part)
    return f" ({inside})" if inside else ""


@dataclass(frozen=True)
class NewIncident:
    incident_id: int
    date: str
    place: str
    tolls: dict[str, int]
    title: str
    source: str
    article_id: int | None

    def line(self) -> str:
        tolls = ", ".join(f"{kind} {count:,}" for kind, count in self.tolls.items())
        return f"{self.date} {self.place}: {tolls}{_source(self.title, self.source)}"


@dataclass(frozen=True)
class TollRise:
    incident_id: int
    date: str
    place: str
    kind: str
    before: int
    after: int
    title: str
    source: str
    article_id: int | None

    def line(self) -> str:
        return f"{self.date} {self.place}: {self.kind} {self.before:,} → {self.after:,}{_source(self.title, self.source)}"


@dataclass(frozen=True)
class StatusChange:
    what: str  # "negotiation" (a track's current status) or "milestone" (one milestone, corrected)
    item_id: int
    kind: str
    parties: str
    before: str
    after: str
    date: str

    @property
    def direction(self) -> str:
        return "forward" if self.after in FORWARD else "back" if self.after in BACK else ""

    def line(self) -> str:
        moved = f" ({self.direction})" if self.direction else ""
        return f"{self.kind.replace('_', ' ')} {self.what} between {self.parties}: {self.before} → {self.after}{moved}, latest {self.date}"


@dataclass(frozen=True)
class NewMilestone:
    milestone_id: int
    kind: str
    status: str
    parties: str
    date: str
    title: str
    source: str
    article_id: int

    def line(self) -> str:
        return f"{self.date} {self.kind.replace('_', ' ')} ({self.status}) between {self.parties}{_source(self.title, self.source)}"


@dataclass(frozen=True)
class WatchNews:
    watch: Watch
    incidents: list[NewIncident] = field(default_factory=list)
    tolls: list[TollRise] = field(default_factory=list)
    statuses: list[StatusChange] = field(default_factory=list)
    milestones: list[NewMilestone] = field(default_factory=list)
    state: dict[str, Any] = field(default_factory=dict)  # the view now: "mark as seen" stores this

    @property
    def total(self) -> int:
        return len(self.incidents) + len(self.tolls) + len(self.statuses) + len(self.milestones)

    def counts(self) -> str:
        parts = [(len(self.incidents), "new incident", "new incidents"), (len(self.tolls), "toll rose", "tolls rose"),
                 (len(self.statuses), "status changed", "statuses changed"), (len(self.milestones), "new milestone", "new milestones")]
        return " · ".join(f"{n} {one if n == 1 else many}" for n, one, many in parts if n) or "nothing new"


# -- the view now ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class _View:
    incidents: pd.DataFrame
    milestones: pd.DataFrame
    tracks: pd.DataFrame


def _read_view(store: Store, f: Filters) -> _View:
    return _View(store.incidents(f), store_watches.view_milestones(store, f), store.tracks(f))


def _milestone_keys(frame: pd.DataFrame) -> list[str]:
    """Each milestone's name in a snapshot: its article, its span and its kind, which re-extraction keeps
    (unlike the row's id). One sentence can hold several milestones, so the kind is part of it, and
    a count tells apart the same kind twice in one span."""
    keys: list[str] = []
    seen: dict[str, int] = {}
    for row in frame.itertuples(index=False):
        key = f"{int(row.article_id)}:{int(row.start)}-{int(row.end)}:{row.kind}"
        seen[key] = seen.get(key, 0) + 1
        keys.append(key if seen[key] == 1 else f"{key}#{seen[key]}")
    return keys


def _state(view: _View) -> dict[str, Any]:
    incidents: dict[str, dict[str, int]] = {}
    for row in view.incidents.itertuples(index=False):
        incidents.setdefault(str(int(row.incident_id)), {})[str(row.kind)] = int(row.latest)
    return {
        "incidents": incidents,
        "milestones": dict(zip(_milestone_keys(view.milestones), view.milestones["status"].astype(str), strict=True)),
        "tracks": {str(int(r.track_id)): str(r.status) for r in view.tracks.itertuples(index=False)},
    }


def view_state(store: Store, f: Filters) -> dict[str, Any]:
    """The snapshot of a view that a watch keeps as seen."""
    return _state(_read_view(store, f))


# -- what changed ---------------------------------------------------------------------------------

def _place(row: Any) -> str:
    return ", ".join(p for p in (_text(row.location), _text(row.country)) if p) or "place not named"


def _incident_changes(frame: pd.DataFrame, seen: dict[str, dict[str, int]]) -> tuple[list[NewIncident], list[TollRise]]:
    new: list[NewIncident] = []
    rises: list[TollRise] = []
    by_incident: dict[int, list[Any]] = {}  # one pass over the view: a pandas group per incident costs milliseconds each
    for row in frame.itertuples(index=False):
        by_incident.setdefault(int(row.incident_id), []).append(row)
    for incident_id, rows in by_incident.items():
        first = rows[0]
        tolls = {str(r.kind): int(r.latest) for r in rows}
        article = int(first.latest_article_id) if pd.notna(first.latest_article_id) else None
        before = seen.get(str(incident_id))
        if before is None:
            new.append(NewIncident(incident_id, _day(first.date), _place(first), tolls, _text(first.latest_title),
                                   _text(first.latest_source), article))
            continue
        for row in rows:
            was = int(before.get(str(row.kind), 0))
            if int(row.latest) > was:
                rises.append(TollRise(incident_id, _day(row.date), _place(row), str(row.kind), was, int(row.latest),
                                      _text(row.latest_title), _text(row.latest_source), article))
    return new, rises


def _milestone_changes(frame: pd.DataFrame, seen: dict[str, str]) -> tuple[list[NewMilestone], list[StatusChange]]:
    new: list[NewMilestone] = []
    corrected: list[StatusChange] = []
    for key, row in zip(_milestone_keys(frame), frame.itertuples(index=False), strict=True):
        before = seen.get(key)
        if before is None:
            new.append(NewMilestone(int(row.id), str(row.kind), str(row.status), _parties(row.parties), _day(row.date),
                                    _text(row.title), _text(row.source), int(row.article_id)))
        elif before != row.status:
            corrected.append(StatusChange("milestone", int(row.id), str(row.kind), _parties(row.parties), before,
                                          str(row.status), _day(row.date)))
    return new, corrected


def _track_changes(frame: pd.DataFrame, seen: dict[str, str]) -> list[StatusChange]:
    changes = []
    for row in frame.itertuples(index=False):
        before = seen.get(str(int(row.track_id)))
        if before is not None and before != row.status:
            changes.append(StatusChange("negotiation", int(row.track_id), str(row.kind), _parties(row.parties), before,
                                        str(row.status), _day(row.last_date)))
    return changes


def whats_new(store: Store, watch: Watch) -> WatchNews:
    """What the watch's view holds now that it did not when its owner last marked it seen."""
    view = _read_view(store, watch.filters)
    seen = watch.seen_state or {}
    incidents, rises = _incident_changes(view.incidents, seen.get("incidents") or {})
    milestones, corrected = _milestone_changes(view.milestones, seen.get("milestones") or {})
    statuses = _track_changes(view.tracks, seen.get("tracks") or {}) + corrected
    incidents.sort(key=lambda n: n.date, reverse=True)
    rises.sort(key=lambda n: n.date, reverse=True)
    milestones.sort(key=lambda n: n.date, reverse=True)
    return WatchNews(watch, incidents, rises, statuses, milestones, _state(view))


# -- keeping watches ------------------------------------------------------------------------------

def create_watch(store: Store, name: str, filters: Filters) -> Watch:
    """Save a view as a watch of the acting principal; nothing in it is new yet."""
    store_watches.check_name(name)  # a clear error before the view is read
    return store_watches.create(store, name, filters, view_state(store, filters))


def rename_watch(store: Store, watch_id: int, name: str) -> Watch:
    return store_watches.rename(store, watch_id, name)


def remove_watch(store: Store, watch_id: int) -> None:
    store_watches.remove(store, watch_id)


def mark_seen(store: Store, news: WatchNews) -> Watch:
    """The watch seen as the news showed it (their snapshot), so nothing stored meanwhile is skipped."""
    return store_watches.mark_seen(store, news.watch.id, news.state)


def watches_of(store: Store, owner: Any = None) -> list[Watch]:
    return store_watches.list_watches(store, owner)


def news_for(store: Store, owner: Any = None, name: str | None = None) -> list[WatchNews]:
    """The news of an owner's watches (the acting principal's by default; ALL for everyone's), or of the one named."""
    watches = watches_of(store, owner)
    if name is not None:
        wanted = store_watches.check_name(name).casefold()
        watches = [w for w in watches if w.name.casefold() == wanted]
        if not watches:
            whose = "any user" if owner is ALL else (owner if owner else "you")
            raise WatchError(f"there is no watch named {name!r} for {whose}")
    return [whats_new(store, w) for w in watches]


# -- the digest, as text --------------------------------------------------------------------------

SECTIONS = (("incidents", "New incidents"), ("tolls", "Tolls that rose"), ("statuses", "Statuses that changed"),
            ("milestones", "New milestones"))


def _seen(when: datetime | None) -> str:
    return f"since {when:%Y-%m-%d %H:%M} UTC" if when else "never marked seen"


def watch_text(news: WatchNews) -> list[str]:
    """One watch's news as plain-text lines (no markup: the names in it come from articles)."""
    lines = [f"Watch “{news.watch.name}” ({_seen(news.watch.seen_at)}): {news.counts()}"]
    for attribute, heading in SECTIONS:
        items = getattr(news, attribute)
        if items:
            lines.append(f"  {heading}:")
            lines.extend(f"    - {item.line()}" for item in items)
    return lines


def digest_text(all_news: Iterable[WatchNews]) -> str:
    """The digest: each owner's watches, what is new in each."""
    lines: list[str] = []
    owner: str | None = None
    for news in all_news:
        if news.watch.owner != owner:
            owner = news.watch.owner
            if lines:
                lines.append("")
            lines.append(f"Watches of {news.watch.owner_label}")
        lines.extend(watch_text(news))
    return "\n".join(lines) if lines else "No watches. Save one on the Overview (“Save these filters as a watch”)."
