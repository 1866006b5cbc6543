"""How fast each dashboard page renders against a big store, and how much memory it takes.

    python -m components loadtest --articles 100000 --database sqlite:////tmp/load.db
    python -m components.tools.bench_pages --database sqlite:////tmp/load.db

Each page runs under Streamlit's AppTest in a process of its own, so its first run finds
every cache empty (`st.cache_data` and `st.cache_resource` live in the process):

- import: importing the page module (pandas, Altair, SQLAlchemy...), paid once per server;
- cold: the first run, every query cache empty;
- warm: the same run again, queries served from `st.cache_data`;
- filter: the sidebar's Actors filter set to one actor and the page run again (a new view,
  so its queries are not cached yet);
- peak RSS of that process.

A last process renders every page in turn, as one app server would, for the memory of a
process that holds every page's caches at once. Targets (issue 7): warm < 1 s, cold < 3 s,
filter change < 1 s, memory < 1 GiB.
"""

from __future__ import annotations

import argparse
import ast
import importlib
import json
import os
import pkgutil
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

TARGETS = {"warm": 1.0, "cold": 3.0, "filter": 1.0, "rss_mib": 1024.0}
TIMEOUT = 600  # seconds; AppTest's default (3 s) would turn a slow page into an error
HELPERS = {"common", "highlight", "corrections_ui"}  # modules of pages/ that are not pages


def page_names() -> list[str]:
    """The page modules (those defining `render()`), found without importing them."""
    folder = Path(__file__).parent / "pages"
    names = []
    for info in pkgutil.iter_modules([str(folder)]):
        if info.name.startswith("_") or info.name in HELPERS:
            continue
        tree = ast.parse((folder / f"{info.name}.py").read_text(encoding="utf-8"))
        if any(isinstance(node, ast.FunctionDef) and node.name == "render" for node in tree.body):
            names.append(info.name)
    return sorted(names)


def _peak_rss_mib() -> float:
    # ru_maxrss is in KiB on Linux (bytes on macOS).
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def _timed_run(at: Any) -> tuple[float, list[str]]:
    began = time.perf_counter()
    at.run()
    return time.perf_counter() - began, [str(e.value) for e in at.exception]


def _busiest_actor() -> str | None:
    from ..store import Store

    actors = Store().actors()
    return None if actors.empty else str(actors.iloc[0]["name"])


def measure(names: list[str], actor: str | None) -> list[dict[str, Any]]:
    """Cold, warm and filter-change runs of each page in this process (caches start empty)."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    st.cache_data.clear()
    st.cache_resource.clear()
    results = []
    for name in names:
        began = time.perf_counter()
        importlib.import_module(f"components.pages.{name}")
        row: dict[str, Any] = {"page": name, "import": time.perf_counter() - began, "errors": []}
        at = AppTest.from_string(f"from components.pages import {name}\n{name}.render()", default_timeout=TIMEOUT)
        row["cold"], errors = _timed_run(at)
        row["errors"] += errors
        row["warm"], errors = _timed_run(at)
        row["errors"] += errors
        row["filter"] = None
        picker = next((w for w in at.multiselect if w.key == "actor"), None)
        if actor and picker is not None:
            picker.set_value([actor])
            row["filter"], errors = _timed_run(at)
            row["errors"] += errors
        row["rss_mib"] = _peak_rss_mib()
        results.append(row)
    return results


def _child(database: str, names: list[str], actor: str | None) -> list[dict[str, Any]]:
    env = dict(os.environ, DATABASE_URL=database)
    cmd = [sys.executable, "-m", "components.tools.bench_pages", "--database", database, "--child", ",".join(names)]
    if actor:
        cmd += ["--actor", actor]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        tail = (done.stderr or done.stdout).strip().splitlines()[-5:]
        return [{"page": n, "errors": [f"the benchmark process failed: {' | '.join(tail)}"]} for n in names]
    return [json.loads(line) for line in lines]


def _cell(value: float | None, target: float | None, unit: str = "s") -> str:
    if value is None:
        return "–"
    mark = "" if target is None else (" ✓" if value < target else " ✗")
    return f"{value:.2f} {unit}{mark}" if unit == "s" else f"{value:,.0f} MiB{mark}"


def report(rows: list[dict[str, Any]], together: dict[str, Any] | None, articles: int, actor: str | None) -> str:
    lines = [
        f"Pages against {articles:,} articles (filter change: Actors = {actor or '–'})",
        "",
        f"{'page':<14}{'import':>10}{'cold':>12}{'warm':>12}{'filter':>12}{'peak RSS':>14}  errors",
    ]
    for r in rows:
        lines.append(
            f"{r['page']:<14}{_cell(r.get('import'), None):>10}{_cell(r.get('cold'), TARGETS['cold']):>12}"
            f"{_cell(r.get('warm'), TARGETS['warm']):>12}{_cell(r.get('filter'), TARGETS['filter']):>12}"
            f"{_cell(r.get('rss_mib'), TARGETS['rss_mib'], 'MiB'):>14}  {'; '.join(r.get('errors') or []) or '-'}"
        )
    if together is not None:
        lines.append(f"{'all pages, one process':<50}{'':>12}{_cell(together.get('rss_mib'), TARGETS['rss_mib'], 'MiB'):>14}"
                     f"  {'; '.join(together.get('errors') or []) or '-'}")
    lines += ["", "Targets: warm < 1 s, cold < 3 s, filter change < 1 s, memory < 1 GiB (✓ met, ✗ missed)."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m components.tools.bench_pages", description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", required=True, help="SQLAlchemy URL of a database filled by `python -m components loadtest`")
    parser.add_argument("--pages", help="comma-separated page modules (default: every page)")
    parser.add_argument("--actor", help="the actor chosen for the filter change (default: the most mentioned one)")
    parser.add_argument("--json", action="store_true", help="print the measurements as JSON lines too")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    os.environ["DATABASE_URL"] = args.database

    if args.child:
        for row in measure(args.child.split(","), args.actor):
            print(json.dumps(row), flush=True)
        return 0

    from ..store import Store

    store = Store(args.database)
    articles = store.article_count()
    store.engine.dispose()
    if articles == 0:
        print(f"{args.database} holds no articles: fill it first with `python -m components loadtest --database {args.database}`",
              file=sys.stderr)
        return 2
    names = args.pages.split(",") if args.pages else page_names()
    actor = args.actor or _busiest_actor()
    rows = [row for name in names for row in _child(args.database, [name], actor)]
    everything = _child(args.database, names, actor)
    together = {"rss_mib": max((r.get("rss_mib") or 0) for r in everything),
                "errors": sorted({e for r in everything for e in r.get("errors") or []})}
    print(report(rows, together, articles, actor))
    if args.json:
        for row in rows:
            print(json.dumps(row))
    missed = any(
        (r.get(k) is not None and r[k] >= TARGETS[k]) for r in rows for k in ("cold", "warm", "filter", "rss_mib")
    ) or any(r.get("errors") for r in rows) or together["rss_mib"] >= TARGETS["rss_mib"]
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
