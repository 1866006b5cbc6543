"""Milestones keep their participants: the people who meet or talk for the parties (states).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    columns = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("milestones")}
    if "participants" not in columns:
        with op.batch_alter_table("milestones") as batch:
            batch.add_column(sa.Column("participants", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("milestones") as batch:
        batch.drop_column("participants")
