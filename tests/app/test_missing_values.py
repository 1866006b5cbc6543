"""A value that is not there shows as "—" (or nothing), never as "None", "nan" or "NaT": in the
tables of the pages and in the lines built from values. Pages run under AppTest on a
constructed database (no language model)."""

from __future__ import annotations

import math
from datetime import date, datetime

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from components.pages.markup import MISSING, as_shown
from tests.fixtures.trends_db import EMERGING, constructed_app  # noqa: F401  (a fixture, used by name)

TIMEOUT = 60


@pytest.mark.parametrize("value", [None, math.nan, float("nan"), pd.NaT, pd.NA])
def test_a_missing_value_is_a_dash(value):
    assert as_shown(value) == MISSING


@pytest.mark.parametrize(("value", "text"), [
    (0, "0"), (12, "12"), ("Kharkiv", "Kharkiv"), ("", ""), (date(2025, 6, 3), "2025-06-03"),
    (pd.Timestamp("2025-06-03"), "2025-06-03"), (datetime(2025, 6, 3, 14, 5), "2025-06-03 14:05"), (["a"], "['a']"),
])
def test_a_value_shows_as_itself(value, text):
    assert as_shown(value) == text


def page(name: str, run=None) -> AppTest:
    at = AppTest.from_string(f"from components.pages import {name}\n{name}.render()", default_timeout=TIMEOUT)
    at.run()
    if run is not None:
        run(at)
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.usefixtures("constructed_app")
def test_an_emerging_actor_has_no_change_in_percent_and_shows_a_dash():
    at = page("trends", lambda at: at.radio(key="trend_unit").set_value("Actors").run())
    (table,) = at.dataframe
    row = table.value.set_index("actor").loc[EMERGING]
    assert pd.isna(row["change"]) and bool(row["new"])  # no baseline, so no percentage: a missing value...
    assert table.proto.placeholder == MISSING  # ...drawn as a dash


@pytest.mark.usefixtures("constructed_app")
@pytest.mark.parametrize("name", ["trends", "actors", "casualties", "briefing", "articles"])
def test_every_table_on_the_page_draws_missing_values_as_a_dash(name):
    at = page(name)
    tables = list(at.dataframe)
    assert tables, f"no table on {name}"
    assert [t.proto.placeholder for t in tables] == [MISSING] * len(tables)
    if name == "actors":  # the fixture's actors have no role: the column is there, empty, drawn as dashes
        assert at.dataframe[0].value["role"].isna().all()
