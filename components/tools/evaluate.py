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
        ex = extractor.extract(item["text"], parse_date_value(item.get("published")), item.get("title"))
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
# Strict matching (issue 14): a gold span counts when one of our items of a compatible kind
# bears that very name (or alias); each of our items must bear a name some gold span gives.
# Leading determiners and titles may be dropped on both sides; a person may drop given names.
GOLD_KINDS = {
    "Person": frozenset({"person"}),
    "Organisation": frozenset({"organization", "organisation", "armed_group", "country"}),
    "Location": frozenset({"place", "country"}),
}
_DETERMINERS = frozenset(
    ["i", "me", "my", "we", "us", "our", "they", "them", "their", "it", "its", "he", "him", "his", "she", "her", "you", "your", "the", "a", "an", "one", "another", "this", "that", "these", "those", "all", "both", "some", "every", "here", "there", "mr", "mrs", "ms", "dr"]
)
_TITLES = frozenset(
    ["secretary", "minister", "prime", "foreign", "president", "spokesman", "spokeswoman", "spokesperson", "head", "deputy", "defence", "defense", "general", "chief", "commander", "ambassador", "envoy", "office", "king", "queen", "prince"]
)


def _plain_words(text: str) -> list[str]:
    t = (text or "").lower().replace("\u2019", "'").strip()
    t = re.sub(r"'s$", "", t)
    return re.sub(r"[^\w ]+", " ", t).split()


def _strict_form(text: str) -> str:
    """The words that must match: punctuation, a possessive, leading determiners and titles gone."""
    words = _plain_words(text)
    while words and (words[0] in _DETERMINERS or words[0] in _TITLES):
        words = words[1:]
    return " ".join(words)


def strict_match(gold: str, gold_type: str, ours: str) -> bool:
    """Our name `ours` names the gold span: the same words once determiners and titles are
    dropped; for a person, the same surname and no word the gold does not have."""
    g, n = _strict_form(gold), _strict_form(ours)
    if not g or not n:
        return False
    if g == n:
        return True
    if gold_type == "Person":
        gw, nw = g.split(), n.split()
        return gw[-1] == nw[-1] and set(nw) <= set(gw)
    return False


def is_named(text: str, gold_type: str) -> bool:
    """A gold span with a capitalised word that is no determiner (nor, for a person, a title)."""
    caps = [w for w in re.findall(r"[\w'-]+", text) if w[:1].isupper() and w.lower() not in _DETERMINERS]
    if gold_type == "Person":
        caps = [w for w in caps if w.lower() not in _TITLES]
    return bool(caps)


@dataclass(frozen=True)
class _Item:
    kind: str
    names: frozenset[str]
    shown: str
    written: tuple[str, ...]  # the text at each of its spans


def _items_of(ex: Any, text: str) -> list[_Item]:
    out = [
        _Item((a.kind or "other").lower(), frozenset({a.name, *a.aliases}), a.name, tuple(text[s:e] for s, e in a.spans))
        for a in ex.actors
    ]
    out += [_Item("place", frozenset({p.name, *getattr(p, "aliases", [])}), p.name, tuple(text[s:e] for s, e in p.spans)) for p in ex.places]
    return out


def _miss_cause(gold: str, gold_type: str, items: list[_Item]) -> str:
    """Why a gold span was not found, in words a rule writer can act on."""
    if gold_type == "Person" and not _strict_form(gold):
        return "title or rank only"
    if any(strict_match(gold, gold_type, n) for it in items for n in it.names):
        return "found under another kind"
    if is_nominal(gold):
        return "a description (common-noun head)"
    g = _strict_form(gold)
    if g and any(
        (n := _strict_form(name)) and (re.search(rf"\b{re.escape(n)}\b", g) or re.search(rf"\b{re.escape(g)}\b", n))
        for it in items
        for name in it.names
    ):
        return "found with other bounds (a part of it, or more)"
    return "not found"


def _extra_cause(item: _Item, golds: list[tuple[str, str]]) -> str:
    """Why one of our items bears no name the gold marks."""
    if any(strict_match(g, t, n) for g, t in golds for n in item.names):
        return "the gold has it under another kind"
    if any(
        (n := _strict_form(name)) and (g := _strict_form(gtext)) and (re.search(rf"\b{re.escape(n)}\b", g) or re.search(rf"\b{re.escape(g)}\b", n))
        for gtext, _ in golds
        for name in item.names
    ):
        return "other bounds than the gold's"
    k = load_knowledge()
    if item.kind == "country" and item.written and all(normalise(w) in k.adjectives for w in item.written):
        return "a state named only by its adjective"
    return "not marked in the gold"


