"""The rule stages, one spaCy component each (see the package docstring for the order)."""

from __future__ import annotations

import time
from datetime import date
from typing import Any, TypeVar

from spacy.language import Language
from spacy.tokens import Doc

from ...models import Extraction, content_hash
from ..actors import ActorExtractor
from ..budget import DEFAULT_BUDGET_S
from ..casualties import CasualtyExtractor
from ..knowledge import load_knowledge
from ..layout import Layout, find_layout
from ..milestones import MilestoneExtractor
from ..quotes import QuoteExtractor
from ..relations import extract_relations
from ..version import extractor_version, model_label
from .stage import WORKING, RuleStage, meta

S = TypeVar("S", bound=RuleStage)


def _named(stage: S, name: str) -> S:
    stage.name = name
    return stage


def layout_from_meta(value: dict[str, Any] | None) -> Layout | None:
    """A Layout from its JSON form (lists where the dataclass has tuples)."""
    if not value:
        return None
    return Layout(
        title=value.get("title"),
        title_span=tuple(value["title_span"]) if value.get("title_span") else None,  # type: ignore[arg-type]
        dateline=value.get("dateline"),
        dateline_span=tuple(value["dateline_span"]) if value.get("dateline_span") else None,  # type: ignore[arg-type]
        excluded=[(int(s), int(e)) for s, e in value.get("excluded") or []],
    )


def published_of(doc: Doc) -> date | None:
    value = meta(doc).get("published")
    return date.fromisoformat(value) if value else None


class LayoutStage(RuleStage):
    """Starts the article's time budget, and finds its layout unless the Extractor did.

    The Extractor finds the layout before parsing (it blanks the dateline for the parser)
    and hands it over in `conflict_meta`; a Doc made by `nlp(text)` directly gets it here.
    """

    def __init__(self, budget_s: float = DEFAULT_BUDGET_S):
        self.budget_s = budget_s

    def __call__(self, doc: Doc) -> Doc:
        given = meta(doc).get("budget_s")
        seconds = float(self.budget_s if given is None else given)
        if doc._.conflict_meta is None:
            doc._.conflict_meta = {}
        doc._.conflict_meta.setdefault("budget_s", seconds)
        doc._.conflict_deadline = time.monotonic() + seconds if seconds > 0 else None
        return super().__call__(doc)

    def run(self, doc: Doc) -> None:
        doc._.conflict_layout = layout_from_meta(meta(doc).get("layout")) or find_layout(doc.text, meta(doc).get("title"))


class ActorStage(RuleStage):
    def __init__(self) -> None:
        self.extractor = ActorExtractor(load_knowledge())

    def run(self, doc: Doc) -> None:
        doc._.conflict_actors = self.extractor.extract(doc, doc._.conflict_layout)


class CasualtyStage(RuleStage):
    def __init__(self) -> None:
        self.extractor = CasualtyExtractor(load_knowledge())

    def run(self, doc: Doc) -> None:
        doc._.conflict_casualties = self.extractor.extract(doc, doc._.conflict_layout, doc._.conflict_actors, published_of(doc))


class MilestoneStage(RuleStage):
    def __init__(self) -> None:
        self.extractor = MilestoneExtractor()

    def run(self, doc: Doc) -> None:
        figures = doc._.conflict_casualties.figures
        doc._.conflict_milestones = self.extractor.extract(doc, doc._.conflict_layout, doc._.conflict_actors, figures, published_of(doc))


class QuoteStage(RuleStage):
    def __init__(self) -> None:
        self.extractor = QuoteExtractor(load_knowledge())

    def run(self, doc: Doc) -> None:
        doc._.conflict_quotes = self.extractor.extract(doc, doc._.conflict_layout, doc._.conflict_actors)


class RelationStage(RuleStage):
    def run(self, doc: Doc) -> None:
        doc._.conflict_relations = extract_relations(doc, doc._.conflict_layout, doc._.conflict_actors, doc._.conflict_milestones)


class ExtractionStage(RuleStage):
    """The Extraction's JSON on `doc._.extraction`; the working results are cleared.

    Clearing keeps the Doc serialisable (spaCy's worker processes send Docs back as bytes),
    and so does dropping the model's tensor, which nothing after the parser reads and
    which is most of a Doc's bytes.
    """

    def __init__(self, version: str, model: str):
        self.version = version
        self.model = model

    def __call__(self, doc: Doc) -> Doc:
        doc = super().__call__(doc)
        for name in WORKING:
            setattr(doc._, name, None)
        doc.tensor = doc.tensor[:0]
        return doc

    def run(self, doc: Doc) -> None:
        info = meta(doc)
        layout: Layout = doc._.conflict_layout
        actors, casualties = doc._.conflict_actors, doc._.conflict_casualties
        doc._.extraction = Extraction(
            id=info.get("id") or content_hash(doc.text),
            title=info.get("title") or layout.title,
            published=info.get("published"),
            dateline=layout.dateline,
            actors=actors.actors,
            places=actors.places,
            casualties=casualties.casualties,
            totals=casualties.totals,
            figures=casualties.figures,
            milestones=doc._.conflict_milestones,
            quotes=doc._.conflict_quotes,
            relations=doc._.conflict_relations,
            extractor_version=self.version,
            model=self.model,
        ).to_dict()


@Language.factory("conflict_layout", default_config={"budget_s": DEFAULT_BUDGET_S})
def make_layout_stage(nlp: Language, name: str, budget_s: float) -> LayoutStage:
    """`budget_s`: seconds the rule stages may spend on one article (0: no limit)."""
    return _named(LayoutStage(budget_s), name)


@Language.factory("conflict_actors")
def make_actor_stage(nlp: Language, name: str) -> ActorStage:
    return _named(ActorStage(), name)


@Language.factory("conflict_casualties")
def make_casualty_stage(nlp: Language, name: str) -> CasualtyStage:
    return _named(CasualtyStage(), name)


@Language.factory("conflict_milestones")
def make_milestone_stage(nlp: Language, name: str) -> MilestoneStage:
    return _named(MilestoneStage(), name)


@Language.factory("conflict_quotes")
def make_quote_stage(nlp: Language, name: str) -> QuoteStage:
    return _named(QuoteStage(), name)


@Language.factory("conflict_relations")
def make_relation_stage(nlp: Language, name: str) -> RelationStage:
    return _named(RelationStage(), name)


@Language.factory("conflict_extraction", default_config={"version": "", "model": ""})
def make_extraction_stage(nlp: Language, name: str, version: str, model: str) -> ExtractionStage:
    """`version` and `model` default to this extractor's and the pipeline's own."""
    return _named(ExtractionStage(version or extractor_version(), model or model_label(nlp)), name)
