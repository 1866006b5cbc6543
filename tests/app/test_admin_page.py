"""The Admin page under AppTest: accounts, jobs and article deletion work for an admin, and
nobody else gets the screens (nor the route: app.py lists the page for admins only)."""

from __future__ import annotations

import html
from datetime import date, timedelta

import pandas as pd
import pytest
import streamlit as st
from sqlalchemy import update
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from components.models import Actor, Article, Casualty, Extraction
from components.pages.auth_ui import SESSION_KEY
from components.roles import Principal
from components.store import Store
from components.store import accounts as auth
from components.store.accounts import utcnow
from components.store.jobs import JobQueue
from components.store.schema import JobRow
from tests.conftest import PROJECT_ROOT

TIMEOUT = 60
PASSWORD = "a long enough passphrase"
ADMIN = Principal("adam", "admin")
ANALYST = Principal("ana", "analyst")
VIEWER = Principal("vera", "viewer")
ADMIN_PAGE = "from components.pages import admin\nadmin.render()"
TEXT = "A drone hit a ferry terminal in Kherson on Sunday, killing two dock workers, the port authority said."


@pytest.fixture()
def team_db(tmp_path, monkeypatch):
    """A team's database of its own: three accounts and one article (no language model needed)."""
    url = f"sqlite:///{tmp_path / 'team.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    st.cache_resource.clear()
    st.cache_data.clear()
    store = Store(url)
    for name, role in (("adam", "admin"), ("ana", "analyst"), ("vera", "viewer")):
        auth.create_user(store, name, role, PASSWORD)
    two = TEXT.index("two")
    store.save(Article(text=TEXT, title="Ferry terminal struck", published=date(2025, 7, 6), source="River Desk"), Extraction(
        id="x", title="Ferry terminal struck", published="2025-07-06",
        actors=[Actor("Ukraine", "country", "Ukraine", None, 1, [], "Ukraine", [(0, 0)])],
        casualties=[Casualty("killed", 2, 2, 2, None, TEXT, two, two + 3, "dock workers", None, "Kherson", "Ukraine", "2025-07-06", 0, False, True)],
        totals={"killed": 2}, extractor_version="test", model="none"))
    yield store
    st.cache_resource.clear()
    st.cache_data.clear()


def as_principal(script: str, principal: Principal) -> AppTest:
    at = AppTest.from_string(script, default_timeout=TIMEOUT)
    at.session_state[SESSION_KEY] = principal
    return ran(at)


