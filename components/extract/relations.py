"""Who appears with whom: actors named in one sentence, and the parties of milestones."""

from __future__ import annotations

from collections import Counter
from itertools import combinations

from spacy.tokens import Doc

from ..models import Milestone, Relation
from .actors import ActorResult
from .layout import Layout
from .lexicon import load_lexicon

MILESTONE_RELATION: dict[str, str] = load_lexicon("relations").mapping("MILESTONE_RELATION")


def extract_relations(doc: Doc, layout: Layout, actors: ActorResult, milestones: list[Milestone]) -> list[Relation]:
    """Pairs sorted by name so (A, B) and (B, A) are one relation; weight counts sentences or milestones."""
    kept = {a.name for a in actors.actors if a.kind != "media"}
    pairs: Counter[tuple[str, str, str]] = Counter()
    for sent in doc.sents:
        if layout.is_excluded(sent.start_char, sent.end_char):
            continue
        names = sorted({m.name for m in actors.starting_in(sent.start_char, sent.end_char, "actor") if m.name in kept})
        for a, b in combinations(names, 2):
            pairs[(a, b, "co-occurrence")] += 1
    for m in milestones:
        kind = MILESTONE_RELATION.get(m.kind, "negotiates")
        for a, b in combinations(sorted(set(m.parties)), 2):
            pairs[(a, b, kind)] += 1
    return [Relation(a, b, kind, n) for (a, b, kind), n in sorted(pairs.items())]
