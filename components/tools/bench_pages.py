"""How fast each dashboard page renders against a big store, and how much memory it takes.

    python -m components loadtest --articles 100000 --database sqlite:////tmp/load.db
    python -m components.tools.bench_pages --database sqlite:////tmp/load.db

The pages are the ones app.py puts in the navigation (`st.Page(...)`), found by reading it,
so a page added there is measured too. Each page runs under Streamlit's AppTest in a process
of its own, so its first run finds every cache empty (`st.cache_data` and `st.cache_resource`
live in the process):

- cold: the first run, every query cache empty (importing the page module, paid once per
  server, is measured apart and not counted);
- warm: the same run again, queries served from `st.cache_data`;
- filter: the sidebar's Actors filter set to one actor and the page run again (a new view,
  so its queries are not cached yet);
- peak RSS of that process.

A last process renders every page in turn, as one app server would, for the memory of a
process that holds every page's caches at once. Targets (issue 15): warm < 1 s, filter change
< 2 s, cold < 3 s, memory < 1 GiB.
"""

from __future__ import annotations

import argparse
import ast
import importlib
import importlib.util
import json
import os
import platform
import resource
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

TARGETS = {"cold": 3.0, "warm": 1.0, "filter": 2.0, "rss_mib": 1024.0}
TIMEOUT = 600  # seconds; AppTest's default (3 s) would turn a slow page into an error
APP = Path(__file__).resolve().parents[2] / "app.py"


@dataclass(frozen=True)
class PageSpec:
    """One page of the navigation: its address (`url_path`) and the function that draws it."""

    name: str
    module: str
    function: str

    def script(self) -> str:
        return f"from {self.module} import {self.function}\n{self.function}()"


def _imported_names(tree: ast.Module) -> dict[str, str]:
    """What each name imported at the top of app.py is: a module ("components.pages.overview")
    or a function in one ("components.pages.corrections_ui:render_audit")."""
    names: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("components."):
            for alias in node.names:
                dotted = f"{node.module}.{alias.name}"
                is_module = importlib.util.find_spec(dotted) is not None if node.module == "components.pages" else False
                names[alias.asname or alias.name] = dotted if is_module else f"{node.module}:{alias.name}"
    return names


def page_specs(app: Path = APP) -> list[PageSpec]:
    """The pages app.py navigates to, in its order: `st.Page(module.render, url_path=...)` or `st.Page(function, ...)`
    of an imported function (a function of app.py itself, such as a redirect, draws no page of its own)."""
    tree = ast.parse(app.read_text(encoding="utf-8"))
    names = _imported_names(tree)
    specs = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "Page" and node.args):
            continue
        target = node.args[0]
        if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id in names:
            module, function = names[target.value.id], target.attr
        elif isinstance(target, ast.Name) and ":" in names.get(target.id, ""):
            module, function = names[target.id].split(":")
        else:
            continue
        path = next((k.value.value for k in node.keywords if k.arg == "url_path" and isinstance(k.value, ast.Constant)), None)
        default = any(k.arg == "default" and isinstance(k.value, ast.Constant) and k.value.value is True for k in node.keywords)
        # The default page is served at "/" whatever its url_path: it is named after its module.
        name = module.rsplit(".", 1)[-1] if default and function == "render" else str(path or function)
        specs.append(PageSpec(name, module, function))
    return specs


def page_names() -> list[str]:
    return [spec.name for spec in page_specs()]


def _peak_rss_mib() -> float:
    # ru_maxrss is in KiB on Linux (bytes on macOS).
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def _timed_run(at: Any, row: dict[str, Any], key: str) -> None:
    """Run the page; its wall time under `key`, the CPU time of this process under `key`_cpu
    (on SQLite the queries run in this process too: a measure a busy machine disturbs less)."""
    began, cpu = time.perf_counter(), time.process_time()
    at.run()
    row[key], row[f"{key}_cpu"] = time.perf_counter() - began, time.process_time() - cpu
    row["errors"] += [str(e.value) for e in at.exception]


def _busiest_actor() -> str | None:
    from ..store import Store

    store = Store()
    try:
        actors = store.actors()
    finally:
        store.engine.dispose()
    return None if actors.empty else str(actors.iloc[0]["name"])


