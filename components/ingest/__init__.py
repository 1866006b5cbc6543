"""Readers only: files, tables, archives, links and feeds in, Articles out (no store, no extraction).

readers (text, Markdown, HTML), formats (PDF, DOCX), tables (CSV/TSV/JSONL/JSON batches),
archives (zip), web (links), feeds (RSS/Atom) -> sources (any input -> a stream of Items);
language tells the language of a text. The ingest run that extracts and stores the Items
is `components/services/ingest.py`.
"""

from .readers import IngestError, article_from_text, read_bytes, read_path

__all__ = ["IngestError", "article_from_text", "read_bytes", "read_path"]
