"""Casualties: incidents (each counted once across articles) with their ranges and sources."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from .. import charts
from ..charts.maps import PICK_INCIDENT, incident_map, incident_points
from ..store import incident_count, totals_of
from ..vocab import CASUALTY_KINDS
from .common import empty_state, escape, get_store, id_in_address, keep_in_address, query, sidebar_filters, to_day
from .evidence import PICK_ROW, Evidence, ask, item_evidence, metric, on_pick, on_row, open_asked
from .markup import MISSING, as_shown

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
    table = table.reset_index().rename(columns={"incident_id": "incident", "location": "place"})
    for kind in ("killed", "wounded"):
        if kind in table:
            table[kind] = table[kind].astype("Int64")
    return table.sort_values(["date", "incident"], ascending=False)


def incident_columns(table: pd.DataFrame) -> list[str]:
    """The incident table's columns, the ones a reader scans first (place, tolls, the article) on the left."""
    first = ["date", "place", *[k for k in CASUALTY_KINDS if k in table], "latest report", "sources"]
    return [c for c in first if c in table] + [c for c in table if c not in first and c != "incident"] + ["incident"]


def _on_map_click() -> None:
    """A circle clicked on the map: that incident's reports open in the evidence panel, and below the map."""
    rows = ((st.session_state.get("cas_map") or {}).get("selection") or {}).get(PICK_INCIDENT) or []
    if rows and rows[0].get("incident") is not None:
        incident = int(rows[0]["incident"])
        st.session_state["incident"] = incident
        ask(Evidence("incident", f"Incident #{incident}", incident_id=incident))


def _bar(point: dict[str, Any]) -> Evidence | None:
    """A clicked bar (a day's or a place's toll of one kind) as the figures that make it."""
    kind = point.get("kind")
    if not isinstance(kind, str) or kind not in CASUALTY_KINDS:
        return None
    if point.get("date") is not None:
        day = to_day(point["date"])
        return Evidence("totals", f"{kind.capitalize()} on {day.isoformat()}", kind=kind, day=day)
    if isinstance(point.get("location"), str):
        return Evidence("totals", f"{kind.capitalize()} in one place", kind=kind, place=point["location"])
    return None


def _headline(filters: Any, incidents: pd.DataFrame) -> None:
    totals = totals_of(incidents)  # the same figures as casualty_totals and summary, without ranking every report again
    cols = st.columns(len(CASUALTY_KINDS) + 1)
    metric(cols[0], "Incidents", f"{incident_count(incidents):,}", Evidence("incidents", "Incidents"), key="ev_cas_incidents")
    for col, kind in zip(cols[1:], CASUALTY_KINDS, strict=True):
        metric(col, kind.capitalize(), f"{totals.get(kind, 0):,}", Evidence("totals", kind.capitalize(), kind=kind), key=f"ev_cas_{kind}",
               help="Each incident counted once, at its latest report.")
    open_asked(filters)


def render() -> None:
    filters = sidebar_filters()
    st.title("Casualties")
    incidents = query("incidents", filters)
    if incidents.empty:
        empty_state("No casualty figures match these filters. Clear a filter in the sidebar or add articles on the Ingest page.")
        return
    _headline(filters, incidents)
    left, right = st.columns([3, 2])
    with left:  # the charts sum the incidents already read (each at its latest report), no second ranking of every report
        st.altair_chart(charts.incidents_over_time(incidents, clickable=True), width="stretch", key="cas_time",
                        on_select=on_pick("cas_time", _bar), selection_mode=charts.PICK_BAR)
    with right:
        st.altair_chart(charts.incidents_by_place(incidents, clickable=True), width="stretch",
                        key="cas_place", on_select=on_pick("cas_place", _bar), selection_mode=charts.PICK_BAR)
    st.caption("Click a bar for the figures that make it, each with its sentence.")

    located = incident_points(incidents)
    if not located.empty:
        st.altair_chart(incident_map(located), width="stretch", key="cas_map", on_select=_on_map_click, selection_mode=PICK_INCIDENT)
        st.caption("Circle area by people killed (wounded where none were killed); hover for the range reported and the "
                   "sources, click a circle for every report of it and its sentences. Borders: Natural Earth, drawn without a tile server.")
    _incidents(incidents)
    _figures(filters)


