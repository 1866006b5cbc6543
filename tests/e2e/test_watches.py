"""End-to-end: save a view as a watch in Chromium, ingest a new article from the command line into
the same database while the app runs, and see it under the watch as new on the Overview."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_browser import (  # noqa: F401  (fixtures are used by name)
    FIRST_LOAD_TIMEOUT,
    PROJECT_ROOT,
    Server,
    browser,
    follow,
    open_page,
    page,
    server,
    wait_for_app,
)

pytestmark = [pytest.mark.e2e, pytest.mark.model]  # the app and the ingest command extract with the model

WATCH = "Killed, later reports"
TITLE = "Drone strike on Pokrovsk bus station kills six"
ARTICLE = (
    f"Title: {TITLE}\n"
    "Published: 2025-07-18\n"  # after every sample article: the watch's dates must stay open to see it
    "Source: Watch Test Wire\n"
    "\n"
    "POKROVSK, Ukraine — A Russian drone struck the bus station in Pokrovsk on Friday morning, killing six people "
    "and wounding nine, the city's military administration said. Emergency crews cleared debris through the afternoon.\n"
)


def ingest_from_the_command_line(server: Server, tmp_path) -> None:  # noqa: F811
    path = tmp_path / "pokrovsk.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{server.workdir / 'e2e.db'}")
    done = subprocess.run([sys.executable, "-m", "components", "ingest", str(path)], cwd=PROJECT_ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "stored" in (done.stdout + done.stderr).lower(), done.stdout + done.stderr


def watch_panel(page: Page):  # noqa: F811
    return page.locator('[data-testid="stExpander"]').filter(has=page.locator("summary", has_text=WATCH))


def test_a_watch_shows_an_article_ingested_from_the_command_line_as_new(page: Page, server: Server, tmp_path) -> None:  # noqa: F811
    open_page(page, server, "?ckind=killed", "Overview")
    page.get_by_text("Save these filters as a watch").click()
    page.get_by_label("Save the filters in the sidebar as a watch").fill(WATCH)
    page.get_by_role("button", name="Save as a watch").click()
    wait_for_app(page, "Overview")
    expect(page.locator('[data-testid="stAlertContentSuccess"]').filter(has_text=f"Saved the watch “{WATCH}”")).to_be_visible()
    panel = watch_panel(page)
    expect(panel.locator("summary")).to_contain_text("nothing new")

    ingest_from_the_command_line(server, tmp_path)  # while the app runs, into its database

    page.reload(wait_until="domcontentloaded")
    wait_for_app(page, "Overview", timeout=FIRST_LOAD_TIMEOUT)
    panel = watch_panel(page)
    expect(panel.locator("summary")).to_contain_text("1 new incident")
    panel.locator("summary").click()
    expect(panel).to_contain_text("New incidents")
    expect(panel).to_contain_text("Pokrovsk, Ukraine")
    expect(panel).to_contain_text("killed 6")
    expect(panel).to_contain_text(TITLE)
    expect(panel).not_to_contain_text("wounded 9")  # the watch keeps killed figures only

    panel.get_by_role("button", name="Mark as seen").click()
    wait_for_app(page, "Overview")
    expect(watch_panel(page).locator("summary")).to_contain_text("nothing new")


def test_the_watch_link_opens_its_view(page: Page, server: Server) -> None:  # noqa: F811
    from components.services.watches import create_watch
    from components.store import Filters, Store

    # Saved as the app's single user would (the same owner), straight into the app's database.
    create_watch(Store(f"sqlite:///{server.workdir / 'e2e.db'}"), "Wounded", Filters(casualty_kinds=("wounded",)))
    open_page(page, server, "", "Overview")  # no filters in the address
    panel = page.locator('[data-testid="stExpander"]').filter(has=page.locator("summary", has_text="Wounded · "))
    panel.locator("summary").click()
    link = panel.locator("a.watch-link")
    expect(link).to_be_visible()
    assert parse_qs(urlparse(link.get_attribute("href")).query) == {"ckind": ["wounded"]}
    follow(page, link, re.compile(r"ckind=wounded"))
    wait_for_app(page, "Overview", timeout=FIRST_LOAD_TIMEOUT)
    assert parse_qs(urlparse(page.url).query) == {"ckind": ["wounded"]}, page.url
    kinds = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').filter(has_text="Casualty kinds")
    expect(kinds).to_contain_text("wounded")
