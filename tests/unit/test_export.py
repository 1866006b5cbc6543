"""Exports: tables round-trip, charts render without a browser, the briefing escapes what articles say."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime

import pandas as pd
import pytest

from components import charts
from components.services import export
from components.store import Filters, Store
from components.tools import loadtest

SCRIPT = '<script>alert("x")</script>'


@pytest.fixture()
def table() -> pd.DataFrame:
    return pd.DataFrame({
        "name": ["Київ council", "=HYPERLINK(\"http://evil\")", SCRIPT],
        "published": [date(2025, 6, 3), None, date(2025, 7, 1)],
        "parties": [["Russia", "Ukraine"], [], ["Turkey"]],
        "count": [9, 14, 0],
        "share": [0.5, float("nan"), 1.0],
    })


@pytest.fixture(scope="module")
def view(tmp_path_factory) -> dict:
    """The frames a page would read, from a small synthetic store (no language model needed)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('export') / 'view.db'}"
    loadtest.fill(url, 150, seed=7, mode="save")
    store = Store(url)
    f = Filters()
    frames = {"articles": store.articles(f), "totals": store.casualty_totals(f), "actors": store.actors(f), "incidents": store.incidents(f),
              "milestones": store.milestones(f), "tracks": store.tracks(f)}
    store.engine.dispose()
    return frames


def test_csv_round_trip_and_formulas_defused(table):
    data = export.table_to_csv(table)
    assert data.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 only with the mark
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert list(back.columns) == list(table.columns)
    assert back.loc[0, "name"] == "Київ council" and back.loc[2, "name"] == SCRIPT
    assert back.loc[1, "name"] == "'=HYPERLINK(\"http://evil\")"  # shown as text, never run
    assert back.loc[0, "parties"] == "Russia, Ukraine"
    assert back["count"].tolist() == [9, 14, 0]
    assert back.loc[0, "published"] == "2025-06-03"


def test_json_round_trip(table):
    rows = json.loads(export.table_to_json(table))
    assert rows[0] == {"name": "Київ council", "published": "2025-06-03", "parties": ["Russia", "Ukraine"], "count": 9, "share": 0.5}
    assert rows[1]["published"] is None and rows[1]["share"] is None
    assert rows[1]["name"].startswith("=")  # JSON is data, not a spreadsheet: kept as it was


def test_json_of_timestamps():
    df = pd.DataFrame({"day": pd.to_datetime(["2025-06-03"]), "at": [pd.Timestamp("2025-06-03 10:30")], "n": pd.array([pd.NA], dtype="Int64")})
    assert json.loads(export.table_to_json(df)) == [{"day": "2025-06-03", "at": "2025-06-03T10:30:00", "n": None}]


def test_excel_opens_with_openpyxl_and_text_is_never_a_formula(table):
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(export.table_to_excel(table, sheet="actors")))
    sheet = book["actors"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("name", "published", "parties", "count", "share")
    assert rows[1][0] == "Київ council" and rows[1][2] == "Russia, Ukraine" and rows[1][3] == 9
    assert rows[1][1].date() == date(2025, 6, 3)
    cell = sheet["A3"]
    assert cell.value == "=HYPERLINK(\"http://evil\")" and cell.data_type == "s"
    assert rows[2][4] is None


def test_excel_continues_on_a_new_sheet_past_the_row_limit(monkeypatch):
    from openpyxl import load_workbook

    monkeypatch.setattr(export, "_XLSX_MAX_ROWS", 3)
    book = load_workbook(io.BytesIO(export.table_to_excel(pd.DataFrame({"n": range(7)}))))
    assert book.sheetnames == ["data", "data (2)", "data (3)"]
    values = [v for ws in book for (v,) in ws.iter_rows(min_row=2, values_only=True)]
    assert values == list(range(7))  # nothing lost


def test_excel_drops_control_characters():
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(export.table_to_excel(pd.DataFrame({"s": ["a\x00b\x1fc"]}))))
    assert book.active["A2"].value == "abc"


def _actors_chart(name: str = "Russia") -> object:
    df = pd.DataFrame({"name": [name, "Ukraine"], "kind": ["country", "country"], "country": ["Russia", "Ukraine"],
                       "mentions": [5, 3], "articles": [2, 1]})
    return charts.top_actors_bar(df)


def test_chart_png_and_svg():
    png = export.chart_to_png(_actors_chart())
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    svg = export.chart_to_svg(_actors_chart())
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    assert b"Russia" in svg


