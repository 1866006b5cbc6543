"""Which extractor produced an extraction: the rules' version, the knowledge's and the model's."""

from __future__ import annotations

from spacy.language import Language

from .knowledge import load_knowledge

# Bump when a change to the rules or the shipped knowledge changes what is extracted;
# stored extractions record it, so they can be re-run with a newer extractor.
EXTRACTOR_VERSION = "0.2.0"  # rules for real reporting: casualties, milestones, actors and places


def extractor_version() -> str:
    return f"{EXTRACTOR_VERSION}+kb{load_knowledge().version}"


def model_label(nlp: Language) -> str:
    meta = nlp.meta
    return f"{meta.get('lang', 'en')}_{meta.get('name', 'blank')}-{meta.get('version', '0')}"
