"""Actors: canonical actors by kind and country, and their mentions over time. Every actor's
bar, circle, point and row opens the sentences where the articles name it."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from .. import charts
from ..charts.network import Positions, actor_network, network_layout
from .common import empty_state, narrow_on_click, plain, query, sidebar_filters, to_day
from .corrections_ui import actor_form
from .evidence import PICK_ROW, Evidence, on_pick, on_row, open_asked
from .markup import MISSING


@st.cache_data(show_spinner=False, max_entries=100)
def _network_layout(names: list[str], edges: list[tuple[str, str, float]]) -> Positions:
    """The network's positions, computed once per view (its actors and links) and reused on every rerun."""
    return network_layout(names, edges)


def mentions_of(name: Any, day: Any = None) -> Evidence | None:
    """An actor (a clicked bar, circle or row; on one day for a point of the mentions over time) as the places the articles name it."""
    if not isinstance(name, str) or not name:
        return None
    if day is None:
        return Evidence("mentions", f"mentions of {plain(name)}", actors=(name,))
    when = to_day(day)
    return Evidence("mentions", f"mentions of {plain(name)} on {when.isoformat()}", actors=(name,), period=(when, when))


def _picked(point: dict[str, Any]) -> Evidence | None:
    return mentions_of(point.get("name"), point.get("date"))


def render() -> None:
    filters = sidebar_filters()
    st.title("Actors")
    actors = query("actors", filters)
    if actors.empty:
        empty_state("No actors match these filters. Clear a filter in the sidebar or add articles on the Ingest page.")
        return
    open_asked(filters)
    kinds = sorted(actors["kind"].unique())
    chosen = st.pills("Kinds", kinds, selection_mode="multi", default=kinds, key="actor_kinds")
    shown = actors[actors["kind"].isin(chosen)] if chosen else actors
    left, right = st.columns(2)
    with left:
        st.altair_chart(charts.top_actors_bar(shown, top=15, clickable=True), width="stretch", key="actors_top",
                        on_select=on_pick("actors_top", _picked), selection_mode=charts.PICK_ACTOR)
    with right:
        st.altair_chart(charts.actors_by_country(shown, clickable=True), width="stretch", key="actors_country",
                        on_select=narrow_on_click("actors_country", charts.PICK_COUNTRY, "country", "country"),
                        selection_mode=charts.PICK_COUNTRY)
    st.caption("Click an actor's bar for the sentences that name it; click a country to narrow every page to it.")
    top = shown.nlargest(5, "mentions")["name"].tolist()
    mentions = query("actor_mentions_over_time", filters, names=tuple(top))
    if not mentions.empty:
        st.altair_chart(charts.actor_mentions_over_time(mentions, clickable=True), width="stretch", key="actors_time",
                        on_select=on_pick("actors_time", _picked), selection_mode=charts.PICK_MENTIONS)
        st.caption("Click a point for that day's sentences naming the actor.")
    _network(filters, shown)
    _table(shown)
    with st.expander("Correct an actor: rename, re-country or merge"):
        actor_form(actors)


def _network(filters: Any, shown: pd.DataFrame) -> None:
    st.subheader("Network")
    link_kinds = st.pills("Links", ["co-occurrence", "meets", "negotiates"], selection_mode="multi",
                          default=["co-occurrence", "meets", "negotiates"], key="net_kinds")
    relations = query("relations", filters, kinds=tuple(link_kinds or ()))
    if relations.empty:
        empty_state("No links between these actors yet.")
        return
    st.altair_chart(actor_network(shown, relations, layout=_network_layout, clickable=True), width="stretch", key="actors_network",
                    on_select=on_pick("actors_network", _picked), selection_mode=charts.PICK_ACTOR)
    st.caption("Grey: named in the same sentence; blue: met; orange: negotiated or agreed. Thicker lines: more often. "
               "Groups with no link between them are drawn apart; the most mentioned actors are named, hover for the others. "
               "Click a circle for the sentences that name its actor.")


def _table(shown: pd.DataFrame) -> None:
    st.subheader("All actors")
    table = shown[["name", "kind", "country", "role", "articles", "mentions"]].reset_index(drop=True)
    st.dataframe(
        table, hide_index=True, placeholder=MISSING, width="stretch", key="actors_table",
        on_select=on_row("actors_table", table, lambda row: mentions_of(row["name"])), selection_mode=PICK_ROW,
        column_config={"name": "Actor", "articles": st.column_config.NumberColumn("Articles"), "mentions": st.column_config.NumberColumn("Mentions")},
    )
    st.caption("Choose a row for the sentences that name the actor, each marked in its article.")
