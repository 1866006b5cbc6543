"""Admin: accounts, the job queue, article deletion and the sign-in log (admins only).

app.py routes this page for admins only, the page refuses anyone else, and the store
refuses every action below to non-admins as well (PermissionDenied), whatever a page shows.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pandas as pd
import streamlit as st

from ..roles import ROLES, PermissionDenied
from ..store import accounts as auth
from ..store.accounts import AccountError, utcnow
from ..store.corrections import CorrectionError
from ..store.jobs import STALE_ENV, JobError, JobQueue
from .auth_ui import current_principal, oidc_configured
from .common import clear_query_caches, current_user, empty_state, flash, get_store, plain, show_flash
from .signin_log import render_sign_in_log

LOCKS: dict[str, timedelta] = {
    "1 hour": timedelta(hours=1), "1 day": timedelta(days=1), "1 week": timedelta(weeks=1), "30 days": timedelta(days=30),
    "until unlocked": timedelta(days=36500),
}
REFUSALS = (AccountError, CorrectionError, JobError, PermissionDenied, KeyError, ValueError)
JOB_STATES = ("queued", "running", "stuck", "failed", "cancelled", "done")
ACTIONABLE = ("queued", "stuck", "failed", "cancelled")


def render() -> None:
    show_flash()
    st.title("Admin")
    principal = current_principal()
    if not principal.can("admin"):
        st.error(f"{plain(principal.label)} ({principal.role}) may not open the admin screens: they need the admin role.")
        return
    accounts, jobs, articles, sign_ins = st.tabs(["Accounts", "Jobs", "Articles", "Sign-ins"])
    with accounts:
        _accounts_tab()
    with jobs:
        _jobs_tab()
    with articles:
        _articles_tab()
    with sign_ins:
        render_sign_in_log()


def _act(action: Callable[[], Any], done: str, what: str = "Not done") -> None:
    """Run a store action: a refusal is shown in words, a success survives the rerun that shows it."""
    try:
        action()
    except REFUSALS as exc:
        reason = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
        st.error(f"{what}: {plain(reason)}.")
    else:
        clear_query_caches()
        flash(done)


# -- accounts --------------------------------------------------------------------------------

def _accounts_tab() -> None:
    store = get_store()
    if oidc_configured():
        st.info("Single sign-on is configured: roles come from the [roles] table of the secrets, and these built-in accounts "
                "are not used to sign in to the app.")
    accounts = auth.list_users(store)
    if accounts:
        now = utcnow()
        st.dataframe(pd.DataFrame([{
            "name": a.name, "role": a.role, "created": a.created_at, "failed sign-ins": a.failed_attempts,
            "locked until": a.locked_until if a.locked(now) else None, "state": "locked" if a.locked(now) else "can sign in",
        } for a in accounts]), hide_index=True, width="stretch", key="admin_accounts",
            column_config={"created": st.column_config.DatetimeColumn("Created (UTC)"),
                           "locked until": st.column_config.DatetimeColumn("Locked until (UTC)")})
    else:
        empty_state("No built-in account yet: the app runs single-user. The first account must be an admin, and once it "
                    "exists everyone signs in.")
    _add_account(store, first=not accounts)
    if not accounts:
        return
    st.subheader("Change an account")
    name = st.selectbox("Account", [a.name for a in accounts], key="admin_account")
    account = next(a for a in accounts if a.name == name)
    left, right = st.columns(2)
    with left:
        _role_form(store, account)
        _lock_form(store, account)
    with right:
        _password_form(store, account)
        _remove_form(store, account)


def _add_account(store: Any, first: bool) -> None:
    with st.form("admin_add_account", clear_on_submit=True):
        st.markdown("**Add an account**")
        c1, c2 = st.columns(2)
        name = c1.text_input("Name", key="admin_new_name")
        role = c2.selectbox("Role", ["admin"] if first else list(ROLES), key="admin_new_role",
                            help="viewer: read and export; analyst: also ingest and correct; admin: also delete articles and manage accounts")
        password = c1.text_input("Password", type="password", key="admin_new_password", autocomplete="new-password")
        again = c2.text_input("The same password again", type="password", key="admin_new_again", autocomplete="new-password")
        if st.form_submit_button("Add the account"):
            if password != again:
                st.error("Not added: the two passwords differ.")
            else:
                _act(lambda: auth.create_user(store, name, role, password),
                     f"Account {plain(name.strip())} added with the role {role}.", "Not added")


def _role_form(store: Any, account: auth.Account) -> None:
    with st.form("admin_role"):
        role = st.selectbox("Role", list(ROLES), index=ROLES.index(account.role), key="admin_role")
        if st.form_submit_button("Change the role"):
            _act(lambda: auth.set_role(store, account.name, role), f"{plain(account.name)} now has the role {role}.", "Not changed")


def _lock_form(store: Any, account: auth.Account) -> None:
    if account.locked():
        st.warning(f"{plain(account.name)} is locked until {account.locked_until:%Y-%m-%d %H:%M} UTC "
                   f"({account.failed_attempts} failed sign-ins in a row).")
    if account.locked() or account.failed_attempts:
        if st.button("Unlock this account", key="admin_unlock", icon=":material/lock_open:"):
            _act(lambda: auth.unlock(store, account.name), f"{plain(account.name)} is unlocked and can sign in.", "Not unlocked")
    with st.form("admin_lock"):
        span = st.selectbox("Lock the account for", list(LOCKS), key="admin_lock_for",
                            help="Even the right password is refused while it is locked; Unlock lifts it sooner.")
        if st.form_submit_button("Lock"):
            _act(lambda: auth.lock(store, account.name, utcnow() + LOCKS[span]), f"{plain(account.name)} is locked ({span}).",
                 "Not locked")


def _password_form(store: Any, account: auth.Account) -> None:
    with st.form("admin_password", clear_on_submit=True):
        password = st.text_input("New password", type="password", key="admin_password", autocomplete="new-password")
        again = st.text_input("The same password again", type="password", key="admin_password_again", autocomplete="new-password")
        if st.form_submit_button("Reset the password"):
            if password != again:
                st.error("Not reset: the two passwords differ.")
            else:
                _act(lambda: auth.set_password(store, account.name, password),
                     f"The password of {plain(account.name)} is reset (and any lock lifted).", "Not reset")


def _remove_form(store: Any, account: auth.Account) -> None:
    with st.form("admin_remove", clear_on_submit=True):
        sure = st.checkbox(f"Yes, remove the account {plain(account.name)}", key="admin_remove_sure")
        if st.form_submit_button("Remove the account", type="primary"):
            if not sure:
                st.error(f"Not removed: tick the box to confirm that {plain(account.name)} should be removed.")
            else:
                _act(lambda: auth.delete_user(store, account.name), f"Account {plain(account.name)} removed.", "Not removed")


# -- jobs ------------------------------------------------------------------------------------

def _jobs_tab() -> None:
    queue = JobQueue(get_store())
    try:
        stale = queue.stale_after
    except ValueError as exc:  # a bad WORKER_STALE_AFTER_S: say which and why
        st.error(plain(exc))
        return
    jobs = queue.listing()
    columns = st.columns(4)
    for column, state in zip(columns, ("queued", "running", "stuck", "failed"), strict=True):
        column.metric(state.capitalize(), int((jobs["status"] == state).sum()))
    st.caption(f"A running job whose worker has been silent for {stale.total_seconds():g} s ({STALE_ENV}) is stuck: the next "
               "worker looking for work queues it again by itself. Requeue runs a failed, cancelled or stuck job again; cancel "
               "keeps a queued, failed or stuck job from running. A job whose worker is alive is left to it.")
    shown = st.multiselect("Show", JOB_STATES, default=[], key="admin_job_states", placeholder="every state")
    listed = jobs[jobs["status"].isin(shown)] if shown else jobs
    if listed.empty:
        empty_state("No jobs." if jobs.empty else "No jobs in these states.")
    else:
        st.dataframe(listed, hide_index=True, width="stretch", key="admin_jobs", column_config={
            "queued": st.column_config.DatetimeColumn("Queued (UTC)"), "started": st.column_config.DatetimeColumn("Started (UTC)"),
            "last_heartbeat": st.column_config.DatetimeColumn("Last heartbeat (UTC)"),
            "finished": st.column_config.DatetimeColumn("Finished (UTC)")})
    actionable = jobs[jobs["status"].isin(ACTIONABLE)]
    if actionable.empty:
        return
    labels = {int(r.id): f"#{r.id} · {r.status} · {r.kind} · {r.input}" for r in actionable.itertuples()}
    c1, c2, c3 = st.columns([4, 1, 1], vertical_alignment="bottom")
    job_id = c1.selectbox("Job", list(labels), format_func=lambda i: labels.get(i, f"#{i}"), key="admin_job")
    if c2.button("Requeue", key="admin_requeue", icon=":material/replay:"):
        _act(lambda: queue.requeue(job_id), f"Job #{job_id} is queued again.", "Not requeued")
    if c3.button("Cancel", key="admin_cancel", icon=":material/cancel:"):
        _act(lambda: queue.cancel(job_id), f"Job #{job_id} is cancelled.", "Not cancelled")


# -- articles --------------------------------------------------------------------------------

def _articles_tab() -> None:
    store = get_store()
    wanted = st.text_input("Find an article by number or title", key="admin_article_find", placeholder="42, #42, or words of the title")
    if wanted.strip():
        found = store.find_articles(wanted)
        if found.empty:
            st.info(f"No article's number or title matches {plain(wanted.strip())}.")
        else:
            _delete_form(store, found)
    deletions = store.corrections.audit().query("target == 'article'")
    st.subheader("Deleted articles")
    if deletions.empty:
        st.caption("None yet. Each deletion is kept in the audit trail (the Audit page) with who, when and why.")
        return
    st.dataframe(pd.DataFrame({
        "when": deletions["created_at"], "by": deletions["user"], "article": deletions["item_key"],
        "title": deletions["previous"].map(lambda p: (p or {}).get("title")), "reason": deletions["reason"],
    }), hide_index=True, width="stretch", key="admin_deletions", column_config={"when": st.column_config.DatetimeColumn("When (UTC)")})


def _delete_form(store: Any, found: pd.DataFrame) -> None:
    st.dataframe(found, hide_index=True, width="stretch", key="admin_found",
                 column_config={"ingested_at": st.column_config.DatetimeColumn("Ingested (UTC)")})
    titles = {int(r.id): f"#{r.id} · {r.title or '(untitled)'}" for r in found.itertuples()}
    with st.form("admin_delete", clear_on_submit=True):
        article_id = st.selectbox("Article", list(titles), format_func=lambda i: titles.get(i, f"#{i}"), key="admin_delete_id")
        reason = st.text_input("Why (kept in the audit trail)", key="admin_delete_reason")
        sure = st.checkbox("Yes, delete this article and everything extracted from it", key="admin_delete_sure")
        if st.form_submit_button("Delete the article", type="primary"):
            if not reason.strip():
                st.error("Not deleted: say why; the reason is kept in the audit trail.")
            elif not sure:
                st.error("Not deleted: tick the box to confirm the deletion.")
            else:
                _act(lambda: store.delete_article(int(article_id), reason, user=current_user()),
                     f"Article #{article_id} deleted; the deletion is in the audit trail.", "Not deleted")
