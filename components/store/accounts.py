"""The built-in accounts: names, roles (see roles.py) and argon2 password hashes.

Built-in accounts live in the `users` table with salted argon2id hashes; a clear password
is never stored or logged. Sign-in is rate-limited: after `MAX_FAILURES` wrong passwords
an account is locked for a delay that doubles with every further failure, and while it
is locked even the right password is refused. A sign-in as an unknown name costs the same
argon2 verification as a wrong password, so timing does not tell which names exist.

No Streamlit here: the command line, the worker and the pages share this module.
"""

from __future__ import annotations

import logging
import os
import re
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from ..roles import RIGHTS, ROLES, Principal, principal_of

if TYPE_CHECKING:
    from .repository import Store

log = logging.getLogger(__name__)

MAX_FAILURES = 5  # wrong passwords in a row before the account is locked
CONCURRENT_CHECKS = max(1, int(os.environ.get("SIGN_IN_CONCURRENCY", "2") or 2))  # argon2 checks at once, per process
_CHECKS = threading.BoundedSemaphore(CONCURRENT_CHECKS)
LOCK_BASE = timedelta(seconds=30)  # the first lock; each further failure doubles it
LOCK_MAX = timedelta(hours=1)
MIN_PASSWORD = 8
MAX_PASSWORD = 1024  # argon2 takes any length, but a megabyte "password" would cost time
MAX_NAME = 120
_NAME = re.compile(r"^[^\x00-\x1f\x7f]+$")


class AccountError(ValueError):
    """An account that cannot be made or changed, with the reason."""


@dataclass(frozen=True)
class Account:
    name: str
    role: str
    created_at: datetime
    failed_attempts: int
    locked_until: datetime | None

    def locked(self, now: datetime | None = None) -> bool:
        return self.locked_until is not None and self.locked_until > (now or utcnow())


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


_hasher = PasswordHasher()
_dummy_hash: str | None = None


def _dummy() -> str:
    """A hash of a random password nobody knows: verified against when the name is unknown."""
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = _hasher.hash(secrets.token_urlsafe(24))
    return _dummy_hash


