"""Stories: near-duplicate articles grouped under the id of the story's first article.

`articles.story_id` holds the group. Counting stories rather than articles (group by
`coalesce(story_id, id)`) keeps one wire story carried by five outlets from counting five
times. The similarity itself is `components.store.dedupe` (MinHash LSH, no database);
this module keeps an index of the stored articles up to date and writes the ids.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Hashable
from typing import Any

import pandas as pd
from sqlalchemy import bindparam, func, select, update

from .dedupe import THRESHOLD, NearDuplicateIndex, signature
from .repository import Store
from .schema import ArticleRow
from .writes import bump_data_version

_INDEXES: weakref.WeakKeyDictionary[Any, StoryIndex] = weakref.WeakKeyDictionary()  # by engine: views share it
_INDEXES_LOCK = threading.Lock()


class StoryIndex:
    """The signatures of a store's articles; `assign` gives a newly stored article its story.

    Built from the database on first use (articles stored without a story get one then,
    in id order), then kept current: articles that other processes stored meanwhile are
    read before each assignment.
    """

    def __init__(self, store: Store, threshold: float = THRESHOLD):
        self.store = store
        self.index = NearDuplicateIndex(threshold)
        self.story_of: dict[Hashable, int] = {}
        self.last_id = 0
        self._loaded = False
        self._unwritten: list[dict[str, int]] = []
        self._lock = threading.Lock()

    def _catch_up(self, before: int | None = None) -> None:
        """Index the stored articles after `last_id` (and before `before`), assigning stories where missing."""
        q = select(ArticleRow.id, ArticleRow.text, ArticleRow.story_id).where(ArticleRow.id > self.last_id).order_by(ArticleRow.id)
        if before is not None:
            q = q.where(ArticleRow.id < before)
        updates: list[dict[str, int]] = []
        with self.store.engine.connect() as conn:
            for article_id, text, story_id in conn.execution_options(yield_per=500).execute(q):
                story = story_id if story_id is not None else self._match(text, article_id)
                if story_id is None:
                    updates.append({"row_id": article_id, "story": story})
                self.last_id = max(self.last_id, article_id)
        self._loaded = True
        self._write(updates)

    def _match(self, text: str, article_id: int) -> int:
        sig = signature(text, self.index.num_perm)
        found = self.index.find(sig)
        story = self.story_of[found[0]] if found else article_id
        self.index.add(article_id, sig)
        self.story_of[article_id] = story
        return story

    def _write(self, updates: list[dict[str, int]]) -> None:
        if not updates:
            return
        table = ArticleRow.__table__
        stmt = update(table).where(table.c.id == bindparam("row_id")).values(story_id=bindparam("story"))
        with self.store.engine.begin() as conn:
            conn.execute(stmt, updates)
            bump_data_version(conn)

    def assign(self, article_id: int, text: str, *, write: bool = True) -> int:
        """The story of a just-stored article (its own id when it is new), written to the database.

        `write=False` keeps the id to write with the next ones (a batch calls `flush` at its
        end); an id lost to a crash is filled in by the next catch-up.
        """
        with self._lock:
            if article_id in self.story_of:
                return self.story_of[article_id]
            if not self._loaded or article_id > self.last_id + 1:  # others stored articles meanwhile
                self._catch_up(before=article_id)
            story = self._match(text, article_id)
            self.last_id = max(self.last_id, article_id)
            self._unwritten.append({"row_id": article_id, "story": story})
            if write or len(self._unwritten) >= 256:
                self._flush()
            return story

    def _flush(self) -> None:
        pending, self._unwritten = self._unwritten, []
        self._write(pending)

    def flush(self) -> None:
        with self._lock:
            self._flush()

    def catch_up(self) -> None:
        with self._lock:
            self._flush()
            self._catch_up()


def story_index(store: Store) -> StoryIndex:
    """The StoryIndex of a store's database, made once and shared by its users and views."""
    with _INDEXES_LOCK:
        found = _INDEXES.get(store.engine)
        if found is None:
            found = _INDEXES[store.engine] = StoryIndex(store)
        return found


def assign_story_ids(store: Store) -> int:
    """Give every stored article without one its story id; returns how many were set."""
    with store.engine.connect() as conn:
        missing = conn.scalar(select(func.count(ArticleRow.id)).where(ArticleRow.story_id.is_(None))) or 0
    story_index(store).catch_up()
    return int(missing)


def stories(store: Store) -> pd.DataFrame:
    """One row per story with two or more articles: its id, how many articles, and their outlets."""
    story = func.coalesce(ArticleRow.story_id, ArticleRow.id)
    q = (
        select(story.label("story_id"), func.count(ArticleRow.id).label("articles"), func.min(ArticleRow.title).label("title"))
        .group_by(story)
        .having(func.count(ArticleRow.id) > 1)
        .order_by(func.count(ArticleRow.id).desc())
    )
    with store.engine.connect() as conn:
        frame = pd.read_sql(q, conn)
        outlets = pd.read_sql(select(story.label("story_id"), ArticleRow.source).where(story.in_(frame["story_id"].tolist())), conn) if len(frame) else None
    if outlets is not None:
        by_story = outlets.dropna().groupby("story_id")["source"].agg(lambda s: sorted(set(s)))
        frame["sources"] = frame["story_id"].map(by_story).apply(lambda v: v if isinstance(v, list) else [])
    else:
        frame["sources"] = []
    return frame


def story_count(store: Store) -> int:
    """Stories stored: near-duplicate articles count once."""
    with store.engine.connect() as conn:
        return int(conn.scalar(select(func.count(func.distinct(func.coalesce(ArticleRow.story_id, ArticleRow.id))))) or 0)
