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


# --------------------------------------------------------------------------- the Ingest page


def ingest_part(body: str) -> AppTest:
    at = AppTest.from_string("from components.models import Actor, Casualty, Extraction, Milestone\n"
                             "from components.services.ingest import Outcome\n"
                             f"from components.pages import ingest\n{body}", default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def shown_text(at: AppTest) -> str:
    return " ".join(e.value for kind in (at.success, at.info, at.warning, at.error, at.markdown) for e in kind)


def test_what_was_extracted_draws_missing_values_as_a_dash():
    at = ingest_part(
        "ingest._show_extraction(Extraction(id='x', actors=[Actor('Harbour Guild', 'organization', None, None, 1, [], 'Harbour Guild', [])],\n"
        "    casualties=[Casualty('killed', 2, 2, 2, None, 'Two died.', 0, 3)], milestones=[Milestone('talks', 'held', 'Talks were held.', 0, 5)],\n"
        "    totals={'killed': 2}))\n")
    actors, casualties, milestones = (t.value for t in at.dataframe)
    assert [t.proto.placeholder for t in at.dataframe] == [MISSING] * 3
    assert actors["country"].isna().all() and casualties["location"].isna().all() and casualties["date"].isna().all()
    assert milestones["parties"].isna().all()  # no parties: missing, not an empty string


def test_a_batch_report_lists_its_problems_with_dashes_and_no_line_says_none():
    at = ingest_part(
        "outcomes = [Outcome(f'row {i}', 'stored', article_id=i) for i in range(25)]\n"
        "outcomes += [Outcome('odd.csv row 3', 'failed'), Outcome('', 'skipped', reason='not in English')]\n"
        "ingest._report(outcomes)\n"
        "ingest._report([Outcome('', 'failed')])\n"
        "ingest._report([Outcome('scan.pdf', 'skipped')])\n")
    (problems,) = at.dataframe
    assert problems.proto.placeholder == MISSING
    assert problems.value["reason"].isna().tolist() == [True, False] and problems.value["input"].isna().tolist() == [False, True]
    text = shown_text(at)
    assert "None" not in text
    assert "an input without a name: failed (no reason was given)." in text and "scan&#46;pdf: not stored (no reason was given)." in text


@pytest.mark.usefixtures("constructed_app")
def test_a_queued_job_not_yet_taken_shows_dashes_for_its_worker_and_times():
    from components.store import Store
    from components.store.jobs import JobQueue

    JobQueue(Store()).enqueue_text("A text for the worker to read.", title="Waiting")
    at = AppTest.from_string("from components.pages import ingest\ningest.render()", default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    (jobs,) = at.dataframe
    assert jobs.proto.placeholder == MISSING
    row = jobs.value.iloc[0]
    assert row["status"] == "queued" and pd.isna(row["worker"]) and pd.isna(row["started"]) and pd.isna(row["outcome"])
