"""From the numbers of the Actors, Trends and Export & briefing pages to their sentences, under AppTest.

Actors (on the sample articles): a bar, a circle of the network, a point of the mentions over
time or a row of the table opens the places the articles name the actor, each with its
sentence, the name marked; the panel's counts are the page's. Trends (on the constructed
database, whose answers are known): a level's count, a row and a circle of the change map open
what the period counted, the incidents with their sentences or the sentences naming the actor,
adding up to the row's figure. The briefing's headline figures open what they count, as the
Overview's do.
"""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.app.apptest import click_script, script_test
from tests.fixtures.trends_db import EMERGING, END, TOLLS, TOWNS, constructed_app  # noqa: F401  (a fixture, used by name)

TIMEOUT = 120
MARK = re.compile(r'<mark id="([^"]+)" class="hl hl-(\w+) evidence-focus" title="([^"]*)"')
PERIOD = "from 2025-06-23 to 2025-06-29"  # the week ending END, the constructed database's latest


def run(script: str) -> AppTest:
    return script_test(script, timeout=TIMEOUT)


def marks(at: AppTest) -> list[tuple[str, str, str]]:
    return MARK.findall(" ".join(h.value for h in at.html))


def listed(at: AppTest) -> pd.DataFrame:
    """The panel's list of items (the table with an article column)."""
    return next(d.value for d in at.dataframe if "article_id" in d.value.columns)


def captions(at: AppTest) -> list[str]:
    return [html.unescape(c.value).replace("\u2060", "") for c in at.caption]


def said(at: AppTest) -> str:
    """What the panel says it lists (its caption, as read: escapes undone)."""
    return next(c for c in captions(at) if "Choose a row to read" in c)


def clicked(imports: str, setup: str, handler: str, key: str, value: dict) -> AppTest:
    """A page's click handler given a chart's or a table's selection, then the panel it asked for."""
    return run(click_script(imports, setup, handler, key, value))


# --------------------------------------------------------------------------- Actors


@pytest.fixture()
def samples(samples_db):
    from components.pages.common import clear_query_caches
    from components.store import Store

    clear_query_caches()
    return Store(samples_db)


def bar_click(name: str) -> AppTest:
    return clicked("from components.pages import actors", "", "on_pick('actors_top', actors._picked)", "actors_top",
                   {"selection": {"pick_actor": [{"name": name}]}})


@pytest.mark.model
def test_a_bar_of_the_top_actors_opens_every_sentence_naming_it(samples):
    counts = samples.actors().set_index("name").loc["Turkey"]
    at = bar_click("Turkey")
    rows = listed(at)
    assert len(rows) == counts["mentions"] and rows["article_id"].nunique() == counts["articles"]  # the bar's number, item by item
    assert set(rows["name"]) == {"Turkey"}
    assert said(at).startswith(f"{counts['mentions']} mentions of Turkey in {counts['articles']} articles, newest articles first")
    for row in rows.itertuples():  # each row's sentence holds the words that name the actor
        text = samples.article(int(row.article_id))["text"]
        assert text[int(row.start):int(row.end)] in row.sentence and row.sentence in text
    first = rows.iloc[0]
    ((anchor, kind, _),) = marks(at)  # the first one marked in its article, and scrolled to
    assert anchor == f"evidence-{first['article_id']}-{first['start']}-{first['end']}" and kind == "actor"
    assert any(f'"{anchor}"' in h.value for h in at.html if h.value.startswith("<script>"))
    (link,) = at.get("page_link")
    assert f"article={first['article_id']}" in link.proto.query_string and f"span={first['start']}-{first['end']}" in link.proto.query_string


@pytest.mark.model
def test_choosing_another_mention_marks_that_one(samples):
    script = (
        "import streamlit as st\n"
        "from components.store import Filters\n"
        "from components.pages.actors import mentions_of\n"
        "from components.pages.evidence import panel, rows_key\n"
        "evidence = mentions_of('Turkey')\n"
        "if 'row' in st.session_state:\n"
        "    st.session_state[rows_key(evidence, Filters())] = {'selection': {'rows': [], 'columns': [], 'cells': [[st.session_state['row'], 'sentence']]}}\n"
        "panel(evidence, Filters())\n"
    )
    at = run(script)
    rows = listed(at)
    at.session_state["row"] = 5
    at.run()
    row = rows.iloc[5]
    ((anchor, kind, title),) = marks(at)
    assert anchor == f"evidence-{row['article_id']}-{row['start']}-{row['end']}" and kind == "actor" and "Turk" in title


