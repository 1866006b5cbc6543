"""The Overview's Watches section under AppTest, on a small database of made-up reports (no model needed)."""

from __future__ import annotations

from urllib.parse import parse_qs

import pytest
from streamlit.testing.v1 import AppTest

from components.pages.auth_ui import SESSION_KEY
from components.pages.markup import plain
from components.roles import Principal
from components.services import watches as service
from components.store import Filters, Store
from tests.app.apptest import page_test, ran
from tests.unit.test_watches import store_report

TIMEOUT = 60
ALICE = Principal("alice", "viewer")


@pytest.fixture()
def store(app_database):
    s = Store(app_database)
    store_report(s, "Shelling in Lysychansk", "2025-03-03", killed=3, milestone=("talks", "proposed"))
    return s


def overview(principal: Principal = ALICE, **params: str) -> AppTest:
    return page_test("overview", params=params, state={SESSION_KEY: principal}, timeout=TIMEOUT)


def watch_labels(at: AppTest) -> list[str]:
    return [e.label for e in at.main.expander if e.label != "Save these filters as a watch"]


def save(at: AppTest, name: str) -> AppTest:
    at.text_input(key="watch_new_name").input(name)
    next(b for b in at.button if b.label == "Save as a watch").click()
    return ran(at)


def test_save_the_current_filters_then_see_a_new_incident_and_mark_it_seen(store):
    at = save(overview(ckind="killed"), "Killed, everywhere")
    [watch] = service.watches_of(store.for_principal(ALICE))
    assert watch.filters == Filters(casualty_kinds=("killed",))  # the dates reaching every article are left open
    assert watch_labels(at) == [f"**{plain('Killed, everywhere')}** · nothing new"]
    store_report(store, "Strike on Sievierodonetsk", "2025-03-05", place="Sievierodonetsk", killed=2, wounded=6)
    at = ran(at)
    assert watch_labels(at) == [f"**{plain('Killed, everywhere')}** · :orange[1 new incident]"]
    details = " ".join(m.value for m in at.markdown)
    assert plain("2025-03-05 Sievierodonetsk, Ukraine: killed 2 (") in details  # killed only: the watch's filter
    assert "wounded" not in details
    next(b for b in at.button if b.key == f"watch_seen_{watch.id}").click()
    at = ran(at)
    assert watch_labels(at) == [f"**{plain('Killed, everywhere')}** · nothing new"]


def test_the_link_opens_the_watch_view(store):
    at = save(overview(actor="Moldova"), "Moldova")
    link = next(m.value for m in at.markdown if "watch-link" in m.value)
    query = link.split('href="?', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    assert parse_qs(query) == {"actor": ["Moldova"]}


def test_untrusted_watch_names_are_plain_text_and_watches_are_personal(store):
    at = save(overview(), "**Loud** [link](https://example.org) <b>x</b>")
    assert at.error == [] and len(watch_labels(at)) == 1
    label = watch_labels(at)[0]
    assert "[link](" not in label and "<b>" not in label and "https://" not in label
    other = overview(Principal("bob", "analyst"))
    assert watch_labels(other) == []  # bob does not see alice's watch


def test_a_bad_name_is_refused_on_the_page(store):
    at = save(overview(), "   ")
    assert "a watch needs a name" in " ".join(e.value for e in at.error)
    assert service.watches_of(store.for_principal(ALICE)) == []
