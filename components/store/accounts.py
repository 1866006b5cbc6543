"""The built-in accounts: names, roles (see roles.py) and argon2 password hashes.

Built-in accounts live in the `users` table with salted argon2id hashes; a clear password
is never stored or logged. Wrong passwords slow the guesser down instead of locking the
account for everyone (see throttle.py): by account and client address, by address across
all names, and, as a high backstop, by account from everywhere. A held-back attempt is
refused before the password check, with the seconds to wait (`SignIn.retry_after`). A
sign-in as an unknown name costs the same argon2 verification as a wrong password and is
slowed down the same way, so neither timing nor delays tell which names exist. Every
sign-in, failure and refusal goes to the sign-in log (signins.py).

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
from . import sessions, signins, throttle

if TYPE_CHECKING:
    from .repository import Store

log = logging.getLogger(__name__)

MAX_FAILURES = throttle.MAX_FAILURES  # wrong passwords in a row, one account from one address, before the first delay
CONCURRENT_CHECKS = max(1, int(os.environ.get("SIGN_IN_CONCURRENCY", "2") or 2))  # argon2 checks at once, per process
_CHECKS = threading.BoundedSemaphore(CONCURRENT_CHECKS)
# An address the account signed in from within this time is spared the account-wide backstop:
# strangers guessing from many addresses cannot keep the account's own people out.
KNOWN_ADDRESS = timedelta(days=90)
MIN_PASSWORD = 8
MAX_PASSWORD = 1024  # argon2 takes any length, but a megabyte "password" would cost time
MAX_NAME = 120
_NAME = re.compile(r"^[^\x00-\x1f\x7f]+$")


class AccountError(ValueError):
    """An account that cannot be made or changed, with the reason."""


@dataclass(frozen=True)
class Account:
    """An account as an admin sees it. `failed_attempts`: wrong passwords in a row on it, from
    any address; `locked_until`: until when sign-ins to it are held back (from some address,
    or from every address by the backstop), None if they are not."""

    name: str
    role: str
    created_at: datetime
    failed_attempts: int
    locked_until: datetime | None

    def locked(self, now: datetime | None = None) -> bool:
        return self.locked_until is not None and self.locked_until > (now or utcnow())


@dataclass(frozen=True)
class SignIn:
    """What one sign-in attempt came to: `status` signed_in, failed, throttled (refused unchecked) or
    locked (the right password for an account an admin locked),
    and `retry_after`, the seconds before this client may try again (0: at once)."""

    principal: Principal | None
    status: str
    retry_after: int = 0


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


def _account(row: Any, standing: throttle.Standing | None = None) -> Account:
    """`locked_until`: the later of an admin's lock and the sign-in delays."""
    held = standing or throttle.Standing()
    until = max((t for t in (row.locked_until, held.blocked_until) if t is not None), default=None)
    return Account(row.name, row.role, row.created_at, held.failures, until)


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
        if row.role == "admin" and role != "admin" and not _other_admins(row, usable_at=utcnow()):
            raise AccountError("the last admin who can sign in cannot be given another role: make another account admin (or unlock one) first")
        row.role = role

    account = _change(store, name, change)
    log.info("account %r now has role %s", account.name, role)
    return account


def set_password(store: Store, name: str, password: str) -> Account:
    """A new password (a new salt too); also lifts the delays and signs the account out everywhere."""
    new_hash = _hasher.hash(_check_password(password))

    from sqlalchemy.orm import object_session

    def change(row: Any) -> None:
        row.password_hash, row.failed_attempts, row.locked_until = new_hash, 0, None
        sessions.revoke_all(object_session(row), row.name, utcnow())

    account = _change(store, name, change)
    clear_throttle(store, account.name)
    log.info("password of account %r changed; its sessions are signed out", account.name)
    return account


def clear_throttle(store: Store, name: str) -> int:
    """Lift every delay on sign-ins to the account `name`, from every address (admins only)."""
    _require_admin(store)
    cleared = throttle.clear_account(store, validate_name(name))
    if cleared:
        log.info("sign-in delays on account %r lifted", name.strip())
    return cleared


def unlock(store: Store, name: str) -> Account:
    """Let the account sign in again at once from everywhere (admins only)."""
    def change(row: Any) -> None:
        row.failed_attempts, row.locked_until = 0, None  # the lock of earlier versions, if any

    account = _change(store, name, change)
    clear_throttle(store, account.name)
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
        rows = s.scalars(select(UserRow).order_by(UserRow.name)).all()
        held = throttle.standing(store, [r.name for r in rows], utcnow())
        return [_account(r, held.get(r.name)) for r in rows]


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


