"""Everything added since the first release.

Tables: incidents, tracks, corrections, relations, feeds, feed_entries, users, jobs.
Columns: articles.story_id; casualties.incident_id; milestones.track_id; figures.action;
deleted and correction_id on casualties, figures and milestones.

Databases made before migrations existed were created by `create_all` of some later
version (and had articles.story_id added by hand), so each step here is taken only when
its table, column or index is missing: such a database is stamped 0001 and upgraded by
this revision to exactly the head schema.

Revision ID: 0002
Revises: 0001
Create Date: 2025-11-25
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Items hidden by an analyst's deletion, and the latest correction applied to an item.
_EVIDENCE_TABLES = ("casualties", "figures", "milestones")


def _create_table(inspector: sa.Inspector, name: str, *columns: sa.SchemaItem, indexes: Sequence[tuple[str, list[str]]] = ()) -> None:
    if not inspector.has_table(name):
        op.create_table(name, *columns)
        present: set[str] = set()
    else:
        present = {i["name"] for i in inspector.get_indexes(name)}
    for index, cols in indexes:
        if index not in present:
            op.create_index(index, name, cols, unique=False)


def _linking_tables(inspector: sa.Inspector) -> None:
    """Incidents and negotiation tracks: items of many articles linked together."""
    _create_table(
        inspector, "incidents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("location", sa.String(length=200), nullable=True),
        sa.Column("country", sa.String(length=120), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column("last_date", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        indexes=[("ix_incidents_date", ["date"]), ("ix_incidents_place_date", ["location", "date"])],
    )
    _create_table(
        inspector, "tracks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("parties", sa.JSON(), nullable=False),
        sa.Column("parties_key", sa.String(length=500), nullable=False),
        sa.Column("first_date", sa.Date(), nullable=True),
        sa.Column("last_date", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        indexes=[("ix_tracks_kind", ["kind"]), ("ix_tracks_parties_key", ["parties_key"])],
    )


def _correction_tables(inspector: sa.Inspector) -> None:
    """Analysts' corrections, and the relations between actors."""
    _create_table(
        inspector, "corrections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("target", sa.String(length=16), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("article_hash", sa.String(length=32), nullable=True),
        sa.Column("item_key", sa.String(length=300), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("previous", sa.JSON(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("user", sa.String(length=120), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("undone_at", sa.DateTime(), nullable=True),
        sa.Column("undone_by", sa.String(length=120), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        indexes=[("ix_corrections_article_hash", ["article_hash"])],
    )
    _create_table(
        inspector, "relations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("target", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("weight", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        indexes=[("ix_relations_article_id", ["article_id"]), ("ix_relations_pair", ["source", "target"])],
    )


def _feed_tables(inspector: sa.Inspector) -> None:
    """Saved feeds and the entries already taken from them."""
    _create_table(
        inspector, "feeds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=True),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.Column("checked_at", sa.DateTime(), nullable=True),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("url"),
    )
    _create_table(
        inspector, "feed_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("feed_id", sa.Integer(), nullable=False),
        sa.Column("entry_key", sa.String(length=64), nullable=False),
        sa.Column("seen_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["feed_id"], ["feeds.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("feed_id", "entry_key"),
        indexes=[("ix_feed_entries_feed_id", ["feed_id"])],
    )


def _team_tables(inspector: sa.Inspector) -> None:
    """Built-in accounts, and the queue of the background workers."""
    _create_table(
        inspector, "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("failed_attempts", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    _create_table(
        inspector, "jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("created_by", sa.String(length=120), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=True),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("worker_id", sa.String(length=120), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        indexes=[("ix_jobs_created_by", ["created_by"]), ("ix_jobs_status_id", ["status", "id"])],
    )


def _new_columns(inspector: sa.Inspector) -> None:
    """New columns of existing tables, with their indexes and foreign keys, where missing."""
    # New columns of existing tables. Existing rows get deleted = false.
    added: dict[str, list[sa.Column]] = {
        "articles": [sa.Column("story_id", sa.Integer(), nullable=True)],
        "casualties": [sa.Column("incident_id", sa.Integer(), nullable=True)],
        "figures": [sa.Column("action", sa.String(length=20), nullable=True)],
        "milestones": [sa.Column("track_id", sa.Integer(), nullable=True)],
    }
    for table in _EVIDENCE_TABLES:
        added[table] += [
            sa.Column("deleted", sa.Boolean(), nullable=False, server_default=sa.false()),
            sa.Column("correction_id", sa.Integer(), nullable=True),
        ]
    indexes = {
        "articles": [("ix_articles_story_id", ["story_id"])],
        "casualties": [("ix_casualties_incident_id", ["incident_id"])],
        "milestones": [("ix_milestones_track_id", ["track_id"])],
    }
    foreign_keys = {
        "casualties": ("casualties_incident_id_fkey", "incidents", "incident_id"),
        "milestones": ("milestones_track_id_fkey", "tracks", "track_id"),
    }
    for table, columns in added.items():
        if not inspector.has_table(table):
            continue  # only in a damaged pre-migration database; migrate.py creates missing tables
        present = {c["name"] for c in inspector.get_columns(table)}
        present_indexes = {i["name"] for i in inspector.get_indexes(table)}
        missing = [c for c in columns if c.name not in present]
        missing_indexes = [(name, cols) for name, cols in indexes.get(table, []) if name not in present_indexes]
        fk = foreign_keys.get(table)
        add_fk = fk is not None and fk[2] not in present
        if not (missing or missing_indexes or add_fk):
            continue
        with op.batch_alter_table(table) as batch:
            for column in missing:
                batch.add_column(column)
            for name, cols in missing_indexes:
                batch.create_index(name, cols, unique=False)
            if add_fk:
                assert fk is not None
                batch.create_foreign_key(fk[0], fk[1], [fk[2]], ["id"])


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    _linking_tables(inspector)
    _correction_tables(inspector)
    _feed_tables(inspector)
    _team_tables(inspector)
    _new_columns(inspector)


def downgrade() -> None:
    # Dropping a column drops its foreign key too (PostgreSQL; SQLite copies the table without it).
    for table, columns, index in (
        ("milestones", ["track_id", "deleted", "correction_id"], "ix_milestones_track_id"),
        ("figures", ["action", "deleted", "correction_id"], None),
        ("casualties", ["incident_id", "deleted", "correction_id"], "ix_casualties_incident_id"),
        ("articles", ["story_id"], "ix_articles_story_id"),
    ):
        with op.batch_alter_table(table) as batch:
            if index:
                batch.drop_index(index)
            for column in columns:
                batch.drop_column(column)
    for table in ("jobs", "users", "feed_entries", "feeds", "relations", "corrections", "tracks", "incidents"):
        op.drop_table(table)
