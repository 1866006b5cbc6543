"""The Overview's Watches section: save the sidebar's filters as a watch, and see per watch what
is new since you last looked (services/watches.py), with a link to the watch's view and
"Mark as seen". Watches are personal: each signed-in user sees only their own."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any
from urllib.parse import urlencode

import streamlit as st

from ..services import watches as service
from ..store import Filters
from .common import QUERY_TTL, escape, flash, get_store, plain
from .session import shared_store

SHOWN = 15  # items per kind of news in a watch's details; the digest lists them all
_DATE_FORMAT = "%Y-%m-%d %H:%M"


def watch_filters(filters: Filters, bounds: tuple[date | None, date | None]) -> Filters:
    """The sidebar's view as a watch keeps it: dates that reach the first or latest article stay open,
    so an article published later (or found later about earlier days) still counts."""
    lo, hi = bounds
    start = None if filters.date_from and lo and filters.date_from <= lo else filters.date_from
    end = None if filters.date_to and hi and filters.date_to >= hi else filters.date_to
    return replace(filters, date_from=start, date_to=end)


def view_link(filters: Filters, bounds: tuple[date | None, date | None]) -> str:
    """The watch's view as an address on this page (the sidebar's filters read it)."""
    lo, hi = bounds
    params: list[tuple[str, str]] = []
    start, end = filters.date_from or lo, filters.date_to or hi
    if (filters.date_from or filters.date_to) and start and end:
        params += [("dates", start.isoformat()), ("dates", end.isoformat())]
    for key, field in service.LIST_FIELDS.items():
        params += [(key, value) for value in getattr(filters, field)]
    return "?" + urlencode(params)


def describe(filters: Filters) -> str:
    """The filters in words, for the watch's details (plain: names may come from articles)."""
    parts = []
    if filters.date_from or filters.date_to:
        parts.append(f"published {filters.date_from or 'any time'} to {filters.date_to or 'now'}")
    labels = {"countries": "countries", "actors": "actors", "sources": "outlets", "casualty_kinds": "casualty kinds",
              "milestone_kinds": "milestone kinds", "statuses": "statuses"}
    parts += [f"{label}: {', '.join(getattr(filters, field))}" for field, label in labels.items() if getattr(filters, field)]
    return "; ".join(parts) or "everything (no filter)"


@st.cache_data(ttl=QUERY_TTL, show_spinner=False, max_entries=500)
def _news(owner: str, watch_id: int, seen_at: str, filters: str, version: int, _watch: service.Watch) -> service.WatchNews:
    """A watch's news, worked out once per data version and per time it was marked seen."""
    return service.whats_new(shared_store(), _watch)


@st.cache_data(ttl=QUERY_TTL, show_spinner=False, max_entries=50)
def _bounds(version: int) -> tuple[date | None, date | None]:
    return shared_store().date_bounds()


def news_of(watch: service.Watch) -> service.WatchNews:
    seen = watch.seen_at.strftime(_DATE_FORMAT + ":%S.%f") if watch.seen_at else ""
    return _news(watch.owner, watch.id, seen, repr(watch.filters), get_store().data_version(), watch)


def _mark_seen(news: service.WatchNews) -> None:
    """Callback: what the reader was shown (this run's snapshot) becomes what they have seen."""
    try:
        service.mark_seen(get_store(), news)
    except service.WatchError as exc:
        st.session_state["_watch_error"] = str(exc)
    else:
        st.session_state["_flash"] = f"Marked “{plain(news.watch.name)}” as seen."


def _details(news: service.WatchNews) -> None:
    for attribute, heading in service.SECTIONS:
        items = getattr(news, attribute)
        if not items:
            continue
        st.markdown(f"**{heading}**")
        lines = [f"- {plain(item.line())}" for item in items[:SHOWN]]
        if len(items) > SHOWN:
            lines.append(f"- … and {len(items) - SHOWN:,} more (the digest lists them all)")
        st.markdown("\n".join(lines))


def _manage(watch: service.Watch) -> None:
    with st.popover("Rename or delete", icon=":material/edit:"):
        name = st.text_input("New name", value=watch.name, key=f"watch_name_{watch.id}", max_chars=200)
        if st.button("Rename", key=f"watch_rename_{watch.id}"):
            _act(lambda: service.rename_watch(get_store(), watch.id, name), f"Renamed the watch to “{plain(name)}”.")
        if st.button("Delete this watch", key=f"watch_delete_{watch.id}", type="primary"):
            _act(lambda: service.remove_watch(get_store(), watch.id), f"Deleted the watch “{plain(watch.name)}”.")


def _act(action: Any, done: str) -> None:
    try:
        action()
    except service.WatchError as exc:
        st.error(plain(str(exc)))
        return
    flash(done)


def _one(watch: service.Watch, bounds: tuple[date | None, date | None]) -> None:
    news = news_of(watch)
    counts = f":orange[{news.counts()}]" if news.total else news.counts()
    with st.expander(f"**{plain(watch.name)}** · {counts}", expanded=False):
        seen = f"since {watch.seen_at:{_DATE_FORMAT}} UTC" if watch.seen_at else "never marked seen"
        st.caption(plain(f"New {seen}. View: {describe(watch.filters)}"))
        if news.total:
            _details(news)
        else:
            st.write("Nothing new in this view since you last looked.")
        left, middle, right = st.columns(3)
        left.markdown(f'<a class="watch-link" href="{escape(view_link(watch.filters, bounds))}" target="_self">Open this view</a>',
                      unsafe_allow_html=True)
        middle.button("Mark as seen", key=f"watch_seen_{watch.id}", on_click=_mark_seen, args=(news,), disabled=not news.total)
        with right:
            _manage(watch)


def _save_form(filters: Filters, bounds: tuple[date | None, date | None]) -> None:
    with st.form("watch_save", clear_on_submit=True, border=False):
        name = st.text_input("Save the filters in the sidebar as a watch", key="watch_new_name", max_chars=200,
                             placeholder="A name for this view, e.g. Donetsk shelling")
        submitted = st.form_submit_button("Save as a watch", icon=":material/visibility:")
    st.caption("A watch keeps these filters; its count shows what is new in that view since you last marked it seen. "
               "Dates that reach the latest article stay open, so later articles count.")
    if submitted:
        _act(lambda: service.create_watch(get_store(), name, watch_filters(filters, bounds)), f"Saved the watch “{plain(name)}”.")


def render(filters: Filters) -> None:
    """The Watches section: each of this user's watches with what is new, and saving the current view."""
    store = get_store()
    st.subheader("Watches")
    error = st.session_state.pop("_watch_error", None)
    if error:
        st.error(plain(error))
    try:
        watches = service.watches_of(store)
    except service.WatchError as exc:
        st.info(plain(str(exc)))
        return
    bounds = _bounds(store.data_version())
    if not watches:
        st.caption("No watches yet: save the filters in the sidebar as one, and this section will show what is new in that view.")
    for watch in watches:
        _one(watch, bounds)
    with st.expander("Save these filters as a watch", icon=":material/add:"):
        _save_form(filters, bounds)
