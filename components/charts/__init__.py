"""Altair chart builders: DataFrame in, alt.Chart out. No database, no Streamlit.

Data is aggregated in pandas (or the database) before it reaches a chart, so charts stay
small whatever the size of the store. Colours are the Okabe-Ito palette, which stays
distinguishable with the common forms of colour blindness.
"""

from __future__ import annotations

import math
from typing import Any

import altair as alt
import pandas as pd

from ..vocab import ALL_STATUSES, MILESTONE_KINDS

OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
CASUALTY_COLOURS = {"killed": "#D55E00", "wounded": "#E69F00", "missing": "#56B4E9", "abducted": "#CC79A7", "arrested": "#0072B2"}
STATUS_ORDER = list(ALL_STATUSES)
STATUS_COLOURS = ["#56B4E9", "#0072B2", "#009E73", "#E69F00", "#000000", "#CC79A7", "#D55E00"]
KIND_COLOURS = {"person": "#0072B2", "country": "#009E73", "organization": "#E69F00", "armed_group": "#D55E00", "media": "#CC79A7", "other": "#999999"}
MILESTONE_ORDER = list(MILESTONE_KINDS)


def _scale(mapping: dict[str, str]) -> alt.Scale:
    return alt.Scale(domain=list(mapping), range=list(mapping.values()))


# Colour and shape both say the status: one legend, the same title, so it shows the coloured shapes.
STATUS_LEGEND = alt.Legend(orient="bottom", direction="horizontal", symbolSize=120)
LANE_LABEL_PX = 360  # lane and bar labels: whole names at 1,400 px, not "Russia – Ukraine …"
ROW_PX = 22  # height of one bar's row: a label of the default 11 px font never overlaps the next
LANE_PX = 34  # height of one negotiation track's lane
# Under a list of bars, not beside it: a chart is as tall as its rows, and a legend beside a
# short list would be cut off at the bottom.
BAR_LEGEND = alt.Legend(orient="bottom", direction="horizontal", columns=3, symbolType="square")

DAILY_TICKS_UP_TO = 62  # days: a narrower range gets a tick per day (or every few days), never hour ticks
DAY_FORMAT = "%d %b"  # "03 Jun"

PICK_ACTOR = "pick_actor"
PICK_COUNTRY = "pick_country"
PICK_MILESTONE = "pick_milestone"  # a click on a milestone: its id
PICK_BAR = "pick_bar"  # a click on a casualty bar: its day or place, and kind
PICK_MENTIONS = "pick_mentions"  # a click on an actor's day: its name and date
BRUSH = "brush"


def day_axis(dates: Any) -> alt.Axis:
    """A time axis for data by day. Vega-Lite's own ticks fall on hours when the range is a few
    days ("06 AM", "12 PM"); up to DAILY_TICKS_UP_TO days the ticks are whole days, about ten
    of them, labelled "03 Jun". Wider ranges keep Vega-Lite's weeks, months and years."""
    days = pd.to_datetime(pd.Series(dates, dtype=object), errors="coerce").dropna()
    span = int((days.max() - days.min()).days) if not days.empty else 0
    if span > DAILY_TICKS_UP_TO:
        return alt.Axis(labelOverlap=True)
    return alt.Axis(format=DAY_FORMAT, tickCount={"interval": "day", "step": max(1, math.ceil((span + 1) / 10))}, labelOverlap=True)


def _days_x(data: pd.DataFrame, field: str = "date") -> alt.X:
    return alt.X(f"{field}:T", title=None, axis=day_axis(data.get(field, [])))


def top_actors_bar(actors: pd.DataFrame, top: int = 15, clickable: bool = False) -> alt.Chart:
    """Most-mentioned actors, coloured by kind. Expects columns name, kind, mentions, articles.

    With `clickable`, a click selects an actor (selection "pick_actor" on the name).
    """
    data = actors.nlargest(top, "mentions") if not actors.empty else actors
    chart = (
        alt.Chart(data, title="Most mentioned actors")
        .mark_bar(cursor="pointer" if clickable else "default")
        .encode(
            x=alt.X("mentions:Q", title="Mentions"),
            y=alt.Y("name:N", sort="-x", title=None, axis=alt.Axis(labelLimit=LANE_LABEL_PX, labelOverlap=False)),
            color=alt.Color("kind:N", scale=_scale(KIND_COLOURS), title="Kind", legend=BAR_LEGEND),
            tooltip=["name:N", "kind:N", "country:N", "mentions:Q", "articles:Q"],
        )
        # A step per actor, not a total height: the app's charts fit their total height (legend and title
        # included), which would squeeze a fixed-height list of bars until its labels overlap.
        .properties(height=alt.Step(ROW_PX))
    )
    if clickable:
        chart = chart.add_params(alt.selection_point(name=PICK_ACTOR, fields=["name"]))
    return chart


