"""No function in the product over 80 lines: a long decision becomes named steps."""

from __future__ import annotations

import ast
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
MAX_LINES = 80


def _long_functions(source: str) -> list[tuple[str, int, int]]:
    return [(node.name, node.lineno, node.end_lineno - node.lineno + 1)
            for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.end_lineno - node.lineno + 1 > MAX_LINES]


def test_no_function_over_80_lines():
    paths = [*sorted((PROJECT / "components").rglob("*.py")), PROJECT / "app.py"]
    offenders = [f"{path.relative_to(PROJECT)}:{line} {name} ({n} lines)"
                 for path in paths for name, line, n in _long_functions(path.read_text(encoding="utf-8"))]
    assert not offenders, "split these into named steps:\n" + "\n".join(offenders)


def test_the_check_sees_a_long_function():
    body = "\n".join(f"    x{i} = {i}" for i in range(MAX_LINES))
    assert _long_functions(f"def long():\n{body}\n") == [("long", 1, MAX_LINES + 1)]
