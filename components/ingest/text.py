"""Plain text to an Article: the error every reader raises, decoding, and the header block.

The bottom of the readers: formats (PDF, DOCX), tables, web pages and feeds all end in
`article_from_text`, and every reader reports a bad input with `IngestError`.
"""

from __future__ import annotations

import re
from datetime import date

from ..extract.dates import parse_iso
from ..models import Article

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
