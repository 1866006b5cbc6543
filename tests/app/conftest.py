"""Fixtures of the app tests."""

from __future__ import annotations

import pytest
import streamlit as st


@pytest.fixture()
def app_database(tmp_path, monkeypatch):
    """The URL of an empty SQLite database of the test's own, which the pages read (DATABASE_URL),
    with Streamlit's caches emptied before and after so no other test's store or figures show."""
    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    st.cache_resource.clear()
    st.cache_data.clear()
    yield url
    st.cache_resource.clear()
    st.cache_data.clear()
