"""Evidence in place: a headline number, a bar, a map point or a table row opens a panel listing
the items behind it, and under the list the chosen item's article, scrolled to its sentence with
the figure marked. From any number it is two clicks at most: the control opens the panel with
the first item's sentence already in view; a click on another row shows that one's."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from ..store import Filters
from . import articles
from .common import FILTER_KEYS, get_store, plain, query
from .highlight import focus_of, highlight_html, scroll_script, spans_of

PENDING = "_evidence_request"
ROW_LIMIT = 500  # rows listed in the panel (figures, incidents, milestones, articles, actors); the rest are a filter away
UNKNOWN_PLACE = "unknown place"  # how the charts name incidents without a place
TEXT_HEIGHT = 340  # px of article text in the panel; the sentence is scrolled to the middle of it
READER = st.Page(articles.render, title="Articles", icon=":material/article:", url_path="articles")


@dataclass(frozen=True)
class Evidence:
    """What a control stands for. `what` names the items behind it: totals (the figures a casualty
    total adds up, narrowed by kind, day or place), incidents, incident (every report of one),
    milestones, tracks, articles, actors, item (one figure or milestone, given as `item`), mentions (each
    place the articles name the `actors`, in the articles of the days of `period` if given) or
    trend (the incidents dated in `period` in the `keys`, countries or places as `unit` says:
    their figures of `kind`, or without a kind one row per incident)."""

    what: str
    title: str
    kind: str | None = None
    day: date | None = None
    place: str | None = None
    incident_id: int | None = None
    status: str | None = None
    track_id: int | None = None
    item: tuple[int, int, int, str, str] | None = None  # article id, start, end, sentence, label
    actors: tuple[str, ...] = ()  # canonical names
    period: tuple[date, date] | None = None  # first and last day
    unit: str | None = None  # "country" or "location": what `keys` name
    keys: tuple[str, ...] = ()


def counted(n: int, noun: str) -> str:
    """'1 incident', '12 incidents'."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def ask(evidence: Evidence) -> None:
    """Open the panel for `evidence` on this run (a callback: it runs before the page is drawn)."""
    st.session_state[PENDING] = evidence


def metric(container: Any, label: str, value: str, evidence: Evidence, key: str, help: str | None = None) -> None:
    """A headline number with its "Show evidence" control right under it."""
    container.metric(label, value, help=help)
    container.button("Show evidence", key=key, on_click=ask, args=(evidence,), type="tertiary", icon=":material/format_quote:",
                     help=f"What {label.lower()} counts, item by item, and each one's sentence in its article")


def on_pick(key: str, to_evidence: Callable[[dict[str, Any]], Evidence | None]) -> Callable[[], None]:
    """An on_select callback for a chart: the clicked point (its fields) opens its evidence."""

    def callback() -> None:
        selection = (st.session_state.get(key) or {}).get("selection") or {}
        for points in selection.values():
            if isinstance(points, list) and points and (evidence := to_evidence(points[0])) is not None:
                ask(evidence)
                return

    return callback


PICK_ROW = ["single-row", "single-cell"]  # a table's selection mode: a click on a row's box or on any of its cells picks it


def picked_row(state: Any) -> int | None:
    """The row a table's selection state picks (a cell picks its row), or None."""
    selection = (state or {}).get("selection") or {}
    cells, rows = selection.get("cells") or [], selection.get("rows") or []
    return int(cells[0][0]) if cells else int(rows[0]) if rows else None


def on_row(key: str, table: pd.DataFrame, to_evidence: Callable[[pd.Series], Evidence | None]) -> Callable[[], None]:
    """An on_select callback for a table (selection_mode=PICK_ROW): the picked row opens its evidence."""

    def callback() -> None:
        row = picked_row(st.session_state.get(key))
        if row is not None and row < len(table) and (evidence := to_evidence(table.iloc[row])) is not None:
            ask(evidence)

    return callback


def item_evidence(title: str, row: Any, label: str) -> Evidence:
    """One stored item (a row with article_id, start, end, sentence) as evidence."""
    return Evidence("item", title, item=(int(row["article_id"]), int(row["start"]), int(row["end"]), str(row["sentence"] or ""), label))


