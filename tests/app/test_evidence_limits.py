"""The evidence panel under AppTest on more figures than it lists (made-up reports, no model needed):
the caption counts every figure, the list holds the largest ROW_LIMIT."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from components.store import Store
from tests.app.apptest import page_test
from tests.unit.test_watches import store_report

TIMEOUT = 120
ROW_LIMIT = 500  # components.pages.evidence.ROW_LIMIT: its module makes a page at import, which wants a running app
EXTRA = 7


@pytest.fixture()
def many_incidents(app_database):
    store = Store(app_database)
    start = date(2024, 1, 1)
    for n in range(ROW_LIMIT + EXTRA):  # one incident each: another place and another day
        store_report(store, f"Report {n}", (start + timedelta(days=n)).isoformat(), place=f"Village {n}", killed=n + 1)
    return store


def test_the_panel_lists_the_largest_figures_and_counts_them_all(many_incidents):
    at = page_test("overview", timeout=TIMEOUT)
    at.button(key="ev_killed").click().run()
    assert not at.exception, [e.value for e in at.exception]
    from components.pages import evidence

    assert evidence.ROW_LIMIT == ROW_LIMIT
    rows = at.dataframe[0].value
    total = sum(range(1, ROW_LIMIT + EXTRA + 1))
    assert len(rows) == ROW_LIMIT and int(rows["count"].iloc[0]) == ROW_LIMIT + EXTRA  # the largest first
    caption = " ".join(c.value for c in at.caption)
    assert f"{total:,} killed" in caption and f"{ROW_LIMIT + EXTRA:,} incidents" in caption
    assert f"largest {ROW_LIMIT:,} are listed" in caption
