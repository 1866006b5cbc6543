"""Ingest: read each source, extract it, store it; report what happened to every input.

Each article is stored in its own transaction, so a failure in one never touches what is
already stored and the rest of the batch goes on. Articles already in the store are
recognised by their content hash before extraction, so a re-run (or a run resumed after
an interruption) is cheap and idempotent. Batches stream: sources are read as the
extractor asks for articles, and `Extractor.pipe` batches the spaCy pipeline, over
several processes when asked. Non-English articles are stored as skipped, with their
language; near-duplicates of stored articles join their story (see `dedupe`).
"""

from __future__ import annotations

import gc
import itertools
import logging
import queue
import sys
import threading
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spacy.tokens import Doc
from sqlalchemy.exc import SQLAlchemyError

from ..extract import Extractor
from ..extract.extractor import ExtractionError
from ..ingest.items import Item
from ..ingest.language import detect_language
from ..ingest.readers import IngestError
from ..ingest.sources import estimate_count, iter_inputs
from ..ingest.tables import ColumnMap
from ..models import Article, Extraction
from ..store import Store
from ..store.stories import story_index

log = logging.getLogger(__name__)

NO_CONTENT = "no actors, places, casualties or milestones found in the text"
SUMMARY_LIST_LIMIT = 25  # above this many problems, the summary groups them by reason


@dataclass
class Outcome:
    source: str
    status: str  # stored | duplicate | skipped | failed
    reason: str | None = None
    article_id: int | None = None
    extraction: Extraction | None = None
    story_id: int | None = None  # the story a stored article joined (its own id when new)
    language: str | None = None


@dataclass
class IngestReport:
    outcomes: list[Outcome] = field(default_factory=list)
    interrupted: bool = False
    _with_extraction: int | None = field(default=None, repr=False)

    def add(self, outcome: Outcome) -> None:
        # Keep only the latest extraction: a batch of 10,000 must not hold 10,000 extractions.
        if outcome.extraction is not None:
            if self._with_extraction is not None:
                self.outcomes[self._with_extraction].extraction = None
            self._with_extraction = len(self.outcomes)
        self.outcomes.append(outcome)

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def stored(self) -> int:
        return self.count("stored")

    @property
    def near_duplicates(self) -> int:
        """Stored articles that joined the story of an earlier article."""
        return sum(1 for o in self.outcomes if o.status == "stored" and o.story_id is not None and o.story_id != o.article_id)

    def summary(self) -> str:
        parts = [f"{self.count(s)} {s}" for s in ("stored", "duplicate", "skipped", "failed")]
        first = ", ".join(parts)
        if self.near_duplicates:
            first += f" ({self.near_duplicates} of the stored joined the story of a near-duplicate)"
        if self.interrupted:
            first += "; interrupted: run the same command again to resume"
        lines = [first]
        problems = [o for o in self.outcomes if o.status in {"skipped", "failed"}]
        if len(problems) <= SUMMARY_LIST_LIMIT:
            lines.extend(f"  {o.status}: {o.source}: {o.reason}" for o in problems)
            return "\n".join(lines)
        groups: dict[tuple[str, str], list[str]] = {}
        for o in problems:
            groups.setdefault((o.status, o.reason or ""), []).append(o.source)
        for (status, reason), sources in sorted(groups.items(), key=lambda kv: (kv[0][0], -len(kv[1]))):
            shown = ", ".join(sources[:3]) + (f" and {len(sources) - 3} more" if len(sources) > 3 else "")
            lines.append(f"  {status} ({len(sources)}): {reason}: {shown}")
        return "\n".join(lines)

    def reasons(self) -> Counter[str]:
        return Counter(f"{o.status}: {o.reason}" for o in self.outcomes if o.status in {"skipped", "failed"})


def is_empty(extraction: Extraction) -> bool:
    return not (extraction.actors or extraction.places or extraction.casualties or extraction.milestones or extraction.figures)


# -- one article -----------------------------------------------------------------------------

def _story(store: Store, article_id: int, text: str, stories: Any, write: bool = True) -> int | None:
    if stories is False:
        return None
    try:
        if stories is None or stories is True:
            stories = story_index(store)
        return int(stories.assign(article_id, text, write=write))
    except Exception:  # the article is stored; a missing story id is filled in on the next run
        log.exception("could not group article %s into a story", article_id)
        return None


