"""The saved list of feeds, and which of their entries were already taken."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from ..roles import principal_of
from .repository import Store
from .schema import FeedEntryRow, FeedRow


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class SavedFeed:
    id: int
    url: str
    title: str | None
    added_at: datetime
    checked_at: datetime | None
    last_error: str | None
    entries_seen: int


class FeedList:
    def __init__(self, store: Store):
        self.store = store

    def _may_change(self) -> None:
        principal_of(self.store).require("ingest", "change the followed feeds")

    def add(self, url: str, title: str | None = None) -> int:
        """The feed's id, saving it first if it is new (idempotent)."""
        self._may_change()
        with self.store.session() as s:
            row = s.scalar(select(FeedRow).where(FeedRow.url == url))
            if row is not None:
                if title and row.title != title:
                    row.title = title[:500]
                return row.id
        try:
            with self.store.session() as s:
                row = FeedRow(url=url, title=title[:500] if title else None, added_at=_now())
                s.add(row)
                s.flush()
                return row.id
        except IntegrityError:  # saved by another process meanwhile
            with self.store.session() as s:
                return int(s.scalar(select(FeedRow.id).where(FeedRow.url == url)))  # type: ignore[arg-type]

    def get(self, url: str) -> int | None:
        with self.store.session() as s:
            return s.scalar(select(FeedRow.id).where(FeedRow.url == url))

    def remove(self, url: str) -> bool:
        self._may_change()
        with self.store.session() as s:
            feed_id = s.scalar(select(FeedRow.id).where(FeedRow.url == url))
            if feed_id is None:
                return False
            s.execute(delete(FeedEntryRow).where(FeedEntryRow.feed_id == feed_id))
            s.execute(delete(FeedRow).where(FeedRow.id == feed_id))
            return True

    def all(self) -> list[SavedFeed]:
        from sqlalchemy import func

        with self.store.session() as s:
            counts = dict(s.execute(select(FeedEntryRow.feed_id, func.count(FeedEntryRow.id)).group_by(FeedEntryRow.feed_id)).all())
            return [SavedFeed(r.id, r.url, r.title, r.added_at, r.checked_at, r.last_error, int(counts.get(r.id, 0)))
                    for r in s.scalars(select(FeedRow).order_by(FeedRow.id))]

    def seen(self, feed_id: int) -> set[str]:
        with self.store.session() as s:
            return set(s.scalars(select(FeedEntryRow.entry_key).where(FeedEntryRow.feed_id == feed_id)))

    def mark_seen(self, feed_id: int, key: str) -> None:
        self._may_change()
        try:
            with self.store.session() as s:
                s.add(FeedEntryRow(feed_id=feed_id, entry_key=key, seen_at=_now()))
        except IntegrityError:
            pass  # already marked

    def checked(self, feed_id: int, error: str | None = None) -> None:
        self._may_change()
        with self.store.session() as s:
            row = s.get(FeedRow, feed_id)
            if row is not None:
                row.checked_at = _now()
                row.last_error = error[:500] if error else None
