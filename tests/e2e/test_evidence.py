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
    follow,
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


# An actor named near the top and again in the last paragraph of a long report, and by no other
# article of its outlet (the place, the market and the people are invented for the test).
ACTOR_OUTLET = "Actor Desk"
ACTOR_REPORT = "\n".join([
    "Title: A border market reopens its stalls",
    "Published: 2025-07-08",
    f"Source: {ACTOR_OUTLET}",
    "",
    "OTACI — Traders said the customs post on the river bridge opened at seven and the queue of lorries was shorter than in June.",
    "Stallholders from across Moldova sold plums, walnuts and hand-knitted socks from folding tables along the riverside road.",
    "The town's bakery ran out of bread by ten, and its owner said flour deliveries had been late all week.",
    "A brass band from the music school played marches outside the town hall until the rain began.",
    "Growers from the nearby villages argued about the price of diesel and whether the autumn would be dry enough for the maize.",
    "The bus from the regional capital arrived an hour late because of roadworks near the old quarry.",
    "Children queued for ice cream at a kiosk painted with sunflowers and the names of the town's football team.",
    "A retired teacher sold second-hand books on a blanket and said detective novels went first, as always.",
    "The clinic on the main square kept its doors open through lunch for anyone needing a blood pressure check.",
    "Two fishermen mended a net on the embankment and said the river was lower than any summer they remembered.",
    "A carpenter showed chairs made from old barn doors and took orders for two tables before noon.",
    "The library set out a box of free children's books, and it was empty within the hour.",
    "Volunteers from the fire station washed the fountain in the square and planted marigolds around its edge.",
    "An elderly couple danced to the accordion player by the war memorial while their grandchildren filmed them.",
    "The pharmacy's queue stretched to the corner after a delivery of allergy tablets arrived on the morning bus.",
    "A cheese maker from the hills said her goats had given less milk in the heat and raised her prices a little.",
    "Stalls selling phone cases and batteries did brisk trade with drivers waiting for the customs check.",
    "The priest rang the church bell at noon, and a few traders crossed themselves without looking up from their scales.",
    "A girl sold lemonade from a cart her father had built from a pram and a wooden crate.",
    "Road workers patched potholes on the hill above the market and waved the lorries through one lane at a time.",
    "At dusk the market closed, and the lorries moved on towards the bridge in a slow line of headlights.",
    "Moldova's customs service said the crossing would keep its longer summer hours until the end of September.",
    "",
])


def _ingest(server: Server, folder: Any, name: str, text: str) -> None:  # noqa: F811
    """One article stored through the command line into the app's database."""
    path = folder / name
    path.write_text(text, encoding="utf-8")
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{server.workdir / 'e2e.db'}")
    done = subprocess.run([sys.executable, "-m", "components", "ingest", str(path)], cwd=PROJECT_ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and "1 stored" in done.stdout + done.stderr, done.stdout + done.stderr


@pytest.fixture(scope="module")
def long_report(browser, server, tmp_path_factory) -> None:  # noqa: F811
    """The long report, stored through the command line into the app's database (after the app's
    first run has loaded the samples, which it only does into an empty database)."""
    first = _new_page(browser)
    try:
        open_page(first, server, "", "Overview")
    finally:
        first.context.close()
    _ingest(server, tmp_path_factory.mktemp("report"), "river-port.txt", LONG_REPORT)


@pytest.fixture(scope="module")
def actor_report(long_report, server, tmp_path_factory) -> None:  # noqa: F811
    """The report naming Moldova twice, stored the same way (after the samples and the long report)."""
    _ingest(server, tmp_path_factory.mktemp("actor"), "border-market.txt", ACTOR_REPORT)


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
    follow(page, dialog.get_by_role("link", name=re.compile("Open in the Articles reader")), re.compile(r"/articles\?.*span=\d+-\d+"))
    wait_for_app(page, "Articles")
    assert len(page.context.pages) == 1
    params = parse_qs(urlparse(page.url).query)
    assert params.get("source") == [OUTLET]  # the view's filters travel with it
    main = page.locator('[data-testid="stMain"]')
    mark = _assert_marked_in_view(main, "wounded: 3")
    expect(mark).to_have_text("wounded three")
    assert page.evaluate("() => [...document.querySelectorAll('*')].some(e => e.scrollTop > 0)")  # scrolled down to it


def _click_row(page: Page, grid: Locator, row: int) -> None:  # noqa: F811
    """A click on a cell of a table's `row` (0 is the first under the header; rows are 35 px)."""
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] * 0.3, box["y"] + 35 * (row + 1) + 17)


def test_an_actors_row_to_each_sentence_naming_it_in_two_clicks(page: Page, server: Server, actor_report) -> None:  # noqa: F811
    open_page(page, server, "actors?source=Actor%20Desk", "Actors")
    table = page.locator('[data-testid="stDataFrame"]').last  # All actors: Moldova alone, under this outlet
    _click_row(page, table, 0)  # click 1: the actor's row
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("2 mentions of Moldova in 1 article")
    first = _assert_marked_in_view(dialog, "Moldova (country)")  # its first mention, near the top
    expect(first).to_have_text("Moldova")
    first_id = first.get_attribute("id")
    _click_row(page, dialog.locator('[data-testid="stDataFrame"]'), 1)  # click 2: the mention in the last paragraph
    expect(dialog.locator("mark.evidence-focus")).not_to_have_attribute("id", first_id or "", timeout=15_000)
    last = _assert_marked_in_view(dialog, "Moldova (country)")
    expect(dialog.locator(".evidence-sentence").first).to_contain_text("customs service said the crossing would keep")
    box = dialog.locator(".st-key-evidence_text")  # the text was scrolled to reach the last paragraph
    assert box.evaluate("el => { const s = [el, ...el.querySelectorAll('*')].find(e => e.scrollHeight > e.clientHeight + 20);"
                        " return s ? s.scrollTop : 0; }") > 0
    assert last.get_attribute("id") != first_id and len(page.context.pages) == 1  # in place: no new tab
