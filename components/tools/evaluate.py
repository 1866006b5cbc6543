"""Measuring the extractor against labelled data: casualties, milestones, actors."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..extract import Extractor
from ..extract.dates import parse_iso
from ..extract.knowledge import load_knowledge, normalise
from ..ingest.tables import parse_date_value


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
class CasualtyMiss:
    id: str
    kind: str  # killed or wounded
    gold: int | None
    got: int
    wounded_gold: int | None
    text: str

    @property
    def error(self) -> int:
        return abs(self.got - (self.gold or 0))

    @property
    def cause(self) -> str:
        """The kind of error, read from the figures: what the next person should look at."""
        gold = self.gold or 0
        if self.gold is None and self.kind == "text":
            return "a toll on a text without one"
        if self.got == 0:
            return "one victim not counted" if gold == 1 else "no toll read"
        if gold == 0:
            return "a toll where the gold has none"
        if self.kind == "killed" and self.wounded_gold and self.got == gold + self.wounded_gold:
            return "wounded added to killed"
        return "over-count (parts added twice, another incident, attackers)" if self.got > gold else "under-count (groups not added, a partial toll)"


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
    misses: list[CasualtyMiss] = field(default_factory=list)

    def report(self, show: int | None = None) -> str:
        """The figures, then every miss (or the first `show` of each kind), grouped by kind of error."""
        lines = [
            f"texts with a toll: {self.n}; texts without one: {self.none_n}",
            f"killed exact match:  {self.killed_exact / max(self.n, 1):.3f} ({self.killed_exact}/{self.n})",
            f"wounded exact match: {self.wounded_exact / max(self.wounded_n, 1):.3f} ({self.wounded_exact}/{self.wounded_n}, where the gold is a number)",
            f"false positives on texts without casualties: {self.none_false_positive / max(self.none_n, 1):.3f} ({self.none_false_positive}/{self.none_n})",
            f"mean absolute error: killed {self.killed_abs_error / max(self.n, 1):.2f}, wounded {self.wounded_abs_error / max(self.wounded_n, 1):.2f}",
        ]
        groups: dict[str, list[CasualtyMiss]] = {}
        for miss in self.misses:
            groups.setdefault(miss.cause, []).append(miss)
        for cause, misses in sorted(groups.items(), key=lambda kv: -len(kv[1])):
            lines.append(f"\n{cause}: {len(misses)}")
            for m in sorted(misses, key=lambda m: -m.error)[:show]:
                snippet = re.sub(r"\s+", " ", m.text)[:140]
                lines.append(f"  {m.id} {m.kind}: gold {m.gold}, got {m.got} :: {snippet}")
        return "\n".join(lines)


def _casualty_gold(item: dict[str, Any]) -> tuple[int | None, int | None]:
    """(killed, wounded) as labelled: `gold` (killed, wounded or injured) or `casualties`, None where unknown."""
    gold = item.get("gold") if isinstance(item.get("gold"), dict) else (item.get("casualties") or {})
    return gold.get("killed"), gold.get("wounded", gold.get("injured"))


def eval_casualties(path: Path, extractor: Extractor) -> CasualtyScores:
    """Exact match of the article totals against the labelled killed and wounded, on a file as it is:
    `{"id", "text", "published"?, "gold": {"killed", "wounded"}}` or `{"casualties": {...}}` lines;
    a text whose killed and wounded are both null is a text without a toll (false positives)."""
    scores = CasualtyScores()
    for n, item in enumerate(read_jsonl(path), 1):
        ex = extractor.extract(item["text"], parse_date_value(item.get("published")), item.get("title"))
        item_id, text = str(item.get("id", n)), item["text"]
        g_killed, g_wounded = _casualty_gold(item)
        got_killed, got_wounded = ex.totals.get("killed", 0), ex.totals.get("wounded", 0)
        if g_killed is None and g_wounded is None:
            scores.none_n += 1
            if got_killed or got_wounded:
                scores.none_false_positive += 1
                scores.misses.append(CasualtyMiss(item_id, "text", None, got_killed + got_wounded, None, text))
            continue
        scores.n += 1
        if got_killed == (g_killed or 0):
            scores.killed_exact += 1
        else:
            scores.killed_abs_error += abs(got_killed - (g_killed or 0))
            scores.misses.append(CasualtyMiss(item_id, "killed", g_killed, got_killed, g_wounded, text))
        if g_wounded is not None:
            scores.wounded_n += 1
            if got_wounded == g_wounded:
                scores.wounded_exact += 1
            else:
                scores.wounded_abs_error += abs(got_wounded - g_wounded)
                scores.misses.append(CasualtyMiss(item_id, "wounded", g_wounded, got_wounded, None, text))
    return scores


# -- milestones -------------------------------------------------------------------------------
@dataclass
class MilestoneScores:
    """(kind, status) pairs per text as multisets, as the held-out measurement counts them."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    parties_n: int = 0
    parties_right: int = 0  # half the gold parties found among the matched milestones' parties
    parties_exact: int = 0  # the same set of canonical parties
    location_right: int = 0
    location_n: int = 0
    date_right: int = 0
    date_n: int = 0
    texts: int = 0
    empty_texts: int = 0
    empty_false: int = 0
    per_kind: Counter = field(default_factory=Counter)
    errors: dict[str, list[str]] = field(default_factory=dict)

    def add_error(self, group: str, line: str) -> None:
        self.errors.setdefault(group, []).append(line)

    def figures(self) -> tuple[float, float, float]:
        p = self.tp / max(self.tp + self.fp, 1)
        r = self.tp / max(self.tp + self.fn, 1)
        return p, r, 2 * p * r / max(p + r, 1e-9)

    def report(self, worst: int | None = None) -> str:
        p, r, f1 = self.figures()
        lines = [
            f"texts: {self.texts}",
            f"(kind, status): precision {p:.3f}  recall {r:.3f}  F1 {f1:.3f}  (tp {self.tp}, fp {self.fp}, fn {self.fn})",
            f"false milestones per text without any: {self.empty_false / max(self.empty_texts, 1):.3f} ({self.empty_false} in {self.empty_texts} texts)",
            f"parties right on matched milestones: {self.parties_right / max(self.parties_n, 1):.3f} ({self.parties_right}/{self.parties_n}, "
            f"half the gold parties found); exactly the gold set: {self.parties_exact / max(self.parties_n, 1):.3f}",
            f"location right {self.location_right / max(self.location_n, 1):.3f} (of {self.location_n} with one), "
            f"date right {self.date_right / max(self.date_n, 1):.3f} (of {self.date_n} with one)",
            f"matched by kind: {dict(sorted(self.per_kind.items()))}",
            "errors by kind:",
        ]
        for group, items in sorted(self.errors.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            lines.append(f"  {group} ({len(items)}):")
            lines.extend(f"    {e}" for e in items[:worst])
        return "\n".join(lines)


def _canon(name: str) -> str:
    entry = load_knowledge().lookup(name)
    return normalise(entry.name if entry else name)


def _party_words(name: str) -> str:
    return re.sub(r"[^\w ]+", " ", re.sub(r"^the\s+", "", normalise(name).replace("\u2019", "'"))).strip()


def _party_covered(gold: str, ours: set[str]) -> bool:
    """A gold party is found when one of ours names it, or a part of it ("Syrian government" by "Syria")."""
    g = _party_words(gold)
    canon = _party_words(_canon(gold))
    return not g or any(
        n and (n in {g, canon} or re.search(rf"\b{re.escape(n)}\b", g) or re.search(rf"\b{re.escape(g)}\b", n)) for n in ours
    )


def _milestone_errors(item: dict[str, Any], gold: list[dict[str, Any]], unmatched: list[Any], missed: list[dict[str, Any]],
                      scores: MilestoneScores) -> None:
    """Each error under its kind: a wrong status (the kind is right), a false <kind>, a missed <kind>."""
    id_ = str(item.get("id", ""))[:24]
    extra = list(unmatched)
    for g in missed:
        same_kind = next((m for m in extra if m.kind == g["kind"]), None)
        if same_kind is not None:
            extra.remove(same_kind)
            scores.add_error(f"wrong status ({g['kind']})",
                             f"{id_}: gold {g['status']}, got {same_kind.status}: {same_kind.sentence[:100]}")
            continue
        scores.add_error(f"missed {g['kind']}", f"{id_}: {g['status']} {g.get('parties', [])}: {(g.get('evidence') or '')[:100]}")
    for m in extra:
        group = f"false {m.kind}" if gold else f"false {m.kind} (text without milestones)"
        scores.add_error(group, f"{id_}: {m.status} {m.parties}: {m.sentence[:100]}")


def _score_milestone_details(g: dict[str, Any], match: Any, scores: MilestoneScores) -> None:
    scores.per_kind[g["kind"]] += 1
    if g.get("parties"):
        scores.parties_n += 1
        ours = {_party_words(p) for p in match.parties} | {_party_words(_canon(p)) for p in match.parties}
        scores.parties_right += int(2 * sum(_party_covered(p, ours) for p in g["parties"]) >= len(g["parties"]))
        scores.parties_exact += int({_canon(p) for p in g["parties"]} == {_canon(p) for p in match.parties})
    if g.get("location"):
        scores.location_n += 1
        scores.location_right += int(normalise(g["location"]) == normalise(match.location or ""))
    if g.get("date"):
        scores.date_n += 1
        scores.date_right += int(g["date"] == match.date)


def eval_milestones(path: Path, extractor: Extractor) -> MilestoneScores:
    """Read a labelled file as it is ({"id", "text", "published"?, "milestones": [...]} per line) and score it."""
    scores = MilestoneScores()
    for item in read_jsonl(path):
        ex = extractor.extract(item["text"], parse_iso(item.get("published")), item.get("title"))
        gold = list(item.get("milestones") or [])
        scores.texts += 1
        if not gold:
            scores.empty_texts += 1
            scores.empty_false += len(ex.milestones)
        unmatched = list(ex.milestones)
        missed = []
        for g in gold:
            match = next((m for m in unmatched if (m.kind, m.status) == (g["kind"], g["status"])), None)
            if match is None:
                scores.fn += 1
                missed.append(g)
                continue
            unmatched.remove(match)
            scores.tp += 1
            _score_milestone_details(g, match, scores)
        scores.fp += len(unmatched)
        _milestone_errors(item, gold, unmatched, missed, scores)
    return scores


# -- actors ----------------------------------------------------------------------------------
TYPE_MAP = {"Person": "Person", "Organisation": "Organisation", "Location": "Location", "Nationality": "Location"}
# Pronouns and determiners: a gold mention made only of these names nobody ("we", "our", "them").
PRONOUNS = {
    "i", "me", "my", "mine", "we", "us", "our", "ours", "ourselves", "you", "your", "yours", "he", "him",
    "his", "himself", "she", "her", "hers", "herself", "it", "its", "itself", "they", "them", "their",
    "theirs", "themselves", "here", "there", "this", "that", "these", "those", "who", "whom", "which",
}
_LEADING_DETERMINERS = re.compile(r"^(?:(?:the|a|an|this|that|these|those|all|some|other|our|their|its|his|her|my|your)\s+)+", re.IGNORECASE)


def is_unnamed(text: str) -> bool:
    """A gold mention that is no named entity: a pronoun, or common nouns with no capital letter.

    "we", "them", "soldiers", "the enemy", "60 civilians" are references the annotators
    marked, but no name extractor can be asked to find them as actors.
    """
    t = text.strip().replace("\u2019", "'")
    words = [w.strip(".,;:'\"()").lower() for w in t.split()]
    if words and all(w in PRONOUNS for w in words if w):
        return True
    rest = _LEADING_DETERMINERS.sub("", t)
    return not any(c.isupper() for c in rest)


def is_nominal(text: str) -> bool:
    """A named gold mention whose head is a common noun: "ISIL-held buildings", "commander of
    U.S. Central Command", "U.S. forces". Counted in recall (capital letters inside), and
    reported apart so the recall on proper names alone can be read too."""
    rest = _LEADING_DETERMINERS.sub("", text.strip().replace("\u2019", "'"))
    head_phrase = re.split(r"\s(?:of|for|in|on|at|to|from|with)\s", rest, maxsplit=1)[0]
    words = head_phrase.split()
    return bool(words) and words[-1].strip(".,;:'\"()").islower()


def _tokens(text: str) -> tuple[str, ...]:
    out = []
    for w in normalise(text).split():
        w = re.sub(r"'s$", "", w).strip(".,;:()\"'\u201c\u201d")
        if w:
            out.append(w)
    return tuple(out)


def _covers(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """`a` occurs inside `b` as whole words ("votel" in "gen. joseph votel"; not "us" in "russia")."""
    n = len(a)
    return 0 < n <= len(b) and any(b[i : i + n] == a for i in range(len(b) - n + 1))


def _matches(names: set[tuple[str, ...]], gold: tuple[str, ...]) -> bool:
    return any(_covers(n, gold) or _covers(gold, n) for n in names)


@dataclass
class ActorScores:
    gold: Counter = field(default_factory=Counter)
    unnamed: Counter = field(default_factory=Counter)
    unnamed_found: Counter = field(default_factory=Counter)
    nominal: Counter = field(default_factory=Counter)
    nominal_found: Counter = field(default_factory=Counter)
    state_orgs: int = 0
    unscored: int = 0
    found: Counter = field(default_factory=Counter)
    predicted: Counter = field(default_factory=Counter)
    correct: Counter = field(default_factory=Counter)
    misses: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)

    def precision(self, t: str) -> float:
        return self.correct[t] / max(self.predicted[t], 1)

    def recall(self, t: str) -> float:
        return self.found[t] / max(self.gold[t], 1)

    def report(self, worst: int = 25) -> str:
        lines = [f"{'type':<13} {'precision':>9} {'recall':>7}  (named gold, predicted; unnamed gold excluded from recall)"]
        for t in ("Person", "Organisation", "Location"):
            lines.append(
                f"{t:<13} {self.precision(t):>9.3f} {self.recall(t):>7.3f}  ({self.gold[t]}, {self.predicted[t]}; "
                f"unnamed {self.unnamed[t]}, of which matched {self.unnamed_found[t]})"
            )
        lines += [
            "unnamed mentions: gold pronouns (we, they, our, them, it) and lower-case common nouns",
            "  (soldiers, units, the enemy) are no named entities; they are counted apart and left out",
            "  of recall. A prediction that matches one still counts as correct for precision.",
            "matching: one of our names or aliases occurs as whole words inside the gold text, or the",
            "  gold inside it. Nationality counts as a Location (its country).",
            "  Organisation gold that is exactly a state's name or people (\"the United States\", \"the Turks\")",
            f"  is matched by our country actors: {self.state_orgs} such gold mentions found.",
            "  Some texts are annotated only up to a point: predictions first mentioned after the",
            f"  last gold annotation of their text are not scored ({self.unscored} such predictions).",
            "proper names only (named gold less those with a lower-case head: \"U.S. forces\", \"ISIL-held",
            "  buildings\", \"commander of U.S. Central Command\"):",
            *[
                f"  {t:<13} recall {(self.found[t] - self.nominal_found[t]) / max(self.gold[t] - self.nominal[t], 1):.3f}"
                f"  ({self.gold[t] - self.nominal[t]} names; nominal phrases {self.nominal_found[t]}/{self.nominal[t]} found)"
                for t in ("Person", "Organisation", "Location")
            ],
            "some misses:",
        ]
        lines.extend(f"  {m}" for m in self.misses[:worst])
        lines.append("some wrong predictions:")
        lines.extend(f"  {m}" for m in self.wrong[:worst])
        return "\n".join(lines)


def eval_actors(path: Path, extractor: Extractor, min_confidence: float = 0.5) -> ActorScores:
    """Gold entity mentions (re3d format) against our actors' and places' names and aliases.

    A gold entity is found when one of our names or aliases of its type occurs inside it as
    whole words (or it inside one of ours); Nationality counts as a reference to its country
    (a Location), and an Organisation that is exactly a state's name or people is found by
    the country actor (re3d types a state by what it does; we type it as a country). Gold
    mentions that are pronouns or lower-case common nouns are reported apart (`unnamed`)
    and left out of recall. A predicted actor or place is correct when it matches some gold
    entity of its type.
    """
    scores = ActorScores()
    for item in read_jsonl(path):
        ex = extractor.extract(item["text"], None, item.get("title"))
        score_actor_item(item, ex, scores, min_confidence)
    return scores


def score_actor_item(item: dict[str, Any], ex: Any, scores: ActorScores, min_confidence: float = 0.5) -> ActorScores:
    """Add one text's gold entities and our Extraction `ex` of it to `scores`."""
    k = load_knowledge()
    ours: dict[str, list[tuple[str, set[tuple[str, ...]]]]] = {"Person": [], "Organisation": [], "Location": []}
    state_names: list[set[tuple[str, ...]]] = []
    annotated_end = max((int(e.get("end", 0)) for e in item.get("entities", [])), default=0)
    for a in ex.actors:
        if a.spans and min(s for s, _ in a.spans) >= annotated_end:
            scores.unscored += 1
            continue
        names = {_tokens(n) for n in [a.name, *a.aliases]}
        t = "Person" if a.kind == "person" else "Location" if a.kind == "country" else "Organisation"
        if a.kind == "country":
            names |= {_tokens(adj) for adj, e in k.adjectives.items() if e.name == a.name}
            names |= {_tokens(n) for n, e in k.names.items() if e.name == a.name}
            state_names.append(names)
        ours[t].append((a.name, names))
    for p in ex.places:
        if p.spans and min(s for s, _ in p.spans) >= annotated_end:
            scores.unscored += 1
            continue
        ours["Location"].append((p.name, {_tokens(p.name)} | {_tokens(item["text"][s:e]) for s, e in p.spans}))
    named: dict[str, set[tuple[str, ...]]] = {t: set() for t in ours}
    unnamed: dict[str, set[tuple[str, ...]]] = {t: set() for t in ours}
    texts: dict[tuple[str, ...], str] = {}
    for ent in item.get("entities", []):
        t = TYPE_MAP.get(ent.get("type", ""))
        if t is None or float(ent.get("confidence", 1)) < min_confidence:
            continue
        toks = _tokens(ent["text"])
        if not toks:
            continue
        texts[toks] = ent["text"]
        (unnamed if is_unnamed(ent["text"]) else named)[t].add(toks)
    for t in ours:
        unnamed[t] -= named[t]
        scores.gold[t] += len(named[t])
        scores.unnamed[t] += len(unnamed[t])
        for g in named[t]:
            nominal = is_nominal(texts[g])
            scores.nominal[t] += nominal
            if any(_matches(names, g) for _, names in ours[t]):
                scores.found[t] += 1
                scores.nominal_found[t] += nominal
            elif t == "Organisation" and any(g in names for names in state_names):
                scores.found[t] += 1
                scores.nominal_found[t] += nominal
                scores.state_orgs += 1
            else:
                scores.misses.append(f"{item.get('id', '')[:8]} {t}: {texts[g]}")
        scores.unnamed_found[t] += sum(1 for g in unnamed[t] if any(_matches(names, g) for _, names in ours[t]))
        golds = named[t] | unnamed[t]
        for name, names in ours[t]:
            scores.predicted[t] += 1
            if any(_matches(names, g) for g in golds) or (
                t == "Location" and names in state_names and any(g in names for g in named["Organisation"])
            ):
                scores.correct[t] += 1
            else:
                scores.wrong.append(f"{item.get('id', '')[:8]} {t}: {name}")
    return scores
