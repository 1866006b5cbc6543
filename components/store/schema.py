"""The database schema (SQLAlchemy 2). SQLite by default, PostgreSQL by URL.

Articles are stored once (unique content hash). Each extracted item keeps its evidence
(sentence and character offsets into the stored text) and belongs to its article, so
re-extracting an article replaces its items in one transaction. Actors and places are
canonical across articles; per-article rows say how each article refers to them.

A change to these tables needs an Alembic revision in store/migrations/versions (see
store/migrate.py); tests/unit/test_migrations.py checks the models and the head agree.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    DDL,
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    event,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class ArticleRow(Base):
    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(32), unique=True, index=True)
    title: Mapped[str | None] = mapped_column(String(500))
    published: Mapped[date | None] = mapped_column(Date, index=True)
    source: Mapped[str | None] = mapped_column(String(200), index=True)
    url: Mapped[str | None] = mapped_column(String(2000))
    author: Mapped[str | None] = mapped_column(String(300))
    path: Mapped[str | None] = mapped_column(String(1000))
    dateline: Mapped[str | None] = mapped_column(String(200))
    language: Mapped[str | None] = mapped_column(String(16))
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False)
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="extracted")  # extracted | skipped
    status_reason: Mapped[str | None] = mapped_column(String(500))
    extractor_version: Mapped[str | None] = mapped_column(String(40))
    model: Mapped[str | None] = mapped_column(String(80))
    ingested_at: Mapped[datetime] = mapped_column(DateTime)
    ingested_by: Mapped[str | None] = mapped_column(String(120))
    # Near-duplicates (the same wire story in several outlets) share a story: the id of the
    # story's first article. NULL for articles not yet grouped; read as coalesce(story_id, id).
    story_id: Mapped[int | None] = mapped_column(Integer, index=True)

    actors: Mapped[list[ArticleActorRow]] = relationship(back_populates="article", cascade="all, delete-orphan", passive_deletes=True)
    places: Mapped[list[ArticlePlaceRow]] = relationship(cascade="all, delete-orphan", passive_deletes=True)
    casualties: Mapped[list[CasualtyRow]] = relationship(cascade="all, delete-orphan", passive_deletes=True)
    figures: Mapped[list[FigureRow]] = relationship(cascade="all, delete-orphan", passive_deletes=True)
    milestones: Mapped[list[MilestoneRow]] = relationship(cascade="all, delete-orphan", passive_deletes=True)
    quotes: Mapped[list[QuoteRow]] = relationship(cascade="all, delete-orphan", passive_deletes=True)


# The day an article stands for: its publication, else the day it was ingested (pasted and
# queued texts often have no date; they must not vanish from every dated view). Every date
# filter of the pages is on this expression, so it is indexed as written (ix_articles_day),
# with the columns it reads and the id, so a date filter reads the index and never the
# articles' text (PostgreSQL needs the id in the index to answer from it alone).
ARTICLE_DAY = func.coalesce(ArticleRow.published, func.date(ArticleRow.ingested_at), type_=Date)
Index("ix_articles_day", ARTICLE_DAY, ArticleRow.published, ArticleRow.ingested_at, ArticleRow.id)


class ActorRow(Base):
    """One real-world actor across all articles."""

    __tablename__ = "actors"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(300), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    country: Mapped[str | None] = mapped_column(String(120))
    role: Mapped[str | None] = mapped_column(String(300))


class ArticleActorRow(Base):
    __tablename__ = "article_actors"
    __table_args__ = (
        UniqueConstraint("article_id", "actor_id"),
        # The pages count articles and mentions per actor, and narrow to the articles naming an
        # actor: both read these indexes alone, never the rows (with their spans and aliases).
        Index("ix_article_actors_counts", "article_id", "actor_id", "mentions", "role"),
        Index("ix_article_actors_actor_article", "actor_id", "article_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("actors.id"), index=True)
    name: Mapped[str] = mapped_column(String(300))  # as this article names it
    kind: Mapped[str] = mapped_column(String(32))
    country: Mapped[str | None] = mapped_column(String(120))
    role: Mapped[str | None] = mapped_column(String(300))
    mentions: Mapped[int] = mapped_column(Integer, default=0)
    aliases: Mapped[list] = mapped_column(JSON, default=list)
    spans: Mapped[list] = mapped_column(JSON, default=list)

    article: Mapped[ArticleRow] = relationship(back_populates="actors")
    actor: Mapped[ActorRow] = relationship()


class PlaceRow(Base):
    __tablename__ = "places"
    __table_args__ = (UniqueConstraint("name", "country"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    country: Mapped[str | None] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(32))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)


class ArticlePlaceRow(Base):
    __tablename__ = "article_places"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    place_id: Mapped[int] = mapped_column(ForeignKey("places.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    mentions: Mapped[int] = mapped_column(Integer, default=0)
    spans: Mapped[list] = mapped_column(JSON, default=list)

    place: Mapped[PlaceRow] = relationship()


class _Evidence:
    sentence: Mapped[str] = mapped_column(Text)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    # Analysts' corrections (see store/corrections.py): a deleted item stays, hidden, so
    # the deletion can be undone; `correction_id` is the latest correction applied to it.
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    correction_id: Mapped[int | None] = mapped_column(Integer)


class CorrectionRow(Base):
    """An analyst's fix, kept apart from the machine's output so it survives re-extraction.

    Item corrections (casualty, milestone, figure) find their item by the article's
    content hash and the evidence span the extractor gave it; actor corrections (rename,
    re-country, merge) apply to the canonical actor by name, now and in future ingests.
    """

    __tablename__ = "corrections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    target: Mapped[str] = mapped_column(String(16))  # casualty | milestone | figure | actor | article (an admin's deletion)
    action: Mapped[str] = mapped_column(String(16))  # update | delete | add | rename | recountry | merge
    article_hash: Mapped[str | None] = mapped_column(String(32), index=True)
    item_key: Mapped[str] = mapped_column(String(300))
    changes: Mapped[dict] = mapped_column(JSON, default=dict)
    previous: Mapped[dict] = mapped_column(JSON, default=dict)
    reason: Mapped[str] = mapped_column(Text)
    user: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    undone_at: Mapped[datetime | None] = mapped_column(DateTime)
    undone_by: Mapped[str | None] = mapped_column(String(120))


class IncidentRow(Base):
    """One violent event, however many articles report it (see store/incidents.py)."""

    __tablename__ = "incidents"
    __table_args__ = (Index("ix_incidents_place_date", "location", "date"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    location: Mapped[str | None] = mapped_column(String(200))
    country: Mapped[str | None] = mapped_column(String(120))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    date: Mapped[date | None] = mapped_column(Date, index=True)
    last_date: Mapped[date | None] = mapped_column(Date)


class TrackRow(Base):
    """One negotiation storyline: milestones of one kind between the same parties over time."""

    __tablename__ = "tracks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    parties: Mapped[list] = mapped_column(JSON, default=list)
    parties_key: Mapped[str] = mapped_column(String(500), index=True)
    first_date: Mapped[date | None] = mapped_column(Date)
    last_date: Mapped[date | None] = mapped_column(Date)


class CasualtyRow(_Evidence, Base):
    __tablename__ = "casualties"
    __table_args__ = (
        Index("ix_casualties_kind_date", "kind", "date"),
        # Ranking every incident's reports (latest count, range, sources) reads this index alone.
        Index("ix_casualties_reports", "article_id", "counted", "deleted", "incident_id", "kind", "count", "low", "high"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    count: Mapped[int] = mapped_column(Integer)
    low: Mapped[int] = mapped_column(Integer)
    high: Mapped[int] = mapped_column(Integer)
    qualifier: Mapped[str | None] = mapped_column(String(32))
    victims: Mapped[str | None] = mapped_column(String(120))
    perpetrator: Mapped[str | None] = mapped_column(String(300))
    location: Mapped[str | None] = mapped_column(String(200))
    country: Mapped[str | None] = mapped_column(String(120))
    date: Mapped[date | None] = mapped_column(Date)
    incident: Mapped[int] = mapped_column(Integer, default=0)  # index within the article; -1 cumulative
    cumulative: Mapped[bool] = mapped_column(Boolean, default=False)
    counted: Mapped[bool] = mapped_column(Boolean, default=False)  # stands for its incident in totals
    # The event across articles: the same strike reported by several outlets is one incident.
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("incidents.id"), index=True)


class FigureRow(_Evidence, Base):
    __tablename__ = "figures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    count: Mapped[int] = mapped_column(Integer)
    low: Mapped[int | None] = mapped_column(Integer)
    high: Mapped[int | None] = mapped_column(Integer)
    qualifier: Mapped[str | None] = mapped_column(String(32))
    each_side: Mapped[bool] = mapped_column(Boolean, default=False)
    action: Mapped[str | None] = mapped_column(String(20))


class MilestoneRow(_Evidence, Base):
    __tablename__ = "milestones"
    __table_args__ = (
        Index("ix_milestones_kind_status", "kind", "status"),
        # The negotiation tracks' status and dates, from this index alone (not the sentences). The
        # track comes last: a list of tracks is then checked in the index, not sought once per track.
        Index("ix_milestones_tracks", "article_id", "deleted", "date", "status", "track_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16))
    parties: Mapped[list] = mapped_column(JSON, default=list)
    mediators: Mapped[list] = mapped_column(JSON, default=list)
    participants: Mapped[list | None] = mapped_column(JSON, default=list)  # the people who meet or talk, for the parties
    location: Mapped[str | None] = mapped_column(String(200))
    date: Mapped[date | None] = mapped_column(Date)
    condition: Mapped[str | None] = mapped_column(Text)
    count: Mapped[int | None] = mapped_column(Integer)
    expected: Mapped[date | None] = mapped_column(Date)
    # The storyline across articles: proposed -> agreed -> completed of one swap is one track.
    track_id: Mapped[int | None] = mapped_column(ForeignKey("tracks.id"), index=True)


class RelationRow(Base):
    """Two actors linked in one article (see extract/relations.py); names are canonical."""

    __tablename__ = "relations"
    __table_args__ = (Index("ix_relations_pair", "source", "target"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(String(300))
    target: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20))
    weight: Mapped[int] = mapped_column(Integer, default=1)


class QuoteRow(Base):
    __tablename__ = "quotes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    speaker: Mapped[str | None] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)


class FeedRow(Base):
    """An RSS/Atom feed the analyst follows; `refresh` re-reads every one."""

    __tablename__ = "feeds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(String(2000), unique=True)
    title: Mapped[str | None] = mapped_column(String(500))
    added_at: Mapped[datetime] = mapped_column(DateTime)
    checked_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_error: Mapped[str | None] = mapped_column(String(500))


class FeedEntryRow(Base):
    """A feed entry already taken (stored, duplicate or skipped), so a refresh takes only new ones."""

    __tablename__ = "feed_entries"
    __table_args__ = (UniqueConstraint("feed_id", "entry_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    feed_id: Mapped[int] = mapped_column(ForeignKey("feeds.id", ondelete="CASCADE"), index=True)
    entry_key: Mapped[str] = mapped_column(String(64))
    seen_at: Mapped[datetime] = mapped_column(DateTime)


class UserRow(Base):
    """A built-in account (see store/accounts.py): an argon2 hash, never the password itself."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    role: Mapped[str] = mapped_column(String(16))  # viewer | analyst | admin
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)  # wrong passwords in a row
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)