def _before_extraction(article: Article, source: str, store: Store, user: str | None, stories: Any, batch: bool = False) -> Outcome | None:
    """Duplicate or not English: the outcome now, without extraction. None: extract it."""
    if store.has_article(article.id):
        return Outcome(source, "duplicate", "already stored")
    language = detect_language(article.text)
    if language.is_english:
        return None
    reason = language.skip_reason()
    result = store.save(article, None, skipped_reason=reason, user=user, language=language.code)
    if result.status == "duplicate":
        return Outcome(source, "duplicate", "already stored", result.article_id)
    return Outcome(source, "skipped", reason, result.article_id, language=language.code,
                   story_id=_story(store, result.article_id, article.text, stories, write=not batch))


def _after_extraction(article: Article, extraction: Extraction, source: str, store: Store, user: str | None, stories: Any,
                      batch: bool = False) -> Outcome:
    if is_empty(extraction):
        return Outcome(source, "skipped", NO_CONTENT, extraction=extraction)
    result = store.save(article, extraction, user=user)
    if result.status != "stored":
        return Outcome(source, result.status, "already stored", result.article_id, extraction)
    return Outcome(source, "stored", None, result.article_id, extraction, language="en",
                   story_id=_story(store, result.article_id, article.text, stories, write=not batch))


def _extraction_failed(source: str, exc: Exception) -> Outcome:
    """No extraction: the extractor's own reason ("extraction took longer than 20 s"), or the error."""
    if isinstance(exc, ExtractionError):
        log.warning("no extraction for %s: %s", source, exc.reason)
        return Outcome(source, "failed", exc.reason)
    log.error("extraction failed for %s", source, exc_info=exc)
    return Outcome(source, "failed", f"extraction failed: {exc}")


def _store_failed(source: str, exc: Exception) -> Outcome:
    """Store.save is one transaction: when it raises, nothing of the article was written."""
    log.warning("could not store %s", source, exc_info=not isinstance(exc, SQLAlchemyError))
    return Outcome(source, "failed", f"could not store it ({type(exc).__name__}: {exc})")


def ingest_article(article: Article, source: str, store: Store, extractor: Extractor, user: str | None = None,
                   *, stories: Any = True) -> Outcome:
    """Extract and store one article; never raises for bad content.

    `stories`: True (the store's shared StoryIndex), a StoryIndex, or False (no grouping).
    """
    try:
        early = _before_extraction(article, source, store, user, stories)
    except Exception as exc:  # noqa: BLE001 - a storage failure fails this article only
        return _store_failed(source, exc)
    if early is not None:
        return early
    try:
        extraction = extractor.extract_article(article)
    except Exception as exc:  # an extractor bug must not stop the batch
        return _extraction_failed(source, exc)
    try:
        return _after_extraction(article, extraction, source, store, user, stories)
    except Exception as exc:  # noqa: BLE001
        return _store_failed(source, exc)


# -- many articles ---------------------------------------------------------------------------

def extract_stream(items: Iterable[Item], extractor: Extractor, *, processes: int = 1, batch_size: int = 32,
                   parallel: str = "pool", parse_only: bool = False) -> Iterator[tuple[Item, Extraction | Doc | Exception]]:
    """Each item with its extraction (or the exception that stopped it), in order.

    One process: `Extractor.pipe` over the stream. Several: with `parallel="pool"` (the
    default), worker processes forked from this one each run `Extractor.pipe` (spaCy and
    the rule stages) over chunks of `batch_size` articles while this process reads and
    stores; with `parallel="spacy"`, `Extractor.pipe(n_process=N)`: spaCy's own workers
    run the whole pipeline, rule stages included. Both give the same extractions. The pool
    is the faster of the two on two cores (`python -m components bench ingest
    --spacy-workers`: 32.1 against 26.0 articles/s on 600 articles): spaCy's way sends every
    Doc back to this process as bytes to be rebuilt, where the pool sends the Extraction
    only.

    `parse_only` (one process): each item's Doc as the model left it, for the caller to
    finish with `Extractor.finish` (the writer thread does, overlapping the model).
    """
    if processes > 1 and parallel == "pool":
        yield from _pool_stream(items, extractor, processes, batch_size)
    else:
        yield from _pipe_stream(items, extractor, processes, batch_size, parse_only and processes == 1)


