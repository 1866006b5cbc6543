"""Roles, accounts and their enforcement in the store: the security checks of issue 8."""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import event, inspect, select

from components import roles
from components.models import Actor, Article, Casualty, Extraction, Milestone
from components.roles import LOCAL, PermissionDenied, Principal
from components.store import Filters, Store, throttle
from components.store import accounts as auth
from components.store.accounts import AccountError
from components.store.feeds import FeedList
from components.store.jobs import JobQueue
from components.store.schema import (
    ArticleActorRow,
    ArticleRow,
    CasualtyRow,
    CorrectionRow,
    MilestoneRow,
    RelationRow,
    UserRow,
)

PASSWORD = "correct horse battery staple"
INJECTION = "'; DROP TABLE articles; --"
TEXT = "Russia struck Sumy on Monday, killing nine people, and talks were held in Istanbul."
VIEWER = Principal("vera", "viewer")
ANALYST = Principal("ana", "analyst")
ADMIN = Principal("adam", "admin")


def extraction(text: str = TEXT) -> Extraction:
    nine = text.index("nine")
    talks = text.index("talks")
    return Extraction(
        id="x", title="Strike", published="2025-06-02",
        actors=[Actor("Russia", "country", "Russia", None, 1, [], "Russia", [(0, 6)]),
                Actor("Ukraine", "country", "Ukraine", None, 1, [], "Ukraine", [(0, 0)])],
        casualties=[Casualty("killed", 9, 9, 9, None, text, nine, nine + 4, "people", "Russia", "Sumy", "Ukraine", "2025-06-02", 0, False, True)],
        totals={"killed": 9},
        milestones=[Milestone("talks", "held", text, talks, talks + 5, ["Russia", "Ukraine"], "Istanbul", "2025-06-02")],
        extractor_version="test", model="none",
    )


def article(text: str = TEXT, source: str = "Wire") -> Article:
    return Article(text=text, title="Strike", published=date(2025, 6, 2), source=source)


@pytest.fixture()
def store(sqlite_url) -> Store:
    return Store(sqlite_url)


@pytest.fixture()
def stored(store) -> int:
    return store.save(article(), extraction()).article_id


def counts(store: Store) -> dict[str, int]:
    with store.session() as s:
        return {t.__tablename__: len(s.scalars(select(t.id)).all()) for t in (ArticleRow, CasualtyRow, MilestoneRow, CorrectionRow)}


# -- roles -------------------------------------------------------------------------------------

def test_each_role_has_the_rights_of_the_one_before():
    rights = {role: {a for a in roles.ACTIONS if Principal("x", role).can(a)} for role in roles.ROLES}
    assert rights["viewer"] == {"read", "export"}
    assert rights["analyst"] == {"read", "export", "ingest", "correct"}
    assert rights["admin"] == set(roles.ACTIONS)
    assert LOCAL.name is None and LOCAL.role == "admin"


def test_unknown_roles_and_actions_are_errors_not_silent_refusals():
    with pytest.raises(ValueError, match="unknown role"):
        Principal("x", "superuser")
    with pytest.raises(ValueError, match="unknown action"):
        VIEWER.can("ingets")


def test_a_store_without_a_principal_is_single_user_with_every_right(store):
    assert store.principal == LOCAL
    view = store.for_principal(VIEWER)
    assert view.principal == VIEWER and store.principal == LOCAL  # the view is a copy
    assert view.engine is store.engine


# -- enforcement in the store --------------------------------------------------------------------

