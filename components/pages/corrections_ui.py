"""Correction widgets shared by the reader and the Actors page, and the Audit page."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from ..store.corrections import CorrectionError
from ..vocab import ALL_STATUSES, CASUALTY_KINDS, MILESTONE_KINDS
from .auth_ui import allowed
from .common import clear_query_caches, current_user, empty_state, flash, get_store, plain, show_flash
from .markup import MISSING, as_shown

CASUALTY_FIELDS = ["kind", "count", "victims", "perpetrator", "location", "date"]
MILESTONE_FIELDS = ["kind", "status", "parties", "location", "date", "condition"]


def _normalise(value: Any) -> Any:
    if isinstance(value, list):
        return ", ".join(value)
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NaT:
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    return value


def item_editor(article_id: int, target: str) -> None:
    """An editable table of one article's items: change values, tick to delete, give a reason, save."""
    store = get_store()
    items = store.article_items(article_id, target)
    if items.empty:
        st.caption(f"No {target.replace('_', ' ')} items in this article.")
        return
    fields = CASUALTY_FIELDS if target == "casualty" else MILESTONE_FIELDS
    shown = items[["id", *fields, "sentence", "correction_id"]].copy()
    if "parties" in shown:
        shown["parties"] = shown["parties"].map(lambda p: ", ".join(p or []))
    shown["date"] = shown["date"].map(lambda d: d.isoformat() if hasattr(d, "isoformat") else d)
    shown["corrected"] = shown.pop("correction_id").notna()
    if not allowed("correct", "correcting items"):  # read-only for viewers; the store refuses their corrections too
        st.dataframe(shown.drop(columns=["id"]), hide_index=True, placeholder=MISSING, width="stretch")
        return
    shown["delete"] = False
    column_config: dict[str, Any] = {
        "id": None, "sentence": st.column_config.TextColumn("Evidence", disabled=True, width="large"),
        "corrected": st.column_config.CheckboxColumn("Corrected", disabled=True),
        "delete": st.column_config.CheckboxColumn("Delete", help="Tick to delete a false item"),
        "date": st.column_config.TextColumn("Date", help="YYYY-MM-DD"),
    }
    if target == "casualty":
        column_config["kind"] = st.column_config.SelectboxColumn("Kind", options=list(CASUALTY_KINDS), required=True)
        column_config["count"] = st.column_config.NumberColumn("Count", min_value=0, step=1, required=True)
    else:
        column_config["kind"] = st.column_config.SelectboxColumn("Kind", options=list(MILESTONE_KINDS), required=True)
        column_config["status"] = st.column_config.SelectboxColumn("Status", options=list(ALL_STATUSES), required=True)
    edited = st.data_editor(shown, hide_index=True, placeholder=MISSING, width="stretch", column_config=column_config, key=f"edit_{target}_{article_id}", num_rows="fixed")
    reason = st.text_input("Why (kept with the correction)", key=f"reason_{target}_{article_id}")
    if st.button("Save corrections", key=f"save_{target}_{article_id}"):
        changed = 0
        try:
            for (_, before), (_, after) in zip(shown.iterrows(), edited.iterrows(), strict=True):
                item_id = int(before["id"])
                if bool(after["delete"]):
                    store.corrections.delete_item(target, item_id, reason, user=current_user())
                    changed += 1
                    continue
                diff = {f: _normalise(after[f]) for f in fields if _normalise(after[f]) != _normalise(before[f])}
                if diff:
                    store.corrections.update_item(target, item_id, diff, reason, user=current_user())
                    changed += 1
        except CorrectionError as exc:
            st.error(f"Not saved: {plain(exc)}.")
        else:
            clear_query_caches()
            if changed:
                flash(f"Saved {changed} correction{'s' if changed != 1 else ''}.")
            st.info("Nothing was changed.")


