"""`extract`: one article, or a JSONL batch, to Extraction JSON (see EXTRACTION.md)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from ..ingest.readers import IngestError, article_from_text, decode
from ..ingest.tables import parse_date_value
from .options import date_arg, extractor


def cmd_extract(args: argparse.Namespace) -> int:
    from ..extract.extractor import ExtractionError
    the_extractor = extractor(args.model, args.budget)
    if args.jsonl:
        return _extract_jsonl(args, the_extractor)
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
    try:
        extraction = the_extractor.extract_article(article)
    except ExtractionError as exc:
        print(f"error: {path}: {exc}", file=sys.stderr)
        return 1
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
                published = parse_date_value(item.get("published"))
                extraction = extractor.extract(text, published, item.get("title"), id=str(item_id))
                out = extraction.to_dict()
                out["id"] = item_id
            except Exception as exc:  # one bad line gives an error line, never a crash
                reason = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
                out = {"id": item_id if item_id is not None else n, "error": f"line {n}: {reason}"}
            print(json.dumps(out, ensure_ascii=False), flush=True)
    return 0


def add_parsers(sub: Any) -> None:
    p = sub.add_parser("extract", help="print the Extraction JSON of an article")
    p.add_argument("file", nargs="?")
    p.add_argument("--published", type=date_arg, help="publication date, YYYY-MM-DD")
    p.add_argument("--title")
    p.add_argument("--jsonl", help='batch: lines {"id", "text", "published"?, "title"?}; "-" for stdin')
    p.add_argument("--compact", action="store_true", help="one-line JSON")
    p.set_defaults(func=cmd_extract)
