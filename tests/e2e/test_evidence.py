"""End-to-end: from a headline number to the sentence it came from, in Chromium.

"Show evidence" under a number opens a panel in the page (no new tab) listing what the number
adds up; the chosen item's article is shown with its sentence scrolled into view and the
figure marked (<mark class="evidence-focus">). The report used here is long, with its toll in
the last paragraph, so the figure is only visible if the panel scrolled to it.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.e2e.test_browser import (  # noqa: F401  (fixtures are used by name)
    FIRST_LOAD_TIMEOUT,
    PROJECT_ROOT,
    Server,
    _new_page,
    as_int,
    browser,
    metric_value,
    open_page,
    page,
    server,
    wait_for_app,
)

pytestmark = [pytest.mark.e2e, pytest.mark.model]

OUTLET = "Evidence Desk"
LONG_REPORT = "\n".join([
    "Title: A river port counts its losses after a quiet month",
    "Published: 2025-07-09",
    f"Source: {OUTLET}",
    "",
    "MYKOLAIV, Ukraine — For most of the month the ferry across the estuary kept its summer timetable, and the fish market "
    "by the old grain terminal opened every morning at six.",
    "Traders said the heat was the main worry of July: ice ran short by noon and the queue for the one working fridge truck "
    "stretched past the bus stop.",
    "The city council repainted the railings along the embankment and replaced two floating pontoons that a spring storm had torn loose.",
    "Schools ran summer classes in basements, where teachers had hung maps and children's drawings of boats on the concrete walls.",
    "A volunteer kitchen near the cathedral served soup and bread to anyone who came, and its cooks said more came than last year.",
    "The water company finished a new pipe from the northern reservoir, ending three years of tap water that tasted of salt.",
    "At the port, crane operators loaded sunflower oil onto a single freighter, the first to call in weeks.",
    "Fishermen mended nets on the slipway and argued about whether the mullet had come back to the shallow bays east of the city.",
    "A choir from the music college rehearsed in the park every evening, and people sat on the grass to listen until the curfew siren.",
    "The regional library reopened its reading room after moving the rare books to a village archive further inland.",
    "Bus drivers said the new route to the hospital saved twenty minutes, though the road past the shipyard was still full of holes.",
    "On the last Saturday of the month a small fair sold honey, cheese and carved toys, and the organisers promised another in August.",
    "Engineers checked the bridge over the Inhul river twice a week and reported no new cracks in its supports.",
    "The ferry captain, who has crossed the estuary for thirty years, said he had never seen the water so warm or so calm.",
    "Shelling of the Mykolaiv river port on Sunday evening killed seven people and wounded three, the regional governor said.",
    "",
])


@pytest.fixture(scope="module")
def long_report(browser, server, tmp_path_factory) -> None:  # noqa: F811
    """The long report, stored through the command line into the app's database (after the app's
    first run has loaded the samples, which it only does into an empty database)."""
    first = _new_page(browser)
    try:
        open_page(first, server, "", "Overview")
    finally:
        first.context.close()
    path = tmp_path_factory.mktemp("report") / "river-port.txt"
    path.write_text(LONG_REPORT, encoding="utf-8")
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{server.workdir / 'e2e.db'}")
    done = subprocess.run([sys.executable, "-m", "components", "ingest", str(path)], cwd=PROJECT_ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and "1 stored" in done.stdout + done.stderr, done.stdout + done.stderr


def _show_evidence(page: Page, label: str) -> Locator:  # noqa: F811
    """Click 1: the "Show evidence" control under the metric `label`; the panel that opens."""
    column = page.locator('[data-testid="stColumn"]').filter(
        has=page.locator('[data-testid="stMetricLabel"]', has_text=re.compile(rf"^\s*{re.escape(label)}\s*$")))
    expect(column).to_have_count(1)
    column.get_by_role("button", name="Show evidence").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    return dialog


def _assert_marked_in_view(scope: Locator, title: Any) -> Locator:
    """The figure marked (its title says kind and count), wholly in the viewport and in its text box."""
    mark = scope.locator("mark.evidence-focus")
    expect(mark).to_have_count(1)
    expect(mark).to_have_attribute("title", title)
    expect(mark).to_be_in_viewport(ratio=1)
    sentence = scope.locator(".evidence-sentence").first
    expect(sentence).to_be_in_viewport()
    return mark


def test_killed_on_the_overview_to_its_sentence_in_one_click(page: Page, server: Server, long_report) -> None:  # noqa: F811
    open_page(page, server, "?source=Evidence%20Desk", "Overview")
    assert as_int(metric_value(page, "Killed")) == 7
    dialog = _show_evidence(page, "Killed")
    expect(dialog).to_contain_text("7 killed, from 1 incident")
    mark = _assert_marked_in_view(dialog, "killed: 7")
    expect(mark).to_have_text("killed seven")
    # The report is longer than its box: the box was scrolled to reach the last paragraph.
    box = dialog.locator(".st-key-evidence_text")
    assert box.evaluate("el => { const s = [el, ...el.querySelectorAll('*')].find(e => e.scrollHeight > e.clientHeight + 20);"
                        " return s ? s.scrollTop : 0; }") > 0
    assert len(page.context.pages) == 1  # in place: no new tab


def test_killed_on_the_casualties_page_then_another_row(page: Page, server: Server, long_report) -> None:  # noqa: F811
    open_page(page, server, "casualties", "Casualties")
    killed = as_int(metric_value(page, "Killed"))
    dialog = _show_evidence(page, "Killed")  # click 1: the biggest figure's sentence is already in view
    expect(dialog).to_contain_text(f"{killed:,} killed, from")
    first = _assert_marked_in_view(dialog, re.compile(r"killed: \d+"))
    first_title = first.get_attribute("title")
    grid = dialog.locator('[data-testid="stDataFrame"]')
    box = grid.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] * 0.3, box["y"] + 35 * 2 + 17)  # click 2: a cell of the second row
    expect(dialog.locator("mark.evidence-focus")).not_to_have_attribute("title", first_title or "", timeout=15_000)
    _assert_marked_in_view(dialog, re.compile(r"killed: \d+"))


def test_the_panel_opens_the_reader_in_the_same_tab_at_the_sentence(page: Page, server: Server, long_report) -> None:  # noqa: F811
    open_page(page, server, "casualties?source=Evidence%20Desk", "Casualties")
    dialog = _show_evidence(page, "Wounded")
    _assert_marked_in_view(dialog, "wounded: 3")
    dialog.get_by_role("link", name=re.compile("Open in the Articles reader")).click()
    page.wait_for_url(re.compile(r"/articles\?.*span=\d+-\d+"))
    wait_for_app(page, "Articles")
    assert len(page.context.pages) == 1
    params = parse_qs(urlparse(page.url).query)
    assert params.get("source") == [OUTLET]  # the view's filters travel with it
    main = page.locator('[data-testid="stMain"]')
    mark = _assert_marked_in_view(main, "wounded: 3")
    expect(mark).to_have_text("wounded three")
    assert page.evaluate("() => [...document.querySelectorAll('*')].some(e => e.scrollTop > 0)")  # scrolled down to it
