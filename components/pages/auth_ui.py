"""Sign-in and roles in the app.

Three modes, chosen on every run:

- **OIDC** when `.streamlit/secrets.toml` has an `[auth]` section: `st.login()` with the
  configured provider(s), `st.user` for who it is, and the `[roles]` table of the secrets
  for the role (`"email" = "role"`, `"@domain" = "role"`, `default = "viewer"` or
  `"none"` to refuse everyone not listed).
- **Built-in accounts** when the `users` table holds any (`python -m components users add`):
  a sign-in form checked by `auth.verify` (argon2, rate-limited). The principal is kept in
  this session's state and re-read from the table on every run, so a changed role or a
  removed account takes effect at once.
- **Single-user** otherwise: full rights, and the sidebar says so — but only where sign-in is
  not required. It is required (`sign_in_required`) when `REQUIRE_SIGN_IN` says so (`1` or
  `0`), and by default whenever the database is not the default local SQLite file: a team's
  database is never open by accident. Required with no account and no OIDC, the app shows how
  to create the first admin and serves no data.

The role decides what the pages show, but the store enforces it: `get_store()` gives each
session a Store bound to its principal, and every write checks it (PermissionDenied).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

import streamlit as st

from ..roles import LOCAL, ROLES, Principal, needed_role
from ..store import accounts as auth
from ..store.db import DEFAULT_DB_PATH
from .markup import plain
from .session import shared_store

SESSION_KEY = "_principal"
SINGLE_USER_NOTE = ("Single-user mode: anyone who can open this address can read and change the data. "
                    "See README › Deployment to add sign-in.")
NOT_SIGNED_IN = Principal("(not signed in)", "viewer")


def _secrets_section(name: str) -> Mapping[str, Any] | None:
    try:
        section = st.secrets.get(name)
    except Exception:  # noqa: BLE001 - no secrets.toml, or one that does not parse
        return None
    return section if isinstance(section, Mapping) and section else None


def oidc_configured() -> bool:
    return _secrets_section("auth") is not None


def oidc_providers() -> list[str | None]:
    """The providers of `[auth]`: named `[auth.NAME]` tables, or None for settings in `[auth]` itself."""
    section = _secrets_section("auth") or {}
    named = [str(k) for k, v in section.items() if isinstance(v, Mapping)]
    return ([None] if "client_id" in section or not named else []) + sorted(named)


def role_for_email(email: str, roles: Mapping[str, Any] | None) -> str | None:
    """The role `[roles]` gives an e-mail address: exact (any case), then `@domain`, then `default`.

    Without a `default`, addresses not listed are viewers; `default = "none"` refuses them.
    """
    table = {str(k).strip().lower(): str(v).strip().lower() for k, v in (roles or {}).items()}
    address = email.strip().lower()
    role = table.get(address) or table.get("@" + address.rpartition("@")[2]) or table.get("default", "viewer")
    return role if role in ROLES else None


REQUIRE_ENV = "REQUIRE_SIGN_IN"
TRUE, FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}


def sign_in_required(environ: Mapping[str, str] | None = None) -> bool:
    """`REQUIRE_SIGN_IN` (1/0) if set; else whether the database is anything but the default local SQLite file."""
    env = os.environ if environ is None else environ
    setting = env.get(REQUIRE_ENV, "").strip().lower()
    if setting in TRUE:
        return True
    if setting in FALSE:
        return False
    default = f"sqlite:///{DEFAULT_DB_PATH}"
    return (env.get("DATABASE_URL") or default) != default


def auth_mode() -> str:
    """oidc, accounts, single, or closed (sign-in required and nobody can sign in yet)."""
    if oidc_configured():
        return "oidc"
    if auth.has_accounts(shared_store()):
        return "accounts"
    return "closed" if sign_in_required() else "single"


def _closed_gate() -> None:
    st.title("Sign-in required")
    st.error("This dashboard's database needs sign-in, and no account exists yet, so nothing is shown.")
    st.markdown("An administrator creates the first account on the server:\n\n"
                "`python -m components users add NAME --role admin`\n\n"
                "then reloads this page. (A single-user installation on this machine's default database needs "
                f"no account; `{REQUIRE_ENV}=0` opens any other database without sign-in, on purpose.)")
    st.stop()


def _session_principal() -> Principal | None:
    try:
        found = st.session_state.get(SESSION_KEY)
    except Exception:  # noqa: BLE001 - no session (called outside a running app)
        return None
    return found if isinstance(found, Principal) else None


def current_principal() -> Principal:
    """Who this session acts as. Set by `sign_in_gate`; a page run without the gate gets the
    single-user principal only when no sign-in is configured, else a viewer."""
    found = _session_principal()
    if found is not None:
        return found
    try:
        mode = auth_mode()
    except Exception:  # noqa: BLE001 - the database is unreachable: grant nothing beyond reading
        return NOT_SIGNED_IN
    if mode == "single":
        return LOCAL
    if mode == "oidc":
        principal = _oidc_principal()
        if principal is not None:
            return principal
    return NOT_SIGNED_IN


def allowed(action: str, doing: str) -> bool:
    """Whether this session may `action`; if not, say so on the page (the store refuses it anyway)."""
    principal = current_principal()
    if principal.can(action):
        return True
    needed = needed_role(action)
    st.info(f"Signed in as {plain(principal.label)} ({principal.role}): you can read and export, but {doing} needs the {needed} role. "
            "Ask an admin to change your role.", icon=":material/lock:")
    return False


# -- the gate ----------------------------------------------------------------------------------

def sign_in_gate() -> Principal:
    """Run before the pages: the signed-in principal, or a sign-in screen and st.stop()."""
    mode = auth_mode()
    if mode == "oidc":
        principal = _oidc_gate()
    elif mode == "accounts":
        principal = _accounts_gate()
    elif mode == "closed":
        _closed_gate()
        principal = NOT_SIGNED_IN  # not reached: the gate stops the run
    else:
        principal = LOCAL
    st.session_state[SESSION_KEY] = principal
    _sidebar(mode, principal)
    return principal


def _stop_signed_out() -> None:
    st.session_state.pop(SESSION_KEY, None)
    st.stop()


def _sidebar(mode: str, principal: Principal) -> None:
    with st.sidebar:
        if mode == "single":
            st.caption(SINGLE_USER_NOTE)
            return
        st.caption(f"Signed in as **{plain(principal.label)}** ({principal.role})")
        if st.button("Sign out", key="sign_out", icon=":material/logout:"):
            st.session_state.pop(SESSION_KEY, None)
            if mode == "oidc":
                st.logout()
            st.rerun()


def _accounts_gate() -> Principal:
    store = shared_store()
    signed_in = _session_principal()
    if signed_in is not None and signed_in.name is not None and signed_in is not NOT_SIGNED_IN:
        current = auth.principal_for(store, signed_in.name)
        if current is not None:
            return current
        st.session_state.pop(SESSION_KEY, None)  # the account was removed meanwhile
    st.title("Sign in")
    st.caption("Conflict & Diplomacy Monitor. Accounts are made by an admin: python -m components users add NAME --role ROLE")
    with st.form("sign_in", clear_on_submit=True):
        name = st.text_input("Name", key="signin_name", autocomplete="username")
        password = st.text_input("Password", type="password", key="signin_password", autocomplete="current-password")
        submitted = st.form_submit_button("Sign in", type="primary")
    if submitted:
        principal = auth.verify(store, name, password)
        if principal is not None:
            st.session_state[SESSION_KEY] = principal
            st.rerun()
        st.error(f"Wrong name or password. After {auth.MAX_FAILURES} failed attempts in a row an account is locked for a while "
                 "(longer after each further failure); an admin can unlock it.")
    _stop_signed_out()
    raise AssertionError("unreachable")  # st.stop() ends the run


def _oidc_principal() -> Principal | None:
    user: Any = st.user
    if not user.get("is_logged_in"):
        return None
    email = str(user.get("email") or "")
    if not email or user.get("email_verified") is False:
        return None
    role = role_for_email(email, _secrets_section("roles"))
    return Principal(email, role) if role is not None else None


def _oidc_gate() -> Principal:
    user: Any = st.user
    if not user.get("is_logged_in"):
        st.title("Sign in")
        st.write("This dashboard is shared by a team: sign in with your organisation's account.")
        for provider in oidc_providers():
            label = f"Sign in with {provider.replace('_', ' ').title()}" if provider else "Sign in"
            if st.button(label, key=f"login_{provider or 'default'}", type="primary"):
                if provider:
                    st.login(provider)
                else:
                    st.login()
        _stop_signed_out()
    principal = _oidc_principal()
    if principal is None:
        email = str(user.get("email") or "")
        if not email or user.get("email_verified") is False:
            st.error("Your identity provider gave no verified e-mail address, so no role can be given to you.")
        else:
            st.error(f"{email} has no access to this dashboard. Ask an admin to add it to the [roles] table of the secrets.")
        if st.button("Sign out", key="sign_out_refused"):
            st.logout()
        _stop_signed_out()
    assert principal is not None
    return principal
