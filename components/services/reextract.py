"""Re-running a newer extractor over stored articles, keeping the analysts' corrections."""

from __future__ import annotations

from typing import Any

from ..store import Store


def reextract(store: Store, extractor: Any, *, every_article: bool = False) -> tuple[int, int]:
    """(articles re-extracted, corrections that found no item to apply to).

    Only the articles an older extractor version made, unless `every_article`.
    """
    if every_article:
        ids = store.articles()["id"].astype(int).tolist()
    else:
        ids = store.stale_articles(extractor.version)
    orphaned = 0
    for article_id in ids:
        article = store.article(article_id)
        if article is None:
            continue
        extraction = extractor.extract(article["text"], article["published"], article["title"])
        orphaned += len(store.replace_extraction(article_id, extraction))
    return len(ids), orphaned
