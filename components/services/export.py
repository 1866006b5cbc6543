"""Exports of a view: tables as CSV, Excel and JSON; charts as PNG and SVG; a briefing as HTML and PDF.

No Streamlit here: the pages hand DataFrames and charts in and get bytes out, and the tests
call the same functions. Charts are rendered by vl-convert (Vega in an embedded JavaScript
engine), so no browser is needed.

Everything that came from an article (titles, outlets, sentences, actor and place names) is
untrusted: it is HTML-escaped in the briefing, escaped for reportlab's paragraph markup in the
PDF, never written as an Excel formula, and prefixed so that a spreadsheet opening the CSV
does not run it as one.
"""

from __future__ import annotations

import html
import io
import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape

import altair as alt
import pandas as pd

from .. import charts
from ..charts.maps import incident_map, incident_points
from ..store import Filters

APP_NAME = "Conflict & Diplomacy Monitor"

# -- tables ---------------------------------------------------------------------------------------

# A cell starting with one of these is run as a formula by spreadsheet programs (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Excel refuses these control characters in cells (openpyxl raises IllegalCharacterError).
_ILLEGAL_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_XLSX_MAX_CELL = 32_767
_XLSX_MAX_ROWS = 1_048_575  # one row of the sheet is the header


def _is_missing(value: Any) -> bool:
    if value is None or value is pd.NaT:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    try:
        return bool(pd.isna(value)) if not isinstance(value, (list, tuple, dict, set)) else False
    except (TypeError, ValueError):
        return False


def _joined(value: Any) -> Any:
    """Lists (a milestone's parties) as 'a, b' for flat formats."""
    if isinstance(value, (list, tuple, set)):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def _flat(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for column in out.columns:
        if out[column].dtype == object:
            out[column] = out[column].map(_joined)
    return out


def _defuse_formula(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def table_to_csv(df: pd.DataFrame) -> bytes:
    """UTF-8 CSV with a byte-order mark (so Excel reads accents and Cyrillic right).

    Text cells that a spreadsheet would run as a formula get a leading apostrophe.
    """
    out = _flat(df)
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(_defuse_formula)
    return out.to_csv(index=False).encode("utf-8-sig")


def _json_value(value: Any) -> Any:
    if isinstance(value, (list, tuple, set)):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    if _is_missing(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat() if value == value.normalize() and value.tzinfo is None else value.isoformat()
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def table_records(df: pd.DataFrame) -> list[dict[str, Any]]:
    columns = [str(c) for c in df.columns]
    return [dict(zip(columns, (_json_value(v) for v in row), strict=True)) for row in df.itertuples(index=False, name=None)]


def table_to_json(df: pd.DataFrame) -> bytes:
    """A JSON array of row objects: ISO dates, null for missing values, lists kept as lists."""
    return json.dumps(table_records(df), ensure_ascii=False, indent=1).encode("utf-8")


def incidents_to_geojson(incidents: pd.DataFrame) -> bytes:
    """The located incidents as a GeoJSON FeatureCollection: one Point per incident (longitude,
    latitude), with its place, country, dates, each kind's latest count and the range reported,
    the number of sources and the latest report. Incidents with no coordinates are left out
    (the CSV has them)."""
    features = []
    located = incidents[incidents["lat"].notna() & incidents["lon"].notna()] if not incidents.empty else incidents
    for incident_id, rows in located.groupby("incident_id", sort=True):
        first = rows.iloc[0]
        properties: dict[str, Any] = {
            "incident": int(incident_id), "place": _json_value(first["location"]), "country": _json_value(first["country"]),
            "date": _json_value(first["date"]), "last_date": _json_value(first.get("last_date")),
            "sources": int(rows["sources"].max()), "latest_report": _json_value(first.get("latest_title")),
        }
        for row in rows.itertuples():
            properties[row.kind] = int(row.latest)
            properties[f"{row.kind}_low"], properties[f"{row.kind}_high"] = int(row.low), int(row.high)
        features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [float(first["lon"]), float(first["lat"])]},
                         "properties": properties})
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False, indent=1).encode("utf-8")


def _xlsx_value(value: Any) -> Any:
    value = _joined(value)
    if _is_missing(value):
        return None
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, datetime) and value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, str):
        value = _ILLEGAL_XLSX.sub("", value)[:_XLSX_MAX_CELL]
    return value


