"""Charts readable at 1,400 px: every bar and lane label drawn a row apart, legends on the
canvas, day ticks on narrow date ranges. Charts are rendered to SVG (vl-convert) and sized as
the app sizes them, since what matters is what is drawn, not what the spec says."""

from __future__ import annotations

import itertools
import json
import re
from xml.etree import ElementTree

import pandas as pd
import pytest

from components import charts

vl_convert = pytest.importorskip("vl_convert", reason="rendering charts needs vl-convert-python (requirements.txt)")


def as_the_app_draws_it(chart) -> str:
    """The chart as SVG, sized as Streamlit's theme sizes it: the whole chart, legend and title
    included, fitted to its width and height (autosize "fit")."""
    spec = chart.to_dict()
    spec["autosize"] = {"type": "fit", "contains": "padding"}
    spec.setdefault("width", 520)
    return vl_convert.vegalite_to_svg(json.dumps(spec))


def drawn_labels(chart) -> list[tuple[float, str]]:
    """(vertical position on the canvas, text) of every text drawn."""
    return [(y, text) for _x, y, text in placed_texts(as_the_app_draws_it(chart))[1]]


def placed_texts(svg: str) -> tuple[float, list[tuple[float, float, str]]]:
    """The canvas height, and (x, y, text) of every text at its place on the canvas (the
    translations of the groups it is drawn in added up)."""
    root = ElementTree.fromstring(svg)
    found: list[tuple[float, float, str]] = []

    def walk(node: ElementTree.Element, x: float, y: float) -> None:
        move = re.match(r"translate\(([-\d.e]+),\s*([-\d.e]+)\)", node.get("transform", ""))
        if move:
            x, y = x + float(move.group(1)), y + float(move.group(2))
        if node.tag.endswith("text") and node.text:
            found.append((x, y, node.text))
        for child in node:
            walk(child, x, y)

    walk(root, 0.0, 0.0)
    return float(root.get("height", "0")), found


def drawn_texts(chart) -> list[str]:
    return [text for _y, text in drawn_labels(chart)]


# --------------------------------------------------------------------------- bar labels


def test_every_actor_of_the_top_bars_is_labelled_a_row_apart():
    long_names = ["Special Representative of the Secretary-General for Children and Armed Conflict in the Northern Provinces",
                  "International Committee of the Red Cross", "Office of the High Commissioner for Human Rights"]
    names = long_names + [f"Field commander {chr(65 + i)}" for i in range(12)]
    actors = pd.DataFrame({"name": names, "kind": ["organization"] * 3 + ["person"] * 12, "country": [None] * 15,
                           "mentions": list(range(100, 85, -1)), "articles": [1] * 15})
    for shown in (15, 4):  # a long list, and a short one beside a taller legend
        chart = charts.top_actors_bar(actors, top=shown, clickable=True)
        drawn = drawn_labels(chart)
        rows = sorted(y for y, text in drawn if text in names or text.endswith("…"))
        assert len(rows) == shown  # no label dropped
        assert min(b - a for a, b in itertools.pairwise(rows)) >= charts.ROW_PX - 0.5  # a row each: labels never overlap
    texts = [text for _y, text in drawn_labels(charts.top_actors_bar(actors, top=15))]
    assert [n for n in names[1:] if n not in texts] == []
    # A name longer than the label room is shortened with an ellipsis; the tooltip keeps it whole.
    cut = [t for t in texts if t.endswith("…")]
    assert len(cut) == 1 and long_names[0].startswith(cut[0][:-1])
    assert "name" in [t.get("field") for t in charts.top_actors_bar(actors).to_dict()["encoding"]["tooltip"]]


