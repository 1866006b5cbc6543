"""End-to-end: the analyst's flows — a shared link in a fresh browser, click-through from an
incident to its sentence, and brushing a time range on the Overview."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_browser import (  # noqa: F401  (fixtures are used by name)
    FIRST_LOAD_TIMEOUT,
    VEGA_DRAWN,
    Server,
    _new_page,
    as_int,
    browser,
    follow,
    metric_value,
    open_page,
    page,
    server,
    wait_for_app,
)

pytestmark = [pytest.mark.e2e, pytest.mark.model]  # the app extracts the sample articles with the model on its first run


def test_a_copied_link_opens_the_same_view_in_a_fresh_browser(page: Page, server: Server, browser) -> None:  # noqa: F811
    open_page(page, server, "casualties?ckind=killed&source=Eastern%20Desk", "Casualties")
    killed = as_int(metric_value(page, "Killed"))
    wounded = as_int(metric_value(page, "Wounded"))
    assert killed > 0 and wounded == 0  # only killed figures, only one outlet
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_text("Share this view").click()
    link = sidebar.locator('[data-testid="stCode"] code').first.inner_text().strip()
    params = parse_qs(urlparse(link).query)
    assert params.get("ckind") == ["killed"] and params.get("source") == ["Eastern Desk"], link
    fresh = _new_page(browser)
    try:
        fresh.goto(link.replace(urlparse(link).netloc, urlparse(server.base_url).netloc), wait_until="domcontentloaded")
        wait_for_app(fresh, "Casualties", timeout=FIRST_LOAD_TIMEOUT)
        assert as_int(metric_value(fresh, "Killed")) == killed
        assert as_int(metric_value(fresh, "Wounded")) == 0
        expect(fresh.locator('[data-testid="stSidebar"]')).to_contain_text("Eastern Desk")
    finally:
        fresh.context.close()


def test_click_from_an_incident_to_its_sentence(page: Page, server: Server) -> None:  # noqa: F811
    open_page(page, server, "casualties", "Casualties")
    chooser = page.locator('[data-testid="stSelectbox"]').filter(has_text="Sources of an incident")
    chooser.click()
    page.keyboard.type("Kharkiv")  # the list is long and virtualised: filter it first
    page.get_by_role("option", name=re.compile("Kharkiv")).first.click()
    wait_for_app(page)
    link = page.locator("a.evidence-link").first
    expect(link).to_be_visible()
    title = link.inner_text()
    # The chosen incident is in the address: a link opens the same incident's sources.
    incident = parse_qs(urlparse(page.url).query).get("incident")
    assert incident and incident[0].isdigit(), page.url
    again = _new_page(page.context.browser)
    try:
        again.goto(server.url(f"casualties?incident={incident[0]}"), wait_until="domcontentloaded")
        wait_for_app(again, "Casualties", timeout=FIRST_LOAD_TIMEOUT)
        expect(again.locator("a.evidence-link", has_text=title).first).to_be_visible()
    finally:
        again.context.close()
    follow(page, link, re.compile(r"/articles\?article=\d+"))
    wait_for_app(page, "Articles")
    expect(page.locator("h3", has_text=title).first).to_be_visible()
    casualty = page.locator("mark.hl-casualty").first
    expect(casualty).to_be_visible()
    assert re.match(r"killed: \d+", casualty.get_attribute("title") or "")


def test_brushing_a_time_range_narrows_every_page(page: Page, server: Server) -> None:  # noqa: F811
    open_page(page, server, "", "Overview")  # the default page lives at the root
    before = as_int(metric_value(page, "Articles"))
    chart = page.locator('[data-testid="stVegaLiteChart"]').first
    drawn = chart.locator("svg.marks, canvas").first  # the plot itself, not the toolbar icons
    drawn.wait_for(state="visible")
    box = drawn.bounding_box()
    assert box is not None
    y = box["y"] + box["height"] * 0.55
    page.mouse.move(box["x"] + box["width"] * 0.15, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.45, y, steps=12)
    page.mouse.up()
    page.wait_for_url(re.compile(r"dates="), timeout=30_000)
    wait_for_app(page, "Overview")
    after = as_int(metric_value(page, "Articles"))
    assert 0 < after < before
    # The narrowed dates travel to the other pages through the address.
    query = urlparse(page.url).query
    open_page(page, server, f"negotiations?{query}", "Negotiations")
    expect(page.locator('[data-testid="stSidebar"] [data-testid="stDateInput"] input').first).not_to_have_value(re.compile("2025/06/02|2025-06-02"))


@pytest.mark.parametrize(("button", "suffix", "magic"), [("Briefing (HTML)", ".html", b"<!DOCTYPE html"), ("Briefing (PDF)", ".pdf", b"%PDF")])
def test_download_the_briefing_of_a_filtered_view(page: Page, server: Server, button: str, suffix: str, magic: bytes) -> None:  # noqa: F811
    open_page(page, server, "briefing?ckind=killed", "Export & briefing")
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name=button).click()
    download = info.value
    assert download.suggested_filename.endswith(suffix)
    body = Path(download.path()).read_bytes()
    assert body[: len(magic)].upper() == magic.upper(), body[:40]
    if suffix == ".html":
        text = body.decode("utf-8")
        assert "killed" in text.lower() and "<script" not in text.lower()


def test_download_a_table_as_csv(page: Page, server: Server) -> None:  # noqa: F811
    open_page(page, server, "briefing", "Export & briefing")
    with page.expect_download(timeout=60_000) as info:
        page.locator('[data-testid="stDownloadButton"]').filter(has_text="CSV").first.click()
    body = Path(info.value.path()).read_bytes().decode("utf-8-sig")
    assert body.count("\n") > 1 and "," in body.splitlines()[0]
