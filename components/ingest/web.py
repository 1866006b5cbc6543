"""Fetching a link: http(s) only, with a time limit, a size limit and a redirect limit.

Every failure is an IngestError naming the URL and the reason (the server's answer, a
timeout, too many redirects, too large). A page is then read as HTML with trafilatura
(main text, title, outlet, author; the publication date through htmldate); a PDF link
as a PDF; plain text as text.
"""

from __future__ import annotations

import http.client
import socket
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlparse

from ..models import Article
from .readers import MAX_BYTES, IngestError, article_from_html, article_from_text

TIMEOUT = 20.0  # seconds, for the whole download
MAX_DOWNLOAD_BYTES = MAX_BYTES
MAX_REDIRECTS = 5
USER_AGENT = "Mozilla/5.0 (compatible; conflict-monitor/0.1; +ingest)"
FEED_TYPES = {"application/rss+xml", "application/atom+xml", "application/rdf+xml"}


@dataclass
class Response:
    url: str  # after redirects
    status: int
    content_type: str
    charset: str | None
    data: bytes


def is_url(value: str) -> bool:
    return value.lower().startswith(("http://", "https://"))


class _LimitedRedirects(urllib.request.HTTPRedirectHandler):
    def __init__(self, limit: int):
        self.max_redirections = limit
        self.max_repeats = limit

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        if urlparse(newurl).scheme.lower() not in ("http", "https"):
            raise urllib.error.HTTPError(newurl, code, f"redirect to a non-web address {newurl}", headers, fp)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _timed_out(exc: BaseException) -> bool:
    reason = getattr(exc, "reason", exc)
    return isinstance(exc, TimeoutError | socket.timeout) or isinstance(reason, TimeoutError | socket.timeout)


def fetch(url: str, *, timeout: float | None = None, max_bytes: int | None = None, max_redirects: int | None = None) -> Response:
    """The body of `url`; limits default to the module's TIMEOUT, MAX_DOWNLOAD_BYTES, MAX_REDIRECTS."""
    timeout = TIMEOUT if timeout is None else timeout
    max_bytes = MAX_DOWNLOAD_BYTES if max_bytes is None else max_bytes
    max_redirects = MAX_REDIRECTS if max_redirects is None else max_redirects
    parsed = urlparse(url)
    if parsed.scheme.lower() not in ("http", "https") or not parsed.netloc:
        raise IngestError(url, "not a web address (give an http:// or https:// link)")
    opener = urllib.request.build_opener(_LimitedRedirects(max_redirects))
    request = urllib.request.Request(url, headers={
        "User-Agent": USER_AGENT,
        "Accept": "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,application/xml;q=0.9,*/*;q=0.5",
    })
    deadline = time.monotonic() + timeout
    try:
        with opener.open(request, timeout=timeout) as resp:
            length = resp.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise IngestError(url, f"the page is {int(length) / 1e6:.0f} MB, larger than the {max_bytes // 2**20} MB limit")
            chunks: list[bytes] = []
            size = 0
            while True:
                if time.monotonic() > deadline:
                    raise IngestError(url, f"timed out: the download took more than {timeout:g} s")
                chunk = resp.read1(65536)
                if not chunk:
                    break
                size += len(chunk)
                if size > max_bytes:
                    raise IngestError(url, f"the page is larger than the {max_bytes // 2**20} MB limit")
                chunks.append(chunk)
            return Response(resp.geturl(), resp.status, resp.headers.get_content_type(), resp.headers.get_content_charset(), b"".join(chunks))
    except IngestError:
        raise
    except urllib.error.HTTPError as exc:
        if 300 <= exc.code < 400:
            said = str(exc.reason)
            if "non-web address" in said or "is not allowed" in said:  # ours, or urllib's own refusal
                reason = f"redirected to a non-web address ({exc.filename or said})"
            else:
                reason = f"too many redirects (more than {max_redirects})"
        else:
            reason = f"the server answered {exc.code} {exc.reason}".rstrip()
        raise IngestError(url, reason) from None
    except Exception as exc:  # URLError, timeouts, resets, bad status lines...
        if _timed_out(exc):
            raise IngestError(url, f"timed out: no answer within {timeout:g} s") from None
        reason = getattr(exc, "reason", None) or exc
        if isinstance(exc, http.client.HTTPException):
            raise IngestError(url, f"the server's answer was not valid HTTP ({type(exc).__name__})") from None
        raise IngestError(url, f"could not fetch the page ({reason})") from None


def decode_web(data: bytes, charset: str | None, source: str) -> str:
    """Web text: the declared charset, else UTF-8, else what charset-normalizer finds."""
    if not data.strip():
        raise IngestError(source, "the page is empty")
    if b"\x00" in data[:8192]:
        raise IngestError(source, "the page is binary, not text")
    for encoding in (charset, "utf-8"):
        if encoding:
            try:
                return data.decode(encoding)
            except (LookupError, UnicodeDecodeError):
                continue
    from charset_normalizer import from_bytes

    best = from_bytes(data[:MAX_DOWNLOAD_BYTES]).best()
    if best is None:
        raise IngestError(source, "the page's text encoding could not be recognised")
    return str(best)


def looks_like_feed(data: bytes) -> bool:
    head = data[:2048].lstrip().lower()
    return head.startswith(b"<?xml") and (b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head) or head.startswith((b"<rss", b"<feed"))


def article_from_response(resp: Response, source: str) -> Article:
    ctype = resp.content_type
    if ctype in FEED_TYPES or looks_like_feed(resp.data):
        raise IngestError(source, "this is an RSS/Atom feed, not an article; ingest it with --feed")
    if ctype == "application/pdf" or resp.data[:5] == b"%PDF-":
        from .formats import article_from_pdf

        return article_from_pdf(resp.data, source, url=resp.url)
    if ctype.startswith(("image/", "audio/", "video/", "font/")) or ctype in ("application/zip", "application/octet-stream"):
        raise IngestError(source, f"not a web page or a document (content type {ctype})")
    text = decode_web(resp.data, resp.charset, source)
    if ctype == "text/plain":
        return article_from_text(text, source, url=resp.url)
    return article_from_html(text, source, url=resp.url)


def article_from_url(url: str, *, timeout: float | None = None) -> Article:
    return article_from_response(fetch(url, timeout=timeout), url)
