"""Trends: what changed in the latest period against the periods before it, by country, place
and actor, with the change map, and which negotiation tracks moved forward or back. Each level's
count, table row and map circle opens what the period counted: the incidents (each with its
sentence), or the sentences naming the actor."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import altair as alt
import pandas as pd
import streamlit as st

from ..charts.maps import PICK_INCIDENT, incident_map
from ..services import export
from ..services.trends import LEVELS, Window, change_table, track_moves
from ..store import Filters
from .common import empty_state, plain, query, sidebar_filters
from .evidence import PICK_ROW, Evidence, ask, metric, on_row, open_asked
from .markup import MISSING
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


def period_evidence(unit: str, measure: str, keys: list[str], window: Window, title: str) -> Evidence:
    """What the period counted for some rows of the table: the incidents dated in it in those
    countries or places (their people killed, for that measure), or the sentences naming those
    actors in the articles of its days."""
    period = (window.start, window.end)
    if unit == "name":
        return Evidence("mentions", title, actors=tuple(keys), period=period)
    return Evidence("trend", title, kind="killed" if measure == "killed" else None, unit=unit, keys=tuple(keys), period=period)


def _level_points(table: pd.DataFrame, incidents: pd.DataFrame) -> pd.DataFrame:
    """The places of the table (its key: location) that have coordinates, one map point each, numbered in `incident`."""
    places = incidents.dropna(subset=["lat", "lon"]).drop_duplicates("location")[["location", "lat", "lon"]]
    points = table.merge(places, on="location")
    return points.assign(incident=range(len(points)), kind=points["level"], count=points["current"].clip(lower=1),
                         place=points["location"], date="", sources=points["current"],
                         details=points["change"].map(lambda c: "new" if pd.isna(c) else f"{c:+.0f}%"))


def _level_map(points: pd.DataFrame) -> alt.LayerChart:
    """The places of the table on the map, coloured by their change level; a circle is clickable."""
    return incident_map(points, clickable=True, colours=LEVEL_COLOURS, colour_title="Change", title="Change by place")


def _on_map_click(points: pd.DataFrame, measure: str, window: Window) -> Callable[[], None]:
    """A circle clicked on the change map: what the period counted in its place."""

    def callback() -> None:
        picked = ((st.session_state.get("trend_map") or {}).get("selection") or {}).get(PICK_INCIDENT) or []
        number = picked[0].get("incident") if picked else None
        if isinstance(number, (int, float)) and 0 <= int(number) < len(points):
            place = str(points.iloc[int(number)]["location"])
            ask(period_evidence("location", measure, [place], window, f"{plain(place)} in the period"))

    return callback


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
        _changes(table, unit, unit_label, measure, window)
        if unit == "location":
            points = _level_points(table.rename(columns={"key": "location"}), incidents)
            if not points.empty:
                st.altair_chart(_level_map(points), width="stretch", key="trend_map", on_select=_on_map_click(points, measure, window),
                                selection_mode=PICK_INCIDENT)
                st.caption("Click a circle for what the period counted in its place.")
    open_asked(filters)
    _tracks(filters, window)


NOUNS = {"country": "countries", "location": "places", "name": "actors"}


def _changes(table: pd.DataFrame, unit: str, unit_label: str, measure: str, window: Window) -> None:
    """How many rows reached each level (each count opens what the period counted in them), and the rows."""
    cols = st.columns(len(LEVELS))
    for col, level in zip(cols, LEVELS, strict=True):
        keys = table.loc[table["level"] == level, "key"].astype(str).tolist()
        if keys:
            metric(col, level.capitalize(), f"{len(keys):,}", period_evidence(unit, measure, keys, window, f"{NOUNS[unit]} with a {level}"),
                   key=f"ev_trend_{level.replace(' ', '_')}")
        else:
            col.metric(level.capitalize(), 0)
    column = unit_label[:-1].lower() if unit_label != "Countries" else "country"
    shown = table.rename(columns={"key": column}).reset_index(drop=True)
    # Each view has a table key of its own: under one kept key, the first click on a cell after the rows change chooses nothing.
    key = f"trend_table_{unit}_{measure}_{window.end.isoformat()}_{window.days}_{window.baselines}"

    def row_evidence(row: pd.Series) -> Evidence:
        return period_evidence(unit, measure, [str(row[column])], window, f"{plain(row[column])} in the period")

    st.dataframe(shown, hide_index=True, placeholder=MISSING, width="stretch", key=key, selection_mode=PICK_ROW,
                 on_select=on_row(key, shown, row_evidence),
                 column_config={"change": st.column_config.NumberColumn("Change", format="%+.0f%%", help="Empty where the baseline is 0"),
                                "new": st.column_config.CheckboxColumn("New" if unit != "name" else "Emerging")})
    st.caption("Choose a row, or Show evidence under a level, for what the period counted: "
               + ("the sentences naming the actor." if unit == "name" else "its incidents, each with its sentence."))
    st.download_button("Download (CSV)", export.table_to_csv(shown), file_name=f"trends_{unit_label.lower()}.csv", mime="text/csv",
                       key="trend_csv", icon=":material/download:")


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
    shown = moves.assign(move=moves["move"].map(arrows)).reset_index(drop=True)
    period = (window.start, window.end)
    st.dataframe(shown, column_order=["track", "move", "statuses", "latest"], hide_index=True, placeholder=MISSING, width="stretch",
                 key="trend_tracks", selection_mode=PICK_ROW, on_select=on_row("trend_tracks", shown, lambda row: Evidence(
                     "milestones", f"{plain(row['track'])} in the period", track_id=int(row["track_id"]), period=period)))
    st.caption("Choose a track for its milestones in the period, each with its sentence.")
