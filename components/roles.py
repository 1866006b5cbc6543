"""Who may do what: the three roles, the actions they allow, and the acting principal.

Three roles, each with the rights of the one before it: viewer (read, export), analyst
(also ingest, correct), admin (also delete articles and manage accounts). A `Principal`
is whoever is acting; the store checks it before every write (`Store(principal=...)`), so
hiding a button is never the only guard. With no principal the store runs single-user
with every right (`LOCAL`), as the command line and a laptop install do.

Pure: no I/O and no imports of ours. The accounts behind the roles (passwords, locks)
live in `store/accounts.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

ROLES = ("viewer", "analyst", "admin")
ACTIONS = ("read", "export", "ingest", "correct", "delete", "admin")
RIGHTS: dict[str, frozenset[str]] = {
    "viewer": frozenset({"read", "export"}),
    "analyst": frozenset({"read", "export", "ingest", "correct"}),
    "admin": frozenset(ACTIONS),
}
_DOING = {
    "read": "read the data", "export": "export the data", "ingest": "ingest articles", "correct": "correct extractions",
    "delete": "delete articles", "admin": "manage accounts",
}


def needed_role(action: str) -> str:
    """The least role that may do `action`."""
    return next((r for r in ROLES if action in RIGHTS[r]), "admin")


class PermissionDenied(PermissionError):
    """The acting principal's role does not allow this action."""

    def __init__(self, principal: Principal, action: str, what: str | None = None):
        self.principal = principal
        self.action = action
        doing = what or _DOING.get(action, action)
        super().__init__(f"{principal.label} ({principal.role}) may not {doing}: that needs the {needed_role(action)} role")


@dataclass(frozen=True)
class Principal:
    """Who is acting. `name` None is the single-user local mode (with `role` admin)."""

    name: str | None
    role: str

    def __post_init__(self) -> None:
        if self.role not in RIGHTS:
            raise ValueError(f"unknown role {self.role!r} (roles: {', '.join(ROLES)})")

    @property
    def label(self) -> str:
        return self.name if self.name is not None else "the local user"

    def can(self, action: str) -> bool:
        if action not in ACTIONS:
            raise ValueError(f"unknown action {action!r} (actions: {', '.join(ACTIONS)})")
        return action in RIGHTS[self.role]

    def require(self, action: str, what: str | None = None) -> None:
        """Raise PermissionDenied unless this principal may do `action`."""
        if not self.can(action):
            raise PermissionDenied(self, action, what)


LOCAL = Principal(None, "admin")  # single-user mode: whoever runs the program on this machine


def principal_of(store: Any) -> Principal:
    """The principal a store acts for (LOCAL for a store made without one)."""
    found = getattr(store, "principal", None)
    return found if isinstance(found, Principal) else LOCAL
