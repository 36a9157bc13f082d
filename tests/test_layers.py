"""The package's modules sit on floors and import only downwards, with no cycles and no imports
hidden in strings (DESIGN.md: activity, errors → ingest, athlete → processing → estimators →
stream → library, analysis → daily, report → devices, cohort → cli)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "myokinetics"

#: Floor of each top-level module or subpackage; a module imports only from its floor or below.
FLOORS = {
    "__main__": 8,
    "_version": 0, "errors": 0, "activity": 0, "progress": 0, "limits": 0, "palette": 0,
    "ingest": 1, "athlete": 1,
    "processing": 2,
    "estimators": 3,
    "stream": 4,
    "library": 5, "analysis": 5,
    "daily": 6, "report": 6,
    "devices": 7, "cohort": 7, "export": 7,
    "cli": 8,
}
#: The public facade re-exports names from every floor (lazily, so `import myokinetics` is fast).
FACADE = "myokinetics"


def _modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


def _type_only(tree: ast.Module) -> set[int]:
    """ids of the import nodes under ``if TYPE_CHECKING:`` (never executed)."""
    hidden: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) \
                and node.test.id == "TYPE_CHECKING":
            hidden.update(id(n) for child in node.body for n in ast.walk(child))
    return hidden


def _imports(path: Path, name: str) -> set[str]:
    """Every myokinetics module ``path`` imports when it runs, at module level or inside
    functions (imports for type checkers only are left out)."""
    tree = ast.parse(path.read_text(), str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    hidden = _type_only(tree)
    found = set()
    for node in ast.walk(tree):
        if id(node) in hidden:
            continue
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[:len(package.split(".")) - node.level + 1]
                                + ([base] if base else []))
            found.add(base)
            found.update(f"{base}.{a.name}" for a in node.names)
    return {m for m in found if m == "myokinetics" or m.startswith("myokinetics.")}


def _floor(module: str) -> int | None:
    parts = module.split(".")
    return FLOORS.get(parts[1]) if len(parts) > 1 else None


MODULES = _modules()


@pytest.mark.parametrize("name", sorted(m for m in MODULES if m != FACADE))
def test_imports_point_down(name: str) -> None:
    floor = _floor(name)
    assert floor is not None, f"{name}: give its top-level part a floor in FLOORS"
    for target in _imports(MODULES[name], name):
        if target == FACADE:
            continue
        assert _floor(target) is not None and _floor(target) <= floor, \
            f"{name} (floor {floor}) imports {target} (floor {_floor(target)})"


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_import_hidden_in_a_string(name: str) -> None:
    if name == FACADE:
        return
    source = MODULES[name].read_text()
    assert "import_module(" not in source and "__import__(" not in source, name


def test_no_import_cycle() -> None:
    graph = {name: {t for t in _imports(path, name) if t in MODULES and t != name}
             for name, path in MODULES.items() if name != FACADE}
    # A package's __init__ re-exporting its own modules is not a cycle.
    for name in graph:
        graph[name] = {t for t in graph[name] if not (MODULES[t].name == "__init__.py"
                                                       and name.startswith(t + "."))}
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycle = [*trail[trail.index(nxt):], nxt] if nxt in trail else [node, nxt]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = 2

    for start in sorted(graph):
        if start not in state:
            visit(start, [start])
