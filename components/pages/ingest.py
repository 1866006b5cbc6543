"""Ingest: paste text, upload files (any supported format, batches, zips) or give a link or
feed; set title and date; see what was extracted."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pandas as pd
import streamlit as st

from ..ingest.items import Item
from ..ingest.readers import SUPPORTED_SUFFIXES, IngestError, article_from_text
from ..ingest.sources import iter_bytes, iter_url
from ..ingest.web import is_url
from ..models import Extraction
from ..services.ingest import IngestReport, Outcome, ingest_article, ingest_feed, ingest_items, refresh_feeds
from ..store.jobs import JobQueue
from .auth_ui import allowed, current_principal
from .common import clear_query_caches, get_extractor, get_store, plain
from .markup import MISSING


def _show_extraction(extraction: Extraction) -> None:
    cols = st.columns(4)
    cols[0].metric("Actors", len(extraction.actors))
    cols[1].metric("Killed", extraction.totals.get("killed", 0))
    cols[2].metric("Wounded", extraction.totals.get("wounded", 0))
    cols[3].metric("Milestones", len(extraction.milestones))
    if extraction.actors:
        st.dataframe(pd.DataFrame([{"name": a.name, "kind": a.kind, "country": a.country, "role": a.role, "mentions": a.mentions} for a in extraction.actors]),
                     hide_index=True, placeholder=MISSING, width="stretch")
    if extraction.casualties:
        st.dataframe(pd.DataFrame([{"kind": c.kind, "count": c.count, "victims": c.victims, "location": c.location, "date": c.date, "sentence": c.sentence}
                                   for c in extraction.casualties]), hide_index=True, placeholder=MISSING, width="stretch")
    if extraction.milestones:
        st.dataframe(pd.DataFrame([{"kind": m.kind, "status": m.status, "parties": ", ".join(m.parties) or None, "location": m.location, "date": m.date,
                                    "sentence": m.sentence} for m in extraction.milestones]), hide_index=True, placeholder=MISSING, width="stretch")


MAX_MESSAGES = 20  # more outcomes than this are summarised in a table


def _report(outcomes: list[Outcome]) -> None:
    if len(outcomes) > MAX_MESSAGES:
        report = IngestReport(outcomes)
        st.success(report.summary().splitlines()[0])
        problems = [{"input": o.source or None, "status": o.status, "reason": o.reason or None} for o in outcomes if o.status in {"skipped", "failed"}]
        if problems:
            st.dataframe(pd.DataFrame(problems), hide_index=True, placeholder=MISSING, width="stretch")
        outcomes = outcomes[-1:]
    for o in outcomes:
        source, why = plain(o.source or "an input without a name"), f": {plain(o.reason)}" if o.reason else ""
        if o.status == "stored":
            st.success(f"Stored {source}" + (f" (article #{o.article_id})." if o.article_id is not None else "."))
        elif o.status == "duplicate":
            st.info(f"{source}: already stored, nothing changed.")
        elif o.status == "skipped":
            st.warning(f"{source}: not stored{why or ' (no reason was given)'}.")
        else:
            st.error(f"{source}{why or ': failed (no reason was given)'}.")
    last = next((o for o in reversed(outcomes) if o.extraction is not None), None)
    if last is not None and last.extraction is not None:
        st.subheader("What was extracted")
        _show_extraction(last.extraction)


def _estimate(data: bytes, name: str) -> int:
    suffix = name.lower().rsplit(".", 1)[-1]
    if suffix in {"csv", "tsv", "jsonl", "ndjson"}:
        return max(1, data.count(b"\n") - (suffix in {"csv", "tsv"}))
    return 1


def _with_default_date(items: Iterator[Item], published: date | None) -> Iterator[Item]:
    for item in items:
        if published and item.article is not None and item.article.published is None:
            item.article.published = published
        yield item


PASTE_FIELDS = {"paste_title": "", "paste_date": None, "paste_source": "", "paste_text": ""}  # the empty form


def _pasted_article_done(outcome: Outcome | None = None, queued: list[int] | None = None) -> None:
    """The pasted article is stored (or queued): empty the form for the next one and say what happened.

    A widget's value cannot change once it is drawn in a run, so the form is emptied at the
    start of the next run, and the report waits for it in the session."""
    st.session_state["_paste_done"] = (outcome, queued)
    st.rerun()


def _clear_pasted_article() -> None:
    if "_paste_done" in st.session_state:
        for key, empty in PASTE_FIELDS.items():
            st.session_state[key] = empty  # set, not dropped: the browser keeps a dropped widget's text


def _pasted_article_report() -> None:
    outcome, queued = st.session_state.pop("_paste_done", (None, None))
    if queued:
        _queued(queued)
    if outcome is not None:
        _report([outcome])


def _run(items: Iterator[Item], total: int, label: str = "Extracting…") -> list[Outcome]:
    """Ingest with a progress bar; the page stays usable in other sessions meanwhile."""
    bar = st.progress(0.0, text=label)

    def on_progress(done: int, estimated: int, _outcome: Outcome) -> None:
        bar.progress(min(done / max(total, estimated, 1), 1.0), text=f"{done} of {max(total, done)}")

    report = ingest_items(items, get_store(), get_extractor(), progress=False, on_progress=on_progress)
    bar.empty()
    clear_query_caches()
    return report.outcomes


def _link_or_feed() -> None:
    from ..store.feeds import FeedList

    url = st.text_input("Web address", placeholder="https://…", key="ingest_url")
    kind = st.radio("It is", ["an article", "an RSS or Atom feed (store its entries and follow it)"], key="ingest_url_kind", horizontal=True)
    if st.button("Fetch and store", key="ingest_url_go", disabled=not url.strip()):
        url = url.strip()
        if not is_url(url):
            st.error(f"{plain(url)}: not a web address (give an http:// or https:// link).")
        elif kind.startswith("an article"):
            _report(_run(iter_url(url), 1, "Fetching…"))
        else:
            with st.spinner("Reading the feed…"):
                report = ingest_feed(url, get_store(), get_extractor(), progress=False)
            clear_query_caches()
            _report(report.outcomes)
    feeds = FeedList(get_store()).all()
    if feeds:
        st.caption("Followed feeds: " + ", ".join(plain(f.title or f.url) for f in feeds))
        if st.button("Refresh the followed feeds", key="ingest_refresh"):
            if st.session_state.get("ingest_queue"):
                _queued([JobQueue(get_store()).enqueue_refresh()])
                return
            with st.spinner("Reading the feeds…"):
                report = refresh_feeds(get_store(), get_extractor(), progress=False)
            clear_query_caches()
            if report.outcomes:
                _report(report.outcomes)
            else:
                st.info("No new entries.")


def _queued(job_ids: list[int]) -> None:
    numbers = ", ".join(f"#{i}" for i in job_ids)
    st.success(f"Queued as job{'s' if len(job_ids) > 1 else ''} {numbers}: a background worker (python -m components worker) "
               "extracts and stores it; see its progress under Jobs below.")


JOB_COLUMNS = ["id", "kind", "input", "status", "by", "worker", "outcome", "queued", "started", "last_heartbeat", "finished"]


def _jobs() -> None:
    """The latest jobs: everyone's for analysts and admins (read-only here: admins requeue and
    cancel on the Admin page), one's own for anyone else."""
    try:
        jobs = JobQueue(get_store()).listing(limit=20)
    except ValueError as exc:  # a bad WORKER_STALE_AFTER_S: say which and why
        st.error(plain(exc))
        return
    if jobs.empty:
        return
    st.subheader("Jobs" if current_principal().can("ingest") else "Your jobs")
    shown = jobs[JOB_COLUMNS].replace({"": None})  # no worker yet, no outcome yet: a dash, like any missing value
    st.dataframe(shown, hide_index=True, placeholder=MISSING, width="stretch", key="ingest_jobs",
                 column_config={"queued": st.column_config.DatetimeColumn("Queued (UTC)"),
                                "started": st.column_config.DatetimeColumn("Started (UTC)"),
                                "last_heartbeat": st.column_config.DatetimeColumn("Last heartbeat (UTC)"),
                                "finished": st.column_config.DatetimeColumn("Finished (UTC)")})
    if (jobs["status"] == "queued").any():
        st.caption("Jobs still queued wait for a worker: python -m components worker (see README › Deployment).")
    if (jobs["status"] == "stuck").any():
        st.warning("A stuck job's worker has stopped giving signs of life: the next worker looking for work queues it again by "
                   "itself; an admin can also requeue or cancel it on the Admin page.")