def test_a_viewer_cannot_ingest_correct_or_delete_through_the_store(store, stored):
    viewer = store.for_principal(VIEWER)
    before = counts(store)
    casualty_id = int(store.article_items(stored, "casualty")["id"].iloc[0])
    refused = {
        "save": lambda: viewer.save(article("Another text entirely, about a ceasefire."), extraction("Another text entirely, about a ceasefire. nine talks")),
        "replace_extraction": lambda: viewer.replace_extraction(stored, extraction()),
        "delete_article": lambda: viewer.delete_article(stored),
        "update_item": lambda: viewer.corrections.update_item("casualty", casualty_id, {"count": 1}, "typo"),
        "delete_item": lambda: viewer.corrections.delete_item("casualty", casualty_id, "false"),
        "add_item": lambda: viewer.corrections.add_item("casualty", stored, {"kind": "wounded", "count": 2}, "missed"),
        "rename_actor": lambda: viewer.corrections.rename_actor("Russia", "Russian Federation", "style"),
        "recountry_actor": lambda: viewer.corrections.recountry_actor("Russia", "Ukraine", "wrong"),
        "merge_actors": lambda: viewer.corrections.merge_actors("Ukraine", "Russia", "wrong"),
        "undo": lambda: viewer.corrections.undo(1),
        "feeds.add": lambda: FeedList(viewer).add("https://example.org/feed.xml"),
        "queue": lambda: JobQueue(viewer).enqueue_text(TEXT),
    }
    for what, call in refused.items():
        with pytest.raises(PermissionDenied, match="vera \\(viewer\\) may not") as caught:
            call()
        assert caught.value.principal == VIEWER, what
    assert counts(store) == before
    assert viewer.article(stored)["title"] == "Strike"  # reading is allowed
    assert not viewer.casualties().empty


def test_an_analyst_ingests_and_corrects_under_their_name_but_cannot_delete(store, stored):
    analyst = store.for_principal(ANALYST)
    other = "Ukraine and Russia agreed a ceasefire in Istanbul; nine people were freed in talks."
    result = analyst.save(article(other), extraction(other))
    assert result.status == "stored"
    casualty_id = int(store.article_items(stored, "casualty")["id"].iloc[0])
    analyst.corrections.update_item("casualty", casualty_id, {"count": 10}, "revised toll")
    analyst.corrections.rename_actor("Russia", "Russian Federation", "house style", user="ana on behalf of the desk")
    with store.session() as s:
        assert s.get(ArticleRow, result.article_id).ingested_by == "ana"
        assert s.get(ArticleRow, stored).ingested_by is None  # stored in single-user mode
        assert [c.user for c in s.scalars(select(CorrectionRow).order_by(CorrectionRow.id))] == ["ana", "ana"]  # the principal, whatever name is passed
    with pytest.raises(PermissionDenied, match="needs the admin role"):
        analyst.delete_article(stored)
    with pytest.raises(PermissionDenied):
        auth.create_user(analyst, "eve", "admin", PASSWORD)


def test_an_admin_deletes_an_article_with_all_its_items(store, stored):
    keep = "A different report: talks were held in Geneva and nine prisoners were exchanged."
    kept = store.save(article(keep), extraction(keep)).article_id
    store.for_principal(ADMIN).delete_article(stored)
    with store.session() as s:
        assert s.get(ArticleRow, stored) is None
        for table in (CasualtyRow, MilestoneRow, ArticleActorRow, RelationRow):
            assert s.scalars(select(table.id).where(table.article_id == stored)).all() == [], table.__tablename__
        assert s.get(ArticleRow, kept) is not None
    assert store.article_count() == 1
    with pytest.raises(KeyError, match="no article"):
        store.delete_article(stored)


def test_deleting_an_article_is_one_transaction(store, stored):
    def fail_on_the_article(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
        if statement.startswith("DELETE FROM articles"):
            raise RuntimeError("the disk is full")

    before = counts(store)
    event.listen(store.engine, "before_cursor_execute", fail_on_the_article)
    try:
        with pytest.raises(RuntimeError):
            store.delete_article(stored)
    finally:
        event.remove(store.engine, "before_cursor_execute", fail_on_the_article)
    assert counts(store) == before  # the items deleted before the failure are back


# -- accounts and passwords ------------------------------------------------------------------------

class Captured(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(self.format(record))


@pytest.fixture()
def captured_logs():
    handler = Captured()
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield handler
    root.removeHandler(handler)
    root.setLevel(level)


def database_bytes(url: str) -> bytes:
    path = Path(url.removeprefix("sqlite:///"))
    return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))