def milestone_evidence(milestones: pd.DataFrame, milestone_id: Any) -> Evidence | None:
    """One milestone of a `milestones` read (by id) as evidence: its sentence is the span marked."""
    rows = milestones[milestones["id"] == milestone_id]
    if rows.empty:
        return None
    row = rows.iloc[0]
    return item_evidence("Milestone", row, f"{str(row['kind']).replace('_', ' ')} ({row['status']})")


def open_asked(filters: Filters) -> None:
    """The panel, when a control asked for it on this run (call once per page, after the filters)."""
    evidence = st.session_state.pop(PENDING, None)
    if isinstance(evidence, Evidence):
        st.dialog(f"Evidence: {evidence.title}", width="large")(panel)(evidence, filters)


def rows_key(evidence: Evidence, filters: Filters) -> str:
    """The key of a panel's list: its own for each number and view, so a row chosen for one is not chosen for another."""
    return "evidence_rows_" + hashlib.sha256(repr((evidence, filters)).encode()).hexdigest()[:12]


def panel(evidence: Evidence, filters: Filters) -> None:
    """The items behind a number, and the chosen one's sentence in its article."""
    rows, caption, columns = evidence_rows(evidence, filters)
    if rows.empty:
        st.info(f"Nothing is behind this{' in the period' if evidence.period else ''} under the current filters.")
        return
    st.caption(caption)
    picked = 0
    if len(rows) > 1:
        key = rows_key(evidence, filters)
        st.dataframe(rows, column_order=list(columns), hide_index=True, width="stretch", height=min(36 + 35 * len(rows), 216), key=key,
                     on_select="rerun", selection_mode=PICK_ROW, selection_default={"selection": {"rows": [0]}}, column_config=columns)
        chosen = picked_row(st.session_state.get(key))
        picked = chosen if chosen is not None and chosen < len(rows) else 0
    located = locate(evidence, rows.iloc[picked], filters)
    if located is None:
        st.info("No place in an article is recorded for this item.")
    else:
        show_in_article(*located)
    if evidence.what == "mentions" and len(evidence.actors) == 1 and st.button(
            "Narrow every page to this actor", key="evidence_narrow", on_click=narrow_to_actor, args=(evidence.actors[0],),
            type="tertiary", icon=":material/filter_alt:"):
        st.rerun()  # the whole page, with the sidebar's filter set


def narrow_to_actor(name: str) -> None:
    """The sidebar's Actors filter (every page's) set to one actor."""
    st.session_state["actor"] = [name]


def _totals(evidence: Evidence, filters: Filters) -> tuple[pd.DataFrame, str]:
    unknown = evidence.place == UNKNOWN_PLACE  # the bar of incidents with no place
    rows = query("totals_evidence", filters, kind=evidence.kind, day=evidence.day, place=None if unknown else evidence.place,
                 incident_id=evidence.incident_id)
    if unknown:
        rows = rows[rows["location"].isna()]
    what = evidence.kind or "people killed, wounded, missing, abducted or arrested"
    where = f" on {evidence.day.isoformat()}" if evidence.day else (f" in {plain(evidence.place)}" if evidence.place else "")
    caption = (f"{int(rows['count'].sum()):,} {what}{where}, from {counted(rows['incident_id'].nunique(), 'incident')}: each incident counted "
               "once, at its newest report; largest first. Choose a row to read its sentence.")
    return rows.assign(label=rows["kind"] + ": " + rows["count"].astype(str)), caption


def _incident(evidence: Evidence) -> tuple[pd.DataFrame, str]:
    rows = get_store().incident_sources(int(evidence.incident_id or 0)).iloc[::-1].reset_index(drop=True)
    rows = rows.sort_values("in_totals", ascending=False, kind="stable").reset_index(drop=True)
    rows = rows.assign(label=rows["kind"] + ": " + rows["count"].astype(str),
                       counts=rows["in_totals"].map({True: "in the totals", False: "an earlier report"}))
    caption = (f"{counted(rows['article_id'].nunique(), 'report')} of this incident. The newest report of each kind is the one in the "
               "totals; the others are earlier or other outlets' figures. Choose a row to read its sentence.")
    return rows, caption


