"""Extraction: spaCy plus our rules turn article text into an Extraction."""

from .extractor import EXTRACTOR_VERSION, Extractor

__all__ = ["EXTRACTOR_VERSION", "Extractor"]