def _pipe_stream(items: Iterable[Item], extractor: Extractor, processes: int, batch_size: int,
                 parse_only: bool = False) -> Iterator[tuple[Item, Extraction | Doc | Exception]]:
    """`Extractor.pipe` over the items. If an article makes the pipe raise, that article
    fails and the articles already handed to the pipe but not yet extracted are fed again,
    so one bad article never takes its batch down with it. An error while *reading* the
    items is raised after the articles in flight are done.
    """
    pending: deque[Item] = deque()
    upstream: Iterator[Item] = iter(items)
    feed_error: list[BaseException] = []

    def articles() -> Iterator[Article]:
        while True:
            try:
                item = next(upstream)
            except StopIteration:
                return
            except Exception as exc:  # noqa: BLE001 - re-raised once the batch in flight is stored
                feed_error.append(exc)
                return
            pending.append(item)
            yield item.article  # type: ignore[misc]

    while True:
        try:
            stream = (extractor.parse(articles(), batch_size=batch_size) if parse_only
                      else extractor.pipe(articles(), batch_size=batch_size, n_process=processes))
            for _article, result in stream:
                yield pending.popleft(), result
            break
        except Exception as exc:
            if not pending:
                raise
            failed = pending.popleft()
            log.warning("extraction failed for %s: %s", failed.source, exc)
            yield failed, exc
            upstream = itertools.chain(list(pending), upstream)
            pending.clear()
    if feed_error:
        raise feed_error[0]


_WORKER_EXTRACTOR: Extractor | None = None  # set before forking: the workers inherit it loaded


def _extract_chunk(articles: list[Article], batch_size: int, extractor: Extractor | None = None) -> list[Extraction | str]:
    """Extractions of a chunk (in a worker); an article that fails gives its error text."""
    ex = extractor or _WORKER_EXTRACTOR
    assert ex is not None
    out: list[Extraction | str] = []
    try:
        for _article, extraction in ex.pipe(articles, batch_size=batch_size):
            out.append(extraction)
    except Exception:  # noqa: BLE001 - redo the rest one by one, so only the bad one fails
        for article in articles[len(out):]:
            try:
                out.append(ex.extract_article(article))
            except Exception as exc:  # noqa: BLE001
                out.append(f"{type(exc).__name__}: {exc}")
    return out


def _pool_stream(items: Iterable[Item], extractor: Extractor, processes: int, batch_size: int) -> Iterator[tuple[Item, Extraction | Exception]]:
    import multiprocessing
    from concurrent.futures import Future, ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    global _WORKER_EXTRACTOR
    _WORKER_EXTRACTOR = extractor
    gc.freeze()  # the workers' garbage collector then leaves the inherited objects alone: fewer pages copied
    window: deque[tuple[list[Item], Future | None]] = deque()
    executor: ProcessPoolExecutor | None = ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("fork"))
    upstream = iter(items)

    def submit(chunk: list[Item]) -> None:
        articles = [i.article for i in chunk]
        window.append((chunk, executor.submit(_extract_chunk, articles, batch_size) if executor is not None else None))

    def results(chunk: list[Item], future: Future | None) -> list[Extraction | str]:
        nonlocal executor
        if future is not None:
            try:
                return future.result()
            except BrokenProcessPool:
                log.error("an extraction process died; extracting the rest in this process")
                if executor is not None:
                    executor.shutdown(wait=False, cancel_futures=True)
                executor = None
                return ["the extraction process died"] * len(chunk)
        return _extract_chunk([i.article for i in chunk], batch_size, extractor)  # type: ignore[misc]

    try:
        exhausted = False
        while True:
            while not exhausted and len(window) < 2 * processes:
                chunk = list(itertools.islice(upstream, batch_size))
                if not chunk:
                    exhausted = True
                    break
                submit(chunk)
            if not window:
                break
            chunk, future = window.popleft()
            for item, result in zip(chunk, results(chunk, future), strict=True):
                yield item, (RuntimeError(result) if isinstance(result, str) else result)
    finally:
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)
        _WORKER_EXTRACTOR = None
        gc.unfreeze()


def _progress_bar(show: bool | None, total: int | None, desc: str) -> Any:
    if not (sys.stderr.isatty() if show is None else show):
        return None
    from tqdm import tqdm

    return tqdm(total=total or None, unit="article", desc=desc, file=sys.stderr, dynamic_ncols=True, smoothing=0.05)