def verify(store: Store, name: str, password: str, *, address: str | None = None, now: datetime | None = None) -> Principal | None:
    """The account's principal if the password is right and the attempt is not held back; else None."""
    return sign_in(store, name, password, address=address, now=now).principal


def sign_in(store: Store, name: str, password: str, *, address: str | None = None, now: datetime | None = None) -> SignIn:
    """One sign-in attempt from the client at `address` (None: unknown), as the form makes it.

    A held-back attempt (see throttle.py) is refused before the password check: it costs
    no argon2 time, and says how long to wait. Otherwise one argon2 verification, whether
    the name exists or not. A wrong password counts a failure; a right one is accepted only
    by a transaction that finds nothing holding it back at that moment, under the same
    row locks as the count: thirty sign-ins at once (29 wrong, 1 right, from one address)
    cannot slip the right one in on a count read before the others failed. Every outcome
    is written to the sign-in log.
    """
    moment = now or utcnow()
    try:
        clean: str | None = validate_name(name)
    except AccountError:
        clean = None
    usable = isinstance(password, str) and 0 < len(password) <= MAX_PASSWORD
    keys = throttle.Keys.of(clean if clean is not None else str(name or "")[:1000], address)
    with store.session() as s:
        row = _find(s, clean) if clean is not None else None
        found = (row.name, row.role, row.password_hash) if row is not None else None
        locked_until = row.locked_until if row is not None else None
    known_place = clean is not None and signins.has_signed_in_from(store, clean, address, moment - KNOWN_ADDRESS)
    wait = throttle.blocked_for(store, keys.checked(backstop=not known_place), moment)
    if wait:
        return _held_back(store, found[0] if found else None, address, moment, wait)
    with _CHECKS:  # argon2 takes 64 MiB a check: a burst of sign-ins waits its turn instead of filling the memory
        right = _matches(found[2] if found is not None else _dummy(), password if usable else "\x00")
    if found is None or not (right and usable):
        return _failed(store, keys, found[0] if found else None, address, moment, backstop=not known_place)
    account, role, stored_hash = found
    if locked_until is not None and locked_until > moment:  # an admin's lock: told only to who knows the password
        signins.record(store, signins.LOCKED, name=account, address=address, at=moment,
                       detail=f"locked by an admin until {locked_until:%Y-%m-%d %H:%M} UTC")
        return SignIn(None, signins.LOCKED, max(1, int((locked_until - moment).total_seconds())))
    wait = throttle.accept(store, keys, moment, backstop=not known_place)
    if wait:
        return _held_back(store, account, address, moment, wait)
    if _hasher.check_needs_rehash(stored_hash):
        _rehash(store, account, password)
    signins.record(store, signins.SIGNED_IN, name=account, address=address, at=moment)
    log.info("%r signed in", account)
    return SignIn(Principal(account, role), signins.SIGNED_IN)


def _held_back(store: Store, account: str | None, address: str | None, moment: datetime, wait: int) -> SignIn:
    detail = f"too many failed sign-ins: held back {wait} s" + ("" if account else "; no such account")
    signins.record(store, signins.THROTTLED, name=account, address=address, at=moment, detail=detail)
    log.warning("sign-in %s refused unchecked: %s", f"to {account!r}" if account else "as an unknown name", detail)
    return SignIn(None, signins.THROTTLED, wait)


def _failed(store: Store, keys: throttle.Keys, account: str | None, address: str | None, moment: datetime, *,
            backstop: bool) -> SignIn:
    wait = throttle.count_failure(store, keys, moment, backstop=backstop)
    _forget_quiet_keys(store, moment)
    detail = ("wrong password" if account else "no such account") + (f"; held back {wait} s from now" if wait else "")
    signins.record(store, signins.FAILED, name=account, address=address, at=moment, detail=detail)
    # The typed name of no account is not logged: it may be a password typed in the wrong field.
    log.info("sign-in %s refused: %s", f"to {account!r}" if account else "as an unknown name", detail)
    return SignIn(None, signins.FAILED, wait)


_last_forget: list[datetime] = []


def _forget_quiet_keys(store: Store, moment: datetime) -> None:
    """Now and then (hourly per process), drop delay rows long quiet, so the table stays small."""
    if _last_forget and timedelta(0) <= moment - _last_forget[-1] < timedelta(hours=1):
        return
    _last_forget[:] = [moment]
    throttle.forget_quiet(store, moment)


def _rehash(store: Store, name: str, password: str) -> None:
    """The password hashed again with today's parameters (after a sign-in proved it)."""
    from sqlalchemy import update

    from .schema import UserRow

    with store.session() as s:
        s.execute(update(UserRow).where(UserRow.name == name).values(password_hash=_hasher.hash(password)))