def _matches(stored_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def lock_delay(failures: int) -> timedelta:
    """How long an account stays locked after `failures` wrong passwords in a row."""
    if failures < MAX_FAILURES:
        return timedelta(0)
    return min(LOCK_BASE * 2 ** min(failures - MAX_FAILURES, 20), LOCK_MAX)


def validate_name(name: str) -> str:
    clean = (name or "").strip()
    if not clean:
        raise AccountError("the account name is empty")
    if len(clean) > MAX_NAME:
        raise AccountError(f"the account name is longer than {MAX_NAME} characters")
    if not _NAME.match(clean):
        raise AccountError("the account name contains control characters")
    return clean


def validate_role(role: str) -> str:
    if role not in RIGHTS:
        raise AccountError(f"unknown role {role!r} (roles: {', '.join(ROLES)})")
    return role


def _check_password(password: str) -> str:
    if not isinstance(password, str) or len(password) < MIN_PASSWORD:
        raise AccountError(f"the password must have at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise AccountError(f"the password must have at most {MAX_PASSWORD} characters")
    return password


def _account(row: Any) -> Account:
    return Account(row.name, row.role, row.created_at, row.failed_attempts, row.locked_until)


def _find(s: Any, name: str) -> Any:
    from sqlalchemy import select

    from .schema import UserRow

    return s.scalar(select(UserRow).where(UserRow.name == name))


def _require_admin(store: Store) -> None:
    principal_of(store).require("admin")


def create_user(store: Store, name: str, role: str, password: str) -> Account:
    """A new account with a salted argon2 hash of its password."""
    from sqlalchemy.exc import IntegrityError

    from .schema import UserRow

    _require_admin(store)
    name, role, password = validate_name(name), validate_role(role), _check_password(password)
    try:
        with store.session() as s:
            if _find(s, name) is not None:
                raise AccountError(f"there is already an account named {name!r}")
            row = UserRow(name=name, role=role, password_hash=_hasher.hash(password), created_at=utcnow(),
                          failed_attempts=0, locked_until=None)
            s.add(row)
            s.flush()
            account = _account(row)
    except IntegrityError:  # made by someone else between our check and our insert
        raise AccountError(f"there is already an account named {name!r}") from None
    log.info("account %r created with role %s", name, role)
    return account


def _change(store: Store, name: str, change: Callable[[Any], None]) -> Account:
    _require_admin(store)
    with store.session() as s:
        row = _find(s, validate_name(name))
        if row is None:
            raise AccountError(f"there is no account named {name.strip()!r}")
        change(row)
        s.flush()
        return _account(row)


def _other_admins(row: Any, usable_at: datetime | None = None) -> int:
    """Admin accounts besides `row` (only those not locked at `usable_at`, when given)."""
    from sqlalchemy import func, or_, select
    from sqlalchemy.orm import object_session

    from .schema import UserRow

    q = select(func.count(UserRow.id)).where(UserRow.role == "admin", UserRow.id != row.id)
    if usable_at is not None:
        q = q.where(or_(UserRow.locked_until.is_(None), UserRow.locked_until <= usable_at))
    session = object_session(row)
    assert session is not None
    return int(session.scalar(q) or 0)


def set_role(store: Store, name: str, role: str) -> Account:
    """A new role; never taking the admin role from the last admin (nobody could manage the accounts)."""
    role = validate_role(role)

    def change(row: Any) -> None:
        if row.role == "admin" and role != "admin" and not _other_admins(row):
            raise AccountError("the last admin cannot be given another role: make another account admin first")
        row.role = role

    account = _change(store, name, change)
    log.info("account %r now has role %s", account.name, role)
    return account


def set_password(store: Store, name: str, password: str) -> Account:
    """A new password (a new salt too); also lifts a lock."""
    new_hash = _hasher.hash(_check_password(password))

    def change(row: Any) -> None:
        row.password_hash, row.failed_attempts, row.locked_until = new_hash, 0, None

    account = _change(store, name, change)
    log.info("password of account %r changed", account.name)
    return account


def unlock(store: Store, name: str) -> Account:
    def change(row: Any) -> None:
        row.failed_attempts, row.locked_until = 0, None

    account = _change(store, name, change)
    log.info("account %r unlocked by %s", account.name, principal_of(store).label)
    return account


def lock(store: Store, name: str, until: datetime) -> Account:
    """Refuse every sign-in to the account until `until` (UTC), even with the right password;
    `unlock` (or a new password) lifts it sooner. Never one's own account, nor the last admin
    who can sign in."""
    if until.tzinfo is not None:
        until = until.astimezone(UTC).replace(tzinfo=None)
    now = utcnow()
    if until <= now:
        raise AccountError(f"the lock must end in the future, not at {until:%Y-%m-%d %H:%M} UTC")
    acting = principal_of(store).name

    def change(row: Any) -> None:
        if acting is not None and row.name == acting:
            raise AccountError("you cannot lock your own account")
        if row.role == "admin" and not _other_admins(row, usable_at=now):
            raise AccountError("the last admin who can sign in cannot be locked: nobody could unlock it from the app")
        row.locked_until = until

    account = _change(store, name, change)
    log.warning("account %r locked until %s UTC by %s", account.name, f"{until:%Y-%m-%d %H:%M}", principal_of(store).label)
    return account


def delete_user(store: Store, name: str) -> None:
    """Remove an account with its watches and its sessions, in one transaction; never the last
    account, nor the last admin who can sign in (the app would then be open, or unmanageable).
    A later account of the same name starts with nothing of this one's."""
    from sqlalchemy import delete, func, select

    from .schema import UserRow, UserSessionRow, WatchRow

    _require_admin(store)
    with store.session() as s:
        row = _find(s, validate_name(name))
        if row is None:
            raise AccountError(f"there is no account named {name.strip()!r}")
        if s.scalar(select(func.count(UserRow.id))) == 1:
            raise AccountError("the last account cannot be removed: with no account the dashboard would be open to anyone; add another first")
        if row.role == "admin" and not _other_admins(row, usable_at=utcnow()):
            raise AccountError("the last admin who can sign in cannot be removed: make another account admin (or unlock one) first")
        s.execute(delete(WatchRow).where(WatchRow.owner == row.name))
        s.execute(delete(UserSessionRow).where(UserSessionRow.user_name == row.name))
        s.delete(row)
    log.info("account %r removed", name.strip())


def list_users(store: Store) -> list[Account]:
    from sqlalchemy import select

    from .schema import UserRow

    _require_admin(store)
    with store.session() as s:
        return [_account(r) for r in s.scalars(select(UserRow).order_by(UserRow.name))]


def has_accounts(store: Store) -> bool:
    """Whether any built-in account exists (the app then asks everyone to sign in)."""
    from sqlalchemy import select

    from .schema import UserRow

    with store.engine.connect() as conn:
        return conn.scalar(select(UserRow.id).limit(1)) is not None


def principal_for(store: Store, name: str) -> Principal | None:
    """The current role of a signed-in account (None if it was removed meanwhile)."""
    with store.session() as s:
        row = _find(s, name)
        return Principal(row.name, row.role) if row is not None else None


def verify(store: Store, name: str, password: str, *, now: datetime | None = None) -> Principal | None:
    """The account's principal if the password is right and the account is not locked; else None.

    Every call costs one argon2 verification, whether the name exists or not and whether
    the account is locked or not. A wrong password counts a failure; the fifth in a row
    locks the account for `lock_delay`, and each failure after that doubles the delay.

    The decision is taken atomically with the count, after the (slow) password check: a
    right password is accepted by one conditional UPDATE that only matches an account not
    locked at that moment, so thirty sign-ins at once (29 wrong, 1 right) cannot slip the
    right one in on a count read before the others failed.
    """
    moment = now or utcnow()
    try:
        clean = validate_name(name)
    except AccountError:
        clean = None
    usable = isinstance(password, str) and 0 < len(password) <= MAX_PASSWORD
    with store.session() as s:
        row = _find(s, clean) if clean is not None else None
        found = (row.id, row.name, row.role, row.password_hash) if row is not None else None
    with _CHECKS:  # argon2 takes 64 MiB a check: a burst of sign-ins waits its turn instead of filling the memory
        right = _matches(found[3] if found is not None else _dummy(), password if usable else "\x00")
    if found is None:
        log.info("sign-in refused: no such account")  # the typed name is not logged: it may be a password
        return None
    user_id, account, role, stored_hash = found
    if right and usable:
        if _accept(store, user_id, moment):
            if _hasher.check_needs_rehash(stored_hash):
                _rehash(store, user_id, password)
            return Principal(account, role)
        log.warning("sign-in refused for %r: the account is locked", account)
        return None
    failures, locked_until = _count_failure(store, user_id, moment)
    if locked_until is not None:
        log.warning("account %r locked until %s after %d failed sign-ins", account, locked_until, failures)
    else:
        log.info("sign-in refused for %r: wrong password", account)
    return None


def _accept(store: Store, user_id: int, moment: datetime) -> bool:
    """Reset the count of an account that is not locked now, in one statement; False if it is locked."""
    from sqlalchemy import and_, or_, update

    from .schema import UserRow

    open_now = or_(and_(UserRow.locked_until.is_(None), UserRow.failed_attempts < MAX_FAILURES), UserRow.locked_until <= moment)
    with store.session() as s:
        done = s.execute(update(UserRow).where(UserRow.id == user_id, open_now).values(failed_attempts=0, locked_until=None))
        return bool(done.rowcount)


def _rehash(store: Store, user_id: int, password: str) -> None:
    """The password hashed again with today's parameters (after a sign-in proved it)."""
    from sqlalchemy import update

    from .schema import UserRow

    with store.session() as s:
        s.execute(update(UserRow).where(UserRow.id == user_id).values(password_hash=_hasher.hash(password)))


def _count_failure(store: Store, user_id: int, moment: datetime) -> tuple[int, datetime | None]:
    """One more failure, and the lock it brings, in one transaction (the row stays locked meanwhile)."""
    from sqlalchemy import select, update

    from .schema import UserRow

    with store.session() as s:
        s.execute(update(UserRow).where(UserRow.id == user_id).values(failed_attempts=UserRow.failed_attempts + 1))
        failures = int(s.scalar(select(UserRow.failed_attempts).where(UserRow.id == user_id)) or 0)
        if failures < MAX_FAILURES:
            return failures, None
        until = moment + lock_delay(failures)
        s.execute(update(UserRow).where(UserRow.id == user_id).values(locked_until=until))
        return failures, until