def table_to_excel(df: pd.DataFrame, sheet: str = "data") -> bytes:
    """An .xlsx workbook; a table longer than one sheet continues on the next ('data (2)'...)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    header_font = Font(bold=True)
    columns = [str(c) for c in df.columns]
    rows = df.itertuples(index=False, name=None)
    part = 0
    while True:
        part += 1
        ws = workbook.create_sheet(title=sheet[:31] if part == 1 else f"{sheet[:25]} ({part})")
        ws.freeze_panes = "A2"
        header = []
        for name in columns:
            cell = WriteOnlyCell(ws, value=name)
            cell.font = header_font
            cell.data_type = "s"
            header.append(cell)
        ws.append(header)
        written = 0
        for row in rows:
            cells = [_xlsx_value(value) for value in row]
            for i, value in enumerate(cells):
                if isinstance(value, str) and value.startswith("="):  # text, never a formula
                    cell = WriteOnlyCell(ws, value=value)
                    cell.data_type = "s"
                    cells[i] = cell
            ws.append(cells)
            written += 1
            if written == _XLSX_MAX_ROWS:
                break
        if written < _XLSX_MAX_ROWS:
            break
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# -- charts ---------------------------------------------------------------------------------------

def _vl_version() -> str | None:
    import vl_convert

    wanted = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
    return wanted if wanted in vl_convert.get_vegalite_versions() else None


def _spec(chart: alt.TopLevelMixin) -> str:
    """The Vega-Lite JSON; the store's dates (Python `date`s in the inline data) as ISO strings."""
    return json.dumps(chart.to_dict(), default=_json_value)


def chart_to_svg(chart: alt.TopLevelMixin) -> bytes:
    """The chart as a standalone SVG document. Data is inline; no URL is ever fetched."""
    import vl_convert

    return vl_convert.vegalite_to_svg(_spec(chart), vl_version=_vl_version(), allowed_base_urls=[]).encode("utf-8")


def chart_to_png(chart: alt.TopLevelMixin, scale: float = 2.0) -> bytes:
    import vl_convert

    return bytes(vl_convert.vegalite_to_png(_spec(chart), vl_version=_vl_version(), scale=scale, allowed_base_urls=[]))


# The charts of a view, capped so that a store of any size gives a readable, small chart.
MARK_LIMIT = 500  # distinct points on a timeline; beyond it the timeline shows the latest ones
TRACK_LIMIT = 12  # negotiation tracks (lanes)
DAILY_LIMIT = 4000  # (day, kind) bars before the incidents chart switches to weeks


def track_label(row: Mapping[str, Any]) -> str:
    """The same label the Negotiations page gives a track."""
    parties = row.get("parties")
    names = " – ".join(parties) if isinstance(parties, (list, tuple)) and parties else "unnamed parties"
    return f"{names} {str(row.get('kind', '')).replace('_', ' ')} (#{row.get('track_id')})"


def latest_marks(milestones: pd.DataFrame, keys: list[str], limit: int | None = None) -> tuple[pd.DataFrame, Any]:
    """At most `limit` distinct marks, the latest ones, and the first day shown when some were left out.

    Milestones that would draw the same point (same keys) are one mark: the latest report's
    tooltip stands for them, so nothing visible is lost until the limit cuts by date.
    """
    limit = MARK_LIMIT if limit is None else limit
    ordered = milestones.assign(_day=pd.to_datetime(milestones["date"], errors="coerce"))
    ordered = ordered.sort_values("_day", ascending=False, na_position="last", kind="stable").drop_duplicates(keys)
    if len(ordered) <= limit:
        return ordered.drop(columns="_day"), None
    kept = ordered.head(limit)
    since = kept["_day"].min()
    return kept.drop(columns="_day"), (since.date() if not pd.isna(since) else None)


CHART_WIDTH = 620  # px: a page of a report; the dashboard's charts stretch to the container instead


def _lanes(tracks: pd.DataFrame) -> pd.DataFrame:
    lanes = tracks.sort_values(["last_date", "milestones"], ascending=False, na_position="last").head(TRACK_LIMIT)
    if "label" not in lanes.columns:
        lanes = lanes.assign(label=[track_label(r) for r in lanes.to_dict("records")])
    return lanes


