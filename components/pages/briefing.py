"""Export & briefing: the current view's tables, charts and a one-click briefing, as files.

Every file is made only when its button is clicked (a deferred download), so the page renders
as fast as the queries it shows, whatever the size of the store.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pandas as pd
import streamlit as st

from ..services import export
from ..store import Filters, Store, totals_of
from ..vocab import CASUALTY_KINDS
from .common import empty_state, get_store, query, sidebar_filters
from .evidence import Evidence, metric, open_asked
from .markup import MISSING
from .negotiations import track_label

TABLE_FORMATS: dict[str, tuple[str, str, Callable[[pd.DataFrame], bytes]]] = {
    "csv": ("CSV", "text/csv", export.table_to_csv),
    "xlsx": ("Excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", export.table_to_excel),
    "json": ("JSON", "application/json", export.table_to_json),
}
RECENT_MILESTONES = 2000  # the newest milestones, enough to find the latest of each recent track (see _key_sentences)
CHART_FORMATS: dict[str, tuple[str, str, Callable[..., bytes]]] = {
    "png": ("PNG", "image/png", export.chart_to_png),
    "svg": ("SVG", "image/svg+xml", export.chart_to_svg),
}


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d")


def _casualty_figures(store: Store, filters: Filters) -> Callable[[], pd.DataFrame]:
    # Every reported figure with its sentence can be far bigger than what the page shows,
    # so it is read from the store only when someone asks for the file.
    return lambda: store.casualties(filters)


HEADLINE_ITEMS = {"Articles": "articles", "Incidents": "incidents", "Milestones": "milestones", "Negotiation tracks": "tracks", "Actors": "actors"}


def headline_evidence(label: str) -> Evidence:
    """What a briefing's headline figure counts, as the Overview's same figure does: a casualty kind's
    figures, or the incidents, milestones, tracks, actors or articles."""
    kind = label.lower()
    if kind in CASUALTY_KINDS:
        return Evidence("totals", label, kind=kind)
    return Evidence(HEADLINE_ITEMS[label], label)


def _key_sentences(store: Store, filters: Filters, incidents: pd.DataFrame, milestones: int) -> list[export.KeySentence]:
    """The briefing's key sentences from the view's newest milestones (all of them only when those
    hold too few tracks) and the publication days of the few articles behind the key incidents."""
    recent = query("milestones", filters, latest=RECENT_MILESTONES)
    if len(export.key_milestones(recent)) < export.KEY_MILESTONES and milestones > len(recent):
        recent = query("milestones", filters)
    ids = export.key_incidents(incidents)["latest_article_id"].astype(int).tolist() if not incidents.empty else []
    published = pd.DataFrame(list(store.published_dates(ids).items()), columns=["id", "published"])
    return export.key_sentences(incidents, recent, published)


def _table_row(label: str, name: str, rows: str, load: Callable[[], pd.DataFrame]) -> None:
    cols = st.columns([3, 1, 1, 1], vertical_alignment="center")
    cols[0].markdown(f"**{label}** · {rows}")
    for col, (ext, (fmt, mime, convert)) in zip(cols[1:], TABLE_FORMATS.items(), strict=True):
        col.download_button(
            fmt, data=lambda convert=convert: convert(load()), file_name=f"{name}_{_stamp()}.{ext}", mime=mime,
            key=f"brief_{name}_{ext}", on_click="ignore", icon=":material/download:", width="stretch",
        )


def render() -> None:
    filters = sidebar_filters()
    st.title("Export & briefing")
    summary = query("summary", filters)  # counted in the database: the articles and milestones are read when a file is asked for
    if summary["articles"] == 0:
        empty_state("No articles match these filters, so there is nothing to export. Widen the dates or clear a filter in the sidebar, or add articles on the Ingest page.")
        return
    store = get_store()
    actors = query("actors", filters)
    incidents = query("incidents", filters)
    totals = totals_of(incidents)  # casualty_totals' figures, from the incidents already read
    counts = query("milestone_counts", filters)
    tracks = query("tracks", filters)
    if not tracks.empty:
        tracks = tracks.assign(label=tracks.apply(track_label, axis=1))
    st.caption("Everything here follows the filters in the sidebar: the files hold this view and nothing else.")

    headline = export.headline_counts(summary["articles"], totals, incidents, summary["milestones"], tracks, actors)
    cols = st.columns(len(headline))
    for col, (label, value) in zip(cols, headline, strict=True):
        metric(col, label, value, headline_evidence(label), key=f"ev_brief_{label.lower().replace(' ', '_')}")
    open_asked(filters)
    span = export.span_text(*query("published_span", filters))
    if span:
        st.caption(f"Articles published {span}.")

    st.subheader("Briefing")
    st.write("Headline figures, the charts below and the key sentences with their sources, as one file to paste into a report.")
    title = st.text_input("Title", value="Briefing", max_chars=200, key="brief_title")
    charts = export.chart_names(actors, incidents, counts, tracks)

    def briefing() -> export.Briefing:
        return export.build_briefing(filters, articles=store.articles(filters), totals=totals, actors=actors, incidents=incidents,
                                     milestones=store.milestones(filters), tracks=tracks, title=title.strip() or "Briefing")

    left, right, _ = st.columns([1, 1, 2])
    left.download_button("Briefing (HTML)", data=lambda: export.briefing_html(briefing()), file_name=f"briefing_{_stamp()}.html",
                         mime="text/html", key="brief_html", on_click="ignore", icon=":material/description:", type="primary", width="stretch")
    right.download_button("Briefing (PDF)", data=lambda: export.briefing_pdf(briefing()), file_name=f"briefing_{_stamp()}.pdf",
                          mime="application/pdf", key="brief_pdf", on_click="ignore", icon=":material/picture_as_pdf:", width="stretch")
    sentences = _key_sentences(store, filters, incidents, summary["milestones"])
    if sentences:
        with st.expander(f"The briefing's {len(sentences)} key sentences"):
            st.dataframe(
                pd.DataFrame([{"about": s.about, "sentence": s.sentence, "title": s.title, "outlet": s.source, "published": s.published}
                              for s in sentences]),
                hide_index=True, placeholder=MISSING, width="stretch",
                column_config={"sentence": st.column_config.TextColumn("Sentence", width="large"),
                               "published": st.column_config.DateColumn("Published")},
            )

    st.subheader("Tables")
    _table_row("Actors", "actors", f"{len(actors):,} rows", lambda: actors)
    _table_row("Incidents", "incidents", f"{len(incidents):,} rows (one per incident and kind)", lambda: incidents)
    if not incidents.empty and incidents["lat"].notna().any():
        cols = st.columns([3, 3], vertical_alignment="center")
        cols[0].markdown("**Incidents on a map** · GeoJSON points, for a GIS")
        cols[1].download_button("GeoJSON", data=lambda: export.incidents_to_geojson(incidents), file_name=f"incidents_{_stamp()}.geojson",
                                mime="application/geo+json", key="brief_incidents_geojson", on_click="ignore", icon=":material/download:",
                                width="stretch")
    _table_row("Casualty figures", "casualty_figures", "every reported figure with its sentence", _casualty_figures(store, filters))
    _table_row("Milestones", "milestones", f"{summary['milestones']:,} rows", lambda: store.milestones(filters))
    _table_row("Negotiation tracks", "tracks", f"{len(tracks):,} rows", lambda: tracks)
    _table_row("Articles", "articles", f"{summary['articles']:,} rows", lambda: store.articles(filters))

    st.subheader("Charts")
    if not charts:
        empty_state("No charts for this view: it has no actors, casualty figures or milestones.")
    for name in charts:
        cols = st.columns([3, 1, 1], vertical_alignment="center")
        cols[0].markdown(f"**{export.CHART_TITLES.get(name, name)}**")
        for col, (ext, (fmt, mime, convert)) in zip(cols[1:], CHART_FORMATS.items(), strict=True):
            col.download_button(fmt, data=lambda name=name, convert=convert: convert(export.build_chart(name, actors, incidents, store.milestones(filters), tracks)),
                                file_name=f"{name}_{_stamp()}.{ext}", mime=mime,
                                key=f"brief_chart_{name}_{ext}", on_click="ignore", icon=":material/image:", width="stretch")