def test_svg_escapes_names_from_articles():
    svg = export.chart_to_svg(_actors_chart(SCRIPT)).decode()
    assert "<script" not in svg and "&lt;script" in svg
    ET.fromstring(svg)


def test_main_charts_of_a_view_render(view):
    built = export.main_charts(view["actors"], view["incidents"], view["milestones"], view["tracks"])
    assert set(built) == {"top_actors", "incidents_over_time", "incidents_by_place", "incident_map", "track_timeline", "milestone_timeline"}
    for chart in built.values():
        ET.fromstring(export.chart_to_svg(chart))


def test_timelines_draw_each_mark_once_and_the_latest_when_too_many(view, monkeypatch):
    repeated = pd.concat([view["milestones"]] * 3, ignore_index=True)
    built = export.main_charts(view["actors"].iloc[:0], view["incidents"].iloc[:0], repeated, view["tracks"])
    distinct = view["milestones"].drop_duplicates(["date", "kind", "status"])
    assert len(built["milestone_timeline"].data) == len(distinct)  # repeats are one mark: nothing visible lost
    assert "since" not in str(built["milestone_timeline"].title)
    monkeypatch.setattr(export, "MARK_LIMIT", 10)
    built = export.main_charts(view["actors"].iloc[:0], view["incidents"].iloc[:0], repeated, view["tracks"])
    shown = built["milestone_timeline"].data
    assert len(shown) == 10
    assert pd.to_datetime(shown["date"]).min() >= pd.to_datetime(distinct["date"]).nlargest(10).min()
    assert "since" in str(built["milestone_timeline"].title)
    assert len(built["track_timeline"].data) <= 10


def _briefing(view: dict, **changes) -> export.Briefing:
    incidents = view["incidents"].copy()
    incidents.loc[incidents.index[0], "latest_sentence"] = f"Officials said {SCRIPT} nine people died."
    incidents.loc[incidents.index[0], "latest_title"] = "<b>Strike</b> & aftermath"
    incidents.loc[incidents.index[0], "latest"] = 10**6  # the heaviest: first among the key sentences
    frames = {**view, "incidents": incidents, **changes}
    return export.build_briefing(
        Filters(actors=("Russia", "<img src=x onerror=alert(1)>"), date_from=date(2024, 1, 1)),
        now=datetime(2025, 7, 1, 8, 30, tzinfo=UTC), title="Morning <brief>", **frames,
    )


def _tags(page: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    from html.parser import HTMLParser

    found: list = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, attrs))

    Collect().feed(page)
    return found


def test_briefing_html_is_self_contained_and_escapes_article_text(view):
    page = export.briefing_html(_briefing(view)).decode("utf-8")
    tags = _tags(page)
    assert not {name for name, _ in tags} & {"script", "img", "iframe", "link", "object", "embed"}
    assert not [(name, a) for name, attrs in tags for a, _ in attrs if a.startswith("on") or a in ("src", "href") and name != "use"]
    assert "<script" not in page
    assert "Officials said &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; nine people died." in page
    assert "“&lt;b&gt;Strike&lt;/b&gt; &amp; aftermath”" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page  # the filters are shown, escaped
    assert "<title>Morning &lt;brief&gt;</title>" in page
    assert "generated 2025-07-01 08:30 UTC" in page
    assert page.count("<svg") == 6  # the charts (the map among them), inline
    assert "Content-Security-Policy" in page
    assert "Killed" in page and "Articles" in page and "2024-01-01 to …" in page


def test_briefing_names_each_sentence_source(view):
    b = _briefing(view)
    first = b.sentences[0]
    assert first.sentence.startswith("Officials said") and first.source and isinstance(first.published, date)
    assert any(s.about.startswith(tuple(k.replace("_", " ").capitalize() for k in charts.MILESTONE_ORDER)) for s in b.sentences)


def test_briefing_pdf(view):
    pdf = export.briefing_pdf(_briefing(view))
    assert pdf.startswith(b"%PDF")
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Morning <brief>" in text  # escaped for reportlab's markup, so shown as written
    assert "alert(" in text and "nine people died" in text


def test_briefing_of_an_empty_view():
    empty = pd.DataFrame()
    b = export.build_briefing(Filters(), articles=pd.DataFrame({"id": [], "published": []}), totals={}, actors=empty, incidents=empty,
                              milestones=empty, tracks=empty)
    assert b.charts == {} and b.sentences == []
    assert "No charts for this view." in export.briefing_html(b).decode()
    assert export.briefing_pdf(b).startswith(b"%PDF")
