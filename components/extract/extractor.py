"""From article text to one Extraction: the spaCy pipeline, then our rule stages."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date

from spacy.language import Language
from spacy.tokens import Doc

from ..models import Article, Extraction, content_hash
from .actors import ActorExtractor
from .casualties import CasualtyExtractor
from .knowledge import load_knowledge
from .layout import Layout, find_layout
from .milestones import MilestoneExtractor
from .nlp import clean_text, load_pipeline, model_label
from .quotes import QuoteExtractor
from .relations import extract_relations

# Bump when a change to the rules or the shipped knowledge changes what is extracted;
# stored extractions record it, so they can be re-run with a newer extractor.
EXTRACTOR_VERSION = "0.1.0"


def prepare(text: str, title: str | None = None) -> tuple[str, str, Layout]:
    """The cleaned text, the text the parser reads, and the story's layout.

    The parser reads the text with the dateline ("KABUL (Reuters) -") blanked out, same
    length so every offset still points into the article: a dateline read as part of the
    lead's first sentence makes the small model parse that sentence wrongly.
    """
    text = clean_text(text)
    layout = find_layout(text, title)
    masked = text
    if layout.dateline_span:
        s, e = layout.dateline_span
        masked = text[:s] + " " * (e - s) + text[e:]
    return text, masked, layout


class Extractor:
    """Holds the loaded pipeline and the rule stages; `extract` is a pure function of text."""

    def __init__(self, nlp: Language | None = None, model: str | None = None):
        self.nlp = nlp if nlp is not None else load_pipeline(model)
        self.knowledge = load_knowledge()
        self.actors = ActorExtractor(self.knowledge)
        self.casualties = CasualtyExtractor(self.knowledge)
        self.milestones = MilestoneExtractor()
        self.quotes = QuoteExtractor(self.knowledge)
        self.version = f"{EXTRACTOR_VERSION}+kb{self.knowledge.version}"
        self.model = model_label(self.nlp)

    def extract(self, text: str, published: date | None = None, title: str | None = None, id: str | None = None) -> Extraction:
        text, masked, layout = prepare(text, title)
        return self.from_doc(self.nlp(masked), published, title, id or content_hash(text), layout)

    def extract_article(self, article: Article) -> Extraction:
        return self.extract(article.text, article.published, article.title)

    def pipe(self, articles: Iterable[Article], batch_size: int = 32, n_process: int = 1) -> Iterator[tuple[Article, Extraction]]:
        """Extract many articles, batching the spaCy pipeline."""
        def prepared() -> Iterator[tuple[str, tuple[Article, str, Layout]]]:
            for a in articles:
                text, masked, layout = prepare(a.text, a.title)
                yield masked, (a, content_hash(text), layout)

        for doc, (article, key, layout) in self.nlp.pipe(prepared(), as_tuples=True, batch_size=batch_size, n_process=n_process):
            yield article, self.from_doc(doc, article.published, article.title, key, layout)

    def from_doc(self, doc: Doc, published: date | None = None, title: str | None = None, id: str | None = None,
                 layout: Layout | None = None) -> Extraction:
        layout = layout or find_layout(doc.text, title)
        actors = self.actors.extract(doc, layout)
        casualties = self.casualties.extract(doc, layout, actors, published)
        milestones = self.milestones.extract(doc, layout, actors, casualties.figures, published)
        quotes = self.quotes.extract(doc, layout, actors)
        return Extraction(
            id=id or content_hash(doc.text),
            title=title or layout.title,
            published=published.isoformat() if published else None,
            dateline=layout.dateline,
            actors=actors.actors,
            places=actors.places,
            casualties=casualties.casualties,
            totals=casualties.totals,
            figures=casualties.figures,
            milestones=milestones,
            quotes=quotes,
            relations=extract_relations(doc, layout, actors, milestones),
            extractor_version=self.version,
            model=self.model,
        )
