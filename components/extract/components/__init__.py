"""The rule stages as spaCy pipeline components, in the order they run after the model.

    conflict_layout      the article's layout (title, dateline, credits) and its time budget
    conflict_actors      actors and places, with every mention        -> doc._.conflict_actors
    conflict_casualties  casualty tolls and other figures             -> doc._.conflict_casualties
    conflict_milestones  negotiation milestones with their status     -> doc._.conflict_milestones
    conflict_quotes      quotes and their speakers                    -> doc._.conflict_quotes
    conflict_relations   who meets, negotiates or appears with whom   -> doc._.conflict_relations
    conflict_extraction  the Extraction (JSON-ready)                  -> doc._.extraction

Each is registered with `@Language.factory` (see `stage.py` for what they share: a stage
that fails or runs out of time marks the Doc with `doc._.conflict_error` and the stages
after it leave that Doc alone, so one article never stops a batch).
"""

from __future__ import annotations

from spacy.language import Language

from . import stages  # noqa: F401 - registers the factories
from .stage import register_extensions

RULE_STAGES: tuple[str, ...] = (
    "conflict_layout",
    "conflict_actors",
    "conflict_casualties",
    "conflict_milestones",
    "conflict_quotes",
    "conflict_relations",
    "conflict_extraction",
)


def add_rule_stages(nlp: Language) -> Language:
    """Add the rule stages (those not there yet) at the end of `nlp`, in order."""
    register_extensions()
    for name in RULE_STAGES:
        if name not in nlp.pipe_names:
            nlp.add_pipe(name)
    return nlp


__all__ = ["RULE_STAGES", "add_rule_stages", "register_extensions"]
