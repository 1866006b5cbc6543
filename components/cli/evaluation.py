"""`eval`: the extractor measured on a labelled JSONL file (tools/evaluate.py)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from .options import extractor


def cmd_eval(args: argparse.Namespace) -> int:
    from ..tools import evaluate

    path = Path(args.gold)
    if not path.exists():
        print(f"eval: {path}: no such file", file=sys.stderr)
        return 2
    the_extractor = extractor(args.model, args.budget)
    if args.what == "casualties":
        print(evaluate.eval_casualties(path, the_extractor).report())
    elif args.what == "milestones":
        print(evaluate.eval_milestones(path, the_extractor).report())
    else:
        print(evaluate.eval_actors(path, the_extractor).report())
    return 0


def add_parsers(sub: Any) -> None:
    p = sub.add_parser("eval", help="measure the extractor on a labelled JSONL file")
    p.add_argument("what", choices=["casualties", "milestones", "actors"])
    p.add_argument("gold", help="labelled JSONL (see tests/data/README.md for the formats)")
    p.set_defaults(func=cmd_eval)
