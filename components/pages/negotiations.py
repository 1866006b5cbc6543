"""Negotiations: milestones on a timeline by kind and status, with their sentences."""

from __future__ import annotations

import streamlit as st

from .. import charts
from .common import Data, empty_state, sidebar_filters

KINDS = ["talks", "meeting", "proposal", "agreement", "ceasefire", "prisoner_exchange", "sanctions"]
STATUSES = ["proposed", "planned", "held", "agreed", "completed", "rejected", "failed"]


def render() -> None:
    filters = sidebar_filters()
    data = Data(filters)
    st.title("Negotiations")
    milestones = data.milestones()
    if milestones.empty:
        empty_state("No negotiation milestones match these filters. Clear a filter in the sidebar or add articles on the Ingest page.")
        return
    c1, c2 = st.columns(2)
    kinds = c1.multiselect("Milestone kinds", KINDS, key="mkind", bind="query-params")
    statuses = c2.multiselect("Statuses", STATUSES, key="mstatus", bind="query-params")
    if kinds:
        milestones = milestones[milestones["kind"].isin(kinds)]
    if statuses:
        milestones = milestones[milestones["status"].isin(statuses)]
    if milestones.empty:
        empty_state("No milestones of these kinds and statuses.")
        return
    st.altair_chart(charts.milestone_timeline(milestones), width="stretch", key="neg_timeline")
    st.altair_chart(charts.milestone_status_bar(milestones), width="stretch", key="neg_status")
    table = milestones.assign(parties=milestones["parties"].map(lambda p: ", ".join(p) if isinstance(p, list) else p))
    st.dataframe(
        table[["date", "kind", "status", "parties", "location", "condition", "count", "expected", "sentence", "title", "source"]],
        hide_index=True, width="stretch",
        column_config={"date": st.column_config.DateColumn("Date"), "sentence": st.column_config.TextColumn("Evidence", width="large")},
    )
