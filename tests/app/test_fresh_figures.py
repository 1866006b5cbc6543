"""Pages show what another process wrote on their next rerun: the caches are keyed on the data version."""

from __future__ import annotations

from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from components.models import Article

pytestmark = pytest.mark.model


def killed(at: AppTest) -> int:
    return int(next(m for m in at.metric if m.label == "Killed").value.replace(",", ""))


@pytest.fixture()
def own_database(tmp_path, monkeypatch):
    from components.pages.common import clear_query_caches, get_store

    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    get_store.clear()
    clear_query_caches()
    yield url
    get_store.clear()
    clear_query_caches()


def test_an_ingest_from_the_command_line_shows_on_the_next_rerun(own_database, extractor):
    from components.store import Store

    first = "Shelling killed four people in the town of Balakliia on Monday, the regional governor said."
    second = "A drone strike killed seven people in the village of Bilopillia on Monday, officials said."
    Store(own_database).save(Article(first, "Shelling", date(2025, 6, 2), "Wire"), extractor.extract(first, date(2025, 6, 2)))
    at = AppTest.from_string("from components.pages import overview\noverview.render()", default_timeout=120)
    at.run()
    assert not at.exception and killed(at) == 4
    # Another process (the command line, a worker) stores an article; nothing clears this app's caches.
    Store(own_database).save(Article(second, "Drone", date(2025, 6, 2), "Wire"), extractor.extract(second, date(2025, 6, 2)))
    at.run()
    assert not at.exception and killed(at) == 11
