"""Watches: a user's named views (the sidebar filters) and what each held when last looked at.

A watch is personal: it belongs to the principal who made it (`owner`, the account name or
the e-mail address single sign-on gives; "" for the single-user local mode), and only its
owner sees or changes it. Keeping a watch is not a change to the data, so every role may
keep watches, viewers included, and the data version (the pages' cache key) is not bumped.
The server's command line acts as the local principal and may read and mark anyone's
watches: that is how the `digest` command serves a whole team from one cron line.

`seen_state` is the snapshot of the view when its owner last marked it seen: each
incident's latest toll per kind, each milestone's status (keyed by its article, its place in
the text and its kind, which re-extraction keeps), each negotiation track's current status. What is
new since then is worked out by services/watches.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import pandas as pd
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from ..roles import principal_of
from ..vocab import ALL_STATUSES, CASUALTY_KINDS, MILESTONE_KINDS
from .repository import Filters, Store
from .schema import ArticleRow, MilestoneRow, WatchRow

LOCAL_OWNER = ""  # the single-user local mode's watches; no account can have an empty name
MAX_NAME = 200
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
ALL = object()  # `list_watches(store, owner=ALL)`: every owner's watches (the local principal only)

# The watch's filter dict uses the names the address uses (?actor=…&ckind=…), and from/to.
LIST_FIELDS = {"country": "countries", "actor": "actors", "source": "sources",
               "ckind": "casualty_kinds", "mkind": "milestone_kinds", "mstatus": "statuses"}
_CHOICES = {"ckind": CASUALTY_KINDS, "mkind": MILESTONE_KINDS, "mstatus": ALL_STATUSES}


class WatchError(ValueError):
    """A watch that cannot be made, found or changed, with the reason."""


@dataclass(frozen=True)
class Watch:
    id: int
    owner: str
    name: str
    filters: Filters
    created_at: datetime
    seen_at: datetime | None
    seen_state: dict[str, Any] | None

    @property
    def owner_label(self) -> str:
        return self.owner or "the local user"


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


# -- the filter dict ------------------------------------------------------------------------------

def filters_to_dict(f: Filters) -> dict[str, Any]:
    """The watch's JSON form of a view: only what narrows it."""
    found: dict[str, Any] = {}
    if f.date_from:
        found["from"] = f.date_from.isoformat()
    if f.date_to:
        found["to"] = f.date_to.isoformat()
    for key, field in LIST_FIELDS.items():
        values = getattr(f, field)
        if values:
            found[key] = list(values)
    return found


def _day(key: str, value: Any) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise WatchError(f"the watch's {key!r} date {value!r} is not a date (YYYY-MM-DD)") from None


