"""Casualties: incidents (each counted once across articles) with their ranges and sources."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from .. import charts
from .common import Data, empty_state, get_store, sidebar_filters

KINDS = ["killed", "wounded", "missing", "abducted", "arrested"]


def incident_table(incidents: pd.DataFrame) -> pd.DataFrame:
    """One row per incident: latest count and the range over reports for each kind."""
    if incidents.empty:
        return incidents
    rows = []
    for (incident_id, location, country, when), group in incidents.groupby(["incident_id", "location", "country", "date"], dropna=False, sort=False):
        row = {"incident": int(incident_id), "date": when, "place": location, "country": country}
        for _, r in group.iterrows():
            rng = f"{r['low']}–{r['high']}" if r["low"] != r["high"] else f"{r['latest']}"
            row[r["kind"]] = int(r["latest"])
            row[f"{r['kind']} reported"] = rng
        row["sources"] = int(group["sources"].max())
        row["latest report"] = group.iloc[0]["latest_title"]
        rows.append(row)
    return pd.DataFrame(rows)


def render() -> None:
    filters = sidebar_filters()
    data = Data(filters)
    st.title("Casualties")
    incidents = data.incidents()
    if incidents.empty:
        empty_state("No casualty figures match these filters. Clear a filter in the sidebar or add articles on the Ingest page.")
        return
    totals = data.totals()
    cols = st.columns(len(KINDS) + 1)
    cols[0].metric("Incidents", f"{incidents['incident_id'].nunique():,}")
    for col, kind in zip(cols[1:], KINDS, strict=True):
        col.metric(kind.capitalize(), f"{totals.get(kind, 0):,}", help="Each incident counted once, at its latest report.")
    left, right = st.columns([3, 2])
    with left:
        st.altair_chart(charts.incidents_over_time(incidents), width="stretch", key="cas_time")
    with right:
        st.altair_chart(charts.incidents_by_place(incidents), width="stretch", key="cas_place")

    located = incidents[incidents["lat"].notna() & (incidents["kind"] == "killed")]
    if not located.empty:
        st.subheader("Where")
        points = located.assign(size=located["latest"].clip(lower=1) * 2500)
        st.map(points, latitude="lat", longitude="lon", size="size", color="#D55E00")

    st.subheader("Incidents")
    table = incident_table(incidents)
    st.dataframe(table, hide_index=True, width="stretch", column_config={"date": st.column_config.DateColumn("Date")})
    chosen = st.selectbox(
        "Sources of an incident", table["incident"].tolist(), index=None, key="incident",
        format_func=lambda i: f"#{i} · {table.loc[table['incident'] == i, 'place'].iloc[0] or 'unknown place'} · {table.loc[table['incident'] == i, 'date'].iloc[0]}",
        placeholder="Choose an incident to see every report of it",
    )
    if chosen is not None:
        st.dataframe(get_store().incident_sources(int(chosen)), hide_index=True, width="stretch",
                     column_config={"sentence": st.column_config.TextColumn("Evidence", width="large")})

    st.subheader("Figures and their evidence")
    show_all = st.toggle("Also show repeated, superseded and cumulative figures", key="cas_all")
    figures = data.casualties(counted_only=not show_all)
    st.dataframe(
        figures[["date", "kind", "count", "low", "high", "qualifier", "victims", "perpetrator", "location", "cumulative", "sentence", "title", "source"]],
        hide_index=True, width="stretch",
        column_config={"date": st.column_config.DateColumn("Date"), "sentence": st.column_config.TextColumn("Evidence", width="large"), "title": "Article"},
    )
