"""End-to-end: the incident map draws its country borders with no request to any other host."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_browser import (  # noqa: F401  (fixtures are used by name)
    CHART_TIMEOUT,
    VEGA_DRAWN,
    Server,
    browser,
    open_page,
    page,
    server,
)

pytestmark = [pytest.mark.e2e, pytest.mark.model]


def test_the_map_draws_offline(page: Page, server: Server) -> None:  # noqa: F811
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(urlparse(request.url).hostname or request.url.split(":", 1)[0]))
    open_page(page, server, "casualties", "Casualties")
    charts = page.locator(VEGA_DRAWN)
    expect(charts.nth(2)).to_be_attached(timeout=CHART_TIMEOUT)  # over time, by place, then the map
    box = charts.nth(2).bounding_box()
    assert box is not None and box["width"] > 400 and box["height"] > 300, box
    # Borders come with the page: the browser asked nothing of a tile or font server.
    assert hosts <= {"127.0.0.1", "data", "blob"}, hosts
