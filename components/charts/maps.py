"""The incident map: Natural Earth borders shipped with the project, incidents drawn on them.

No tile server: the borders (charts/data/countries-110m.json) are embedded in the chart, so
the map draws offline, exports to PNG/SVG like any other chart and goes into the briefing.
"""

from __future__ import annotations

import json
import math
from functools import cache
from pathlib import Path
from typing import Any, ClassVar

import altair as alt
import pandas as pd
from altair.utils.schemapi import SchemaBase

from . import CASUALTY_COLOURS

COUNTRIES = Path(__file__).parent / "data" / "countries-110m.json"
PICK_INCIDENT = "pick_incident"
BORDERS = "countries-110m"  # the name of the borders' dataset in a map's spec
MARGIN_DEGREES = 3.0  # around the incidents, so the nearest borders show
MIN_HALF_SPAN_DEGREES = 7.0
VIEW_WIDTH = 900  # px the projection is sized for: about the map's width on a 1,400 px screen


@cache
def countries_topology() -> dict[str, Any]:
    """The world's countries as TopoJSON (read once)."""
    return json.loads(COUNTRIES.read_text(encoding="utf-8"))


class _Embedded(SchemaBase):
    """A JSON value a chart embeds as it is. Altair would otherwise walk the borders' tens of
    thousands of numbers, one Python call each, every time a page draws the map."""

    _schema: ClassVar[dict[str, Any]] = {"type": "object"}
    _class_is_valid_at_instantiation: ClassVar[bool] = False

    def to_dict(self, validate: bool = True, *, ignore: list[str] | None = None, context: dict[str, Any] | None = None) -> Any:
        return self._args[0]

    def __deepcopy__(self, memo: Any) -> _Embedded:
        return self  # never changed once made


def incident_points(incidents: pd.DataFrame) -> pd.DataFrame:
    """One point per located incident: its main kind (killed, else wounded) and count, and a tooltip."""
    located = incidents[incidents["lat"].notna() & incidents["lon"].notna()]
    if located.empty:
        return located
    order = {"killed": 0, "wounded": 1}
    ranked = located.assign(order=located["kind"].map(order).fillna(2)).sort_values(["incident_id", "order"])
    line = ranked["kind"] + ": " + ranked["latest"].astype(str)
    spread = ranked["low"] != ranked["high"]
    line = line.where(~spread, line + " (reports " + ranked["low"].astype(str) + "–" + ranked["high"].astype(str) + ")")
    # One pass in plain Python: a pandas groupby joining strings runs a Python call per incident.
    lines: dict[Any, list[str]] = {}
    for incident, text in zip(ranked["incident_id"], line, strict=True):
        lines.setdefault(incident, []).append(text)
    details = pd.Series({incident: "; ".join(texts) for incident, texts in lines.items()})
    main = ranked.drop_duplicates("incident_id").set_index("incident_id")
    points = pd.DataFrame({
        "incident": main.index.astype(int), "lat": main["lat"].astype(float), "lon": main["lon"].astype(float), "kind": main["kind"],
        "count": main["latest"].astype(int), "place": main["location"].fillna(""), "date": main["date"].astype(str),
        "details": details.reindex(main.index), "sources": ranked.groupby("incident_id")["sources"].max().reindex(main.index),
    })
    return points.reset_index(drop=True)


def _view(points: pd.DataFrame, width: int, height: int) -> dict[str, Any]:
    """A Mercator projection (scale and centre) showing every incident with a margin, at least a
    few degrees wide so the nearest borders show around a single incident."""
    west, east = float(points["lon"].min()), float(points["lon"].max())
    south, north = float(points["lat"].min()), float(points["lat"].max())
    half = max((east - west) / 2 + MARGIN_DEGREES, MIN_HALF_SPAN_DEGREES)
    middle = (east + west) / 2
    south, north = max(min(south, north) - MARGIN_DEGREES, -80.0), min(max(south, north) + MARGIN_DEGREES, 80.0)

    def y(lat: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    low, high = y(south), y(north)
    if high - low < math.radians(2 * MIN_HALF_SPAN_DEGREES):
        pad = (math.radians(2 * MIN_HALF_SPAN_DEGREES) - (high - low)) / 2
        low, high = low - pad, high + pad
    scale = min(width / math.radians(2 * half), height / (high - low))
    centre_lat = math.degrees(2 * math.atan(math.exp((low + high) / 2)) - math.pi / 2)
    return {"type": "mercator", "scale": scale, "center": [middle, centre_lat]}


def incident_map(points: pd.DataFrame, height: int = 460, clickable: bool = True, colours: dict[str, str] | None = None,
                 colour_title: str = "Kind", title: str = "Where") -> alt.LayerChart:
    """Incidents on the countries: circle area by toll, colour by kind, tooltip with the range and
    sources; with `clickable`, a click selects an incident (selection "pick_incident"). `colours`
    maps the `kind` column's values to colours (another map, such as Trends' change levels).

    Expects columns incident, lat, lon, kind, count, place, date, details, sources.
    """
    projection = _view(points, VIEW_WIDTH, height) if not points.empty else {"type": "equalEarth"}
    # The borders by name: the TopoJSON (tens of thousands of numbers) joins the spec once, at
    # the top, instead of being deep-copied with every layer, projection and property set.
    borders = (
        alt.Chart(alt.Data(name=BORDERS, format=alt.DataFormat(type="topojson", feature="countries")))
        .mark_geoshape(fill="#eeeeee", stroke="#9a9a9a", strokeWidth=0.6, clip=True)
        .encode(tooltip=alt.Tooltip("properties.name:N", title="country"))
    )
    circles = (
        alt.Chart(points)
        .mark_circle(opacity=0.75, stroke="white", strokeWidth=0.8, cursor="pointer" if clickable else "default", clip=True)
        .encode(
            longitude="lon:Q", latitude="lat:Q",
            size=alt.Size("count:Q", scale=alt.Scale(type="sqrt", range=[25, 900]), title="People"),
            color=alt.Color("kind:N", scale=alt.Scale(domain=list(colours or CASUALTY_COLOURS), range=list((colours or CASUALTY_COLOURS).values())),
                            title=colour_title),
            tooltip=[alt.Tooltip("place:N"), alt.Tooltip("date:N"), alt.Tooltip("details:N", title="reported"),
                     alt.Tooltip("sources:Q", title="sources"), alt.Tooltip("incident:Q")],
        )
    )
    if clickable:
        circles = circles.add_params(alt.selection_point(name=PICK_INCIDENT, fields=["incident"]))
    sea = alt.Chart(alt.sphere()).mark_geoshape(fill="#e8f1f8", stroke=None, clip=True)
    chart = alt.layer(sea, borders, circles).project(**projection).properties(height=height, width=VIEW_WIDTH, title=title)
    chart.datasets = {BORDERS: _Embedded(countries_topology())}  # set, not passed to properties(), which would validate every number
    return chart
