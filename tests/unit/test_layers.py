"""The layers run one way: no import cycles between our modules, and no lower layer imports a higher one.

Imports inside functions count (they are cycles all the same, only later); imports under
``if TYPE_CHECKING:`` do not (they never run). See ARCHITECTURE.md, "Layout".
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = "components"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _sources() -> dict[str, Path]:
    modules = {_module_name(path): path for path in sorted((ROOT / PACKAGE).rglob("*.py"))}
    modules["app"] = ROOT / "app.py"
    return modules


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    """Every import statement that can run, at any depth, skipping `if TYPE_CHECKING:` bodies."""
    found: list[ast.Import | ast.ImportFrom] = []
    pending: list[ast.AST] = [tree]
    while pending:
        node = pending.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            found.append(node)
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            pending.extend(node.orelse)
            continue
        pending.extend(ast.iter_child_nodes(node))
    return found


def _targets(module: str, is_package: bool, node: ast.Import | ast.ImportFrom, modules: dict[str, Path]) -> list[str]:
    """Absolute dotted names a statement imports: `from a import b` is module `a.b` if there is one, else `a`."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level:  # relative: `.` is this module's package, each further dot one package up
        package = module.split(".") if is_package else module.split(".")[:-1]
        base = ".".join(package[: len(package) - (node.level - 1)] + ([node.module] if node.module else []))
    else:
        base = node.module or ""
    return [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names]


def _resolve(name: str, modules: dict[str, Path]) -> str | None:
    """The longest of our modules that `name` names or lies in (`components.a.f` -> `components.a`)."""
    while name:
        if name in modules:
            return name
        name = name.rpartition(".")[0]
    return None


def import_graph() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Our modules -> the modules of ours they import, and -> the top-level outside packages they import."""
    modules = _sources()
    ours: dict[str, set[str]] = {}
    outside: dict[str, set[str]] = {}
    for module, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        ours[module], outside[module] = set(), set()
        for node in _imports(tree):
            for name in _targets(module, path.name == "__init__.py", node, modules):
                if name == PACKAGE or name.startswith(PACKAGE + ".") or name == "app":
                    target = _resolve(name, modules)
                    assert target is not None, f"{module} imports {name}, which is not a module of ours"
                    if target != module:
                        ours[module].add(target)
                else:
                    outside[module].add(name.split(".")[0])
    return ours, outside


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components with more than one module: each holds at least one cycle."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for start in sorted(graph):
        if start not in index:
            visit(start)
    return found


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle as a path `a, b, ..., a`, or None."""
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (cycle := visit(start)):
            return cycle
    return None


def _cycle_within(graph: dict[str, set[str]], members: list[str]) -> list[str]:
    inside = {m: graph[m] & set(members) for m in members}
    return find_cycle(inside) or members


def test_no_import_cycles() -> None:
    graph, _ = import_graph()
    cycles = [" -> ".join(_cycle_within(graph, group)) for group in strongly_connected(graph)]
    assert not cycles, "import cycles (function-level imports count):\n" + "\n".join(cycles)


# -- parts and their rules -------------------------------------------------------------------

PRODUCT_PARTS = ("extract", "ingest", "store", "charts")  # below services: never reach up
UPPER_PARTS = ("services", "cli", "pages", "tools")
VOCABULARY = ("components.vocab", "components.roles")


def part_of(module: str) -> str:
    """`components.store.jobs` -> `store`; a top-level module is its own part (`models`, `vocab`); `app` is `app`."""
    parts = module.split(".")
    if parts[0] != PACKAGE:
        return parts[0]
    return parts[1] if len(parts) > 1 else PACKAGE


def part_graph(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    parts: dict[str, set[str]] = {}
    for module, targets in graph.items():
        source = part_of(module)
        parts.setdefault(source, set()).update(part_of(t) for t in targets if part_of(t) != source)
    return parts


def test_no_cycles_between_parts() -> None:
    graph, _ = import_graph()
    parts = part_graph(graph)
    cycles = [f"{', '.join(group)} (e.g. {' -> '.join(_cycle_within(parts, group))})" for group in strongly_connected(parts)]
    witnesses = [f"  {m} -> {t}" for m, ts in sorted(graph.items()) for t in sorted(ts)
                 if any(part_of(m) in g and part_of(t) in g for g in strongly_connected(parts)) and part_of(m) != part_of(t)]
    assert not cycles, "cycles between parts:\n" + "\n".join(cycles) + "\nthrough:\n" + "\n".join(witnesses)


def _violations(rule: str, graph: dict[str, set[str]], breaks: object) -> list[str]:
    return [f"{rule}: {m} imports {t}" for m, ts in sorted(graph.items()) for t in sorted(ts) if breaks(m, t)]  # type: ignore[operator]


def test_layer_rules() -> None:
    graph, outside = import_graph()
    problems = _violations("the vocabulary imports nothing of ours", graph, lambda m, t: m in VOCABULARY)
    problems += _violations("lower layers never import upper ones", graph,
                            lambda m, t: part_of(m) in PRODUCT_PARTS and part_of(t) in UPPER_PARTS)
    problems += _violations("ingest (readers) and store do not know each other; extract knows neither", graph,
                            lambda m, t: {part_of(m), part_of(t)} == {"ingest", "store"}
                            or (part_of(m) == "extract" and part_of(t) in ("ingest", "store")))
    problems += _violations("services never import the CLI or the pages", graph,
                            lambda m, t: part_of(m) == "services" and part_of(t) in ("cli", "pages", "tools"))
    problems += _violations("pages never import the CLI", graph, lambda m, t: part_of(m) == "pages" and part_of(t) in ("cli", "tools"))
    may_use_streamlit = {"app", "components.tools.bench_pages"}
    problems += [f"only pages/ and app.py import streamlit: {m} does" for m in sorted(outside)
                 if "streamlit" in outside[m] and part_of(m) != "pages" and m not in may_use_streamlit]
    assert not problems, "\n".join(problems)


def test_the_graph_sees_function_level_and_relative_imports() -> None:
    """A guard on the parser itself: a nested relative import is found, a TYPE_CHECKING one is not."""
    source = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from .store import db\n"
        "def f():\n    from ..models import Article\n    import streamlit\n"
    )
    nodes = _imports(ast.parse(source))
    modules = _sources()
    found = {n for node in nodes for n in _targets("components.ingest.readers", False, node, modules)}
    assert found == {"typing", "components.models", "streamlit"}
    assert _resolve("components.models.Article", modules) == "components.models"
