"""Sessions that survive a reload (issue 16): a random token for the browser, only its hash in the
store, an expiry, and sign-out, a new password or a removed account ending it."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from components.roles import Principal
from components.store import Store, sessions, signins
from components.store import accounts as auth
from components.store.schema import UserSessionRow

PASSWORD = "a long and honest passphrase"
ANALYST = Principal("ana", "analyst")


@pytest.fixture()
def store(database_url) -> Store:
    store = Store(database_url)
    auth.create_user(store, "ada", "admin", PASSWORD)
    auth.create_user(store, "ana", "analyst", PASSWORD)
    return store


def test_a_token_signs_in_until_it_expires_and_only_its_hash_is_stored(store, database_url):
    now = auth.utcnow()
    token = sessions.start(store, "ana", at=now, hours=12, address="192.0.2.10")
    assert len(token) >= 40
    assert sessions.resume(store, token, at=now + timedelta(hours=11, minutes=59)) == ANALYST
    assert sessions.lookup(store, token, at=now + timedelta(hours=12)) is None  # expired
    assert sessions.resume(store, token + "x", at=now) is None
    assert sessions.resume(store, "", at=now) is None
    with store.session() as s:
        (row,) = s.scalars(select(UserSessionRow)).all()
        assert row.token_hash == sessions.token_hash(token) != token
        assert (row.user_name, row.address, row.expires_at) == ("ana", "192.0.2.10", now + timedelta(hours=12))
        assert row.last_seen_at == now + timedelta(hours=11, minutes=59)  # resume notes the use; lookup does not
    if database_url.startswith("sqlite:///"):
        store.engine.dispose()
        path = Path(database_url.removeprefix("sqlite:///"))
        assert token.encode() not in b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))


def test_a_session_follows_the_accounts_current_role(store):
    now = auth.utcnow()
    token = sessions.start(store, "ana", at=now, hours=1)
    auth.set_role(store, "ana", "viewer")
    assert sessions.lookup(store, token, at=now) == Principal("ana", "viewer")


def test_signing_out_revokes_the_token_and_is_logged(store):
    now = auth.utcnow()
    token = sessions.start(store, "ana", at=now, hours=12)
    other = sessions.start(store, "ana", at=now, hours=12)  # another browser
    assert sessions.sign_out(store, token, at=now, address="192.0.2.10") == "ana"
    assert sessions.resume(store, token, at=now) is None
    assert sessions.sign_out(store, token, at=now) is None  # already ended: not logged twice
    assert sessions.resume(store, other, at=now) == ANALYST
    log = signins.recent(store)
    assert log[["event", "name", "address"]].values.tolist() == [["signed_out", "ana", "192.0.2.10"]]


def test_a_new_password_or_a_removed_account_ends_every_session(store):
    now = auth.utcnow()
    first, second = sessions.start(store, "ana", at=now, hours=12), sessions.start(store, "ana", at=now, hours=12)
    admins = sessions.start(store, "ada", at=now, hours=12)
    auth.set_password(store, "ana", PASSWORD + " renewed")
    assert sessions.resume(store, first, at=now) is None and sessions.resume(store, second, at=now) is None
    assert sessions.resume(store, admins, at=now) == Principal("ada", "admin")
    third = sessions.start(store, "ana", at=auth.utcnow(), hours=12)
    auth.delete_user(store, "ana")
    with store.session() as s:
        assert s.scalar(select(UserSessionRow.token_hash).where(UserSessionRow.token_hash == sessions.token_hash(third))) is None  # gone with the account
    auth.create_user(store, "ana", "admin", PASSWORD)  # someone else, under the same name
    assert sessions.resume(store, third, at=auth.utcnow()) is None


def test_a_session_older_than_its_account_is_not_the_accounts():
    """A session row left from an account removed and made again is refused even without revocation."""
    store = Store("sqlite://")
    auth.create_user(store, "ana", "analyst", PASSWORD)
    token = sessions.start(store, "ana", at=auth.utcnow() - timedelta(hours=1), hours=12)
    assert sessions.lookup(store, token, at=auth.utcnow()) is None


@pytest.mark.parametrize(("value", "hours"), [(None, 12.0), ("", 12.0), ("8", 8.0), (" 0.5 ", 0.5), ("720", 720.0)])
def test_session_hours_setting(value, hours):
    assert sessions.session_hours({} if value is None else {"SESSION_HOURS": value}) == hours


@pytest.mark.parametrize(("value", "reason"), [("twelve", "a number of hours, not 'twelve'"), ("0", "above 0"), ("-3", "above 0"),
                                               ("100000", "at most 2160 hours")])
def test_a_bad_session_hours_setting_says_why(value, reason):
    with pytest.raises(sessions.SessionSettingError, match=f"SESSION_HOURS must be .*{reason}"):
        sessions.session_hours({"SESSION_HOURS": value})