def add_item_form(article_id: int) -> None:
    if not allowed("correct", "adding missed items"):
        return
    with st.form(f"add_item_{article_id}", clear_on_submit=True):
        st.markdown("**Add a missed item**")
        target = st.radio("Type", ["casualty", "milestone"], horizontal=True, key=f"add_target_{article_id}")
        c1, c2, c3 = st.columns(3)
        kind = c1.selectbox("Kind", list(CASUALTY_KINDS) + list(MILESTONE_KINDS), key=f"add_kind_{article_id}")
        count = c2.number_input("Count (casualties)", min_value=0, step=1, value=1, key=f"add_count_{article_id}")
        status = c3.selectbox("Status (milestones)", list(ALL_STATUSES), key=f"add_status_{article_id}")
        sentence = st.text_input("The sentence it comes from, pasted from the article", key=f"add_sentence_{article_id}")
        reason = st.text_input("Why", key=f"add_reason_{article_id}")
        if st.form_submit_button("Add"):
            values: dict[str, Any] = {"kind": kind, "sentence": sentence}
            if target == "casualty":
                values["count"] = int(count)
            else:
                values["status"] = status
            try:
                get_store().corrections.add_item(target, article_id, values, reason, user=current_user())
            except CorrectionError as exc:
                st.error(f"Not added: {plain(exc)}.")
            else:
                clear_query_caches()
                flash("Added.")


def actor_form(actors: pd.DataFrame) -> None:
    """Rename, re-country or merge a canonical actor."""
    if not allowed("correct", "correcting actors"):
        return
    names = sorted(actors["name"].tolist())
    with st.form("actor_correction"):
        c1, c2 = st.columns(2)
        name = c1.selectbox("Actor", names, key="fix_actor")
        action = c2.radio("Correction", ["rename", "re-country", "merge into"], horizontal=True, key="fix_action")
        value = st.text_input("New name, country, or the actor to merge into", key="fix_value")
        reason = st.text_input("Why", key="fix_reason")
        if st.form_submit_button("Save"):
            store = get_store()
            try:
                if action == "rename":
                    store.corrections.rename_actor(name, value, reason, user=current_user())
                elif action == "re-country":
                    store.corrections.recountry_actor(name, value, reason, user=current_user())
                else:
                    store.corrections.merge_actors(name, value, reason, user=current_user())
            except CorrectionError as exc:
                st.error(f"Not saved: {plain(exc)}.")
            else:
                clear_query_caches()
                flash(f"Saved: {action} {plain(name)}.")


def render_audit() -> None:
    show_flash()
    st.title("Audit")
    st.write("Every correction made by an analyst, newest first. Undo puts the machine's value back.")
    store = get_store()
    audit = store.corrections.audit()
    if audit.empty:
        empty_state("No corrections yet. Correct a figure or a milestone from the Articles page, or an actor from the Actors page.")
        return
    table = audit.assign(
        changes=audit["changes"].map(lambda c: ", ".join(f"{k}: {as_shown(v)}" for k, v in (c or {}).items())),
        previous=audit["previous"].map(lambda c: ", ".join(f"{k}: {as_shown(v)}" for k, v in (c or {}).items() if k in {"count", "kind", "status", "name", "country", "location", "date"})),
        state=audit["undone_at"].map(lambda u: "undone" if pd.notna(u) else "active"),
    )
    st.dataframe(table[["id", "created_at", "user", "target", "action", "item_key", "title", "changes", "previous", "reason", "state", "undone_by"]],
                 hide_index=True, placeholder=MISSING, width="stretch", column_config={"created_at": st.column_config.DatetimeColumn("When"), "title": "Article"})
    active = table[table["state"] == "active"]["id"].astype(int).tolist()
    if active and allowed("correct", "undoing corrections"):
        c1, c2 = st.columns([3, 1])
        chosen = c1.selectbox("Undo a correction", active, key="undo_id", format_func=lambda i: f"#{i}")
        if c2.button("Undo", key="undo_button"):
            try:
                store.corrections.undo(int(chosen), user=current_user())
            except CorrectionError as exc:
                st.error(f"Not undone: {plain(exc)}.")
            else:
                clear_query_caches()
                flash(f"Correction #{chosen} undone.")