class _Writer:
    """A thread that stores extracted articles in order; outcomes are collected by the caller."""

    def __init__(self, store_one: Callable[[Item, Any], Outcome], capacity: int):
        self._store_one = store_one
        self._todo: queue.Queue = queue.Queue(maxsize=capacity)
        self._done: queue.Queue = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="ingest-writer", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            job = self._todo.get()
            if job is None:
                return
            item, result = job
            try:
                outcome = self._store_one(item, result)
            except BaseException as exc:  # noqa: BLE001 - never lose an item's outcome
                outcome = Outcome(item.source, "failed", f"could not store it ({type(exc).__name__}: {exc})")
            self._done.put((item, outcome))

    def put(self, item: Item, result: Any) -> None:
        self._todo.put((item, result))  # waits while the writer is `capacity` articles behind

    def done(self) -> Iterator[tuple[Item, Outcome]]:
        while True:
            try:
                yield self._done.get_nowait()
            except queue.Empty:
                return

    def close(self) -> Iterator[tuple[Item, Outcome]]:
        self._todo.put(None)
        self._thread.join()
        yield from self.done()


@dataclass
class _Tally:
    """Where each item's outcome goes: the report, the progress bar, the caller's callback."""

    report: IngestReport
    bar: Any
    total: int | None
    on_progress: Callable[[int, int, Outcome], None] | None
    done: int = 0

    def finish(self, item: Item, outcome: Outcome) -> None:
        self.done += 1
        self.report.add(outcome)
        if item.on_done is not None:
            try:
                item.on_done(outcome)
            except Exception:  # noqa: BLE001 - bookkeeping must not stop the batch
                log.exception("after %s", item.source)
        if self.bar is not None:
            if self.bar.total is not None and self.done > self.bar.total:
                self.bar.total = self.done
            self.bar.update(1)
            self.bar.set_postfix(stored=self.report.stored, failed=self.report.count("failed"), refresh=False)
        if self.on_progress is not None:
            self.on_progress(self.done, max(self.total or 0, self.done), outcome)


def _items_to_extract(items: Iterable[Item], tally: _Tally, store: Store, user: str | None, stories: Any) -> Iterator[Item]:
    """The items worth extracting; the unreadable, the repeated and the already stored are finished here."""
    seen: set[str] = set()
    for item in items:
        if item.error is not None or item.article is None:
            tally.finish(item, Outcome(item.source, "failed", item.error or "nothing could be read"))
            continue
        key = item.article.id
        if key in seen:
            tally.finish(item, Outcome(item.source, "duplicate", "the same text as an earlier article in this batch"))
            continue
        seen.add(key)
        try:
            early = _before_extraction(item.article, item.source, store, user, stories, batch=True)
        except Exception as exc:  # noqa: BLE001
            early = _store_failed(item.source, exc)
        if early is not None:
            tally.finish(item, early)
            continue
        yield item


def _storer(store: Store, user: str | None, stories: Any, extractor: Extractor) -> Callable[[Item, Extraction | Doc | Exception], Outcome]:
    """Stores one extracted item (or records why its extraction failed); finishes a parsed Doc first."""

    def store_one(item: Item, result: Extraction | Doc | Exception) -> Outcome:
        if isinstance(result, Doc):
            try:
                result = extractor.finish(result)
            except Exception as exc:  # noqa: BLE001 - ExtractionError, or a bug: this article fails alone
                result = exc
        if isinstance(result, Exception):
            return _extraction_failed(item.source, result)
        try:
            return _after_extraction(item.article, result, item.source, store, user, stories, batch=True)  # type: ignore[arg-type]
        except Exception as exc:  # noqa: BLE001
            return _store_failed(item.source, exc)

    return store_one


def _extract_and_store(fresh: Iterator[Item], extractor: Extractor, store_one: Callable[[Item, Any], Outcome], tally: _Tally,
                       *, processes: int, batch_size: int, parallel: str, use_writer: bool) -> None:
    """Extract the items as a stream and store each, here or on the writer thread."""
    thread = _Writer(store_one, capacity=2 * batch_size) if use_writer else None
    try:
        # With a writer in this process, the rule stages run on it too, beside the model
        # (for an extractor that can be finished elsewhere: stand-ins in tests may not).
        split = thread is not None and processes == 1 and hasattr(extractor, "parse") and hasattr(extractor, "finish")
        stream = extract_stream(fresh, extractor, processes=processes, batch_size=batch_size, parallel=parallel, parse_only=split)
        for item, result in stream:
            if thread is None:
                tally.finish(item, store_one(item, result))
            else:
                thread.put(item, result)
                for done_item, outcome in thread.done():
                    tally.finish(done_item, outcome)
    finally:
        if thread is not None:  # what was handed to the writer is stored and reported, even on ^C
            for done_item, outcome in thread.close():
                tally.finish(done_item, outcome)


