"""What the Admin page does, checked in the store: accounts (lock, unlock, roles, removal) and
article deletion with its audit entry. Every action is refused to anyone but an admin."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from components.models import Actor, Article, Casualty, Extraction, Milestone
from components.roles import PermissionDenied, Principal
from components.store import Store
from components.store import accounts as auth
from components.store.accounts import AccountError, utcnow
from components.store.corrections import CorrectionError
from components.store.schema import ArticleRow, CasualtyRow, CorrectionRow

PASSWORD = "a long enough passphrase"
ADMIN = Principal("adam", "admin")
ANALYST = Principal("ana", "analyst")
VIEWER = Principal("vera", "viewer")
TEXT = ("Shelling hit a grain silo near Mykolaiv on Friday, killing three workers. "
        "Mediators said ceasefire talks would resume in Ankara next week.")


def extraction(text: str = TEXT) -> Extraction:
    three, talks = text.index("three"), text.index("ceasefire talks")
    return Extraction(
        id="x", title="Silo shelled", published="2025-07-04",
        actors=[Actor("Ukraine", "country", "Ukraine", None, 1, [], "Ukraine", [(0, 0)])],
        casualties=[Casualty("killed", 3, 3, 3, None, text, three, three + 5, "workers", None, "Mykolaiv", "Ukraine", "2025-07-04", 0, False, True)],
        totals={"killed": 3},
        milestones=[Milestone("ceasefire", "planned", text, talks, talks + 15, ["Ukraine"], "Ankara", "2025-07-11")],
        extractor_version="test", model="none",
    )


@pytest.fixture()
def store(database_url) -> Store:
    store = Store(database_url)
    auth.create_user(store, "adam", "admin", PASSWORD)
    auth.create_user(store, "ana", "analyst", PASSWORD)
    auth.create_user(store, "vera", "viewer", PASSWORD)
    return store


def stored(store: Store, text: str = TEXT, title: str = "Silo shelled") -> int:
    return store.save(Article(text=text, title=title, published=date(2025, 7, 4), source="Coast Desk"), extraction(text)).article_id


# -- accounts ----------------------------------------------------------------------------------

def test_an_admin_locks_and_unlocks_an_account_on_the_store(store):
    admin = store.for_principal(ADMIN)
    account = auth.lock(admin, "ana", utcnow() + timedelta(hours=1))
    assert account.locked()
    assert auth.verify(store, "ana", PASSWORD) is None  # the right password is refused while locked
    assert not auth.unlock(admin, "ana").locked()
    assert auth.verify(store, "ana", PASSWORD) == ANALYST
    aware = datetime.now(UTC) + timedelta(days=1)  # a time with a zone is kept as UTC
    assert auth.lock(admin, "ana", aware).locked_until == aware.replace(tzinfo=None)


def test_an_admins_lock_outlasts_failed_sign_ins_and_is_told_only_to_who_knows_the_password(store):
    from components.store import signins

    admin = store.for_principal(ADMIN)
    until = utcnow() + timedelta(days=7)
    auth.lock(admin, "ana", until)
    wrong = [auth.sign_in(store, "ana", "not the passphrase", address="10.0.0.9") for _ in range(auth.MAX_FAILURES + 1)]
    assert {o.status for o in wrong} <= {signins.FAILED, signins.THROTTLED}  # a guesser learns nothing of the lock
    later = utcnow() + timedelta(hours=1)  # the sign-in delays are long over; the admin's lock is not
    outcome = auth.sign_in(store, "ana", PASSWORD, address="10.0.0.7", now=later)
    assert (outcome.principal, outcome.status) == (None, signins.LOCKED)
    assert outcome.retry_after > 6 * 24 * 3600
    assert auth.list_users(admin)[[a.name for a in auth.list_users(admin)].index("ana")].locked_until == until
    assert signins.recent(admin, 1)["event"].tolist() == [signins.LOCKED]


def test_locks_that_would_shut_the_admins_out_are_refused(store):
    admin = store.for_principal(ADMIN)
    with pytest.raises(AccountError, match="in the future"):
        auth.lock(admin, "ana", utcnow() - timedelta(minutes=1))
    with pytest.raises(AccountError, match="your own account"):
        auth.lock(admin, "adam", utcnow() + timedelta(hours=1))
    with pytest.raises(AccountError, match="last admin who can sign in"):
        auth.lock(store, "adam", utcnow() + timedelta(hours=1))  # the command line (no name) may lock others, not the last admin
    with pytest.raises(AccountError, match="no account named 'nobody'"):
        auth.lock(admin, "nobody", utcnow() + timedelta(hours=1))
    auth.create_user(admin, "bea", "admin", PASSWORD)
    auth.lock(admin, "bea", utcnow() + timedelta(hours=1))
    assert auth.principal_for(store, "bea") is not None  # locked, not removed


def test_the_last_admin_keeps_the_admin_role(store):
    admin = store.for_principal(ADMIN)
    with pytest.raises(AccountError, match="last admin who can sign in cannot be given another role"):
        auth.set_role(admin, "adam", "analyst")
    assert auth.set_role(admin, "ana", "admin").role == "admin"
    auth.lock(admin, "ana", utcnow() + timedelta(hours=1))  # the other admin cannot sign in for now
    with pytest.raises(AccountError, match="last admin who can sign in cannot be given another role"):
        auth.set_role(admin, "adam", "viewer")
    auth.unlock(admin, "ana")
    assert auth.set_role(admin, "adam", "viewer").role == "viewer"  # another admin exists now


def test_a_removed_account_takes_its_watches_and_sessions_with_it(store):
    from components.services import watches as watch_service
    from components.store import Filters
    from components.store.schema import UserSessionRow

    admin = store.for_principal(ADMIN)
    watch_service.create_watch(store.for_principal(ANALYST), "Mykolaiv coast", Filters())
    kept = watch_service.create_watch(store.for_principal(VIEWER), "Ankara talks", Filters())
    with store.session() as s:
        for token, user in (("a" * 64, "ana"), ("b" * 64, "vera")):
            s.add(UserSessionRow(token_hash=token, user_name=user, created_at=utcnow(), expires_at=utcnow() + timedelta(days=1)))
    auth.delete_user(admin, "ana")
    auth.create_user(admin, "ana", "viewer", PASSWORD)  # someone new under the old name inherits nothing
    assert watch_service.watches_of(store.for_principal(Principal("ana", "viewer"))) == []
    assert [w.id for w in watch_service.watches_of(store, watch_service.ALL)] == [kept.id]
    with store.session() as s:
        assert s.scalars(select(UserSessionRow.user_name)).all() == ["vera"]


def test_the_last_admin_who_can_sign_in_is_not_removed(store):
    admin = store.for_principal(ADMIN)
    auth.create_user(admin, "bea", "admin", PASSWORD)
    auth.lock(admin, "bea", utcnow() + timedelta(days=30))
    with pytest.raises(AccountError, match="last admin who can sign in"):
        auth.delete_user(store, "adam")  # bea is an admin, but locked: nobody could manage the accounts
    assert auth.principal_for(store, "adam") == ADMIN
    auth.unlock(admin, "bea")
    auth.delete_user(store, "adam")
    assert auth.principal_for(store, "adam") is None


@pytest.mark.parametrize("principal", [ANALYST, VIEWER])
def test_account_management_is_refused_to_non_admins(store, principal):
    other = store.for_principal(principal)
    actions = {
        "list": lambda: auth.list_users(other),
        "add": lambda: auth.create_user(other, "zed", "admin", PASSWORD),
        "role": lambda: auth.set_role(other, "vera", "admin"),
        "password": lambda: auth.set_password(other, "adam", "another passphrase"),
        "lock": lambda: auth.lock(other, "adam", utcnow() + timedelta(hours=1)),
        "unlock": lambda: auth.unlock(other, "vera"),
        "remove": lambda: auth.delete_user(other, "adam"),
    }
    for action in actions.values():
        with pytest.raises(PermissionDenied, match="manage accounts"):
            action()
    accounts = {a.name: a for a in auth.list_users(store)}
    assert sorted(accounts) == ["adam", "ana", "vera"] and accounts["vera"].role == "viewer" and not accounts["adam"].locked()
    assert auth.verify(store, "adam", PASSWORD) == ADMIN


# -- articles ----------------------------------------------------------------------------------

def test_an_admins_deletion_is_recorded_in_the_audit_trail(store):
    article_id = stored(store)
    entry = store.for_principal(ADMIN).delete_article(article_id, "  a duplicate of a wire story  ", user="someone else")
    assert store.article(article_id) is None
    audit = store.corrections.audit()
    row = audit[audit["id"] == entry].iloc[0]
    assert (row["target"], row["action"], row["user"], row["reason"], row["item_key"]) == (
        "article", "delete", "adam", "a duplicate of a wire story", f"#{article_id}")
    assert row["previous"]["title"] == "Silo shelled" and row["previous"]["casualties"] == 1 and row["previous"]["milestones"] == 1
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(CasualtyRow)) == 0
    with pytest.raises(CorrectionError, match="cannot be undone"):
        store.corrections.undo(entry)
    with pytest.raises(KeyError, match=f"no article #{article_id}"):
        store.delete_article(article_id)


def test_a_deleted_article_ingested_again_is_re_extracted_without_its_deletion_in_the_way(store):
    article_id = stored(store)
    store.delete_article(article_id, "by mistake")
    again = stored(store)
    assert store.replace_extraction(again, extraction()) == []  # the deletion entry is no correction of items
    assert store.article(again) is not None


def test_the_delete_command_records_its_reason(store, database_url):
    from components.cli import main

    article_id = stored(store)
    assert main(["delete", str(article_id), "--reason", "outlet asked for removal", "--database", database_url]) == 0
    audit = store.corrections.audit()
    assert audit[["target", "reason", "user"]].values.tolist() == [["article", "outlet asked for removal", None]]


@pytest.mark.parametrize("principal", [ANALYST, VIEWER])
def test_deletion_is_refused_to_non_admins_and_records_nothing(store, principal):
    article_id = stored(store)
    with pytest.raises(PermissionDenied, match="delete articles"):
        store.for_principal(principal).delete_article(article_id, "no")
    assert store.article(article_id) is not None
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(CorrectionRow)) == 0


def test_articles_are_found_by_number_or_title(store):
    first = stored(store)
    second = stored(store, TEXT.replace("Friday", "Saturday"), title="100% of the harbour_cranes idle")
    assert store.find_articles(str(first))["id"].tolist() == [first]
    assert store.find_articles(f" #{second} ")["id"].tolist() == [second]
    assert store.find_articles("SILO")["id"].tolist() == [first]
    assert store.find_articles("%")["id"].tolist() == [second]  # % and _ are letters here, not patterns
    assert store.find_articles("o_s").empty and store.find_articles("r_c")["id"].tolist() == [second]
    assert store.find_articles("no such words").empty
    assert store.find_articles("99999999999999999999999").empty  # a number too long for an id is searched as a title
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(ArticleRow)) == 2