class JobRow(Base):
    """A queued piece of background work (see components/services/worker.py).

    An upload's bytes are kept in `data`; its original file name is only metadata
    (`payload["name"]`, shown and used for its suffix), never a path: uploads are never
    written to disk.
    """

    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_status_id", "status", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))  # ingest_text | ingest_file | refresh_feeds
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    data: Mapped[bytes | None] = mapped_column(LargeBinary)
    status: Mapped[str] = mapped_column(String(16), default="queued")  # queued | running | done | failed | cancelled
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    result: Mapped[dict | None] = mapped_column(JSON)
    created_by: Mapped[str | None] = mapped_column(String(120), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    started_at: Mapped[datetime | None] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    worker_id: Mapped[str | None] = mapped_column(String(120))
    # The running job's worker says it is alive every few seconds; a job whose worker has been
    # silent longer than the stale time is queued again (see JobQueue.requeue_stale).
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime)


class SignInEventRow(Base):
    """Every sign-in, failed sign-in, refusal and sign-out: who, when, from where (never a password)."""

    __tablename__ = "sign_in_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    name: Mapped[str | None] = mapped_column(String(120), index=True)  # the name typed, as typed (cut)
    event: Mapped[str] = mapped_column(String(24))  # signed_in | failed | throttled | locked | signed_out | ...
    address: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[str | None] = mapped_column(String(300))


