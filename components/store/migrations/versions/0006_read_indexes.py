"""Indexes for the pages' reads at scale: the article's day (the date filter of every page),
the counts of articles per actor, the ranking of incidents' reports and the tracks' status,
each read from an index instead of the rows with their text.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# name, table, columns (the first of ix_articles_day is the expression schema.ARTICLE_DAY)
INDEXES: list[tuple[str, str, list[str | sa.TextClause]]] = [
    ("ix_articles_day", "articles", [sa.text("coalesce(published, date(ingested_at))"), "published", "ingested_at", "id"]),
    ("ix_article_actors_counts", "article_actors", ["article_id", "actor_id", "mentions", "role"]),
    ("ix_article_actors_actor_article", "article_actors", ["actor_id", "article_id"]),
    ("ix_casualties_reports", "casualties", ["article_id", "counted", "deleted", "incident_id", "kind", "count", "low", "high"]),
    ("ix_milestones_tracks", "milestones", ["article_id", "deleted", "date", "status", "track_id"]),
]


def upgrade() -> None:
    # IF NOT EXISTS, not the inspector: SQLAlchemy cannot list SQLite's expression indexes.
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False, if_not_exists=True)
    if op.get_bind().dialect.name == "postgresql":
        # Statistics of the day expression, so the planner sees how much of a table a date
        # range keeps from the first query on (autovacuum would gather them only later).
        op.execute("ANALYZE articles")


def downgrade() -> None:
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table, if_exists=True)