@pytest.mark.model
def test_a_circle_of_the_network_and_a_row_of_the_table_open_the_same_mentions(samples):
    by_bar = listed(bar_click("Russia"))
    assert len(by_bar) == int(samples.actors().set_index("name").loc["Russia", "mentions"])
    network = clicked("from components.pages import actors", "", "on_pick('actors_network', actors._picked)", "actors_network",
                      {"selection": {"pick_actor": [{"name": "Russia"}]}})
    table = clicked("from components.pages import actors\nfrom components.pages.common import get_store", "table = get_store().actors()",
                    "on_row('actors_table', table, lambda row: actors.mentions_of(row['name']))", "actors_table",
                    {"selection": {"rows": [], "columns": [], "cells": [[0, "mentions"]]}})  # the most mentioned: Russia
    assert listed(network).equals(by_bar) and listed(table).equals(by_bar)


@pytest.mark.model
def test_a_point_of_the_mentions_over_time_opens_that_days_mentions(samples):
    over_time = samples.actor_mentions_over_time(names=["Russia"])
    point = over_time.sort_values("mentions").iloc[-1]
    day = pd.Timestamp(point["date"]).date()
    epoch_ms = int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp() * 1000)  # as the chart reports a date
    at = clicked("from components.pages import actors", "", "on_pick('actors_time', actors._picked)", "actors_time",
                 {"selection": {"pick_mentions": [{"name": "Russia", "date": epoch_ms}]}})
    rows = listed(at) if at.dataframe else None
    count = len(rows) if rows is not None else len(marks(at))
    assert count == int(point["mentions"])
    if rows is not None:
        assert set(rows["day"]) == {day}
    assert f"on {day.isoformat()}" in said(at)


@pytest.mark.model
def test_the_panel_narrows_every_page_to_its_actor(samples):
    script = (
        "import streamlit as st\n"
        "from components.store import Filters\n"
        "from components.pages.actors import mentions_of\n"
        "from components.pages.evidence import panel\n"
        "panel(mentions_of('Turkey'), Filters())\n"
    )
    at = run(script)
    at.button(key="evidence_narrow").click().run()
    assert not at.exception
    assert at.session_state["actor"] == ["Turkey"]


@pytest.mark.model
def test_the_actors_page_wires_every_chart_and_the_table(samples):
    at = run("from components.pages import actors\nactors.render()")
    selections = [sorted((c.value or {}).get("selection", {})) for c in at.get("vega_lite_chart")]
    assert selections == [["pick_actor"], ["pick_country"], ["pick_mentions"], ["pick_actor"]]
    (table,) = at.dataframe
    assert table.proto.selection_mode  # rows can be chosen


def test_an_actors_name_is_text_in_the_panel(tmp_path, monkeypatch):
    """A name that looks like Markdown or HTML is shown as typed, not as a link or markup."""
    from datetime import date

    from components.models import Actor, Article, Extraction
    from components.pages.common import clear_query_caches
    from components.pages.session import shared_store
    from components.store import Store

    name = "**Bold** [Front](https://example.org) <b>x</b>"
    text = f"Talks stalled on Friday. The {name} said it would not attend."
    at_ = text.index(name)
    url = f"sqlite:///{tmp_path / 'names.db'}"
    Store(url).save(Article(text=text, title="Talks stall", published=date(2025, 6, 6), source="Test Wire"),
                    Extraction(id="n", actors=[Actor(name, "armed_group", None, None, 1, [], name, [(at_, at_ + len(name))])]))
    monkeypatch.setenv("DATABASE_URL", url)
    shared_store.clear()
    clear_query_caches()
    try:
        at = bar_click(name)
        caption = at.caption[0].value
        assert "](https" not in caption and "**Bold**" not in caption and "<b>" not in caption
        assert html.unescape(caption).replace("\u2060", "").startswith(f"1 mention of {name} in 1 article")
        ((_, kind, title),) = marks(at)  # one mention: its sentence at once, no list to choose from
        assert kind == "actor" and html.unescape(title).startswith(name)
        shown = " ".join(h.value for h in at.html)
        assert "<b>x</b>" not in shown and "&lt;b&gt;x&lt;/b&gt;" in shown  # the article's text is escaped
    finally:
        shared_store.clear()
        clear_query_caches()


