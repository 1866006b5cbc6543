"""Sign-in and roles in the app.

Three modes, chosen on every run:

- **OIDC** when `.streamlit/secrets.toml` has an `[auth]` section: `st.login()` with the
  configured provider(s), `st.user` for who it is, and the `[roles]` table of the secrets
  for the role (`"email" = "role"`, `"@domain" = "role"`, `default = "viewer"` or
  `"none"` to refuse everyone not listed).
- **Built-in accounts** when the `users` table holds any (`python -m components users add`):
  a sign-in form checked by `auth.sign_in` (argon2; failures slow down that account from that
  address, and the address, see store/throttle.py; the form says how long to wait). A
  sign-in starts a server-side session (store/sessions.py) whose random token the browser
  keeps in a cookie (browser_session.py): a reload or a new tab signs in again until it
  expires (`SESSION_HOURS`, default 12) or is signed out. The session is re-read on every
  run, so a changed role, a removed account, a new password or a sign-out in another tab
  takes effect at once. A link opened while signed out opens its page after sign-in.
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
from datetime import datetime, timedelta
from typing import Any

import streamlit as st

from ..roles import LOCAL, ROLES, Principal, needed_role
from ..store import accounts as auth
from ..store import sessions, signins
from ..store.db import DEFAULT_DB_PATH
from . import browser_session as browser
from .markup import plain
from .session import shared_store

SESSION_KEY = "_principal"
TOKEN_KEY = "_session_token"  # this tab's session token (from its sign-in, or from the cookie)
COOKIE_KEY = "_session_cookie"  # (token, expiry) the browser is to keep, after a sign-in in this tab
CLEAR_COOKIE_KEY = "_clear_session_cookie"  # the browser's token is no longer good: remove it
COOKIE_TRIED_KEY = "_session_cookie_tried"  # the cookie this browser session began with was looked at
ENDED_KEY = "_session_ended"
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
            _sign_out(mode, principal)
        cookie = st.session_state.get(COOKIE_KEY)
        if mode == "accounts" and cookie:
            browser.write_session_cookie(*cookie)  # every run, until a reload hands it back: one run may be cut short


def _sign_out(mode: str, principal: Principal) -> None:
    """End this session (and its token, for every tab that shares it), log it, and show the sign-in screen."""
    token = st.session_state.pop(TOKEN_KEY, None)
    address = browser.client_address()
    if token:
        sessions.sign_out(shared_store(), token, at=auth.utcnow(), address=address)
    else:
        detail = "single sign-on" if mode == "oidc" else None
        signins.record(shared_store(), signins.SIGNED_OUT, name=principal.name, address=address, at=auth.utcnow(), detail=detail)
    for key in (SESSION_KEY, COOKIE_KEY):
        st.session_state.pop(key, None)
    st.session_state[CLEAR_COOKIE_KEY] = True
    if mode == "oidc":
        st.logout()
    st.rerun()


def _accounts_gate() -> Principal:
    store = shared_store()
    principal = _live_principal(store) or _resume_from_cookie(store)
    if principal is not None:
        st.session_state.pop(CLEAR_COOKIE_KEY, None)
        return principal
    _sign_in_form(store)
    raise AssertionError("unreachable")  # the form ends with st.stop()


def _live_principal(store: Any) -> Principal | None:
    """This tab's principal as of now: its session still live (not signed out, expired or revoked by a
    new password) and its account's current role; None, and this tab signed out, if not."""
    signed_in = _session_principal()
    if signed_in is None or signed_in.name is None or signed_in is NOT_SIGNED_IN:
        return None
    token = st.session_state.get(TOKEN_KEY)
    current = sessions.lookup(store, token, at=auth.utcnow()) if token else auth.principal_for(store, signed_in.name)
    if current is not None and current.name == signed_in.name:
        return current
    for key in (SESSION_KEY, TOKEN_KEY, COOKIE_KEY):
        st.session_state.pop(key, None)
    st.session_state[CLEAR_COOKIE_KEY] = True
    st.session_state[ENDED_KEY] = True
    return None


def _resume_from_cookie(store: Any) -> Principal | None:
    """Sign this browser session in with the token its cookie brought (looked at once per browser session)."""
    if st.session_state.get(COOKIE_TRIED_KEY):
        return None
    st.session_state[COOKIE_TRIED_KEY] = True
    token = browser.session_cookie()
    if not token:
        return None
    principal = sessions.resume(store, token, at=auth.utcnow())
    if principal is None:
        st.session_state[CLEAR_COOKIE_KEY] = True
        return None
    st.session_state[TOKEN_KEY] = token
    st.session_state[SESSION_KEY] = principal
    return principal


def too_many_attempts(seconds: int) -> str:
    return f"Too many attempts: try again in {seconds} s."


def _sign_in_form(store: Any) -> None:
    browser.remember_requested_page()
    st.title("Sign in")
    st.caption("Conflict & Diplomacy Monitor. Accounts are made by an admin: python -m components users add NAME --role ROLE")
    if st.session_state.pop(ENDED_KEY, False):
        st.info("Your session has ended (signed out elsewhere, expired, or the password was changed): sign in again.")
    try:
        hours = sessions.session_hours()
        address = browser.client_address()
    except ValueError as exc:
        st.error(f"Sign-in is not possible: the server's settings are wrong. {plain(exc)}.")
        _stop_signed_out()
    with st.form("sign_in", clear_on_submit=True):
        name = st.text_input("Name", key="signin_name", autocomplete="username")
        password = st.text_input("Password", type="password", key="signin_password", autocomplete="current-password")
        submitted = st.form_submit_button("Sign in", type="primary")
    if submitted:
        outcome = auth.sign_in(store, name, password, address=address)
        if outcome.principal is not None:
            _start_session(store, outcome.principal, hours, address)
            st.rerun()
        if outcome.status == signins.LOCKED:
            st.error(f"This account is locked by an admin for {outcome.retry_after} s more; ask an admin to unlock it.")
        else:
            wrong = "" if outcome.status == signins.THROTTLED else "Wrong name or password. "
            wait = too_many_attempts(outcome.retry_after) if outcome.retry_after else ""
            st.error((wrong + wait).strip())
    st.caption(f"After {auth.MAX_FAILURES} failed attempts in a row from one place, sign-in from there waits a while, "
               "longer after each further failure; an admin can lift the wait.")
    if st.session_state.get(CLEAR_COOKIE_KEY):
        browser.clear_session_cookie()
    _stop_signed_out()


def _start_session(store: Any, principal: Principal, hours: float, address: str) -> None:
    now: datetime = auth.utcnow()
    token = sessions.start(store, str(principal.name), at=now, hours=hours, address=address)
    st.session_state[TOKEN_KEY] = token
    st.session_state[COOKIE_KEY] = (token, now + timedelta(hours=hours))
    st.session_state[SESSION_KEY] = principal
    st.session_state.pop(CLEAR_COOKIE_KEY, None)


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
