"""The incident map: Natural Earth borders shipped with the project, incidents drawn on them.

No tile server: the borders (charts/data/countries-110m.json) are embedded in the chart, so
the map draws offline, exports to PNG/SVG like any other chart and goes into the briefing.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import altair as alt
import pandas as pd

COUNTRIES = Path(__file__).parent / "data" / "countries-110m.json"
PICK_INCIDENT = "pick_incident"
MAP_COLOURS = {"killed": "#D55E00", "wounded": "#E69F00", "missing": "#56B4E9", "abducted": "#CC79A7", "arrested": "#0072B2"}
MARGIN_DEGREES = 2.0  # around the incidents, so the nearest borders show


@cache
def countries_topology() -> dict[str, Any]:
    """The world's countries as TopoJSON (read once)."""
    return json.loads(COUNTRIES.read_text(encoding="utf-8"))


def _extent(points: pd.DataFrame) -> dict[str, Any]:
    """A GeoJSON box around the points (with a margin) for the projection to fit."""
    west, east = float(points["lon"].min()) - MARGIN_DEGREES, float(points["lon"].max()) + MARGIN_DEGREES
    south, north = float(points["lat"].min()) - MARGIN_DEGREES, float(points["lat"].max()) + MARGIN_DEGREES
    south, north = max(south, -85.0), min(north, 85.0)
    corners = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [corners]}}


def incident_map(points: pd.DataFrame, height: int = 460, clickable: bool = True) -> alt.LayerChart:
    """Incidents on the countries: circle area by toll, colour by kind, tooltip with the range and
    sources; with `clickable`, a click selects an incident (selection "pick_incident").

    Expects columns incident, lat, lon, kind, count, place, date, details, sources.
    """
    projection = {"type": "mercator", "fit": _extent(points)} if not points.empty else {"type": "equalEarth"}
    borders = (
        alt.Chart(alt.Data(values=countries_topology(), format=alt.DataFormat(type="topojson", feature="countries")))
        .mark_geoshape(fill="#eeeeee", stroke="#9a9a9a", strokeWidth=0.6, clip=True)
        .encode(tooltip=alt.Tooltip("properties.name:N", title="country"))
    )
    circles = (
        alt.Chart(points)
        .mark_circle(opacity=0.75, stroke="white", strokeWidth=0.8, cursor="pointer" if clickable else "default", clip=True)
        .encode(
            longitude="lon:Q", latitude="lat:Q",
            size=alt.Size("count:Q", scale=alt.Scale(type="sqrt", range=[30, 1600]), title="People"),
            color=alt.Color("kind:N", scale=alt.Scale(domain=list(MAP_COLOURS), range=list(MAP_COLOURS.values())), title="Kind"),
            tooltip=[alt.Tooltip("place:N"), alt.Tooltip("date:N"), alt.Tooltip("details:N", title="reported"),
                     alt.Tooltip("sources:Q", title="sources"), alt.Tooltip("incident:Q")],
        )
    )
    if clickable:
        circles = circles.add_params(alt.selection_point(name=PICK_INCIDENT, fields=["incident"]))
    return alt.layer(borders, circles).project(**projection).properties(height=height, title="Where")
