"""Sign-in and roles in the app: single-user note, built-in accounts, OIDC, and what a viewer may not do."""

from __future__ import annotations

import html
import os
import shutil

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from components.pages.auth_ui import SESSION_KEY, SINGLE_USER_NOTE, role_for_email
from components.roles import Principal
from components.store import accounts as auth
from tests.conftest import PROJECT_ROOT

pytestmark = pytest.mark.model
TIMEOUT = 120
PASSWORD = "correct horse battery staple"
VIEWER = Principal("vera", "viewer")
ANALYST = Principal("ana", "analyst")
OIDC_SECRETS = {
    "auth": {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "a-long-random-test-secret",
             "client_id": "client", "client_secret": "secret",
             "server_metadata_url": "https://login.example.org/.well-known/openid-configuration"},
    "roles": {"ana@example.org": "analyst", "@desk.example.org": "viewer", "default": "none"},
}


def _use(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    st.cache_resource.clear()
    st.cache_data.clear()


@pytest.fixture()
def own_db(samples_db, tmp_path):
    """A private copy of the samples database with two accounts: these tests change what is stored."""
    source = samples_db.removeprefix("sqlite:///")
    target = tmp_path / "auth.db"
    for suffix in ("", "-wal", "-shm"):  # WAL mode: recent writes live beside the main file
        if os.path.exists(source + suffix):
            shutil.copy(source + suffix, str(target) + suffix)
    url = f"sqlite:///{target}"
    _use(url)
    from components.store import Store

    store = Store(url)
    auth.create_user(store, "vera", "viewer", PASSWORD)
    auth.create_user(store, "ana", "analyst", PASSWORD)
    yield store
    _use(samples_db)


def app() -> AppTest:
    return AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=TIMEOUT)


def run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def as_principal(script: str, principal: Principal) -> AppTest:
    at = AppTest.from_string(script, default_timeout=TIMEOUT)
    at.session_state[SESSION_KEY] = principal
    return run(at)


def texts(elements) -> str:  # type: ignore[no-untyped-def]
    return " ".join(str(e.value) for e in elements)


def test_single_user_mode_says_so_on_screen(samples_db):
    _use(samples_db)
    at = run(app())
    assert at.title[0].value == "Overview"
    assert SINGLE_USER_NOTE in [c.value for c in at.sidebar.caption]
    assert "README › Deployment" in SINGLE_USER_NOTE


def test_with_accounts_nothing_shows_before_sign_in(own_db):
    at = run(app())
    assert [t.value for t in at.title] == ["Sign in"]
    assert not at.metric and not at.dataframe
    at.text_input(key="signin_name").set_value("vera")
    at.text_input(key="signin_password").set_value("not the password")
    at.button[0].click()
    run(at)
    assert [t.value for t in at.title] == ["Sign in"]
    assert "Wrong name or password" in texts(at.error)
    at.text_input(key="signin_name").set_value("vera")
    at.text_input(key="signin_password").set_value(PASSWORD)
    at.button[0].click()
    run(at)
    assert at.title[0].value == "Overview"
    assert at.session_state[SESSION_KEY] == VIEWER
    assert "Signed in as **vera** (viewer)" in [c.value for c in at.sidebar.caption]
    assert "signin_password" not in at.session_state  # the typed password is not kept
    at.sidebar.button(key="sign_out").click()
    run(at)
    assert [t.value for t in at.title] == ["Sign in"]


def test_a_changed_role_applies_at_once_and_a_removed_account_is_signed_out(own_db):
    at = app()
    at.session_state[SESSION_KEY] = VIEWER
    run(at)
    auth.set_role(own_db, "vera", "analyst")
    run(at)
    assert at.session_state[SESSION_KEY] == Principal("vera", "analyst")
    auth.delete_user(own_db, "vera")
    run(at)
    assert [t.value for t in at.title] == ["Sign in"]


def sign_in(at: AppTest, name: str, password: str) -> AppTest:
    at.text_input(key="signin_name").set_value(name)
    at.text_input(key="signin_password").set_value(password)
    at.button[0].click()
    return run(at)


