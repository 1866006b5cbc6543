"""Negotiations: each storyline as a track over time, its status history and sources."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from .. import charts
from ..vocab import ALL_STATUSES, MILESTONE_KINDS, OPEN_STATUSES
from .common import empty_state, id_in_address, keep_in_address, query, sidebar_filters
from .evidence import PICK_ROW, Evidence, milestone_evidence, on_pick, on_row, open_asked
from .markup import MISSING, as_shown


def track_label(row: pd.Series) -> str:
    parties = " – ".join(row["parties"]) if isinstance(row["parties"], list) and row["parties"] else "unnamed parties"
    return f"{parties} {row['kind'].replace('_', ' ')} (#{row['track_id']})"


TIMELINE_LIMIT = 2000  # milestones drawn on the tracks' timeline: the newest; the table and the history hold every one


def render() -> None:
    filters = sidebar_filters()
    st.title("Negotiations")
    counts = query("milestone_counts", filters)  # per track, kind and status: the figures without the sentences
    tracks = query("tracks", filters)
    if counts.empty or tracks.empty:
        empty_state("No negotiation milestones match these filters. Clear a filter in the sidebar or add articles on the Ingest page.")
        return
    parties = sorted({p for ps in tracks["parties"] for p in (ps or [])})
    party = st.multiselect("Parties", parties, key="mparty", bind="query-params", help="Kinds and statuses are in the sidebar.")
    if party:
        tracks = tracks[tracks["parties"].map(lambda ps: bool(set(ps or []) & set(party)))]
    counts = counts[counts["track_id"].isin(tracks["track_id"])]
    if counts.empty:
        empty_state("No milestones of these kinds, statuses and parties.")
        return
    tracks = tracks[tracks["track_id"].isin(counts["track_id"])].assign(label=lambda t: t.apply(track_label, axis=1))
    open_asked(filters)
    shown = tuple(sorted(int(t) for t in tracks["track_id"]))
    timeline = query("milestones", filters, latest=TIMELINE_LIMIT, track_ids=shown)
    st.altair_chart(charts.track_timeline(timeline, tracks, clickable=True), width="stretch", key="neg_tracks",
                    on_select=on_pick("neg_tracks", lambda point: milestone_evidence(timeline, point.get("id"))),
                    selection_mode=charts.PICK_MILESTONE)
    st.caption("Click a milestone to read its sentence; choose a track's row below for all of its milestones.")
    total = int(counts["milestones"].sum())
    if total > TIMELINE_LIMIT:
        st.caption(f"The latest {TIMELINE_LIMIT:,} of {total:,} milestones; narrow the dates or the parties to see others. "
                   "Each track's whole history is below.")

    st.subheader("Where each track stands")
    current = tracks.assign(parties=tracks["parties"].map(lambda p: ", ".join(p or [])), open=tracks["status"].isin(OPEN_STATUSES))
    current = current[["label", "kind", "parties", "status", "open", "first_date", "last_date", "milestones", "sources", "track_id"]]
    st.dataframe(
        current, hide_index=True, placeholder=MISSING, width="stretch", column_order=[c for c in current if c != "track_id"], key="neg_current",
        on_select=on_row("neg_current", current, lambda r: Evidence("milestones", "A track's milestones", track_id=int(r["track_id"]))),
        selection_mode=PICK_ROW,
        column_config={"label": "Track", "first_date": st.column_config.DateColumn("First"), "last_date": st.column_config.DateColumn("Latest"),
                       "open": st.column_config.CheckboxColumn("Open")},
    )
    id_in_address("track", "track", tracks["track_id"].astype(int).tolist())
    chosen = st.selectbox("Status history and sources of a track", tracks["track_id"].tolist(), index=None, key="track",
                          format_func=lambda i: tracks.loc[tracks["track_id"] == i, "label"].iloc[0], placeholder="Choose a track")
    keep_in_address("track", chosen)
    if chosen is not None:
        history = query("milestones", filters, track_ids=(int(chosen),)).sort_values("date")
        st.markdown(" → ".join(f"**{r.status}** ({as_shown(r.date)})" for r in history.itertuples()))
        history = history.assign(corrected=history["correction_id"].notna()).reset_index(drop=True)
        st.dataframe(history, hide_index=True, placeholder=MISSING, width="stretch", key="neg_history",
                     column_order=["date", "status", "sentence", "title", "participants", "location", "condition", "count", "corrected", "source"],
                     on_select=on_row("neg_history", history, lambda r: milestone_evidence(history, r["id"])), selection_mode=PICK_ROW,
                     column_config={"sentence": st.column_config.TextColumn("Evidence", width="large"), "title": "Article"})
        st.caption("Choose a row to read the milestone in its article.")
    st.altair_chart(charts.milestone_status_bar(counts, clickable=True), width="stretch", key="neg_status",
                    on_select=on_pick("neg_status", _status_bar), selection_mode=charts.PICK_BAR)


def _status_bar(point: dict) -> Evidence | None:
    """A clicked bar: the milestones of that kind and status."""
    kind, status = point.get("kind"), point.get("status")
    if kind not in MILESTONE_KINDS or status not in ALL_STATUSES:
        return None
    return Evidence("milestones", f"{kind.replace('_', ' ').capitalize()}, {status}", kind=kind, status=status)
