"""Articles: the list, and a reader that highlights what was extracted from the text."""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from ..models import Extraction
from .common import empty_state, get_store, plain, query, sidebar_filters
from .corrections_ui import add_item_form, item_editor
from .highlight import focus_of, highlight_html, legend_html, scroll_script, spans_of
from .markup import MISSING

LIST_LIMIT = 500


PICK = "article_pick"  # the reader's article: one key for the page's life, so every pick holds
ADDRESS_SEEN = "_article_address"  # the ?article= value last applied to (or written from) the pick


def _choices(articles: pd.DataFrame, search: str) -> dict[int, str]:
    """The articles the picker offers, newest first: those whose title holds `search`, at most LIST_LIMIT."""
    listed = articles
    if search:
        listed = articles[articles["title"].fillna("").str.contains(search, case=False, regex=False)]
    listed = listed.head(LIST_LIMIT)  # newest first; a search reaches the rest
    when = [p.isoformat() if hasattr(p, "isoformat") else f"undated, ingested {d.isoformat() if hasattr(d, 'isoformat') else '?'}"
            for p, d in zip(listed["published"], listed["day"], strict=True)]
    label_list = pd.Series(when, index=listed.index) + " · " + listed["title"].fillna("(untitled)") + " · #" + listed["id"].astype(int).astype(str)
    return dict(zip(listed["id"].astype(int).tolist(), label_list, strict=True))


def _follow_address(wanted: int | None) -> None:
    """A new ?article= (a link opened, the address edited) chooses the article once; the page's own
    writes to the address are not new, so a pick or a search is never undone by them."""
    seen = "" if wanted is None else str(wanted)
    if st.session_state.get(ADDRESS_SEEN) != seen or PICK not in st.session_state:  # the pick is forgotten on other pages
        st.session_state[ADDRESS_SEEN] = seen
        if wanted is not None:
            st.session_state[PICK] = wanted


def render() -> None:
    filters = sidebar_filters()
    st.title("Articles")
    articles = query("articles", filters)
    if articles.empty:
        empty_state("No articles match these filters. Clear a filter in the sidebar or add articles on the Ingest page.")
        return
    search = st.text_input("Find an article by title", key="article_search", placeholder="words in the title")
    labels = _choices(articles, search)
    # The address names the article by id (?article=12), so a link from any table opens it.
    wanted, problem = requested_article(st.query_params.get("article", ""))
    if wanted is not None and wanted not in labels and st.session_state.get(ADDRESS_SEEN) != str(wanted) and get_store().article(wanted) is None:
        problem = f"No article #{wanted} (it may have been deleted)."
    if problem:
        st.error(problem)  # a stale or hostile link opens nothing rather than another article
        return
    _follow_address(wanted)
    ids = list(labels)
    current = st.session_state.get(PICK)
    if current is not None and current not in labels and not search:
        ids.insert(0, current)  # linked to, though outside the current filters or the newest LIST_LIMIT
    if not ids:
        st.info(f"No article title here contains “{plain(search)}”.")
        return
    if current not in ids:
        st.session_state[PICK] = ids[0]  # a search leaves the linked article for its first match
    chosen = st.selectbox("Article", ids, format_func=lambda i: labels.get(i, f"#{i}"), key=PICK)
    span = requested_span(st.query_params.get("span", "")) if chosen == wanted else None
    if chosen != wanted:
        st.query_params["article"] = str(chosen)
        st.query_params.pop("span", None)  # the marked span belonged to the article the address named
        st.session_state[ADDRESS_SEEN] = str(chosen)
    render_article(int(chosen), span)
    with st.expander(f"All {len(articles)} articles"):
        st.dataframe(articles[["id", "published", "title", "source", "status", "extractor_version"]], hide_index=True, placeholder=MISSING, width="stretch")


