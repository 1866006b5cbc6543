"""Sign-in limits and the sign-in log (issue 16): delays by account and address instead of a lock
for everyone, a per-address limit checked before the password check, and a record of every attempt."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from components.cli import main
from components.roles import PermissionDenied, Principal
from components.store import Store, signins, throttle
from components.store import accounts as auth
from components.store.schema import SignInEventRow, SignInThrottleRow

PASSWORD = "a long and honest passphrase"
ADMIN = Principal("ada", "admin")
ANALYST = Principal("ana", "analyst")
OFFICE, HOME, STRANGER = "192.0.2.10", "198.51.100.4", "203.0.113.99"


@pytest.fixture()
def store(database_url) -> Store:
    store = Store(database_url)
    auth.create_user(store, "ada", "admin", PASSWORD)
    auth.create_user(store, "ana", "analyst", PASSWORD)
    return store


@pytest.fixture()
def checks(monkeypatch) -> list[str]:
    """The hashes each argon2 check ran against (the real check still runs)."""
    seen: list[str] = []
    real = auth._matches

    def counted(stored_hash: str, password: str) -> bool:
        seen.append(stored_hash)
        return real(stored_hash, password)

    monkeypatch.setattr(auth, "_matches", counted)
    return seen


def throttle_rows(store: Store) -> dict[str, tuple[int, datetime | None]]:
    with store.session() as s:
        return {r.key: (r.failures, r.blocked_until) for r in s.scalars(select(SignInThrottleRow))}


# -- delays ----------------------------------------------------------------------------------------

def test_delays_start_after_the_allowance_and_double_up_to_a_cap():
    rule = throttle.Rule(allowed=4, cap=timedelta(minutes=2))
    assert [throttle.delay(n, rule).total_seconds() for n in range(1, 9)] == [0, 0, 0, 0, 30, 60, 120, 120]
    assert throttle.delay(10**9, throttle.ADDRESS) == throttle.ADDRESS.cap
    assert throttle.ACCOUNT_ADDRESS.allowed == auth.MAX_FAILURES - 1 < throttle.ADDRESS.allowed < throttle.ACCOUNT.allowed


@pytest.mark.parametrize(("address", "key"), [
    ("192.0.2.10", "192.0.2.10"), (" 192.0.2.10 ", "192.0.2.10"), ("::ffff:192.0.2.10", "192.0.2.10"),
    ("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64"), ("2001:db8:1:2::9", "2001:db8:1:2::/64"),
    (None, throttle.UNKNOWN_ADDRESS), ("", throttle.UNKNOWN_ADDRESS), ("not an address" * 10, ("not an address" * 10)[:64]),
])
def test_addresses_are_keyed_ipv6_by_its_64_block(address, key):
    assert throttle.address_key(address) == key


def test_a_flood_from_one_address_does_not_keep_the_account_out_elsewhere(store):
    for n in range(12):  # the "about twelve wrong passwords" that used to lock the only admin
        auth.sign_in(store, "ada", f"guess {n}", address=STRANGER)
    assert auth.sign_in(store, "ada", PASSWORD, address=STRANGER).status == "throttled"
    assert auth.verify(store, "ada", PASSWORD, address=OFFICE) == ADMIN
    assert auth.verify(store, "ada", PASSWORD, address=HOME) == ADMIN


def test_the_address_limit_covers_every_name_and_is_checked_before_the_password(store, checks):
    """Guesses spread over many names (unknown ones too) from one address hit the address's limit;
    from then on an attempt from there costs no argon2 check, and other addresses are not concerned."""
    names = ["ada", "ana", "nobody", "root", "admin"]
    for n in range(throttle.ADDRESS.allowed + 1):
        outcome = auth.sign_in(store, names[n % len(names)] + ("" if n < len(names) else f"{n}"), "guess", address=STRANGER)
        assert outcome.status == "failed"
    assert outcome.retry_after == 30  # the failure that reached the limit says how long to wait
    checks.clear()
    for name, password in (("ana", PASSWORD), ("someone new", "guess")):
        held = auth.sign_in(store, name, password, address=STRANGER)
        assert (held.principal, held.status, held.retry_after) == (None, "throttled", 30), name
    assert checks == []  # held back before the password check: the flood costs no argon2 time
    assert auth.verify(store, "ana", PASSWORD, address=OFFICE) == ANALYST
    assert throttle_rows(store)[f"addr:{STRANGER}"][0] == throttle.ADDRESS.allowed + 1


def test_a_right_password_does_not_reset_its_address_count(store):
    for n in range(throttle.ADDRESS.allowed):
        auth.sign_in(store, f"name {n}", "guess", address=STRANGER)
        if n % 3 == 0:
            assert auth.verify(store, "ana", PASSWORD, address=STRANGER) == ANALYST  # one's own account between guesses
    assert auth.sign_in(store, "someone", "guess", address=STRANGER).retry_after == 30


def test_counts_are_exact_under_parallel_failures(store):
    """Forty failures at once on one account from one address: none lost, on SQLite and PostgreSQL."""
    keys = throttle.Keys.of("ana", STRANGER)
    moment = auth.utcnow()
    threads = [threading.Thread(target=throttle.count_failure, args=(store, keys, moment), kwargs={"backstop": True}) for _ in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    rows = throttle_rows(store)
    assert rows[keys.account_address][0] == rows[keys.address][0] == rows[keys.account][0] == 40
    assert rows[keys.account_address][1] == moment + throttle.ACCOUNT_ADDRESS.cap


def test_the_backstop_holds_strangers_back_but_not_a_known_place(store):
    """Guesses at one account from many addresses: past the account-wide allowance a new address
    waits, while an address the account signed in from before does not."""
    assert auth.verify(store, "ana", PASSWORD, address=HOME) == ANALYST  # HOME is now a known place
    moment = auth.utcnow()
    for n in range(throttle.ACCOUNT.allowed + 1):
        throttle.count_failure(store, throttle.Keys.of("ana", f"10.0.{n // 250}.{n % 250}"), moment, backstop=True)
    held = auth.sign_in(store, "ana", PASSWORD, address=OFFICE, now=moment)
    assert (held.status, held.retry_after) == ("throttled", 30)
    assert auth.verify(store, "ana", PASSWORD, address=HOME, now=moment) == ANALYST
    assert auth.verify(store, "ana", PASSWORD, address=OFFICE, now=moment) == ANALYST  # the success reset the run of failures


def test_quiet_failures_are_forgotten_after_a_day(store):
    moment = datetime(2030, 1, 1, 9, 0)
    for _ in range(auth.MAX_FAILURES - 1):
        auth.sign_in(store, "ana", "guess", address=OFFICE, now=moment)
    later = moment + throttle.FORGET_AFTER + timedelta(minutes=1)
    assert auth.sign_in(store, "ana", "typo", address=OFFICE, now=later).retry_after == 0  # counted from 1 again
    assert throttle.forget_quiet(store, later + throttle.FORGET_AFTER + timedelta(minutes=1)) >= 1
    assert throttle_rows(store) == {}


def test_an_admin_clears_the_delays_of_one_account_from_every_address(store, database_url, capsys):
    for where in (OFFICE, HOME):
        for _ in range(auth.MAX_FAILURES):
            auth.sign_in(store, "ana", "guess", address=where)
    for _ in range(auth.MAX_FAILURES):
        auth.sign_in(store, "ada", "guess", address=OFFICE)
    with pytest.raises(PermissionDenied, match="ana \\(analyst\\) may not"):
        auth.clear_throttle(store.for_principal(ANALYST), "ana")
    assert main(["users", "list", "--database", database_url]) == 0
    listed = dict(line.split("\t", 1) for line in capsys.readouterr().out.splitlines())
    assert "sign-ins held back until" in listed["ana"] and "sign-ins held back until" in listed["ada"]
    assert auth.clear_throttle(store.for_principal(ADMIN), "ana") == 3  # from OFFICE, from HOME, from everywhere
    assert main(["users", "list", "--database", database_url]) == 0
    assert "held back" not in dict(line.split("\t", 1) for line in capsys.readouterr().out.splitlines())["ana"]
    assert auth.verify(store, "ana", PASSWORD, address=OFFICE) == ANALYST
    assert auth.verify(store, "ana", PASSWORD, address=HOME) == ANALYST
    assert auth.sign_in(store, "ada", PASSWORD, address=OFFICE).status == "throttled"  # another account keeps its delay


# -- the sign-in log --------------------------------------------------------------------------------

def test_every_attempt_is_logged_with_name_time_and_address_never_the_password(store, database_url):
    start = auth.utcnow()
    auth.sign_in(store, "ana", PASSWORD, address=OFFICE)
    auth.sign_in(store, "ana", "not it at all", address=HOME)
    auth.sign_in(store, PASSWORD, PASSWORD, address=HOME)  # a password typed in the name field
    for _ in range(auth.MAX_FAILURES):
        auth.sign_in(store, "ada", "guess", address=STRANGER)
    log = signins.recent(store.for_principal(ADMIN), limit=50)
    assert list(log.columns) == ["at", "event", "name", "address", "detail"]
    oldest_first = log.astype(object).where(log.notna(), None).iloc[::-1]
    assert [tuple(r) for r in oldest_first[["event", "name", "address"]].itertuples(index=False)][:3] == [
        ("signed_in", "ana", OFFICE), ("failed", "ana", HOME), ("failed", None, HOME)]
    assert oldest_first["detail"].iloc[1] == "wrong password" and oldest_first["detail"].iloc[2] == "no such account"
    assert log["detail"].iloc[0] == "wrong password; held back 30 s from now"
    assert all(start <= t <= auth.utcnow() for t in log["at"])
    assert auth.sign_in(store, "ada", PASSWORD, address=STRANGER).status == "throttled"
    latest = signins.recent(store, limit=1).iloc[0]
    assert (latest["event"], latest["name"], latest["address"]) == ("throttled", "ada", STRANGER)
    with store.session() as s:
        stored = " ".join(f"{e.name} {e.detail}" for e in s.scalars(select(SignInEventRow)))
        keys = " ".join(s.scalars(select(SignInThrottleRow.key)))
    assert PASSWORD not in stored and PASSWORD not in keys and "not it at all" not in stored
    if database_url.startswith("sqlite:///"):
        store.engine.dispose()
        path = Path(database_url.removeprefix("sqlite:///"))
        assert PASSWORD.encode() not in b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))


def test_only_admins_read_the_sign_in_log(store):
    auth.sign_in(store, "ana", PASSWORD, address=OFFICE)
    with pytest.raises(PermissionDenied, match="may not read the sign-in log: that needs the admin role"):
        signins.recent(store.for_principal(ANALYST))
    with pytest.raises(ValueError, match="limit must be a whole number from 1"):
        signins.recent(store, limit=0)
    with pytest.raises(ValueError, match="unknown sign-in event 'hacked'"):
        signins.record(store, "hacked", name="ana", address=None, at=auth.utcnow())
    assert signins.recent(store.for_principal(ADMIN))["event"].tolist() == ["signed_in"]