def _milestones(evidence: Evidence, filters: Filters) -> tuple[pd.DataFrame, str]:
    rows = query("milestones", filters).iloc[::-1]
    for column in ("kind", "status", "track_id"):
        if getattr(evidence, column) is not None:
            rows = rows[rows[column] == getattr(evidence, column)]
    if evidence.period is not None:  # a milestone's own date, else its article's, as Trends reads the period
        days = pd.to_datetime(rows["date"], errors="coerce").dt.date
        rows = rows[(days >= evidence.period[0]) & (days <= evidence.period[1])]
    rows = rows.head(ROW_LIMIT).reset_index(drop=True)
    rows = rows.assign(parties=rows["parties"].map(lambda p: ", ".join(p) if isinstance(p, list) else ""),
                       label=rows["kind"].str.replace("_", " ") + " (" + rows["status"] + ")")
    return rows, f"{counted(len(rows), 'milestone')}{' (the newest)' if len(rows) == ROW_LIMIT else ''}, newest first. Choose a row to read its sentence."


def within(filters: Filters, period: tuple[date, date] | None) -> Filters:
    """The filters narrowed to the days of `period` (the days of articles, as the date filter reads them)."""
    if period is None:
        return filters
    start, end = period
    return replace(filters, date_from=max(filters.date_from or start, start), date_to=min(filters.date_to or end, end))


def _period_words(period: tuple[date, date] | None) -> str:
    if period is None:
        return ""
    start, end = period
    return f" on {start.isoformat()}" if start == end else f" from {start.isoformat()} to {end.isoformat()}"


def _named(names: list[str], nouns: str, shown: int = 8) -> str:
    """'Arvania' or '3 countries (Arvania, Belmora, Corsena)', escaped for Markdown."""
    if len(names) == 1:
        return plain(names[0])
    listed = ", ".join(plain(n) for n in names[:shown]) + (", …" if len(names) > shown else "")
    return f"{len(names):,} {nouns} ({listed})"


def _mentions(evidence: Evidence, filters: Filters) -> tuple[pd.DataFrame, str]:
    """Each place the articles name the actors, with its sentence; the caption's counts are the ones
    the Actors page and Trends show for them (mentions, and the articles naming each)."""
    narrowed = within(filters, evidence.period)
    rows = query("actor_mention_sentences", narrowed, names=evidence.actors, limit=ROW_LIMIT)
    actors = query("actors", narrowed)
    actors = actors[actors["name"].isin(evidence.actors)]
    mentions, when = int(actors["mentions"].sum()), _period_words(evidence.period)
    if len(actors) == 1:
        who = f"{plain(actors.iloc[0]['name'])} in {counted(int(actors.iloc[0]['articles']), 'article')}"
    else:
        who = _named([f"{n}: {counted(int(a), 'article')}" for n, a in zip(actors["name"], actors["articles"], strict=True)], "actors")
    shown = f" (the first {len(rows):,})" if len(rows) < mentions else ""
    caption = f"{counted(mentions, 'mention')} of {who}{when}{shown}, newest articles first. Choose a row to read the sentence."
    return rows.assign(label=rows["name"] + " (" + rows["kind"] + ")"), caption


def _trend(evidence: Evidence, filters: Filters) -> tuple[pd.DataFrame, str]:
    """The incidents dated in the period in the countries or places of a Trends row or level."""
    start, end = evidence.period or (None, None)
    where = {"countries": evidence.keys} if evidence.unit == "country" else {"locations": evidence.keys}
    rows = query("figures_in_period", filters, date_from=start, date_to=end, kind=evidence.kind, **where)
    place = _named(list(evidence.keys), "countries" if evidence.unit == "country" else "places")
    incidents = counted(rows["incident_id"].nunique(), "incident")
    if evidence.kind is None:
        rows = rows.sort_values(["incident_id", "count"], ascending=False).drop_duplicates("incident_id")
        rows = rows.sort_values(["count", "incident_id"], ascending=False)
        caption = f"{incidents} in {place}{_period_words(evidence.period)}, each with its largest figure at its newest report."
    else:
        caption = (f"{int(rows['count'].sum()):,} {evidence.kind} in {place}{_period_words(evidence.period)}, from {incidents}: each "
                   "incident counted once, at its newest report; largest first.")
    rows = rows.reset_index(drop=True)
    return rows.assign(label=rows["kind"] + ": " + rows["count"].astype(str)), caption + " Choose a row to read its sentence."


