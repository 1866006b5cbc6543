"""Negotiations: each storyline as a track over time, its status history and sources."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from .. import charts
from ..vocab import OPEN_STATUSES
from .common import article_link, empty_state, id_in_address, keep_in_address, query, sidebar_filters
from .markup import MISSING, as_shown


def track_label(row: pd.Series) -> str:
    parties = " – ".join(row["parties"]) if isinstance(row["parties"], list) and row["parties"] else "unnamed parties"
    return f"{parties} {row['kind'].replace('_', ' ')} (#{row['track_id']})"


def render() -> None:
    filters = sidebar_filters()
    st.title("Negotiations")
    milestones = query("milestones", filters)
    tracks = query("tracks", filters)
    if milestones.empty or tracks.empty:
        empty_state("No negotiation milestones match these filters. Clear a filter in the sidebar or add articles on the Ingest page.")
        return
    parties = sorted({p for ps in tracks["parties"] for p in (ps or [])})
    party = st.multiselect("Parties", parties, key="mparty", bind="query-params", help="Kinds and statuses are in the sidebar.")
    if party:
        tracks = tracks[tracks["parties"].map(lambda ps: bool(set(ps or []) & set(party)))]
    milestones = milestones[milestones["track_id"].isin(tracks["track_id"])]
    if milestones.empty:
        empty_state("No milestones of these kinds, statuses and parties.")
        return
    tracks = tracks[tracks["track_id"].isin(milestones["track_id"])].assign(label=lambda t: t.apply(track_label, axis=1))
    st.altair_chart(charts.track_timeline(milestones, tracks), width="stretch", key="neg_tracks")

    st.subheader("Where each track stands")
    current = tracks.assign(parties=tracks["parties"].map(lambda p: ", ".join(p or [])), open=tracks["status"].isin(OPEN_STATUSES))
    st.dataframe(
        current[["label", "kind", "parties", "status", "open", "first_date", "last_date", "milestones", "sources"]],
        hide_index=True, placeholder=MISSING, width="stretch",
        column_config={"label": "Track", "first_date": st.column_config.DateColumn("First"), "last_date": st.column_config.DateColumn("Latest"),
                       "open": st.column_config.CheckboxColumn("Open")},
    )
    id_in_address("track", "track", tracks["track_id"].astype(int).tolist())
    chosen = st.selectbox("Status history and sources of a track", tracks["track_id"].tolist(), index=None, key="track",
                          format_func=lambda i: tracks.loc[tracks["track_id"] == i, "label"].iloc[0], placeholder="Choose a track")
    keep_in_address("track", chosen)
    if chosen is not None:
        history = milestones[milestones["track_id"] == chosen].sort_values("date")
        st.markdown(" → ".join(f"**{r.status}** ({as_shown(r.date)})" for r in history.itertuples()))
        history = history.assign(read=[article_link(i, t) for i, t in zip(history["article_id"], history["title"], strict=True)],
                                 corrected=history["correction_id"].notna())
        st.dataframe(history[["date", "status", "participants", "location", "condition", "count", "corrected", "sentence", "read", "source"]], hide_index=True, placeholder=MISSING, width="stretch",
                     column_config={"sentence": st.column_config.TextColumn("Evidence", width="large"),
                                    "read": st.column_config.LinkColumn("Article", display_text="Open article")})
    st.altair_chart(charts.milestone_status_bar(milestones), width="stretch", key="neg_status")
