"""Links and feeds, against a local server on 127.0.0.1 (no other address is contacted)."""

from __future__ import annotations

from datetime import date

import pytest

from components.ingest import web
from components.ingest.feeds import html_to_text, iter_feed, parse_feed, read_feed
from components.ingest.readers import IngestError
from components.ingest.sources import iter_inputs
from components.ingest.web import article_from_url, fetch
from tests.fixtures.ingest.server import local_server


@pytest.fixture(scope="module")
def base():
    with local_server() as url:
        yield url


def test_an_article_page_with_its_metadata(base):
    url = f"{base}/news/port-strike.html"
    article = article_from_url(url)
    assert article.title == "Drone strike on Odesa port"
    assert article.published == date(2025, 6, 5)
    assert article.source == "Harbour Desk" and article.author == "Ann Field"
    assert article.url == url
    assert "killed two workers" in article.text and "Home | World" not in article.text


def test_a_redirect_is_followed_and_the_final_address_kept(base):
    article = article_from_url(f"{base}/redirect")
    assert article.url == f"{base}/news/port-strike.html"


def test_plain_text_pdf_and_declared_charset(base):
    assert article_from_url(f"{base}/plain.txt").title == "Plain statement"
    assert "resume in Geneva" in article_from_url(f"{base}/statement.pdf").text
    assert "caf\u00e9 on the seafront" in article_from_url(f"{base}/latin1.html").text


@pytest.mark.parametrize(("path", "reason"), [
    ("/missing", "the server answered 404 Not Found"),
    ("/error", "the server answered 500 Internal Server Error"),
    ("/loop", "too many redirects (more than 5)"),
    ("/to-file", "non-web address"),
    ("/image.png", "not a web page or a document (content type image/png)"),
    ("/feed.xml", "this is an RSS/Atom feed, not an article; ingest it with --feed"),
    ("/not-a-feed", "no article text found"),
])
def test_bad_links_name_the_url_and_the_reason(base, path, reason):
    with pytest.raises(IngestError) as err:
        article_from_url(f"{base}{path}")
    assert err.value.source == f"{base}{path}"
    assert reason in err.value.reason


def test_a_link_that_does_not_answer_in_time(base):
    with pytest.raises(IngestError) as err:
        fetch(f"{base}/slow", timeout=0.5)
    assert err.value.source == f"{base}/slow" and "timed out" in err.value.reason


def test_a_download_that_trickles_past_the_time_limit(base):
    with pytest.raises(IngestError, match="timed out"):
        fetch(f"{base}/drip", timeout=1.0)


def test_a_page_over_the_size_limit(base, monkeypatch):
    monkeypatch.setattr(web, "MAX_DOWNLOAD_BYTES", 100_000)
    with pytest.raises(IngestError, match="larger than"):
        fetch(f"{base}/big")


def test_only_web_addresses_are_fetched():
    for url in ("file:///etc/passwd", "ftp://127.0.0.1/x", "http://"):
        with pytest.raises(IngestError, match="not a web address"):
            fetch(url)


def test_a_closed_port(base):
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(IngestError, match="could not fetch"):
        fetch(f"http://127.0.0.1:{port}/x", timeout=2)


def test_links_among_other_inputs_fail_alone(base, tmp_path):
    (tmp_path / "a.txt").write_text("KYIV - Talks resumed in Geneva on Monday, officials said.")
    items = list(iter_inputs([f"{base}/missing", str(tmp_path / "a.txt"), f"{base}/news/grain-talks.html"]))
    assert [i.error is None for i in items] == [False, True, True]


# -- feeds -------------------------------------------------------------------------------------

def test_rss_entries_fetched_or_taken_from_the_feed(base):
    feed = read_feed(f"{base}/feed.xml")
    assert feed.title == "Harbour Desk" and len(feed.entries) == 3
    items = list(iter_feed(feed))
    fetched, fallback, failed = items
    assert fetched.article.title == "Drone strike on Odesa port" and "killed two workers" in fetched.article.text
    assert fetched.article.published == date(2025, 6, 5) and fetched.article.source == "Harbour Desk"
    # The link answers 404: the entry's own description is the article.
    assert fallback.article is not None and fallback.source == f"{base}/gone.html"
    assert fallback.article.text.startswith("KYIV, Ukraine - Officials said talks") and fallback.article.title == "Gone story"
    assert fallback.article.url == f"{base}/gone.html" and fallback.article.source == "Harbour Desk"
    assert failed.article is None and failed.source == f"{base}/also-gone.html"
    assert "404" in failed.error and "no text" in failed.error


def test_atom_feed(base):
    feed = read_feed(f"{base}/atom.xml")
    [entry] = feed.entries
    assert (entry.title, entry.published, entry.author) == ("Grain corridor talks", date(2025, 6, 6), "B. Writer")
    [item] = list(iter_feed(feed))
    assert "Istanbul" in item.article.text and item.article.source == "Harbour Desk"


@pytest.mark.parametrize(("path", "reason"), [
    ("/not-a-feed", "not an RSS or Atom feed (it is an HTML page)"),
    ("/json", "not an RSS or Atom feed"),
    ("/missing", "404"),
    ("/bomb.xml", "XML entities"),
])
def test_a_feed_that_is_not_a_feed(base, path, reason):
    with pytest.raises(IngestError) as err:
        read_feed(f"{base}{path}")
    assert err.value.source == f"{base}{path}" and reason in err.value.reason


def test_parse_feed_refuses_empty_and_garbage():
    with pytest.raises(IngestError, match="empty"):
        parse_feed(b"  ", "mem://feed")
    with pytest.raises(IngestError, match="not an RSS or Atom feed"):
        parse_feed(b"\x00\x01 random bytes", "mem://feed")


def test_feed_entry_keys_are_stable_and_skip_works(base):
    first = read_feed(f"{base}/feed.xml")
    again = read_feed(f"{base}/feed.xml")
    assert [e.key for e in first.entries] == [e.key for e in again.entries]
    seen = {first.entries[0].key}
    assert len(list(iter_feed(first, skip=lambda e: e.key in seen))) == 2


def test_html_to_text_keeps_paragraphs():
    assert html_to_text("<p>One &amp; two.</p><script>x()</script><p>Three<br>four</p>") == "One & two.\nThree\nfour"
