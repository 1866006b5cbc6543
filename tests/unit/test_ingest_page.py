"""The Ingest page's link-or-feed tab, under Streamlit's AppTest, with the local web server."""

from __future__ import annotations

import html

import pytest
from streamlit.testing.v1 import AppTest

from components.pages.markup import WORD_JOINER
from tests.fixtures.ingest.server import local_server

pytestmark = pytest.mark.model


@pytest.fixture()
def page_db(database_url, monkeypatch, extractor):
    """A database of its own (SQLite, then PostgreSQL): the page's cached store is pointed at it, then back."""
    from components.pages.common import clear_query_caches, get_store

    monkeypatch.setenv("DATABASE_URL", database_url)
    get_store.clear()
    clear_query_caches()
    yield
    get_store.clear()
    clear_query_caches()


def page() -> AppTest:
    at = AppTest.from_string("from components.pages import ingest\ningest.render()", default_timeout=120)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_existing_tabs_and_buttons_are_kept(page_db):
    at = page()
    assert [t.label for t in at.tabs] == ["Paste text", "Upload files", "Link or feed"]
    assert at.button[0].label == "Extract and store"
    assert at.text_input[0].label == "Title"


def shown(markdown: str) -> str:
    """What a reader sees of a message: untrusted parts are written as character references (pages/markup.py)."""
    return html.unescape(markdown).replace(WORD_JOINER, "")


def test_an_article_link_and_a_feed(page_db):
    with local_server() as base:
        at = page()
        at.text_input(key="ingest_url").set_value(f"{base}/news/port-strike.html").run()
        at.button(key="ingest_url_go").click().run()
        assert not at.exception, [e.value for e in at.exception]
        assert any(f"Stored {base}/news/port-strike.html" in shown(s.value) for s in at.success), [s.value for s in at.success]
        at.text_input(key="ingest_url").set_value(f"{base}/missing").run()
        at.button(key="ingest_url_go").click().run()
        assert any("404" in shown(e.value) for e in at.error)
        at.text_input(key="ingest_url").set_value(f"{base}/feed2.xml").run()
        at.radio(key="ingest_url_kind").set_value("an RSS or Atom feed (store its entries and follow it)").run()
        at.button(key="ingest_url_go").click().run()
        assert any(f"{base}/news/late.html" in shown(s.value) for s in at.success), [s.value for s in at.success]
        assert any("already stored" in shown(i.value) for i in at.info)
        assert any("Harbour Desk" in shown(c.value) for c in at.caption)
        at.button(key="ingest_refresh").click().run()
        assert any("No new entries" in i.value for i in at.info)
