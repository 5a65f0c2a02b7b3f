"""No import cycle inside ``ciqanalysis/`` (包内无循环导入).

The test parses every module with :mod:`ast` (nothing is imported) and draws an edge
from a module to each package module it imports, at module level or inside a
function (a deferred import hides a cycle from the interpreter, not from the
design). Imports under ``if TYPE_CHECKING:`` are left out. ``from X import name``
points at the submodule ``X.name`` when that file exists, otherwise at ``X`` (its
``__init__`` for a package). A cycle is a strongly connected component of two or
more modules, or a module importing itself.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parents[1] / "ciqanalysis"


def module_files(root: Path, package: str) -> dict[str, Path]:
    """Map dotted module names to files for every ``.py`` file under ``root``."""
    out = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join([package, *parts])] = path
    return out


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(tree: ast.AST):
    """Yield Import/ImportFrom nodes, skipping ``if TYPE_CHECKING:`` bodies."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and _is_type_checking(node):
            stack.extend(node.orelse)
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        stack.extend(ast.iter_child_nodes(node))


def import_graph(root: Path, package: str) -> dict[str, set[str]]:
    """Edges module -> package modules it imports (static, from the source)."""
    files = module_files(root, package)
    graph: dict[str, set[str]] = {name: set() for name in files}
    for name, path in files.items():
        is_pkg = path.name == "__init__.py"
        here = name.split(".") if is_pkg else name.split(".")[:-1]
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in _imports(tree):
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                if node.level:
                    base = here[: len(here) - (node.level - 1)]
                    mod = ".".join(base + ([node.module] if node.module else []))
                else:
                    mod = node.module or ""
                targets = [f"{mod}.{a.name}" if f"{mod}.{a.name}" in files else mod
                           for a in node.names]
            for t in targets:
                # ``import pkg.sub.mod`` or a name inside a module: nearest known module
                while t and t not in files:
                    t = t.rpartition(".")[0]
                if t:
                    graph[name].add(t)
    return graph


def find_cycles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """Strongly connected components with a cycle (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    out: list[frozenset[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                comp = set()
                while True:
                    m = stack.pop()
                    on_stack.discard(m)
                    comp.add(m)
                    if m == node:
                        break
                if len(comp) > 1 or node in graph[node]:
                    out.append(frozenset(comp))
    return out


def _describe(cycles) -> str:
    return "; ".join(" <-> ".join(sorted(c)) for c in cycles)


# the walker itself, on a throw-away package ------------------------------------------

def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")


def test_walker_finds_deferred_relative_and_package_cycles(tmp_path):
    _write(tmp_path, {
        "__init__.py": "from . import a\n",
        "a.py": "from .b import f\n",
        "b.py": "def f():\n    from .a import g\n    return g\n",   # deferred: a <-> b
        "sub/__init__.py": "from .c import h\n",
        "sub/c.py": "from ..d import k\n",
        "d.py": "import pkg.sub\n",                                 # sub -> c -> d -> sub
        "e.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from . import f\n",
        "f.py": "from . import e\n",                                 # typing only: no cycle
        "g.py": "from .g import x\n",                                # self-import
    })
    cycles = set(find_cycles(import_graph(tmp_path, "pkg")))
    assert cycles == {frozenset({"pkg.a", "pkg.b"}),
                      frozenset({"pkg.sub", "pkg.sub.c", "pkg.d"}),
                      frozenset({"pkg.g"})}


def test_walker_sees_no_cycle_in_a_layered_package(tmp_path):
    _write(tmp_path, {"__init__.py": "from . import top\n", "base.py": "import os\n",
                      "mid.py": "from .base import os\n", "top.py": "from . import mid, base\n"})
    graph = import_graph(tmp_path, "pkg")
    assert graph["pkg.top"] == {"pkg.mid", "pkg.base"}
    assert find_cycles(graph) == []


# the package ----------------------------------------------------------------------

def test_graph_covers_every_module_and_sees_known_edges():
    graph = import_graph(PACKAGE_DIR, "ciqanalysis")
    assert len(graph) == len(list(PACKAGE_DIR.rglob("*.py")))
    # relative imports are resolved: most modules raise the package's own errors
    users_of_errors = [m for m, targets in graph.items() if "ciqanalysis.errors" in targets]
    assert len(users_of_errors) >= 10


def test_no_import_cycle_at_all():
    cycles = find_cycles(import_graph(PACKAGE_DIR, "ciqanalysis"))
    assert not cycles, f"import cycle(s) in ciqanalysis/: {_describe(cycles)}"