@pytest.mark.parametrize("rows", [1, 3])
def test_a_short_list_of_bars_keeps_its_whole_legend_on_the_canvas(rows):
    actors = pd.DataFrame({"name": [f"Envoy {i}" for i in range(rows)], "kind": ["person"] * rows, "country": ["Arvania"] * rows,
                           "mentions": range(rows, 0, -1), "articles": [1] * rows})
    places = pd.DataFrame({"location": ["Oskel"] * 2, "kind": ["killed", "wounded"], "latest": [3, 9]})
    for chart, legend in ((charts.top_actors_bar(actors), charts.KIND_COLOURS), (charts.actors_by_country(actors), charts.KIND_COLOURS),
                          (charts.incidents_by_place(places), charts.CASUALTY_COLOURS)):
        height, texts = placed_texts(as_the_app_draws_it(chart))
        shown = {text for _x, y, text in texts if 0 <= y <= height}
        assert set(legend) <= shown, sorted(set(legend) - shown)


def test_each_negotiation_track_gets_a_lane_of_its_own():
    tracks = pd.DataFrame({"track_id": [1, 2, 3], "label": ["Northern ports grain corridor (#1)", "Prisoner exchanges (#2)",
                                                            "Energy infrastructure moratorium (#3)"]})
    ms = pd.DataFrame({"track_id": [1, 2, 3], "date": pd.to_datetime(["2025-06-01", "2025-06-05", "2025-06-09"]), "status": ["held"] * 3,
                       "sentence": ["s"] * 3, "title": ["t"] * 3, "source": ["W"] * 3})
    rows = sorted(y for y, text in drawn_labels(charts.track_timeline(ms, tracks)) if text in set(tracks["label"]))
    assert len(rows) == 3 and min(b - a for a, b in itertools.pairwise(rows)) >= charts.LANE_PX - 0.5


# --------------------------------------------------------------------------- time axes


HOURS = re.compile(r"\b(AM|PM)\b|\d{1,2}:\d{2}")


@pytest.mark.parametrize("days", [1, 2, 3, 10])
def test_a_narrow_range_is_ticked_in_days_not_hours(days):
    dates = pd.date_range("2025-06-01", periods=days, freq="D")
    per_day = pd.DataFrame({"date": dates, "kind": ["killed"] * days, "latest": range(1, days + 1)})
    labels = [t for t in drawn_texts(charts.incidents_over_time(per_day)) if re.search(r"Jun|AM|PM|:\d\d", t)]
    assert labels and not [t for t in labels if HOURS.search(t)], labels
    assert all(re.fullmatch(r"\d{2} Jun", t) for t in labels), labels
    assert len(labels) == len(set(labels))  # one tick per day, never the same day twice
    if days > 1:
        assert labels[0] == "01 Jun" and f"{days:02d} Jun" in labels


def test_every_chart_by_day_uses_the_day_axis():
    two_days = pd.to_datetime(["2025-06-01", "2025-06-02"])
    mentions = pd.DataFrame({"date": two_days, "name": ["A", "A"], "mentions": [1, 2]})
    ms = pd.DataFrame({"date": two_days, "kind": ["talks", "ceasefire"], "status": ["held", "proposed"], "parties": [["A"], ["B"]],
                       "location": [None, None], "sentence": ["s", "t"], "title": ["a", "b"], "track_id": [1, 2], "source": ["W", "W"]})
    tracks = pd.DataFrame({"track_id": [1, 2], "label": ["A talks (#1)", "B ceasefire (#2)"]})
    for chart in (charts.actor_mentions_over_time(mentions), charts.milestone_timeline(ms), charts.track_timeline(ms, tracks)):
        spec = chart.to_dict()
        for layer in spec.get("layer", [spec]):
            axis = layer["encoding"]["x"]["axis"]
            assert axis["format"] == charts.DAY_FORMAT and axis["tickCount"]["interval"] == "day"
        assert not [t for t in drawn_texts(chart) if HOURS.search(t)]


def test_a_wide_range_keeps_weeks_and_months():
    axis = charts.day_axis(pd.date_range("2025-01-01", "2025-12-31", freq="D")).to_dict()
    assert "tickCount" not in axis and "format" not in axis
    two_months = charts.day_axis(pd.Series(pd.to_datetime(["2025-06-01", "2025-07-31"]))).to_dict()
    assert two_months["tickCount"] == {"interval": "day", "step": 7}
    assert charts.day_axis([]).to_dict()["tickCount"] == {"interval": "day", "step": 1}  # no data: still days
