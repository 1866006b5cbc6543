"""Casualties: incidents (each counted once across articles) with their ranges and sources."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from .. import charts
from .common import Data, article_link, empty_state, escape, get_store, sidebar_filters

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
        row["read"] = article_link(group.iloc[0]["latest_article_id"])
        rows.append(row)
    return pd.DataFrame(rows)


MAP_COLOURS = {"killed": [213, 94, 0, 170], "wounded": [230, 159, 0, 170], "other": [0, 114, 178, 170]}


def incident_points(incidents: pd.DataFrame) -> pd.DataFrame:
    """One point per located incident: its main kind and count, and a tooltip."""
    located = incidents[incidents["lat"].notna() & incidents["lon"].notna()]
    rows = []
    for incident_id, group in located.groupby("incident_id", sort=False):
        by_kind = {r["kind"]: r for _, r in group.iterrows()}
        main = by_kind.get("killed") if by_kind.get("killed") is not None else by_kind.get("wounded", group.iloc[0])
        lines = [f"{k}: {r['latest']}" + (f" (reports {r['low']}–{r['high']})" if r["low"] != r["high"] else "") for k, r in by_kind.items()]
        rows.append({
            "incident": int(incident_id), "lat": float(main["lat"]), "lon": float(main["lon"]), "kind": main["kind"],
            "count": int(main["latest"]), "place": main["location"] or "", "date": str(main["date"]),
            "details": "; ".join(lines), "sources": int(group["sources"].max()),
            "colour": MAP_COLOURS.get(main["kind"], MAP_COLOURS["other"]),
        })
    return pd.DataFrame(rows)


def incident_map(points: pd.DataFrame):  # type: ignore[no-untyped-def]
    import pydeck as pdk

    layer = pdk.Layer(
        "ScatterplotLayer", data=points, get_position="[lon, lat]", get_fill_color="colour",
        get_radius="count", radius_scale=1500, radius_min_pixels=4, radius_max_pixels=60, pickable=True,
    )
    view = pdk.ViewState(latitude=float(points["lat"].mean()), longitude=float(points["lon"].mean()), zoom=4)
    tooltip = {"text": "{place}, {date}\n{details}\n{sources} source(s)"}
    return pdk.Deck(layers=[layer], initial_view_state=view, tooltip=tooltip, map_style=None)


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

    located = incident_points(incidents)
    if not located.empty:
        st.subheader("Where")
        st.pydeck_chart(incident_map(located), key="cas_map")
        st.caption("Circle area by people killed (wounded where none were killed); hover for the range reported and the sources.")

    st.subheader("Incidents")
    table = incident_table(incidents)
    st.dataframe(table, hide_index=True, width="stretch", column_config={
        "date": st.column_config.DateColumn("Date"),
        "read": st.column_config.LinkColumn("Article", display_text="Open article"),
    })
    chosen = st.selectbox(
        "Sources of an incident", table["incident"].tolist(), index=None, key="incident",
        format_func=lambda i: f"#{i} · {table.loc[table['incident'] == i, 'place'].iloc[0] or 'unknown place'} · {table.loc[table['incident'] == i, 'date'].iloc[0]}",
        placeholder="Choose an incident to see every report of it",
    )
    if chosen is not None:
        sources = get_store().incident_sources(int(chosen))
        links = "".join(
            f'<li><a class="evidence-link" href="{article_link(r.article_id)}" target="_self">{escape(r.title or "Untitled")}</a>'
            f" · {escape(r.source or '')} · {escape(r.published)}</li>"
            for r in sources.drop_duplicates("article_id").itertuples()
        )
        st.html(f'<ul class="incident-sources">{links}</ul>')
        sources = sources.assign(read=[article_link(i, t) for i, t in zip(sources["article_id"], sources["title"], strict=True)])
        st.dataframe(sources, hide_index=True, width="stretch", column_config={
            "sentence": st.column_config.TextColumn("Evidence", width="large"),
            "read": st.column_config.LinkColumn("Article", display_text="Open article")})

    st.subheader("Figures and their evidence")
    show_all = st.toggle("Also show repeated, superseded and cumulative figures", key="cas_all")
    figures = data.casualties(counted_only=not show_all)
    figures = figures.assign(corrected=figures["correction_id"].notna(), read=[article_link(i, t) for i, t in zip(figures["article_id"], figures["title"], strict=True)])
    st.dataframe(
        figures[["date", "kind", "count", "low", "high", "qualifier", "victims", "perpetrator", "location", "cumulative", "corrected", "sentence", "title", "read", "source"]],
        hide_index=True, width="stretch",
        column_config={"date": st.column_config.DateColumn("Date"), "sentence": st.column_config.TextColumn("Evidence", width="large"),
                       "read": st.column_config.LinkColumn("Article", display_text="Open article")},
    )
