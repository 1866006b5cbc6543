"""Progressive delays after failed sign-ins, kept in the `sign_in_throttle` table.

Wrong passwords slow a guesser down; they never lock an account for everyone. Each failed
sign-in counts against three keys:

- **the account from this address** (`acct:<name>@<address>`): after `MAX_FAILURES` wrong
  passwords in a row this pair waits 30 s, twice as long after each further failure, at
  most `ACCOUNT_ADDRESS.cap`. The same account from another address is not slowed down.
  A right password from this address clears the pair.
- **the address** (`addr:<address>`), whatever names it tries, unknown ones included: a
  wider allowance (an office behind one address makes honest mistakes too), then the same
  growing delay. It is checked before the password check, so a flood of guesses from one
  address costs no argon2 time once it is slowed down. Success does not clear it (signing in
  to one's own account between guesses at others must not reset them); it is forgotten
  after `FORGET_AFTER` without failures.
- **the account from everywhere** (`acct:<name>`), the backstop against guessing from many
  addresses at once: a high allowance, a short cap, and it never slows down an address
  that has signed in to the account before (see accounts.sign_in), so a flood from
  strangers cannot keep the account's own people out.

Names are keyed by a hash, never as typed: a password typed in the name field is not
stored, and an unknown name is slowed down exactly like a known one (the delays do not
tell which names exist).

Blocked or not is decided in the same transaction that counts or clears, with the rows
locked (PostgreSQL: `SELECT … FOR UPDATE` in key order; SQLite: the write lock taken by the
first statement), so parallel sign-ins cannot slip a right password past failures that
were counted before it.
"""

from __future__ import annotations

import hashlib
import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .repository import Store

BASE_DELAY = timedelta(seconds=30)  # the first delay; each further failure doubles it
FORGET_AFTER = timedelta(days=1)  # a key without failures for this long starts again from zero
UNKNOWN_ADDRESS = "unknown"  # no address known (the command line, a test, a local connection)


@dataclass(frozen=True)
class Rule:
    """Failures allowed before a delay, and the longest delay."""

    allowed: int
    cap: timedelta


MAX_FAILURES = 5  # wrong passwords in a row, for one account from one address, before the first delay
ACCOUNT_ADDRESS = Rule(allowed=MAX_FAILURES - 1, cap=timedelta(minutes=15))
ADDRESS = Rule(allowed=29, cap=timedelta(minutes=15))  # the 30th failure from one address, any names
ACCOUNT = Rule(allowed=99, cap=timedelta(minutes=5))  # the 100th failure in a row on one account, any addresses


def delay(failures: int, rule: Rule) -> timedelta:
    """How long a key waits after `failures` failures in a row under `rule`."""
    if failures <= rule.allowed:
        return timedelta(0)
    return min(BASE_DELAY * 2 ** min(failures - rule.allowed - 1, 20), rule.cap)


def address_key(address: str | None) -> str:
    """The address as keyed: IPv4 as is, IPv6 by its /64 (one household or one server has all
    of a /64, and picks a new address in it at will), anything else cut to 64 characters."""
    text = (address or "").strip()
    if not text:
        return UNKNOWN_ADDRESS
    try:
        parsed = ipaddress.ip_address(text)
    except ValueError:
        return text[:64]
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:  # ::ffff:192.0.2.1 is the IPv4 client 192.0.2.1
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def name_hash(name: str) -> str:
    return hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:32]


@dataclass(frozen=True)
class Keys:
    """The three keys one sign-in attempt counts against."""

    account_address: str
    address: str
    account: str

    @classmethod
    def of(cls, name: str, address: str | None) -> Keys:
        account = f"acct:{name_hash(name)}"
        where = address_key(address)
        return cls(account_address=f"{account}@{where}", address=f"addr:{where}", account=account)

    def checked(self, *, backstop: bool) -> tuple[str, ...]:
        """The keys that may hold this attempt back (the backstop only for a stranger's address)."""
        return (self.address, self.account_address) + ((self.account,) if backstop else ())

    def rule(self, key: str) -> Rule:
        return {self.account_address: ACCOUNT_ADDRESS, self.address: ADDRESS, self.account: ACCOUNT}[key]


def _seconds(until: datetime | None, moment: datetime) -> int:
    if until is None or until <= moment:
        return 0
    left = until - moment
    return int(left.total_seconds()) + (1 if left.microseconds else 0)


def blocked_for(store: Store, keys: Iterable[str], moment: datetime) -> int:
    """Seconds until none of `keys` holds an attempt back (0: free now). A read, no lock: the
    cheap refusal before the password check; `accept` decides again under the lock."""
    from sqlalchemy import select

    from .schema import SignInThrottleRow as T

    with store.engine.connect() as conn:
        until = conn.execute(select(T.blocked_until).where(T.key.in_(list(keys)), T.blocked_until > moment)).scalars()
        return max((_seconds(u, moment) for u in until), default=0)


