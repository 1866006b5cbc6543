"""Correction widgets shared by the reader and the Actors page, and the Audit page."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from ..store.corrections import CorrectionError
from ..vocab import ALL_STATUSES, CASUALTY_KINDS, MILESTONE_KINDS
from .auth_ui import allowed
from .common import clear_query_caches, current_user, empty_state, flash, get_store, plain, show_flash
from .markup import MISSING

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


def standing_words(row: Any) -> str:
    """Whether the totals count a casualty figure, and if not why, in words (a row of Store.totals_standing)."""
    if bool(row["in_totals"]):
        return "yes"
    if bool(row["cumulative"]):
        return "no: a toll since the conflict began, not an incident"
    if not bool(row["counted"]):
        return "no: repeats or is covered by another figure here"
    if pd.isna(row["counting_article"]):
        return "no: not linked to an incident"
    if int(row["counting_article"]) != int(row["article_id"]):
        return f"no: a newer report counts (article #{int(row['counting_article'])})"
    return "no: another figure of this incident here counts"


def _with_standing(store: Any, article_id: int, shown: pd.DataFrame) -> pd.DataFrame:
    """The casualty table with its "counts" column (after "count") and whether each is in the totals."""
    standing = store.totals_standing(article_id).assign(article_id=article_id)
    words = dict(zip(standing["id"], standing.apply(standing_words, axis=1), strict=True))
    counting = dict(zip(standing["id"], standing["in_totals"], strict=True))
    shown.insert(shown.columns.get_loc("count") + 1, "counts", shown["id"].map(lambda i: words.get(i, "no")))
    return shown.assign(in_totals=shown["id"].map(lambda i: bool(counting.get(i, False))))


def _notice(key: str) -> None:
    """The confirmation of the last save, shown where it was made (it survives the rerun that redraws the table)."""
    message = st.session_state.pop(key, None)
    if message:
        st.success(message, icon=":material/check_circle:")


def totals_change(before: dict[str, int], after: dict[str, int], counted_changed: bool) -> str:
    """What a saved correction did to the casualty totals over all articles, in words."""
    moved = [f"{kind} {before.get(kind, 0):,} → {after.get(kind, 0):,}" for kind in CASUALTY_KINDS if before.get(kind, 0) != after.get(kind, 0)]
    if moved:
        return " Totals over all articles: " + ", ".join(moved) + "."
    if not counted_changed:
        return " The totals did not change: none of these figures is the one counted for its incident (see Counts)."
    return " The totals did not change."


def item_editor(article_id: int, target: str) -> None:
    """An editable table of one article's items: change values, tick to delete, give a reason, save."""
    store = get_store()
    items = store.article_items(article_id, target)
    notice = f"_saved_{target}_{article_id}"
    if items.empty:
        st.caption(f"No {target.replace('_', ' ')} items in this article.")
        _notice(notice)
        return
    fields = CASUALTY_FIELDS if target == "casualty" else MILESTONE_FIELDS
    shown = items[["id", *fields, "sentence", "correction_id"]].copy()
    if "parties" in shown:
        shown["parties"] = shown["parties"].map(lambda p: ", ".join(p or []))
    shown["date"] = shown["date"].map(lambda d: d.isoformat() if hasattr(d, "isoformat") else d)
    shown["corrected"] = shown.pop("correction_id").notna()
    if target == "casualty":
        shown = _with_standing(store, article_id, shown)
        st.caption("Counts: whether a figure is in the totals. Each incident is counted once, at its newest report, so "
                   "correcting a figure that does not count leaves the totals as they are.")
    if not allowed("correct", "correcting items"):  # read-only for viewers; the store refuses their corrections too
        st.dataframe(shown.drop(columns=["id", "in_totals"], errors="ignore"), hide_index=True, placeholder=MISSING, width="stretch")
        return
    version = st.session_state.get(f"_editor_version_{target}_{article_id}", 0)
    shown["delete"] = False
    edited = st.data_editor(shown, hide_index=True, placeholder=MISSING, width="stretch", column_config=_editor_columns(target), num_rows="fixed",
                            key=f"edit_{target}_{article_id}_{version}")
    reason = st.text_input("Why (kept with the correction)", key=f"reason_{target}_{article_id}")
    if st.button("Save corrections", key=f"save_{target}_{article_id}"):
        _save(store, article_id, target, shown, edited, reason)
    _notice(notice)


