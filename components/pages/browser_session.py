"""What the sign-in needs from the browser: the client's address, the session cookie, and the
page a link asked for.

- **Address.** Streamlit gives the address of the connection (`st.context.ip_address`, None
  for a connection from this machine, shown as "localhost"). Behind a reverse proxy every
  connection comes from the proxy, so the client's address is read from `X-Forwarded-For`,
  but only when `TRUST_FORWARDED_FOR` says how many proxies stand in front of the app (`1`
  for one nginx): the address is then the one the outermost proxy saw, that many entries
  from the right. Entries further left are whatever the client sent and are never used.
- **Cookie.** The browser keeps the session token (store/sessions.py) in the cookie
  `monitor_session` (SameSite=Strict, Secure on https, expiring with the session), written by
  a two-line script, since Streamlit has no call that sets a cookie; Streamlit hands the
  cookies of the page's request to each new browser session (`st.context.cookies`), which is
  how a reload signs in again. The token is never put in the URL.
- **Requested page.** A link opened while signed out (`/articles?article=3`) shows the
  sign-in form; the page and its parameters are remembered and, once signed in, opened.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from urllib.parse import urlparse

import streamlit as st

log = logging.getLogger(__name__)

COOKIE = "monitor_session"
TRUST_ENV = "TRUST_FORWARDED_FOR"
LOCALHOST = "localhost"
MAX_PROXIES = 10
REQUESTED_KEY = "_requested_page"
_warned: list[bool] = []


class SettingError(ValueError):
    """A setting of the server that cannot be used, with the reason."""


def trusted_proxies(environ: Mapping[str, str] | None = None) -> int:
    """`TRUST_FORWARDED_FOR`: how many reverse proxies in front of the app add to X-Forwarded-For (default 0)."""
    raw = (os.environ if environ is None else environ).get(TRUST_ENV, "").strip().lower()
    if raw in {"", "0", "false", "no", "off"}:
        return 0
    if raw in {"true", "yes", "on"}:
        return 1
    if not raw.isdigit() or not 0 < int(raw) <= MAX_PROXIES:
        raise SettingError(f"{TRUST_ENV} must be 0, 1 or the number of reverse proxies in front of the app "
                           f"(at most {MAX_PROXIES}), not {raw!r}")
    return int(raw)


def address_from(remote: str | None, forwarded: Sequence[str], proxies: int) -> str:
    """The client's address: the connection's, or, with `proxies` trusted proxies in front, the
    address the outermost of them saw (a request with fewer entries did not come through them)."""
    hops = [hop.strip() for header in forwarded for hop in header.split(",") if hop.strip()]
    if proxies > 0 and len(hops) >= proxies:
        return hops[-proxies][:64]
    return remote or LOCALHOST


def client_address() -> str:
    """This browser session's client address (see the module's notes)."""
    try:
        remote = _text(st.context.ip_address)
        forwarded = [h for h in st.context.headers.get_all("X-Forwarded-For") if isinstance(h, str)]
    except Exception:  # noqa: BLE001 - no browser behind this run (a test, a script)
        return LOCALHOST
    proxies = trusted_proxies()
    if forwarded and not proxies and not _warned:
        _warned.append(True)
        log.warning("requests carry X-Forwarded-For but %s is not set: every client behind the proxy counts as the "
                    "proxy's address for sign-in limits and the sign-in log", TRUST_ENV)
    return address_from(remote, forwarded, proxies)


def _text(value: object) -> str | None:
    """A context value if it is a non-empty string (a run without a browser may hold anything there)."""
    return value if isinstance(value, str) and value else None


# -- the session cookie -------------------------------------------------------------------------

def session_cookie() -> str | None:
    """The session token the browser sent when this browser session began, if any."""
    try:
        return _text(st.context.cookies.get(COOKIE))
    except Exception:  # noqa: BLE001 - no browser behind this run
        return None


def _cookie_script(value: str, expires: str) -> str:
    return ("<script>(function () {"
            " var secure = window.location.protocol === 'https:' ? '; Secure' : '';"
            f" document.cookie = {json.dumps(COOKIE + '=' + value + '; Path=/; Expires=' + expires + '; SameSite=Strict')} + secure;"
            " })();</script>")


def write_session_cookie(token: str, expires_at: datetime) -> None:
    """Have the browser keep `token` (a URL-safe random string) until `expires_at` (UTC)."""
    if not token.replace("-", "").replace("_", "").isalnum():
        raise ValueError("a session token is URL-safe base64")
    st.html(_cookie_script(token, expires_at.strftime("%a, %d %b %Y %H:%M:%S GMT")), unsafe_allow_javascript=True)


def clear_session_cookie() -> None:
    st.html(_cookie_script("", "Thu, 01 Jan 1970 00:00:00 GMT"), unsafe_allow_javascript=True)


# -- the page a link asked for ---------------------------------------------------------------------

def remember_requested_page() -> None:
    """Keep the page and parameters this signed-out browser session asked for (the first time only)."""
    if REQUESTED_KEY in st.session_state:
        return
    try:
        url = _text(st.context.url) or ""
    except Exception:  # noqa: BLE001 - no browser behind this run
        url = ""
    path = urlparse(url).path.rstrip("/").rpartition("/")[2]
    params = [(key, value) for key in st.query_params for value in st.query_params.get_all(key)]
    st.session_state[REQUESTED_KEY] = (path, params)


def forget_requested_page() -> None:
    st.session_state.pop(REQUESTED_KEY, None)


def return_to_requested_page(current: Any, pages: Sequence[Any]) -> None:
    """After a sign-in, open the page the link asked for, with its parameters (once)."""
    requested = st.session_state.pop(REQUESTED_KEY, None)
    if not requested:
        return
    path, params = requested
    target = next((page for page in pages if page.url_path == path), None)
    if target is None or target.url_path == current.url_path:
        return
    st.switch_page(target, query_params=params)