def _insert_missing(s: Any, keys: list[str], moment: datetime) -> None:
    """A row for each key, in key order (PostgreSQL makes a concurrent insert of the same key wait)."""
    from .schema import SignInThrottleRow as T

    dialect = s.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:
        raise RuntimeError(f"sign-in delays need SQLite or PostgreSQL, not {dialect}")
    for key in keys:
        s.execute(insert(T).values(key=key, failures=0, blocked_until=None, updated_at=moment).on_conflict_do_nothing())


def _locked_rows(s: Any, keys: Iterable[str], moment: datetime) -> dict[str, Any]:
    from sqlalchemy import select

    from .schema import SignInThrottleRow as T

    ordered = sorted(set(keys))
    _insert_missing(s, ordered, moment)
    rows = s.scalars(select(T).where(T.key.in_(ordered)).order_by(T.key).with_for_update()).all()
    return {row.key: row for row in rows}


def count_failure(store: Store, keys: Keys, moment: datetime, *, backstop: bool) -> int:
    """One more failure on each key, in one transaction; the seconds this attempt's client must now
    wait (the account-wide backstop only counts toward the wait of a stranger's address)."""
    with store.session() as s:
        rows = _locked_rows(s, (keys.account_address, keys.address, keys.account), moment)
        for key, row in rows.items():
            quiet = row.updated_at < moment - FORGET_AFTER and (row.blocked_until is None or row.blocked_until <= moment)
            row.failures = (0 if quiet else row.failures) + 1
            wait = delay(row.failures, keys.rule(key))
            row.blocked_until = moment + wait if wait else row.blocked_until
            row.updated_at = moment
        checked = keys.checked(backstop=backstop)
        return max((_seconds(rows[k].blocked_until, moment) for k in checked if k in rows), default=0)


def accept(store: Store, keys: Keys, moment: datetime, *, backstop: bool) -> int:
    """After a right password: 0, with this account's counts cleared, if no checked key holds the
    attempt back at this moment; else the seconds to wait (and nothing cleared). All three rows
    are locked, in key order as `count_failure` locks them, so the two never wait on each other."""
    with store.session() as s:
        rows = _locked_rows(s, (keys.account_address, keys.address, keys.account), moment)
        wait = max((_seconds(rows[k].blocked_until, moment) for k in keys.checked(backstop=backstop)), default=0)
        if wait:
            return wait
        s.delete(rows[keys.account_address])
        s.delete(rows[keys.account])
        if rows[keys.address].failures == 0:
            s.delete(rows[keys.address])  # made just now for the lock: nothing to remember
        return 0


def clear_account(store: Store, name: str) -> int:
    """Forget every delay on the account `name`, from every address (an admin's unlock): rows removed."""
    from sqlalchemy import or_, select

    from .schema import SignInThrottleRow as T

    account = f"acct:{name_hash(name)}"
    with store.session() as s:
        # Locked in key order, as a sign-in locks them, before they go: the two never wait on each other.
        rows = s.scalars(select(T).where(or_(T.key == account, T.key.like(account + "@%"))).order_by(T.key).with_for_update()).all()
        for row in rows:
            s.delete(row)
        return len(rows)


@dataclass(frozen=True)
class Standing:
    """What the delays hold against one account: failures in a row from anywhere, and the latest
    moment any address (or every address) is held back until."""

    failures: int = 0
    blocked_until: datetime | None = None


def standing(store: Store, names: Iterable[str], moment: datetime) -> dict[str, Standing]:
    """The Standing of each named account (those without failures are left out)."""
    from sqlalchemy import select

    from .schema import SignInThrottleRow as T

    by_hash = {f"acct:{name_hash(n)}": n for n in names}
    failures: dict[str, int] = {}
    until: dict[str, datetime] = {}
    with store.engine.connect() as conn:
        for key, count, blocked in conn.execute(select(T.key, T.failures, T.blocked_until).where(T.key.like("acct:%"))):
            name = by_hash.get(key.partition("@")[0])
            if name is None:
                continue
            failures.setdefault(name, 0)
            if "@" not in key:
                failures[name] = count  # the account from everywhere: failures in a row
            if blocked is not None and blocked > moment and blocked > until.get(name, moment):
                until[name] = blocked
    return {name: Standing(count, until.get(name)) for name, count in failures.items()}


def forget_quiet(store: Store, moment: datetime) -> int:
    """Remove keys quiet for `FORGET_AFTER` and no longer blocked: rows removed."""
    from sqlalchemy import delete, or_, select

    from .schema import SignInThrottleRow as T

    old = moment - FORGET_AFTER
    # Rows a sign-in holds locked right now are left for the next time: waiting on them could deadlock.
    quiet = (select(T.key).where(T.updated_at < old, or_(T.blocked_until.is_(None), T.blocked_until <= moment))
             .with_for_update(skip_locked=True))
    with store.session() as s:
        done = s.execute(delete(T).where(T.key.in_(quiet)))
        return int(done.rowcount or 0)
