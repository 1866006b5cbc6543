"""Alembic migrations: a first-release database upgrades in place; the models and the head agree."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.pool import NullPool

from components.store import Store
from components.store.migrate import current_revision, head_revision, upgrade
from components.store.schema import Base

TEXT = ("KHARKIV, Ukraine - A Russian missile strike on Kharkiv killed nine people and wounded 23 on Tuesday. "
        "Russia and Ukraine held talks in Istanbul on prisoner exchanges, mediated by Turkey.")


@pytest.fixture()
def engine(database_url):
    engine = create_engine(database_url, poolclass=NullPool)
    yield engine
    engine.dispose()


def fill_first_release(engine) -> None:  # type: ignore[no-untyped-def]
    """Rows as the first release wrote them: plain SQL against revision 0001's tables."""
    killed, wounded = TEXT.index("nine"), TEXT.index("23")
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO articles (id, content_hash, title, published, source, illustrative, text, status, extractor_version, "
            "model, ingested_at) VALUES (1, 'abcdef0123456789', 'Strike on Kharkiv', :published, 'Wire', :false, :text, "
            "'extracted', 'v1', 'en_core_web_sm', :now)"),
            {"published": date(2025, 6, 3), "text": TEXT, "now": datetime(2025, 6, 3, 12), "false": False})
        conn.execute(text("INSERT INTO actors (id, name, kind, country, role) VALUES (1, 'Russia', 'country', 'Russia', NULL), "
                          "(2, 'Ukraine', 'country', 'Ukraine', NULL)"))
        conn.execute(text("INSERT INTO article_actors (article_id, actor_id, name, kind, country, mentions, aliases, spans) VALUES "
                          "(1, 1, 'Russia', 'country', 'Russia', 2, '[\"Kremlin\"]', '[[0, 6]]'), "
                          "(1, 2, 'Ukraine', 'country', 'Ukraine', 2, '[]', '[[10, 17]]')"))
        conn.execute(text("INSERT INTO places (id, name, country, kind, lat, lon) VALUES (1, 'Kharkiv', 'Ukraine', 'city', 49.99, 36.23)"))
        conn.execute(text("INSERT INTO article_places (article_id, place_id, kind, mentions, spans) VALUES (1, 1, 'city', 2, '[[0, 7]]')"))
        for kind, count, start in (("killed", 9, killed), ("wounded", 23, wounded)):
            conn.execute(text(
                "INSERT INTO casualties (article_id, kind, count, low, high, victims, perpetrator, location, country, date, incident, "
                "cumulative, counted, sentence, start, \"end\") VALUES (1, :kind, :count, :count, :count, 'people', 'Russia', "
                "'Kharkiv', 'Ukraine', :date, 0, :false, :true, :sentence, :start, :end)"),
                {"kind": kind, "count": count, "date": date(2025, 6, 3), "sentence": TEXT.split(". ")[0], "start": start,
                 "end": start + 4, "false": False, "true": True})
        conn.execute(text(
            "INSERT INTO milestones (article_id, kind, status, parties, mediators, location, date, sentence, start, \"end\") "
            "VALUES (1, 'talks', 'held', '[\"Russia\", \"Ukraine\"]', '[\"Turkey\"]', 'Istanbul', :date, :sentence, 110, 120)"),
            {"date": date(2025, 6, 2), "sentence": TEXT.split(". ")[1]})
        conn.execute(text("INSERT INTO figures (article_id, kind, count, each_side, sentence, start, \"end\") "
                          "VALUES (1, 'prisoners', 84, :true, 'sentence', 5, 7)"), {"true": True})
        conn.execute(text("INSERT INTO quotes (article_id, speaker, text, start, \"end\") VALUES (1, NULL, 'We are ready', 0, 12)"))


def test_a_first_release_database_upgrades_in_place_with_its_rows(database_url, engine):
    upgrade(engine, "0001")
    with engine.connect() as conn:
        assert current_revision(conn) == "0001"
        assert "incidents" not in inspect(conn).get_table_names()
    fill_first_release(engine)

    store = Store(database_url)  # upgrades to head at start
    with engine.connect() as conn:
        assert current_revision(conn) == head_revision()
    assert store.article_count() == 1
    back = store.extraction(1)
    assert back is not None
    assert [a.canonical for a in back.actors] == ["Russia", "Ukraine"] and back.actors[0].aliases == ["Kremlin"]
    assert back.places[0].name == "Kharkiv" and back.places[0].spans == [(0, 7)]
    assert back.totals == {"killed": 9, "wounded": 23}
    assert back.milestones[0].parties == ["Russia", "Ukraine"] and back.milestones[0].mediators == ["Turkey"]
    assert back.figures[0].count == 84 and back.quotes[0].text == "We are ready"

    # The features added since work on the old rows: incidents, tracks, corrections.
    assert store.casualty_totals() == {"killed": 9, "wounded": 23}
    assert len(store.incidents()) == 2 and len(store.tracks()) == 1
    killed = store.casualties()
    killed_id = int(killed[killed["kind"] == "killed"]["id"].iloc[0])
    store.corrections.update_item("casualty", killed_id, {"count": 10}, "the governor revised the toll")
    assert store.casualty_totals() == {"killed": 10, "wounded": 23}
    # And new articles go in next to the old ones.
    from components.models import Article

    assert store.save(Article(text="A second article about talks in Geneva.", published=date(2025, 6, 4)), None,
                      skipped_reason="test").status == "skipped"
    assert store.article_count() == 2


def test_a_new_database_goes_straight_to_head(database_url, engine):
    Store(database_url)
    Store(database_url)  # and a second start changes nothing
    with engine.connect() as conn:
        assert current_revision(conn) == head_revision()
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []


def test_the_models_and_the_head_revision_agree(engine):
    """Every revision applied in turn gives exactly the tables of schema.py (alembic autogenerate finds nothing)."""
    upgrade(engine, "0001")
    upgrade(engine, "head")
    with engine.connect() as conn:
        assert current_revision(conn) == head_revision()
        differences = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert differences == [], "schema.py changed without a migration: add a revision in components/store/migrations/versions"


def test_a_database_can_be_downgraded_to_the_first_release(engine):
    upgrade(engine, "head")
    from alembic import command

    from components.store.migrate import alembic_config

    with engine.connect() as conn:
        command.downgrade(alembic_config(conn), "0001")
        conn.commit()
        assert current_revision(conn) == "0001"
        assert "incidents" not in inspect(conn).get_table_names()
        assert "story_id" not in [c["name"] for c in inspect(conn).get_columns("articles")]
