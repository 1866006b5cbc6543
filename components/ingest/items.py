"""What every source yields: one Item per article, or per input that could not be read."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..models import Article
from .readers import IngestError

if TYPE_CHECKING:
    from .pipeline import Outcome


@dataclass
class Item:
    """An article read from `source` (a file, "file.csv row 7", "a.zip!b.txt", a URL), or why not.

    `on_done` is called with the item's final outcome (feeds use it to remember entries).
    """

    source: str
    article: Article | None = None
    error: str | None = None
    on_done: Callable[[Outcome], None] | None = None

    @classmethod
    def failed(cls, exc: IngestError) -> Item:
        return cls(exc.source, error=exc.reason)
