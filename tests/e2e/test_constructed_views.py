"""End-to-end on a database whose answers are known (tests/fixtures/trends_db.py, built through
the store, no language model): the Trends table's change levels, the Overview by its name in
the address, and a date range in the address that cannot be used."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_browser import (  # noqa: F401  (fixtures are used by name)
    Server,
    _new_page,
    as_int,
    browser,
    metric_value,
    open_page,
    serve_app,
    wait_for_app,
)
from tests.fixtures.trends_db import EMERGING, LEVELS, build_trends_database

pytestmark = pytest.mark.e2e

ARTICLES = 23  # in the constructed database
ACROSS = {"Arvania": 5, "Belmora": 5, "Corsena": 5, "Dravia": 5, "Estovia": 3}  # articles of each country


@pytest.fixture(scope="module")
def constructed_server(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("e2e-constructed")
    url = f"sqlite:///{workdir / 'constructed.db'}"
    build_trends_database(url)
    with serve_app(workdir, url) as running:
        yield running


@pytest.fixture()
def page(browser, constructed_server, request):  # noqa: F811
    pg = _new_page(browser)
    yield pg
    if any(getattr(request.node, f"rep_{when}", None) is not None and getattr(request.node, f"rep_{when}").failed for when in ("setup", "call")):
        shot = constructed_server.workdir / f"{request.node.name}.png".replace("/", "_")
        pg.screenshot(path=str(shot), full_page=True)
        print(f"screenshot of the failure: {shot}\n--- streamlit stderr (tail) ---\n{constructed_server.log_tail()}")
    pg.context.close()


def table_rows(page: Page, index: int = 0) -> list[list[str]]:
    """The cells of a table (st.dataframe) as the grid shows them to assistive technology, row by row."""
    grid = page.locator('[data-testid="stDataFrame"]').nth(index)
    expect(grid.locator('[role="gridcell"]').first).to_be_attached()
    headers = grid.locator('[role="columnheader"]').all_inner_texts()
    cells = [c.strip() for c in grid.locator('[role="gridcell"]').all_inner_texts()]
    assert headers and len(cells) % len(headers) == 0, (headers, cells)
    return [[h.strip() for h in headers]] + [cells[i : i + len(headers)] for i in range(0, len(cells), len(headers))]


def by_first_column(rows: list[list[str]]) -> dict[str, dict[str, str]]:
    header, *body = rows
    return {row[0]: dict(zip(header, row, strict=True)) for row in body}


def test_trends_shows_the_known_change_levels(page: Page, constructed_server: Server) -> None:
    open_page(page, constructed_server, "trends", "Trends")
    expect(page.get_by_text("2025-06-23 to 2025-06-29 against the average of the 4 periods of 7 days before")).to_be_visible()
    page.locator('[data-testid="stRadio"]').filter(has_text="Count").get_by_text("Killed", exact=True).click()
    wait_for_app(page, "Trends")
    expect(page.locator('[data-testid="stDataFrame"] [role="gridcell"]', has_text="Arvania").first).to_be_attached()
    countries = by_first_column(table_rows(page))
    assert {name: row["level"] for name, row in countries.items()} == LEVELS
    # The grid tells assistive technology the numbers themselves (the table draws the change as "+200%").
    assert (countries["Arvania"]["current"], countries["Arvania"]["baseline"], countries["Arvania"]["Change"]) == ("30", "10", "200")
    assert (countries["Belmora"]["Change"], countries["Corsena"]["Change"], countries["Dravia"]["Change"]) == ("20", "-15", "-60")
    # The low baseline: 0.5 a week to 2 is +300%, yet a limited change.
    assert (countries["Estovia"]["baseline"], countries["Estovia"]["Change"], countries["Estovia"]["level"]) == ("0.5", "300", "limited change")
    for level in ("Large increase", "Moderate increase", "Limited change", "Moderate decrease", "Large decrease"):
        assert as_int(metric_value(page, level)) == 1


def test_trends_flags_the_emerging_actor(page: Page, constructed_server: Server) -> None:
    open_page(page, constructed_server, "trends?trend_unit=Actors", "Trends")
    expect(page.locator('[data-testid="stDataFrame"] [role="gridcell"]', has_text=EMERGING).first).to_be_attached()
    actors = by_first_column(table_rows(page))
    emerging = actors[EMERGING]
    assert (emerging["current"], emerging["baseline"], emerging["level"], emerging["Emerging"]) == ("3", "0", "large increase", "true")
    assert emerging["Change"] == ""  # no percentage from nothing: drawn as a dash, and read out as nothing, never "None"
    assert {name: row["level"] for name, row in actors.items() if name != EMERGING} == dict.fromkeys(LEVELS, "limited change")
    assert all(row["Emerging"] == "false" for name, row in actors.items() if name != EMERGING)


def test_the_overview_opens_by_its_name_with_the_filters_kept(page: Page, constructed_server: Server) -> None:
    open_page(page, constructed_server, "overview?country=Arvania", "Overview")
    expect(page.get_by_text("Page not found")).to_have_count(0)
    address = urlparse(page.url)
    assert address.path in ("", "/") and parse_qs(address.query).get("country") == ["Arvania"], page.url
    assert as_int(metric_value(page, "Articles")) == ACROSS["Arvania"]
    nav = page.locator('[data-testid="stSidebarNav"] a[aria-current="page"], [data-testid="stSidebarNav"] [aria-current="page"]')
    expect(nav.first).to_contain_text("Overview")
    open_page(page, constructed_server, "", "Overview")  # and at the root, as before
    expect(page.get_by_text("Page not found")).to_have_count(0)
    assert as_int(metric_value(page, "Articles")) == ARTICLES


@pytest.mark.parametrize(("query", "why"), [
    ("dates=2025-06-29&dates=2025-06-22", "its start, 2025-06-29, is after its end, 2025-06-22"),
    ("from=2025-06-29&to=2025-06-22", "its start, 2025-06-29, is after its end, 2025-06-22"),
    ("dates=someday&dates=2025-06-22", '"someday" is not a date'),
    ("from=%3Cscript%3Ealert(1)%3C/script%3E", "is not a date"),
])
def test_an_unusable_date_range_in_the_address_says_why(page: Page, constructed_server: Server, query: str, why: str) -> None:
    open_page(page, constructed_server, f"casualties?{query}", "Casualties")
    warning = page.locator('[data-testid="stAlertContentWarning"]')
    expect(warning).to_have_count(1)
    text = warning.inner_text().replace("\u2060", "")
    assert why in text and "is ignored" in text and "Showing every date" in text, text
    assert as_int(metric_value(page, "Incidents")) == ARTICLES  # every date: one incident per report
    assert page.locator("script", has_text="alert(1)").count() == 0


def test_a_range_in_the_address_as_from_and_to(page: Page, constructed_server: Server) -> None:
    open_page(page, constructed_server, "casualties?from=2025-06-22&to=2025-06-29", "Casualties")
    expect(page.locator('[data-testid="stAlertContentWarning"]')).to_have_count(0)
    assert as_int(metric_value(page, "Incidents")) == 10
    shown = page.locator('[data-testid="stSidebar"] [data-testid="stDateInput"]').first
    expect(shown).to_contain_text(re.compile(r"2025\W*06\W*22"))
    expect(shown).to_contain_text(re.compile(r"2025\W*06\W*29"))
