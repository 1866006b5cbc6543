"""RSS and Atom feeds (feedparser): each entry's link fetched and read as an article.

When an entry's link cannot be fetched (or gives no article text), the entry's own
content or summary is used instead. The feed document is fetched by `web.fetch` (time,
size and redirect limits) and checked with defusedxml before feedparser reads it, so a
feed that declares XML entities (the "billion laughs" bomb) is refused.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser

from ..models import Article
from .items import Item
from .readers import IngestError, article_from_text
from .web import article_from_url, fetch

log = logging.getLogger(__name__)


@dataclass
class FeedEntry:
    key: str  # stable across refreshes: a hash of the entry's id, else its link, else its title
    title: str | None = None
    link: str | None = None
    published: date | None = None
    author: str | None = None
    content: str | None = None  # HTML or text, the fullest the feed gives


@dataclass
class Feed:
    url: str
    title: str | None = None
    entries: list[FeedEntry] = field(default_factory=list)


class _TextOnly(HTMLParser):
    BLOCKS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "blockquote", "section", "article"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:  # type: ignore[type-arg]
        if tag in ("script", "style"):
            self.skip += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.skip = max(0, self.skip - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def html_to_text(fragment: str) -> str:
    """The text of an HTML fragment (a feed entry's content), one paragraph per line."""
    parser = _TextOnly()
    parser.feed(fragment)
    parser.close()
    lines = (re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _refuse_entities(data: bytes, url: str) -> None:
    import defusedxml.ElementTree as SafeET
    from defusedxml import DefusedXmlException

    try:
        SafeET.fromstring(data)
    except DefusedXmlException:
        raise IngestError(url, "the feed declares XML entities, which are refused (an XML bomb?)") from None
    except Exception:  # noqa: BLE001 - malformed XML: feedparser's lenient parser decides
        pass


def _date(entry: dict) -> date | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            try:
                return date(value.tm_year, value.tm_mon, value.tm_mday)
            except (ValueError, AttributeError):
                continue
    return None


def parse_feed(data: bytes, url: str) -> Feed:
    """A Feed from the bytes of an RSS or Atom document; IngestError if it is not one."""
    if not data.strip():
        raise IngestError(url, "not an RSS or Atom feed (the answer is empty)")
    _refuse_entities(data, url)
    import feedparser

    parsed = feedparser.parse(data, sanitize_html=True, resolve_relative_uris=True)
    if not parsed.get("version") and not parsed.entries:
        head = data[:1024].lstrip().lower()
        if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head:
            what = "it is an HTML page"
        elif parsed.get("bozo") and parsed.get("bozo_exception") is not None:
            what = f"{type(parsed.bozo_exception).__name__}: {parsed.bozo_exception}"
        else:
            what = "no <rss> or <feed> element"
        raise IngestError(url, f"not an RSS or Atom feed ({what})")
    feed = Feed(url=url, title=(parsed.feed.get("title") or "").strip() or None)
    for n, entry in enumerate(parsed.entries):
        link = entry.get("link") or None
        ident = entry.get("id") or link or f"{entry.get('title', '')}|{entry.get('published', '')}|{n}"
        contents = [c.get("value", "") for c in entry.get("content", []) if c.get("value")]
        content = max(contents, key=len) if contents else (entry.get("summary") or None)
        feed.entries.append(FeedEntry(
            key=hashlib.sha256(ident.encode("utf-8", "replace")).hexdigest()[:32],
            title=(entry.get("title") or "").strip() or None,
            link=link,
            published=_date(entry),
            author=(entry.get("author") or "").strip() or None,
            content=content,
        ))
    return feed


def read_feed(url: str, *, timeout: float | None = None) -> Feed:
    return parse_feed(fetch(url, timeout=timeout).data, url)


def entry_article(entry: FeedEntry, feed: Feed, fetch_article: Callable[[str], Article] = article_from_url) -> Article:
    """The entry's linked article, else its own content; metadata from the feed fills gaps."""
    source = entry.link or f"{feed.url} entry {entry.title or entry.key[:8]}"
    article: Article | None = None
    problem = "the entry has no link"
    if entry.link:
        try:
            article = fetch_article(entry.link)
        except IngestError as exc:
            problem = exc.reason
            log.info("feed entry %s: %s; using the feed's own text", entry.link, exc.reason)
    if article is None:
        text = html_to_text(entry.content) if entry.content else ""
        if not text.strip():
            raise IngestError(source, f"{problem}, and the feed gives no text for it")
        article = article_from_text(text, source, url=entry.link)
    # The feed's structured fields are more reliable than what is guessed from a page.
    article.title = entry.title or article.title
    article.published = entry.published or article.published
    article.author = article.author or entry.author
    article.source = article.source or feed.title
    article.url = entry.link or article.url
    return article


def iter_feed(feed: Feed, *, skip: Callable[[FeedEntry], bool] | None = None,
              on_done: Callable[[FeedEntry], Callable | None] | None = None,
              fetch_article: Callable[[str], Article] = article_from_url) -> Iterator[Item]:
    """Items from a feed's entries, fetched one at a time as the ingest asks for them."""
    for entry in feed.entries:
        if skip is not None and skip(entry):
            continue
        done = on_done(entry) if on_done is not None else None
        source = entry.link or f"{feed.url} entry {entry.title or entry.key[:8]}"
        try:
            yield Item(source, entry_article(entry, feed, fetch_article), on_done=done)
        except IngestError as exc:
            yield Item(exc.source, error=exc.reason, on_done=done)
