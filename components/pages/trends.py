"""Trends: what changed in the latest period against the periods before it, by country, place
and actor, with the change map, and which negotiation tracks moved forward or back."""

from __future__ import annotations

from datetime import date

import altair as alt
import pandas as pd
import streamlit as st

from ..charts.maps import incident_map
from ..services import export
from ..services.trends import LEVELS, Window, change_table, track_moves
from ..store import Filters
from .common import empty_state, query, sidebar_filters
from .negotiations import track_label

UNITS = {"Countries": "country", "Places": "location", "Actors": "name"}
MEASURES = {"Incidents": "incidents", "Killed": "killed"}
LEVEL_COLOURS = {"large increase": "#D55E00", "moderate increase": "#E69F00", "limited change": "#999999",
                 "moderate decrease": "#56B4E9", "large decrease": "#0072B2"}


def _events(unit: str, measure: str, incidents: pd.DataFrame, actors: pd.DataFrame) -> pd.DataFrame:
    """One row per dated event of the unit: an incident (value 1, or its toll) or an actor's articles that day."""
    if unit == "name":
        return actors.rename(columns={"name": "key", "articles": "value"})[["key", "date", "value"]]
    if incidents.empty:
        return pd.DataFrame(columns=["key", "date", "value"])
    if measure == "killed":
        rows = incidents[incidents["kind"] == "killed"].assign(value=lambda d: d["latest"])
    else:
        rows = incidents.drop_duplicates("incident_id").assign(value=1)
    return rows.rename(columns={unit: "key"})[["key", "date", "value"]].dropna(subset=["key", "date"])


def _window(latest: date | None) -> Window:
    """The period and baseline the analyst chose (the period ends on the latest day with data by default)."""
    cols = st.columns(3)
    days = cols[0].selectbox("Period", [7, 28], format_func=lambda d: "a week" if d == 7 else "four weeks", key="trend_days",
                             bind="query-params")
    baselines = cols[1].selectbox("Against the average of", [4, 52], format_func=lambda n: f"the {n} periods before", key="trend_base",
                                  bind="query-params")
    end = cols[2].date_input("Period ending", value=latest or date.today(), key="trend_end", format="YYYY-MM-DD", bind="query-params")
    return Window(end=end, days=int(days), baselines=int(baselines))


def _level_map(table: pd.DataFrame, incidents: pd.DataFrame) -> alt.LayerChart | None:
    """The places of the table on the map, coloured by their change level."""
    places = incidents.dropna(subset=["lat", "lon"]).drop_duplicates("location")[["location", "lat", "lon"]]
    points = table.merge(places, on="location")
    if points.empty:
        return None
    points = points.assign(incident=range(len(points)), kind=points["level"], count=points["current"].clip(lower=1),
                           place=points["location"], date="", sources=points["current"],
                           details=points["change"].map(lambda c: "new" if pd.isna(c) else f"{c:+.0f}%"))
    return incident_map(points, clickable=False, colours=LEVEL_COLOURS, colour_title="Change", title="Change by place")


def render() -> None:
    filters = sidebar_filters()
    st.title("Trends")
    incidents = query("incidents", filters)
    last_active = query("last_active_day", filters)  # the actors' activity itself is read only to compare actors
    if incidents.empty and last_active is None:
        empty_state("No dated incidents or actors match these filters. Clear a filter in the sidebar or add articles on the Ingest page.")
        return
    dates = pd.to_datetime(pd.concat([incidents.get("date", pd.Series(dtype=object)), pd.Series([last_active], dtype=object)]), errors="coerce").dropna()
    window = _window(dates.max().date() if not dates.empty else None)
    left, right = st.columns(2)
    unit_label = left.radio("Compare", list(UNITS), horizontal=True, key="trend_unit", bind="query-params")
    unit = UNITS[unit_label]
    measure = "articles" if unit == "name" else MEASURES[right.radio("Count", list(MEASURES), horizontal=True, key="trend_measure")]
    actors = query("actor_activity", filters) if unit == "name" else pd.DataFrame()
    table = change_table(_events(unit, measure, incidents, actors), window)
    st.caption(f"{window.describe()}. Levels as ACLED's Trendfinder draws them; a change of fewer than 3 is a limited change "
               f"whatever its percentage. {'Actors counted by the articles that mention them; new: never mentioned before.' if unit == 'name' else ''}")
    if table.empty:
        empty_state("Nothing happened in this period or its baseline for these filters.")
    else:
        counts = table["level"].value_counts()
        cols = st.columns(len(LEVELS))
        for col, level in zip(cols, LEVELS, strict=True):
            col.metric(level.capitalize(), int(counts.get(level, 0)))
        shown = table.rename(columns={"key": unit_label[:-1].lower() if unit_label != "Countries" else "country"})
        st.dataframe(shown, hide_index=True, width="stretch", column_config={
            "change": st.column_config.NumberColumn("Change", format="%+.0f%%", help="Empty where the baseline is 0"),
            "new": st.column_config.CheckboxColumn("New" if unit != "name" else "Emerging")})
        st.download_button("Download (CSV)", export.table_to_csv(shown), file_name=f"trends_{unit_label.lower()}.csv", mime="text/csv",
                           key="trend_csv", icon=":material/download:")
        if unit == "location":
            chart = _level_map(table.rename(columns={"key": "location"}), incidents)
            if chart is not None:
                st.altair_chart(chart, width="stretch", key="trend_map")
    _tracks(filters, window)


def _tracks(filters: Filters, window: Window) -> None:
    st.subheader("Negotiation tracks in the period")
    moves = track_moves(query("milestones", filters, between=(window.start, window.end)), window)  # the period's alone
    if moves.empty:
        st.caption("No milestone in this period.")
        return
    tracks = query("tracks", filters)
    labels = {int(r["track_id"]): track_label(r) for _, r in tracks.iterrows()} if not tracks.empty else {}
    moves = moves.assign(track=moves["track_id"].map(lambda t: labels.get(int(t), f"#{t}")))
    arrows = {"forward": "▲ forward", "back": "▼ back", "forward and back": "▲▼ both", "steady": "● steady"}
    st.dataframe(moves.assign(move=moves["move"].map(arrows))[["track", "move", "statuses", "latest"]], hide_index=True, width="stretch")