def ran(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(elements) -> str:  # type: ignore[no-untyped-def]
    """The messages as a reader sees them (untrusted parts are written as character references)."""
    return " ".join(html.unescape(str(e.value)) for e in elements)


def submit(at: AppTest, label: str) -> AppTest:
    next(b for b in at.button if b.label == label).click()
    return ran(at)


def table(at: AppTest, column: str) -> pd.DataFrame:
    """The first table on the page with this column."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_an_admin_manages_accounts_on_screen(team_db):
    at = as_principal(ADMIN_PAGE, ADMIN)
    assert [t.label for t in at.tabs] == ["Accounts", "Jobs", "Articles", "Sign-ins"]
    assert table(at, "failed sign-ins")["name"].tolist() == ["adam", "ana", "vera"]

    at.text_input(key="admin_new_name").set_value("nell")
    at.selectbox(key="admin_new_role").set_value("analyst")
    at.text_input(key="admin_new_password").set_value(PASSWORD)
    at.text_input(key="admin_new_again").set_value(PASSWORD)
    submit(at, "Add the account")
    assert "nell" in texts(at.success) and auth.principal_for(team_db, "nell") == Principal("nell", "analyst")
    at.text_input(key="admin_new_name").set_value("ana")
    at.text_input(key="admin_new_password").set_value(PASSWORD)
    at.text_input(key="admin_new_again").set_value(PASSWORD)
    submit(at, "Add the account")
    assert "Not added: there is already an account named" in texts(at.error)

    at.selectbox(key="admin_account").set_value("ana")
    at.selectbox(key="admin_role").set_value("viewer")
    submit(at, "Change the role")
    assert auth.principal_for(team_db, "ana") == Principal("ana", "viewer")

    at.selectbox(key="admin_lock_for").set_value("1 day")
    submit(at, "Lock")
    assert auth.verify(team_db, "ana", PASSWORD) is None  # locked: the right password is refused
    assert "locked until" in texts(at.warning)
    at.button(key="admin_unlock").click()
    ran(at)
    assert auth.verify(team_db, "ana", PASSWORD) == Principal("ana", "viewer")

    at.text_input(key="admin_password").set_value("a brand new passphrase")
    at.text_input(key="admin_password_again").set_value("a brand new passphrase")
    submit(at, "Reset the password")
    assert auth.verify(team_db, "ana", "a brand new passphrase") is not None

    submit(at, "Remove the account")
    assert "tick the box" in texts(at.error) and auth.principal_for(team_db, "ana") is not None
    at.checkbox(key="admin_remove_sure").check()
    submit(at, "Remove the account")
    assert auth.principal_for(team_db, "ana") is None

    at.selectbox(key="admin_account").set_value("adam")
    submit(at, "Lock")
    assert "Not locked: you cannot lock your own account" in texts(at.error)


def test_an_admin_sees_stuck_jobs_and_requeues_or_cancels_them(team_db):
    queue = JobQueue(team_db.for_principal(ANALYST))
    live, gone, broken, waiting = (queue.enqueue_text(f"text {t}", name=t) for t in ("one", "two", "three", "four"))
    for job_id in (live, gone, broken):
        assert queue.claim(f"w{job_id}").id == job_id
    assert queue.heartbeat(live, f"w{live}") and queue.fail(broken, "no text", worker_id=f"w{broken}")
    with team_db.session() as s:  # the worker of `gone` fell silent an hour ago
        s.execute(update(JobRow).where(JobRow.id == gone).values(started_at=utcnow() - timedelta(hours=1)))

    at = as_principal(ADMIN_PAGE, ADMIN)
    assert {m.label: m.value for m in at.metric} == {"Queued": "1", "Running": "1", "Stuck": "1", "Failed": "1"}
    jobs = table(at, "last_heartbeat").set_index("id")
    assert jobs.loc[gone, "status"] == "stuck" and jobs.loc[live, "worker"] == f"w{live}"
    assert set(at.selectbox(key="admin_job").options) == {f"#{i} · {s} · ingest_text · {t}" for i, s, t in (
        (gone, "stuck", "two"), (broken, "failed", "three"), (waiting, "queued", "four"))}  # never the live one

    at.selectbox(key="admin_job").set_value(gone)
    at.button(key="admin_requeue").click()
    ran(at)
    assert f"Job #{gone} is queued again" in texts(at.success) and queue.status(gone)["status"] == "queued"
    at.selectbox(key="admin_job").set_value(broken)
    at.button(key="admin_cancel").click()
    ran(at)
    assert queue.status(broken)["status"] == "cancelled"
    at.selectbox(key="admin_job").set_value(waiting)
    at.button(key="admin_requeue").click()
    ran(at)
    assert f"Not requeued: job #{waiting} is already queued" in texts(at.error)


def test_an_admin_deletes_an_article_with_a_reason_and_the_audit_shows_it(team_db):
    (article_id,) = team_db.articles()["id"].tolist()
    at = as_principal(ADMIN_PAGE, ADMIN)
    at.text_input(key="admin_article_find").set_value("ferry")
    ran(at)
    assert table(at, "ingested_by")["id"].tolist() == [article_id]
    submit(at, "Delete the article")
    assert "Not deleted: say why" in texts(at.error) and team_db.article(article_id) is not None
    at.text_input(key="admin_delete_reason").set_value("the outlet retracted it")
    submit(at, "Delete the article")
    assert "tick the box" in texts(at.error) and team_db.article(article_id) is not None
    at.text_input(key="admin_delete_reason").set_value("the outlet retracted it")
    at.checkbox(key="admin_delete_sure").check()
    submit(at, "Delete the article")
    assert team_db.article(article_id) is None
    deleted = table(at, "reason")
    assert deleted[["by", "title", "reason"]].values.tolist() == [["adam", "Ferry terminal struck", "the outlet retracted it"]]

    audit = as_principal("from components.pages.corrections_ui import render_audit\nrender_audit()", ADMIN)
    row = audit.dataframe[0].value.iloc[0]
    assert (row["action"], row["title"], row["reason"], row["user"]) == ("delete", "Ferry terminal struck", "the outlet retracted it", "adam")
    assert row["what"].startswith(f"Deleted the article #{article_id} “Ferry terminal struck”")
    assert not [b for b in audit.button if b.key == "undo_button"]  # a deletion is not undone from the audit


@pytest.mark.parametrize("principal", [ANALYST, VIEWER])
def test_the_admin_screens_are_refused_to_everyone_else(team_db, principal):
    at = as_principal(ADMIN_PAGE, principal)
    assert f"{principal.name} ({principal.role}) may not open the admin screens" in texts(at.error)
    assert not at.tabs and not at.dataframe and not at.button and not at.text_input and not at.selectbox


def open_address(principal: Principal, url_path: str) -> AppTest:
    """The whole app, signed in as `principal`, asked for /url_path as a browser would (st.Page names a page by its url_path's hash)."""
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=TIMEOUT)
    at.session_state[SESSION_KEY] = principal
    ran(at)
    at._page_hash = calc_hash(url_path)
    return ran(at)


def test_the_admin_page_is_routed_for_admins_only(team_db):
    assert [t.value for t in open_address(ADMIN, "admin").title] == ["Admin"]
    for principal in (ANALYST, VIEWER):
        at = open_address(principal, "admin")
        assert [t.value for t in at.title] == ["Overview"]  # an unknown page to them: Streamlit opens the default one
        assert "Accounts" not in [t.label for t in at.tabs]


def test_analysts_see_everyones_jobs_on_the_ingest_page(team_db):
    JobQueue(team_db.for_principal(Principal("bo", "admin"))).enqueue_text("queued by bo", name="bo's batch")
    queue = JobQueue(team_db.for_principal(ANALYST))
    queue.enqueue_text("queued by ana", name="ana's text")
    assert queue.claim("w1") is not None
    with team_db.session() as s:  # its worker fell silent an hour ago
        s.execute(update(JobRow).where(JobRow.status == "running").values(started_at=utcnow() - timedelta(hours=1)))
    at = as_principal("from components.pages import ingest\ningest.render()", ANALYST)
    jobs = table(at, "last_heartbeat")
    assert sorted(jobs["by"]) == ["ana", "bo"] and "stuck" in jobs["status"].tolist()
    assert "Jobs" in [h.value for h in at.subheader]
    assert "stuck job" in texts(at.warning)
    assert not [b for b in at.button if b.key in {"admin_requeue", "admin_cancel"}]  # read-only here


def test_single_user_the_first_account_is_an_admin(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'alone.db'}")
    st.cache_resource.clear()
    try:
        at = ran(AppTest.from_string(ADMIN_PAGE, default_timeout=TIMEOUT))  # no account: single-user, with every right
        assert at.selectbox(key="admin_new_role").options == ["admin"]  # else the first account would shut its maker out
        assert "The first account must be an admin" in texts(at.info)
    finally:
        st.cache_resource.clear()
