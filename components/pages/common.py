"""What every page shares: the store, the model, cached queries and the sidebar filters."""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import UTC, date
from typing import Any

import pandas as pd
import streamlit as st

from ..extract import Extractor
from ..store import Filters, Store
from ..vocab import ALL_STATUSES, CASUALTY_KINDS, MILESTONE_KINDS

QUERY_TTL = 300  # seconds; caches are also cleared after every ingest


@st.cache_resource(show_spinner=False)
def shared_store() -> Store:
    """One engine and connection pool for every session."""
    return Store()


def get_store() -> Store:
    """The shared store as this session's signed-in user (pages/auth_ui.py): every write checks their role."""
    from .auth_ui import current_principal

    return shared_store().for_principal(current_principal())


get_store.clear = shared_store.clear  # type: ignore[attr-defined]  # callers reset the shared store this way


@st.cache_resource(show_spinner="Loading the language model…")
def get_extractor() -> Extractor:
    return Extractor()


def clear_query_caches() -> None:
    st.cache_data.clear()


def ensure_samples() -> None:
    """An empty database gets the team's sample articles, so the first screen is never blank."""
    store = get_store()
    if store.article_count() > 0 or st.session_state.get("_samples_checked"):
        return
    st.session_state["_samples_checked"] = True
    from ..cli import SAMPLES_DIR
    from ..ingest.pipeline import ingest_paths

    with st.spinner("First start: loading the illustrative sample articles…"):
        ingest_paths([SAMPLES_DIR], store, get_extractor(), progress=False)
    clear_query_caches()


def _filters_key(f: Filters) -> tuple:
    return (f.date_from, f.date_to, f.countries, f.actors, f.sources, f.casualty_kinds, f.milestone_kinds, f.statuses)


def _unkey(key: tuple) -> Filters:
    return Filters(*key)


@st.cache_data(ttl=QUERY_TTL, show_spinner=False)
def _actors(key: tuple) -> pd.DataFrame:
    return get_store().actors(_unkey(key))


@st.cache_data(ttl=QUERY_TTL, show_spinner=False)
def _casualties(key: tuple, counted_only: bool, limit: int | None = None) -> pd.DataFrame:
    return get_store().casualties(_unkey(key), counted_only=counted_only, limit=limit)


@st.cache_data(ttl=QUERY_TTL, show_spinner=False)
def _totals(key: tuple) -> dict[str, int]:
    return get_store().casualty_totals(_unkey(key))


@st.cache_data(ttl=QUERY_TTL, show_spinner=False)
def _relations(key: tuple, kinds: tuple[str, ...]) -> pd.DataFrame:
    return get_store().relations(_unkey(key), kinds)


@st.cache_data(ttl=QUERY_TTL, show_spinner=False)
def _has_illustrative(key: tuple) -> bool:
    return get_store().has_illustrative(_unkey(key))


@st.cache_data(ttl=QUERY_TTL, show_spinner=False)
def _incidents_by(key: tuple, by: str) -> pd.DataFrame:
    return get_store().incidents_by(_unkey(key), by)


@st.cache_data(ttl=QUERY_TTL, show_spinner=False)
def _latest_milestones(key: tuple, latest: int) -> pd.DataFrame:
    return get_store().milestones(_unkey(key), latest=latest)


@st.cache_data(ttl=QUERY_TTL, show_spinner=False)
def _summary(key: tuple) -> dict[str, int]:
    return get_store().summary(_unkey(key))


@st.cache_data(ttl=QUERY_TTL, show_spinner=False)
def _incidents(key: tuple) -> pd.DataFrame:
    return get_store().incidents(_unkey(key))


@st.cache_data(ttl=QUERY_TTL, show_spinner=False)
def _tracks(key: tuple) -> pd.DataFrame:
    return get_store().tracks(_unkey(key))


@st.cache_data(ttl=QUERY_TTL, show_spinner=False)
def _milestones(key: tuple) -> pd.DataFrame:
    return get_store().milestones(_unkey(key))


@st.cache_data(ttl=QUERY_TTL, show_spinner=False)
def _articles(key: tuple) -> pd.DataFrame:
    return get_store().articles(_unkey(key))


@st.cache_data(ttl=QUERY_TTL, show_spinner=False)
def _mentions(key: tuple, names: tuple[str, ...]) -> pd.DataFrame:
    return get_store().actor_mentions_over_time(_unkey(key), list(names))


@st.cache_data(ttl=QUERY_TTL, show_spinner=False)
def _figures(key: tuple) -> pd.DataFrame:
    return get_store().figures(_unkey(key))


@st.cache_data(ttl=QUERY_TTL, show_spinner=False)
def _options() -> dict[str, Any]:
    store = get_store()
    actors = store.actors()
    lo, hi = store.date_bounds()
    return {
        "actors": sorted(actors["name"].tolist()) if not actors.empty else [],
        "countries": sorted(c for c in actors["country"].dropna().unique()) if not actors.empty else [],
        "sources": store.sources(),
        "bounds": (lo, hi),
    }


