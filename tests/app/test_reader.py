"""The Articles reader under AppTest: every pick holds (the first one too), a title search can
leave the article an address named, and ?span= marks an item and scrolls to it."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.apptest import page_test

pytestmark = pytest.mark.model
TIMEOUT = 120


@pytest.fixture(autouse=True)
def _database(samples_db):
    from components.pages.common import clear_query_caches

    clear_query_caches()


@pytest.fixture()
def articles():
    from components.store import Store

    return Store().articles()


def reader(**params: str) -> AppTest:
    return page_test("articles", params=params, timeout=TIMEOUT)


def shown(at: AppTest) -> int:
    """The article on screen: the id in the picker, checked against the heading the reader draws."""
    from components.pages.common import get_store, plain

    chosen = at.selectbox(key="article_pick").value
    assert at.subheader[0].value == plain(get_store().article(chosen)["title"])
    return int(chosen)


def address(at: AppTest, key: str = "article") -> str | None:
    values = at.query_params.get(key)
    return values[0] if isinstance(values, list) and values else values or None


def test_the_first_pick_after_the_page_opens_holds(articles):
    at = reader()
    newest = int(articles["id"].iloc[0])
    assert shown(at) == newest and address(at) == str(newest)
    first_pick, second_pick = int(articles["id"].iloc[3]), int(articles["id"].iloc[7])
    at.selectbox(key="article_pick").set_value(first_pick).run()
    assert shown(at) == first_pick and address(at) == str(first_pick)
    at.selectbox(key="article_pick").set_value(second_pick).run()
    assert shown(at) == second_pick and address(at) == str(second_pick)
    at.run()  # an unrelated rerun keeps it
    assert shown(at) == second_pick


def test_a_linked_article_holds_until_another_is_picked(articles):
    linked, other = int(articles["id"].iloc[5]), int(articles["id"].iloc[2])
    at = reader(article=str(linked))
    assert shown(at) == linked
    at.selectbox(key="article_pick").set_value(other).run()
    assert shown(at) == other and address(at) == str(other)


def test_a_title_search_leaves_the_article_the_address_named(articles):
    linked = int(articles["id"].iloc[0])
    matches = {int(i) for i, t in zip(articles["id"], articles["title"], strict=True) if "kharkiv" in t.lower()}
    assert len(matches) >= 2 and linked not in matches  # the samples: two Kharkiv stories, neither the newest
    at = reader(article=str(linked))
    assert shown(at) == linked
    at.text_input(key="article_search").set_value("kharkiv").run()
    assert shown(at) in matches and address(at) == str(shown(at))
    picked = sorted(matches)[-1]
    at.selectbox(key="article_pick").set_value(picked).run()
    assert shown(at) == picked
    at.text_input(key="article_search").set_value("").run()  # clearing the search keeps the article read
    assert shown(at) == picked
    at.text_input(key="article_search").set_value("no title says this").run()
    assert any("No article title here contains" in i.value for i in at.info) and not at.subheader


def test_a_new_address_in_the_same_session_opens_its_article(articles):
    at = reader()
    later = int(articles["id"].iloc[4])
    at.query_params["article"] = str(later)
    at.run()
    assert shown(at) == later


def test_a_span_in_the_address_is_marked_and_scrolled_to():
    from components.store import Store

    figure = Store().casualties(counted_only=True).iloc[0]
    article_id, start, end = int(figure["article_id"]), int(figure["start"]), int(figure["end"])
    at = reader(article=str(article_id), span=f"{start}-{end}")
    html = " ".join(h.value for h in at.html)
    anchor = f"reader-{article_id}-{start}-{end}"
    (title,) = re.findall(rf'<mark id="{anchor}" class="hl hl-casualty evidence-focus" title="([^"]+)"', html)
    assert title == f"{figure['kind']}: {figure['count']}"
    assert any(h.value.startswith("<script>") and f'"{anchor}"' in h.value for h in at.html)
    for bad in ("9-3", "abc", "1-2-3", "<b>"):
        at = reader(article=str(article_id), span=bad)
        assert "evidence-focus" not in " ".join(h.value for h in at.html) and not any(h.value.startswith("<script>") for h in at.html)
