"""Writing extractions and reading what the dashboard shows.

Every write is one transaction per article: an article and all its extracted items are
stored together or not at all. Reads aggregate in the database and return DataFrames.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import pandas as pd
from sqlalchemy import Select, and_, case, delete, event, func, literal_column, select
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from ..models import (
    Actor,
    Article,
    Casualty,
    Extraction,
    Figure,
    Milestone,
    Place,
    Quote,
    content_hash,
)
from ..roles import LOCAL, Principal
from .corrections import Corrections
from .db import make_engine
from .inserts import ARTICLE_BY_HASH, StoredArticle, insert_article, insert_items
from .linking import assign_incidents, assign_tracks
from .migrate import upgrade as migrate_to_head
from .schema import (
    ARTICLE_DAY,  # the day an article stands for (see schema.py), indexed as written
    ActorRow,
    ArticleActorRow,
    ArticlePlaceRow,
    ArticleRow,
    CasualtyRow,
    CorrectionRow,
    FigureRow,
    IncidentRow,
    MilestoneRow,
    QuoteRow,
    RelationRow,
    TrackRow,
)
from .sentences import sentence_around
from .writes import DATA_VERSION, RETRIES, backoff, bump_data_version, fit_strings, transient

# "rank = 1" written as a literal: bound as a parameter, SQLite cannot see the filter is
# selective and scans the grouped subquery for every row (8 s instead of 0.8 s at 100k articles).
FIRST = literal_column("1")
MENTION_COLUMNS = ["name", "kind", "article_id", "title", "source", "published", "day", "start", "end", "sentence"]


@dataclass(frozen=True)
class SaveResult:
    status: str  # "stored" | "duplicate" | "skipped"
    article_id: int
    content_hash: str


@dataclass(frozen=True)
class Filters:
    """What every page narrows by. Empty means no restriction."""

    date_from: date | None = None
    date_to: date | None = None
    countries: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    casualty_kinds: tuple[str, ...] = ()
    milestone_kinds: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()




def _as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def totals_of(incidents: pd.DataFrame) -> dict[str, int]:
    """`Store.casualty_totals` of a view, from its `Store.incidents` already read: both count each
    incident and kind once, at its latest report, so a page holding the incidents needs no
    second ranking of every report for its headline."""
    if incidents.empty:
        return {}
    sums = incidents.groupby("kind", sort=True)["latest"].sum(min_count=1)
    return {str(kind): int(value) if pd.notna(value) else 0 for kind, value in sums.items()}


def incident_count(incidents: pd.DataFrame) -> int:
    """`Store.summary(...)["incidents"]` of a view, from its `Store.incidents` (a row per incident and kind)."""
    return int(incidents["incident_id"].nunique()) if not incidents.empty else 0


class Store:
    """One database. `principal` is who acts through this object: every write checks its role
    (components/roles.py) and raises PermissionDenied; None is the single-user local mode."""

    def __init__(self, url: str | None = None, *, principal: Principal | None = None):
        self.engine = make_engine(url)
        migrate_to_head(self.engine)  # Alembic: a new database is created, an older one upgraded in place
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        event.listen(self._sessions, "before_flush", fit_strings)  # PostgreSQL enforces VARCHAR lengths
        self.principal: Principal = principal if principal is not None else LOCAL

    def for_principal(self, principal: Principal | None) -> Store:
        """A view of this store acting for `principal`: the same engine and sessions, its own rights."""
        view = copy.copy(self)
        view.principal = principal if principal is not None else LOCAL
        return view

    # Views of one store share its engine, so they are one store to the per-store caches
    # (stories.story_index is keyed by the store).
    def __eq__(self, other: object) -> bool:
        return isinstance(other, Store) and other.engine is self.engine

    def __hash__(self) -> int:
        return hash(id(self.engine))

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self._sessions() as session, session.begin():
            yield session

    @contextmanager
    def changing(self) -> Iterator[Session]:
        """A transaction that changes what the pages show: the data version goes up with it."""
        with self.session() as session:
            yield session
            bump_data_version(session.connection())

    def data_version(self) -> int:
        """A number that goes up with every change the pages show (see `changing`): a cache key."""
        with self.engine.connect() as conn:
            return int(conn.execute(DATA_VERSION).scalar() or 0)

    # -- writing ------------------------------------------------------------------------------
    def has_article(self, text_or_hash: str) -> bool:
        key = text_or_hash if len(text_or_hash) == 16 and " " not in text_or_hash else content_hash(text_or_hash)
        with self._sessions() as s:
            return s.scalar(select(ArticleRow.id).where(ArticleRow.content_hash == key)) is not None

    def save(self, article: Article, extraction: Extraction | None, *, skipped_reason: str | None = None,
             user: str | None = None, language: str | None = "en") -> SaveResult:
        """Store an article and its extraction in one transaction; the same text twice is stored once."""
        self.principal.require("ingest")
        user = self.principal.name if self.principal.name is not None else user  # the audit names the signed-in principal
        key = article.id
        with self._sessions() as s:
            existing = s.connection().execute(ARTICLE_BY_HASH, {"hash": key}).scalar()
            s.rollback()
            if existing is not None:
                return SaveResult("duplicate", existing, key)
            for attempt in range(RETRIES + 1):
                try:
                    with s.begin():
                        row = insert_article(s.connection(), {
                            "content_hash": key, "title": article.title or (extraction.title if extraction else None),
                            "published": article.published, "source": article.source, "url": article.url, "author": article.author,
                            "path": article.path, "illustrative": article.illustrative, "text": article.text,
                            "dateline": extraction.dateline if extraction else None, "language": language,
                            "status": "extracted" if extraction is not None else "skipped", "status_reason": skipped_reason,
                            "extractor_version": extraction.extractor_version if extraction else None,
                            "model": extraction.model if extraction else None,
                            "ingested_at": datetime.now(UTC).replace(tzinfo=None), "ingested_by": user, "story_id": None,
                        })
                        if extraction is not None:
                            self._write_items(s, row, extraction)
                        bump_data_version(s.connection())
                except IntegrityError:
                    # Another writer stored the same article between our check and our insert.
                    s.rollback()
                    existing = s.connection().execute(ARTICLE_BY_HASH, {"hash": key}).scalar()
                    s.rollback()
                    if existing is None:
                        # A unique actor or place made by another writer without our locks: try again.
                        if attempt >= 2:
                            raise
                        backoff(attempt)
                        continue
                    return SaveResult("duplicate", existing, key)
                except DBAPIError as exc:
                    # Deadlock, serialization failure, SQLite busy: the whole article again.
                    s.rollback()
                    if attempt == RETRIES or not transient(exc):
                        raise
                    backoff(attempt)
                    continue
                break
            return SaveResult("stored" if extraction is not None else "skipped", row.id, key)

    @property
    def corrections(self) -> Corrections:
        return Corrections(self)

    def replace_extraction(self, article_id: int, extraction: Extraction) -> list[int]:
        """Re-extraction: the article's items replaced in one transaction, its corrections re-applied.

        Returns the ids of corrections that found no item in the new extraction.
        """
        self.principal.require("ingest", "re-extract articles")
        with self.changing() as s:
            row = s.get(ArticleRow, article_id)
            if row is None:
                raise KeyError(f"there is no article #{article_id}")
            for table in (ArticleActorRow, ArticlePlaceRow, CasualtyRow, FigureRow, MilestoneRow, QuoteRow, RelationRow):
                s.execute(delete(table).where(table.article_id == article_id))
            row.extractor_version, row.model, row.dateline = extraction.extractor_version, extraction.model, extraction.dateline
            row.status, row.status_reason = "extracted", None
            s.flush()
            conn = s.connection()
            insert_items(conn, StoredArticle(row.id, row.text, row.published), extraction, Corrections(self).actor_redirects(conn), link=False)
            orphans = Corrections(self).reapply(s, row)
            s.flush()
            assign_incidents(s, row)
            assign_tracks(s, row)
            return orphans

    def delete_article(self, article_id: int, reason: str | None = None, *, user: str | None = None) -> int:
        """Delete an article with everything extracted from it, in one transaction (admins only);
        the deletion goes into the audit trail (who, when, why, the article's title, outlet and
        what was extracted from it) in the same transaction. The audit entry's id.

        The article's corrections stay in the audit trail too; they name it by content hash.
        """
        self.principal.require("delete")
        user = self.principal.name if self.principal.name is not None else user
        with self.changing() as s:
            row = s.get(ArticleRow, article_id)
            if row is None:
                raise KeyError(f"there is no article #{article_id}")
            counts = {t: int(s.scalar(select(func.count()).select_from(table).where(table.article_id == article_id)) or 0)
                      for t, table in (("casualties", CasualtyRow), ("milestones", MilestoneRow), ("figures", FigureRow),
                                       ("actors", ArticleActorRow))}
            record = CorrectionRow(target="article", action="delete", article_hash=row.content_hash, item_key=f"#{article_id}",
                                   changes={}, previous={"title": row.title, "source": row.source,
                                                         "published": row.published.isoformat() if row.published else None,
                                                         "ingested_by": row.ingested_by, **counts},
                                   reason=(reason or "").strip() or "no reason given", user=user, created_at=datetime.now(UTC).replace(tzinfo=None))
            s.add(record)
            for table in (ArticleActorRow, ArticlePlaceRow, CasualtyRow, FigureRow, MilestoneRow, QuoteRow, RelationRow):
                s.execute(delete(table).where(table.article_id == article_id))
            s.execute(delete(ArticleRow).where(ArticleRow.id == article_id))
            s.flush()
            return record.id

    def find_articles(self, text: str, limit: int = 50) -> pd.DataFrame:
        """Articles named by number ("42", "#42") or with `text` in their title (any case), newest first."""
        wanted = (text or "").strip()
        q = select(ArticleRow.id, ArticleRow.title, ArticleRow.published, ArticleRow.source, ArticleRow.ingested_at,
                   ArticleRow.ingested_by).order_by(ArticleRow.id.desc()).limit(limit)
        number = wanted.removeprefix("#")
        if number.isascii() and number.isdigit() and len(number) <= 18:
            q = q.where(ArticleRow.id == int(number))
        elif wanted:
            pattern = "%" + wanted.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            q = q.where(ArticleRow.title.ilike(pattern, escape="\\"))
        return self._frame(q)

    def stale_articles(self, version: str) -> list[int]:
        with self._sessions() as s:
            return list(s.scalars(select(ArticleRow.id).where(ArticleRow.status == "extracted", (ArticleRow.extractor_version != version) | ArticleRow.extractor_version.is_(None))))

    def _write_items(self, s: Session, row: StoredArticle, ex: Extraction) -> None:
        """A new article's items, linked to incidents and tracks (see store/inserts.py)."""
        conn = s.connection()
        insert_items(conn, row, ex, Corrections(self).actor_redirects(conn), link=True)

    # -- reading ------------------------------------------------------------------------------
    def article_count(self) -> int:
        with self._sessions() as s:
            return int(s.scalar(select(func.count(ArticleRow.id))) or 0)

    def _article_filter(self, q: Select, f: Filters) -> Select:
        conds = []
        if f.date_from:
            conds.append(f.date_from <= ARTICLE_DAY)
        if f.date_to:
            conds.append(f.date_to >= ARTICLE_DAY)
        if f.sources:
            conds.append(ArticleRow.source.in_(f.sources))
        if f.actors or f.countries:
            # The actors' ids are looked up first and given as values: the planner then knows from
            # its statistics how many articles name them (a country or Russia: most of them), where
            # a join on the names leaves it the average actor's share and nested loops over 70,000 rows.
            conds.append(ArticleRow.id.in_(select(ArticleActorRow.article_id).where(ArticleActorRow.actor_id.in_(self._actor_ids(f)))))
        return q.where(and_(*conds)) if conds else q

    def _actor_ids(self, f: Filters) -> list[int]:
        """The canonical actors the view's Actors and Countries filters name (both, where both are set)."""
        q = select(ActorRow.id).order_by(ActorRow.id)
        if f.actors:
            q = q.where(ActorRow.name.in_(f.actors))
        if f.countries:
            q = q.where(ActorRow.country.in_(f.countries))
        with self.engine.connect() as conn:
            return [int(i) for i in conn.scalars(q)]

    def _frame(self, q: Select) -> pd.DataFrame:
        with self.engine.connect() as conn:
            return pd.read_sql(q, conn)

    def articles(self, f: Filters = Filters(), limit: int | None = None) -> pd.DataFrame:
        q = select(
            ArticleRow.id, ArticleRow.title, ArticleRow.published, ArticleRow.source, ArticleRow.dateline,
            ArticleRow.status, ArticleRow.status_reason, ArticleRow.illustrative, ArticleRow.extractor_version,
            ArticleRow.ingested_at, ARTICLE_DAY.label("day"),
        ).order_by(ARTICLE_DAY.desc().nulls_last(), ArticleRow.id.desc())
        q = self._article_filter(q, f)
        if limit:
            q = q.limit(limit)
        return self._frame(q)

    def relations(self, f: Filters = Filters(), kinds: tuple[str, ...] = (), min_weight: int = 1) -> pd.DataFrame:
        """Actor pairs across articles: how often they share a sentence, meet or negotiate."""
        redirects = self._redirects()
        q = (
            select(RelationRow.source, RelationRow.target, RelationRow.kind, func.sum(RelationRow.weight).label("weight"),
                   func.count(func.distinct(RelationRow.article_id)).label("articles"))
            .join(ArticleRow, ArticleRow.id == RelationRow.article_id)
            .group_by(RelationRow.source, RelationRow.target, RelationRow.kind)
        )
        q = self._article_filter(q, f)
        if kinds:
            q = q.where(RelationRow.kind.in_(kinds))
        frame = self._frame(q)
        if redirects and not frame.empty:
            # Names merged or renamed after the relation was stored.
            frame["source"] = frame["source"].map(lambda n: redirects.get(n, n))
            frame["target"] = frame["target"].map(lambda n: redirects.get(n, n))
            frame = frame[frame["source"] != frame["target"]]
            frame = frame.groupby(["source", "target", "kind"], as_index=False)[["weight", "articles"]].sum()
        return frame[frame["weight"] >= min_weight] if not frame.empty else frame

    def _redirects(self) -> dict[str, str]:
        with self._sessions() as s:
            return Corrections(self).actor_redirects(s)

    def sources(self) -> list[str]:
        with self._sessions() as s:
            return [r for r in s.scalars(select(ArticleRow.source).where(ArticleRow.source.is_not(None)).distinct().order_by(ArticleRow.source))]

    def date_bounds(self) -> tuple[date | None, date | None]:
        with self._sessions() as s:
            lo, hi = s.execute(select(func.min(ARTICLE_DAY), func.max(ARTICLE_DAY))).one()
            return _as_date(lo), _as_date(hi)

    def actor_choices(self) -> pd.DataFrame:
        """Name and country of every canonical actor some article names (the sidebar's choices):
        the actors of `actors()` without counting their articles."""
        named = select(ArticleActorRow.id).where(ArticleActorRow.actor_id == ActorRow.id).exists()
        return self._frame(select(ActorRow.name, ActorRow.country).where(named).order_by(ActorRow.name))

    def _actor_rows(self, f: Filters, *columns: Any) -> Select:
        """`columns` of the rows of article_actors in the view (actors of the view's countries)."""
        q = select(*columns).select_from(ArticleActorRow).join(ArticleRow, ArticleRow.id == ArticleActorRow.article_id)
        q = self._article_filter(q, f)
        if f.countries:
            q = q.where(ArticleActorRow.actor_id.in_(select(ActorRow.id).where(ActorRow.country.in_(f.countries))))
        return q

    def _per_actor(self, f: Filters, *columns: Any) -> Select:
        """Rows of article_actors in the view, grouped by actor id and `columns` (grouped by the id,
        not the name, kind and country: the names are joined to the few groups afterwards)."""
        return self._actor_rows(f, ArticleActorRow.actor_id, *columns).group_by(ArticleActorRow.actor_id, *columns)

    def last_active_day(self, f: Filters = Filters()) -> date | None:
        """The latest day of `actor_activity(f)`, without reading the activity."""
        with self.engine.connect() as conn:
            return _as_date(conn.execute(self._actor_rows(f, func.max(ARTICLE_DAY))).scalar())

    def actors(self, f: Filters = Filters()) -> pd.DataFrame:
        """One row per canonical actor: kind, country, articles and mentions."""
        counts = self._per_actor(f).add_columns(
            func.max(ArticleActorRow.role).label("role"),
            # An article names an actor once (unique article_id, actor_id), so its rows count its
            # articles: no DISTINCT, which costs a sort of every row (seconds at 100k articles).
            func.count().label("articles"),
            func.sum(ArticleActorRow.mentions).label("mentions"),
        ).subquery()
        q = (
            select(ActorRow.name, ActorRow.kind, ActorRow.country, counts.c.role, counts.c.articles, counts.c.mentions)
            .join(counts, counts.c.actor_id == ActorRow.id)
            .order_by(counts.c.mentions.desc())
        )
        return self._frame(q)

    def actor_mentions(self, f: Filters = Filters(), name: str = "") -> pd.DataFrame:
        """The articles (under the filters) naming one canonical actor, most mentions first, with
        where it is named in each (`spans`, pairs of character offsets)."""
        q = (
            select(ArticleRow.id.label("article_id"), ArticleRow.title, ArticleRow.source, ArticleRow.published,
                   ArticleActorRow.mentions, ArticleActorRow.spans)
            .join(ArticleActorRow, ArticleActorRow.article_id == ArticleRow.id)
            .join(ActorRow, ActorRow.id == ArticleActorRow.actor_id)
            .where(ActorRow.name == name)
            .order_by(ArticleActorRow.mentions.desc(), ArticleRow.id.desc())
        )
        return self._frame(self._article_filter(q, f))

    def actor_mention_sentences(self, f: Filters = Filters(), names: tuple[str, ...] = (), limit: int = 500) -> pd.DataFrame:
        """Each place where the articles under the filters name one of the canonical actors `names`
        (the mentions `actors` adds up): the actor, the article, the span and the sentence around
        it; newest articles first, each article's mentions in reading order. An article that names
        an actor without a recorded place gives one row with no span. At most `limit` rows."""
        if not names:
            return pd.DataFrame(columns=MENTION_COLUMNS)
        q = (
            select(ActorRow.name, ActorRow.kind, ArticleRow.id.label("article_id"), ArticleRow.title, ArticleRow.source,
                   ArticleRow.published, ARTICLE_DAY.label("day"), ArticleActorRow.spans)
            .join(ArticleActorRow, ArticleActorRow.article_id == ArticleRow.id)
            .join(ActorRow, ActorRow.id == ArticleActorRow.actor_id)
            .where(ActorRow.name.in_(names))
            .order_by(ARTICLE_DAY.desc().nulls_last(), ArticleRow.id.desc(), ActorRow.name)
            .limit(limit)  # every article names its actor at least once
        )
        q = self._article_filter(q, f)
        if f.countries:
            q = q.where(ActorRow.country.in_(f.countries))  # as `actors` counts them
        with self.engine.connect() as conn:
            named = conn.execute(q).all()
            ids = sorted({r.article_id for r in named})
            texts = dict(conn.execute(select(ArticleRow.id, ArticleRow.text).where(ArticleRow.id.in_(ids))).all()) if ids else {}
        rows: list[dict[str, Any]] = []
        for r in named:
            text = texts.get(r.article_id) or ""
            spans = sorted((int(s), int(e)) for s, e in (r.spans or []) if 0 <= int(s) < int(e) <= len(text)) or [(None, None)]
            for start, end in spans:
                sentence = sentence_around(text, start, end) if start is not None and end is not None else None
                rows.append({"name": r.name, "kind": r.kind, "article_id": r.article_id, "title": r.title, "source": r.source,
                             "published": r.published, "day": _as_date(r.day), "start": start, "end": end, "sentence": sentence})
        frame = pd.DataFrame(rows[:limit], columns=MENTION_COLUMNS)
        return frame.astype({"start": "Int64", "end": "Int64"})

    def figures_in_period(self, f: Filters = Filters(), date_from: date | None = None, date_to: date | None = None,
                          kind: str | None = None, countries: tuple[str, ...] = (), locations: tuple[str, ...] = ()) -> pd.DataFrame:
        """The figures behind the Trends page's incidents and people killed: one per incident and
        kind at its newest report (as `incidents` and `totals_evidence` count them), for incidents
        dated `date_from` to `date_to` (the incident's own date, which Trends compares), of one
        `kind`, in some `countries` or places (`locations`) when given; largest first."""
        ranked = self._counted_reports(f)
        q = (
            select(IncidentRow.id.label("incident_id"), IncidentRow.date, IncidentRow.location, IncidentRow.country, ranked.c.kind,
                   ranked.c.count, ranked.c.low, ranked.c.high, ranked.c.item_id, ranked.c.article_id, ranked.c.title, ranked.c.source,
                   ranked.c.published, ranked.c.sentence, ranked.c.start, ranked.c.end)
            .join(ranked, ranked.c.incident_id == IncidentRow.id)
            .where(ranked.c.rank == FIRST)
            .order_by(ranked.c.count.desc(), IncidentRow.id.desc())
        )
        if date_from is not None:
            q = q.where(IncidentRow.date >= date_from)
        if date_to is not None:
            q = q.where(IncidentRow.date <= date_to)
        if kind is not None:
            q = q.where(ranked.c.kind == kind)
        if countries:
            q = q.where(IncidentRow.country.in_(countries))
        if locations:
            q = q.where(IncidentRow.location.in_(locations))
        return self._frame(q)

    def actor_activity(self, f: Filters = Filters()) -> pd.DataFrame:
        """Per actor and day (publication, else ingest): the articles that mention it (what Trends compares)."""
        day = ARTICLE_DAY.label("date")
        counts = self._per_actor(f, day).add_columns(func.count().label("articles")).subquery()  # one row per article and actor
        q = select(ActorRow.name, ActorRow.kind, ActorRow.country, counts.c.date, counts.c.articles).join(counts, counts.c.actor_id == ActorRow.id)
        return self._frame(q)

    def actor_mentions_over_time(self, f: Filters = Filters(), names: list[str] | None = None) -> pd.DataFrame:
        q = (
            select(ActorRow.name, ArticleRow.published.label("date"), func.sum(ArticleActorRow.mentions).label("mentions"))
            .join(ArticleActorRow, ArticleActorRow.actor_id == ActorRow.id)
            .join(ArticleRow, ArticleRow.id == ArticleActorRow.article_id)
            .where(ArticleRow.published.is_not(None))
            .group_by(ActorRow.name, ArticleRow.published)
        )
        if names:
            q = q.where(ActorRow.name.in_(names))
        return self._frame(self._article_filter(q, f))

    def casualties(self, f: Filters = Filters(), counted_only: bool = False, limit: int | None = None) -> pd.DataFrame:
        q = select(
            CasualtyRow.id, CasualtyRow.article_id, CasualtyRow.kind, CasualtyRow.count, CasualtyRow.low, CasualtyRow.high,
            CasualtyRow.qualifier, CasualtyRow.victims, CasualtyRow.perpetrator, CasualtyRow.location, CasualtyRow.country,
            func.coalesce(CasualtyRow.date, ArticleRow.published).label("date"), CasualtyRow.incident,
            CasualtyRow.cumulative, CasualtyRow.counted, CasualtyRow.incident_id, CasualtyRow.correction_id, CasualtyRow.sentence, CasualtyRow.start,
            CasualtyRow.end, ArticleRow.title, ArticleRow.source, ArticleRow.published,
        ).join(ArticleRow, ArticleRow.id == CasualtyRow.article_id).where(CasualtyRow.deleted.is_(False)).order_by(
            ArticleRow.published.desc().nulls_last(), CasualtyRow.id)  # the id: the same figures at the limit, whatever the plan
        q = self._article_filter(q, f)
        if counted_only:
            q = q.where(CasualtyRow.counted.is_(True))
        if f.casualty_kinds:
            q = q.where(CasualtyRow.kind.in_(f.casualty_kinds))
        if limit is not None:
            # The newest articles' figures; their ids chosen first, so the sort carries no sentences.
            newest = q.with_only_columns(CasualtyRow.id).limit(limit)
            q = q.where(CasualtyRow.id.in_(newest.scalar_subquery()))
        return self._frame(q)

    @staticmethod
    def _report_rank():  # type: ignore[no-untyped-def]
        """1 for the one figure that stands for its incident and kind in the totals: the newest
        report's. Within one article its first figure stands (the lead gives the toll; later
        sentences break it down): without the id, a tie the database breaks as its plan goes."""
        return func.row_number().over(
            partition_by=(CasualtyRow.incident_id, CasualtyRow.kind),
            order_by=(ArticleRow.published.desc().nulls_last(), ArticleRow.id.desc(), CasualtyRow.id),
        ).label("rank")

    def _latest_reports(self, f: Filters) -> Select:
        """Each incident's counted figures, ranked newest report first per kind.

        Numbers and ids only: the sentence and the article's title are read for the latest
        reports alone (see `incidents`), not carried through the ranking of every report.
        """
        q = select(
            CasualtyRow.id.label("casualty_id"), CasualtyRow.incident_id, CasualtyRow.kind, CasualtyRow.count, CasualtyRow.low,
            CasualtyRow.high, CasualtyRow.article_id,
            self._report_rank(),
        ).join(ArticleRow, ArticleRow.id == CasualtyRow.article_id).where(
            CasualtyRow.counted.is_(True), CasualtyRow.incident_id.is_not(None), CasualtyRow.deleted.is_(False))
        q = self._article_filter(q, f)
        if f.casualty_kinds:
            q = q.where(CasualtyRow.kind.in_(f.casualty_kinds))
        return q

    def _counted_reports(self, f: Filters):  # type: ignore[no-untyped-def]
        """The one figure per incident and kind that the totals count, with its sentence, where it
        is in its article and the article's title (read for these rows alone, after the ranking)."""
        ranked = self._latest_reports(f).subquery()
        return (
            select(ranked.c.incident_id, ranked.c.kind, ranked.c.count, ranked.c.low, ranked.c.high, ranked.c.casualty_id.label("item_id"),
                   ranked.c.article_id, ranked.c.rank, ArticleRow.title, ArticleRow.source, ArticleRow.published, CasualtyRow.sentence,
                   CasualtyRow.start, CasualtyRow.end)
            .join(CasualtyRow, CasualtyRow.id == ranked.c.casualty_id)
            .join(ArticleRow, ArticleRow.id == ranked.c.article_id)
            .where(ranked.c.rank == FIRST)
            .subquery()
        )

    def summary(self, f: Filters = Filters()) -> dict[str, int]:
        """Headline counts of a view, counted in the database: articles, actors, milestones, incidents."""
        articles = self._article_filter(select(ArticleRow.id, ArticleRow.published), f).subquery()
        milestones = select(func.count(MilestoneRow.id)).where(MilestoneRow.article_id.in_(select(articles.c.id)), MilestoneRow.deleted.is_(False))
        if f.milestone_kinds:
            milestones = milestones.where(MilestoneRow.kind.in_(f.milestone_kinds))
        if f.statuses:
            milestones = milestones.where(MilestoneRow.status.in_(f.statuses))
        # COUNT(DISTINCT) sorts every row (on PostgreSQL, the 660,000 of 100,000 articles): the actors
        # are counted as those named in the view (each found at its first article), the incidents
        # as the groups of a subquery.
        named = select(ArticleActorRow.id).where(ArticleActorRow.actor_id == ActorRow.id, ArticleActorRow.article_id.in_(select(articles.c.id)))
        actors = select(ActorRow.id).where(named.exists())
        incidents = select(CasualtyRow.incident_id).where(
            CasualtyRow.article_id.in_(select(articles.c.id)), CasualtyRow.counted.is_(True), CasualtyRow.deleted.is_(False),
            CasualtyRow.incident_id.is_not(None)).group_by(CasualtyRow.incident_id)
        if f.casualty_kinds:
            incidents = incidents.where(CasualtyRow.kind.in_(f.casualty_kinds))
        actors, incidents = select(func.count()).select_from(actors.subquery()), select(func.count()).select_from(incidents.subquery())
        counted = select(func.count(), func.sum(case((articles.c.published.is_(None), 1), else_=0)))  # articles, undated ones
        with self.engine.connect() as conn:
            total, undated = conn.execute(counted.select_from(articles)).one()
            return {
                "articles": int(total or 0),
                "actors": int(conn.execute(actors).scalar() or 0),
                "milestones": int(conn.execute(milestones).scalar() or 0),
                "incidents": int(conn.execute(incidents).scalar() or 0),
                "undated": int(undated or 0),
            }

    def has_illustrative(self, f: Filters = Filters()) -> bool:
        q = self._article_filter(select(ArticleRow.id).where(ArticleRow.illustrative.is_(True)), f).limit(1)
        with self.engine.connect() as conn:
            return conn.execute(q).first() is not None

    def casualty_totals(self, f: Filters = Filters()) -> dict[str, int]:
        """People killed, wounded... summed over incidents, each at its latest report."""
        ranked = self._latest_reports(f).subquery()
        q = select(ranked.c.kind, func.sum(ranked.c.count)).where(ranked.c.rank == FIRST).group_by(ranked.c.kind)
        with self.engine.connect() as conn:
            return {k: int(v or 0) for k, v in conn.execute(q)}

    def incidents(self, f: Filters = Filters()) -> pd.DataFrame:
        """One row per incident and kind: latest count, the range over reports, and the sources."""
        # The range and the sources over every report, as window aggregates beside the rank: one
        # pass over the reports, no join of the ranking with a grouping of itself. An article is
        # counted once among the sources however many of its figures report the incident: the
        # rank's order keeps an article's figures together, so its first one is the one whose
        # predecessor in that order is another article's (the same window as the rank, so no
        # second sort of every report, as a window per article would take).
        rank = self._report_rank()
        previous = func.lag(CasualtyRow.article_id).over(partition_by=rank.element.partition_by, order_by=rank.element.order_by)
        reports = self._latest_reports(f).add_columns(
            case((previous == CasualtyRow.article_id, 0), else_=1).label("first_of_article"),
        ).subquery()
        whole = (reports.c.incident_id, reports.c.kind)
        ranked = select(
            reports.c.casualty_id, reports.c.incident_id, reports.c.kind, reports.c.count, reports.c.article_id, reports.c.rank,
            func.min(reports.c.low).over(partition_by=whole).label("low"),
            func.max(reports.c.high).over(partition_by=whole).label("high"),
            func.sum(reports.c.first_of_article).over(partition_by=whole).label("sources"),
        ).subquery()
        q = (
            select(
                IncidentRow.id.label("incident_id"), IncidentRow.location, IncidentRow.country, IncidentRow.lat, IncidentRow.lon,
                IncidentRow.date, IncidentRow.last_date, ranked.c.kind, ranked.c.count.label("latest"), ranked.c.low, ranked.c.high,
                ranked.c.sources, ArticleRow.title.label("latest_title"), ArticleRow.source.label("latest_source"),
                ranked.c.article_id.label("latest_article_id"), CasualtyRow.sentence.label("latest_sentence"),
            )
            .join(ranked, ranked.c.incident_id == IncidentRow.id)
            .join(CasualtyRow, CasualtyRow.id == ranked.c.casualty_id)
            .join(ArticleRow, ArticleRow.id == ranked.c.article_id)
            .where(ranked.c.rank == FIRST)
            .order_by(IncidentRow.date.desc().nulls_last(), IncidentRow.id.desc())
        )
        return self._frame(q)

    def incidents_by(self, f: Filters = Filters(), by: str = "date") -> pd.DataFrame:
        """People per day (by="date") or per place (by="location"), each incident once at its latest report.

        Aggregated in the database, so charts never carry one row per incident.
        """
        ranked = self._latest_reports(f).subquery()
        column = IncidentRow.date if by == "date" else IncidentRow.location
        q = (
            select(column.label(by), ranked.c.kind, func.sum(ranked.c.count).label("latest"))
            .join(ranked, ranked.c.incident_id == IncidentRow.id)
            .where(ranked.c.rank == FIRST)
            .group_by(column, ranked.c.kind)
        )
        return self._frame(q)

    def incident_sources(self, incident_id: int) -> pd.DataFrame:
        """Every counted report of one incident, oldest first, with where each figure is in its
        article; `in_totals` marks the one per kind that the totals count (the newest report)."""
        q = (
            select(ArticleRow.id.label("article_id"), ArticleRow.title, ArticleRow.source, ArticleRow.published,
                   CasualtyRow.kind, CasualtyRow.count, CasualtyRow.sentence, CasualtyRow.id.label("item_id"),
                   CasualtyRow.start, CasualtyRow.end, (self._report_rank() == FIRST).label("in_totals"))
            .join(CasualtyRow, CasualtyRow.article_id == ArticleRow.id)
            .where(CasualtyRow.incident_id == incident_id, CasualtyRow.counted.is_(True), CasualtyRow.deleted.is_(False))
            .order_by(ArticleRow.published, ArticleRow.id, CasualtyRow.id)
        )
        frame = self._frame(q)
        return frame.assign(in_totals=frame["in_totals"].astype(bool))

    def totals_evidence(self, f: Filters = Filters(), kind: str | None = None, day: date | None = None,
                        place: str | None = None, incident_id: int | None = None) -> pd.DataFrame:
        """The figures the casualty totals add up (`casualty_totals`): one per incident and kind, at
        its newest report, with its sentence and where it is in its article; largest first. `day`
        and `place` narrow to the incidents of one bar of the charts (`incidents_by`)."""
        ranked = self._counted_reports(f)
        q = (
            select(IncidentRow.id.label("incident_id"), IncidentRow.date, IncidentRow.location, ranked.c.kind, ranked.c.count,
                   ranked.c.low, ranked.c.high, ranked.c.item_id, ranked.c.article_id, ranked.c.title, ranked.c.source,
                   ranked.c.published, ranked.c.sentence, ranked.c.start, ranked.c.end)
            .join(ranked, ranked.c.incident_id == IncidentRow.id)
            .where(ranked.c.rank == FIRST)
            .order_by(ranked.c.count.desc(), IncidentRow.id.desc())
        )
        if kind is not None:
            q = q.where(ranked.c.kind == kind)
        if day is not None:
            q = q.where(IncidentRow.date == day)
        if place is not None:
            q = q.where(IncidentRow.location == place)
        if incident_id is not None:
            q = q.where(IncidentRow.id == incident_id)
        return self._frame(q)

    def totals_standing(self, article_id: int) -> pd.DataFrame:
        """For each casualty figure of one article (with every filter off): whether the totals count
        it, and if not, which figure stands for its incident and kind instead (and in which article)."""
        mine = select(CasualtyRow.incident_id).where(CasualtyRow.article_id == article_id, CasualtyRow.incident_id.is_not(None))
        ranked = (
            select(CasualtyRow.id.label("item_id"), CasualtyRow.incident_id, CasualtyRow.kind, CasualtyRow.article_id, self._report_rank())
            .join(ArticleRow, ArticleRow.id == CasualtyRow.article_id)
            .where(CasualtyRow.counted.is_(True), CasualtyRow.deleted.is_(False), CasualtyRow.incident_id.in_(mine))
            .subquery()
        )
        first = select(ranked.c.incident_id, ranked.c.kind, ranked.c.item_id.label("counting_item"),
                       ranked.c.article_id.label("counting_article")).where(ranked.c.rank == FIRST).subquery()
        q = (
            select(CasualtyRow.id, CasualtyRow.counted, CasualtyRow.cumulative, CasualtyRow.incident_id, first.c.counting_item,
                   first.c.counting_article)
            .outerjoin(first, (first.c.incident_id == CasualtyRow.incident_id) & (first.c.kind == CasualtyRow.kind))
            .where(CasualtyRow.article_id == article_id, CasualtyRow.deleted.is_(False))
        )
        frame = self._frame(q)
        return frame.assign(in_totals=frame["counting_item"].eq(frame["id"]) & frame["counted"].astype(bool))

    def tracks(self, f: Filters = Filters()) -> pd.DataFrame:
        """Negotiation storylines: current status (of the latest milestone), milestones, sources."""
        when = func.coalesce(MilestoneRow.date, ArticleRow.published)
        base = (
            select(
                MilestoneRow.track_id, MilestoneRow.status, MilestoneRow.article_id, when.label("when"),
                func.row_number().over(partition_by=MilestoneRow.track_id, order_by=(when.desc(), MilestoneRow.id.desc())).label("rank"),
            )
            .join(ArticleRow, ArticleRow.id == MilestoneRow.article_id)
            .where(MilestoneRow.deleted.is_(False), MilestoneRow.track_id.is_not(None))
        )
        base = self._article_filter(base, f)
        # The counts read the milestones without the ranking: a subquery read twice is worked out
        # twice (SQLite), and only the latest status needs the window.
        plain = base.with_only_columns(MilestoneRow.track_id, MilestoneRow.article_id, when.label("when")).subquery()
        base = base.subquery()
        latest = select(base.c.track_id, base.c.status).where(base.c.rank == FIRST).subquery()
        counts = (
            select(plain.c.track_id, func.count().label("milestones"), func.count(func.distinct(plain.c.article_id)).label("sources"),
                   func.min(plain.c.when).label("first_date"), func.max(plain.c.when).label("last_date"))
            .group_by(plain.c.track_id).subquery()
        )
        q = (
            select(TrackRow.id.label("track_id"), TrackRow.kind, TrackRow.parties, latest.c.status, counts.c.first_date,
                   counts.c.last_date, counts.c.milestones, counts.c.sources)
            .join(latest, latest.c.track_id == TrackRow.id)
            .join(counts, counts.c.track_id == TrackRow.id)
            .order_by(counts.c.last_date.desc())
        )
        if f.milestone_kinds:
            q = q.where(TrackRow.kind.in_(f.milestone_kinds))
        if f.statuses:
            q = q.where(latest.c.status.in_(f.statuses))
        return self._frame(q)

    def _milestone_filter(self, q: Select, f: Filters, track_ids: tuple[int, ...] | None = None) -> Select:
        q = self._article_filter(q.join(ArticleRow, ArticleRow.id == MilestoneRow.article_id).where(MilestoneRow.deleted.is_(False)), f)
        if f.milestone_kinds:
            q = q.where(MilestoneRow.kind.in_(f.milestone_kinds))
        if f.statuses:
            q = q.where(MilestoneRow.status.in_(f.statuses))
        if track_ids is not None:
            q = q.where(MilestoneRow.track_id.in_(track_ids))
        return q

    def milestones(self, f: Filters = Filters(), latest: int | None = None, between: tuple[date, date] | None = None,
                   track_ids: tuple[int, ...] | None = None) -> pd.DataFrame:
        """Milestones of the view in date order (their own date, else the article's): the newest `latest`
        of them, those dated `between` two days (inclusive), or those of the tracks `track_ids`."""
        when = func.coalesce(MilestoneRow.date, ArticleRow.published)
        q = select(
            MilestoneRow.id, MilestoneRow.article_id, MilestoneRow.kind, MilestoneRow.status, MilestoneRow.parties,
            MilestoneRow.mediators, MilestoneRow.participants, MilestoneRow.location,
            when.label("date"), MilestoneRow.condition,
            MilestoneRow.count, MilestoneRow.expected, MilestoneRow.sentence, MilestoneRow.start, MilestoneRow.end,
            MilestoneRow.track_id, MilestoneRow.correction_id, ArticleRow.title, ArticleRow.source, ArticleRow.published,
        ).order_by(when)
        q = self._milestone_filter(q, f, track_ids)
        if between is not None:
            q = q.where(when.between(*between))
        if latest is not None:
            # The newest `latest` milestones (the later one first among a day's), still in date order.
            # Their ids are chosen first, so only those rows carry their sentences through the sort.
            newest = q.with_only_columns(MilestoneRow.id).order_by(None).order_by(when.desc(), MilestoneRow.id.desc()).limit(latest)
            q = q.where(MilestoneRow.id.in_(newest.scalar_subquery())).order_by(None).order_by(when, MilestoneRow.id)
        return self._frame(q)

    def milestone_counts(self, f: Filters = Filters()) -> pd.DataFrame:
        """How many milestones of the view each track has of each kind and status (track_id None: in
        no track): what `milestones(f)` holds, counted in the database."""
        q = select(MilestoneRow.track_id, MilestoneRow.kind, MilestoneRow.status, func.count().label("milestones"))
        q = self._milestone_filter(q, f).group_by(MilestoneRow.track_id, MilestoneRow.kind, MilestoneRow.status)
        return self._frame(q.order_by(MilestoneRow.track_id, MilestoneRow.kind, MilestoneRow.status))

    def published_span(self, f: Filters = Filters()) -> tuple[date | None, date | None]:
        """The first and last publication day of the view's articles (undated ones aside)."""
        q = self._article_filter(select(func.min(ArticleRow.published), func.max(ArticleRow.published)), f)
        with self.engine.connect() as conn:
            lo, hi = conn.execute(q).one()
        return _as_date(lo), _as_date(hi)

    def published_dates(self, article_ids: list[int]) -> dict[int, date | None]:
        """The publication day of a few articles, by id."""
        if not article_ids:
            return {}
        q = select(ArticleRow.id, ArticleRow.published).where(ArticleRow.id.in_([int(i) for i in article_ids]))
        with self.engine.connect() as conn:
            return {int(i): _as_date(p) for i, p in conn.execute(q)}

    def figures(self, f: Filters = Filters()) -> pd.DataFrame:
        q = select(
            FigureRow.id, FigureRow.article_id, FigureRow.kind, FigureRow.count, FigureRow.each_side, FigureRow.action, FigureRow.qualifier,
            FigureRow.sentence, FigureRow.correction_id, ArticleRow.title, ArticleRow.published,
        ).join(ArticleRow, ArticleRow.id == FigureRow.article_id).where(FigureRow.deleted.is_(False))
        return self._frame(self._article_filter(q, f))

    def article_items(self, article_id: int, target: str) -> pd.DataFrame:
        """One article's casualties, milestones or figures with their ids, for correcting them."""
        table = {"casualty": CasualtyRow, "milestone": MilestoneRow, "figure": FigureRow}[target]
        q = select(table).where(table.article_id == article_id, table.deleted.is_(False)).order_by(table.start, table.id)
        with self._sessions() as s:
            rows = s.scalars(q).all()
            columns = [c.key for c in table.__table__.columns]
            return pd.DataFrame([{c: getattr(r, c) for c in columns} for r in rows], columns=columns)

    def article(self, article_id: int) -> dict[str, Any] | None:
        with self._sessions() as s:
            row = s.get(ArticleRow, article_id)
            if row is None:
                return None
            return {
                "id": row.id, "title": row.title, "published": row.published, "source": row.source, "url": row.url,
                "author": row.author, "dateline": row.dateline, "text": row.text, "status": row.status,
                "status_reason": row.status_reason, "illustrative": row.illustrative,
                "extractor_version": row.extractor_version, "model": row.model,
            }

    def extraction(self, article_id: int) -> Extraction | None:
        """The stored extraction of one article, as the extractor's own dataclasses."""
        with self._sessions() as s:
            row = s.get(ArticleRow, article_id)
            if row is None:
                return None
            return Extraction(
                id=row.content_hash, title=row.title, published=row.published.isoformat() if row.published else None,
                dateline=row.dateline,
                actors=[Actor(name=a.name, kind=a.kind, country=a.country, role=a.role, mentions=a.mentions,
                              aliases=list(a.aliases or []), canonical=a.actor.name, spans=[tuple(x) for x in a.spans or []])
                        for a in row.actors],
                places=[Place(name=p.place.name, kind=p.kind, country=p.place.country, mentions=p.mentions,
                              lat=p.place.lat, lon=p.place.lon, spans=[tuple(x) for x in p.spans or []]) for p in row.places],
                casualties=[Casualty(kind=c.kind, count=c.count, low=c.low, high=c.high, qualifier=c.qualifier,
                                     sentence=c.sentence, start=c.start, end=c.end, victims=c.victims,
                                     perpetrator=c.perpetrator, location=c.location, country=c.country,
                                     date=c.date.isoformat() if c.date else None, incident=c.incident,
                                     cumulative=c.cumulative, counted=c.counted) for c in row.casualties if not c.deleted],
                totals=self._totals([c for c in row.casualties if not c.deleted]),
                figures=[Figure(kind=f.kind, count=f.count, sentence=f.sentence, start=f.start, end=f.end, low=f.low,
                                high=f.high, qualifier=f.qualifier, each_side=f.each_side, action=f.action) for f in row.figures if not f.deleted],
                milestones=[Milestone(kind=m.kind, status=m.status, sentence=m.sentence, start=m.start, end=m.end,
                                      parties=list(m.parties or []), location=m.location,
                                      date=m.date.isoformat() if m.date else None, condition=m.condition, count=m.count,
                                      expected=m.expected.isoformat() if m.expected else None,
                                      mediators=list(m.mediators or []), participants=list(m.participants or []))
                            for m in row.milestones if not m.deleted],
                quotes=[Quote(speaker=q.speaker, text=q.text, start=q.start, end=q.end) for q in row.quotes],
                extractor_version=row.extractor_version or "", model=row.model or "",
            )

    @staticmethod
    def _totals(rows: list[CasualtyRow]) -> dict[str, int]:
        totals: dict[str, int] = {}
        for c in rows:
            if c.counted:
                totals[c.kind] = totals.get(c.kind, 0) + c.count
        return totals
