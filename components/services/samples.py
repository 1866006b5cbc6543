"""The team's illustrative sample articles, loaded into a database (the CLI and the app's first start)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..store import Store
from .ingest import IngestReport, ingest_paths

SAMPLES_DIR = Path(__file__).resolve().parents[2] / "data" / "samples" / "articles"


def load_samples(store: Store, extractor: Any, progress: bool | None = None) -> IngestReport:
    """Ingest every sample article (stored once: a second load finds them all duplicates)."""
    return ingest_paths([SAMPLES_DIR], store, extractor, progress=progress)
