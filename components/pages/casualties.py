"""Casualties: incidents (each counted once across articles) with their ranges and sources."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from .. import charts
from ..charts.maps import PICK_INCIDENT, incident_map, incident_points
from ..vocab import CASUALTY_KINDS
from .common import article_link, empty_state, escape, get_store, id_in_address, keep_in_address, query, sidebar_filters

EVIDENCE_LIMIT = 1000


def incident_table(incidents: pd.DataFrame) -> pd.DataFrame:
    """One row per incident: latest count and the range over reports for each kind (pivoted in pandas)."""
    if incidents.empty:
        return incidents
    reported = incidents.assign(reported=incidents["low"].astype(str).where(incidents["low"] == incidents["high"],
                                                                            incidents["low"].astype(str) + "–" + incidents["high"].astype(str)))
    reported.loc[reported["low"] == reported["high"], "reported"] = reported["latest"].astype(str)
    keys = ["incident_id"]
    latest = reported.pivot_table(index=keys, columns="kind", values="latest", aggfunc="first")
    ranges = reported.pivot_table(index=keys, columns="kind", values="reported", aggfunc="first").add_suffix(" reported")
    first = reported.drop_duplicates("incident_id").set_index("incident_id")
    table = pd.concat([first[["date", "location", "country"]], latest, ranges], axis=1)
    table["sources"] = reported.groupby("incident_id")["sources"].max()
    table["latest report"] = first["latest_title"]
    table["read"] = "/articles?article=" + first["latest_article_id"].astype(int).astype(str)
    table = table.reset_index().rename(columns={"incident_id": "incident", "location": "place"})
    for kind in ("killed", "wounded"):
        if kind in table:
            table[kind] = table[kind].astype("Int64")
    return table.sort_values(["date", "incident"], ascending=False)


def _picked_on_the_map(event: Any) -> int | None:
    """The incident a click on the map chose, once: a click is applied on the rerun it causes."""
    rows = ((event or {}).get("selection") or {}).get(PICK_INCIDENT) or []
    picked = int(rows[0]["incident"]) if rows and rows[0].get("incident") is not None else None
    if picked == st.session_state.get("_map_picked"):
        return None
    st.session_state["_map_picked"] = picked
    return picked


def render() -> None:
    filters = sidebar_filters()
    st.title("Casualties")
    incidents = query("incidents", filters)
    if incidents.empty:
        empty_state("No casualty figures match these filters. Clear a filter in the sidebar or add articles on the Ingest page.")
        return
    totals = query("casualty_totals", filters)
    cols = st.columns(len(CASUALTY_KINDS) + 1)
    cols[0].metric("Incidents", f"{query('summary', filters)['incidents']:,}")
    for col, kind in zip(cols[1:], CASUALTY_KINDS, strict=True):
        col.metric(kind.capitalize(), f"{totals.get(kind, 0):,}", help="Each incident counted once, at its latest report.")
    left, right = st.columns([3, 2])
    with left:  # the charts sum the incidents already read (each at its latest report), no second ranking of every report
        st.altair_chart(charts.incidents_over_time(incidents), width="stretch", key="cas_time")
    with right:
        st.altair_chart(charts.incidents_by_place(incidents), width="stretch", key="cas_place")

    located = incident_points(incidents)
    if not located.empty:
        event = st.altair_chart(incident_map(located), width="stretch", key="cas_map", on_select="rerun", selection_mode=PICK_INCIDENT)
        if (picked := _picked_on_the_map(event)) is not None:
            st.session_state["incident"] = picked  # the incident's sources open below
        st.caption("Circle area by people killed (wounded where none were killed); hover for the range reported and the "
                   "sources, click a circle to list every report of it. Borders: Natural Earth, drawn without a tile server.")

    st.subheader("Incidents")
    table = incident_table(incidents)
    st.dataframe(table, hide_index=True, width="stretch", column_config={
        "date": st.column_config.DateColumn("Date"),
        "read": st.column_config.LinkColumn("Article", display_text="Open article"),
    })
    labels = {int(i): f"#{i} · {p if isinstance(p, str) and p else 'unknown place'} · {d}" for i, p, d in zip(table["incident"], table["place"], table["date"], strict=True)}
    id_in_address("incident", "incident", list(labels))
    chosen = st.selectbox(
        "Sources of an incident", list(labels), index=None, key="incident", format_func=lambda i: labels.get(i, f"#{i}"),
        placeholder="Choose an incident to see every report of it",
    )
    keep_in_address("incident", chosen)
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
    figures = query("casualties", filters, counted_only=not show_all, limit=EVIDENCE_LIMIT)
    if len(figures) == EVIDENCE_LIMIT:
        st.caption(f"The {EVIDENCE_LIMIT:,} newest figures; narrow the filters or export the full table from Export & briefing.")
    figures = figures.assign(corrected=figures["correction_id"].notna(), read=[article_link(i, t) for i, t in zip(figures["article_id"], figures["title"], strict=True)])
    st.dataframe(
        figures[["date", "kind", "count", "low", "high", "qualifier", "victims", "perpetrator", "location", "cumulative", "corrected", "sentence", "title", "read", "source"]],
        hide_index=True, width="stretch",
        column_config={"date": st.column_config.DateColumn("Date"), "sentence": st.column_config.TextColumn("Evidence", width="large"),
                       "read": st.column_config.LinkColumn("Article", display_text="Open article")},
    )