def _incidents(incidents: pd.DataFrame) -> None:
    st.subheader("Incidents")
    table = incident_table(incidents)
    st.dataframe(table, hide_index=True, placeholder=MISSING, width="stretch", column_order=incident_columns(table), key="cas_incidents",
                 on_select=on_row("cas_incidents", table, lambda r: Evidence("incident", f"Incident #{int(r['incident'])}", incident_id=int(r["incident"]))),
                 selection_mode=PICK_ROW, column_config={
                     "date": st.column_config.DateColumn("Date"), "latest report": st.column_config.TextColumn("Latest report", width="large")})
    st.caption("Choose a row for every report of the incident and their sentences.")
    labels = {int(i): f"#{i} · {p if isinstance(p, str) and p else 'unknown place'} · {as_shown(d)}" for i, p, d in zip(table["incident"], table["place"], table["date"], strict=True)}
    id_in_address("incident", "incident", list(labels))
    chosen = st.selectbox(
        "Sources of an incident", list(labels), index=None, key="incident", format_func=lambda i: labels.get(i, f"#{i}"),
        placeholder="Choose an incident to see every report of it",
    )
    keep_in_address("incident", chosen)
    if chosen is None:
        return
    sources = get_store().incident_sources(int(chosen))
    links = "".join(
        f'<li><a class="evidence-link" href="/articles?article={int(r.article_id)}&amp;span={int(r.start)}-{int(r.end)}" target="_self">'
        f'{escape(r.title or "Untitled")}</a> · {escape(r.source or "")} · {escape(as_shown(r.published))}</li>'
        for r in sources.drop_duplicates("article_id").itertuples()
    )
    st.html(f'<ul class="incident-sources">{links}</ul>')
    st.dataframe(sources, hide_index=True, placeholder=MISSING, width="stretch", key="cas_sources",
                 column_order=["published", "source", "kind", "count", "in_totals", "sentence", "title"],
                 on_select=on_row("cas_sources", sources, lambda r: item_evidence("Report", r, f"{r['kind']}: {r['count']}")),
                 selection_mode=PICK_ROW, column_config={
                     "sentence": st.column_config.TextColumn("Evidence", width="large"),
                     "in_totals": st.column_config.CheckboxColumn("In the totals", help="The newest report of each kind is the one counted")})


def _figures(filters: Any) -> None:
    st.subheader("Figures and their evidence")
    show_all = st.toggle("Also show repeated, superseded and cumulative figures", key="cas_all")
    figures = query("casualties", filters, counted_only=not show_all, limit=EVIDENCE_LIMIT)
    if len(figures) == EVIDENCE_LIMIT:
        st.caption(f"The {EVIDENCE_LIMIT:,} newest figures; narrow the filters or export the full table from Export & briefing.")
    figures = figures.assign(corrected=figures["correction_id"].notna())
    st.dataframe(
        figures, hide_index=True, placeholder=MISSING, width="stretch", key="cas_figures", on_select=on_row("cas_figures", figures, _figure), selection_mode=PICK_ROW,
        column_order=["date", "kind", "count", "sentence", "title", "source", "low", "high", "qualifier", "victims", "perpetrator", "location",
                      "cumulative", "corrected"],
        column_config={"date": st.column_config.DateColumn("Date"), "sentence": st.column_config.TextColumn("Evidence", width="large"),
                       "title": st.column_config.TextColumn("Article")},
    )
    st.caption("Choose a row to read the figure in its article.")


def _figure(row: pd.Series) -> Evidence:
    return item_evidence("Figure", row, f"{row['kind']}: {row['count']}" + (f" ({row['qualifier']})" if isinstance(row["qualifier"], str) else ""))
