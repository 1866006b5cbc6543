"""End-to-end: built-in accounts in a real browser. A sign-in survives a reload, a link opened while
signed out opens its page after sign-in, and signing out ends the session for good.

Its own server, on a team's database: two articles written for this test, one admin account.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.test_browser import (  # noqa: F401  (fixtures are used by name)
    PROJECT_ROOT,
    SERVER_START_TIMEOUT,
    Server,
    _free_port,
    _healthy,
    _new_page,
    browser,
    wait_for_app,
)

pytestmark = [pytest.mark.e2e, pytest.mark.model]  # the two articles are extracted with the model

NAME, PASSWORD = "desk lead", "a passphrase only this test knows"
APP_TIMEOUT = 60_000  # ms
ARTICLES = {
    "harbour.txt": ("Title: Ferry link to the islands reopens after talks\nPublished: 2025-03-04\nSource: Coastal Desk\n\n"
                    "PORT ELLIS — Negotiators from both island councils met in Port Ellis on Monday and agreed to reopen "
                    "the ferry link, a spokesperson for the mediators said. Two crew members were wounded when a mooring "
                    "line snapped during the first crossing, the harbour master said.\n"),
    "border.txt": ("Title: Border crossing closed after shelling\nPublished: 2025-03-06\nSource: Coastal Desk\n\n"
                   "KHARKIV, Ukraine — Shelling near a border crossing north of Kharkiv killed three people on Wednesday, "
                   "the regional governor said, and the crossing was closed to civilians until further notice.\n"),
}


@pytest.fixture(scope="module")
def team(tmp_path_factory, extractor):
    """A server on a database with one admin account and two articles: (server, the id of the second article)."""
    from components.services.ingest import ingest_paths
    from components.store import Store
    from components.store import accounts as auth

    workdir = tmp_path_factory.mktemp("e2e-sign-in")
    texts = workdir / "articles"
    texts.mkdir()
    for name, text in ARTICLES.items():
        (texts / name).write_text(text, encoding="utf-8")
    url = f"sqlite:///{workdir / 'team.db'}"
    store = Store(url)
    report = ingest_paths([texts], store, extractor, progress=False)
    assert report.count("failed") == 0, report.summary()
    auth.create_user(store, NAME, "admin", PASSWORD)
    articles = store.articles()
    wanted = int(articles[articles["title"] == "Border crossing closed after shelling"]["id"].iloc[0])
    store.engine.dispose()
    with _serve(workdir, url) as server:
        yield server, wanted


class _serve:
    """`streamlit run app.py` on a free port for the database `url`, stopped on leaving."""

    def __init__(self, workdir: Path, url: str):
        self.workdir, self.url = workdir, url

    def __enter__(self) -> Server:
        port = _free_port()
        base_url = f"http://127.0.0.1:{port}"
        env = dict(os.environ, DATABASE_URL=self.url, PYTHONUNBUFFERED="1", REQUIRE_SIGN_IN="1")
        env.pop("SESSION_HOURS", None)
        log = self.workdir / "streamlit.stderr.log"
        cmd = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.port", str(port),
               "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"]
        with open(log, "wb") as err:
            self.proc = subprocess.Popen(cmd, cwd=PROJECT_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=err)
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while not _healthy(base_url):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.__exit__()
                pytest.fail(f"streamlit server did not start:\n{log.read_text(errors='replace')[-6000:]}", pytrace=False)
            time.sleep(0.5)
        return Server(base_url, log, self.workdir)

    def __exit__(self, *exc: object) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)


def heading(page: Page, text: str) -> None:
    wait_for_app(page, text, timeout=APP_TIMEOUT)


def sign_in(page: Page) -> None:
    heading(page, "Sign in")
    page.get_by_role("textbox", name="Name").fill(NAME)
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def session_cookie(page: Page) -> dict | None:
    return next((c for c in page.context.cookies() if c["name"] == "monitor_session"), None)


def test_a_reload_keeps_the_session_a_link_survives_sign_in_and_sign_out_ends_it(team, browser: Browser) -> None:  # noqa: F811
    server, article_id = team
    page = _new_page(browser)
    try:
        page.goto(server.url("/"), wait_until="domcontentloaded")
        sign_in(page)
        heading(page, "Overview")
        cookie = session_cookie(page)
        assert cookie is not None and cookie["sameSite"] == "Strict" and cookie["expires"] > time.time() + 11 * 3600
        assert cookie["value"] not in page.url

        page.reload(wait_until="domcontentloaded")
        heading(page, "Overview")  # still signed in: no form
        expect(page.locator('[data-testid="stSidebar"]')).to_contain_text(f"Signed in as {NAME}")
        assert page.get_by_role("textbox", name="Password").count() == 0

        page.locator('[data-testid="stSidebar"]').get_by_role("button", name="Sign out").click()
        heading(page, "Sign in")
        page.reload(wait_until="domcontentloaded")
        heading(page, "Sign in")  # the session was revoked, and the browser dropped its cookie
        assert session_cookie(page) is None
    finally:
        page.context.close()

    linked = _new_page(browser)  # a colleague's link, opened in a browser that is not signed in
    try:
        linked.goto(server.url(f"/articles?article={article_id}"), wait_until="domcontentloaded")
        sign_in(linked)
        heading(linked, "Articles")
        expect(linked.get_by_role("heading", name="Border crossing closed after shelling")).to_be_visible(timeout=APP_TIMEOUT)
        address = urlparse(linked.url)
        assert address.path.rstrip("/").endswith("/articles") and parse_qs(address.query).get("article") == [str(article_id)], linked.url
    finally:
        linked.context.close()
