"""What every page shares: the store as the signed-in user, the cached query, and the sidebar filters."""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import UTC, date, datetime
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
    "actor_activity", "actor_mention_sentences", "actor_mentions", "actor_mentions_over_time", "actors", "articles",
    "casualties", "casualty_totals", "figures", "figures_in_period", "has_illustrative", "incidents", "incidents_by",
    "last_active_day", "milestone_counts", "milestones", "published_span", "relations", "summary", "totals_evidence",
    "tracks"
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


FIRST_DAY, LAST_DAY = date(1990, 1, 1), date(2100, 1, 1)  # the days the date filter takes
DAY_FORMATS = ("%Y-%m-%d", "%Y/%m/%d")  # as Streamlit reads the sidebar's own ?dates=


def _clip(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def parse_day(value: str) -> date:
    """A day written in the address, or ValueError saying why it is not one the filter takes."""
    for fmt in DAY_FORMATS:
        try:
            day = datetime.strptime(value, fmt).date()
        except ValueError:
            continue
        if not FIRST_DAY <= day <= LAST_DAY:
            raise ValueError(f"{day.isoformat()} is outside the days the filter takes ({FIRST_DAY.isoformat()} to {LAST_DAY.isoformat()})")
        return day
    raise ValueError(f'"{_clip(value)}" is not a date (write it as YYYY-MM-DD)')


def range_in_address(dates: list[str], start: str | None, end: str | None,
                     bounds: tuple[date | None, date | None]) -> tuple[tuple[date, date] | None, str | None]:
    """The date range an address asks for: the sidebar's own ?dates=START&dates=END, or
    ?from=START&to=END (either alone runs to the first or last day with articles).

    Returns (range, None) when it can be used, (None, why) when it is ignored, (None, None)
    when the address names no dates. `bounds` are the first and last days with articles.
    """
    lo, hi = bounds
    if any(dates):
        given = "dates=" + "&dates=".join(dates)
        if len(dates) != 2:
            return None, _ignored(given, f"a range is two dates, its start and its end, and the address gives {len(dates)}")
        first, last = dates
    elif start or end:
        given = "&".join(f"{name}={value}" for name, value in (("from", start), ("to", end)) if value)
        first, last = start or (lo or FIRST_DAY).isoformat(), end or None
    else:
        return None, None
    try:
        day_from = parse_day(first)
        day_to = parse_day(last) if last is not None else max(hi or LAST_DAY, day_from)
    except ValueError as exc:
        return None, _ignored(given, str(exc))
    if day_from > day_to:
        return None, _ignored(given, f"its start, {day_from.isoformat()}, is after its end, {day_to.isoformat()}")
    return (day_from, day_to), None


def _ignored(given: str, why: str) -> str:
    return (f"The date range in the address ({_clip(given, 80)}) is ignored: {why}. Showing every date instead; "
            "choose a range under Published between in the sidebar.")


def chosen_range(span: Any) -> tuple[date | None, date | None, str | None]:
    """The sidebar's range as (from, to, None); a start after the end is ignored, saying so.
    One date alone (a range being picked) or none filters nothing."""
    if isinstance(span, (tuple, list)) and len(span) == 2 and all(isinstance(d, date) for d in span):
        if span[0] > span[1]:
            return None, None, (f"The date range {span[0].isoformat()} to {span[1].isoformat()} is ignored: its start is after "
                                "its end. Showing every date instead.")
        return span[0], span[1], None
    return None, None, None


def _date_input(lo: date | None, hi: date | None) -> tuple[Any, str | None]:
    """The sidebar's "Published between", bound to the address (?dates=), which may also give the
    range as ?from=&to=. A range the address gives that cannot be used is replaced by every date,
    and why is returned."""
    params = st.query_params
    dates, start, end = params.get_all("dates"), params.get("from"), params.get("to")
    wanted, note = range_in_address(dates, start, end, (lo, hi))
    if note is not None and any(dates):
        if lo and hi:
            # This run shows the address's own ?dates= whatever is set here; from the next run on
            # the widget shows every date, and Streamlit drops the value from the address.
            st.session_state["dates"] = (lo, hi)
    elif note is not None:
        params.pop("from", None)  # ignored: out of the address, so the reason is given once
        params.pop("to", None)
    elif wanted is not None and not any(dates) and st.session_state.get("_dates_from_to") != (start, end):
        # ?from=&to= are applied once, so a range picked later in the sidebar stands (they stay
        # in the address, which still opens this view; Streamlit applies ?dates= itself).
        st.session_state["_dates_from_to"] = (start, end)
        st.session_state["dates"] = wanted
    span = st.date_input(
        "Published between", value=(lo, hi) if lo and hi else (), key="dates", bind="query-params",
        min_value=FIRST_DAY, max_value=LAST_DAY, format="YYYY-MM-DD",
    )
    return span, note


def sidebar_filters() -> Filters:
    """Filters in the sidebar on every page, bound to the URL so the address is a shareable view."""
    show_flash()
    options = _options()
    lo, hi = options["bounds"]
    with st.sidebar:
        st.markdown("### Filters")
        span, note = _date_input(lo, hi)
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
    date_from, date_to, problem = chosen_range(span)
    if note or problem:
        st.warning(plain(note or problem), icon=":material/event_busy:")
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
