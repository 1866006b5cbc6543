"""Altair chart builders: DataFrame in, alt.Chart out. No database, no Streamlit.

Data is aggregated in pandas (or the database) before it reaches a chart, so charts stay
small whatever the size of the store. Colours are the Okabe-Ito palette, which stays
distinguishable with the common forms of colour blindness.
"""

from __future__ import annotations

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

PICK_ACTOR = "pick_actor"
PICK_COUNTRY = "pick_country"
BRUSH = "brush"


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
            color=alt.Color("kind:N", scale=_scale(KIND_COLOURS), title="Kind"),
            tooltip=["name:N", "kind:N", "country:N", "mentions:Q", "articles:Q"],
        )
        .properties(height=max(120, 22 * len(data)))
    )
    if clickable:
        chart = chart.add_params(alt.selection_point(name=PICK_ACTOR, fields=["name"]))
    return chart


def milestone_timeline(milestones: pd.DataFrame) -> alt.Chart:
    """One lane per milestone kind, a mark per milestone coloured by status."""
    data = milestones.copy()
    if not data.empty:
        data["parties_text"] = data["parties"].map(lambda p: ", ".join(p) if isinstance(p, list) else str(p or ""))
        data["sentence_short"] = data["sentence"].str.slice(0, 180)
    return (
        alt.Chart(data, title="Negotiation milestones")
        .mark_point(filled=True, size=140, opacity=0.9)
        .encode(
            x=alt.X("date:T", title=None),
            y=alt.Y("kind:N", sort=MILESTONE_ORDER, title=None),
            color=alt.Color("status:N", scale=alt.Scale(domain=STATUS_ORDER, range=STATUS_COLOURS), title="Status", legend=STATUS_LEGEND),
            shape=alt.Shape("status:N", scale=alt.Scale(domain=STATUS_ORDER), title="Status", legend=STATUS_LEGEND),
            tooltip=[alt.Tooltip("date:T"), "kind", "status", alt.Tooltip("parties_text:N", title="parties"), "location", alt.Tooltip("sentence_short:N", title="sentence"), "title"],
        )
        .properties(height=260)
    )


def actor_mentions_over_time(mentions: pd.DataFrame) -> alt.Chart:
    return (
        alt.Chart(mentions, title="Mentions over time")
        .mark_line(point=True)
        .encode(
            x=alt.X("date:T", title=None),
            y=alt.Y("mentions:Q", title="Mentions"),
            color=alt.Color("name:N", scale=alt.Scale(range=OKABE_ITO), title="Actor"),
            tooltip=[alt.Tooltip("date:T"), "name", "mentions"],
        )
        .properties(height=260)
    )


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
            y=alt.Y("country:N", sort="-x", title=None),
            color=alt.Color("kind:N", scale=_scale(KIND_COLOURS), title="Kind"),
            tooltip=["country", "kind", "mentions"],
        )
    )
    return chart.add_params(alt.selection_point(name=PICK_COUNTRY, fields=["country"])) if clickable else chart


def milestone_status_bar(milestones: pd.DataFrame) -> alt.Chart:
    """Milestones by kind and status: one row per milestone, or rows already counted (a `milestones` column)."""
    if milestones.empty:
        data = milestones
    elif "milestones" in milestones.columns:
        data = milestones.groupby(["kind", "status"], as_index=False)["milestones"].sum().rename(columns={"milestones": "size"})
    else:
        data = milestones.groupby(["kind", "status"], as_index=False).size()
    return (
        alt.Chart(data, title="Milestones by kind and status")
        .mark_bar()
        .encode(
            x=alt.X("size:Q", title="Milestones", stack=True),
            y=alt.Y("kind:N", sort=MILESTONE_ORDER, title=None),
            color=alt.Color("status:N", scale=alt.Scale(domain=STATUS_ORDER, range=STATUS_COLOURS), title="Status"),
            tooltip=["kind", "status", alt.Tooltip("size:Q", title="milestones")],
        )
    )


def incidents_over_time(incidents: pd.DataFrame, brush: bool = False) -> alt.Chart:
    """People per day, each incident counted once at its latest report. Expects date, kind, latest.

    With `brush`, dragging across the chart selects a time range (selection "brush" on x).
    """
    data = incidents.groupby(["date", "kind"], as_index=False)["latest"].sum() if not incidents.empty else incidents
    chart = (
        alt.Chart(data, title="Casualties per day (each incident once)" + (" · drag to narrow the dates" if brush else ""))
        .mark_bar()
        .encode(
            x=alt.X("date:T", title=None),
            y=alt.Y("latest:Q", title="People", stack=True),
            color=alt.Color("kind:N", scale=_scale(CASUALTY_COLOURS), title="Kind"),
            tooltip=[alt.Tooltip("date:T"), "kind", alt.Tooltip("latest:Q", title="people")],
        )
        .properties(height=260)
    )
    if brush:
        chart = chart.add_params(alt.selection_interval(name=BRUSH, encodings=["x"]))
    return chart


def incidents_by_place(incidents: pd.DataFrame, top: int = 15) -> alt.Chart:
    data = (
        incidents.assign(location=incidents["location"].fillna("unknown place"))
        .groupby(["location", "kind"], as_index=False)["latest"].sum()
        if not incidents.empty
        else incidents
    )
    if not data.empty:
        keep = data.groupby("location")["latest"].sum().nlargest(top).index
        data = data[data["location"].isin(keep)]
    return (
        alt.Chart(data, title="Casualties by place")
        .mark_bar()
        .encode(
            x=alt.X("latest:Q", title="People", stack=True),
            y=alt.Y("location:N", sort="-x", title=None),
            color=alt.Color("kind:N", scale=_scale(CASUALTY_COLOURS), title="Kind"),
            tooltip=["location", "kind", alt.Tooltip("latest:Q", title="people")],
        )
    )


def track_timeline(milestones: pd.DataFrame, tracks: pd.DataFrame) -> alt.Chart:
    """One lane per negotiation track, a mark per milestone coloured by status.

    Expects milestones with track_id, date, status, sentence, title, source, and tracks with
    track_id and label.
    """
    data = milestones.merge(tracks[["track_id", "label"]], on="track_id", how="inner") if not milestones.empty else milestones.assign(label=[])
    if not data.empty:
        data = data.assign(sentence_short=data["sentence"].str.slice(0, 200))
    lanes = tracks["label"].tolist() if not tracks.empty else []
    base = alt.Chart(data, title="Negotiation tracks")
    lane_axis = alt.Axis(labelLimit=LANE_LABEL_PX, labelOverlap=False)
    line = base.mark_line(color="#bbbbbb").encode(x="date:T", y=alt.Y("label:N", sort=lanes, title=None, axis=lane_axis), detail="track_id:N")
    points = base.mark_point(filled=True, size=160, opacity=0.95).encode(
        x=alt.X("date:T", title=None),
        y=alt.Y("label:N", sort=lanes, title=None, axis=lane_axis),
        color=alt.Color("status:N", scale=alt.Scale(domain=STATUS_ORDER, range=STATUS_COLOURS), title="Status", legend=STATUS_LEGEND),
        shape=alt.Shape("status:N", scale=alt.Scale(domain=STATUS_ORDER), title="Status", legend=STATUS_LEGEND),
        tooltip=[alt.Tooltip("date:T"), "label:N", "status", alt.Tooltip("sentence_short:N", title="sentence"), "title", "source"],
    )
    return (line + points).properties(height=max(160, 34 * len(lanes)))