def test_passwords_are_stored_as_salted_argon2_hashes_and_never_in_clear(store, sqlite_url, captured_logs):
    auth.create_user(store, "ana", "analyst", PASSWORD)
    auth.create_user(store, "ben", "viewer", PASSWORD)
    assert auth.verify(store, "ana", PASSWORD) == Principal("ana", "analyst")
    assert auth.verify(store, "ana", PASSWORD + "!") is None
    assert auth.verify(store, PASSWORD, PASSWORD) is None  # a password typed in the name field
    auth.set_password(store, "ben", PASSWORD + " again")
    with store.session() as s:
        hashes = {r.name: r.password_hash for r in s.scalars(select(UserRow))}
    assert all(h.startswith("$argon2id$") for h in hashes.values())
    assert PASSWORD not in "".join(hashes.values())
    auth.create_user(store, "cat", "viewer", PASSWORD)
    with store.session() as s:
        assert s.scalar(select(UserRow.password_hash).where(UserRow.name == "cat")) != hashes["ana"]  # salted
    store.engine.dispose()
    if sqlite_url.startswith("sqlite:///"):  # the database file, with its write-ahead log
        assert PASSWORD.encode() not in database_bytes(sqlite_url)
    logged = "\n".join(captured_logs.messages)
    assert "ana" in logged  # the events are logged...
    assert PASSWORD not in logged  # ...the password never


def test_account_rules(store):
    auth.create_user(store, "ana", "analyst", PASSWORD)
    with pytest.raises(AccountError, match="already"):
        auth.create_user(store, " ana ", "viewer", PASSWORD)
    with pytest.raises(AccountError, match="at least 8"):
        auth.create_user(store, "bob", "viewer", "short")
    with pytest.raises(AccountError, match="unknown role"):
        auth.create_user(store, "bob", "root", PASSWORD)
    with pytest.raises(AccountError, match="empty"):
        auth.create_user(store, "  ", "viewer", PASSWORD)
    assert auth.set_role(store, "ana", "admin").role == "admin"
    assert [(a.name, a.role) for a in auth.list_users(store)] == [("ana", "admin")]
    assert auth.principal_for(store, "ana") == Principal("ana", "admin")
    auth.create_user(store, "bob", "admin", PASSWORD)
    auth.delete_user(store, "ana")
    assert [a.name for a in auth.list_users(store)] == ["bob"]
    assert auth.verify(store, "ana", PASSWORD) is None
    with pytest.raises(AccountError, match="no account"):
        auth.set_role(store, "ana", "viewer")
    with pytest.raises(PermissionDenied):
        auth.list_users(store.for_principal(ANALYST))


def argon2_parameters(encoded: str) -> str:
    """The algorithm, version and cost parameters of an encoded argon2 hash, e.g. "$argon2id$v=19$m=65536,t=3,p=4"."""
    return encoded.rsplit("$", 2)[0]


