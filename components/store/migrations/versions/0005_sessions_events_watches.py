"""A team deployment's records: sign-in events, progressive delays, sessions that survive a
reload, worker heartbeats on jobs, and analysts' watches.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    if "heartbeat_at" not in {c["name"] for c in inspector.get_columns("jobs")}:
        with op.batch_alter_table("jobs") as batch:
            batch.add_column(sa.Column("heartbeat_at", sa.DateTime(), nullable=True))
    if not inspector.has_table("sign_in_events"):
        op.create_table(
            "sign_in_events",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("at", sa.DateTime(), nullable=False),
            sa.Column("name", sa.String(length=120), nullable=True),
            sa.Column("event", sa.String(length=24), nullable=False),
            sa.Column("address", sa.String(length=64), nullable=True),
            sa.Column("detail", sa.String(length=300), nullable=True),
            sa.PrimaryKeyConstraint("id"),
        )
        op.create_index("ix_sign_in_events_at", "sign_in_events", ["at"], unique=False)
        op.create_index("ix_sign_in_events_name", "sign_in_events", ["name"], unique=False)
    if not inspector.has_table("sign_in_throttle"):
        op.create_table(
            "sign_in_throttle",
            sa.Column("key", sa.String(length=200), nullable=False),
            sa.Column("failures", sa.Integer(), nullable=False),
            sa.Column("blocked_until", sa.DateTime(), nullable=True),
            sa.Column("updated_at", sa.DateTime(), nullable=False),
            sa.PrimaryKeyConstraint("key"),
        )
    if not inspector.has_table("user_sessions"):
        op.create_table(
            "user_sessions",
            sa.Column("token_hash", sa.String(length=64), nullable=False),
            sa.Column("user_name", sa.String(length=120), nullable=False),
            sa.Column("created_at", sa.DateTime(), nullable=False),
            sa.Column("expires_at", sa.DateTime(), nullable=False),
            sa.Column("last_seen_at", sa.DateTime(), nullable=True),
            sa.Column("revoked_at", sa.DateTime(), nullable=True),
            sa.Column("address", sa.String(length=64), nullable=True),
            sa.PrimaryKeyConstraint("token_hash"),
        )
        op.create_index("ix_user_sessions_user_name", "user_sessions", ["user_name"], unique=False)
    if not inspector.has_table("watches"):
        op.create_table(
            "watches",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("owner", sa.String(length=120), nullable=False),
            sa.Column("name", sa.String(length=200), nullable=False),
            sa.Column("filters", sa.JSON(), nullable=False),
            sa.Column("created_at", sa.DateTime(), nullable=False),
            sa.Column("seen_at", sa.DateTime(), nullable=True),
            sa.Column("seen_state", sa.JSON(), nullable=True),
            sa.PrimaryKeyConstraint("id"),
            sa.UniqueConstraint("owner", "name"),
        )
        op.create_index("ix_watches_owner", "watches", ["owner"], unique=False)


def downgrade() -> None:
    op.drop_table("watches")
    op.drop_table("user_sessions")
    op.drop_table("sign_in_throttle")
    op.drop_table("sign_in_events")
    with op.batch_alter_table("jobs") as batch:
        batch.drop_column("heartbeat_at")
