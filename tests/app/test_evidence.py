"""From a number to its sentence, under AppTest on the sample articles: every headline number has a
"Show evidence" control; its panel lists the items behind the number (adding up to it) and shows
the chosen one's article with the figure marked; bars, map points and table rows open theirs."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.apptest import click_script, script_test

pytestmark = pytest.mark.model
TIMEOUT = 120
MARK = re.compile(r'<mark id="([^"]+)" class="hl hl-(\w+) evidence-focus" title="([^"]*)"')


@pytest.fixture(autouse=True)
def _database(samples_db):
    from components.pages.common import clear_query_caches

    clear_query_caches()


def run(script: str, **state) -> AppTest:
    return script_test(script, state=state, timeout=TIMEOUT)


def metric(at: AppTest, label: str) -> int:
    return int(next(m for m in at.metric if m.label == label).value.replace(",", ""))


def marks(at: AppTest) -> list[tuple[str, str, str]]:
    return MARK.findall(" ".join(h.value for h in at.html))


def scripts(at: AppTest) -> list[str]:
    return [h.value for h in at.html if h.value.startswith("<script>")]


def test_killed_on_the_overview_opens_what_it_adds_up_with_the_first_sentence_marked():
    at = run("from components.pages import overview\noverview.render()")
    killed = metric(at, "Killed")
    at.button(key="ev_killed").click().run()
    assert not at.exception
    rows = at.dataframe[0].value
    assert int(rows["count"].sum()) == killed and set(rows["kind"]) == {"killed"}
    assert rows["count"].is_monotonic_decreasing  # largest first
    ((anchor, kind, title),) = marks(at)
    assert kind == "casualty" and title == f"killed: {rows.iloc[0]['count']}"
    assert f'"{anchor}"' in scripts(at)[0]  # scrolled to
    (link,) = at.get("page_link")  # the whole article, in the reader, in this tab, marked the same way
    first = rows.iloc[0]
    assert link.proto.page == "articles" and not link.proto.external
    assert f"article={first['article_id']}" in link.proto.query_string and f"span={first['start']}-{first['end']}" in link.proto.query_string


@pytest.mark.parametrize(("key", "metric_label", "kind"), [
    ("ev_wounded", "Wounded", "casualty"), ("ev_incidents", "Incidents", "casualty"), ("ev_milestones", "Milestones", "focus"),
    ("ev_actors", "Actors", "actor"), ("ev_articles", "Articles", None),
])
def test_every_headline_number_opens_its_items(key, metric_label, kind):
    at = run("from components.pages import overview\noverview.render()")
    number = metric(at, metric_label)
    at.button(key=key).click().run()
    assert not at.exception
    rows = at.dataframe[0].value
    if metric_label == "Wounded":
        assert int(rows["count"].sum()) == number
    elif metric_label in ("Incidents", "Milestones", "Articles"):
        assert len(rows) == number
    else:
        assert len(rows) >= number
    found = marks(at)
    assert [k for _, k, _ in found] == ([kind] if kind else [])
    assert any('class="article-text"' in h.value for h in at.html)  # the article is shown in the panel


def test_choosing_another_row_marks_that_figure():
    script = (
        "import streamlit as st\n"
        "from components.store import Filters\n"
        "from components.pages.evidence import Evidence, panel, rows_key\n"
        "evidence = Evidence('totals', 'Killed', kind='killed')\n"
        "if 'row' in st.session_state:\n"
        "    st.session_state[rows_key(evidence, Filters())] = {'selection': {'rows': [st.session_state['row']], 'columns': [], 'cells': []}}\n"
        "panel(evidence, Filters())\n"
    )
    at = run(script)
    rows = at.dataframe[0].value
    assert len(rows) > 2
    at.session_state["row"] = 2
    at.run()
    ((anchor, _, title),) = marks(at)
    assert title == f"killed: {rows.iloc[2]['count']}"
    assert anchor == f"evidence-{rows.iloc[2]['article_id']}-{rows.iloc[2]['start']}-{rows.iloc[2]['end']}"


def _clicked(setup: str, handler: str, key: str, value: dict) -> AppTest:
    """A page's click handler given a chart's or a table's selection, then the panel it asked for."""
    imports = ("from components.pages import casualties\nfrom components.pages.common import get_store\n"
               "from components.pages.evidence import milestone_evidence")
    return run(click_script(imports, setup, handler, key, value))


