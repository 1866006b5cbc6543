"""Pages show what another process wrote on their next rerun: the caches are keyed on the data version."""

from __future__ import annotations

from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from components.models import Article
from tests.app.apptest import page_test

pytestmark = pytest.mark.model


def killed(at: AppTest) -> int:
    return int(next(m for m in at.metric if m.label == "Killed").value.replace(",", ""))


def test_an_ingest_from_the_command_line_shows_on_the_next_rerun(app_database, extractor):
    from components.store import Store

    first = "Shelling killed four people in the town of Balakliia on Monday, the regional governor said."
    second = "A drone strike killed seven people in the village of Bilopillia on Monday, officials said."
    Store(app_database).save(Article(first, "Shelling", date(2025, 6, 2), "Wire"), extractor.extract(first, date(2025, 6, 2)))
    at = page_test("overview")
    assert killed(at) == 4
    # Another process (the command line, a worker) stores an article; nothing clears this app's caches.
    Store(app_database).save(Article(second, "Drone", date(2025, 6, 2), "Wire"), extractor.extract(second, date(2025, 6, 2)))
    at.run()
    assert not at.exception and killed(at) == 11


def test_an_undated_article_appears_on_the_overview_and_in_the_articles_list(app_database, extractor):
    from components.store import Store

    dated = "Shelling killed four people in the town of Balakliia on Monday, the regional governor said."
    pasted = "Envoys of the two governments met in Geneva and agreed to meet again next month, officials said."
    store = Store(app_database)
    store.save(Article(dated, "Shelling", date(2025, 6, 2), "Wire"), extractor.extract(dated, date(2025, 6, 2)))
    store.save(Article(pasted, "Pasted note"), extractor.extract(pasted))
    at = page_test("overview")
    assert int(next(m for m in at.metric if m.label == "Articles").value) == 2
    assert any("1 of these articles have no publication date" in c.value for c in at.caption)
    at = page_test("articles")
    labels = at.selectbox(key=next(k for k in (s.key for s in at.selectbox) if k.startswith("article_pick"))).options  # as shown
    assert any("undated, ingested" in str(label) and "Pasted note" in str(label) for label in labels), labels
