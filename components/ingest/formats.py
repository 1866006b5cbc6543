"""PDF (pypdf) and Word .docx (python-docx) documents in, one Article out.

Both may open with the same `Title:` / `Published:` header block as a text file; the
document's own metadata (title, author) fills what the header does not give. A PDF's
creation date is not taken as the publication date: it is often the date someone printed
the page, and a wrong date shifts every relative date the extractor resolves.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from pathlib import Path

from ..models import Article
from .text import IngestError, article_from_text

MIN_DOCUMENT_WORDS = 3  # fewer extracted words than this: the pages are images, not text
MAX_DOCX_UNPACKED = 200 * 2**20  # a .docx is a zip: refuse one that unpacks to more than this
MAX_DOCX_RATIO = 200

log = logging.getLogger(__name__)


def read_document(data: bytes, name: str, *, path: str | None = None, url: str | None = None) -> Article:
    suffix = Path(name.split("?")[0]).suffix.lower()
    if suffix == ".docx":
        return article_from_docx(data, name, path=path, url=url)
    return article_from_pdf(data, name, path=path, url=url)


def _meta_title(value: object) -> str | None:
    """A document title worth keeping: not empty, not a file name an editor put there."""
    if not isinstance(value, str):
        return None
    title = value.strip()
    if not title or title.lower().startswith(("microsoft word - ", "untitled")) or re.search(r"\.(docx?|pdf|rtf|odt)$", title, re.I):
        return None
    return title[:500]


def _with_metadata(article: Article, title: object, author: object, url: str | None) -> Article:
    article.title = article.title or _meta_title(title)
    if not article.author and isinstance(author, str) and author.strip():
        article.author = author.strip()[:300]
    article.url = article.url or url
    return article


# -- PDF -------------------------------------------------------------------------------------

def reflow(text: str) -> str:
    """PDF text has a line break at the end of every printed line; ours means a paragraph.

    Lines are joined inside a paragraph (words hyphenated across lines are rejoined); a
    paragraph ends at a blank line, after a short line (a heading or a paragraph's last
    line), or where a line ends a sentence and the next starts like a new one.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    blocks = re.split(r"\n\s*\n", text)
    lengths = sorted(len(line.strip()) for line in text.split("\n") if line.strip())
    full = lengths[int(len(lengths) * 0.9)] if lengths else 0  # a full printed line's length
    paragraphs: list[str] = []
    for block in blocks:
        out: list[str] = []
        current = ""
        for raw in block.split("\n"):
            line = re.sub(r"[ \t]+", " ", raw).strip()
            if not line:
                continue
            if not current:
                current = line
            elif current.endswith("-") and current[-2:-1].isalpha() and line[:1].islower():
                current = current[:-1] + line
            elif current[-1] in ".!?:\"”’)" and (line[:1].isupper() or line[:1].isdigit() or line[:1] in "\"“‘(•-—–"):
                out.append(current)
                current = line
            else:
                current += " " + line
            if full >= 40 and len(line) < 0.6 * full:  # a short printed line ends its paragraph
                out.append(current)
                current = ""
        if current:
            out.append(current)
        if out:
            paragraphs.append("\n".join(out))
    return "\n\n".join(paragraphs)


_HEADER_LINE = re.compile(r"^(title|published|date|source|outlet|url|author|illustrative):\s*\S", re.I)


def _separate_header(text: str) -> str:
    """PDF text loses blank lines: put one back after a leading `Title:`/`Published:` block."""
    lines = text.split("\n")
    n = 0
    while n < len(lines) and _HEADER_LINE.match(lines[n]):
        n += 1
    if 0 < n < len(lines) and lines[n].strip():
        return "\n".join(lines[:n]) + "\n\n" + "\n".join(lines[n:])
    return text


def article_from_pdf(data: bytes, name: str, *, path: str | None = None, url: str | None = None) -> Article:
    if b"%PDF-" not in data[:1024]:
        raise IngestError(name, "this is not a PDF file (no %PDF header)")
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except Exception:  # noqa: BLE001 - any failure means we cannot read it
                opened = 0
            if not opened:
                raise IngestError(name, "the PDF is password-protected")
        pages = [page.extract_text() or "" for page in reader.pages]
        metadata = reader.metadata
    except IngestError:
        raise
    except Exception as exc:  # pypdf raises many kinds on damaged files
        raise IngestError(name, f"not a readable PDF ({type(exc).__name__}: {exc})") from None
    text = _separate_header(reflow("\n\n".join(pages)))
    if len(text.split()) < MIN_DOCUMENT_WORDS:
        raise IngestError(name, "no text layer (scanned PDF?); run it through OCR first")
    article = article_from_text(text, name, path=path, url=url)
    title = metadata.title if metadata else None
    author = metadata.author if metadata else None
    return _with_metadata(article, title, author, url)


# -- DOCX ------------------------------------------------------------------------------------

def article_from_docx(data: bytes, name: str, *, path: str | None = None, url: str | None = None) -> Article:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            unpacked = sum(i.file_size for i in zf.infolist())
    except (zipfile.BadZipFile, OSError):
        raise IngestError(name, "not a readable Word document (.docx); old .doc files must be saved as .docx") from None
    if unpacked > MAX_DOCX_UNPACKED or unpacked > MAX_DOCX_RATIO * max(len(data), 1) and unpacked > 2**20:
        raise IngestError(name, f"the document unpacks to {unpacked / 1e6:.0f} MB from {len(data) / 1e6:.1f} MB (a zip bomb?)")
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
        paragraphs = [p.text for p in document.paragraphs]
        props = document.core_properties
    except Exception as exc:  # python-docx raises KeyError, ValueError, lxml errors...
        raise IngestError(name, f"not a readable Word document ({type(exc).__name__}: {exc})") from None
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(p.strip() for p in paragraphs)).strip()
    if not text:
        raise IngestError(name, "the document has no text")
    article = article_from_text(text, name, path=path, url=url)
    return _with_metadata(article, props.title, props.author, url)