def milestone_timeline(milestones: pd.DataFrame, clickable: bool = False) -> alt.Chart:
    """One lane per milestone kind, a mark per milestone coloured by status.

    With `clickable`, a click selects a milestone (selection "pick_milestone" on its id).
    """
    data = milestones.copy()
    if not data.empty:
        data["parties_text"] = data["parties"].map(lambda p: ", ".join(p) if isinstance(p, list) else str(p or ""))
        data["sentence_short"] = data["sentence"].str.slice(0, 180)
    chart = (
        alt.Chart(data, title="Negotiation milestones")
        .mark_point(filled=True, size=140, opacity=0.9, cursor="pointer" if clickable else "default")
        .encode(
            x=_days_x(data),
            y=alt.Y("kind:N", sort=MILESTONE_ORDER, title=None),
            color=alt.Color("status:N", scale=alt.Scale(domain=STATUS_ORDER, range=STATUS_COLOURS), title="Status", legend=STATUS_LEGEND),
            shape=alt.Shape("status:N", scale=alt.Scale(domain=STATUS_ORDER), title="Status", legend=STATUS_LEGEND),
            tooltip=[alt.Tooltip("date:T"), "kind", "status", alt.Tooltip("parties_text:N", title="parties"), "location", alt.Tooltip("sentence_short:N", title="sentence"), "title"],
        )
        .properties(height=260)
    )
    return chart.add_params(alt.selection_point(name=PICK_MILESTONE, fields=["id"])) if clickable else chart


def actor_mentions_over_time(mentions: pd.DataFrame, clickable: bool = False) -> alt.Chart | alt.LayerChart:
    """Mentions per actor and day, a line per actor. With `clickable`, a click on a day's point
    selects it (selection "pick_mentions" on the name and the date)."""
    base = alt.Chart(mentions, title="Mentions over time").encode(
        x=_days_x(mentions),
        y=alt.Y("mentions:Q", title="Mentions"),
        color=alt.Color("name:N", scale=alt.Scale(range=OKABE_ITO), title="Actor"),
        tooltip=[alt.Tooltip("date:T"), "name", "mentions"],
    )
    if not clickable:
        return base.mark_line(point=True).properties(height=260)
    points = base.mark_point(filled=True, size=70, cursor="pointer").add_params(alt.selection_point(name=PICK_MENTIONS, fields=["name", "date"]))
    return alt.layer(base.mark_line(), points).properties(height=260)


def actors_by_country(actors: pd.DataFrame, top: int = 15, clickable: bool = False) -> alt.Chart:
    data = (
        actors.assign(country=actors["country"].fillna("none"))
        .groupby(["country", "kind"], as_index=False)["mentions"].sum()
        if not actors.empty
        else actors
    )
    if not data.empty:
        keep = data.groupby("country")["mentions"].sum().nlargest(top).index
        data = data[data["country"].isin(keep)]
    chart = (
        alt.Chart(data, title="Actors by the country they act for")
        .mark_bar(cursor="pointer" if clickable else "default")
        .encode(
            x=alt.X("mentions:Q", title="Mentions", stack=True),
            y=alt.Y("country:N", sort="-x", title=None, axis=alt.Axis(labelLimit=LANE_LABEL_PX, labelOverlap=False)),
            color=alt.Color("kind:N", scale=_scale(KIND_COLOURS), title="Kind", legend=BAR_LEGEND),
            tooltip=["country", "kind", "mentions"],
        )
    )
    return chart.add_params(alt.selection_point(name=PICK_COUNTRY, fields=["country"])) if clickable else chart


def milestone_status_bar(milestones: pd.DataFrame, clickable: bool = False) -> alt.Chart:
    """Milestones by kind and status: one row per milestone, or rows already counted (a `milestones`
    column). With `clickable`, a click selects a bar ("pick_bar" on kind and status)."""
    if milestones.empty:
        data = milestones
    elif "milestones" in milestones.columns:
        data = milestones.groupby(["kind", "status"], as_index=False)["milestones"].sum().rename(columns={"milestones": "size"})
    else:
        data = milestones.groupby(["kind", "status"], as_index=False).size()
    chart = (
        alt.Chart(data, title="Milestones by kind and status")
        .mark_bar(cursor="pointer" if clickable else "default")
        .encode(
            x=alt.X("size:Q", title="Milestones", stack=True),
            y=alt.Y("kind:N", sort=MILESTONE_ORDER, title=None),
            color=alt.Color("status:N", scale=alt.Scale(domain=STATUS_ORDER, range=STATUS_COLOURS), title="Status"),
            tooltip=["kind", "status", alt.Tooltip("size:Q", title="milestones")],
        )
    )
    return chart.add_params(alt.selection_point(name=PICK_BAR, fields=["kind", "status"])) if clickable else chart


