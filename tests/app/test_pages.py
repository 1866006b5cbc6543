"""Every page under Streamlit's AppTest, on a database holding the sample articles."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.apptest import page_test
from tests.conftest import PROJECT_ROOT

pytestmark = pytest.mark.model
TIMEOUT = 120


def charts(at: AppTest) -> list:
    """The Vega-Lite charts on the page (st.altair_chart has no typed AppTest collection)."""
    return list(at.get("vega_lite_chart"))


def selections(at: AppTest) -> list[list[str]]:
    """For each chart, the names of the selections a click or drag on it reports (its widget value)."""
    return [sorted((c.value or {}).get("selection", {})) for c in charts(at)]


def page(name: str) -> AppTest:
    return page_test(name, timeout=TIMEOUT)


def metric(at: AppTest, label: str) -> int:
    return int(next(m for m in at.metric if m.label == label).value.replace(",", ""))


@pytest.fixture(autouse=True)
def _database(samples_db):
    from components.pages.common import clear_query_caches

    clear_query_caches()


def test_app_entry_routes_to_the_overview():
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "Overview"
    assert metric(at, "Articles") == 20


def test_overview_figures_and_charts():
    at = page("overview")
    assert metric(at, "Killed") > 0 and metric(at, "Wounded") > 0 and metric(at, "Milestones") > 0
    assert len(charts(at)) == 3
    # Drag to narrow the dates, click to pick an actor, click a milestone to read its sentence.
    assert selections(at) == [["brush"], ["pick_actor"], ["pick_milestone"]]


def test_actors_page():
    at = page("actors")
    assert len(charts(at)) == 4  # top actors, by country, mentions over time, network
    assert selections(at) == [["pick_actor"], ["pick_country"], ["pick_mentions"], ["pick_actor"]]  # the country narrows the pages; the rest open mentions
    names = set(at.dataframe[0].value["name"])
    assert {"Vladimir Putin", "Volodymyr Zelensky", "Russia", "Ukraine", "Turkey"} <= names


def test_casualties_page_counts_incidents_once_with_ranges_and_sources():
    at = page("casualties")
    assert len(charts(at)) == 3  # over time, by place, the map
    # A click on a bar opens the figures that make it; on the map, the incident's reports.
    assert selections(at) == [["pick_bar"], ["pick_bar"], ["pick_incident"]]
    incidents = at.dataframe[0].value
    kharkiv = incidents[incidents["place"] == "Kharkiv"]
    assert len(kharkiv) == 1  # two articles, one incident
    row = kharkiv.iloc[0]
    assert (row["killed"], row["killed reported"], row["sources"]) == (14, "9–14", 2)
    assert metric(at, "Killed") == int(incidents["killed"].fillna(0).sum())
    evidence = at.dataframe[1].value
    assert evidence["sentence"].str.contains("killed").any()
    at.toggle(key="cas_all").set_value(True).run()
    assert len(at.dataframe[-1].value) > len(evidence)


def test_incident_sources_on_demand():
    at = page("casualties")
    incidents = at.dataframe[0].value
    kharkiv = int(incidents.loc[incidents["place"] == "Kharkiv", "incident"].iloc[0])
    at.selectbox(key="incident").set_value(kharkiv).run()
    assert not at.exception
    sources = at.dataframe[1].value
    assert sources["article_id"].nunique() == 2


def test_negotiations_page_tracks_and_kind_filter():
    at = page("negotiations")
    assert len(charts(at)) == 2
    tracks = at.dataframe[0].value
    swap = tracks[(tracks["kind"] == "prisoner_exchange") & tracks["parties"].str.contains("Russia") & tracks["parties"].str.contains("Ukraine")]
    assert len(swap) == 1 and swap.iloc[0]["status"] == "completed" and swap.iloc[0]["sources"] >= 4
    at.multiselect(key="mkind").set_value(["ceasefire"]).run()
    assert set(at.dataframe[0].value["kind"]) == {"ceasefire"}
    track_id = int(at.dataframe[0].value["label"].str.extract(r"#(\d+)")[0].iloc[0])
    at.selectbox(key="track").set_value(track_id).run()
    assert not at.exception
    history = at.dataframe[1].value
    assert len(history) >= 1 and history["date"].is_monotonic_increasing
    # The status history, in date order: "**proposed** (2025-05-02) → **agreed** (2025-05-09)".
    (line,) = [m.value for m in at.markdown if re.fullmatch(r"\*\*\w+\*\* \([^)]*\)( → \*\*\w+\*\* \([^)]*\))*", m.value)]
    assert re.findall(r"\*\*(\w+)\*\*", line) == history["status"].tolist()


def test_articles_reader_highlights_and_escapes():
    at = page("articles")
    html = " ".join(h.value for h in at.html)
    assert 'class="hl hl-casualty"' in html and 'class="hl hl-actor"' in html
    assert "<script" not in html


def test_sidebar_filter_narrows_every_figure():
    at = page("overview")
    before = metric(at, "Articles")
    at.multiselect(key="actor").set_value(["Recep Tayyip Erdogan"]).run()
    assert not at.exception
    assert 0 < metric(at, "Articles") < before


def test_ingest_pasted_text_then_duplicate():
    at = page("ingest")
    text = "DONETSK, Ukraine — Shelling of a market in Kostiantynivka on Monday killed three people and wounded seven, officials said."
    at.text_input[0].set_value("Market shelled")
    at.text_area[0].set_value(text)
    at.button[0].click().run()
    assert not at.exception
    assert any("Stored" in s.value for s in at.success), [s.value for s in at.success]
    assert metric(at, "Killed") == 3 and metric(at, "Wounded") == 7
    assert at.text_area[0].value == ""  # stored: the form is empty for the next article
    at.text_area[0].set_value(text)
    at.button[0].click().run()
    assert any("already stored" in i.value for i in at.info)


def test_ingest_refuses_empty_text_with_a_reason():
    at = page("ingest")
    at.text_area[0].set_value("   ")
    at.button[0].click().run()
    assert any("the text is empty" in e.value for e in at.error)


def test_a_chart_click_becomes_the_sidebar_filter():
    script = (
        "import streamlit as st\n"
        "from components.pages.common import narrow_on_click\n"
        "st.session_state['chart'] = {'selection': {'pick_actor': [{'name': 'Vladimir Putin'}, {'name': None}]}}\n"
        "narrow_on_click('chart', 'pick_actor', 'name', 'actor')()\n"
        "st.session_state['empty'] = {'selection': {}}\n"
        "st.session_state['country'] = ['Turkey']\n"
        "narrow_on_click('empty', 'pick_country', 'country', 'country')()\n"
        "st.write(st.session_state['actor'], st.session_state['country'])\n"
    )
    at = AppTest.from_string(script, default_timeout=TIMEOUT)
    at.run()
    assert not at.exception
    assert at.session_state["actor"] == ["Vladimir Putin"]
    assert at.session_state["country"] == ["Turkey"]  # an empty click leaves the filter alone


def test_trends_page_compares_the_latest_period_with_the_ones_before():
    at = page("trends")
    assert not at.exception
    levels = {m.label for m in at.metric}
    assert levels == {"Large increase", "Moderate increase", "Limited change", "Moderate decrease", "Large decrease"}
    table = at.dataframe[0].value
    assert {"country", "current", "baseline", "change", "level", "new"} <= set(table.columns) and not table.empty
    at.radio(key="trend_unit").set_value("Actors").run()
    assert not at.exception
    actors = at.dataframe[0].value
    assert {"actor", "level", "new"} <= set(actors.columns)
    at.radio(key="trend_unit").set_value("Places").run()
    assert not at.exception and len(charts(at)) == 1  # the change map
