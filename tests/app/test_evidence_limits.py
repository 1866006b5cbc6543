"""The evidence panel under AppTest on more figures than it lists (made-up reports, no model needed):
the caption counts every figure, the list holds the largest ROW_LIMIT."""

from __future__ import annotations

import os
from datetime import date, timedelta

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from components.store import Store
from tests.unit.test_watches import store_report

TIMEOUT = 120
ROW_LIMIT = 500  # components.pages.evidence.ROW_LIMIT: its module makes a page at import, which wants a running app
EXTRA = 7


@pytest.fixture()
def many_incidents(tmp_path):
    url = f"sqlite:///{tmp_path / 'many.db'}"
    before = os.environ.get("DATABASE_URL")
    os.environ["DATABASE_URL"] = url
    st.cache_resource.clear()
    st.cache_data.clear()
    store = Store(url)
    start = date(2024, 1, 1)
    for n in range(ROW_LIMIT + EXTRA):  # one incident each: another place and another day
        store_report(store, f"Report {n}", (start + timedelta(days=n)).isoformat(), place=f"Village {n}", killed=n + 1)
    yield store
    if before is None:
        os.environ.pop("DATABASE_URL", None)
    else:
        os.environ["DATABASE_URL"] = before
    st.cache_resource.clear()
    st.cache_data.clear()


def test_the_panel_lists_the_largest_figures_and_counts_them_all(many_incidents):
    at = AppTest.from_string("from components.pages import overview\noverview.render()", default_timeout=TIMEOUT)
    at.run()
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
