"""The Ingest page's paste form is emptied once its article is stored (or queued), ready for
the next one, and keeps what was typed when it could not be used."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.apptest import page_test
from tests.fixtures.trends_db import constructed_app  # noqa: F401  (a fixture, used by name)

TIMEOUT = 120
TITLE = "Ferry line to reopen"
TEXT = ("OSKEL, Belmora - Negotiators from Arvania and Belmora met in Oskel on Monday and agreed to reopen "
        "the ferry line between the two ports next month, officials said.")


def ingest_page() -> AppTest:
    return page_test("ingest", timeout=TIMEOUT)


def fill_and_submit(at: AppTest, text: str) -> None:
    at.text_input(key="paste_title").set_value(TITLE)
    at.text_input(key="paste_source").set_value("Harbour Desk")
    at.text_area(key="paste_text").set_value(text)
    at.button[0].click().run()  # the form's submit button
    assert not at.exception, [e.value for e in at.exception]


def form_values(at: AppTest) -> tuple[str, str, str]:
    return at.text_input(key="paste_title").value, at.text_input(key="paste_source").value, at.text_area(key="paste_text").value


@pytest.mark.usefixtures("constructed_app")
def test_a_queued_article_empties_the_form():
    at = ingest_page()
    at.checkbox(key="ingest_queue").check().run()
    fill_and_submit(at, TEXT)
    assert any("Queued as job #" in s.value for s in at.success), [s.value for s in at.success]
    assert form_values(at) == ("", "", "")
    at.run()  # a later run leaves it empty and does not repeat the message
    assert form_values(at) == ("", "", "") and not any("Queued as job" in s.value for s in at.success)


@pytest.mark.usefixtures("constructed_app")
def test_text_that_cannot_be_used_stays_in_the_form():
    at = ingest_page()
    fill_and_submit(at, "   ")
    assert any("the text is empty" in e.value for e in at.error)
    assert form_values(at) == (TITLE, "Harbour Desk", "   ")


@pytest.mark.model
@pytest.mark.usefixtures("constructed_app")
def test_a_stored_article_empties_the_form_and_says_what_was_extracted():
    at = ingest_page()
    fill_and_submit(at, TEXT)
    assert any("Stored" in s.value for s in at.success), [s.value for s in at.success]
    assert [h.value for h in at.subheader if h.value == "What was extracted"]
    assert form_values(at) == ("", "", "")
    fill_and_submit(at, TEXT)  # the same text again: already stored, and the form is emptied too
    assert any("already stored" in i.value for i in at.info) and form_values(at) == ("", "", "")