def incidents_over_time(incidents: pd.DataFrame, brush: bool = False, clickable: bool = False) -> alt.Chart:
    """People per day, each incident counted once at its latest report. Expects date, kind, latest.

    With `brush`, dragging across the chart selects a time range (selection "brush" on x); with
    `clickable`, a click selects a bar (selection "pick_bar" on date and kind).
    """
    data = incidents.groupby(["date", "kind"], as_index=False)["latest"].sum() if not incidents.empty else incidents
    chart = (
        alt.Chart(data, title="Casualties per day (each incident once)" + (" · drag to narrow the dates" if brush else ""))
        .mark_bar(cursor="pointer" if clickable else "default")
        .encode(
            x=_days_x(data),
            y=alt.Y("latest:Q", title="People", stack=True),
            color=alt.Color("kind:N", scale=_scale(CASUALTY_COLOURS), title="Kind"),
            tooltip=[alt.Tooltip("date:T"), "kind", alt.Tooltip("latest:Q", title="people")],
        )
        .properties(height=260)
    )
    if brush:
        chart = chart.add_params(alt.selection_interval(name=BRUSH, encodings=["x"]))
    elif clickable:
        chart = chart.add_params(alt.selection_point(name=PICK_BAR, fields=["date", "kind"]))
    return chart


def incidents_by_place(incidents: pd.DataFrame, top: int = 15, clickable: bool = False) -> alt.Chart:
    """People per place (the `top` places), each incident once. With `clickable`, a click selects
    a bar (selection "pick_bar" on location and kind)."""
    data = (
        incidents.assign(location=incidents["location"].fillna("unknown place"))
        .groupby(["location", "kind"], as_index=False)["latest"].sum()
        if not incidents.empty
        else incidents
    )
    if not data.empty:
        keep = data.groupby("location")["latest"].sum().nlargest(top).index
        data = data[data["location"].isin(keep)]
    chart = (
        alt.Chart(data, title="Casualties by place")
        .mark_bar(cursor="pointer" if clickable else "default")
        .encode(
            x=alt.X("latest:Q", title="People", stack=True),
            y=alt.Y("location:N", sort="-x", title=None, axis=alt.Axis(labelLimit=LANE_LABEL_PX, labelOverlap=False)),
            color=alt.Color("kind:N", scale=_scale(CASUALTY_COLOURS), title="Kind", legend=BAR_LEGEND),
            tooltip=["location", "kind", alt.Tooltip("latest:Q", title="people")],
        )
    )
    return chart.add_params(alt.selection_point(name=PICK_BAR, fields=["location", "kind"])) if clickable else chart


def track_timeline(milestones: pd.DataFrame, tracks: pd.DataFrame, clickable: bool = False) -> alt.Chart:
    """One lane per negotiation track, a mark per milestone coloured by status.

    Expects milestones with track_id, date, status, sentence, title, source, and tracks with
    track_id and label. With `clickable`, a click selects a milestone ("pick_milestone" on its id).
    """
    data = milestones.merge(tracks[["track_id", "label"]], on="track_id", how="inner") if not milestones.empty else milestones.assign(label=[])
    if not data.empty:
        data = data.assign(sentence_short=data["sentence"].str.slice(0, 200))
    lanes = tracks["label"].tolist() if not tracks.empty else []
    base = alt.Chart(data, title="Negotiation tracks")
    lane_axis = alt.Axis(labelLimit=LANE_LABEL_PX, labelOverlap=False)
    x = _days_x(data)
    line = base.mark_line(color="#bbbbbb").encode(x=x, y=alt.Y("label:N", sort=lanes, title=None, axis=lane_axis), detail="track_id:N")
    points = base.mark_point(filled=True, size=160, opacity=0.95, cursor="pointer" if clickable else "default").encode(
        x=x,
        y=alt.Y("label:N", sort=lanes, title=None, axis=lane_axis),
        color=alt.Color("status:N", scale=alt.Scale(domain=STATUS_ORDER, range=STATUS_COLOURS), title="Status", legend=STATUS_LEGEND),
        shape=alt.Shape("status:N", scale=alt.Scale(domain=STATUS_ORDER), title="Status", legend=STATUS_LEGEND),
        tooltip=[alt.Tooltip("date:T"), "label:N", "status", alt.Tooltip("sentence_short:N", title="sentence"), "title", "source"],
    )
    if clickable:
        points = points.add_params(alt.selection_point(name=PICK_MILESTONE, fields=["id"]))
    return (line + points).properties(height=alt.Step(LANE_PX))  # a lane's height, whatever the legend takes
