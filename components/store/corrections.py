"""Analysts' corrections: fix, delete, add, rename, re-country, merge; undo; audit.

The audit trail also records admins' deletions of whole articles (target "article",
written by Store.delete_article): they are shown, never undone or re-applied.

A correction is stored on its own (who, when, why, what it changed) and applied to the
stored items. Item corrections find their item by the article's content hash and the
evidence span the extractor gave it, so when an article is re-extracted by a newer
extractor its corrections are applied again to the new items. Actor corrections apply
to the canonical actor by name, and to every later ingest that names it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

import pandas as pd
from sqlalchemy import Connection, select, update
from sqlalchemy.orm import Session

from ..roles import principal_of
from ..vocab import ALL_STATUSES, CASUALTY_KINDS, FIGURE_KINDS, MILESTONE_KINDS, MILESTONE_STATUSES
from .linking import assign_incidents, assign_tracks
from .schema import ActorRow, ArticleActorRow, ArticleRow, CasualtyRow, CorrectionRow, FigureRow, MilestoneRow

ITEM_TABLES: dict[str, Any] = {"casualty": CasualtyRow, "milestone": MilestoneRow, "figure": FigureRow}
EDITABLE: dict[str, set[str]] = {
    "casualty": {"kind", "count", "low", "high", "qualifier", "victims", "perpetrator", "location", "country", "date"},
    "milestone": {"kind", "status", "parties", "location", "date", "condition", "count"},
    "figure": {"kind", "count", "each_side"},
}
MAX_COUNT = 10_000_000
_C = CorrectionRow.__table__
_ACTOR_CORRECTIONS = (select(_C.c.item_key, _C.c.action, _C.c.changes)
                      .where(_C.c.target == "actor", _C.c.undone_at.is_(None)).order_by(_C.c.id))


class CorrectionError(ValueError):
    """A correction that cannot be made, with the reason."""


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def item_key(row: Any) -> str:
    return f"{row.start}-{row.end}"


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _validate(target: str, changes: dict[str, Any], current_kind: str | None = None) -> dict[str, Any]:
    if target not in EDITABLE:
        raise CorrectionError(f"unknown item type {target!r}")
    unknown = set(changes) - EDITABLE[target]
    if unknown:
        raise CorrectionError(f"{', '.join(sorted(unknown))} cannot be corrected on a {target}")
    clean: dict[str, Any] = {}
    for field, value in changes.items():
        if field in {"count", "low", "high"}:
            try:
                number = int(value)
            except (TypeError, ValueError):
                raise CorrectionError(f"{field} must be a whole number, not {value!r}") from None
            if not 0 <= number <= MAX_COUNT:
                raise CorrectionError(f"{field} must be between 0 and {MAX_COUNT:,}")
            clean[field] = number
        elif field == "date":
            if value in (None, ""):
                clean[field] = None
            else:
                try:
                    clean[field] = value if isinstance(value, date) else date.fromisoformat(str(value))
                except ValueError:
                    raise CorrectionError(f"{value!r} is not a date in the form YYYY-MM-DD") from None
        elif field == "kind":
            allowed = {"casualty": CASUALTY_KINDS, "milestone": MILESTONE_KINDS, "figure": FIGURE_KINDS}[target]
            if value not in allowed:
                raise CorrectionError(f"{value!r} is not a {target} kind ({', '.join(allowed)})")
            clean[field] = value
        elif field == "status":
            kind = changes.get("kind", current_kind)
            allowed_status = MILESTONE_STATUSES.get(kind or "", ALL_STATUSES)
            if value not in allowed_status:
                raise CorrectionError(f"{value!r} is not a status of a {kind} ({', '.join(allowed_status)})")
            clean[field] = value
        elif field == "parties":
            parties = value if isinstance(value, list) else [p.strip() for p in str(value).split(",")]
            clean[field] = [p for p in parties if p]
        elif field == "each_side":
            clean[field] = bool(value)
        else:
            clean[field] = (str(value).strip() or None) if value is not None else None
    return clean


def _require_reason(reason: str) -> str:
    if not reason or not reason.strip():
        raise CorrectionError("say why: every correction needs a reason")
    return reason.strip()


class Corrections:
    def __init__(self, store: Any):
        self.store = store

    def _acting(self, user: str | None) -> str | None:
        """Check that the store's principal may correct; who to record: the signed-in principal,
        whatever name the caller passes (a name is taken only in single-user mode, which has none)."""
        principal = principal_of(self.store)
        principal.require("correct")
        return principal.name if principal.name is not None else user

    # -- items --------------------------------------------------------------------------------
    @staticmethod
    def _item(s: Session, target: str, item_id: int) -> tuple[Any, ArticleRow]:
        table = ITEM_TABLES.get(target)
        if table is None:
            raise CorrectionError(f"unknown item type {target!r}")
        row = s.get(table, item_id)
        if row is None:
            raise CorrectionError(f"there is no {target} #{item_id}")
        return row, s.get(ArticleRow, row.article_id)

    def _record(self, s: Session, target: str, action: str, article: ArticleRow, row: Any, reason: str, user: str | None,
                changes: dict[str, Any] | None = None, previous: dict[str, Any] | None = None) -> CorrectionRow:
        correction = CorrectionRow(target=target, action=action, article_hash=article.content_hash, item_key=item_key(row),
                                   changes=changes or {}, previous=previous or {}, reason=reason, user=user, created_at=_now())
        s.add(correction)
        s.flush()
        row.correction_id = correction.id
        return correction

    def update_item(self, target: str, item_id: int, changes: dict[str, Any], reason: str, user: str | None = None) -> int:
        return self.correct_items(target, [(item_id, changes)], reason, user)[0]

    def delete_item(self, target: str, item_id: int, reason: str, user: str | None = None) -> int:
        return self.correct_items(target, [(item_id, None)], reason, user)[0]

    def correct_items(self, target: str, edits: Sequence[tuple[int, dict[str, Any] | None]], reason: str,
                      user: str | None = None) -> list[int]:
        """Several items' corrections with one reason, in one transaction: each edit is an item id
        with its changes, or with None to delete it as wrong. All are saved or, at the first one
        refused (CorrectionError), none. The corrections' ids, in the edits' order."""
        user = self._acting(user)
        reason = _require_reason(reason)
        if not edits:
            return []
        with self.store.changing() as s:
            return [self._update(s, target, item_id, changes, reason, user) if changes is not None
                    else self._delete(s, target, item_id, reason, user) for item_id, changes in edits]

    def _update(self, s: Session, target: str, item_id: int, changes: dict[str, Any], reason: str, user: str | None) -> int:
        row, article = self._item(s, target, item_id)
        clean = _validate(target, changes, getattr(row, "kind", None))
        previous = {f: _jsonable(getattr(row, f)) for f in clean}
        correction = self._record(s, target, "update", article, row, reason, user, {k: _jsonable(v) for k, v in clean.items()}, previous)
        self._apply_update(row, clean)
        self._relink(s, article, target)
        return correction.id

    def _delete(self, s: Session, target: str, item_id: int, reason: str, user: str | None) -> int:
        row, article = self._item(s, target, item_id)
        correction = self._record(s, target, "delete", article, row, reason, user)
        row.deleted = True
        return correction.id

    def add_item(self, target: str, article_id: int, values: dict[str, Any], reason: str, user: str | None = None) -> int:
        """A missed item, with the sentence it comes from (found in the article's text)."""
        user = self._acting(user)
        reason = _require_reason(reason)
        table = ITEM_TABLES.get(target)
        if table is None:
            raise CorrectionError(f"unknown item type {target!r}")
        values = dict(values)
        evidence = str(values.pop("sentence", "") or "").strip()
        if "kind" not in values:
            raise CorrectionError(f"a new {target} needs a kind")
        if target in {"casualty", "figure"} and "count" not in values:
            raise CorrectionError(f"a new {target} needs a count")
        if target == "milestone" and "status" not in values:
            raise CorrectionError("a new milestone needs a status")
        clean = _validate(target, values)
        with self.store.changing() as s:
            article = s.get(ArticleRow, article_id)
            if article is None:
                raise CorrectionError(f"there is no article #{article_id}")
            start = article.text.find(evidence) if evidence else -1
            if evidence and start < 0:
                raise CorrectionError("that sentence is not in the article's text; paste it exactly as it appears")
            if start < 0:
                start, end = 0, 0
            else:
                end = start + len(evidence)
            key = f"{start}-{end}"
            correction = CorrectionRow(target=target, action="add", article_hash=article.content_hash, item_key=key,
                                       changes={k: _jsonable(v) for k, v in clean.items()} | {"sentence": evidence}, previous={},
                                       reason=reason, user=user, created_at=_now())
            s.add(correction)
            s.flush()
            self._create(s, target, article, clean, evidence, start, end, correction.id)
            self._relink(s, article, target)
            return correction.id

    # -- actors -------------------------------------------------------------------------------
    def rename_actor(self, name: str, new_name: str, reason: str, user: str | None = None) -> int:
        return self._actor_change("rename", name, {"name": new_name.strip()}, reason, user)

    def recountry_actor(self, name: str, country: str | None, reason: str, user: str | None = None) -> int:
        return self._actor_change("recountry", name, {"country": (country or "").strip() or None}, reason, user)

    def merge_actors(self, name: str, into: str, reason: str, user: str | None = None) -> int:
        return self._actor_change("merge", name, {"into": into.strip()}, reason, user)

    def _actor_change(self, action: str, name: str, changes: dict[str, Any], reason: str, user: str | None) -> int:
        user = self._acting(user)
        reason = _require_reason(reason)
        with self.store.changing() as s:
            actor = s.scalar(select(ActorRow).where(ActorRow.name == name))
            if actor is None:
                raise CorrectionError(f"there is no actor named {name!r}")
            previous: dict[str, Any] = {}
            if action == "rename":
                if not changes["name"]:
                    raise CorrectionError("the new name is empty")
                if s.scalar(select(ActorRow.id).where(ActorRow.name == changes["name"])) is not None:
                    raise CorrectionError(f"{changes['name']!r} already exists: merge into it instead")
                previous = {"name": actor.name}
                actor.name = changes["name"]
            elif action == "recountry":
                previous = {"country": actor.country}
                actor.country = changes["country"]
            elif action == "merge":
                target = s.scalar(select(ActorRow).where(ActorRow.name == changes["into"]))
                if target is None:
                    raise CorrectionError(f"there is no actor named {changes['into']!r} to merge into")
                if target.id == actor.id:
                    raise CorrectionError("an actor cannot be merged into itself")
                moved, combined = self._move_mentions(s, actor.id, target.id)
                previous = {"moved": moved, "combined": combined, "actor_id": actor.id}
            correction = CorrectionRow(target="actor", action=action, article_hash=None, item_key=name, changes=changes,
                                       previous=previous, reason=reason, user=user, created_at=_now())
            s.add(correction)
            s.flush()
            return correction.id

    @staticmethod
    def _move_mentions(s: Session, source_id: int, target_id: int) -> tuple[list[int], list[dict[str, Any]]]:
        """Point the source actor's mentions at the target; where an article names both, fold
        them into one row and remember the folded row so an undo can restore it."""
        moved: list[int] = []
        combined: list[dict[str, Any]] = []
        for row in s.scalars(select(ArticleActorRow).where(ArticleActorRow.actor_id == source_id)).all():
            existing = s.scalar(select(ArticleActorRow).where(ArticleActorRow.article_id == row.article_id, ArticleActorRow.actor_id == target_id))
            if existing is not None:
                combined.append({"into": existing.id, "article_id": row.article_id, "name": row.name, "kind": row.kind, "country": row.country,
                                 "role": row.role, "mentions": row.mentions, "aliases": list(row.aliases or []), "spans": list(row.spans or []),
                                 "target_aliases": list(existing.aliases or []), "target_spans": list(existing.spans or [])})
                existing.mentions += row.mentions
                existing.aliases = sorted(set(existing.aliases or []) | set(row.aliases or []) | {row.name})
                existing.spans = sorted((existing.spans or []) + (row.spans or []))
                s.delete(row)
            else:
                row.actor_id = target_id
                moved.append(row.id)
        return moved, combined

    def actor_redirects(self, s: Session | Connection) -> dict[str, str]:
        """Names that later ingests must map: renamed and merged actors."""
        out: dict[str, str] = {}
        for item_key, action, changes in s.execute(_ACTOR_CORRECTIONS):
            if action == "rename":
                out[item_key] = changes["name"]
            elif action == "merge":
                out[item_key] = changes["into"]
        for name in list(out):  # follow chains: A -> B -> C
            seen = {name}
            while out[name] in out and out[name] not in seen:
                seen.add(out[name])
                out[name] = out[out[name]]
        return out

    # -- undo, audit ----------------------------------------------------------------------------
    def undo(self, correction_id: int, user: str | None = None) -> None:
        user = self._acting(user)
        with self.store.changing() as s:
            c = s.get(CorrectionRow, correction_id)
            if c is None:
                raise CorrectionError(f"there is no correction #{correction_id}")
            if c.undone_at is not None:
                raise CorrectionError(f"correction #{correction_id} was already undone")
            if c.target == "article":
                raise CorrectionError(f"#{correction_id} records an article's deletion, which cannot be undone: ingest the article again")
            later = s.scalar(select(CorrectionRow.id).where(
                CorrectionRow.target == c.target, CorrectionRow.item_key == c.item_key, CorrectionRow.article_hash.is_(c.article_hash) if c.article_hash is None else CorrectionRow.article_hash == c.article_hash,
                CorrectionRow.id > c.id, CorrectionRow.undone_at.is_(None)))
            if later is not None:
                raise CorrectionError(f"undo correction #{later} first: it was made later on the same item")
            if c.target == "actor":
                self._undo_actor(s, c)
            else:
                article = s.scalar(select(ArticleRow).where(ArticleRow.content_hash == c.article_hash))
                if article is not None:
                    row = self._find(s, c.target, article.id, c.item_key, include_deleted=True)
                    if row is not None:
                        if c.action == "update":
                            self._apply_update(row, _validate(c.target, {k: v for k, v in c.previous.items()}, getattr(row, "kind", None)) if c.previous else {})
                            row.correction_id = None
                        elif c.action == "delete":
                            row.deleted = False
                            row.correction_id = None
                        elif c.action == "add":
                            s.delete(row)
                    self._relink(s, article, c.target)
            c.undone_at = _now()
            c.undone_by = user

    def _undo_actor(self, s: Session, c: CorrectionRow) -> None:
        if c.action == "rename":
            actor = s.scalar(select(ActorRow).where(ActorRow.name == c.changes["name"]))
            if actor is not None:
                actor.name = c.previous["name"]
        elif c.action == "recountry":
            actor = s.scalar(select(ActorRow).where(ActorRow.name == c.item_key))
            if actor is not None:
                actor.country = c.previous.get("country")
        elif c.action == "merge":
            source_id = c.previous["actor_id"]
            moved = c.previous.get("moved", [])
            if moved:
                s.execute(update(ArticleActorRow).where(ArticleActorRow.id.in_(moved)).values(actor_id=source_id))
            for folded in c.previous.get("combined", []):
                target = s.get(ArticleActorRow, folded["into"])
                if target is not None:
                    target.mentions -= folded["mentions"]
                    target.aliases = folded["target_aliases"]
                    target.spans = folded["target_spans"]
                s.add(ArticleActorRow(article_id=folded["article_id"], actor_id=source_id, name=folded["name"], kind=folded["kind"],
                                      country=folded["country"], role=folded["role"], mentions=folded["mentions"],
                                      aliases=folded["aliases"], spans=folded["spans"]))

    def audit(self, limit: int = 1000) -> pd.DataFrame:
        q = select(
            CorrectionRow.id, CorrectionRow.created_at, CorrectionRow.user, CorrectionRow.target, CorrectionRow.action,
            CorrectionRow.item_key, CorrectionRow.changes, CorrectionRow.previous, CorrectionRow.reason,
            CorrectionRow.undone_at, CorrectionRow.undone_by, ArticleRow.id.label("article_id"), ArticleRow.title,
        ).outerjoin(ArticleRow, ArticleRow.content_hash == CorrectionRow.article_hash).order_by(CorrectionRow.id.desc()).limit(limit)
        with self.store.engine.connect() as conn:
            audit = pd.read_sql(q, conn)
            evidence, kinds = self._items_of(conn, audit)
            return audit.assign(evidence=evidence, item_kind=kinds)

    @staticmethod
    def _items_of(conn: Connection, audit: pd.DataFrame) -> tuple[list[str | None], list[str | None]]:
        """The sentence and the kind of the item each correction is about (deleted or not; an added
        item's own sentence), so an audit row can say which figure it changed without its offsets."""
        found: dict[tuple[str, int, str], tuple[str, str]] = {}
        for target, table in ITEM_TABLES.items():
            ids = audit.loc[(audit["target"] == target) & audit["article_id"].notna(), "article_id"].astype(int).unique().tolist()
            if not ids:
                continue
            rows = conn.execute(select(table.article_id, table.start, table.end, table.sentence, table.kind)
                                .where(table.article_id.in_(ids)).order_by(table.id))
            for article_id, start, end, sentence, kind in rows:
                found.setdefault((target, article_id, f"{start}-{end}"), (sentence, kind))
        evidence: list[str | None] = []
        kinds: list[str | None] = []
        for row in audit.itertuples():
            sentence, kind = found.get((row.target, int(row.article_id), row.item_key), (None, None)) if pd.notna(row.article_id) else (None, None)
            evidence.append(((row.changes or {}).get("sentence") if row.action == "add" else None) or sentence)
            kinds.append(kind)
        return evidence, kinds

    # -- re-applying after re-extraction -----------------------------------------------------------
    def reapply(self, s: Session, article: ArticleRow) -> list[int]:
        """Apply an article's active corrections to freshly extracted items; return the ones that found no item."""
        orphans: list[int] = []
        active = s.scalars(select(CorrectionRow).where(CorrectionRow.article_hash == article.content_hash, CorrectionRow.undone_at.is_(None),
                                                       CorrectionRow.target.in_(ITEM_TABLES)).order_by(CorrectionRow.id)).all()
        for c in active:
            if c.action == "add":
                values = {k: v for k, v in c.changes.items() if k != "sentence"}
                start, _, end = c.item_key.partition("-")
                self._create(s, c.target, article, _validate(c.target, values), c.changes.get("sentence", ""), int(start), int(end), c.id)
                continue
            row = self._find(s, c.target, article.id, c.item_key)
            if row is None:
                orphans.append(c.id)
                continue
            if c.action == "update":
                self._apply_update(row, _validate(c.target, c.changes, getattr(row, "kind", None)))
            elif c.action == "delete":
                row.deleted = True
            row.correction_id = c.id
        return orphans

    # -- helpers ---------------------------------------------------------------------------------
    @staticmethod
    def _find(s: Session, target: str, article_id: int, key: str, include_deleted: bool = False) -> Any:
        table = ITEM_TABLES[target]
        start, _, end = key.partition("-")
        q = select(table).where(table.article_id == article_id, table.start == int(start), table.end == int(end))
        if not include_deleted:
            q = q.where(table.deleted.is_(False))
        return s.scalars(q.order_by(table.id)).first()

    @staticmethod
    def _apply_update(row: Any, clean: dict[str, Any]) -> None:
        for field, value in clean.items():
            if field == "count" and hasattr(row, "low"):
                # A corrected count is exact unless a range is given with it.
                row.low = clean.get("low", value)
                row.high = clean.get("high", value)
            setattr(row, field, value)

    @staticmethod
    def _create(s: Session, target: str, article: ArticleRow, clean: dict[str, Any], evidence: str, start: int, end: int, correction_id: int) -> None:
        common = {"article_id": article.id, "sentence": evidence, "start": start, "end": end, "correction_id": correction_id}
        if target == "casualty":
            count = clean["count"]
            used = [r.incident for r in s.scalars(select(CasualtyRow).where(CasualtyRow.article_id == article.id))]
            s.add(CasualtyRow(**common, kind=clean["kind"], count=count, low=clean.get("low", count), high=clean.get("high", count),
                              qualifier=clean.get("qualifier"), victims=clean.get("victims"), perpetrator=clean.get("perpetrator"),
                              location=clean.get("location"), country=clean.get("country"), date=clean.get("date") or article.published,
                              incident=max(used, default=-1) + 1, cumulative=False, counted=True))
        elif target == "milestone":
            s.add(MilestoneRow(**common, kind=clean["kind"], status=clean["status"], parties=clean.get("parties", []), mediators=[],
                               location=clean.get("location"), date=clean.get("date"), condition=clean.get("condition"), count=clean.get("count")))
        else:
            s.add(FigureRow(**common, kind=clean["kind"], count=clean["count"], low=clean["count"], high=clean["count"],
                            each_side=clean.get("each_side", False)))
        s.flush()

    @staticmethod
    def _relink(s: Session, article: ArticleRow, target: str) -> None:
        s.flush()
        if target == "casualty":
            assign_incidents(s, article)
        elif target == "milestone":
            assign_tracks(s, article)
