"""Casualties: tolls over time and by place, each figure with its sentence and source."""

from __future__ import annotations

import streamlit as st

from .. import charts
from .common import Data, empty_state, sidebar_filters

KINDS = ["killed", "wounded", "missing", "abducted", "arrested"]


def render() -> None:
    filters = sidebar_filters()
    data = Data(filters)
    st.title("Casualties")
    counted = data.casualties(counted_only=True)
    if counted.empty:
        empty_state("No casualty figures match these filters. Clear a filter in the sidebar or add articles on the Ingest page.")
        return
    totals = data.totals()
    cols = st.columns(len(KINDS))
    for col, kind in zip(cols, KINDS, strict=True):
        col.metric(kind.capitalize(), f"{totals.get(kind, 0):,}")
    left, right = st.columns([3, 2])
    with left:
        st.altair_chart(charts.casualties_over_time(counted), width="stretch", key="cas_time")
    with right:
        st.altair_chart(charts.casualties_by_location(counted), width="stretch", key="cas_place")
    st.subheader("Figures and their evidence")
    show_all = st.toggle("Also show repeated, superseded and cumulative figures", key="cas_all")
    table = data.casualties(counted_only=False) if show_all else counted
    st.dataframe(
        table[["date", "kind", "count", "low", "high", "qualifier", "victims", "perpetrator", "location", "cumulative", "sentence", "title", "source"]],
        hide_index=True, width="stretch",
        column_config={
            "date": st.column_config.DateColumn("Date"),
            "sentence": st.column_config.TextColumn("Evidence", width="large"),
            "title": st.column_config.TextColumn("Article"),
        },
    )