def test_a_bar_of_a_day_opens_the_figures_that_make_it():
    from components.store import Store

    per_day = Store().incidents_by(by="date")
    killed = per_day[per_day["kind"] == "killed"].sort_values("latest").iloc[-1]
    day = str(killed["date"])[:10]
    at = _clicked("", "on_pick('cas_time', casualties._bar)", "cas_time",
                  {"selection": {"pick_bar": [{"date": f"{day}T00:00:00", "kind": "killed"}]}})
    assert f"day=datetime.date({int(day[:4])}, {int(day[5:7])}, {int(day[8:])})" in at.markdown[0].value
    shown = at.dataframe[0].value["count"].sum() if at.dataframe else int(marks(at)[0][2].split(": ")[1])
    assert int(shown) == int(killed["latest"])
    assert [k for _, k, _ in marks(at)] == ["casualty"]


def test_a_bar_of_a_place_opens_its_figures():
    at = _clicked("", "on_pick('cas_place', casualties._bar)", "cas_place",
                  {"selection": {"pick_bar": [{"location": "Kharkiv", "kind": "killed"}]}})
    assert [title for _, _, title in marks(at)] == ["killed: 14"]  # one incident: its newest report
    assert any(c.value.startswith("14 killed in Kharkiv, from 1 incident:") for c in at.caption)


def test_a_point_on_the_map_opens_every_report_of_its_incident():
    from components.store import Store

    incidents = Store().incidents()
    kharkiv = int(incidents.loc[incidents["location"] == "Kharkiv", "incident_id"].iloc[0])
    at = _clicked("", "casualties._on_map_click", "cas_map", {"selection": {"pick_incident": [{"incident": kharkiv}]}})
    reports = at.dataframe[0].value
    assert reports["article_id"].nunique() == 2 and bool(reports["in_totals"].iloc[0])  # the counted report first
    assert at.session_state["incident"] == kharkiv  # its sources open below the map too


def test_a_table_row_opens_its_figure():
    from components.store import Store

    figures = Store().casualties(counted_only=True)
    at = _clicked("figures = get_store().casualties(counted_only=True)", "casualties.on_row('cas_figures', figures, casualties._figure)",
                  "cas_figures", {"selection": {"rows": [1], "columns": [], "cells": []}})
    row = figures.iloc[1]
    ((anchor, kind, _),) = marks(at)
    assert anchor == f"evidence-{row['article_id']}-{row['start']}-{row['end']}" and kind == "casualty"


def test_a_milestone_on_a_timeline_opens_its_sentence():
    from components.store import Store

    target = Store().milestones().iloc[0]
    at = _clicked("milestones = get_store().milestones()", "on_pick('timeline', lambda p: milestone_evidence(milestones, p.get('id')))",
                  "timeline", {"selection": {"pick_milestone": [{"id": int(target["id"])}]}})
    ((anchor, kind, title),) = marks(at)
    assert anchor == f"evidence-{target['article_id']}-{target['start']}-{target['end']}"
    assert title == f"{target['kind'].replace('_', ' ')} ({target['status']})"


def test_a_click_on_nothing_opens_nothing():
    at = _clicked("", "on_pick('cas_place', casualties._bar)", "cas_place",
                  {"selection": {"pick_bar": [{"location": "Kharkiv", "kind": "<img src=x>"}]}})
    assert at.markdown[0].value == "None" and not at.dataframe and not marks(at)
