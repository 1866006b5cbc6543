"""Bringing a database to the newest schema (Alembic; revisions in store/migrations/versions).

`Store()` calls `upgrade(engine)` at start:

- a database at the head revision is left alone (one query);
- a brand-new (empty) database gets the tables of schema.py and is stamped head;
- a database made before migrations existed (tables, no alembic_version) is stamped 0001
  and upgraded: revision 0002 adds only what such a database lacks;
- any other database is upgraded from its revision to head, keeping its rows.

Two processes starting together do not race: on PostgreSQL the work is done under an
advisory lock, on SQLite under a lock file next to the database file (`<file>-migrate-lock`).
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect, text

from .schema import Base

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
FIRST_REVISION = "0001"
# pg_advisory_lock key: any fixed 64-bit number, the same in every process of this app.
_ADVISORY_KEY = 7_311_204_918_552_001


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


@functools.cache
def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


@contextlib.contextmanager
def _exclusive(engine: Engine, connection: Connection) -> Iterator[None]:
    """One process at a time migrates a database."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _ADVISORY_KEY})
        connection.commit()
        try:
            yield
        finally:
            connection.rollback()
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _ADVISORY_KEY})
            connection.commit()
        return
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if not database or database == ":memory:" or database.startswith("file:"):
        yield
        return
    try:
        import fcntl
    except ImportError:  # Windows: no lock file; start one process first
        yield
        return
    with open(f"{database}-migrate-lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database of `engine` to `revision` (head: the schema of schema.py)."""
    head = head_revision()
    target = head if revision == "head" else revision
    with engine.connect() as connection:
        if current_revision(connection) == target:
            connection.rollback()
            return
        connection.rollback()
        with _exclusive(engine, connection):
            current = current_revision(connection)  # another process may have done it meanwhile
            if current == target:
                connection.rollback()
                return
            config = alembic_config(connection)
            if current is None and target == head and not inspect(connection).get_table_names():
                Base.metadata.create_all(connection)
                command.stamp(config, "head")
            else:
                before_migrations = current is None and inspect(connection).has_table("articles")
                if before_migrations:
                    command.stamp(config, FIRST_REVISION)  # made before migrations existed
                command.upgrade(config, target)
                if target == head and current in (None, FIRST_REVISION):
                    Base.metadata.create_all(connection)  # tables a pre-migration database may lack altogether
                    link_unlinked(connection)
            connection.commit()


def link_unlinked(connection: Connection) -> int:
    """Incidents and tracks for articles stored before they existed (first-release databases).

    Articles are linked in the order they were ingested, as if they were ingested again;
    returns how many were linked.
    """
    from sqlalchemy import or_, select
    from sqlalchemy.orm import Session

    from .linking import assign_incidents, assign_tracks
    from .schema import ArticleRow, CasualtyRow, MilestoneRow

    unlinked_casualty = select(CasualtyRow.article_id).where(
        CasualtyRow.incident_id.is_(None), CasualtyRow.cumulative.is_(False), CasualtyRow.deleted.is_(False))
    unlinked_milestone = select(MilestoneRow.article_id).where(MilestoneRow.track_id.is_(None), MilestoneRow.deleted.is_(False))
    with Session(bind=connection, autoflush=True) as session:
        articles = session.scalars(
            select(ArticleRow).where(or_(ArticleRow.id.in_(unlinked_casualty), ArticleRow.id.in_(unlinked_milestone)))
            .order_by(ArticleRow.ingested_at, ArticleRow.id)
        ).all()
        for article in articles:
            assign_incidents(session, article)
            assign_tracks(session, article)
            session.flush()
        session.flush()
    return len(articles)