def _values(key: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise WatchError(f"the watch's {key!r} filter must be a list of names, not {value!r}")
    unknown = [v for v in value if key in _CHOICES and v not in _CHOICES[key]]
    if unknown:
        raise WatchError(f"the watch's {key!r} filter has unknown values {unknown} (known: {', '.join(_CHOICES[key])})")
    return tuple(value)


def filters_from_dict(found: Any) -> Filters:
    """A view from a watch's filter dict; anything that is not a filter is refused by name."""
    if not isinstance(found, dict):
        raise WatchError(f"a watch's filters must be a mapping, not {type(found).__name__}")
    unknown = sorted(set(found) - {"from", "to", *LIST_FIELDS})
    if unknown:
        raise WatchError(f"unknown filters in the watch: {', '.join(unknown)} (known: from, to, {', '.join(LIST_FIELDS)})")
    start, end = _day("from", found.get("from")), _day("to", found.get("to"))
    if start and end and start > end:
        raise WatchError(f"the watch's dates run backwards: from {start} to {end}")
    lists = {field: _values(key, found[key]) for key, field in LIST_FIELDS.items() if key in found}
    return Filters(date_from=start, date_to=end, **lists)


def check_name(name: Any) -> str:
    clean = " ".join(str(name or "").split())
    if not clean:
        raise WatchError("a watch needs a name")
    if len(clean) > MAX_NAME:
        raise WatchError(f"the watch name is longer than {MAX_NAME} characters")
    if _CONTROL.search(clean):
        raise WatchError("the watch name contains control characters")
    return clean


# -- who may see which watches --------------------------------------------------------------------

def own_owner(store: Store) -> str:
    """The owner name of the principal acting through `store`."""
    principal = principal_of(store)
    principal.require("read", "keep watches")
    return principal.name if principal.name is not None else LOCAL_OWNER


def _acts_for_everyone(store: Store) -> bool:
    return principal_of(store).name is None  # the local principal: single-user mode, the server's command line


def _row(s: Any, store: Store, watch_id: int) -> WatchRow:
    row = s.get(WatchRow, watch_id)
    if row is None or (row.owner != own_owner(store) and not _acts_for_everyone(store)):
        raise WatchError(f"there is no watch #{watch_id} of yours")  # another's watch is not even said to exist
    return row


def _watch(row: WatchRow) -> Watch:
    return Watch(row.id, row.owner, row.name, filters_from_dict(row.filters or {}), row.created_at, row.seen_at, row.seen_state)


# -- reading and writing --------------------------------------------------------------------------

def create(store: Store, name: str, filters: Filters, state: dict[str, Any]) -> Watch:
    """A new watch of the acting principal, seen as of `state` (what the view holds now)."""
    owner, name = own_owner(store), check_name(name)
    stored = filters_to_dict(filters)
    filters_from_dict(stored)  # the same checks a stored watch gets when read back
    now = _now()
    try:
        with store.session() as s:
            row = WatchRow(owner=owner, name=name, filters=stored, created_at=now, seen_at=now, seen_state=state)
            s.add(row)
            s.flush()
            return _watch(row)
    except IntegrityError:
        raise WatchError(f"you already have a watch named {name!r}") from None


def rename(store: Store, watch_id: int, name: str) -> Watch:
    name = check_name(name)
    try:
        with store.session() as s:
            row = _row(s, store, watch_id)
            row.name = name
            s.flush()
            return _watch(row)
    except IntegrityError:
        raise WatchError(f"you already have a watch named {name!r}") from None


def remove(store: Store, watch_id: int) -> None:
    with store.session() as s:
        _row(s, store, watch_id)
        s.execute(delete(WatchRow).where(WatchRow.id == watch_id))


def mark_seen(store: Store, watch_id: int, state: dict[str, Any]) -> Watch:
    """Remember `state` (the view as it was shown) as seen: what is new is counted from it."""
    with store.session() as s:
        row = _row(s, store, watch_id)
        row.seen_state, row.seen_at = state, _now()
        s.flush()
        return _watch(row)


def get(store: Store, watch_id: int) -> Watch:
    with store.session() as s:
        return _watch(_row(s, store, watch_id))


def list_watches(store: Store, owner: Any = None) -> list[Watch]:
    """The acting principal's watches by name; another owner's (a name, or ALL) on the local principal only."""
    own = own_owner(store)
    if owner is not None and owner != own and not _acts_for_everyone(store):
        raise WatchError(f"{principal_of(store).label} may not read another user's watches: a watch is personal")
    q = select(WatchRow).order_by(WatchRow.owner, func.lower(WatchRow.name), WatchRow.id)
    if owner is not ALL:
        q = q.where(WatchRow.owner == (own if owner is None else owner))
    with store.session() as s:
        return [_watch(row) for row in s.scalars(q)]


# -- what a view holds ----------------------------------------------------------------------------

def view_milestones(store: Store, f: Filters) -> pd.DataFrame:
    """The milestones of a view with what a watch needs to tell and to recognise them later."""
    when = func.coalesce(MilestoneRow.date, ArticleRow.published)
    q = select(
        MilestoneRow.id, MilestoneRow.article_id, MilestoneRow.start, MilestoneRow.end, MilestoneRow.kind, MilestoneRow.status,
        MilestoneRow.parties, when.label("date"), MilestoneRow.track_id, ArticleRow.title, ArticleRow.source,
    ).join(ArticleRow, ArticleRow.id == MilestoneRow.article_id).where(MilestoneRow.deleted.is_(False))
    q = store._article_filter(q, f)
    if f.milestone_kinds:
        q = q.where(MilestoneRow.kind.in_(f.milestone_kinds))
    if f.statuses:
        q = q.where(MilestoneRow.status.in_(f.statuses))
    with store.engine.connect() as conn:
        return pd.read_sql(q.order_by(MilestoneRow.id), conn)  # in the order extracted: a stable count of repeats