def _tracks(filters: Filters) -> tuple[pd.DataFrame, str]:
    rows = query("tracks", filters).head(ROW_LIMIT).reset_index(drop=True)
    rows = rows.assign(parties=rows["parties"].map(lambda p: ", ".join(p) if isinstance(p, list) else ""), kind=rows["kind"].str.replace("_", " "))
    return rows, (f"{counted(len(rows), 'negotiation track')}{' (the latest)' if len(rows) == ROW_LIMIT else ''}, latest first. "
                  "Choose a row to read its latest milestone's sentence.")


def _latest_milestone(track_id: int, filters: Filters) -> tuple[int, int | None, int | None, str | None, str] | None:
    """Where a track's latest milestone (the one that gives its status) is, under the filters."""
    milestones = query("milestones", filters)
    mine = milestones[milestones["track_id"] == track_id]
    if mine.empty:
        return None
    row = mine.sort_values(["date", "id"], kind="stable", na_position="first").iloc[-1]
    return int(row["article_id"]), int(row["start"]), int(row["end"]), row["sentence"], f"{str(row['kind']).replace('_', ' ')} ({row['status']})"


COLUMNS: dict[str, dict[str, Any]] = {
    "totals": {"count": st.column_config.NumberColumn("People"), "kind": "Kind", "location": "Place",
               "date": st.column_config.DateColumn("Date"), "title": st.column_config.TextColumn("Article", width="large"), "source": "Outlet"},
    "incident": {"count": st.column_config.NumberColumn("People"), "kind": "Kind", "counts": "Counts",
                 "published": st.column_config.DateColumn("Published"), "title": st.column_config.TextColumn("Article", width="large"),
                 "source": "Outlet"},
    "milestones": {"date": st.column_config.DateColumn("Date"), "kind": "Kind", "status": "Status", "parties": "Parties",
                   "title": st.column_config.TextColumn("Article", width="large")},
    "tracks": {"parties": "Parties", "kind": "Kind", "status": "Status", "last_date": st.column_config.DateColumn("Latest"),
               "milestones": st.column_config.NumberColumn("Milestones"), "sources": st.column_config.NumberColumn("Sources")},
    "articles": {"day": st.column_config.DateColumn("Date"), "title": st.column_config.TextColumn("Article", width="large"), "source": "Outlet"},
    "actors": {"name": "Actor", "kind": "Kind", "country": "Country", "articles": st.column_config.NumberColumn("Articles"),
               "mentions": st.column_config.NumberColumn("Mentions")},
    "item": {"label": "Item", "title": st.column_config.TextColumn("Article", width="large")},
    "mentions": {"day": st.column_config.DateColumn("Date"), "name": "Actor", "sentence": st.column_config.TextColumn("Sentence", width="large"),
                 "title": st.column_config.TextColumn("Article"), "source": "Outlet"},
    "trend": {"count": st.column_config.NumberColumn("People"), "kind": "Kind", "location": "Place", "country": "Country",
              "date": st.column_config.DateColumn("Date"), "title": st.column_config.TextColumn("Article", width="large"), "source": "Outlet"},
}


