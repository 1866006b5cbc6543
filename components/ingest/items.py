"""What every source yields: one Item per article, or per input that could not be read."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..models import Article
from .readers import IngestError


@dataclass
class Item:
    """An article read from `source` (a file, "file.csv row 7", "a.zip!b.txt", a URL), or why not.

    `on_done` is called with the item's final outcome (feeds use it to remember entries): the
    ingest run (services/ingest.py) passes its `Outcome`, which the readers need not know.
    """

    source: str
    article: Article | None = None
    error: str | None = None
    on_done: Callable[[Any], None] | None = None

    @classmethod
    def failed(cls, exc: IngestError) -> Item:
        return cls(exc.source, error=exc.reason)