def chart_names(actors: pd.DataFrame, incidents: pd.DataFrame, milestones: pd.DataFrame, tracks: pd.DataFrame) -> list[str]:
    """Which main charts the view has, without building them (a page lists them; files are made on click)."""
    names = []
    if not actors.empty:
        names.append("top_actors")
    if not incidents.empty:
        names += ["incidents_over_time", "incidents_by_place"]
        if incidents["lat"].notna().any():
            names.append("incident_map")
    if not milestones.empty and not tracks.empty and milestones["track_id"].isin(_lanes(tracks)["track_id"]).any():
        names.append("track_timeline")
    if not milestones.empty:
        names.append("milestone_timeline")
    return names


def build_chart(name: str, actors: pd.DataFrame, incidents: pd.DataFrame, milestones: pd.DataFrame, tracks: pd.DataFrame) -> alt.TopLevelMixin:
    """One main chart of the view (a name from `chart_names`), sized for a report."""
    chart: alt.TopLevelMixin
    if name == "top_actors":
        chart = charts.top_actors_bar(actors, top=15)
    elif name == "incidents_over_time":
        if incidents.groupby(["date", "kind"]).ngroups > DAILY_LIMIT:
            weekly = incidents.assign(date=pd.to_datetime(incidents["date"]).dt.to_period("W").dt.start_time)
            chart = charts.incidents_over_time(weekly).properties(title="Casualties per week (each incident once)")
        else:
            chart = charts.incidents_over_time(incidents)
    elif name == "incidents_by_place":
        chart = charts.incidents_by_place(incidents)
    elif name == "incident_map":
        chart = incident_map(incident_points(incidents), clickable=False)
    elif name == "track_timeline":
        lanes = _lanes(tracks)
        on_lanes, since = latest_marks(milestones[milestones["track_id"].isin(lanes["track_id"])], ["track_id", "date", "status"])
        chart = charts.track_timeline(on_lanes, lanes)
        notes = []
        if len(tracks) > len(lanes):
            notes.append(f"the {len(lanes)} latest of {len(tracks):,}")
        if since is not None:
            notes.append(f"since {since.isoformat()}")
        if notes:
            chart = chart.properties(title=f"Negotiation tracks ({', '.join(notes)})")
    elif name == "milestone_timeline":
        shown, since = latest_marks(milestones, ["date", "kind", "status"])
        chart = charts.milestone_timeline(shown)
        if since is not None:
            chart = chart.properties(title=f"Negotiation milestones (since {since.isoformat()})")
    else:
        raise KeyError(f"no chart named {name!r}: {', '.join(CHART_TITLES)}")
    return chart.properties(width=CHART_WIDTH)


def main_charts(actors: pd.DataFrame, incidents: pd.DataFrame, milestones: pd.DataFrame, tracks: pd.DataFrame) -> dict[str, alt.TopLevelMixin]:
    """The view's main charts by name, built with the dashboard's own builders. Empty inputs give no chart."""
    return {name: build_chart(name, actors, incidents, milestones, tracks) for name in chart_names(actors, incidents, milestones, tracks)}


CHART_TITLES = {
    "top_actors": "Most mentioned actors",
    "incidents_over_time": "Casualties over time",
    "incidents_by_place": "Casualties by place",
    "incident_map": "Where (map)",
    "track_timeline": "Negotiation tracks",
    "milestone_timeline": "Negotiation milestones",
}


# -- the briefing ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class KeySentence:
    """A sentence that carries a headline fact, with where it was reported."""

    about: str
    sentence: str
    title: str | None = None
    source: str | None = None
    published: date | None = None


@dataclass
class Briefing:
    title: str
    view: list[tuple[str, str]]  # the filters that define the view, as (label, value)
    headline: list[tuple[str, str]]  # (label, formatted figure)
    charts: dict[str, alt.TopLevelMixin] = field(default_factory=dict)
    sentences: list[KeySentence] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    generated_at: datetime = field(default_factory=lambda: datetime.now(UTC))