def test_too_many_wrong_passwords_lock_the_sign_in(own_db):
    at = run(app())
    for _ in range(auth.MAX_FAILURES - 1):
        sign_in(at, "ana", "guess")
        assert texts(at.error) == "Wrong name or password."
    sign_in(at, "ana", "guess")
    assert texts(at.error) == "Wrong name or password. Too many attempts: try again in 30 s."
    sign_in(at, "ana", PASSWORD)
    assert [t.value for t in at.title] == ["Sign in"]  # held back: the right password is refused too, unchecked
    assert texts(at.error).startswith("Too many attempts: try again in ") and "Wrong" not in texts(at.error)
    auth.unlock(own_db, "ana")  # an admin lifts the wait
    sign_in(at, "ana", PASSWORD)
    assert at.title[0].value == "Overview"


def test_a_sign_in_starts_a_session_and_signing_out_ends_it(own_db):
    from components.pages.auth_ui import COOKIE_KEY, TOKEN_KEY
    from components.store import sessions, signins

    at = sign_in(run(app()), "vera", PASSWORD)
    token = at.session_state[TOKEN_KEY]
    assert sessions.lookup(own_db, token, at=auth.utcnow()) == VIEWER  # the server keeps the session...
    assert at.session_state[COOKIE_KEY][0] == token  # ...and the browser is given its token
    assert any("monitor_session=" in str(h.proto.body) for h in at.get("html"))
    at.sidebar.button(key="sign_out").click()
    run(at)
    assert [t.value for t in at.title] == ["Sign in"]
    assert sessions.lookup(own_db, token, at=auth.utcnow()) is None
    assert any("1970" in str(h.proto.body) for h in at.get("html"))  # the browser is told to drop the cookie
    log = signins.recent(own_db)
    assert log["event"].tolist()[:2] == ["signed_out", "signed_in"] and log["name"].tolist()[:2] == ["vera", "vera"]


def test_a_session_ended_elsewhere_signs_this_tab_out(own_db):
    from components.pages.auth_ui import TOKEN_KEY

    at = sign_in(run(app()), "ana", PASSWORD)
    assert at.title[0].value == "Overview"
    auth.set_password(own_db, "ana", PASSWORD + " new")  # ends every session of the account
    run(at)
    assert [t.value for t in at.title] == ["Sign in"]
    assert "Your session has ended" in texts(at.info)
    assert TOKEN_KEY not in at.session_state


def test_a_wrong_session_setting_is_named_on_the_sign_in_screen(own_db, monkeypatch):
    monkeypatch.setenv("SESSION_HOURS", "a fortnight")
    at = run(app())
    assert "SESSION_HOURS must be a number of hours, not 'a fortnight'" in html.unescape(texts(at.error))  # as Markdown shows it
    assert not at.text_input  # no form that could not start a session


def test_the_sign_in_log_is_shown_to_admins_only(own_db):
    auth.create_user(own_db, "adam", "admin", PASSWORD)
    auth.verify(own_db, "vera", PASSWORD, address="192.0.2.10")
    auth.verify(own_db, "**vera**", "guess", address="<b>198.51.100.1</b>")
    script = "from components.pages.signin_log import render_sign_in_log\nrender_sign_in_log()"
    admin = as_principal(script, Principal("adam", "admin"))
    table = admin.dataframe[0].value
    assert table[["event", "name", "address"]].fillna("").values.tolist() == [
        ["failed", "", "<b>198.51.100.1</b>"], ["signed in", "vera", "192.0.2.10"]]
    assert "2 events shown, 1 of them failed or held back" in texts(admin.caption)
    viewer = as_principal(script, VIEWER)
    assert not viewer.dataframe
    assert "The sign-in log is for admins only" in texts(viewer.error) and "needs the admin role" in texts(viewer.error)


VIEWER_SAVE = """
import streamlit as st
from components.roles import PermissionDenied
from components.models import Article
from components.pages.common import get_store
try:
    get_store().save(Article(text="KYIV, Ukraine - A drone struck a depot overnight, officials said."), None)
except PermissionDenied as exc:
    st.error(str(exc))
else:
    st.success("saved")
"""


