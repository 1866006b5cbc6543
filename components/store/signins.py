"""The sign-in log: every sign-in, failed sign-in, refusal and sign-out, in `sign_in_events`.

Each event keeps the account's name, the moment (UTC), the client's address and a short
reason; never a password. A name typed for no account is not kept either (it may be a
password typed in the wrong field): such an event has no name and says "no such account".
Only admins read the log (`recent` checks the store's principal).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from ..roles import principal_of

if TYPE_CHECKING:
    import pandas as pd

    from .repository import Store

SIGNED_IN = "signed_in"
FAILED = "failed"  # a wrong password, or no such account
THROTTLED = "throttled"  # refused unchecked: too many failures, try again later
SIGNED_OUT = "signed_out"
LOCKED = "locked"  # the right password, for an account an admin has locked
EVENTS = (SIGNED_IN, FAILED, THROTTLED, LOCKED, SIGNED_OUT)
COLUMNS = ["at", "event", "name", "address", "detail"]
MAX_LIMIT = 10_000


def record(store: Store, event: str, *, name: str | None, address: str | None, at: datetime, detail: str | None = None) -> None:
    """One event, in its own transaction."""
    from .schema import SignInEventRow

    if event not in EVENTS:
        raise ValueError(f"unknown sign-in event {event!r} (events: {', '.join(EVENTS)})")
    with store.session() as s:
        s.add(SignInEventRow(at=at, event=event, name=name[:120] if name else None,
                             address=address[:64] if address else None, detail=detail[:300] if detail else None))


def recent(store: Store, limit: int = 200) -> pd.DataFrame:
    """The latest `limit` events, newest first (admins only): at, event, name, address, detail."""
    import pandas as pd
    from sqlalchemy import select

    from .schema import SignInEventRow as E

    principal_of(store).require("admin", "read the sign-in log")
    if not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= MAX_LIMIT:
        raise ValueError(f"limit must be a whole number from 1 to {MAX_LIMIT}, not {limit!r}")
    query = select(E.at, E.event, E.name, E.address, E.detail).order_by(E.at.desc(), E.id.desc()).limit(limit)
    with store.engine.connect() as conn:
        rows = conn.execute(query).all()
    return pd.DataFrame([tuple(r) for r in rows], columns=COLUMNS)


def has_signed_in_from(store: Store, name: str, address: str | None, since: datetime) -> bool:
    """Whether `name` signed in successfully from `address` since `since` (a known place for the account)."""
    from sqlalchemy import select

    from .schema import SignInEventRow as E

    if not address:
        return False
    query = select(E.id).where(E.name == name, E.address == address[:64], E.event == SIGNED_IN, E.at >= since).limit(1)
    with store.engine.connect() as conn:
        return conn.scalar(query) is not None