def describe_filters(filters: Filters) -> list[tuple[str, str]]:
    """The view in words: every filter, 'all' where it does not restrict."""

    def listed(values: Iterable[str]) -> str:
        values = list(values)
        return ", ".join(values) if values else "all"

    if filters.date_from or filters.date_to:
        span = f"{filters.date_from.isoformat() if filters.date_from else '…'} to {filters.date_to.isoformat() if filters.date_to else '…'}"
    else:
        span = "all dates"
    return [
        ("Published", span),
        ("Countries", listed(filters.countries)),
        ("Actors", listed(filters.actors)),
        ("Outlets", listed(filters.sources)),
        ("Casualty kinds", listed(filters.casualty_kinds)),
        ("Milestone kinds", listed(filters.milestone_kinds)),
        ("Statuses", listed(filters.statuses)),
    ]


def headline_figures(articles: pd.DataFrame, totals: Mapping[str, int], incidents: pd.DataFrame, milestones: pd.DataFrame,
                     tracks: pd.DataFrame, actors: pd.DataFrame) -> list[tuple[str, str]]:
    """The figures at the top of a briefing, as the Overview page counts them."""
    return headline_counts(len(articles), totals, incidents, len(milestones), tracks, actors)


def headline_counts(articles: int, totals: Mapping[str, int], incidents: pd.DataFrame, milestones: int,
                    tracks: pd.DataFrame, actors: pd.DataFrame) -> list[tuple[str, str]]:
    """`headline_figures` from the numbers of articles and milestones (counted in the database by a page)."""
    figures = [
        ("Articles", f"{articles:,}"),
        ("Incidents", f"{incidents['incident_id'].nunique() if not incidents.empty else 0:,}"),
        ("Killed", f"{int(totals.get('killed', 0)):,}"),
        ("Wounded", f"{int(totals.get('wounded', 0)):,}"),
    ]
    figures += [(kind.capitalize(), f"{int(n):,}") for kind, n in sorted(totals.items()) if kind not in ("killed", "wounded") and n]
    figures += [
        ("Milestones", f"{milestones:,}"),
        ("Negotiation tracks", f"{len(tracks):,}"),
        ("Actors", f"{len(actors):,}"),
    ]
    return figures


def period(articles: pd.DataFrame) -> str | None:
    """When the view's articles were published, 'first to last'."""
    if articles.empty or "published" not in articles:
        return None
    published = pd.to_datetime(articles["published"], errors="coerce").dropna()
    return span_text(published.min(), published.max()) if not published.empty else None


def span_text(first: date | None, last: date | None) -> str | None:
    """'first to last' (the days of a view's articles), None without them."""
    return f"{first:%Y-%m-%d} to {last:%Y-%m-%d}" if first is not None and last is not None else None


