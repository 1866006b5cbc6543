"""`ingest`, `refresh`, `feeds`, `load-samples`, `reextract`: articles into the database, and kept up to date."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from .options import DATABASE_HELP, extractor, positive


def _ingest_options(args: argparse.Namespace) -> dict[str, Any]:
    return {"progress": None if not args.no_progress else False, "processes": args.processes, "batch_size": args.batch_size}


def _finish(report: Any) -> int:
    print(report.summary())
    if report.interrupted:
        return 130
    return 0 if report.count("failed") == 0 else 1


def cmd_ingest(args: argparse.Namespace) -> int:
    from ..ingest.tables import ColumnMap
    from ..services.ingest import IngestReport, ingest_feed, ingest_paths
    from ..store import Store

    if not args.paths and not args.feed:
        print("ingest: give files, folders or links, or --feed URL", file=sys.stderr)
        return 2
    try:
        columns = ColumnMap.parse(args.columns)
    except ValueError as exc:
        print(f"ingest: --columns {exc}", file=sys.stderr)
        return 2
    store = Store(args.database)
    the_extractor = extractor(args.model, args.budget)
    report = IngestReport()
    try:
        if args.paths:
            ingest_paths(args.paths, store, the_extractor, columns=columns, report=report, **_ingest_options(args))
        for url in args.feed or []:
            ingest_feed(url, store, the_extractor, report=report, **_ingest_options(args))
    except KeyboardInterrupt:
        report.interrupted = True
    return _finish(report)


def cmd_refresh(args: argparse.Namespace) -> int:
    from ..services.ingest import IngestReport, refresh_feeds
    from ..store import Store
    from ..store.feeds import FeedList

    store = Store(args.database)
    if not FeedList(store).all():
        print("no saved feeds; add one with: python -m components ingest --feed URL")
        return 0
    report = IngestReport()
    try:
        refresh_feeds(store, extractor(args.model, args.budget), report=report, **_ingest_options(args))
    except KeyboardInterrupt:
        report.interrupted = True
    return _finish(report)


def cmd_feeds(args: argparse.Namespace) -> int:
    from ..store import Store
    from ..store.feeds import FeedList

    feeds = FeedList(Store(args.database))
    if args.remove:
        if not feeds.remove(args.remove):
            print(f"feeds: {args.remove}: not a saved feed", file=sys.stderr)
            return 1
        print(f"removed {args.remove}")
        return 0
    saved = feeds.all()
    if not saved:
        print("no saved feeds; add one with: python -m components ingest --feed URL")
    for f in saved:
        checked = f.checked_at.strftime("%Y-%m-%d %H:%M") if f.checked_at else "never"
        problem = f"  last error: {f.last_error}" if f.last_error else ""
        print(f"{f.url}  {f.title or ''}  ({f.entries_seen} entries taken, checked {checked}){problem}")
    return 0


def cmd_load_samples(args: argparse.Namespace) -> int:
    from ..services.samples import load_samples
    from ..store import Store

    store = Store(args.database)
    if store.article_count() and not args.force:
        print(f"the database already holds {store.article_count()} articles; samples not loaded (use --force)")
        return 0
    report = load_samples(store, extractor(args.model, args.budget))
    print(report.summary())
    return 0


def cmd_reextract(args: argparse.Namespace) -> int:
    """Re-run a newer extractor over stored articles, keeping analysts' corrections."""
    from ..services.reextract import reextract
    from ..store import Store

    the_extractor = extractor(args.model, args.budget)
    count, orphaned = reextract(Store(args.database), the_extractor, every_article=args.all)
    print(f"{count} articles re-extracted with {the_extractor.version}; {orphaned} corrections found no item to apply to (see the Audit page)")
    return 0


def _add_ingest_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--database", help=DATABASE_HELP)
    p.add_argument("--no-progress", action="store_true")
    p.add_argument("--processes", type=positive, default=1, help="extraction processes (spaCy n_process; default 1)")
    p.add_argument("--batch-size", type=positive, default=32, help="articles per spaCy batch (default 32)")


def add_parsers(sub: Any) -> None:
    p = sub.add_parser("ingest", help="store files, folders, links and feeds of articles with their extraction")
    p.add_argument("paths", nargs="*", metavar="PATH_OR_URL",
                   help=".txt .md .html .pdf .docx, .csv/.tsv/.jsonl/.json batches, .zip archives, folders, http(s) links")
    p.add_argument("--feed", action="append", metavar="URL", help="an RSS/Atom feed: its new entries, and save it for `refresh`")
    p.add_argument("--columns", metavar="MAP", help="batch columns, e.g. text=story,date=pub_date (fields: text,title,date,url,source,author)")
    _add_ingest_options(p)
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("refresh", help="re-read the saved feeds and store their new entries")
    _add_ingest_options(p)
    p.set_defaults(func=cmd_refresh)

    p = sub.add_parser("feeds", help="list the saved feeds")
    p.add_argument("--database")
    p.add_argument("--remove", metavar="URL", help="stop following this feed")
    p.set_defaults(func=cmd_feeds)

    p = sub.add_parser("load-samples", help="ingest the team's illustrative sample articles into an empty database")
    p.add_argument("--database")
    p.add_argument("--force", action="store_true", help="load even if the database is not empty")
    p.set_defaults(func=cmd_load_samples)

    p = sub.add_parser("reextract", help="re-run the extractor over stored articles made by an older version, keeping corrections")
    p.add_argument("--database")
    p.add_argument("--all", action="store_true", help="every article, not only those made by an older extractor")
    p.set_defaults(func=cmd_reextract)