class Data:
    """Cached reads for the current filters."""

    def __init__(self, filters: Filters):
        self.filters = filters
        self.key = _filters_key(filters)

    def actors(self) -> pd.DataFrame:
        return _actors(self.key)

    def casualties(self, counted_only: bool = False, limit: int | None = None) -> pd.DataFrame:
        return _casualties(self.key, counted_only, limit)

    def totals(self) -> dict[str, int]:
        return _totals(self.key)

    def milestones(self) -> pd.DataFrame:
        return _milestones(self.key)

    def incidents(self) -> pd.DataFrame:
        return _incidents(self.key)

    def summary(self) -> dict[str, int]:
        return _summary(self.key)

    def incidents_by(self, by: str = "date") -> pd.DataFrame:
        return _incidents_by(self.key, by)

    def latest_milestones(self, latest: int) -> pd.DataFrame:
        return _latest_milestones(self.key, latest)

    def has_illustrative(self) -> bool:
        return _has_illustrative(self.key)

    def relations(self, kinds: tuple[str, ...] = ()) -> pd.DataFrame:
        return _relations(self.key, kinds)

    def tracks(self) -> pd.DataFrame:
        return _tracks(self.key)

    def articles(self) -> pd.DataFrame:
        return _articles(self.key)

    def mentions(self, names: list[str]) -> pd.DataFrame:
        return _mentions(self.key, tuple(names))

    def figures(self) -> pd.DataFrame:
        return _figures(self.key)


FILTER_KEYS = ("country", "actor", "source", "ckind", "mkind", "mstatus")


def article_link(article_id: Any, title: Any = None) -> str:
    """A link to the article reader showing that article (its selectbox is bound to `article`)."""
    return f"/articles?article={int(article_id)}"


def to_day(value: Any) -> date:
    """A selection bound from a chart: epoch milliseconds or an ISO string, as a day."""
    from datetime import datetime

    if isinstance(value, (int, float)):
        return datetime.fromtimestamp(value / 1000, tz=UTC).date()
    return date.fromisoformat(str(value)[:10])


def clear_filters() -> None:
    """Callback: every filter back to showing everything."""
    for key in FILTER_KEYS:
        st.session_state[key] = []
    lo, hi = _options()["bounds"]
    if lo and hi:
        st.session_state["dates"] = (lo, hi)


def narrow_on_click(chart_key: str, selection: str, field: str, filter_key: str) -> Callable[[], None]:
    """An on_select callback: the clicked values of `field` become the sidebar filter `filter_key`.

    It runs before the rerun, when a widget's value may still be set.
    """

    def callback() -> None:
        event = st.session_state.get(chart_key) or {}
        points = event.get("selection", {}).get(selection, [])
        values = [p[field] for p in points if p.get(field) not in (None, "none")]
        if values:
            st.session_state[filter_key] = values

    return callback


def share_link() -> str:
    """This view as a link: the page's address with every bound filter as a query parameter."""
    from urllib.parse import urlencode

    base = st.context.url or ""
    params = [(k, v) for k in st.query_params for v in st.query_params.get_all(k)]
    return base + ("?" + urlencode(params) if params else "")


def sidebar_filters() -> Filters:
    """Filters in the sidebar on every page, bound to the URL so the address is a shareable view."""
    show_flash()
    options = _options()
    lo, hi = options["bounds"]
    with st.sidebar:
        st.markdown("### Filters")
        span: Any = st.date_input(
            "Published between", value=(lo, hi) if lo and hi else (), key="dates", bind="query-params",
            min_value=date(1990, 1, 1), max_value=date(2100, 1, 1), format="YYYY-MM-DD",
        )
        countries = st.multiselect("Countries", options["countries"], key="country", bind="query-params")
        actors = st.multiselect("Actors", options["actors"], key="actor", bind="query-params")
        sources = st.multiselect("Outlets", options["sources"], key="source", bind="query-params")
        casualty_kinds = st.multiselect("Casualty kinds", list(CASUALTY_KINDS), key="ckind", bind="query-params")
        milestone_kinds = st.multiselect("Milestone kinds", list(MILESTONE_KINDS), key="mkind", bind="query-params")
        statuses = st.multiselect("Milestone statuses", list(ALL_STATUSES), key="mstatus", bind="query-params")
        st.button("Clear all filters", on_click=clear_filters, key="clear_filters", width="stretch")
        with st.expander("Share this view"):
            st.caption("The address in your browser is this view; copy it from here:")
            st.code(share_link(), language=None, wrap_lines=True)
    date_from = date_to = None
    if isinstance(span, (tuple, list)) and len(span) == 2:
        date_from, date_to = span[0], span[1]
    return Filters(
        date_from=date_from, date_to=date_to, countries=tuple(countries), actors=tuple(actors), sources=tuple(sources),
        casualty_kinds=tuple(casualty_kinds), milestone_kinds=tuple(milestone_kinds), statuses=tuple(statuses),
    )


def flash(message: str) -> None:
    """A success message that survives the rerun which redraws the page with the change."""
    st.session_state["_flash"] = message
    st.rerun()


def show_flash() -> None:
    message = st.session_state.pop("_flash", None)
    if message:
        st.success(message)


def current_user() -> str | None:
    """Who is signed in, recorded with corrections and ingests (None when running single-user)."""
    from .auth_ui import current_principal

    return current_principal().name


def empty_state(message: str) -> None:
    st.info(message, icon=":material/info:")


def escape(text: Any) -> str:
    return html.escape(str(text), quote=True)