def evidence_rows(evidence: Evidence, filters: Filters) -> tuple[pd.DataFrame, str, dict[str, Any]]:
    """The items behind `evidence` (one row each), a sentence saying what they are, and the columns to show."""
    what = evidence.what
    if what in ("totals", "incidents"):
        rows, caption = _totals(evidence, filters)
        if what == "incidents":
            rows = rows.sort_values(["incident_id", "count"], ascending=False).drop_duplicates("incident_id").reset_index(drop=True)
            caption = f"{counted(len(rows), 'incident')}, each with its largest figure at its newest report. Choose a row to read its sentence."
        if len(rows) > ROW_LIMIT:  # the caption counts them all; the browser is sent what a reader can scan
            caption += f" The {'latest' if what == 'incidents' else 'largest'} {ROW_LIMIT:,} are listed; narrow the filters for the others."
        return rows.head(ROW_LIMIT).reset_index(drop=True), caption, COLUMNS["totals"]
    if what == "incident":
        rows, caption = _incident(evidence)
    elif what == "mentions":
        rows, caption = _mentions(evidence, filters)
    elif what == "trend":
        rows, caption = _trend(evidence, filters)
    elif what == "milestones":
        rows, caption = _milestones(evidence, filters)
    elif what == "tracks":
        rows, caption = _tracks(filters)
    elif what == "articles":
        rows = query("articles", filters).head(ROW_LIMIT).reset_index(drop=True)
        caption = f"{counted(len(rows), 'article')}{' (the newest)' if len(rows) == ROW_LIMIT else ''}, newest first. Choose a row to read it."
    elif what == "actors":
        rows = query("actors", filters).head(ROW_LIMIT).reset_index(drop=True)
        caption = "Actors by mentions. Choose a row to read where the article that names it most names it first."
    else:
        article_id, start, end, sentence, label = evidence.item or (0, 0, 0, "", "")
        title = (get_store().article(article_id) or {}).get("title") or "(untitled)"
        rows = pd.DataFrame([{"article_id": article_id, "start": start, "end": end, "sentence": sentence, "label": label, "title": title}])
        caption = "The item and its sentence, marked in its article."
    return rows, caption, COLUMNS[what]


def locate(evidence: Evidence, row: pd.Series, filters: Filters) -> tuple[int, int | None, int | None, str | None, str] | None:
    """Where a listed row's item is: (article, start, end, sentence, label); an article alone has no span."""
    if evidence.what == "articles":
        return int(row["id"]), None, None, None, ""
    if evidence.what == "tracks":
        return _latest_milestone(int(row["track_id"]), filters)
    if evidence.what == "actors":
        named = query("actor_mentions", filters, name=str(row["name"]))
        if named.empty:
            return None
        spans = sorted(tuple(s) for s in (named.iloc[0]["spans"] or []))
        start, end = spans[0] if spans else (None, None)
        return int(named.iloc[0]["article_id"]), start, end, None, f"{row['name']} ({row['kind']})"
    label = str(row.get("label") or "")
    if pd.isna(row["start"]) or pd.isna(row["end"]):  # a mention whose place in the text is not recorded
        return int(row["article_id"]), None, None, None, label
    return int(row["article_id"]), int(row["start"]), int(row["end"]), row.get("sentence"), label


def reader_address(article_id: int, start: int | None = None, end: int | None = None) -> dict[str, Any]:
    """The Articles reader's address for an article (and the span to mark), keeping the filters."""
    params: dict[str, Any] = {k: st.query_params.get_all(k) for k in st.query_params if k in (*FILTER_KEYS, "dates")}
    params["article"] = str(int(article_id))
    if start is not None and end is not None:
        params["span"] = f"{int(start)}-{int(end)}"
    return params


def show_in_article(article_id: int, start: int | None, end: int | None, sentence: str | None, label: str) -> None:
    """The article's text (escaped) in a box, the item's sentence shaded and its figure marked and scrolled into view."""
    store = get_store()
    article = store.article(article_id)
    extraction = store.extraction(article_id)
    if article is None or extraction is None:
        st.warning(f"Article #{article_id} is no longer in the database.")
        return
    meta = " · ".join(plain(x) for x in [article["source"], article["published"]] if x)
    st.markdown(f"**{plain(article['title']) if article['title'] else '(untitled)'}**" + (f" · {meta}" if meta else ""))
    focus = None
    if start is not None and end is not None:
        focus = focus_of(article["text"], start, end, sentence, f"evidence-{article_id}-{start}-{end}", label or "the evidence")
    with st.container(height=TEXT_HEIGHT, key="evidence_text"):
        st.html(highlight_html(article["text"], spans_of(extraction), focus))
    if focus is not None:
        st.html(scroll_script(focus.anchor), unsafe_allow_javascript=True)
    st.page_link(READER, label="Open in the Articles reader, to read it all or correct it", icon=":material/article:",
                 query_params=reader_address(article_id, start, end))
