"""Signed-in sessions that survive a reload, for the built-in accounts.

On sign-in the app makes a random token (`start`), gives it to the browser (a cookie) and
keeps here only its SHA-256, with the account, an expiry (`SESSION_HOURS`, default 12) and
the client's address. A new browser session (a reload, a second tab, a link opened later)
hands the token back and `resume` signs it in as the account again, as long as the token is
not expired, not revoked, and the account still exists and is not newer than the token (an
account removed and made again under the same name does not inherit its sessions). Signing
out revokes the token (`revoke`); a new password or a removed account revokes all of the
account's tokens (`revoke_all`). A stolen copy of this table opens nothing: the hashes are
of 256-bit random tokens.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from ..roles import Principal
from . import signins

if TYPE_CHECKING:
    from .repository import Store

HOURS_ENV = "SESSION_HOURS"
DEFAULT_HOURS = 12.0
MAX_HOURS = 24.0 * 90
TOKEN_BYTES = 32


class SessionSettingError(ValueError):
    """A session setting that cannot be used, with the reason."""


def session_hours(environ: Mapping[str, str] | None = None) -> float:
    """`SESSION_HOURS` (hours a sign-in lasts; default 12), checked."""
    raw = (os.environ if environ is None else environ).get(HOURS_ENV, "").strip()
    if not raw:
        return DEFAULT_HOURS
    try:
        hours = float(raw)
    except ValueError:
        raise SessionSettingError(f"{HOURS_ENV} must be a number of hours, not {raw!r}") from None
    if not 0 < hours <= MAX_HOURS:
        raise SessionSettingError(f"{HOURS_ENV} must be above 0 and at most {MAX_HOURS:g} hours, not {raw!r}")
    return hours


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def start(store: Store, name: str, *, at: datetime, hours: float, address: str | None = None) -> str:
    """A new session for the account `name`: the token for the browser (only its hash is stored)."""
    from .schema import UserSessionRow

    if not 0 < hours <= MAX_HOURS:
        raise SessionSettingError(f"a session must last above 0 and at most {MAX_HOURS:g} hours, not {hours!r}")
    token = secrets.token_urlsafe(TOKEN_BYTES)
    with store.session() as s:
        s.add(UserSessionRow(token_hash=token_hash(token), user_name=name, created_at=at,
                             expires_at=at + timedelta(hours=hours), last_seen_at=at, revoked_at=None,
                             address=address[:64] if address else None))
    return token


def _live(s: Any, token: str, moment: datetime) -> tuple[Any, Principal] | None:
    from sqlalchemy import select

    from .schema import UserRow, UserSessionRow

    if not isinstance(token, str) or not 20 <= len(token) <= 200:
        return None
    found = s.execute(
        select(UserSessionRow, UserRow.name, UserRow.role)
        .join(UserRow, UserRow.name == UserSessionRow.user_name)
        .where(UserSessionRow.token_hash == token_hash(token), UserSessionRow.revoked_at.is_(None),
               UserSessionRow.expires_at > moment, UserRow.created_at <= UserSessionRow.created_at)
    ).first()
    return (found[0], Principal(found[1], found[2])) if found is not None else None


def lookup(store: Store, token: str, *, at: datetime) -> Principal | None:
    """Who the token signs in as now (the account's current role), or None; changes nothing."""
    with store.session() as s:
        live = _live(s, token, at)
        return live[1] if live is not None else None


def resume(store: Store, token: str, *, at: datetime) -> Principal | None:
    """As `lookup`, for a new browser session: also notes when the token was last used."""
    with store.session() as s:
        live = _live(s, token, at)
        if live is None:
            return None
        live[0].last_seen_at = at
        return live[1]


def revoke(store: Store, token: str, *, at: datetime) -> str | None:
    """End the session of `token` (signing out): the account's name, or None if it was not live."""
    from sqlalchemy import select

    from .schema import UserSessionRow as S

    if not isinstance(token, str) or not token:
        return None
    with store.session() as s:
        row = s.scalar(select(S).where(S.token_hash == token_hash(token), S.revoked_at.is_(None)).with_for_update())
        if row is None:
            return None
        row.revoked_at = at
        return row.user_name


def sign_out(store: Store, token: str, *, at: datetime, address: str | None = None) -> str | None:
    """Revoke the session of `token` and log the sign-out: the account's name, or None if it was not live."""
    name = revoke(store, token, at=at)
    if name is not None:
        signins.record(store, signins.SIGNED_OUT, name=name, address=address, at=at)
    return name


def revoke_all(s: Any, name: str, at: datetime) -> None:
    """End every session of the account `name`, inside the caller's transaction."""
    from sqlalchemy import update

    from .schema import UserSessionRow as S

    s.execute(update(S).where(S.user_name == name, S.revoked_at.is_(None)).values(revoked_at=at))
