"""Readers: a file (or pasted text) in, an Article out, or an IngestError saying why not.

Plain text and Markdown may open with a header block of `Key: value` lines (Title,
Published, Source, URL, Author, Illustrative) followed by a blank line, or with YAML-style
`---` front matter; HTML goes through trafilatura for its main text and metadata; PDF and
Word documents go through `formats`. Files that hold many articles (CSV, JSONL, JSON, zip)
are read by `sources.iter_path` / `sources.iter_bytes`, which stream them.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from ..extract.dates import parse_iso
from ..models import Article

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
DOCUMENT_SUFFIXES = {".pdf", ".docx"}
ARTICLE_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | DOCUMENT_SUFFIXES  # one article per file
BATCH_SUFFIXES = {".csv", ".tsv", ".jsonl", ".ndjson", ".json"}  # one article per row
ARCHIVE_SUFFIXES = {".zip"}
SUPPORTED_SUFFIXES = ARTICLE_SUFFIXES | BATCH_SUFFIXES | ARCHIVE_SUFFIXES
MAX_BYTES = 20 * 1024 * 1024
MIN_HTML_WORDS = 5  # below this, what trafilatura finds is navigation, not an article
HEADER_KEYS = {"title", "published", "date", "source", "outlet", "url", "author", "illustrative"}


class IngestError(ValueError):
    """A source that cannot be ingested, with the input's name and the reason."""

    def __init__(self, source: str, reason: str):
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


def decode(data: bytes, source: str) -> str:
    """UTF-8 text (a BOM is allowed); anything else is refused with the reason."""
    if not data.strip():
        raise IngestError(source, "the file is empty")
    sample = data[:8192]
    if b"\x00" in sample or sum(b < 9 or 13 < b < 32 for b in sample) > len(sample) * 0.05:
        raise IngestError(source, "this is a binary file, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise IngestError(
            source,
            f"the file is not UTF-8 text (byte 0x{data[exc.start]:02x} at position {exc.start}); save it as UTF-8 and try again",
        ) from None
    if not text.strip():
        raise IngestError(source, "the file has no text")
    return text


def _header(text: str, source: str) -> tuple[dict[str, str], str]:
    lines = text.lstrip("\ufeff").split("\n")
    meta: dict[str, str] = {}
    if lines and lines[0].strip() == "---":
        for i, line in enumerate(lines[1:], 1):
            if line.strip() == "---":
                for entry in lines[1:i]:
                    if ":" in entry:
                        key, value = entry.split(":", 1)
                        meta[key.strip().lower()] = value.strip().strip("'\"")
                return meta, "\n".join(lines[i + 1 :]).lstrip("\n")
        return {}, text
    i = 0
    while i < len(lines):
        m = re.match(r"^([A-Za-z]+):\s*(.*)$", lines[i])
        if not m or m.group(1).lower() not in HEADER_KEYS:
            break
        meta[m.group(1).lower()] = m.group(2).strip()
        i += 1
    if meta and i < len(lines) and not lines[i].strip():
        return meta, "\n".join(lines[i + 1 :]).lstrip("\n")
    return {}, text


def article_from_text(
    text: str,
    source_name: str = "pasted text",
    *,
    title: str | None = None,
    published: date | str | None = None,
    source: str | None = None,
    url: str | None = None,
    path: str | None = None,
) -> Article:
    """An Article from text, reading a header block if there is one. Explicit values win."""
    if not text or not text.strip():
        raise IngestError(source_name, "the text is empty")
    meta, body = _header(text.replace("\r\n", "\n").replace("\r", "\n"), source_name)
    if not body.strip():
        raise IngestError(source_name, "there is a header but no article text")
    raw_date = published if published is not None else (meta.get("published") or meta.get("date"))
    try:
        when = raw_date if isinstance(raw_date, date) else parse_iso(raw_date)
    except ValueError as exc:
        raise IngestError(source_name, f"the publication date {exc}") from None
    return Article(
        text=body.strip("\n"),
        title=title or meta.get("title") or None,
        published=when,
        source=source or meta.get("source") or meta.get("outlet") or None,
        url=url or meta.get("url") or None,
        author=meta.get("author") or None,
        path=path,
        illustrative=meta.get("illustrative", "").lower() in {"yes", "true", "1"},
    )


def article_from_html(html: str, source_name: str, *, url: str | None = None, path: str | None = None) -> Article:
    import trafilatura

    doc = trafilatura.bare_extraction(html, with_metadata=True, url=url)
    if doc is None or len((doc.text or "").split()) < MIN_HTML_WORDS:
        raise IngestError(source_name, "no article text found in this HTML page")
    try:
        when = parse_iso(doc.date[:10]) if doc.date else None
    except ValueError:
        when = None
    return Article(
        text=doc.text, title=doc.title or None, published=when, source=doc.sitename or None,
        url=url or doc.url or None, author=doc.author or None, path=path,
    )


def read_bytes(data: bytes, name: str, *, path: str | None = None) -> Article:
    """Dispatch on the file name's suffix (uploads and files share this)."""
    suffix = Path(name).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise IngestError(name, f"unsupported file type {suffix or '(none)'}; use {', '.join(sorted(SUPPORTED_SUFFIXES))}")
    if suffix not in ARTICLE_SUFFIXES:
        raise IngestError(name, f"a {suffix} file holds many articles; read it with components.ingest.sources.iter_bytes")
    if len(data) > MAX_BYTES:
        raise IngestError(name, f"the file is {len(data) / 1e6:.0f} MB, larger than the {MAX_BYTES // 2**20} MB limit")
    if suffix in DOCUMENT_SUFFIXES:
        from .formats import read_document

        return read_document(data, name, path=path)
    text = decode(data, name)
    if suffix in HTML_SUFFIXES:
        return article_from_html(text, name, path=path)
    return article_from_text(text, name, path=path)


def read_path(path: Path) -> Article:
    if not path.exists():
        raise IngestError(str(path), "no such file")
    if path.stat().st_size > MAX_BYTES:
        raise IngestError(str(path), f"the file is {path.stat().st_size / 1e6:.0f} MB, larger than the {MAX_BYTES // 2**20} MB limit")
    return read_bytes(path.read_bytes(), str(path), path=str(path))


def iter_files(paths: list[Path]) -> list[Path]:
    """Files to ingest: the given files, and the supported files inside given folders."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUPPORTED_SUFFIXES and not f.name.startswith(".")))
        else:
            out.append(p)
    return out