def ingest_items(
    items: Iterable[Item],
    store: Store,
    extractor: Extractor,
    *,
    processes: int = 1,
    batch_size: int = 32,
    parallel: str = "pool",
    progress: bool | None = None,
    total: int | None = None,
    user: str | None = None,
    on_progress: Callable[[int, int, Outcome], None] | None = None,
    report: IngestReport | None = None,
    desc: str = "ingest",
    writer: bool | None = None,
) -> IngestReport:
    """Store every item's article with its extraction; one outcome per item in the report.

    Streams: items are pulled as the extractor needs them, and only the latest extraction
    is kept. Progress: a tqdm bar on a terminal (rate, ETA when `total` is known) and/or
    `on_progress(done, total, outcome)`, always called from this thread.

    `writer` (default: when extracting in this process) runs the rule stages and stores
    from a second thread, so they overlap the model's matrix products, which release the GIL.
    """
    report = report if report is not None else IngestReport()
    stories = story_index(store)
    tally = _Tally(report, _progress_bar(progress, total, desc), total, on_progress)
    use_writer = (processes == 1 or parallel != "pool") if writer is None else writer
    try:
        _extract_and_store(_items_to_extract(items, tally, store, user, stories), extractor, _storer(store, user, stories, extractor), tally,
                           processes=processes, batch_size=batch_size, parallel=parallel, use_writer=use_writer)
    except KeyboardInterrupt:
        report.interrupted = True
        raise
    finally:
        if tally.bar is not None:
            tally.bar.close()
        try:
            stories.flush()
        except Exception:  # noqa: BLE001 - filled in by the next run's catch-up
            log.exception("could not write story ids")
    return report


def ingest_paths(
    paths: Iterable[Path | str],
    store: Store,
    extractor: Extractor,
    *,
    progress: bool | None = None,
    user: str | None = None,
    on_progress: Callable[[int, int, Outcome], None] | None = None,
    processes: int = 1,
    batch_size: int = 32,
    parallel: str = "pool",
    columns: ColumnMap | None = None,
    report: IngestReport | None = None,
) -> IngestReport:
    """Files, folders (walked) and http(s) links; see `sources` for the formats."""
    inputs = list(paths)
    return ingest_items(iter_inputs(inputs, columns), store, extractor, processes=processes, batch_size=batch_size, parallel=parallel,
                        progress=progress, total=estimate_count(inputs), user=user, on_progress=on_progress, report=report)


# -- feeds -----------------------------------------------------------------------------------

def ingest_feed(url: str, store: Store, extractor: Extractor, *, save: bool = True, report: IngestReport | None = None,
                **options: Any) -> IngestReport:
    """A feed's entries not taken before; the feed is added to the saved list (`save`)."""
    from ..ingest.feeds import iter_feed, read_feed
    from ..store.feeds import FeedList

    report = report if report is not None else IngestReport()
    feeds = FeedList(store)
    try:
        feed = read_feed(url)
    except IngestError as exc:
        report.add(Outcome(exc.source, "failed", exc.reason))
        known = feeds.get(url)
        if known is not None:
            feeds.checked(known, error=exc.reason)
        return report
    feed_id = feeds.add(url, feed.title) if save else feeds.get(url)
    seen = feeds.seen(feed_id) if feed_id is not None else set()

    def remember(entry: Any) -> Callable[[Outcome], None] | None:
        if feed_id is None:
            return None

        def done(outcome: Outcome) -> None:
            if outcome.status != "failed":  # a failed entry is tried again at the next refresh
                feeds.mark_seen(feed_id, entry.key)

        return done

    new = [e for e in feed.entries if e.key not in seen]
    ingest_items(iter_feed(feed, skip=lambda e: e.key in seen, on_done=remember), store, extractor,
                 total=len(new), report=report, desc=f"feed {feed.title or url}"[:40], **options)
    if feed_id is not None:
        feeds.checked(feed_id)
    return report


def refresh_feeds(store: Store, extractor: Extractor, *, report: IngestReport | None = None, **options: Any) -> IngestReport:
    """Re-read every saved feed, taking only entries not seen before."""
    from ..store.feeds import FeedList

    report = report if report is not None else IngestReport()
    for saved in FeedList(store).all():
        ingest_feed(saved.url, store, extractor, report=report, **options)
    return report