@pytest.mark.model
def test_a_track_on_trends_opens_its_milestones_in_the_period(samples):
    from components.services.trends import Window, track_moves

    milestones = samples.milestones()
    window = Window(end=pd.to_datetime(milestones["date"]).max().date(), days=28)
    moves = track_moves(milestones, window)
    track = int(moves.iloc[0]["track_id"])
    days = pd.to_datetime(milestones["date"]).dt.date
    expected = milestones[(milestones["track_id"] == track) & (days >= window.start) & (days <= window.end)]
    at = run("from datetime import date\n"
             "from components.pages.evidence import Evidence, panel\n"
             "from components.store import Filters\n"
             f"panel(Evidence('milestones', 'a track', track_id={track}, period=(date.fromisoformat({window.start.isoformat()!r}), "
             f"date.fromisoformat({window.end.isoformat()!r}))), Filters())\n")
    assert said(at).startswith(f"{len(expected)} milestone")
    if len(expected) > 1:
        assert sorted(listed(at)["id"]) == sorted(expected["id"])
    ((anchor, _, _),) = marks(at)
    assert int(anchor.split("-")[1]) in set(expected["article_id"])


# --------------------------------------------------------------------------- Export & briefing


@pytest.mark.model
@pytest.mark.parametrize(("label", "kind"), [
    ("Killed", "casualty"), ("Wounded", "casualty"), ("Incidents", "casualty"), ("Milestones", "focus"), ("Negotiation tracks", "focus"),
    ("Actors", "actor"), ("Articles", None),
])
def test_every_headline_figure_of_the_briefing_opens_what_it_counts(samples, label, kind):
    at = run("from components.pages import briefing\nbriefing.render()")
    number = int(next(m for m in at.metric if m.label == label).value.replace(",", ""))
    at.button(key=f"ev_brief_{label.lower().replace(' ', '_')}").click().run()
    assert not at.exception
    rows = next(d.value for d in at.dataframe if d.value.columns[0] != "about")  # not the key sentences' table
    assert (int(rows["count"].sum()) if label in ("Killed", "Wounded") else len(rows)) == number
    assert [k for _, k, _ in marks(at)] == ([kind] if kind else [])
    if label == "Negotiation tracks":  # the first track's latest milestone: the one that gives its status
        title = marks(at)[0][2]
        assert title.endswith(f"({rows.iloc[0]['status']})")


# --------------------------------------------------------------------------- Trends


def trends_page(measure: str | None = None, unit: str | None = None) -> AppTest:
    at = AppTest.from_string("from components.pages import trends\ntrends.render()", default_timeout=TIMEOUT)
    at.run()
    if unit:
        at.radio(key="trend_unit").set_value(unit).run()
    if measure:
        at.radio(key="trend_measure").set_value(measure).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metric(at: AppTest, label: str) -> int:
    return int(next(m for m in at.metric if m.label == label).value.replace(",", ""))


def row_panel(unit: str, measure: str, key: str) -> AppTest:
    """The panel a row of the Trends table opens (the page's own row-to-evidence step)."""
    return run(
        "from datetime import date\n"
        "from components.pages import trends\n"
        "from components.pages.evidence import panel\n"
        "from components.services.trends import Window\n"
        "from components.store import Filters\n"
        f"window = Window(end=date({END.year}, {END.month}, {END.day}))\n"
        f"panel(trends.period_evidence({unit!r}, {measure!r}, [{key!r}], window, 'row'), Filters())\n"
    )


