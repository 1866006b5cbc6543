"""End-to-end: what a hostile or stale input does in the browser.

A title, outlet or file name is shown as typed (no link, no bold, no formula); an address
that names no article opens none, says so, and never shows another article or a traceback.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_browser import (  # noqa: F401  (fixtures are used by name)
    APP_READY,
    FIRST_LOAD_TIMEOUT,
    Server,
    browser,
    open_page,
    page,
    server,
    wait_for_app,
)

pytestmark = [pytest.mark.e2e, pytest.mark.model]

HOSTILE_TITLE = "Talks stall [click](https://example.org/x) **loud** $E=mc^2$ <b>tag</b>"
HOSTILE_OUTLET = "Desk_Wire *star* [w](javascript:alert(1))"
ARTICLE = "Envoys of the two governments met in Geneva on Tuesday and agreed to meet again next month, officials said."


def _paste(page: Page, server: Server) -> None:  # noqa: F811
    open_page(page, server, "ingest", "Ingest")
    page.get_by_role("tab", name="Paste text").click()
    page.get_by_label("Title").fill(HOSTILE_TITLE)
    page.get_by_label("Outlet").fill(HOSTILE_OUTLET)
    page.get_by_label("Article text").fill(ARTICLE)
    page.get_by_role("button", name="Extract and store").click()
    expect(page.locator('[data-testid="stAlertContentSuccess"]').first).to_be_visible(timeout=FIRST_LOAD_TIMEOUT)
    wait_for_app(page)


def test_titles_and_outlets_are_shown_as_typed(page: Page, server: Server) -> None:  # noqa: F811
    _paste(page, server)
    stored = page.locator('[data-testid="stAlertContentSuccess"]').first
    link = re.search(r"article #(\d+)", stored.inner_text())
    assert link, stored.inner_text()
    open_page(page, server, f"articles?article={link.group(1)}", "Articles")
    heading = page.locator('[data-testid="stHeading"]').filter(has_text="Talks stall").first
    expect(heading).to_be_visible()
    shown = heading.inner_text().replace("\u2060", "")  # word joiners keep bare addresses from turning into links
    assert HOSTILE_TITLE in shown, shown
    main = page.locator('[data-testid="stMain"]')
    assert main.locator('a[href*="example.org"], a[href^="javascript"]').count() == 0
    assert main.locator(".katex").count() == 0, "a title was read as a formula"
    assert heading.locator("strong, b").count() == 0, "a title was read as Markdown"
    assert HOSTILE_OUTLET in main.inner_text().replace("\u2060", "")


@pytest.mark.parametrize("value", ["99999999999999999999", "²", "-1", "abc", "0", "9" * 5000, "123456789"])
def test_an_address_that_names_no_article_opens_none(page: Page, server: Server, value: str) -> None:  # noqa: F811
    page.goto(server.url(f"articles?article={value}"), wait_until="domcontentloaded")
    page.wait_for_selector(APP_READY, timeout=FIRST_LOAD_TIMEOUT)
    expect(page.locator("h1", has_text="Articles").first).to_be_visible()
    error = page.locator('[data-testid="stAlertContentError"]')
    expect(error.first).to_contain_text("No article")
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator("mark.hl-actor, mark.hl-casualty").count() == 0, "another article was opened"
