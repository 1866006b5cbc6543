"""The reads the pages make at scale: the same figures as counting the rows by hand, and the
date filter answered from its index (schema.ARTICLE_DAY and migration 0006 agree)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from sqlalchemy import func, select, text

from components.store import Filters, Store, incident_count, totals_of
from components.store.schema import ArticleRow
from components.tools import loadtest

N = 150


@pytest.fixture()
def filled(database_url):
    loadtest.fill(database_url, N, seed=4, mode="bulk", batch_size=50)
    store = Store(database_url)
    yield store
    store.engine.dispose()


def _table(store: Store, sql: str) -> pd.DataFrame:
    with store.engine.connect() as conn:
        return pd.read_sql(text(sql), conn)


def test_actor_counts_are_the_articles_and_mentions_by_hand(filled):
    rows = _table(filled, "SELECT aa.article_id, a.name, aa.mentions, ar.published FROM article_actors aa "
                          "JOIN actors a ON a.id = aa.actor_id JOIN articles ar ON ar.id = aa.article_id")
    lo, hi = date(2024, 3, 1), date(2024, 9, 30)
    inside = rows[(pd.to_datetime(rows["published"]).dt.date >= lo) & (pd.to_datetime(rows["published"]).dt.date <= hi)]
    by_hand = inside.groupby("name").agg(articles=("article_id", "nunique"), mentions=("mentions", "sum"))
    read = filled.actors(Filters(date_from=lo, date_to=hi)).set_index("name")
    assert len(read) == len(by_hand) > 10
    assert read["articles"].astype(int).to_dict() == by_hand["articles"].to_dict()
    assert read["mentions"].astype(int).to_dict() == by_hand["mentions"].to_dict()
    assert list(read["mentions"]) == sorted(read["mentions"], reverse=True)
    assert set(filled.actor_choices()["name"]) == set(rows["name"])

    for view in (Filters(), Filters(date_from=lo, date_to=hi), Filters(countries=("Ukraine",)), Filters(date_to=date(2020, 1, 1))):
        days = pd.to_datetime(filled.actor_activity(view)["date"])
        assert filled.last_active_day(view) == (days.max().date() if not days.empty else None)

    activity = filled.actor_activity(Filters(actors=("Russia",)))
    russian = rows[rows["article_id"].isin(rows.loc[rows["name"] == "Russia", "article_id"])]
    per_day = russian.groupby(["name", "published"])["article_id"].nunique()
    got = activity.set_index(["name", "date"])["articles"]
    assert {(n, str(d)): int(v) for (n, d), v in got.items()} == {(n, str(d)): int(v) for (n, d), v in per_day.items()}


def test_an_incident_counts_each_reporting_article_once(filled):
    incidents = filled.incidents()
    several = incidents[incidents["sources"] > 1].iloc[0]
    incident, kind = int(several["incident_id"]), several["kind"]
    reports = _table(filled, f"SELECT id, article_id, low, high FROM casualties WHERE incident_id = {incident} "
                             f"AND kind = '{kind}' AND counted = {'1' if filled.engine.dialect.name == 'sqlite' else 'true'}")
    assert int(several["sources"]) == reports["article_id"].nunique()
    assert (int(several["low"]), int(several["high"])) == (reports["low"].min(), reports["high"].max())
    # A second counted figure of the same incident in one of its articles: still one source.
    twin = _table(filled, f"SELECT id FROM casualties WHERE article_id = {int(reports['article_id'].iloc[0])} AND id <> {int(reports['id'].iloc[0])}")
    if twin.empty:
        pytest.skip("no second figure in that article to link")
    with filled.engine.begin() as conn:
        conn.execute(text("UPDATE casualties SET incident_id = :i, kind = :k, counted = :t, low = 1, high = 999999 WHERE id = :id"),
                     {"i": incident, "k": kind, "t": True, "id": int(twin["id"].iloc[0])})
    again = filled.incidents()
    row = again[(again["incident_id"] == incident) & (again["kind"] == kind)].iloc[0]
    assert int(row["sources"]) == int(several["sources"])
    assert (int(row["low"]), int(row["high"])) == (1, 999999)


def test_every_incident_gives_its_range_and_sources_by_hand_and_the_page_totals_agree(filled):
    counted = "1" if filled.engine.dialect.name == "sqlite" else "true"
    reports = _table(filled, "SELECT c.incident_id, c.kind, c.article_id, c.low, c.high, a.published FROM casualties c "
                             f"JOIN articles a ON a.id = c.article_id WHERE c.counted = {counted} AND c.incident_id IS NOT NULL")
    by_hand = reports.groupby(["incident_id", "kind"]).agg(sources=("article_id", "nunique"), low=("low", "min"), high=("high", "max"))
    read = filled.incidents().set_index(["incident_id", "kind"]).sort_index()
    assert len(read) == len(by_hand) > 20 and (by_hand["sources"] > 1).sum() > 5
    for column in ("sources", "low", "high"):
        assert read[column].astype(int).to_dict() == by_hand[column].astype(int).to_dict(), column

    lo, hi = date(2024, 3, 1), date(2024, 9, 30)
    views = (Filters(), Filters(date_from=lo, date_to=hi), Filters(actors=("Russia",)), Filters(countries=("Ukraine",)),
             Filters(casualty_kinds=("wounded",)), Filters(date_to=date(2020, 1, 1)))
    for view in views:
        incidents = filled.incidents(view)
        assert totals_of(incidents) == filled.casualty_totals(view), view
        assert incident_count(incidents) == filled.summary(view)["incidents"], view


def test_the_date_filter_is_answered_from_the_day_index(filled):
    query = filled._article_filter(select(func.count(ArticleRow.id)), Filters(date_from=date(2024, 5, 1), date_to=date(2024, 5, 31)))
    with filled.engine.connect() as conn:
        sql = str(query.compile(conn, compile_kwargs={"literal_binds": True}))
        if conn.dialect.name == "sqlite":
            plan = " ".join(str(row[-1]) for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql))
        else:
            conn.exec_driver_sql("SET enable_seqscan = off")  # a small table: make the planner show what it can use
            plan = " ".join(row[0] for row in conn.exec_driver_sql("EXPLAIN " + sql))
        counted = conn.execute(query).scalar()
    assert "ix_articles_day" in plan
    published = _table(filled, "SELECT published FROM articles")["published"].map(str)
    assert counted == int(published.between("2024-05-01", "2024-05-31").sum()) > 0


def test_an_article_with_two_counted_figures_of_one_incident_gives_its_first_everywhere(database_url):
    from components.models import Article, Casualty, Extraction

    text = ("Shelling of Kupiansk on Monday killed seven people, the governor said. "
            "Among the dead were three rescuers, the emergency service said later.")
    seven, three = text.index("seven"), text.index("three")
    first, second = text.split(". ")[0] + ".", text.split(". ")[1]
    extraction = Extraction(
        id="x", title="Kupiansk", published="2025-04-07", dateline=None, actors=[], places=[],
        casualties=[Casualty("killed", 7, 7, 7, None, first, seven, seven + 5, "people", None, "Kupiansk", "Ukraine", "2025-04-07", 0, False, True),
                    Casualty("killed", 3, 3, 3, None, second, three, three + 5, "rescuers", None, "Kupiansk", "Ukraine", "2025-04-07", 0, False, True)],
        totals={"killed": 10}, figures=[], milestones=[], quotes=[], extractor_version="test", model="none",
    )
    store = Store(database_url)
    store.save(Article(text=text, title="Kupiansk", published=date(2025, 4, 7), source="Desk"), extraction)
    for view in (Filters(), Filters(date_from=date(2025, 4, 1), date_to=date(2025, 4, 30)), Filters(casualty_kinds=("killed",))):
        incidents = store.incidents(view)
        assert len(incidents) == 1, incidents
        assert (int(incidents.iloc[0]["latest"]), int(incidents.iloc[0]["low"]), int(incidents.iloc[0]["high"])) == (7, 3, 7)
        assert int(incidents.iloc[0]["sources"]) == 1 and incidents.iloc[0]["latest_sentence"] == first
        assert store.casualty_totals(view) == {"killed": 7}
        assert store.incidents_by(view, by="date")["latest"].tolist() == [7]
    store.engine.dispose()


def test_the_reading_indexes_are_made_once_even_when_some_exist(database_url):
    """Revision 0006 over a database that already has some of its indexes (an upgrade cut short)."""
    from alembic import command
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    from components.store.migrate import alembic_config, current_revision, head_revision, upgrade

    engine = create_engine(database_url, poolclass=NullPool)
    upgrade(engine, "head")
    with engine.connect() as conn:
        conn.exec_driver_sql("DROP INDEX ix_casualties_reports")
        command.stamp(alembic_config(conn), "0005")
        conn.commit()
    upgrade(engine, "head")  # ix_articles_day (an expression SQLAlchemy cannot list on SQLite) is there already
    with engine.connect() as conn:
        assert current_revision(conn) == head_revision()
        names = {ix["name"] for table in ("articles", "casualties", "milestones", "article_actors") for ix in _indexes(conn, table)}
    assert {"ix_casualties_reports", "ix_milestones_tracks", "ix_article_actors_counts", "ix_article_actors_actor_article"} <= names
    engine.dispose()


def _indexes(conn, table):  # type: ignore[no-untyped-def]
    import warnings

    from sqlalchemy import inspect

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SQLite's expression index cannot be reflected: said, and skipped
        return inspect(conn).get_indexes(table)
