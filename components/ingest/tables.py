"""CSV, JSONL and JSON batches: one article per row, streamed.

Columns are found by name (case-insensitive): text from `text`, `body`, `content`...,
title from `title`/`headline`, date from `date`/`published`/`published_at`, url from
`url`/`link`, outlet from `source`/`outlet`, author from `author`/`byline`. A ColumnMap
names them explicitly ("text=story,date=pub_date"). A file without a text column is refused
whole; a bad row fails alone ("file.csv row 7: the text is empty") and the rest go on. CSV
rows are numbered as a spreadsheet shows them (the header is row 1); JSONL by line; JSON
by item (1 = the first).
"""

from __future__ import annotations

import calendar
import codecs
import csv
import email.utils
import io
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any

from ..extract.dates import parse_iso
from ..models import Article
from .items import Item
from .readers import MAX_BYTES, IngestError, article_from_text

FIELDS = ("text", "title", "date", "url", "source", "author")
DEFAULT_COLUMNS: dict[str, tuple[str, ...]] = {
    "text": ("text", "body", "content", "article", "full_text", "fulltext", "story", "maintext"),
    "title": ("title", "headline", "heading"),
    "date": ("date", "published", "published_at", "publication_date", "pubdate", "pub_date", "date_publish", "datetime"),
    "url": ("url", "link", "permalink"),
    "source": ("source", "outlet", "publisher", "site", "sitename", "site_name", "media"),
    "author": ("author", "byline", "authors"),
}
MAX_JSON_BYTES = 200 * 2**20  # a .json batch is parsed whole; bigger batches belong in JSONL
JSON_LIST_KEYS = ("articles", "items", "data", "entries", "results", "documents")


@dataclass(frozen=True)
class ColumnMap:
    """Explicit column names for some fields; the rest are found by their usual names."""

    names: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def parse(cls, spec: str | None) -> ColumnMap:
        """From "text=story,date=pub_date"; raises ValueError on an unknown field."""
        names: dict[str, str] = {}
        for part in (spec or "").split(","):
            if not part.strip():
                continue
            key, sep, value = part.partition("=")
            key = key.strip().lower()
            if not sep or key not in FIELDS or not value.strip():
                raise ValueError(f"{part.strip()!r}: give FIELD=COLUMN with FIELD one of {', '.join(FIELDS)}")
            names[key] = value.strip()
        return cls(names)

    def resolve(self, columns: list[str], source: str) -> dict[str, str]:
        """Field -> column actually present. Raises IngestError when there is no text column."""
        by_lower = {c.strip().lower(): c for c in columns}
        found: dict[str, str] = {}
        for name in FIELDS:
            wanted = self.names.get(name)
            if wanted is not None:
                if wanted.lower() not in by_lower:
                    raise IngestError(source, f"no column named {wanted!r} for the {name} (the columns are: {_list(columns)})")
                found[name] = by_lower[wanted.lower()]
                continue
            for candidate in DEFAULT_COLUMNS[name]:
                if candidate in by_lower:
                    found[name] = by_lower[candidate]
                    break
        if "text" not in found:
            raise IngestError(
                source,
                f"missing the text column: none of the columns ({_list(columns)}) is called "
                f"{' or '.join(DEFAULT_COLUMNS['text'][:3])}; name it with --columns text=COLUMN",
            )
        return found


def _list(columns: list[str]) -> str:
    shown = ", ".join(repr(c) for c in columns[:12])
    return shown + (", ..." if len(columns) > 12 else "") if columns else "none"


def _period_end(value: str) -> date | None:
    """'2016-02' -> 2016-02-29, '2016' -> 2016-12-31: a month or year alone stands for its last
    day, so that the article's relative dates ("on Sunday") resolve inside it."""
    m = re.fullmatch(r"\s*(\d{4})(?:-(\d{1,2}))?\s*", value)
    if not m or not 1 <= int(m.group(2) or 12) <= 12:
        return None
    year, month = int(m.group(1)), int(m.group(2) or 12)
    return date(year, month, calendar.monthrange(year, month)[1])


