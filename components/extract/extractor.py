"""From article text to one Extraction: the spaCy pipeline does it all; this reads the result.

The pipeline is the model followed by our rule stages (`components/`), so `nlp.pipe` with
`n_process=N` runs the whole extraction in N worker processes. The Extractor prepares each
article (clean text, layout, the dateline blanked for the parser), hands it to the pipeline
as a Doc carrying its metadata, and reads `doc._.extraction`, or the reason there is none.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from datetime import date

from spacy.language import Language
from spacy.tokens import Doc

from ..models import Article, Extraction, content_hash
from .budget import default_budget
from .components import RULE_STAGES
from .knowledge import load_knowledge
from .layout import Layout, find_layout
from .nlp import add_components, clean_text, load_pipeline
from .version import EXTRACTOR_VERSION, extractor_version, model_label

__all__ = ["EXTRACTOR_VERSION", "ExtractionError", "Extractor", "prepare"]


class ExtractionError(Exception):
    """No extraction for this article, with the reason (a time-out, a failing stage)."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


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
    """Holds the loaded pipeline; `extract` is a pure function of text.

    `budget_s`: the time the rule stages may spend on one article before it is reported
    as failed ("extraction took longer than 20 s"); 0 for no limit; None: `default_budget()`.
    """

    def __init__(self, nlp: Language | None = None, model: str | None = None, budget_s: float | None = None):
        self.nlp = add_components(nlp) if nlp is not None else load_pipeline(model)
        self.knowledge = load_knowledge()
        self.version = extractor_version()
        self.model = model_label(self.nlp)
        self.budget_s = default_budget() if budget_s is None else budget_s

    def make_doc(self, text: str, published: date | None = None, title: str | None = None, id: str | None = None) -> Doc:
        """The article as a tokenised Doc carrying what the rule stages need to know of it."""
        text, masked, layout = prepare(text, title)
        doc = self.nlp.make_doc(masked)
        doc._.conflict_meta = {
            "id": id or content_hash(text),
            "title": title,
            "published": published.isoformat() if published else None,
            "layout": asdict(layout),
            "budget_s": self.budget_s,
        }
        return doc

    def extract(self, text: str, published: date | None = None, title: str | None = None, id: str | None = None) -> Extraction:
        """The Extraction of one article; raises ExtractionError when there is none."""
        return self.read(self.nlp(self.make_doc(text, published, title, id)))

    def extract_article(self, article: Article) -> Extraction:
        return self.extract(article.text, article.published, article.title)

    def pipe(self, articles: Iterable[Article], batch_size: int = 32, n_process: int = 1) -> Iterator[tuple[Article, Extraction | ExtractionError]]:
        """Each article with its Extraction, or the ExtractionError that stopped it, in order.

        An article that fails is reported in its place; the batch goes on.
        """
        pending: deque[Article] = deque()
        for doc in self.nlp.pipe(self._docs(articles, pending), batch_size=batch_size, n_process=n_process):
            article = pending.popleft()
            try:
                yield article, self.read(doc)
            except ExtractionError as exc:
                yield article, exc

    def _docs(self, articles: Iterable[Article], pending: deque[Article]) -> Iterator[Doc]:
        """The articles as Docs, each remembered in `pending` until its Doc comes back."""
        for article in articles:
            pending.append(article)
            yield self.make_doc(article.text, article.published, article.title)

    def parse(self, articles: Iterable[Article], batch_size: int = 32) -> Iterator[tuple[Article, Doc]]:
        """Each article as a Doc the model has annotated, in order; the rule stages not run yet.

        With `finish`, the two halves of `pipe`: the caller may run the rule stages in
        another thread, where they overlap the model's matrix products (which release the
        GIL). A long or all-capital text comes back finished already; `finish` knows.
        """
        pending: deque[Article] = deque()
        for doc in self.nlp.pipe(self._docs(articles, pending), batch_size=batch_size, disable=list(RULE_STAGES)):
            yield pending.popleft(), doc

    def finish(self, doc: Doc) -> Extraction:
        """The Extraction of a Doc from `parse`: the rule stages run here (any thread)."""
        if doc._.extraction is None and doc._.conflict_error is None:
            for name, stage in self.nlp.pipeline:
                if name in RULE_STAGES:
                    doc = stage(doc)
        return self.read(doc)

    def read(self, doc: Doc) -> Extraction:
        """The Extraction the pipeline left on `doc`."""
        if doc._.conflict_error is not None:
            raise ExtractionError(doc._.conflict_error)
        if doc._.extraction is None:
            raise ExtractionError("the rule stages did not run on this document")
        return Extraction.from_dict(doc._.extraction)
