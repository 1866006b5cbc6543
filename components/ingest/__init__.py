"""Readers and the ingest pipeline: sources in, stored articles and extractions out.

readers (text, Markdown, HTML), formats (PDF, DOCX), tables (CSV/TSV/JSONL/JSON batches),
archives (zip), web (links), feeds (RSS/Atom) -> sources (any input -> a stream of Items)
-> pipeline (language check, extraction, storage, near-duplicate stories, the report).
"""

from .readers import IngestError, article_from_text, read_bytes, read_path

__all__ = ["IngestError", "article_from_text", "read_bytes", "read_path"]