def _editor_columns(target: str) -> dict[str, Any]:
    column_config: dict[str, Any] = {
        "id": None, "in_totals": None, "sentence": st.column_config.TextColumn("Evidence", disabled=True, width="large"),
        "corrected": st.column_config.CheckboxColumn("Corrected", disabled=True),
        "counts": st.column_config.TextColumn("Counts", disabled=True, help="Whether the totals count this figure, and if not why"),
        "delete": st.column_config.CheckboxColumn("Delete", help="Tick to delete a false item"),
        "date": st.column_config.TextColumn("Date", help="YYYY-MM-DD"),
    }
    if target == "casualty":
        column_config["kind"] = st.column_config.SelectboxColumn("Kind", options=list(CASUALTY_KINDS), required=True)
        column_config["count"] = st.column_config.NumberColumn("Count", min_value=0, step=1, required=True)
    else:
        column_config["kind"] = st.column_config.SelectboxColumn("Kind", options=list(MILESTONE_KINDS), required=True)
        column_config["status"] = st.column_config.SelectboxColumn("Status", options=list(ALL_STATUSES), required=True)
    return column_config


def _save(store: Any, article_id: int, target: str, shown: pd.DataFrame, edited: pd.DataFrame, reason: str) -> None:
    """Apply the edited rows, one correction each and all or none; say next to the editor what was saved and what it did to the totals."""
    fields = CASUALTY_FIELDS if target == "casualty" else MILESTONE_FIELDS
    edits: list[tuple[int, dict[str, Any] | None]] = []
    counted_changed = False
    for (_, was), (_, now) in zip(shown.iterrows(), edited.iterrows(), strict=True):
        diff = {f: _normalise(now[f]) for f in fields if _normalise(now[f]) != _normalise(was[f])}
        if bool(now["delete"]) or diff:
            edits.append((int(was["id"]), None if bool(now["delete"]) else diff))
            counted_changed = counted_changed or bool(was.get("in_totals", False))
    if not edits:
        st.info("Nothing was changed.")
        return
    before = store.casualty_totals() if target == "casualty" else {}
    try:  # one transaction: a refused row leaves every row as it was
        store.corrections.correct_items(target, edits, reason, user=current_user())
    except CorrectionError as exc:
        st.error(f"Not saved: {plain(exc)}. Nothing was changed; fix it and save again.")
        return
    clear_query_caches()
    changed = len(edits)
    message = f"Saved {changed} correction{'s' if changed != 1 else ''}."
    if target == "casualty":
        message += totals_change(before, store.casualty_totals(), counted_changed)
    st.session_state[f"_saved_{target}_{article_id}"] = message
    st.session_state[f"_editor_version_{target}_{article_id}"] = st.session_state.get(f"_editor_version_{target}_{article_id}", 0) + 1
    st.rerun()


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
            store = get_store()
            before = store.casualty_totals() if target == "casualty" else {}
            try:
                store.corrections.add_item(target, article_id, values, reason, user=current_user())
            except CorrectionError as exc:
                st.error(f"Not added: {plain(exc)}.")
            else:
                clear_query_caches()
                added = f"a missed {kind} figure of {int(count)}" if target == "casualty" else f"a missed {kind.replace('_', ' ')} ({status})"
                message = f"Added {added}." + (totals_change(before, store.casualty_totals(), True) if target == "casualty" else "")
                st.session_state[f"_added_{article_id}"] = message
                st.rerun()
    _notice(f"_added_{article_id}")


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


ITEM_NAMES = {"casualty": "figure", "milestone": "milestone", "figure": "figure"}
EXCERPT = 90  # characters of a sentence quoted in an audit row


def _quoted(sentence: Any) -> str:
    text = " ".join(str(sentence).split()) if isinstance(sentence, str) else ""
    return f"“{text if len(text) <= EXCERPT else text[:EXCERPT - 1].rstrip() + '…'}”" if text else "(no sentence recorded)"


