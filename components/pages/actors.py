"""Actors: canonical actors by kind and country, and their mentions over time."""

from __future__ import annotations

import streamlit as st

from .. import charts
from ..charts.network import Positions, actor_network, network_layout
from .common import empty_state, narrow_on_click, query, sidebar_filters
from .corrections_ui import actor_form
from .markup import MISSING


@st.cache_data(show_spinner=False, max_entries=100)
def _network_layout(names: list[str], edges: list[tuple[str, str, float]]) -> Positions:
    """The network's positions, computed once per view (its actors and links) and reused on every rerun."""
    return network_layout(names, edges)


def render() -> None:
    filters = sidebar_filters()
    st.title("Actors")
    actors = query("actors", filters)
    if actors.empty:
        empty_state("No actors match these filters. Clear a filter in the sidebar or add articles on the Ingest page.")
        return
    kinds = sorted(actors["kind"].unique())
    chosen = st.pills("Kinds", kinds, selection_mode="multi", default=kinds, key="actor_kinds")
    shown = actors[actors["kind"].isin(chosen)] if chosen else actors
    left, right = st.columns(2)
    with left:
        st.altair_chart(charts.top_actors_bar(shown, top=15, clickable=True), width="stretch", key="actors_top",
                        on_select=narrow_on_click("actors_top", charts.PICK_ACTOR, "name", "actor"), selection_mode=charts.PICK_ACTOR)
    with right:
        st.altair_chart(charts.actors_by_country(shown, clickable=True), width="stretch", key="actors_country",
                        on_select=narrow_on_click("actors_country", charts.PICK_COUNTRY, "country", "country"),
                        selection_mode=charts.PICK_COUNTRY)
    top = shown.nlargest(5, "mentions")["name"].tolist()
    mentions = query("actor_mentions_over_time", filters, names=tuple(top))
    if not mentions.empty:
        st.altair_chart(charts.actor_mentions_over_time(mentions), width="stretch", key="actors_time")
    st.subheader("Network")
    link_kinds = st.pills("Links", ["co-occurrence", "meets", "negotiates"], selection_mode="multi",
                          default=["co-occurrence", "meets", "negotiates"], key="net_kinds")
    relations = query("relations", filters, kinds=tuple(link_kinds or ()))
    if relations.empty:
        empty_state("No links between these actors yet.")
    else:
        st.altair_chart(actor_network(shown, relations, layout=_network_layout), width="stretch", key="actors_network")
        st.caption("Grey: named in the same sentence; blue: met; orange: negotiated or agreed. Thicker lines: more often. "
                   "Groups with no link between them are drawn apart; the most mentioned actors are named, hover for the others.")
    st.subheader("All actors")
    st.dataframe(
        shown[["name", "kind", "country", "role", "articles", "mentions"]],
        hide_index=True, placeholder=MISSING, width="stretch",
        column_config={"name": "Actor", "articles": st.column_config.NumberColumn("Articles"), "mentions": st.column_config.NumberColumn("Mentions")},
    )
    with st.expander("Correct an actor: rename, re-country or merge"):
        actor_form(actors)
