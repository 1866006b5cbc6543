"""What every rule stage shares: the Doc extensions and the guard around each stage.

The stages talk through `Doc._` extensions, registered once here. The inputs the
Extractor sets before the pipeline (`conflict_meta`) are plain JSON values, so a Doc can
travel to spaCy's worker processes and back (`nlp.pipe(n_process=N)` sends Docs as bytes).
The stages' typed results live on the Doc while the stages run; the last stage turns them
into the Extraction's JSON and clears them, for the same reason.
"""

from __future__ import annotations

import logging
import time
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from spacy.tokens import Doc

from ..budget import DEFAULT_BUDGET_S, ExtractionTimeout, time_budget

log = logging.getLogger(__name__)

# Name -> default. Working results of the stages, then the two outputs.
EXTENSIONS: dict[str, Any] = {
    "conflict_meta": None,  # {"id", "title", "published", "layout", "budget_s"}: set before the pipeline
    "conflict_deadline": None,  # time.monotonic() value after which the rule stages stop
    "conflict_layout": None,  # Layout
    "conflict_actors": None,  # ActorResult
    "conflict_casualties": None,  # CasualtyResult
    "conflict_milestones": None,  # list[Milestone]
    "conflict_quotes": None,  # list[Quote]
    "conflict_relations": None,  # list[Relation]
    "conflict_error": None,  # why this Doc has no extraction ("extraction took longer than 20 s")
    "extraction": None,  # the Extraction as a dict (EXTRACTION.md), set by the last stage
}
WORKING = ("conflict_layout", "conflict_actors", "conflict_casualties", "conflict_milestones",
           "conflict_quotes", "conflict_relations", "conflict_deadline")


def register_extensions() -> None:
    for name, default in EXTENSIONS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)


register_extensions()


def meta(doc: Doc) -> dict[str, Any]:
    return doc._.conflict_meta or {}


def _budget(doc: Doc) -> AbstractContextManager[None]:
    """The rest of the article's budget, for one stage (none if the Doc carries no deadline)."""
    deadline = doc._.conflict_deadline
    if deadline is None:
        return nullcontext()
    seconds = float(meta(doc).get("budget_s") or DEFAULT_BUDGET_S)
    left = deadline - time.monotonic()
    if left <= 0:
        raise ExtractionTimeout(seconds)
    return time_budget(left, report_as=seconds)


class RuleStage:
    """A rule stage: `run(doc)` does the work; `__call__` guards it.

    A Doc already marked failed is passed on untouched. A stage that raises or runs past
    the article's budget marks the Doc failed with the reason and passes it on.
    """

    name = "conflict_stage"

    def run(self, doc: Doc) -> None:
        raise NotImplementedError

    def __call__(self, doc: Doc) -> Doc:
        if doc._.conflict_error is not None:
            return doc
        try:
            with _budget(doc):
                self.run(doc)
        except ExtractionTimeout as exc:
            doc._.conflict_error = str(exc)
        except Exception as exc:  # noqa: BLE001 - one article's failure must not stop the batch
            log.exception("%s failed on a document of %d characters", self.name, len(doc.text))
            doc._.conflict_error = f"extraction failed in {self.name}: {type(exc).__name__}: {exc}"
        return doc
