"""Articles: the list, and a reader that highlights what was extracted from the text."""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from .common import empty_state, get_store, plain, query, show_flash, sidebar_filters
from .corrections_ui import add_item_form, item_editor
from .highlight import highlight_html, legend_html, spans_of
from .markup import MISSING

LIST_LIMIT = 500


def render() -> None:
    filters = sidebar_filters()
    st.title("Articles")
    articles = query("articles", filters)
    if articles.empty:
        empty_state("No articles match these filters. Clear a filter in the sidebar or add articles on the Ingest page.")
        return
    search = st.text_input("Find an article by title", key="article_search", placeholder="words in the title")
    listed = articles
    if search:
        listed = articles[articles["title"].fillna("").str.contains(search, case=False, regex=False)]
    listed = listed.head(LIST_LIMIT)  # newest first; a search reaches the rest
    when = [p.isoformat() if hasattr(p, "isoformat") else f"undated, ingested {d.isoformat() if hasattr(d, 'isoformat') else '?'}"
            for p, d in zip(listed["published"], listed["day"], strict=True)]
    label_list = pd.Series(when, index=listed.index) + " · " + listed["title"].fillna("(untitled)") + " · #" + listed["id"].astype(int).astype(str)
    ids = listed["id"].astype(int).tolist()
    labels = dict(zip(ids, label_list, strict=True))
    # The address names the article by id (?article=12), so a link from any table opens it.
    wanted, problem = requested_article(st.query_params.get("article", ""))
    if wanted is not None and wanted not in labels and get_store().article(wanted) is None:
        problem = f"No article #{wanted} (it may have been deleted)."
    if problem:
        st.error(problem)  # a stale or hostile link opens nothing rather than another article
        return
    if wanted is not None and wanted not in labels:
        ids.insert(0, wanted)  # linked to, though outside the current filters
    index = ids.index(wanted) if wanted in ids else 0
    chosen = st.selectbox("Article", ids, index=index, format_func=lambda i: labels.get(i, f"#{i}"), key=f"article_pick_{wanted}")
    if chosen is None:
        return
    st.query_params["article"] = str(chosen)
    render_article(int(chosen))
    with st.expander(f"All {len(articles)} articles"):
        st.dataframe(articles[["id", "published", "title", "source", "status", "extractor_version"]], hide_index=True, placeholder=MISSING, width="stretch")


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


def render_article(article_id: int) -> None:
    show_flash()
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
    st.html(highlight_html(article["text"], spans_of(extraction)))
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
