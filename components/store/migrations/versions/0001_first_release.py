"""The schema as first released: articles and their extracted items.

Revision ID: 0001
Revises:
Create Date: 2025-11-25
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _articles_and_entities() -> None:
    """Articles, and the actors and places shared by all of them."""
    op.create_table('actors',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('country', sa.String(length=120), nullable=True),
    sa.Column('role', sa.String(length=300), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )
    op.create_table('articles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('content_hash', sa.String(length=32), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=True),
    sa.Column('published', sa.Date(), nullable=True),
    sa.Column('source', sa.String(length=200), nullable=True),
    sa.Column('url', sa.String(length=2000), nullable=True),
    sa.Column('author', sa.String(length=300), nullable=True),
    sa.Column('path', sa.String(length=1000), nullable=True),
    sa.Column('dateline', sa.String(length=200), nullable=True),
    sa.Column('language', sa.String(length=16), nullable=True),
    sa.Column('illustrative', sa.Boolean(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('status_reason', sa.String(length=500), nullable=True),
    sa.Column('extractor_version', sa.String(length=40), nullable=True),
    sa.Column('model', sa.String(length=80), nullable=True),
    sa.Column('ingested_at', sa.DateTime(), nullable=False),
    sa.Column('ingested_by', sa.String(length=120), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_articles_content_hash'), 'articles', ['content_hash'], unique=True)
    op.create_index(op.f('ix_articles_published'), 'articles', ['published'], unique=False)
    op.create_index(op.f('ix_articles_source'), 'articles', ['source'], unique=False)
    op.create_table('places',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('country', sa.String(length=120), nullable=True),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('lat', sa.Float(), nullable=True),
    sa.Column('lon', sa.Float(), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name', 'country')
    )


def _article_links() -> None:
    """Which actors and places each article names."""
    op.create_table('article_actors',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('country', sa.String(length=120), nullable=True),
    sa.Column('role', sa.String(length=300), nullable=True),
    sa.Column('mentions', sa.Integer(), nullable=False),
    sa.Column('aliases', sa.JSON(), nullable=False),
    sa.Column('spans', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['actors.id'], ),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('article_id', 'actor_id')
    )
    op.create_index(op.f('ix_article_actors_actor_id'), 'article_actors', ['actor_id'], unique=False)
    op.create_index(op.f('ix_article_actors_article_id'), 'article_actors', ['article_id'], unique=False)
    op.create_table('article_places',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('place_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('mentions', sa.Integer(), nullable=False),
    sa.Column('spans', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['place_id'], ['places.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_article_places_article_id'), 'article_places', ['article_id'], unique=False)
    op.create_index(op.f('ix_article_places_place_id'), 'article_places', ['place_id'], unique=False)


def _counted_items() -> None:
    """Casualties and other figures, each with its sentence."""
    op.create_table('casualties',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('low', sa.Integer(), nullable=False),
    sa.Column('high', sa.Integer(), nullable=False),
    sa.Column('qualifier', sa.String(length=32), nullable=True),
    sa.Column('victims', sa.String(length=120), nullable=True),
    sa.Column('perpetrator', sa.String(length=300), nullable=True),
    sa.Column('location', sa.String(length=200), nullable=True),
    sa.Column('country', sa.String(length=120), nullable=True),
    sa.Column('date', sa.Date(), nullable=True),
    sa.Column('incident', sa.Integer(), nullable=False),
    sa.Column('cumulative', sa.Boolean(), nullable=False),
    sa.Column('counted', sa.Boolean(), nullable=False),
    sa.Column('sentence', sa.Text(), nullable=False),
    sa.Column('start', sa.Integer(), nullable=False),
    sa.Column('end', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_casualties_article_id'), 'casualties', ['article_id'], unique=False)
    op.create_index('ix_casualties_kind_date', 'casualties', ['kind', 'date'], unique=False)
    op.create_table('figures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('low', sa.Integer(), nullable=True),
    sa.Column('high', sa.Integer(), nullable=True),
    sa.Column('qualifier', sa.String(length=32), nullable=True),
    sa.Column('each_side', sa.Boolean(), nullable=False),
    sa.Column('sentence', sa.Text(), nullable=False),
    sa.Column('start', sa.Integer(), nullable=False),
    sa.Column('end', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_figures_article_id'), 'figures', ['article_id'], unique=False)


def _negotiation_items() -> None:
    """Milestones and quotes, each with its sentence."""
    op.create_table('milestones',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('parties', sa.JSON(), nullable=False),
    sa.Column('mediators', sa.JSON(), nullable=False),
    sa.Column('location', sa.String(length=200), nullable=True),
    sa.Column('date', sa.Date(), nullable=True),
    sa.Column('condition', sa.Text(), nullable=True),
    sa.Column('count', sa.Integer(), nullable=True),
    sa.Column('expected', sa.Date(), nullable=True),
    sa.Column('sentence', sa.Text(), nullable=False),
    sa.Column('start', sa.Integer(), nullable=False),
    sa.Column('end', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_milestones_article_id'), 'milestones', ['article_id'], unique=False)
    op.create_index('ix_milestones_kind_status', 'milestones', ['kind', 'status'], unique=False)
    op.create_table('quotes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('speaker', sa.String(length=300), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('start', sa.Integer(), nullable=False),
    sa.Column('end', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_quotes_article_id'), 'quotes', ['article_id'], unique=False)


def upgrade() -> None:
    _articles_and_entities()
    _article_links()
    _counted_items()
    _negotiation_items()


def downgrade() -> None:
    for table in ("quotes", "milestones", "figures", "casualties", "article_places", "article_actors", "places", "articles", "actors"):
        op.drop_table(table)