def is_nominal(text: str) -> bool:
    """A gold span whose head is a common noun: "ISIL-held buildings", "U.S. forces"."""
    rest = re.sub(r"^(?:(?:the|a|an|our|their|its|his|her)\s+)+", "", text.strip().replace("\u2019", "'"), flags=re.IGNORECASE)
    head_phrase = re.split(r"\s(?:of|for|in|on|at|to|from|with)\s", rest, maxsplit=1)[0]
    words = head_phrase.split()
    return bool(words) and words[-1].strip(".,;:'\"()").islower()


@dataclass
class ActorScores:
    gold: Counter = field(default_factory=Counter)
    found: Counter = field(default_factory=Counter)
    items: int = 0
    items_right: int = 0
    misses: dict[str, Counter] = field(default_factory=dict)  # cause -> "Type: text" -> count
    extras: dict[str, Counter] = field(default_factory=dict)  # cause -> "kind: name" -> count

    def recall(self, t: str) -> float:
        return self.found[t] / max(self.gold[t], 1)

    def precision(self) -> float:
        return self.items_right / max(self.items, 1)

    def report(self, worst: int = 12) -> str:
        lines = [
            "strict matching: an item of a compatible kind must bear the gold's name (or alias); determiners",
            "  and titles aside, a person may drop given names; every person, body, state and place we give must",
            "  bear a name the gold marks (gold: Person, Organisation, Location with confidence >= 0.5, named).",
            *[f"recall {t:<13} {self.recall(t):.3f}  ({self.found[t]}/{self.gold[t]})" for t in GOLD_KINDS],
            f"precision            {self.precision():.3f}  ({self.items_right}/{self.items})",
            "misses, by cause:",
        ]
        for cause, c in sorted(self.misses.items(), key=lambda kv: -sum(kv[1].values())):
            lines.append(f"  {cause}: {sum(c.values())}")
            lines.extend(f"    {n} x {text}" for text, n in c.most_common(worst))
        lines.append("items not in the gold, by cause:")
        for cause, c in sorted(self.extras.items(), key=lambda kv: -sum(kv[1].values())):
            lines.append(f"  {cause}: {sum(c.values())}")
            lines.extend(f"    {n} x {text}" for text, n in c.most_common(worst))
        return "\n".join(lines)


def eval_actors(path: Path, extractor: Extractor, min_confidence: float = 0.5) -> ActorScores:
    """Gold entity spans (re3d format: `entities` with type, text, confidence) against our
    actors' and places' names and aliases, strictly (see `strict_match`)."""
    scores = ActorScores()
    for item in read_jsonl(path):
        ex = extractor.extract(item["text"])
        score_actor_item(item, ex, scores, min_confidence)
    return scores


def score_actor_item(item: dict[str, Any], ex: Any, scores: ActorScores, min_confidence: float = 0.5) -> ActorScores:
    """Add one text's gold spans and our Extraction `ex` of it to `scores`."""
    items = _items_of(ex, item["text"])
    golds = [
        (e["text"], e["type"])
        for e in item.get("entities", [])
        if float(e.get("confidence") or 0) >= min_confidence and e.get("type") in GOLD_KINDS and is_named(e["text"], e["type"])
    ]
    for text, t in golds:
        scores.gold[t] += 1
        if any(it.kind in GOLD_KINDS[t] and any(strict_match(text, t, n) for n in it.names) for it in items):
            scores.found[t] += 1
        else:
            scores.misses.setdefault(_miss_cause(text, t, items), Counter())[f"{t}: {text}"] += 1
    for it in items:
        if it.kind == "other":
            continue
        scores.items += 1
        if any(it.kind in GOLD_KINDS[t] and any(strict_match(g, t, n) for n in it.names) for g, t in golds):
            scores.items_right += 1
        else:
            scores.extras.setdefault(_extra_cause(it, golds), Counter())[f"{it.kind}: {it.shown}"] += 1
    return scores
