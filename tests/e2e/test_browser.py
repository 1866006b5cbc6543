"""End-to-end: the real Streamlit server, driven by headless Chromium through Playwright.

One server per module, on a free port, with its own SQLite file (never data/conflict.db). The
app loads the illustrative sample articles itself on its first script run, so the first page
load is slow (~10-20 s). Each test gets a fresh browser context.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip(f"browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium)", allow_module_level=True)
pytest.importorskip("playwright.sync_api", reason="browser tests need the playwright Python package (pip install playwright)")

from playwright.sync_api import Browser, Locator, Page, expect, sync_playwright  # noqa: E402
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError  # noqa: E402

pytestmark = [pytest.mark.e2e, pytest.mark.model]  # the app extracts the sample articles with the model on its first run

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
SERVER_START_TIMEOUT = 60  # s, until /_stcore/health answers "ok"
FIRST_LOAD_TIMEOUT = 90_000  # ms; the first script run ingests the sample articles
CHART_TIMEOUT = 30_000  # ms

APP_READY = '[data-testid="stApp"][data-test-script-state="notRunning"]'
VEGA_DRAWN = '[data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg'

E2E_TITLE = "Shelling hits Kramatorsk market"
E2E_SOURCE = "E2E Wire"
E2E_FILE = "e2e-strike.txt"
E2E_ARTICLE = (
    f"Title: {E2E_TITLE}\n"
    "Published: 2025-07-15\n"
    f"Source: {E2E_SOURCE}\n"
    "\n"
    "KRAMATORSK, Ukraine — Russian shelling of a market in Kramatorsk on Tuesday killed four people and "
    "wounded 11, the regional governor said. Vadym Filashkin, the governor of the Donetsk region, said "
    "rescuers were still searching the rubble. Ukraine's Foreign Ministry called the attack a war crime.\n"
)

PAGES = {
    "overview": "Overview",
    "actors": "Actors",
    "casualties": "Casualties",
    "trends": "Trends",
    "negotiations": "Negotiations",
    "articles": "Articles",
    "ingest": "Ingest",
}
PAGES_WITH_CHARTS = {"overview", "actors", "casualties", "negotiations"}


# --------------------------------------------------------------------------- server and browser


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _healthy(base_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=2) as resp:
            return resp.status == 200 and resp.read().decode().strip() == "ok"
    except OSError:
        return False


class Server:
    def __init__(self, base_url: str, log: Path, workdir: Path):
        self.base_url = base_url
        self.log = log
        self.workdir = workdir

    def url(self, path: str) -> str:
        return f"{self.base_url}/{path.lstrip('/')}"

    def log_tail(self, chars: int = 6000) -> str:
        try:
            return self.log.read_text(errors="replace")[-chars:]
        except OSError:
            return "(no server log)"


@contextmanager
def serve_app(workdir: Path, database_url: str) -> Iterator[Server]:
    """`streamlit run app.py` on a free local port over `database_url`, until the block ends."""
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = dict(os.environ)
    env["DATABASE_URL"] = database_url
    env["PYTHONUNBUFFERED"] = "1"
    stderr_log = workdir / "streamlit.stderr.log"
    stdout_log = workdir / "streamlit.stdout.log"
    cmd = [
        sys.executable, "-m", "streamlit", "run", "app.py",
        "--server.headless", "true", "--server.port", str(port), "--server.address", "127.0.0.1",
        "--browser.gatherUsageStats", "false",
    ]
    with open(stderr_log, "wb") as err, open(stdout_log, "wb") as out:
        proc = subprocess.Popen(cmd, cwd=PROJECT_ROOT, env=env, stdout=out, stderr=err)
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while not _healthy(base_url):
            if proc.poll() is not None or time.monotonic() > deadline:
                why = f"exited with code {proc.returncode}" if proc.poll() is not None else f"not healthy after {SERVER_START_TIMEOUT} s"
                stderr = stderr_log.read_text(errors="replace")
                print(f"streamlit server {why}; stderr:\n{stderr}", file=sys.stderr)
                pytest.fail(f"streamlit server {why}: {' '.join(cmd)}\n--- stderr ---\n{stderr[-6000:]}", pytrace=False)
            time.sleep(0.5)
        yield Server(base_url, stderr_log, workdir)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("e2e")
    with serve_app(workdir, f"sqlite:///{workdir / 'e2e.db'}") as running:
        yield running


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


def _new_page(browser: Browser) -> Page:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(30_000)
    return context.new_page()


@pytest.fixture()
def page(browser, server, request):
    """A page in a fresh browser context; on failure, a screenshot and the server log are kept."""
    pg = _new_page(browser)
    yield pg
    failed = any(getattr(request.node, f"rep_{when}", None) is not None and getattr(request.node, f"rep_{when}").failed for when in ("setup", "call"))
    if failed:
        shot = server.workdir / f"{request.node.name}.png".replace("/", "_")
        try:
            pg.screenshot(path=str(shot), full_page=True)
            (server.workdir / f"{request.node.name}.html".replace("/", "_")).write_text(pg.content())
            print(f"screenshot and DOM of the failure: {shot} (.html beside it)")
        except Exception as exc:  # the page may be gone
            print(f"no screenshot: {exc}")
        print(f"--- streamlit stderr (tail) ---\n{server.log_tail()}")
    pg.context.close()


# --------------------------------------------------------------------------- helpers


def wait_for_app(page: Page, heading: str | None = None, timeout: float = FIRST_LOAD_TIMEOUT) -> None:
    """The script has finished its run (and the page's title is shown), with no exception or error."""
    page.wait_for_selector(APP_READY, timeout=timeout)
    if heading is not None:
        expect(page.locator("h1", has_text=heading).first).to_be_visible(timeout=timeout)
        # Elements that follow the title are drawn by the same run; let it settle.
        page.wait_for_selector(APP_READY, timeout=timeout)
    exceptions = page.locator('[data-testid="stException"]')
    assert exceptions.count() == 0, f"exception shown on {page.url}:\n" + "\n---\n".join(exceptions.all_inner_texts())
    errors = page.locator('[data-testid="stAlertContentError"]')
    assert errors.count() == 0, f"error shown on {page.url}:\n" + "\n---\n".join(errors.all_inner_texts())


def open_page(page: Page, server: Server, path: str, heading: str | None = None) -> None:
    page.goto(server.url(path), wait_until="domcontentloaded")
    wait_for_app(page, heading)


def follow(page: Page, link: Locator, url: re.Pattern[str], tries: int = 3) -> None:
    """Click the link and wait for its page. On a loaded machine the charts above it may still be
    drawing and move it between Playwright's check and its click, which then lands elsewhere:
    click again (a link's click has no side effect but the navigation)."""
    for attempt in range(tries):
        try:
            with page.expect_navigation(url=url, wait_until="commit", timeout=15_000):
                link.click()
            return
        except PlaywrightTimeoutError:
            if attempt == tries - 1:
                raise
            wait_for_app(page)


def metric_value(page: Page, label: str) -> str:
    """The displayed value of the one metric whose label is exactly `label`."""
    metric = page.locator('[data-testid="stMetric"]').filter(
        has=page.locator('[data-testid="stMetricLabel"]', has_text=re.compile(rf"^\s*{re.escape(label)}\s*$"))
    )
    expect(metric).to_have_count(1)
    return metric.locator('[data-testid="stMetricValue"]').inner_text().strip()


def as_int(text: str) -> int:
    digits = text.replace(",", "").replace("\u202f", "").replace("\xa0", "").strip()
    assert re.fullmatch(r"-?\d+", digits), f"not a whole number: {text!r}"
    return int(digits)


def upload_article(browser: Browser, server: Server) -> dict:
    """Ingest E2E_ARTICLE through the Ingest page's upload control; what the page showed."""
    page = _new_page(browser)
    try:
        open_page(page, server, "ingest", "Ingest")
        page.get_by_role("tab", name="Upload files").click()
        uploader = page.locator('[data-testid="stFileUploader"]')
        uploader.locator('input[type="file"]').set_input_files(
            files=[{"name": E2E_FILE, "mimeType": "text/plain", "buffer": E2E_ARTICLE.encode("utf-8")}]
        )
        expect(uploader).to_contain_text(E2E_FILE)
        button = page.get_by_role("button", name="Extract and store the files")
        expect(button).to_be_visible(timeout=30_000)
        wait_for_app(page)
        button.click()
        success = page.locator('[data-testid="stAlertContentSuccess"]').filter(has_text="Stored")
        expect(success.first).to_be_visible(timeout=FIRST_LOAD_TIMEOUT)
        wait_for_app(page)
        expect(page.get_by_role("heading", name="What was extracted")).to_be_visible()
        return {
            "success": success.first.inner_text(),
            "killed": metric_value(page, "Killed"),
            "wounded": metric_value(page, "Wounded"),
        }
    finally:
        page.context.close()


@pytest.fixture(scope="module")
def uploaded(browser, server) -> dict:
    """The E2E article, ingested once per module, so tests that need it do not depend on order."""
    return upload_article(browser, server)


# --------------------------------------------------------------------------- tests


@pytest.mark.parametrize("path", list(PAGES))
def test_page_opens_by_url(page: Page, server: Server, path: str) -> None:
    # The default page (Overview) lives at "/"; the others keep their own path.
    open_page(page, server, "" if path == "overview" else path, PAGES[path])
    expect(page.get_by_text("Page not found")).to_have_count(0)
    if path != "overview":
        assert page.url.split("?")[0].rstrip("/").endswith(f"/{path}"), page.url
    if path in PAGES_WITH_CHARTS:
        drawn = page.locator(VEGA_DRAWN).first
        drawn.wait_for(state="attached", timeout=CHART_TIMEOUT)
        box = drawn.bounding_box()
        assert box is not None and box["width"] > 0 and box["height"] > 0, f"the chart on {path} was drawn empty: {box}"
    if path == "overview":
        killed = as_int(metric_value(page, "Killed"))
        assert killed > 0, "the sample articles report deaths, but the Overview's Killed metric is 0"
        assert as_int(metric_value(page, "Articles")) > 0


def test_articles_page_highlights_the_text(page: Page, server: Server) -> None:
    open_page(page, server, "articles", "Articles")
    actor = page.locator("mark.hl-actor")
    casualty = page.locator("mark.hl-casualty")
    expect(actor.first).to_be_attached(timeout=CHART_TIMEOUT)
    expect(casualty.first).to_be_attached(timeout=CHART_TIMEOUT)
    assert actor.count() >= 1 and casualty.count() >= 1
    # Each mark says what was extracted: a casualty kind and its count, e.g. "killed: 12" or "wounded: 40 (at least)".
    title = casualty.first.get_attribute("title") or ""
    assert re.fullmatch(r"(killed|wounded|missing|abducted|arrested): \d+( \(.+\))?", title), title


def test_ingest_by_upload_and_read_it_back(page: Page, server: Server, uploaded: dict) -> None:
    assert "Stored" in uploaded["success"] and E2E_FILE in uploaded["success"], uploaded["success"]
    assert as_int(uploaded["killed"]) == 4, uploaded
    assert as_int(uploaded["wounded"]) == 11, uploaded

    open_page(page, server, "articles", "Articles")
    selectbox = page.locator('[data-testid="stSelectbox"]').filter(has_text="Article").first
    selectbox.click()
    page.keyboard.type("Kramatorsk market")
    option = page.get_by_role("option", name=re.compile(re.escape(E2E_TITLE)))
    expect(option.first).to_be_visible()
    option.first.click()
    wait_for_app(page)
    expect(page.get_by_role("heading", name=E2E_TITLE)).to_be_visible()
    expect(page.locator("mark.hl-casualty", has_text="four").first).to_be_attached()


def test_source_filter_from_url(page: Page, server: Server, uploaded: dict) -> None:
    open_page(page, server, "casualties?source=E2E%20Wire", "Casualties")
    outlets = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').filter(has_text="Outlets")
    expect(outlets).to_contain_text(E2E_SOURCE)
    # Only the E2E article passes the filter: its toll is the page's total.
    assert as_int(metric_value(page, "Killed")) == 4
    assert as_int(metric_value(page, "Wounded")) == 11
    assert "source=E2E" in page.url
