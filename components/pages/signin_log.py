"""The sign-in log for admins: the latest sign-ins, failures, refusals and sign-outs.

A section meant for the Admin page (`render_sign_in_log()`); the store refuses the log to
anyone but an admin, and so does this view, saying why. The table is a dataframe: names and
addresses, typed by anyone, are shown as text, never read as Markdown or HTML.
"""

from __future__ import annotations

import streamlit as st

from ..roles import PermissionDenied
from ..store import signins
from .common import get_store
from .markup import plain

LIMITS = (50, 200, 1000)
EVENT_LABELS = {
    signins.SIGNED_IN: "signed in", signins.FAILED: "failed", signins.THROTTLED: "held back", signins.LOCKED: "locked by an admin", signins.SIGNED_OUT: "signed out",
}


def render_sign_in_log(key: str = "signin_log") -> None:
    """The latest sign-in events as a table, newest first, for admins; others get a clear refusal."""
    st.subheader("Sign-in log")
    limit = st.selectbox("Latest events", LIMITS, index=1, key=f"{key}_limit")
    try:
        events = signins.recent(get_store(), int(limit))
    except PermissionDenied as exc:
        st.error(f"The sign-in log is for admins only: {plain(exc)}.")
        return
    if events.empty:
        st.info("No sign-ins recorded yet.")
        return
    kinds = st.multiselect("Events", list(EVENT_LABELS), format_func=EVENT_LABELS.__getitem__, key=f"{key}_events",
                           placeholder="every kind")
    if kinds:
        events = events[events["event"].isin(kinds)]
    refused = int(events["event"].isin([signins.FAILED, signins.THROTTLED]).sum())
    st.caption(f"{len(events)} events shown, {refused} of them failed or held back. Times are UTC; "
               "a failure for a name with no account shows no name (it may have been a password typed in the wrong field).")
    st.dataframe(events.assign(event=events["event"].map(EVENT_LABELS)), hide_index=True, width="stretch",
                 column_config={"at": st.column_config.DatetimeColumn("When (UTC)", format="YYYY-MM-DD HH:mm:ss"),
                                "event": "Event", "name": "Account", "address": "Address", "detail": "Detail"})