class SignInThrottleRow(Base):
    """Recent failed sign-ins per key ("account+address" or "address"): the progressive delay."""

    __tablename__ = "sign_in_throttle"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    blocked_until: Mapped[datetime | None] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class UserSessionRow(Base):
    """A signed-in session that survives a reload: the browser keeps the token, the store only its hash."""

    __tablename__ = "user_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_name: Mapped[str] = mapped_column(String(120), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    last_seen_at: Mapped[datetime | None] = mapped_column(DateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)
    address: Mapped[str | None] = mapped_column(String(64))


class WatchRow(Base):
    """A named view (the filters) an analyst keeps an eye on, and what it held when last looked at."""

    __tablename__ = "watches"
    __table_args__ = (UniqueConstraint("owner", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner: Mapped[str] = mapped_column(String(120), index=True)
    name: Mapped[str] = mapped_column(String(200))
    filters: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    seen_at: Mapped[datetime | None] = mapped_column(DateTime)
    seen_state: Mapped[dict | None] = mapped_column(JSON)  # the view's incidents, tolls and milestone statuses then



class DataVersionRow(Base):
    """One row whose number goes up with every change to what the pages show: an article stored,
    re-extracted or deleted, a correction, a story grouping. The pages key their caches on it,
    so a change made by another process (the command line, a worker) shows on the next rerun."""

    __tablename__ = "data_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=0)


event.listen(DataVersionRow.__table__, "after_create", DDL("INSERT INTO data_version (id, version) VALUES (1, 0)"))