def measure(specs: list[PageSpec], actor: str | None) -> list[dict[str, Any]]:
    """Cold, warm and filter-change runs of each page in this process (caches start empty)."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    st.cache_data.clear()
    st.cache_resource.clear()
    results = []
    for spec in specs:
        began = time.perf_counter()
        importlib.import_module(spec.module)
        row: dict[str, Any] = {"page": spec.name, "import": time.perf_counter() - began, "errors": []}
        at = AppTest.from_string(spec.script(), default_timeout=TIMEOUT)
        _timed_run(at, row, "cold")
        _timed_run(at, row, "warm")
        row["filter"] = row["filter_cpu"] = None
        picker = next((w for w in at.multiselect if w.key == "actor"), None)
        if actor and picker is not None:
            picker.set_value([actor])
            _timed_run(at, row, "filter")
        row["rss_mib"] = _peak_rss_mib()
        results.append(row)
    return results


def _child(database: str, specs: list[PageSpec], actor: str | None) -> list[dict[str, Any]]:
    # The benchmark reads a load-test database on purpose, without the sign-in a team database asks for.
    env = dict(os.environ, DATABASE_URL=database, REQUIRE_SIGN_IN="0")
    cmd = [sys.executable, "-m", "components.tools.bench_pages", "--database", database,
           "--child", json.dumps([asdict(spec) for spec in specs])]
    if actor:
        cmd += ["--actor", actor]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        tail = (done.stderr or done.stdout).strip().splitlines()[-5:]
        return [{"page": spec.name, "errors": [f"the benchmark process failed: {' | '.join(tail)}"]} for spec in specs]
    return [json.loads(line) for line in lines]


def _cell(value: float | None, target: float | None, unit: str = "s") -> str:
    if value is None:
        return "–"
    mark = "" if target is None else (" ✓" if value < target else " ✗")
    return f"{value:.2f} s{mark}" if unit == "s" else f"{value:,.0f} MiB{mark}"


def _shown_url(database: str) -> str:
    """The database URL without its password."""
    from sqlalchemy.engine import make_url

    return make_url(database).render_as_string(hide_password=True)


def _machine() -> str:
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    return f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, load average {load}"


def report(rows: list[dict[str, Any]], together: dict[str, Any] | None, articles: int, actor: str | None,
           database: str = "") -> str:
    """One table: page × cold, warm, filter change and peak RSS, each marked against its target."""
    lines = [
        f"Pages against {articles:,} articles in {_shown_url(database) if database else 'the database'}",
        f"Machine: {_machine()}. Filter change: Actors = {actor or '–'}.",
        "",
        f"{'page':<14}{'cold':>12}{'warm':>12}{'filter':>12}{'peak RSS':>14}  errors",
        f"{'(target)':<14}{'< 3 s':>12}{'< 1 s':>12}{'< 2 s':>12}{'< 1 GiB':>14}",
    ]
    for r in rows:
        lines.append(
            f"{r['page']:<14}{_cell(r.get('cold'), TARGETS['cold']):>12}{_cell(r.get('warm'), TARGETS['warm']):>12}"
            f"{_cell(r.get('filter'), TARGETS['filter']):>12}{_cell(r.get('rss_mib'), TARGETS['rss_mib'], 'MiB'):>14}"
            f"  {'; '.join(r.get('errors') or []) or '-'}"
        )
    if together is not None:
        lines.append(f"{'all pages, one process':<50}{_cell(together.get('rss_mib'), TARGETS['rss_mib'], 'MiB'):>14}"
                     f"  {'; '.join(together.get('errors') or []) or '-'}")
    lines += ["", "✓ met, ✗ missed; – not measured (the page has no Actors filter). Importing a page module, paid once per",
              "server, is not counted in cold."]
    return "\n".join(lines)


def cpu_report(rows: list[dict[str, Any]]) -> str:
    """The CPU seconds of each page's process (SQLite's work included, a PostgreSQL server's not)."""
    lines = ["CPU time of the page's process, seconds (a loaded machine stretches wall times, much less these):", "",
             f"{'page':<14}{'cold':>8}{'warm':>8}{'filter':>8}"]
    for r in rows:
        cells = [f"{r[k]:.2f}" if r.get(k) is not None else "–" for k in ("cold_cpu", "warm_cpu", "filter_cpu")]
        lines.append(f"{r['page']:<14}" + "".join(f"{c:>8}" for c in cells))
    return "\n".join(lines)


def missed(rows: list[dict[str, Any]], together: dict[str, Any]) -> bool:
    """Whether any page missed a target or failed."""
    late = any(r.get(k) is not None and r[k] >= TARGETS[k] for r in rows for k in TARGETS)
    return late or any(r.get("errors") for r in rows) or together["rss_mib"] >= TARGETS["rss_mib"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m components.tools.bench_pages", description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", required=True, help="SQLAlchemy URL of a database filled by `python -m components loadtest`")
    parser.add_argument("--pages", help="comma-separated page addresses (default: every page in app.py's navigation)")
    parser.add_argument("--actor", help="the actor chosen for the filter change (default: the most mentioned one)")
    parser.add_argument("--json", action="store_true", help="print the measurements as JSON lines too")
    parser.add_argument("--cpu", action="store_true", help="print the CPU time of each page's process too")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    os.environ["DATABASE_URL"] = args.database

    if args.child:
        for row in measure([PageSpec(**spec) for spec in json.loads(args.child)], args.actor):
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
    specs = page_specs()
    if args.pages:
        wanted = args.pages.split(",")
        unknown = sorted(set(wanted) - {spec.name for spec in specs})
        if unknown:
            print(f"--pages: no page {', '.join(unknown)} in app.py (pages: {', '.join(s.name for s in specs)})", file=sys.stderr)
            return 2
        specs = [spec for spec in specs if spec.name in wanted]
    actor = args.actor or _busiest_actor()
    rows = [row for spec in specs for row in _child(args.database, [spec], actor)]
    everything = _child(args.database, specs, actor)
    together = {"rss_mib": max((r.get("rss_mib") or 0) for r in everything),
                "errors": sorted({e for r in everything for e in r.get("errors") or []})}
    print(report(rows, together, articles, actor, args.database))
    if args.cpu:
        print("\n" + cpu_report(rows))
    if args.json:
        for row in rows:
            print(json.dumps(row))
    return 1 if missed(rows, together) else 0


if __name__ == "__main__":
    sys.exit(main())