@pytest.mark.usefixtures("constructed_app")
@pytest.mark.parametrize("country", list(TOLLS))
def test_a_row_of_killed_by_country_opens_the_incidents_that_add_up_to_it(country):
    table = trends_page("Killed").dataframe[0].value.set_index("country")
    current = int(table.loc[country, "current"])
    assert current == TOLLS[country][-1]
    at = row_panel("country", "killed", country)
    assert not at.dataframe  # one incident in the week: its sentence at once, no list to choose from
    assert said(at).startswith(f"{current} killed in {country} {PERIOD}, from 1 incident")
    ((anchor, kind, title),) = marks(at)
    assert kind == "casualty" and title == f"killed: {current}"
    assert f"({END.isoformat()})" in html.unescape(" ".join(m.value for m in at.markdown))  # the report of the week ending END

@pytest.mark.usefixtures("constructed_app")
def test_a_levels_count_opens_the_incidents_of_its_rows():
    at = trends_page("Killed")
    assert metric(at, "Large increase") == 1
    at.button(key="ev_trend_large_increase").click().run()
    assert not at.exception
    assert said(at).startswith(f"{TOLLS['Arvania'][-1]} killed in Arvania {PERIOD}, from 1 incident")
    assert [(k, t) for _, k, t in marks(at)] == [("casualty", f"killed: {TOLLS['Arvania'][-1]}")]


@pytest.mark.usefixtures("constructed_app")
def test_counted_as_incidents_a_level_lists_one_row_per_incident():
    at = trends_page()  # incidents: one a week in each country, so every country is a limited change
    table = at.dataframe[0].value
    assert metric(at, "Limited change") == len(TOLLS) == len(table)
    at.button(key="ev_trend_limited_change").click().run()
    rows = listed(at)
    assert len(rows) == rows["incident_id"].nunique() == int(table["current"].sum())
    assert set(rows["country"]) == set(TOLLS)
    assert said(at).startswith(f"{len(TOLLS)} incidents in {len(TOLLS)} countries (")


@pytest.mark.usefixtures("constructed_app")
def test_a_row_of_places_opens_its_incidents():
    at = row_panel("location", "incidents", TOWNS["Dravia"])
    rows = listed(at) if at.dataframe else None
    assert rows is None  # one incident: its sentence at once, no list to choose from
    ((_, kind, title),) = marks(at)
    assert kind == "casualty" and title == f"killed: {TOLLS['Dravia'][-1]}"
    assert said(at).startswith(f"1 incident in {TOWNS['Dravia']} {PERIOD}")


@pytest.mark.usefixtures("constructed_app")
def test_the_emerging_actor_opens_the_sentences_naming_it_in_the_period():
    at = trends_page(unit="Actors")
    current = int(at.dataframe[0].value.set_index("actor").loc[EMERGING, "current"])
    for panel_of in (row_panel("name", "articles", EMERGING), None):
        if panel_of is None:  # the level's count: the emerging actor is the one large increase
            at.button(key="ev_trend_large_increase").click().run()
            panel_of = at
        rows = listed(panel_of)
        assert rows["article_id"].nunique() == current == 3
        assert rows["sentence"].tolist() == [f"The {EMERGING} said it had fired on the town."] * 3
        assert said(panel_of).startswith(f"3 mentions of {EMERGING} in 3 articles {PERIOD}")
        ((_, kind, title),) = marks(panel_of)
        assert kind == "actor" and title.startswith(EMERGING)


@pytest.mark.usefixtures("constructed_app")
def test_a_circle_of_the_change_map_opens_its_places_incidents():
    town = TOWNS["Arvania"]
    at = clicked("from datetime import date\nimport pandas as pd\nfrom components.pages import trends\n"
                 "from components.services.trends import Window",
                 f"points = pd.DataFrame({{'location': ['elsewhere', {town!r}]}})\n"
                 f"window = Window(end=date({END.year}, {END.month}, {END.day}))",
                 "trends._on_map_click(points, 'killed', window)", "trend_map", {"selection": {"pick_incident": [{"incident": 1}]}})
    assert f"keys=({town!r},)" in at.markdown[0].value
    ((_, kind, title),) = marks(at)
    assert kind == "casualty" and title == f"killed: {TOLLS['Arvania'][-1]}"