def test_a_wrong_password_costs_the_same_whether_or_not_the_account_exists(store, monkeypatch):
    """Every sign-in that is not held back runs exactly one argon2 verification with the account's
    cost parameters: an unknown name, an empty one or an unusable password included, so the
    answer's delay does not tell whether the name exists. A held-back attempt runs none, for a
    known name and an unknown one alike."""
    auth.create_user(store, "ana", "analyst", PASSWORD)
    with store.session() as s:
        account_hash = s.scalar(select(UserRow.password_hash).where(UserRow.name == "ana"))
    calls: list[tuple[str, str]] = []

    class Counting:
        def __init__(self, real):  # type: ignore[no-untyped-def]
            self.real = real

        def verify(self, stored_hash: str, password: str) -> bool:
            calls.append((stored_hash, password))
            return self.real.verify(stored_hash, password)

        def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
            return getattr(self.real, name)

    monkeypatch.setattr(auth, "_hasher", Counting(auth._hasher))
    attempts = {
        "known name, wrong password": ("ana", "wrong password"),
        "unknown name": ("nobody", "wrong password"),
        "empty name and password": ("", ""),
        "a name that is not a valid name": ("x" * 10_000, "wrong password"),
        "a password too long to hash": ("nobody", "p" * (auth.MAX_PASSWORD + 1)),
    }
    for what, (name, password) in attempts.items():
        calls.clear()
        assert auth.verify(store, name, password) is None, what
        assert len(calls) == 1, f"{what}: {len(calls)} verifications"
        stored_hash, _ = calls[0]
        assert argon2_parameters(stored_hash) == argon2_parameters(account_hash), what
        if name != "ana":
            assert stored_hash != account_hash, what  # checked against a hash of no account

    for name in ("ana", "nobody"):
        for _ in range(auth.MAX_FAILURES):
            auth.verify(store, name, "guess")
        calls.clear()
        outcome = auth.sign_in(store, name, PASSWORD)
        assert (outcome.principal, outcome.status) == (None, "throttled"), name
        assert outcome.retry_after > 0, name
        assert calls == [], f"{name}: a held-back attempt costs no password check"


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2025, 6, 1, 12, 0)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


def test_wrong_passwords_hold_back_that_address_for_a_growing_delay_not_the_account(store):
    auth.create_user(store, "ana", "analyst", PASSWORD)
    clock = Clock()
    here, elsewhere = "203.0.113.7", "198.51.100.20"
    for _ in range(auth.MAX_FAILURES - 1):
        assert auth.sign_in(store, "ana", "guess", address=here, now=clock()).retry_after == 0
    assert auth.verify(store, "ana", PASSWORD, address=here, now=clock()) is not None  # four failures: no delay yet, and reset
    for _ in range(auth.MAX_FAILURES):
        last = auth.sign_in(store, "ana", "guess", address=here, now=clock())
    first = throttle.delay(auth.MAX_FAILURES, throttle.ACCOUNT_ADDRESS)
    assert first == timedelta(seconds=30) and last.retry_after == 30  # the fifth failure says how long to wait
    held = auth.sign_in(store, "ana", PASSWORD, address=here, now=clock())
    assert (held.principal, held.status, held.retry_after) == (None, "throttled", 30)  # even the right password waits
    assert auth.verify(store, "ana", PASSWORD, address=elsewhere, now=clock()) == Principal("ana", "analyst")  # not a lock for everyone
    clock.advance(first - timedelta(seconds=1))
    assert auth.sign_in(store, "ana", PASSWORD, address=here, now=clock()).retry_after == 1
    clock.advance(timedelta(seconds=2))
    again = auth.sign_in(store, "ana", "guess again", address=here, now=clock())  # the delay is over; one more failure waits longer
    assert (again.status, again.retry_after) == ("failed", 60)
    assert throttle.delay(auth.MAX_FAILURES + 1, throttle.ACCOUNT_ADDRESS) == 2 * first
    assert throttle.delay(10_000, throttle.ACCOUNT_ADDRESS) == throttle.ACCOUNT_ADDRESS.cap
    clock.advance(timedelta(seconds=61))
    assert auth.verify(store, "ana", PASSWORD, address=here, now=clock()) == Principal("ana", "analyst")
    assert auth.sign_in(store, "ana", "one typo", address=here, now=clock()).retry_after == 0  # success started the count again


def test_an_admin_can_lift_a_lock(store):
    auth.create_user(store, "ana", "analyst", PASSWORD)
    for _ in range(auth.MAX_FAILURES):
        auth.verify(store, "ana", "guess")
    assert auth.verify(store, "ana", PASSWORD) is None
    (account,) = auth.list_users(store)
    assert account.locked() and account.failed_attempts == auth.MAX_FAILURES
    with pytest.raises(PermissionDenied):
        auth.unlock(store.for_principal(ANALYST), "ana")
    with pytest.raises(PermissionDenied):
        auth.clear_throttle(store.for_principal(ANALYST), "ana")
    assert auth.verify(store, "ana", PASSWORD) is None
    assert not auth.unlock(store.for_principal(ADMIN), "ana").locked()
    assert auth.verify(store, "ana", PASSWORD) is not None