def render() -> None:
    st.title("Ingest")
    if not allowed("ingest", "ingesting articles"):
        return
    st.write("Paste an article, upload files or give a link or a feed. Each article is extracted and stored with its evidence; "
             "the same text twice is stored once, and near-duplicates (one story from several outlets) are grouped.")
    queue = st.checkbox("Queue for the background worker", value=False, key="ingest_queue",
                        help="Put pasted text, uploads and feed refreshes in the queue and return at once; a worker "
                             "(python -m components worker) extracts and stores them. Off: extraction runs now, in this page.")
    paste, upload, link = st.tabs(["Paste text", "Upload files", "Link or feed"])
    _clear_pasted_article()
    with paste, st.form("paste_form"):
        title = st.text_input("Title", key="paste_title")
        published = st.date_input("Publication date", value=None, format="YYYY-MM-DD", max_value=date(2100, 1, 1), key="paste_date")
        source = st.text_input("Outlet", key="paste_source")
        text = st.text_area("Article text", height=260, key="paste_text")
        submitted = st.form_submit_button("Queue for extraction" if queue else "Extract and store", type="primary")
    if submitted:
        try:
            article = article_from_text(text, "pasted text", title=title or None, published=published, source=source or None)
        except IngestError as exc:
            st.error(plain(exc))  # the text stays in the form, to be fixed
        else:
            if queue:
                job = JobQueue(get_store()).enqueue_text(text, title=title or None, published=published, source=source or None,
                                                         name=title or "pasted text")
                _pasted_article_done(queued=[job])
            else:
                with st.spinner("Extracting…"):
                    outcome = ingest_article(article, title or "pasted text", get_store(), get_extractor())
                clear_query_caches()
                if outcome.status == "failed":
                    _report([outcome])  # the text stays in the form, to be fixed or tried again
                else:
                    _pasted_article_done(outcome=outcome)
    _pasted_article_report()
    with upload:
        files = st.file_uploader("Articles", type=sorted(s.lstrip(".") for s in SUPPORTED_SUFFIXES), accept_multiple_files=True, key="uploads",
                                 help="Text, Markdown, HTML, PDF, Word (.docx); CSV/TSV, JSONL or JSON with one article per row "
                                      "(a text or body column; title, date, url, source, author if present); zip archives of these.")
        published_default = st.date_input("Publication date for files that do not give one", value=None, format="YYYY-MM-DD", key="upload_date")
        if files and st.button("Queue the files" if queue else "Extract and store the files", type="primary", key="ingest_files_go"):
            uploads = [(f.name, f.getvalue()) for f in files]
            if queue:  # the bytes go in the queue's table; the file name is only a label, never a path
                jobs = JobQueue(get_store())
                _queued([jobs.enqueue_file(name, data, published=published_default) for name, data in uploads])
            else:
                total = sum(_estimate(data, name) for name, data in uploads)
                items = (item for name, data in uploads for item in iter_bytes(data, name))
                _report(_run(_with_default_date(items, published_default), total))
    with link:
        _link_or_feed()
    _jobs()
