"""What every page shares: the store as the signed-in user, the cached query, and the sidebar filters."""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import UTC, date
from typing import Any

import streamlit as st

from ..services.samples import load_samples
from ..store import Filters, Store
from ..vocab import ALL_STATUSES, CASUALTY_KINDS, MILESTONE_KINDS
from .auth_ui import current_principal
from .markup import plain  # noqa: F401 - the pages import it from here
from .session import get_extractor, shared_store

QUERY_TTL = 3600  # seconds; a backstop: the caches are keyed on the store's data version


def get_store() -> Store:
    """The shared store as this session's signed-in user (pages/auth_ui.py): every write checks their role."""
    return shared_store().for_principal(current_principal())


get_store.clear = shared_store.clear  # type: ignore[attr-defined]  # callers reset the shared store this way


def clear_query_caches() -> None:
    st.cache_data.clear()


def ensure_samples() -> None:
    """An empty database gets the team's sample articles, so the first screen is never blank."""
    store = get_store()
    if store.article_count() > 0 or st.session_state.get("_samples_checked"):
        return
    st.session_state["_samples_checked"] = True
    with st.spinner("First start: loading the illustrative sample articles…"):
        load_samples(store, get_extractor(), progress=False)
    clear_query_caches()


# The Store's reads that take Filters first; only these may be named to `query`.
READS = frozenset({
    "actor_activity", "actor_mentions_over_time", "actors", "articles", "casualties", "casualty_totals", "figures", "has_illustrative",
    "incidents", "incidents_by", "last_active_day", "milestone_counts", "milestones", "published_span", "relations", "summary", "tracks",
})


def query(read: str, filters: Filters, **options: Any) -> Any:
    """`Store.<read>(filters, **options)`, cached on the read's name, the (frozen) Filters, the
    options and the store's data version.

    Every page reads through here: `query("incidents_by", filters, by="date")`. Options must be
    hashable (tuples, not lists). A result is shared by every session, since what one may read
    does not depend on the role. The data version goes up with every write, from this app, the
    command line or a worker, so the next rerun after any change reads fresh figures.
    """
    if read not in READS:
        raise ValueError(f"{read!r} is not one of the store's filtered reads ({', '.join(sorted(READS))})")
    return _query(read, filters, get_store().data_version(), tuple(sorted(options.items())))


@st.cache_data(ttl=QUERY_TTL, show_spinner=False, max_entries=2000)
def _query(read: str, filters: Filters, version: int, options: tuple[tuple[str, Any], ...]) -> Any:
    return getattr(get_store(), read)(filters, **dict(options))


def _options() -> dict[str, Any]:
    return _filter_options(get_store().data_version())


@st.cache_data(ttl=QUERY_TTL, show_spinner=False, max_entries=50)
def _filter_options(version: int) -> dict[str, Any]:
    store = get_store()
    actors = store.actor_choices()  # names and countries only: counting every actor's articles is for the pages
    lo, hi = store.date_bounds()
    return {
        "actors": sorted(actors["name"].tolist()) if not actors.empty else [],
        "countries": sorted(c for c in actors["country"].dropna().unique()) if not actors.empty else [],
        "sources": store.sources(),
        "bounds": (lo, hi),
    }


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
    return current_principal().name


def empty_state(message: str) -> None:
    st.info(message, icon=":material/info:")


def escape(text: Any) -> str:
    return html.escape(str(text), quote=True)


def id_in_address(param: str, key: str, choices: list[int]) -> None:
    """A chosen item (an incident, a track) named in the address by its id (?incident=12), so a
    link opens it: the address sets the selectbox `key` once, on the first run that sees it."""
    value = st.query_params.get(param, "")
    if value.isascii() and value.isdigit() and int(value) in choices and st.session_state.get(f"_{key}_from_address") != value:
        st.session_state[key] = int(value)
        st.session_state[f"_{key}_from_address"] = value


def keep_in_address(param: str, chosen: int | None) -> None:
    """The item the selectbox shows, written to the address (or taken out of it)."""
    if chosen is None:
        st.query_params.pop(param, None)
    else:
        st.query_params[param] = str(int(chosen))