def test_a_viewer_gets_no_ingest_or_correction_widgets_and_the_store_refuses_them(own_db):
    own_db.corrections.rename_actor("Turkey", "Türkiye", "house style")
    article_id = int(own_db.articles()["id"].iloc[0])
    before = own_db.article_count()

    ingest = as_principal("from components.pages import ingest\ningest.render()", VIEWER)
    assert not ingest.text_area and not ingest.get("file_uploader") and not ingest.button and not ingest.checkbox
    assert "vera (viewer)" in texts(ingest.info) and "analyst role" in texts(ingest.info)

    reader = as_principal(f"from components.pages.articles import render_article\nrender_article({article_id})", VIEWER)
    assert not reader.button and not reader.text_input and not reader.number_input  # no editor, no "Add a missed item" form
    assert "correcting items" in texts(reader.info) and len(reader.dataframe) >= 2  # the items are still shown, read-only
    analyst = as_principal(f"from components.pages.articles import render_article\nrender_article({article_id})", ANALYST)
    assert "Save corrections" in [b.label for b in analyst.button]

    actors = as_principal("from components.pages import actors\nactors.render()", VIEWER)
    assert not [s for s in actors.selectbox if s.key == "fix_actor"]

    audit = as_principal("from components.pages.corrections_ui import render_audit\nrender_audit()", VIEWER)
    assert not audit.dataframe[0].value.empty  # the audit trail is readable
    assert not [b for b in audit.button if b.key == "undo_button"]

    refused = as_principal(VIEWER_SAVE, VIEWER)
    assert "vera (viewer) may not ingest articles" in texts(refused.error)
    assert own_db.article_count() == before


def test_an_analyst_queues_for_the_worker_and_sees_their_jobs(own_db):
    from components.store.jobs import JobQueue

    at = as_principal("from components.pages import ingest\ningest.render()", ANALYST)
    at.checkbox(key="ingest_queue").check().run()
    assert at.button[0].label == "Queue for extraction"
    at.text_input[0].set_value("Depot struck")
    at.text_area[0].set_value("KYIV, Ukraine - A drone struck a fuel depot overnight, killing two workers, officials said.")
    at.button[0].click()
    run(at)
    assert "Queued as job #" in texts(at.success)
    (job,) = JobQueue(own_db).recent("ana").itertuples()
    assert (job.kind, job.input, job.status) == ("ingest_text", "Depot struck", "queued")
    run(at)
    assert at.dataframe[-1].value["input"].tolist() == ["Depot struck"]
    assert own_db.article_count() == 20  # nothing extracted in the request


def test_oidc_sign_in_and_roles_from_the_secrets(own_db):
    at = app()
    at.secrets = OIDC_SECRETS
    at.user = {"is_logged_in": False}
    run(at)
    assert [t.value for t in at.title] == ["Sign in"]
    assert [b.label for b in at.button] == ["Sign in"]

    at = app()
    at.secrets = OIDC_SECRETS
    at.user = {"is_logged_in": True, "email": "Ana@Example.org", "email_verified": True, "name": "Ana"}
    run(at)
    assert at.title[0].value == "Overview"
    assert at.session_state[SESSION_KEY] == Principal("Ana@Example.org", "analyst")

    at = app()
    at.secrets = OIDC_SECRETS
    at.user = {"is_logged_in": True, "email": "someone@elsewhere.com"}
    run(at)
    assert "has no access" in texts(at.error)
    assert not at.metric


def test_roles_by_address_domain_and_default():
    roles = {"Ana@Example.org": "analyst", "@desk.example.org": "viewer", "boss@example.org": "ADMIN"}
    assert role_for_email("ana@example.org", roles) == "analyst"
    assert role_for_email("boss@example.org", roles) == "admin"
    assert role_for_email("kim@desk.example.org", roles) == "viewer"
    assert role_for_email("kim@elsewhere.org", roles) == "viewer"  # default viewer
    assert role_for_email("kim@elsewhere.org", roles | {"default": "none"}) is None
    assert role_for_email("kim@elsewhere.org", None) == "viewer"
    assert role_for_email("x@y.org", {"x@y.org": "superuser"}) is None


@pytest.mark.parametrize(
    ("env", "required"),
    [({}, False), ({"DATABASE_URL": "sqlite:////srv/team/monitor.db"}, True), ({"DATABASE_URL": "postgresql+psycopg://u:p@db/monitor"}, True),
     ({"REQUIRE_SIGN_IN": "1"}, True), ({"REQUIRE_SIGN_IN": "0", "DATABASE_URL": "postgresql+psycopg://u:p@db/monitor"}, False)],
)
def test_sign_in_is_required_everywhere_but_the_default_local_database(env, required):
    from components.pages.auth_ui import sign_in_required

    assert sign_in_required(env) is required


def test_a_team_database_without_any_account_serves_no_data(samples_db, monkeypatch):
    monkeypatch.setenv("REQUIRE_SIGN_IN", "1")
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=120)
    at.run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Sign-in required"]
    assert "users add NAME --role admin" in " ".join(m.value for m in at.markdown)
    assert not at.metric and not at.dataframe  # nothing of the data
