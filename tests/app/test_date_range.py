"""The sidebar's date range from an address: used when it can be, and when it cannot (reversed,
not a date, out of bounds, one date or three), ignored with a visible reason and every date
shown. Runs the pages under AppTest on a constructed database (no language model)."""

from __future__ import annotations

import html
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from components.pages.common import chosen_range, parse_day, range_in_address
from tests.app.apptest import page_test
from tests.fixtures.trends_db import END, constructed_app  # noqa: F401  (a fixture, used by name)

TIMEOUT = 60
FIRST = date(2025, 6, 1)  # the first day with articles in the constructed database
ALL_ARTICLES = 23


def overview(params: dict[str, list[str]]) -> AppTest:
    return page_test("overview", params=params, timeout=TIMEOUT)


def articles(at: AppTest) -> int:
    return int(next(m for m in at.metric if m.label == "Articles").value.replace(",", ""))


def warnings(at: AppTest) -> list[str]:
    return [html.unescape(w.value).replace("\u2060", "") for w in at.warning]


# --------------------------------------------------------------------------- reading an address


@pytest.mark.parametrize(("dates", "start", "end", "expected"), [
    (["2025-06-10", "2025-06-20"], None, None, (date(2025, 6, 10), date(2025, 6, 20))),
    (["2025/06/10", "2025/06/20"], None, None, (date(2025, 6, 10), date(2025, 6, 20))),  # as Streamlit also reads them
    ([], "2025-06-10", "2025-06-20", (date(2025, 6, 10), date(2025, 6, 20))),
    ([], "2025-06-10", None, (date(2025, 6, 10), END)),  # to the last day with articles
    ([], None, "2025-06-20", (FIRST, date(2025, 6, 20))),  # from the first
    ([], None, None, None),
    ([""], None, None, None),  # ?dates= names no dates
])
def test_a_usable_range(dates, start, end, expected):
    assert range_in_address(dates, start, end, (FIRST, END)) == (expected, None)


@pytest.mark.parametrize(("dates", "start", "end", "why"), [
    (["2025-06-20", "2025-06-10"], None, None, "its start, 2025-06-20, is after its end, 2025-06-10"),
    ([], "2025-06-20", "2025-06-10", "its start, 2025-06-20, is after its end, 2025-06-10"),
    (["yesterday", "2025-06-10"], None, None, '"yesterday" is not a date (write it as YYYY-MM-DD)'),
    ([], "2025-02-30", None, '"2025-02-30" is not a date'),
    (["1850-01-01", "2025-06-10"], None, None, "1850-01-01 is outside the days the filter takes (1990-01-01 to 2100-01-01)"),
    (["2025-06-10"], None, None, "a range is two dates, its start and its end, and the address gives 1"),
    (["2025-06-01", "2025-06-05", "2025-06-09"], None, None, "the address gives 3"),
])
def test_an_unusable_range_is_ignored_saying_why(dates, start, end, why):
    wanted, note = range_in_address(dates, start, end, (FIRST, END))
    assert wanted is None and why in note and "is ignored" in note and "Showing every date" in note


def test_hostile_values_are_refused_and_shortened():
    for value in ["9" * 5000, "\x00", "<script>alert(1)</script>", "２０２５-０６-０１", "2025-06-01T00:00", " 2025-06-01"]:
        with pytest.raises(ValueError, match="is not a date"):
            parse_day(value)
    _, note = range_in_address(["x" * 5000, "2025-06-01"], None, None, (FIRST, END))
    assert len(note) < 400


def test_a_range_picked_backwards_in_the_sidebar_is_ignored():
    assert chosen_range((date(2025, 6, 20), date(2025, 6, 10)))[:2] == (None, None)
    assert "start is after its end" in chosen_range((date(2025, 6, 20), date(2025, 6, 10)))[2]
    assert chosen_range((date(2025, 6, 10), date(2025, 6, 20))) == (date(2025, 6, 10), date(2025, 6, 20), None)
    assert chosen_range((date(2025, 6, 10),)) == (None, None, None)  # one date: a range being picked
    assert chosen_range(()) == (None, None, None)


# --------------------------------------------------------------------------- on the page


@pytest.mark.usefixtures("constructed_app")
def test_a_range_in_the_address_narrows_the_page():
    assert articles(overview({})) == ALL_ARTICLES
    narrowed = overview({"dates": ["2025-06-22", "2025-06-29"]})
    assert articles(narrowed) == 10 and warnings(narrowed) == []  # the last two weeks: five reports each
    assert articles(overview({"from": ["2025-06-22"], "to": ["2025-06-29"]})) == 10
    assert articles(overview({"from": ["2025-06-29"]})) == 5


@pytest.mark.parametrize(("params", "why"), [
    ({"dates": ["2025-06-29", "2025-06-22"]}, "its start, 2025-06-29, is after its end, 2025-06-22"),
    ({"from": ["2025-06-29"], "to": ["2025-06-22"]}, "its start, 2025-06-29, is after its end, 2025-06-22"),
    ({"dates": ["not-a-day", "2025-06-22"]}, '"not-a-day" is not a date'),
    ({"from": ["June"]}, '"June" is not a date'),
    ({"dates": ["2025-06-22"]}, "the address gives 1"),
    ({"dates": ["1200-01-01", "2025-06-22"]}, "1200-01-01 is outside the days the filter takes"),
])
@pytest.mark.usefixtures("constructed_app")
def test_an_unusable_range_says_why_and_shows_every_date(params, why):
    at = overview(params)
    (shown,) = warnings(at)
    assert why in shown and "Showing every date" in shown
    assert articles(at) == ALL_ARTICLES  # the fallback: every date, not an empty page
    at.run()  # the next run: the sidebar itself shows every date
    assert not at.exception and articles(at) == ALL_ARTICLES
    assert at.date_input(key="dates").value == (FIRST, END)


@pytest.mark.usefixtures("constructed_app")
def test_a_range_picked_later_in_the_sidebar_stands():
    at = overview({"from": ["2025-06-22"], "to": ["2025-06-29"]})
    at.date_input(key="dates").set_value((date(2025, 6, 29), date(2025, 6, 29))).run()
    assert not at.exception and articles(at) == 5  # the address's from/to are not applied again


@pytest.mark.parametrize("value", ["9" * 5000, "%00", "<b>x</b>", "[a](javascript:alert(1))", "$x$", ""])
@pytest.mark.usefixtures("constructed_app")
def test_hostile_address_values_never_break_the_page(value):
    at = overview({"dates": [value, value], "from": [value], "to": [value]})
    assert articles(at) == ALL_ARTICLES
    for shown in warnings(at):
        assert "<b>" not in at.warning[0].value and "](" not in at.warning[0].value  # shown as text, not markup
        assert len(shown) < 400
