"""Corrections through the pages: add a missed figure, rename an actor, undo from the Audit page."""

from __future__ import annotations

import os
import re
import shutil

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

pytestmark = pytest.mark.model
TIMEOUT = 120


@pytest.fixture()
def own_db(samples_db, tmp_path):
    """A private copy of the samples database: these tests change what is stored."""
    source = samples_db.removeprefix("sqlite:///")
    target = tmp_path / "corrections.db"
    for suffix in ("", "-wal", "-shm"):  # WAL mode: recent writes live beside the main file
        if os.path.exists(source + suffix):
            shutil.copy(source + suffix, str(target) + suffix)
    previous = os.environ["DATABASE_URL"]
    os.environ["DATABASE_URL"] = f"sqlite:///{target}"
    st.cache_resource.clear()
    st.cache_data.clear()
    yield
    os.environ["DATABASE_URL"] = previous
    st.cache_resource.clear()
    st.cache_data.clear()


def run(script: str) -> AppTest:
    at = AppTest.from_string(script, default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_add_a_missed_figure_then_undo_it(own_db):
    from components.pages.common import get_store

    store = get_store()
    article_id = int(store.articles()["id"].iloc[0])
    before = store.casualty_totals().get("missing", 0)
    text = store.article(article_id)["text"]
    sentence = text.split("\n")[0][:60]
    at = run(f"from components.pages.articles import render_article\nrender_article({article_id})")
    form = f"add_item_{article_id}"
    at.radio(key=f"add_target_{article_id}").set_value("casualty")
    at.selectbox(key=f"add_kind_{article_id}").set_value("missing")
    at.number_input(key=f"add_count_{article_id}").set_value(3)
    at.text_input(key=f"add_sentence_{article_id}").set_value(sentence)
    at.text_input(key=f"add_reason_{article_id}").set_value("three missing per rescuers")
    at.form(key=form).form_submit_button[0].click().run()
    assert not at.exception
    assert any("Added" in s.value for s in at.success), [e.value for e in at.error]
    assert store.casualty_totals().get("missing", 0) == before + 3

    audit = run("from components.pages.corrections_ui import render_audit\nrender_audit()")
    table = audit.dataframe[0].value
    assert table.iloc[0]["reason"] == "three missing per rescuers" and table.iloc[0]["state"] == "active"
    audit.selectbox(key="undo_id").set_value(int(table.iloc[0]["id"]))
    audit.button(key="undo_button").click().run()
    assert not audit.exception
    assert store.casualty_totals().get("missing", 0) == before


def test_a_correction_without_a_reason_is_refused(own_db):
    from components.pages.common import get_store

    article_id = int(get_store().articles()["id"].iloc[0])
    at = run(f"from components.pages.articles import render_article\nrender_article({article_id})")
    at.text_input(key=f"add_sentence_{article_id}").set_value("")
    at.form(key=f"add_item_{article_id}").form_submit_button[0].click().run()
    assert any("reason" in e.value for e in at.error)


def test_rename_an_actor_on_the_actors_page(own_db):
    at = run("from components.pages import actors\nactors.render()")
    at.selectbox(key="fix_actor").set_value("Turkey")
    at.radio(key="fix_action").set_value("rename")
    at.text_input(key="fix_value").set_value("Türkiye")
    at.text_input(key="fix_reason").set_value("house style")
    at.form(key="actor_correction").form_submit_button[0].click().run()
    assert not at.exception
    assert any("Saved" in s.value for s in at.success)
    names = set(at.dataframe[0].value["name"])
    assert "Türkiye" in names and "Turkey" not in names


def _article_with_an_uncounted_figure(store) -> int:
    """A sample article listing a figure the totals count and one they do not (a repeat)."""
    for article_id in store.articles()["id"].astype(int):
        standing = store.totals_standing(article_id)
        if standing["in_totals"].any() and not standing["in_totals"].all():
            return article_id
    raise AssertionError("the samples have no article with a repeated figure")


def _edit(at: AppTest, article_id: int, version: int, row: int, changes: dict, reason: str) -> None:
    at.session_state[f"edit_casualty_{article_id}_{version}"] = {"edited_rows": {row: changes}, "added_rows": [], "deleted_rows": []}
    at.text_input(key=f"reason_casualty_{article_id}").set_value(reason)
    at.button(key=f"save_casualty_{article_id}").click().run()
    assert not at.exception, [e.value for e in at.exception]


def test_the_editor_says_which_figure_counts_and_what_a_save_did_to_the_totals(own_db):
    from components.pages.common import get_store

    store = get_store()
    article_id = _article_with_an_uncounted_figure(store)
    at = run(f"from components.pages.articles import render_article\nrender_article({article_id})")
    editor = at.tabs[0].data_editor[0].value
    assert list(editor.columns[:editor.columns.get_loc("counts") + 1])[-2:] == ["count", "counts"]
    assert "yes" in set(editor["counts"]) and any(c.startswith("no: ") for c in editor["counts"])
    before = store.casualty_totals()

    uncounted = int(editor.index[~editor["in_totals"]][0])
    _edit(at, article_id, 0, uncounted, {"count": int(editor.loc[uncounted, "count"]) + 40}, "misread by the extractor")
    (saved,) = at.tabs[0].success  # next to the editor, in its tab, not at the top of the page
    assert saved.value.startswith("Saved 1 correction. The totals did not change: none of these figures is the one counted")
    assert len(at.success) == 1 and store.casualty_totals() == before

    editor = at.tabs[0].data_editor[0].value  # a fresh editor: the edit just saved is not applied twice
    counted = int(editor.index[editor["in_totals"]][0])
    kind = editor.loc[counted, "kind"]
    _edit(at, article_id, 1, counted, {"count": int(editor.loc[counted, "count"]) + 3}, "the governor's correction")
    (saved,) = at.tabs[0].success
    assert f"Totals over all articles: {kind} {before[kind]:,} → {before[kind] + 3:,}." in saved.value
    assert store.casualty_totals()[kind] == before[kind] + 3


def test_a_refused_row_saves_none_of_the_rows_edited_with_it(own_db):
    from components.pages.common import get_store

    store = get_store()
    article_id = _article_with_an_uncounted_figure(store)
    at = run(f"from components.pages.articles import render_article\nrender_article({article_id})")
    editor = at.tabs[0].data_editor[0].value
    first, second = int(editor.index[0]), int(editor.index[1])
    before, audit = store.casualty_totals(), len(store.corrections.audit())
    at.session_state[f"edit_casualty_{article_id}_0"] = {
        "edited_rows": {first: {"count": int(editor.loc[first, "count"]) + 40}, second: {"date": "the day before"}},
        "added_rows": [], "deleted_rows": []}
    at.text_input(key=f"reason_casualty_{article_id}").set_value("a second source")
    at.button(key=f"save_casualty_{article_id}").click().run()
    assert not at.exception, [e.value for e in at.exception]
    (error,) = at.tabs[0].error
    assert "is not a date" in error.value and "Nothing was changed" in error.value
    assert store.casualty_totals() == before and len(store.corrections.audit()) == audit  # the first row was not kept either


def test_the_audit_says_in_words_what_each_correction_did(own_db):
    from components.pages.common import get_store

    store = get_store()
    figure = store.casualties(counted_only=True).iloc[0]
    store.corrections.update_item("casualty", int(figure["id"]), {"count": int(figure["count"]) + 2}, "a later statement")
    store.corrections.rename_actor("Turkey", "Türkiye", "house style")
    at = run("from components.pages.corrections_ui import render_audit\nrender_audit()")
    table = at.dataframe[0]
    assert list(table.proto.column_order)[:4] == ["created_at", "user", "what", "reason"]  # what and why first, not off-screen
    renamed, changed = table.value["what"].iloc[0], table.value["what"].iloc[1]
    assert renamed == "Renamed the actor Turkey to Türkiye"
    excerpt = " ".join(figure["sentence"].split())[:40]
    assert changed.startswith(f"Changed the {figure['kind']} figure in “{excerpt}")
    assert changed.endswith(f": count {figure['count']} → {figure['count'] + 2}")
    assert not re.search(r"\b\d+-\d+\b", changed)  # no character offsets
    at.selectbox(key="undo_id").set_value(int(table.value["id"].iloc[0])).run()
    at.button(key="undo_button").click().run()
    assert any(s.value.startswith("Undone: Renamed the actor Turkey") for s in at.success)