def requested_span(value: str) -> tuple[int, int] | None:
    """The span an address marks in the article (?span=98-109): character offsets, or None."""
    match = re.fullmatch(r"([0-9]{1,9})-([0-9]{1,9})", value or "")
    if match is None or int(match.group(1)) >= int(match.group(2)):
        return None
    return int(match.group(1)), int(match.group(2))


MAX_ID = 2**63 - 1  # the largest id a database column holds


def requested_article(value: str) -> tuple[int | None, str | None]:
    """The article an address names (?article=12): (its id, None); (None, None) when it names
    none; (None, why) when the value is no article number at all ('abc', '-1', '²', 5,000 digits)."""
    if not value:
        return None, None
    if re.fullmatch(r"[0-9]{1,19}", value) and 0 < int(value) <= MAX_ID:
        return int(value), None
    shown = value if len(value) <= 24 else value[:24] + "…"
    return None, f"No article {plain(shown)}: an article is named by its number, as in ?article=12."


def _item_at(extraction: Extraction, span: tuple[int, int]) -> tuple[str | None, str]:
    """The sentence and a label of the item stored at `span`, if one is (a figure, a milestone)."""
    for c in extraction.casualties:
        if (c.start, c.end) == span:
            return c.sentence, f"{c.kind}: {c.count}"
    for m in extraction.milestones:
        if (m.start, m.end) == span:
            return m.sentence, f"{m.kind.replace('_', ' ')} ({m.status})"
    for f in extraction.figures:
        if (f.start, f.end) == span:
            return f.sentence, f"{f.kind}: {f.count}"
    return None, "the evidence"


def render_article(article_id: int, span: tuple[int, int] | None = None) -> None:
    """One article: its text with what was extracted marked (and `span`, when given, outlined and
    scrolled into view), then its items, which analysts may correct."""
    store = get_store()
    article = store.article(article_id)
    extraction = store.extraction(article_id)
    if article is None or extraction is None:
        st.error(f"Article #{article_id} is not in the database.")
        return
    meta = " · ".join(plain(x) for x in [article["source"], article["published"], article["dateline"]] if x)
    st.subheader(plain(article["title"]) if article["title"] else "(untitled)")
    if meta:
        st.caption(meta)
    if article["illustrative"]:
        st.caption("Illustrative sample written by the team: invented events, not real reporting.")
    if article["status"] != "extracted":
        st.warning(f"Not extracted: {plain(article['status_reason'])}")
    st.html(legend_html())
    focus = None
    if span is not None:
        sentence, label = _item_at(extraction, span)
        focus = focus_of(article["text"], span[0], span[1], sentence, f"reader-{article_id}-{span[0]}-{span[1]}", label)
    st.html(highlight_html(article["text"], spans_of(extraction), focus))
    if focus is not None:
        st.html(scroll_script(focus.anchor), unsafe_allow_javascript=True)
    st.caption(f"Extractor {plain(article['extractor_version'])} · model {plain(article['model'])}")
    tabs = st.tabs(["Casualties", "Milestones", "Actors", "Figures", "Quotes"])
    with tabs[0]:
        item_editor(article_id, "casualty")
        if extraction.totals:
            st.caption("Article totals: " + ", ".join(f"{k} {v}" for k, v in extraction.totals.items()))
    with tabs[1]:
        item_editor(article_id, "milestone")
    with tabs[2]:
        st.dataframe(pd.DataFrame([{k: getattr(a, k) for k in ("name", "kind", "country", "role", "mentions")} | {"aliases": ", ".join(a.aliases)} for a in extraction.actors]), hide_index=True, placeholder=MISSING, width="stretch")
    with tabs[3]:
        st.dataframe(pd.DataFrame([f.__dict__ for f in extraction.figures]), hide_index=True, placeholder=MISSING, width="stretch")
    with tabs[4]:
        st.dataframe(pd.DataFrame([q.__dict__ for q in extraction.quotes]), hide_index=True, placeholder=MISSING, width="stretch")
    with st.expander("Add a missed casualty figure or milestone"):
        add_item_form(article_id)
