"""The page benchmark finds every page of the navigation and reports each against its targets."""

from __future__ import annotations

import ast
import importlib
import json

from components.tools import bench_pages, loadtest
from tests.conftest import PROJECT_ROOT


def _pages_in_app() -> int:
    """The st.Page calls of app.py, less those of app.py's own functions (the /overview redirect)."""
    tree = ast.parse((PROJECT_ROOT / "app.py").read_text(encoding="utf-8"))
    own = {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}
    return sum(1 for node in ast.walk(tree)
               if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "Page"
               and not (node.args and isinstance(node.args[0], ast.Name) and node.args[0].id in own))


def test_every_page_of_the_navigation_is_found_and_can_be_drawn():
    specs = bench_pages.page_specs()
    assert len(specs) == _pages_in_app()
    names = [s.name for s in specs]
    assert len(set(names)) == len(names)
    assert {"overview", "trends", "briefing", "audit"} <= set(names)
    for spec in specs:
        assert callable(getattr(importlib.import_module(spec.module), spec.function)), spec


def test_a_page_added_to_the_app_is_found(tmp_path):
    app = tmp_path / "app.py"
    app.write_text(
        "import streamlit as st\n"
        "from components.pages import overview, trends\n"
        "from components.pages.corrections_ui import render_audit as audit_page\n"
        "from components.pages.admin_panel import draw\n"
        "pages = [st.Page(overview.render, title='Overview', url_path='overview', default=True),\n"
        "         st.Page(trends.render, url_path='trends'), st.Page(audit_page, title='Audit'),\n"
        "         st.Page(draw, title='Admin', url_path='admin')]\n",
        encoding="utf-8",
    )
    assert bench_pages.page_specs(app) == [
        bench_pages.PageSpec("overview", "components.pages.overview", "render"),
        bench_pages.PageSpec("trends", "components.pages.trends", "render"),
        bench_pages.PageSpec("render_audit", "components.pages.corrections_ui", "render_audit"),
        bench_pages.PageSpec("admin", "components.pages.admin_panel", "draw"),
    ]


def test_the_table_marks_each_target():
    rows = [
        {"page": "overview", "cold": 2.5, "warm": 0.4, "filter": 2.4, "rss_mib": 300.0, "errors": []},
        {"page": "audit", "cold": 0.2, "warm": 0.1, "filter": None, "rss_mib": 200.0, "errors": []},
    ]
    together = {"rss_mib": 400.0, "errors": []}
    table = bench_pages.report(rows, together, 100_000, "Russia", "postgresql+psycopg://u:secret@db/load")
    overview = next(line for line in table.splitlines() if line.startswith("overview"))
    assert "2.50 s ✓" in overview and "0.40 s ✓" in overview and "2.40 s ✗" in overview
    audit = next(line for line in table.splitlines() if line.startswith("audit"))
    assert "–" in audit and "✗" not in audit
    assert "100,000 articles" in table and "secret" not in table and "Russia" in table
    assert bench_pages.missed(rows, together)
    assert not bench_pages.missed(rows[1:], together)
    assert bench_pages.missed(rows[1:], {"rss_mib": 2048.0, "errors": []})


def test_a_small_store_is_measured_page_by_page(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'small.db'}"
    loadtest.fill(url, 60, seed=2, mode="bulk")
    bench_pages.main(["--database", url, "--pages", "overview,trends,audit", "--json", "--cpu"])
    out = capsys.readouterr().out
    measured = {row["page"]: row for row in (json.loads(line) for line in out.splitlines() if line.startswith("{"))}
    assert set(measured) == {"overview", "trends", "audit"}
    for name, row in measured.items():
        assert row["errors"] == [], (name, row["errors"])
        assert row["cold"] > 0 and row["warm"] > 0 and row["rss_mib"] > 0 and row["cold_cpu"] > 0
    assert measured["overview"]["filter"] > 0 and measured["trends"]["filter"] > 0
    assert measured["audit"]["filter"] is None and measured["audit"]["filter_cpu"] is None  # no Actors filter on that page
    assert "CPU time of the page's process" in out
    table = [line.split()[0] for line in out.splitlines() if line.split()]
    assert {"overview", "trends", "audit"} <= set(table)


def test_an_unknown_page_is_refused_by_name(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'tiny.db'}"
    loadtest.fill(url, 5, seed=1, mode="bulk")
    assert bench_pages.main(["--database", url, "--pages", "overveiw"]) == 2
    assert "no page overveiw" in capsys.readouterr().err
