"""Overview: headline figures, casualties over time, top actors, milestone timeline."""

from __future__ import annotations

import streamlit as st

from .. import charts
from . import watches_ui
from .common import empty_state, narrow_on_click, query, sidebar_filters, to_day
from .evidence import Evidence, metric, milestone_evidence, on_pick, open_asked

TIMELINE_LIMIT = 1500


def _on_brush() -> None:
    """A dragged time range on the casualties chart becomes the date filter of every page."""
    event = st.session_state.get("overview_casualties")
    span = (event or {}).get("selection", {}).get(charts.BRUSH, {}).get("date") if event else None
    if span and len(span) == 2:
        st.session_state["dates"] = (to_day(span[0]), to_day(span[1]))


def render() -> None:
    filters = sidebar_filters()
    st.title("Overview")
    watches_ui.render(filters)  # what is new in each of this user's watches
    summary = query("summary", filters)
    if summary["articles"] == 0:
        empty_state("No articles match these filters. Widen the dates or clear a filter in the sidebar, or add articles on the Ingest page.")
        return
    totals = query("casualty_totals", filters)
    milestones = query("milestones", filters, latest=TIMELINE_LIMIT)
    actors = query("actors", filters)
    per_day = query("incidents_by", filters, by="date")
    cols = st.columns(6)
    metric(cols[0], "Articles", f"{summary['articles']:,}", Evidence("articles", "Articles"), key="ev_articles")
    metric(cols[1], "Killed", f"{totals.get('killed', 0):,}", Evidence("totals", "Killed", kind="killed"), key="ev_killed",
           help="Each incident counted once, at its latest report, however many articles report it.")
    metric(cols[2], "Wounded", f"{totals.get('wounded', 0):,}", Evidence("totals", "Wounded", kind="wounded"), key="ev_wounded")
    metric(cols[3], "Milestones", f"{summary['milestones']:,}", Evidence("milestones", "Milestones"), key="ev_milestones")
    metric(cols[4], "Actors", f"{summary['actors']:,}", Evidence("actors", "Actors"), key="ev_actors")
    metric(cols[5], "Incidents", f"{summary['incidents']:,}", Evidence("incidents", "Incidents"), key="ev_incidents")
    open_asked(filters)
    if summary["undated"]:
        st.caption(f"{summary['undated']:,} of these articles have no publication date: the day each was ingested stands in "
                   "for it in the dates and the filters.")
    if query("has_illustrative", filters):
        st.caption("Includes the illustrative sample articles written by the team: invented events, not real reporting.")

    left, right = st.columns([3, 2])
    with left:
        if per_day.empty:
            empty_state("No casualty figures in these articles.")
        else:
            st.altair_chart(charts.incidents_over_time(per_day, brush=True), width="stretch", key="overview_casualties",
                            on_select=_on_brush, selection_mode=charts.BRUSH)
    with right:
        if actors.empty:
            empty_state("No actors in these articles.")
        else:
            st.altair_chart(charts.top_actors_bar(actors, top=10, clickable=True), width="stretch", key="overview_actors",
                            on_select=narrow_on_click("overview_actors", charts.PICK_ACTOR, "name", "actor"), selection_mode=charts.PICK_ACTOR)
            st.caption("Click an actor to narrow every page to it; clear it in the sidebar.")
    if milestones.empty:
        empty_state("No negotiation milestones in these articles.")
    else:
        st.altair_chart(charts.milestone_timeline(milestones, clickable=True), width="stretch", key="overview_milestones",
                        on_select=on_pick("overview_milestones", lambda point: milestone_evidence(milestones, point.get("id"))), selection_mode=charts.PICK_MILESTONE)
        st.caption("Click a milestone to read its sentence.")
        if summary["milestones"] > TIMELINE_LIMIT:
            st.caption(f"The latest {TIMELINE_LIMIT:,} of {summary['milestones']:,} milestones; narrow the dates to see others.")