# -- SQL only through bound parameters ------------------------------------------------------------

def test_hostile_strings_are_stored_and_queried_as_plain_values(store, stored):
    hostile = store.for_principal(Principal(INJECTION, "admin"))
    auth.create_user(store, INJECTION, "analyst", PASSWORD)
    assert auth.verify(store, INJECTION, PASSWORD) == Principal(INJECTION, "analyst")
    assert auth.verify(store, "' OR '1'='1", "' OR '1'='1") is None
    other = "After talks in Doha, nine people died in a strike on Kharkiv, officials in Ukraine said."
    saved = hostile.save(article(other, source=INJECTION), extraction(other))
    hostile.corrections.rename_actor("Russia", INJECTION, INJECTION)
    for filters in (Filters(sources=(INJECTION,)), Filters(actors=(INJECTION,)), Filters(countries=(INJECTION,))):
        store.articles(filters)
        store.casualties(filters)
        store.milestones(filters)
    assert store.articles(Filters(sources=(INJECTION,)))["id"].tolist() == [saved.article_id]
    assert INJECTION in set(store.actors()["name"])
    assert "articles" in inspect(store.engine).get_table_names()
    assert store.article_count() == 2
    with store.session() as s:
        assert s.get(ArticleRow, saved.article_id).ingested_by == INJECTION
        assert s.scalar(select(CorrectionRow.user)) == INJECTION


# -- the admin command -------------------------------------------------------------------------------

def test_the_users_command(sqlite_url, monkeypatch, capsys):
    from components.cli import build_parser, main

    monkeypatch.setenv("MONITOR_PASSWORD", PASSWORD)
    monkeypatch.setattr("getpass.getpass", lambda *a, **k: pytest.fail("getpass must not be asked when MONITOR_PASSWORD is set"))
    assert main(["users", "add", "ana", "--role", "analyst", "--database", sqlite_url]) == 0
    assert main(["users", "add", "bob", "--database", sqlite_url]) == 0
    assert main(["users", "role", "bob", "admin", "--database", sqlite_url]) == 0
    assert main(["users", "password", "ana", "--database", sqlite_url]) == 0
    assert main(["users", "list", "--database", sqlite_url]) == 0
    out = capsys.readouterr().out
    assert "ana\tanalyst" in out and "bob\tadmin" in out
    assert main(["users", "add", "ana", "--database", sqlite_url]) == 1
    assert "already" in capsys.readouterr().err
    assert main(["users", "remove", "bob", "--database", sqlite_url]) == 1  # the last admin
    assert "last admin" in capsys.readouterr().err
    assert main(["users", "role", "ana", "admin", "--database", sqlite_url]) == 0
    assert main(["users", "remove", "bob", "--database", sqlite_url]) == 0
    assert auth.verify(Store(sqlite_url), "ana", PASSWORD) == Principal("ana", "admin")
    out, err = capsys.readouterr()
    assert PASSWORD not in out + err
    with pytest.raises(SystemExit):  # there is no way to give a password as an argument
        build_parser().parse_args(["users", "add", "eve", "--password", PASSWORD])
    capsys.readouterr()
    monkeypatch.delenv("MONITOR_PASSWORD")
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert main(["users", "add", "eve", "--database", sqlite_url]) == 1
    assert "MONITOR_PASSWORD" in capsys.readouterr().err