def parse_date_value(value: Any) -> date | None:
    """ISO dates and datetimes, a month or year alone (its last day), and RFC 2822 dates as
    feeds and mail write them."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not a date in the form YYYY-MM-DD")
    m = re.fullmatch(r"\s*(\d{4}-\d{1,2}-\d{1,2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?\s*", value)
    if m:
        return parse_iso(m.group(1))
    if (end := _period_end(value)) is not None:
        return end
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        parsed = None
    if parsed is not None:
        return parsed.date()
    return parse_iso(value)  # raises ValueError with the reason


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = value if isinstance(value, str) else str(value)
    return text.strip() or None


def row_article(row: Mapping[str, Any], columns: Mapping[str, str], source: str, path: str | None) -> Article:
    text = row.get(columns["text"])
    if text is not None and not isinstance(text, str):
        raise IngestError(source, f"the {columns['text']!r} value is not text")
    if not text or not text.strip():
        raise IngestError(source, f"the text is empty (column {columns['text']!r})")
    try:
        published = parse_date_value(row.get(columns["date"])) if "date" in columns else None
    except ValueError as exc:
        raise IngestError(source, f"the publication date {exc}") from None
    article = article_from_text(
        text, source,
        title=_text(row.get(columns["title"])) if "title" in columns else None,
        published=published,
        source=_text(row.get(columns["source"])) if "source" in columns else None,
        url=_text(row.get(columns["url"])) if "url" in columns else None,
        path=path,
    )
    if "author" in columns and (author := _text(row.get(columns["author"]))):
        article.author = author[:300]
    if article.title:
        article.title = article.title[:500]
    return article


# -- streams ---------------------------------------------------------------------------------

def _check_head(head: bytes, name: str) -> None:
    if not head.strip():
        raise IngestError(name, "the file is empty")
    if b"\x00" in head or sum(b < 9 or 13 < b < 32 for b in head) > len(head) * 0.05:
        raise IngestError(name, "this is a binary file, not text")


def _text_lines(raw: IO[bytes], name: str) -> Iterator[str]:
    """UTF-8 lines of a binary stream, after refusing empty and binary content.

    Each line is decoded on its own (a UTF-8 sequence never holds a newline byte); bytes
    that are not UTF-8 become surrogates, which `_not_utf8` finds, so only the rows that
    hold them fail.
    """
    buffered = raw if hasattr(raw, "peek") else io.BufferedReader(raw)  # type: ignore[arg-type]
    head = buffered.peek(8192)[:8192]  # type: ignore[attr-defined]
    _check_head(head, name)
    first = True
    for line in buffered:
        if first:
            line = line.removeprefix(codecs.BOM_UTF8)
            first = False
        yield line.decode("utf-8", "surrogateescape")


_SURROGATE = re.compile("[\udc80-\udcff]")


def _not_utf8(text: str) -> str | None:
    m = _SURROGATE.search(text)
    if m is None:
        return None
    return f"not UTF-8 text (byte 0x{ord(m.group(0)) - 0xDC00:02x}); save the file as UTF-8 and try again"


def iter_table(raw: IO[bytes], name: str, suffix: str, columns: ColumnMap | None = None, path: str | None = None) -> Iterator[Item]:
    """Items from a CSV/TSV/JSONL/JSON stream; never raises for bad content."""
    columns = columns or ColumnMap()
    try:
        if suffix == ".json":
            yield from _iter_json(raw, name, columns, path)
            return
        lines = _text_lines(raw, name)
        if suffix in (".jsonl", ".ndjson"):
            yield from _iter_jsonl(lines, name, columns, path)
        else:
            yield from _iter_csv(lines, name, suffix, columns, path)
    except IngestError as exc:
        yield Item.failed(exc)


def _iter_csv(lines: Iterator[str], name: str, suffix: str, columns: ColumnMap, path: str | None) -> Iterator[Item]:
    csv.field_size_limit(MAX_BYTES)
    first = next(lines, "")
    if (problem := _not_utf8(first)) is not None:
        raise IngestError(name, f"the header row is {problem}")
    if suffix == ".tsv":
        delimiter = "\t"
    else:  # Excel in many locales writes ";"; choose what the header line uses most
        delimiter = max(",;\t|", key=first.count) if any(first.count(d) for d in ",;\t|") else ","
    reader = csv.reader(_chain_first(first, lines), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise IngestError(name, "the file is empty") from None
    header = [h.strip() for h in header]
    found = columns.resolve(header, name)
    index = {h: i for i, h in enumerate(header)}
    row_no = 1
    while True:
        row_no += 1
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield Item(f"{name} row {row_no}", error=f"not valid CSV ({exc})")
            continue
        if not any(v.strip() for v in values):
            continue
        source = f"{name} row {row_no}"
        if (problem := _not_utf8("".join(values))) is not None:
            yield Item(source, error=problem)
            continue
        if len(values) != len(header):
            yield Item(source, error=f"{len(values)} values for {len(header)} columns (a quote or delimiter out of place?)")
            continue
        row = {h: values[i] for h, i in index.items()}
        try:
            yield Item(source, row_article(row, found, source, path))
        except IngestError as exc:
            yield Item.failed(exc)


def _chain_first(first: str, lines: Iterator[str]) -> Iterator[str]:
    yield first
    yield from lines


def _json_item(obj: Any, source: str, columns: ColumnMap, path: str | None) -> Item:
    if not isinstance(obj, dict):
        return Item(source, error="not a JSON object with the article's fields")
    try:
        found = columns.resolve(list(obj.keys()), source)
        return Item(source, row_article(obj, found, source, path))
    except IngestError as exc:
        if exc.reason.startswith("missing the text column"):
            return Item(source, error=f"no text field (expected one of {', '.join(DEFAULT_COLUMNS['text'][:3])}; the fields are: {_list(list(obj))})")
        return Item.failed(exc)


def _iter_jsonl(lines: Iterator[str], name: str, columns: ColumnMap, path: str | None) -> Iterator[Item]:
    line_no = 0
    while True:
        line_no += 1
        try:
            line = next(lines)
        except StopIteration:
            return
        if not line.strip():
            continue
        source = f"{name} line {line_no}"
        if (problem := _not_utf8(line)) is not None:
            yield Item(source, error=problem)
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Item(source, error=f"not JSON ({exc.msg} at column {exc.colno})")
            continue
        yield _json_item(obj, source, columns, path)


def _iter_json(raw: IO[bytes], name: str, columns: ColumnMap, path: str | None) -> Iterator[Item]:
    data = raw.read(MAX_JSON_BYTES + 1)
    if len(data) > MAX_JSON_BYTES:
        raise IngestError(name, f"a .json batch is read whole and this one is over {MAX_JSON_BYTES // 2**20} MB; write it as JSONL (one article per line)")
    _check_head(data[:8192], name)
    try:
        doc = json.loads(codecs.decode(data, "utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise IngestError(name, f"the file is not UTF-8 text (byte 0x{data[exc.start]:02x} at position {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise IngestError(name, f"not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})") from None
    if isinstance(doc, dict):
        key = next((k for k in JSON_LIST_KEYS if isinstance(doc.get(k), list)), None)
        if key is None:
            yield _json_item(doc, name, columns, path)  # one article
            return
        doc = doc[key]
    if not isinstance(doc, list):
        raise IngestError(name, "expected a list of articles (objects with a text field)")
    for n, obj in enumerate(doc, 1):
        yield _json_item(obj, f"{name} item {n}", columns, path)
