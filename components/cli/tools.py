"""`bench`, `soak` and `loadtest`: speed, robustness measurements and synthetic load (the code is in components/tools/)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from .options import positive


def cmd_bench(args: argparse.Namespace) -> int:
    from ..tools import bench

    if args.what == "extract":
        return bench.run_extract_bench(n=args.n, batch_size=args.batch_size, model=args.model)
    return bench.run_ingest_bench(n=args.n, processes=args.processes, batch_size=args.batch_size, model=args.model,
                                  spacy_workers=args.spacy_workers)


def cmd_soak(args: argparse.Namespace) -> int:
    from ..tools import soak

    return soak.run(args)


def cmd_loadtest(args: argparse.Namespace) -> int:
    """Fill a database with synthetic extracted articles (no NLP) and print the write speed."""
    from ..tools.loadtest import fill

    report = fill(args.database, args.articles, seed=args.seed, mode=args.mode, batch_size=args.batch_size,
                  progress=not args.no_progress and sys.stderr.isatty())
    print(report.summary())
    return 0


def add_parsers(sub: Any) -> None:
    p = sub.add_parser("bench", help="ingest: full ingest against the bare spaCy pipeline; extract: what our rules add to spaCy's time")
    p.add_argument("what", choices=["ingest", "extract"])
    p.add_argument("--n", type=positive, default=2000, help="synthetic articles (default 2000)")
    p.add_argument("--processes", type=positive, default=2, help="processes for the parallel run (default 2)")
    p.add_argument("--batch-size", type=positive, default=32)
    p.add_argument("--spacy-workers", action="store_true", help="also time spaCy's own n_process workers")
    p.set_defaults(func=cmd_bench)

    from ..tools.soak import add_arguments as soak_arguments

    p = sub.add_parser("soak", help="run the extractor over every real and sample text and hostile copies; list the slowest and any exception")
    soak_arguments(p)
    p.set_defaults(func=cmd_soak)

    p = sub.add_parser("loadtest", help="fill a database with synthetic extracted articles for load tests (no NLP), printing rows/s")
    p.add_argument("--articles", type=positive, default=100_000, help="how many articles (default 100000)")
    p.add_argument("--database", required=True, help="SQLAlchemy URL of the database to fill, e.g. sqlite:////tmp/load.db")
    p.add_argument("--mode", choices=["auto", "save", "bulk"], default="auto",
                   help="save: Store.save per article; bulk: batched inserts then the same linking (auto: bulk above 5000)")
    p.add_argument("--seed", type=int, default=0, help="the same seed gives the same articles (a second run stores none)")
    p.add_argument("--batch-size", type=positive, default=2000, help="articles per bulk transaction (default 2000)")
    p.add_argument("--no-progress", action="store_true")
    p.set_defaults(func=cmd_loadtest)
