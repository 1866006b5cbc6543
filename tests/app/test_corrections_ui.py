"""Corrections through the pages: add a missed figure, rename an actor, undo from the Audit page."""

from __future__ import annotations

import os
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
