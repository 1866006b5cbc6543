"""Readers: a file (or pasted text) in, an Article out, or an IngestError saying why not.

Plain text and Markdown may open with a header block of `Key: value` lines (Title,
Published, Source, URL, Author, Illustrative) followed by a blank line, or with YAML-style
`---` front matter; HTML goes through trafilatura for its main text and metadata; PDF and
Word documents go through `formats`. Files that hold many articles (CSV, JSONL, JSON, zip)
are read by `sources.iter_path` / `sources.iter_bytes`, which stream them.
"""

from __future__ import annotations

from pathlib import Path

from ..extract.dates import parse_iso
from ..models import Article
from .formats import read_document
from .text import IngestError, article_from_text, decode

__all__ = [  # the text basics are part of what readers offer
    "IngestError", "article_from_html", "article_from_text", "decode", "iter_files", "read_bytes", "read_path",
]

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
DOCUMENT_SUFFIXES = {".pdf", ".docx"}
ARTICLE_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | DOCUMENT_SUFFIXES  # one article per file
BATCH_SUFFIXES = {".csv", ".tsv", ".jsonl", ".ndjson", ".json"}  # one article per row
ARCHIVE_SUFFIXES = {".zip"}
SUPPORTED_SUFFIXES = ARTICLE_SUFFIXES | BATCH_SUFFIXES | ARCHIVE_SUFFIXES
MAX_BYTES = 20 * 1024 * 1024
MIN_HTML_WORDS = 5  # below this, what trafilatura finds is navigation, not an article


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