def _as_date(value: Any) -> date | None:
    if _is_missing(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _text(value: Any) -> str | None:
    return None if _is_missing(value) else str(value)


KEY_INCIDENTS = KEY_MILESTONES = 4  # key sentences of each in a briefing


def key_sentences(incidents: pd.DataFrame, milestones: pd.DataFrame, articles: pd.DataFrame,
                  incident_count: int = KEY_INCIDENTS, milestone_count: int = KEY_MILESTONES) -> list[KeySentence]:
    """The sentences behind the heaviest incidents and the latest milestone of each recent track."""
    published: dict[Any, Any] = {}
    if not articles.empty and {"id", "published"} <= set(articles.columns):
        published = dict(zip(articles["id"], articles["published"], strict=True))
    out: list[KeySentence] = []
    if not incidents.empty:
        for r in key_incidents(incidents, incident_count).itertuples():
            place = _text(r.location) or "an unnamed place"
            low, high = r.low, r.high
            reported = f", reports {int(low)}–{int(high)}" if not _is_missing(low) and not _is_missing(high) and low != high else ""
            sources = int(r.sources) if not _is_missing(r.sources) else 1
            about = f"{place}: {int(r.latest):,} {r.kind}{reported}, {sources} source{'s' if sources != 1 else ''}"
            out.append(KeySentence(
                about=about, sentence=_text(r.latest_sentence) or "", title=_text(r.latest_title), source=_text(r.latest_source),
                published=_as_date(published.get(r.latest_article_id, r.date)),
            ))
    if not milestones.empty:
        for r in key_milestones(milestones, milestone_count).itertuples():
            parties = ", ".join(r.parties) if isinstance(r.parties, (list, tuple)) and r.parties else ""
            about = f"{str(r.kind).replace('_', ' ').capitalize()}: {r.status}" + (f" ({parties})" if parties else "")
            out.append(KeySentence(about=about, sentence=_text(r.sentence) or "", title=_text(r.title), source=_text(r.source),
                                   published=_as_date(r.published) or _as_date(r.date)))
    return out


def key_incidents(incidents: pd.DataFrame, count: int = KEY_INCIDENTS) -> pd.DataFrame:
    """The heaviest incidents (by people killed, else by any kind), newest first among equals."""
    heavy = incidents[incidents["kind"] == "killed"]
    if heavy.empty:
        heavy = incidents
    return heavy.sort_values(["latest", "date"], ascending=False, na_position="last").head(count)


def key_milestones(milestones: pd.DataFrame, count: int = KEY_MILESTONES) -> pd.DataFrame:
    """The latest milestone of each track and the milestones in no track, newest first, `count` of them.

    Ties on the day go to the later milestone (the higher id), so the newest milestones of a view
    (`Store.milestones(latest=...)`) pick the same ones as all of them once `count` are found.
    """
    order = ["date", "id"] if "id" in milestones.columns else ["date"]
    recent = milestones.sort_values(order, ascending=False, na_position="last", kind="stable")
    if "track_id" in recent.columns:
        tracked = recent[recent["track_id"].notna()].drop_duplicates("track_id")
        recent = pd.concat([tracked, recent[recent["track_id"].isna()]]).sort_values(order, ascending=False, na_position="last", kind="stable")
    return recent.head(count)


def build_briefing(filters: Filters, *, articles: pd.DataFrame, totals: Mapping[str, int], actors: pd.DataFrame,
                   incidents: pd.DataFrame, milestones: pd.DataFrame, tracks: pd.DataFrame,
                   title: str = "Briefing", now: datetime | None = None) -> Briefing:
    notes = ["Casualty figures count each incident once, at its latest report, however many articles report it."]
    if "illustrative" in articles and articles["illustrative"].fillna(False).astype(bool).any():
        notes.append("Includes the illustrative sample articles written by the team: invented events, not real reporting.")
    view = describe_filters(filters)
    span = period(articles)
    if span:
        view.append(("Articles published", span))
    return Briefing(
        title=title,
        view=view,
        headline=headline_figures(articles, totals, incidents, milestones, tracks, actors),
        charts=main_charts(actors, incidents, milestones, tracks),
        sentences=key_sentences(incidents, milestones, articles),
        notes=notes,
        generated_at=now or datetime.now(UTC),
    )


def _source_line(s: KeySentence) -> str:
    parts = [f"“{s.title}”" if s.title else "untitled article", s.source or "unknown outlet",
             s.published.isoformat() if s.published else "undated"]
    return " — ".join(parts)


def _generated(b: Briefing) -> str:
    at = b.generated_at if b.generated_at.tzinfo else b.generated_at.replace(tzinfo=UTC)
    return at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


_SVG_ID = re.compile(r'\bid="([^"]+)"')


def _inline_svg(svg: str, prefix: str, label: str) -> str:
    """An SVG ready to sit inside HTML beside others: no XML prolog, ids made unique to the chart."""
    svg = re.sub(r"^\s*<\?xml[^>]*>\s*", "", svg)
    ids = set(_SVG_ID.findall(svg))
    for ident in ids:
        svg = svg.replace(f'id="{ident}"', f'id="{prefix}-{ident}"').replace(f"#{ident})", f"#{prefix}-{ident})").replace(
            f'href="#{ident}"', f'href="#{prefix}-{ident}"')
    return svg.replace("<svg ", f'<svg role="img" aria-label="{html.escape(label)}" ', 1)


_CSS = """
:root { color-scheme: light; --ink: #1b1f24; --muted: #5b6570; --rule: #d8dde3; --accent: #0072B2; }
* { box-sizing: border-box; }
body { font: 15px/1.5 "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; color: var(--ink); margin: 0; background: #fff; }
main { max-width: 980px; margin: 0 auto; padding: 32px 28px 48px; }
header { border-bottom: 3px solid var(--accent); margin-bottom: 20px; padding-bottom: 10px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 28px 0 10px; border-bottom: 1px solid var(--rule); padding-bottom: 4px; }
.meta { color: var(--muted); font-size: 13px; margin: 0; }
dl.view { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 0; font-size: 14px; }
dl.view dt { color: var(--muted); }
dl.view dd { margin: 0; }
.figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(140px, 1fr)); gap: 10px; }
.figure { border: 1px solid var(--rule); border-radius: 6px; padding: 8px 12px; }
.figure .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.figure .value { font-size: 22px; font-weight: 700; }
figure.chart { margin: 0 0 18px; overflow-x: auto; }
figure.chart svg { max-width: 100%; height: auto; }
ol.sentences { padding-left: 20px; }
ol.sentences li { margin-bottom: 14px; }
.about { font-weight: 700; }
blockquote { margin: 4px 0; padding: 4px 12px; border-left: 3px solid var(--rule); }
cite { color: var(--muted); font-style: normal; font-size: 13px; }
.notes { color: var(--muted); font-size: 13px; }
@media print { main { padding: 0; } figure.chart, ol.sentences li { break-inside: avoid; } }
"""


def briefing_html(b: Briefing) -> bytes:
    """A self-contained HTML document: inline CSS, charts as inline SVG, no script, no external resource."""
    e = html.escape
    view = "".join(f"<dt>{e(label)}</dt><dd>{e(value)}</dd>" for label, value in b.view)
    figures = "".join(f'<div class="figure"><div class="label">{e(label)}</div><div class="value">{e(value)}</div></div>'
                      for label, value in b.headline)
    chart_parts = []
    for n, (name, chart) in enumerate(b.charts.items(), 1):
        svg = _inline_svg(chart_to_svg(chart).decode("utf-8"), f"chart{n}", CHART_TITLES.get(name, name))
        chart_parts.append(f'<figure class="chart" id="{e(name)}">{svg}</figure>')
    sentences = "".join(
        f'<li><div class="about">{e(s.about)}</div><blockquote>{e(s.sentence)}</blockquote><cite>{e(_source_line(s))}</cite></li>'
        for s in b.sentences
    )
    notes = "".join(f"<p>{e(n)}</p>" for n in b.notes)
    document = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="{e(APP_NAME)}">
<title>{e(b.title)}</title>
<style>{_CSS}</style>
</head>
<body>
<main>
<header>
<h1>{e(b.title)}</h1>
<p class="meta">{e(APP_NAME)} · generated {e(_generated(b))}</p>
</header>
<section aria-labelledby="view-h"><h2 id="view-h">The view</h2><dl class="view">{view}</dl></section>
<section aria-labelledby="fig-h"><h2 id="fig-h">Headline figures</h2><div class="figures">{figures}</div></section>
<section aria-labelledby="chart-h"><h2 id="chart-h">Charts</h2>{''.join(chart_parts) or '<p>No charts for this view.</p>'}</section>
<section aria-labelledby="sent-h"><h2 id="sent-h">Key sentences</h2>{f'<ol class="sentences">{sentences}</ol>' if sentences else '<p>No casualty figures or milestones in this view.</p>'}</section>
<section class="notes">{notes}</section>
</main>
</body>
</html>
"""
    return document.encode("utf-8")


# -- PDF ------------------------------------------------------------------------------------------

_FONT_DIRS = [Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu")]
_fonts: tuple[str, str] | None = None


def _pdf_fonts() -> tuple[str, str]:
    """DejaVu Sans where the system has it (Cyrillic, arrows, dashes); else reportlab's own Vera."""
    global _fonts
    if _fonts is not None:
        return _fonts
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for folder in _FONT_DIRS:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.exists() and bold.exists():
            pdfmetrics.registerFont(TTFont("BriefSans", str(regular)))
            pdfmetrics.registerFont(TTFont("BriefSans-Bold", str(bold)))
            _fonts = ("BriefSans", "BriefSans-Bold")
            return _fonts
    try:
        import reportlab

        vera = Path(reportlab.__file__).parent / "fonts"
        pdfmetrics.registerFont(TTFont("BriefSans", str(vera / "Vera.ttf")))
        pdfmetrics.registerFont(TTFont("BriefSans-Bold", str(vera / "VeraBd.ttf")))
        _fonts = ("BriefSans", "BriefSans-Bold")
    except Exception:  # a stripped reportlab: the built-in Type 1 fonts still work for Latin text
        _fonts = ("Helvetica", "Helvetica-Bold")
    return _fonts


def _p(text: str) -> str:
    """Text for a reportlab Paragraph, whose markup is XML-like: untrusted text is escaped."""
    return xml_escape(text)


def briefing_pdf(b: Briefing) -> bytes:
    """The briefing as an A4 PDF: the same sections, charts as PNG images (reportlab, pure Python)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Image, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    regular, bold = _pdf_fonts()
    base = ParagraphStyle("base", fontName=regular, fontSize=9.5, leading=13)
    styles = {
        "title": ParagraphStyle("title", parent=base, fontName=bold, fontSize=18, leading=22, spaceAfter=2),
        "meta": ParagraphStyle("meta", parent=base, fontSize=8.5, textColor=colors.HexColor("#5b6570")),
        "h2": ParagraphStyle("h2", parent=base, fontName=bold, fontSize=12.5, leading=16, spaceBefore=10, spaceAfter=5,
                             textColor=colors.HexColor("#0072B2")),
        "about": ParagraphStyle("about", parent=base, fontName=bold),
        "quote": ParagraphStyle("quote", parent=base, leftIndent=8, borderPadding=0, textColor=colors.HexColor("#1b1f24")),
        "cite": ParagraphStyle("cite", parent=base, fontSize=8.5, textColor=colors.HexColor("#5b6570"), spaceAfter=6),
        "note": ParagraphStyle("note", parent=base, fontSize=8.5, textColor=colors.HexColor("#5b6570")),
        "label": ParagraphStyle("label", parent=base, fontSize=8, textColor=colors.HexColor("#5b6570")),
        "value": ParagraphStyle("value", parent=base, fontName=bold, fontSize=13, leading=16),
    }
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=16 * mm, rightMargin=16 * mm, topMargin=14 * mm, bottomMargin=14 * mm,
                            title=b.title, author=APP_NAME, subject="Briefing", creator=APP_NAME)
    width = doc.width
    story: list[Any] = [
        Paragraph(_p(b.title), styles["title"]),
        Paragraph(_p(f"{APP_NAME} · generated {_generated(b)}"), styles["meta"]),
        Paragraph("The view", styles["h2"]),
    ]
    view = Table([[Paragraph(_p(k), styles["label"]), Paragraph(_p(v), base)] for k, v in b.view], colWidths=[32 * mm, width - 32 * mm])
    view.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("BOTTOMPADDING", (0, 0), (-1, -1), 1), ("TOPPADDING", (0, 0), (-1, -1), 1)]))
    story += [view, Paragraph("Headline figures", styles["h2"])]
    per_row = 4
    cells = [[Paragraph(_p(label), styles["label"]), Paragraph(_p(value), styles["value"])] for label, value in b.headline]
    grid = [cells[i:i + per_row] for i in range(0, len(cells), per_row)]
    if grid:
        grid[-1] += [""] * (per_row - len(grid[-1]))
        figures = Table(grid, colWidths=[width / per_row] * per_row)
        figures.setStyle(TableStyle([
            ("BOX", (0, 0), (-1, -1), 0.5, colors.HexColor("#d8dde3")), ("INNERGRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#d8dde3")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]))
        story.append(figures)
    story.append(Paragraph("Charts", styles["h2"]))
    if not b.charts:
        story.append(Paragraph("No charts for this view.", base))
    for chart in b.charts.values():
        png = chart_to_png(chart, scale=2.0)
        image = Image(io.BytesIO(png))
        scale = min(1.0, width / image.imageWidth * 2, (doc.height * 0.6) / image.imageHeight * 2) / 2
        image.drawWidth, image.drawHeight = image.imageWidth * scale, image.imageHeight * scale
        story += [image, Spacer(1, 6)]
    story.append(Paragraph("Key sentences", styles["h2"]))
    if not b.sentences:
        story.append(Paragraph("No casualty figures or milestones in this view.", base))
    for s in b.sentences:
        story.append(KeepTogether([
            Paragraph(_p(s.about), styles["about"]), Paragraph(_p(s.sentence), styles["quote"]), Paragraph(_p(_source_line(s)), styles["cite"]),
        ]))
    story.append(Spacer(1, 8))
    story += [Paragraph(_p(n), styles["note"]) for n in b.notes]
    doc.build(story)
    return buffer.getvalue()
