"""Ingest: read each source, extract it, store it; report what happened to every input.

Each article is stored in its own transaction, so a failure in one never touches what is
already stored and the rest of the batch goes on. Articles already in the store are
recognised by their content hash before extraction, so a re-run is cheap and idempotent.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..extract import Extractor
from ..models import Article, Extraction
from ..store import Store
from .readers import IngestError, iter_files, read_path

log = logging.getLogger(__name__)


@dataclass
class Outcome:
    source: str
    status: str  # stored | duplicate | skipped | failed
    reason: str | None = None
    article_id: int | None = None
    extraction: Extraction | None = None


@dataclass
class IngestReport:
    outcomes: list[Outcome] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def stored(self) -> int:
        return self.count("stored")

    def summary(self) -> str:
        parts = [f"{self.count(s)} {s}" for s in ("stored", "duplicate", "skipped", "failed")]
        lines = [", ".join(parts)]
        for o in self.outcomes:
            if o.status in {"skipped", "failed"}:
                lines.append(f"  {o.status}: {o.source}: {o.reason}")
        return "\n".join(lines)


def is_empty(extraction: Extraction) -> bool:
    return not (extraction.actors or extraction.places or extraction.casualties or extraction.milestones or extraction.figures)


def ingest_article(article: Article, source: str, store: Store, extractor: Extractor, user: str | None = None) -> Outcome:
    """Extract and store one article; never raises for bad content."""
    if store.has_article(article.id):
        return Outcome(source, "duplicate", "already stored")
    try:
        extraction = extractor.extract_article(article)
    except Exception as exc:  # an extractor bug must not stop the batch
        log.exception("extraction failed for %s", source)
        return Outcome(source, "failed", f"extraction failed: {exc}")
    if is_empty(extraction):
        return Outcome(source, "skipped", "no actors, places, casualties or milestones found in the text", extraction=extraction)
    result = store.save(article, extraction, user=user)
    return Outcome(source, result.status, None if result.status == "stored" else "already stored", result.article_id, extraction)


def ingest_paths(
    paths: Iterable[Path],
    store: Store,
    extractor: Extractor,
    *,
    progress: bool | None = None,
    user: str | None = None,
    on_progress: Callable[[int, int, Outcome], None] | None = None,
) -> IngestReport:
    report = IngestReport()
    files = iter_files(list(paths))
    show = sys.stderr.isatty() if progress is None else progress
    bar = None
    if show:
        from tqdm import tqdm

        bar = tqdm(total=len(files), unit="article", desc="ingest", file=sys.stderr)
    for n, path in enumerate(files, 1):
        try:
            article = read_path(path)
            outcome = ingest_article(article, str(path), store, extractor, user)
        except IngestError as exc:
            outcome = Outcome(exc.source, "failed", exc.reason)
        report.outcomes.append(outcome)
        if bar is not None:
            bar.update(1)
            bar.set_postfix(stored=report.stored, refresh=False)
        if on_progress is not None:
            on_progress(n, len(files), outcome)
    if bar is not None:
        bar.close()
    return report