def test_the_password_is_asked_twice_at_a_terminal(sqlite_url, monkeypatch, capsys):
    from components.cli import main

    monkeypatch.delenv("MONITOR_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    answers = iter([PASSWORD, PASSWORD + "x"])
    monkeypatch.setattr("getpass.getpass", lambda *a, **k: next(answers))
    assert main(["users", "add", "ana", "--database", sqlite_url]) == 1
    assert "differ" in capsys.readouterr().err
    answers = iter([PASSWORD, PASSWORD])
    assert main(["users", "add", "ana", "--database", sqlite_url]) == 0
    assert auth.verify(Store(sqlite_url), "ana", PASSWORD) is not None


def test_the_delete_command(store, stored, sqlite_url, capsys):
    from components.cli import main

    assert main(["delete", str(stored), "--database", sqlite_url]) == 0
    assert store.article_count() == 0
    assert main(["delete", str(stored), "--database", sqlite_url]) == 1
    assert f"no article #{stored}" in capsys.readouterr().err


def test_parallel_sign_ins_cannot_slip_the_right_password_past_a_lock(database_url, monkeypatch):
    """Thirty sign-ins at once from one address, as thirty browser tabs would send them through the
    form's function: the right password's (slow) check ends after 29 wrong ones have failed or
    been held back, so it must be refused. On SQLite and on PostgreSQL."""
    import threading

    store = Store(database_url)

    auth.create_user(store, "ana", "analyst", PASSWORD)
    wrong_done = threading.Event()
    real_matches = auth._matches

    def slow_for_the_right_one(stored_hash: str, password: str) -> bool:
        result = real_matches(stored_hash, password)
        if password == PASSWORD:
            assert wrong_done.wait(timeout=60)  # argon2 of the right attempt outlasts the others
        return result

    monkeypatch.setattr(auth, "_matches", slow_for_the_right_one)
    here = "203.0.113.7"
    results: dict[str, auth.SignIn] = {}
    right = threading.Thread(target=lambda: results.__setitem__("right", auth.sign_in(store, "ana", PASSWORD, address=here)))
    right.start()
    wrong = [threading.Thread(target=lambda n=n: results.__setitem__(n, auth.sign_in(store, "ana", f"guess {n}", address=here)))
             for n in range(29)]
    for t in wrong:
        t.start()
    for t in wrong:
        t.join(timeout=120)
    wrong_done.set()
    right.join(timeout=120)
    outcome = results["right"]
    assert outcome.principal is None and outcome.status == "throttled"  # 5 or more failures were in: held back
    assert outcome.retry_after > 0
    statuses = [results[n].status for n in range(29)]
    assert set(statuses) <= {"failed", "throttled"} and statuses.count("failed") >= auth.MAX_FAILURES
    (account,) = auth.list_users(store)
    assert account.failed_attempts == statuses.count("failed") and account.locked()
    assert auth.verify(store, "ana", PASSWORD, address="198.51.100.20") == Principal("ana", "analyst")  # from elsewhere: at once


def test_the_last_account_and_the_last_admin_cannot_be_removed(store):
    auth.create_user(store, "ada", "admin", PASSWORD)
    with pytest.raises(AccountError, match="last account"):
        auth.delete_user(store, "ada")  # the dashboard would be open to anyone
    auth.create_user(store, "ana", "analyst", PASSWORD)
    with pytest.raises(AccountError, match="last admin"):
        auth.delete_user(store, "ada")
    auth.delete_user(store, "ana")
    assert [a.name for a in auth.list_users(store)] == ["ada"]


def test_a_burst_of_sign_ins_runs_a_bounded_number_of_password_checks_at_once(store, monkeypatch):
    """argon2 takes 64 MiB a check: thirty parallel sign-ins must not run thirty checks at once."""
    import threading
    import time

    auth.create_user(store, "ana", "analyst", PASSWORD)
    running, peak, lock = [0], [0], threading.Lock()
    real_matches = auth._matches

    def counted(stored_hash: str, password: str) -> bool:
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        try:
            time.sleep(0.02)  # long enough for the threads to overlap
            return real_matches(stored_hash, password)
        finally:
            with lock:
                running[0] -= 1

    monkeypatch.setattr(auth, "_matches", counted)
    threads = [threading.Thread(target=auth.verify, args=(store, name, "guess")) for name in ["ana", "nobody"] * 15]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert 1 <= peak[0] <= auth.CONCURRENT_CHECKS
