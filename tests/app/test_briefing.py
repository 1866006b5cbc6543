"""The Export & briefing page under AppTest, on the sample articles."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from datetime import date

import pandas as pd
import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from tests.app.apptest import page_test

pytestmark = pytest.mark.model
TIMEOUT = 120
TABLES = ["actors", "incidents", "casualty_figures", "milestones", "tracks", "articles"]
CHARTS = ["top_actors", "incidents_over_time", "incidents_by_place", "incident_map", "track_timeline", "milestone_timeline"]


@pytest.fixture(autouse=True)
def _database(samples_db):
    from components.pages.common import clear_query_caches

    clear_query_caches()


@pytest.fixture()
def downloads(monkeypatch) -> dict:
    """The files the page's buttons would make on click, by file name (each is made only on click)."""
    made: dict = {}
    add_deferred = MediaFileManager.add_deferred

    def spy(self, callable_, mimetype, coordinates, file_name=None, **kw):
        made[file_name] = (callable_, mimetype)
        return add_deferred(self, callable_, mimetype, coordinates, file_name=file_name, **kw)

    monkeypatch.setattr(MediaFileManager, "add_deferred", spy)
    return made


def page() -> AppTest:
    return page_test("briefing", timeout=TIMEOUT)


def metric(at: AppTest, label: str) -> int:
    return int(next(m for m in at.metric if m.label == label).value.replace(",", ""))


def test_headline_figures_and_a_button_for_every_file():
    at = page()
    assert at.title[0].value == "Export & briefing"
    assert metric(at, "Articles") == 20 and metric(at, "Killed") > 0 and metric(at, "Milestones") > 0
    keys = {b.key for b in at.download_button}
    expected = {"brief_html", "brief_pdf"} | {f"brief_{t}_{ext}" for t in TABLES for ext in ("csv", "xlsx", "json")}
    expected |= {f"brief_chart_{c}_{ext}" for c in CHARTS for ext in ("png", "svg")} | {"brief_incidents_geojson"}
    assert keys == expected
    widget_keys = keys | {w.key for w in at.text_input}
    assert all(k.startswith("brief_") for k in widget_keys)


def test_every_file_is_made_on_click_and_opens(downloads):
    from openpyxl import load_workbook

    page()
    by_kind: dict[str, list[bytes]] = {}
    for name, (make, _mime) in downloads.items():
        by_kind.setdefault(name.rsplit(".", 1)[1], []).append(make())
    assert len(by_kind["csv"]) == len(by_kind["xlsx"]) == len(by_kind["json"]) == len(TABLES)
    for data in by_kind["csv"]:
        assert not pd.read_csv(io.BytesIO(data), encoding="utf-8-sig").empty
    for data in by_kind["json"]:
        assert isinstance(json.loads(data), list) and json.loads(data)
    for data in by_kind["xlsx"]:
        assert load_workbook(io.BytesIO(data)).active.max_row > 1
    assert len(by_kind["png"]) == len(by_kind["svg"]) == len(CHARTS)
    assert all(p.startswith(b"\x89PNG\r\n\x1a\n") for p in by_kind["png"])
    for svg in by_kind["svg"]:
        ET.fromstring(svg)
    (geojson,) = by_kind["geojson"]
    features = json.loads(geojson)["features"]
    kharkiv = next(f for f in features if f["properties"]["place"] == "Kharkiv")
    assert kharkiv["geometry"]["type"] == "Point" and (kharkiv["properties"]["killed"], kharkiv["properties"]["killed_low"]) == (14, 9)
    (html,), (pdf,) = by_kind["html"], by_kind["pdf"]
    assert pdf.startswith(b"%PDF")
    text = html.decode()
    assert text.startswith("<!DOCTYPE html>") and "<script" not in text and text.count("<svg") == len(CHARTS)
    assert "Kharkiv" in text  # a key sentence of the samples' heaviest incident, with its source


def test_the_briefing_follows_the_title_and_the_filters(downloads):
    at = page()
    before = metric(at, "Articles")
    at.text_input(key="brief_title").set_value("Erdogan <watch>")
    at.multiselect(key="actor").set_value(["Recep Tayyip Erdogan"]).run()
    assert not at.exception
    assert 0 < metric(at, "Articles") < before
    html = next(make() for name, (make, _) in downloads.items() if name.endswith(".html")).decode()
    assert "<title>Erdogan &lt;watch&gt;</title>" in html
    assert "Recep Tayyip Erdogan" in html  # the view's filters, written out
    articles = json.loads(next(make() for name, (make, _) in downloads.items() if name.startswith("articles") and name.endswith(".json")))
    assert len(articles) == metric(at, "Articles")


def test_empty_view_says_what_to_do():
    at = page()
    at.date_input(key="dates").set_value((date(1991, 1, 1), date(1991, 1, 2))).run()
    assert not at.exception
    assert not at.download_button
    assert any("nothing to export" in i.value for i in at.info)
