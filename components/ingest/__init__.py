"""Readers and the ingest pipeline: sources in, stored articles and extractions out."""

from .readers import IngestError, article_from_text, read_bytes, read_path

__all__ = ["IngestError", "article_from_text", "read_bytes", "read_path"]
