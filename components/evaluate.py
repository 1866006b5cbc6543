"""Measuring the extractor against labelled data: casualties, milestones, actors."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .extract import Extractor
from .extract.dates import parse_iso
from .extract.knowledge import load_knowledge, normalise


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                try:
                    yield json.loads(line)
                except json.JSONDecodeError as exc:
                    raise ValueError(f"{path} line {n}: not valid JSON ({exc.msg})") from None


# -- casualties -------------------------------------------------------------------------------
@dataclass
class CasualtyScores:
    n: int = 0
    killed_exact: int = 0
    wounded_n: int = 0
    wounded_exact: int = 0
    none_n: int = 0
    none_false_positive: int = 0
    killed_abs_error: int = 0
    wounded_abs_error: int = 0
    misses: list[tuple[int, str, str, Any, Any]] = field(default_factory=list)

    def report(self, worst: int = 15) -> str:
        lines = [
            f"texts: {self.n}",
            f"killed exact match:  {self.killed_exact / max(self.n, 1):.3f} ({self.killed_exact}/{self.n})",
            f"wounded exact match: {self.wounded_exact / max(self.wounded_n, 1):.3f} ({self.wounded_exact}/{self.wounded_n}, where the gold is a number)",
            f"false positives on texts without casualties: {self.none_false_positive / max(self.none_n, 1):.3f} ({self.none_false_positive}/{self.none_n})",
            f"mean absolute error: killed {self.killed_abs_error / max(self.n, 1):.2f}, wounded {self.wounded_abs_error / max(self.wounded_n, 1):.2f}",
            "worst misses:",
        ]
        for err, id_, kind, gold, got in sorted(self.misses, key=lambda m: -m[0])[:worst]:
            lines.append(f"  {id_} {kind}: gold {gold}, got {got} (off by {err})")
        return "\n".join(lines)


def eval_casualties(path: Path, extractor: Extractor) -> CasualtyScores:
    scores = CasualtyScores()
    for item in read_jsonl(path):
        ex = extractor.extract(item["text"], parse_iso(item.get("published")), item.get("title"))
        gold = item.get("gold", {})
        g_killed, g_wounded = gold.get("killed"), gold.get("injured", gold.get("wounded"))
        got_killed, got_wounded = ex.totals.get("killed"), ex.totals.get("wounded")
        scores.n += 1
        if (got_killed or 0) == (g_killed or 0):
            scores.killed_exact += 1
        else:
            err = abs((got_killed or 0) - (g_killed or 0))
            scores.killed_abs_error += err
            scores.misses.append((err, str(item.get("id")), "killed", g_killed, got_killed))
        if g_wounded is not None:
            scores.wounded_n += 1
            if (got_wounded or 0) == g_wounded:
                scores.wounded_exact += 1
            else:
                err = abs((got_wounded or 0) - g_wounded)
                scores.wounded_abs_error += err
                scores.misses.append((err, str(item.get("id")), "wounded", g_wounded, got_wounded))
        if g_killed is None and g_wounded is None:
            scores.none_n += 1
            if got_killed or got_wounded:
                scores.none_false_positive += 1
    return scores


# -- milestones -------------------------------------------------------------------------------
@dataclass
class MilestoneScores:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    parties_right: int = 0
    location_right: int = 0
    location_n: int = 0
    date_right: int = 0
    date_n: int = 0
    empty_texts: int = 0
    empty_false: int = 0
    per_kind: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)

    def report(self, worst: int = 20) -> str:
        p = self.tp / max(self.tp + self.fp, 1)
        r = self.tp / max(self.tp + self.fn, 1)
        f1 = 2 * p * r / max(p + r, 1e-9)
        lines = [
            f"(kind, status): precision {p:.3f}  recall {r:.3f}  F1 {f1:.3f}  (tp {self.tp}, fp {self.fp}, fn {self.fn})",
            f"on matched milestones: parties right {self.parties_right / max(self.tp, 1):.3f}, "
            f"location right {self.location_right / max(self.location_n, 1):.3f} (of {self.location_n} with one), "
            f"date right {self.date_right / max(self.date_n, 1):.3f} (of {self.date_n} with one)",
            f"false milestones per text without any: {self.empty_false / max(self.empty_texts, 1):.3f} ({self.empty_false} in {self.empty_texts} texts)",
            "errors:",
            *[f"  {e}" for e in self.errors[:worst]],
        ]
        return "\n".join(lines)


def _canon(name: str) -> str:
    entry = load_knowledge().lookup(name)
    return normalise(entry.name if entry else name)


def eval_milestones(path: Path, extractor: Extractor) -> MilestoneScores:
    scores = MilestoneScores()
    for item in read_jsonl(path):
        ex = extractor.extract(item["text"], parse_iso(item.get("published")), item.get("title"))
        gold = list(item.get("milestones", []))
        got = list(ex.milestones)
        if not gold:
            scores.empty_texts += 1
            scores.empty_false += len(got)
        unmatched = list(got)
        for g in gold:
            match = next((m for m in unmatched if m.kind == g["kind"] and m.status == g["status"]), None)
            if match is None:
                scores.fn += 1
                near = [f"{m.kind}/{m.status}" for m in got]
                scores.errors.append(f"{item.get('id')}: missed {g['kind']}/{g['status']} (got {near or 'nothing'})")
                continue
            unmatched.remove(match)
            scores.tp += 1
            scores.per_kind[g["kind"]] += 1
            if {_canon(p) for p in g.get("parties", [])} == {_canon(p) for p in match.parties}:
                scores.parties_right += 1
            if g.get("location"):
                scores.location_n += 1
                scores.location_right += int(normalise(g["location"]) == normalise(match.location or ""))
            if g.get("date"):
                scores.date_n += 1
                scores.date_right += int(g["date"] == match.date)
        for m in unmatched:
            scores.fp += 1
            scores.errors.append(f"{item.get('id')}: extra {m.kind}/{m.status}: {m.sentence[:90]}")
    return scores


# -- actors ----------------------------------------------------------------------------------
TYPE_MAP = {"Person": "Person", "Organisation": "Organisation", "Location": "Location", "Nationality": "Location"}


@dataclass
class ActorScores:
    gold: Counter = field(default_factory=Counter)
    found: Counter = field(default_factory=Counter)
    predicted: Counter = field(default_factory=Counter)
    correct: Counter = field(default_factory=Counter)
    misses: list[str] = field(default_factory=list)

    def report(self) -> str:
        lines = [f"{'type':<13} {'precision':>9} {'recall':>7}  (gold, predicted)"]
        for t in ("Person", "Organisation", "Location"):
            p = self.correct[t] / max(self.predicted[t], 1)
            r = self.found[t] / max(self.gold[t], 1)
            lines.append(f"{t:<13} {p:>9.3f} {r:>7.3f}  ({self.gold[t]}, {self.predicted[t]})")
        lines.append("some misses:")
        lines.extend(f"  {m}" for m in self.misses[:25])
        return "\n".join(lines)


def eval_actors(path: Path, extractor: Extractor, min_confidence: float = 0.5) -> ActorScores:
    """Gold entity mentions (re3d format) against our actors' and places' names and aliases.

    A gold entity is found when one of our names or aliases of its type occurs inside it (or
    it inside one of ours); Nationality counts as a reference to its country (a Location).
    A predicted actor or place is correct when it covers some gold entity of its type.
    """
    k = load_knowledge()
    scores = ActorScores()
    for item in read_jsonl(path):
        ex = extractor.extract(item["text"], None, item.get("title"))
        ours: dict[str, list[set[str]]] = {"Person": [], "Organisation": [], "Location": []}
        for a in ex.actors:
            names = {normalise(n) for n in [a.name, *a.aliases]}
            t = "Person" if a.kind == "person" else "Location" if a.kind == "country" else "Organisation"
            if a.kind == "country":
                names |= {normalise(adj) for adj, e in k.adjectives.items() if e.name == a.name}
            ours[t].append(names)
        for p in ex.places:
            ours["Location"].append({normalise(p.name)} | {normalise(item["text"][s:e]) for s, e in p.spans})
        golds: dict[str, set[str]] = {t: set() for t in ours}
        for ent in item.get("entities", []):
            t = TYPE_MAP.get(ent.get("type", ""))
            if t is None or float(ent.get("confidence", 1)) < min_confidence:
                continue
            golds[t].add(normalise(ent["text"]))
        for t, gold_names in golds.items():
            scores.gold[t] += len(gold_names)
            for g in gold_names:
                if any(any(n and (n in g or g in n) for n in names) for names in ours[t]):
                    scores.found[t] += 1
                else:
                    scores.misses.append(f"{item.get('id', '')[:8]} {t}: {g}")
            for names in ours[t]:
                scores.predicted[t] += 1
                if any(any(n and (n in g or g in n) for n in names) for g in gold_names):
                    scores.correct[t] += 1
    return scores