def _values(values: Any) -> str:
    return ", ".join(f"{k} {_normalise(v) if _normalise(v) not in (None, '') else 'none'}" for k, v in (values or {}).items() if k != "sentence")


def describe_correction(row: Any) -> str:
    """One audit row in words: what was done to which item, from what to what (no offsets, no ids)."""
    changes, previous = row.get("changes") or {}, row.get("previous") or {}
    target, action = row.get("target"), row.get("action")
    if target == "article":
        held = ", ".join(f"{previous[k]} {k}" for k in ("casualties", "milestones", "figures", "actors") if previous.get(k))
        return (f"Deleted the article {row.get('item_key') or ''} “{previous.get('title') or 'untitled'}”"
                f" ({previous.get('source') or 'no outlet'}{', ' + previous['published'] if previous.get('published') else ''})"
                + (f" with its {held}" if held else ""))
    if target == "actor":
        name = row.get("item_key")
        if action == "rename":
            return f"Renamed the actor {name} to {changes.get('name')}"
        if action == "recountry":
            return f"Set the country of {name} to {changes.get('country') or 'none'} (was {previous.get('country') or 'none'})"
        return f"Merged the actor {name} into {changes.get('into')}"
    kind = changes.get("kind") if action == "add" else (row.get("item_kind") or previous.get("kind") or "")
    item = f"{kind.replace('_', ' ')} {ITEM_NAMES.get(target, target)}".strip()
    where = _quoted(row.get("evidence"))
    if action == "add":
        return f"Added a missed {item} ({_values(changes)}) from {where}"
    if action == "delete":
        return f"Deleted the {item} in {where} as wrong"
    moves = [f"{k} {_normalise(previous.get(k)) if previous.get(k) not in (None, '') else 'none'} → {_normalise(v) if v not in (None, '') else 'none'}"
             for k, v in changes.items()]
    return f"Changed the {item} in {where}: " + ", ".join(moves)


def render_audit() -> None:
    show_flash()
    st.title("Audit")
    st.write("Every correction made by an analyst and every article deleted by an admin, newest first. Undo puts the machine's "
             "value back; a deleted article comes back only by ingesting it again.")
    store = get_store()
    audit = store.corrections.audit()
    if audit.empty:
        empty_state("No corrections yet. Correct a figure or a milestone from the Articles page, or an actor from the Actors page.")
        return
    table = audit.assign(
        what=[describe_correction(r) for r in audit.to_dict("records")],
        state=audit["undone_at"].map(lambda u: "undone" if pd.notna(u) else "active"),
        # A deleted article is gone from the join: its title is kept with the deletion.
        title=audit["title"].where(audit["title"].notna(), audit["previous"].map(lambda p: (p or {}).get("title"))),
    )
    st.dataframe(table, hide_index=True, placeholder=MISSING, width="stretch", column_order=["created_at", "user", "what", "reason", "title", "state", "undone_by", "id"],
                 column_config={"created_at": st.column_config.DatetimeColumn("When"), "user": "Who",
                                "what": st.column_config.TextColumn("What was done", width="large"),
                                "reason": st.column_config.TextColumn("Why", width="medium"), "title": "Article", "state": "State",
                                "undone_by": "Undone by", "id": "#"})
    active = table[(table["state"] == "active") & (table["target"] != "article")]  # a deleted article comes back only by ingesting it again
    if not active.empty and allowed("correct", "undoing corrections"):
        described = dict(zip(active["id"].astype(int), active["what"], strict=True))
        c1, c2 = st.columns([3, 1])
        chosen = c1.selectbox("Undo a correction", list(described), key="undo_id", format_func=lambda i: f"#{i} · {described.get(i, '')}")
        if c2.button("Undo", key="undo_button"):
            try:
                store.corrections.undo(int(chosen), user=current_user())
            except CorrectionError as exc:
                st.error(f"Not undone: {plain(exc)}.")
            else:
                clear_query_caches()
                st.session_state["_undone"] = f"Undone: {plain(described.get(int(chosen), f'correction #{chosen}'))}."
                st.rerun()
    _notice("_undone")
