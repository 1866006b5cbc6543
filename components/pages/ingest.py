"""Ingest: paste text or upload files, set title and date, see what was extracted."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from ..ingest.pipeline import Outcome, ingest_article
from ..ingest.readers import SUPPORTED_SUFFIXES, IngestError, article_from_text, read_bytes
from ..models import Extraction
from .common import clear_query_caches, get_extractor, get_store


def _show_extraction(extraction: Extraction) -> None:
    cols = st.columns(4)
    cols[0].metric("Actors", len(extraction.actors))
    cols[1].metric("Killed", extraction.totals.get("killed", 0))
    cols[2].metric("Wounded", extraction.totals.get("wounded", 0))
    cols[3].metric("Milestones", len(extraction.milestones))
    if extraction.actors:
        st.dataframe(pd.DataFrame([{"name": a.name, "kind": a.kind, "country": a.country, "role": a.role, "mentions": a.mentions} for a in extraction.actors]), hide_index=True, width="stretch")
    if extraction.casualties:
        st.dataframe(pd.DataFrame([{"kind": c.kind, "count": c.count, "victims": c.victims, "location": c.location, "date": c.date, "sentence": c.sentence} for c in extraction.casualties]), hide_index=True, width="stretch")
    if extraction.milestones:
        st.dataframe(pd.DataFrame([{"kind": m.kind, "status": m.status, "parties": ", ".join(m.parties), "location": m.location, "date": m.date, "sentence": m.sentence} for m in extraction.milestones]), hide_index=True, width="stretch")


def _report(outcomes: list[Outcome]) -> None:
    for o in outcomes:
        if o.status == "stored":
            st.success(f"Stored {o.source} (article #{o.article_id}).")
        elif o.status == "duplicate":
            st.info(f"{o.source}: already stored, nothing changed.")
        elif o.status == "skipped":
            st.warning(f"{o.source}: not stored: {o.reason}.")
        else:
            st.error(f"{o.source}: {o.reason}.")
    last = next((o for o in reversed(outcomes) if o.extraction is not None), None)
    if last is not None and last.extraction is not None:
        st.subheader("What was extracted")
        _show_extraction(last.extraction)


def render() -> None:
    st.title("Ingest")
    st.write("Paste an article or upload files. Each article is extracted and stored with its evidence; the same text twice is stored once.")
    paste, upload = st.tabs(["Paste text", "Upload files"])
    with paste, st.form("paste_form"):
        title = st.text_input("Title")
        published = st.date_input("Publication date", value=None, format="YYYY-MM-DD", max_value=date(2100, 1, 1))
        source = st.text_input("Outlet")
        text = st.text_area("Article text", height=260)
        submitted = st.form_submit_button("Extract and store", type="primary")
    if submitted:
        try:
            article = article_from_text(text, "pasted text", title=title or None, published=published, source=source or None)
        except IngestError as exc:
            st.error(str(exc))
        else:
            with st.spinner("Extracting…"):
                outcome = ingest_article(article, title or "pasted text", get_store(), get_extractor())
            clear_query_caches()
            _report([outcome])
    with upload:
        files = st.file_uploader("Articles", type=sorted(s.lstrip(".") for s in SUPPORTED_SUFFIXES), accept_multiple_files=True, key="uploads")
        published_default = st.date_input("Publication date for files that do not give one", value=None, format="YYYY-MM-DD", key="upload_date")
        if files and st.button("Extract and store the files", type="primary"):
            outcomes: list[Outcome] = []
            bar = st.progress(0.0, text="Extracting…")
            for n, f in enumerate(files, 1):
                try:
                    article = read_bytes(f.getvalue(), f.name)
                    if article.published is None and published_default:
                        article.published = published_default
                    outcomes.append(ingest_article(article, f.name, get_store(), get_extractor()))
                except IngestError as exc:
                    outcomes.append(Outcome(exc.source, "failed", exc.reason))
                bar.progress(n / len(files), text=f"{n} of {len(files)}")
            bar.empty()
            clear_query_caches()
            _report(outcomes)
