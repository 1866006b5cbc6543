"""Extraction: spaCy plus our rules turn article text into an Extraction.

`Extractor` is imported on first use, and spaCy with it: a command that only needs a
helper of this package (`dates.parse_iso` for the CLI's arguments) does not load spaCy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .extractor import EXTRACTOR_VERSION, Extractor

__all__ = ["EXTRACTOR_VERSION", "Extractor"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import extractor

        return getattr(extractor, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
