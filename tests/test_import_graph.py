"""The package's import graph has no cycle: every import counts, also the lazy ones inside functions.

Only imports under ``if TYPE_CHECKING:`` are left out (they never run). A cycle hidden behind a lazy
import still ties the modules together: none of them can be understood, tested or moved alone.
"""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import REPO

PACKAGE = REPO / "kennisbank"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _type_checking_only(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(tree: ast.AST):
    """Every import node, at any depth, except those under ``if TYPE_CHECKING:``."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and _type_checking_only(node):
            for child in node.orelse:
                yield from _imports(child)
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        yield from _imports(node)


def imported_modules(name: str, path: Path, known: set[str]) -> set[str]:
    """The package's modules that module ``name`` (at ``path``) imports."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in _imports(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            base = package
            for _level in range(node.level - 1):
                base = base.rpartition(".")[0]
            if node.level:
                base = f"{base}.{node.module}" if node.module else base
            else:
                base = node.module or ""
            # ``from pkg import sub`` imports the module pkg.sub when there is one, else a name of pkg.
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names]
        found.update(target for target in targets if target in known and target != name)
    return found


def import_graph() -> dict[str, set[str]]:
    found = modules()
    return {name: imported_modules(name, path, set(found)) for name, path in found.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle as a list of modules (the first repeated at the end), or None."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                return path[path.index(target):] + [target]
            if target not in state:
                cycle = visit(target)
                if cycle:
                    return cycle
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            cycle = visit(node)
            if cycle:
                return cycle
    return None


def test_the_package_has_no_import_cycle() -> None:
    graph = import_graph()
    assert len(graph) > 30 and "kennisbank.ids" in graph
    cycle = find_cycle(graph)
    assert cycle is None, " -> ".join(cycle or [])


def test_lazy_imports_inside_functions_count(tmp_path: Path) -> None:
    """The walker sees an import inside a function, resolves relative levels, and skips TYPE_CHECKING."""
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("def f():\n    from .sub import b\n")
    (package / "sub" / "__init__.py").write_text("")
    (package / "sub" / "b.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .. import c\nfrom ..a import f\n")
    (package / "c.py").write_text("import pkg.a\n")
    known = {"pkg", "pkg.a", "pkg.sub", "pkg.sub.b", "pkg.c"}
    graph = {
        "pkg.a": imported_modules("pkg.a", package / "a.py", known),
        "pkg.sub.b": imported_modules("pkg.sub.b", package / "sub" / "b.py", known),
        "pkg.c": imported_modules("pkg.c", package / "c.py", known),
    }
    assert graph == {"pkg.a": {"pkg.sub.b"}, "pkg.sub.b": {"pkg.a"}, "pkg.c": {"pkg.a"}}
    assert find_cycle(graph) == ["pkg.a", "pkg.sub.b", "pkg.a"]


def test_ids_live_in_a_leaf_module() -> None:
    """Ids belong with the entry model: ``kennisbank.ids`` imports nothing of the package."""
    assert import_graph()["kennisbank.ids"] == set()


def external_imports(path: Path) -> set[str]:
    """The top-level names of what ``path`` imports from outside (absolute imports only)."""
    found: set[str] = set()
    for node in _imports(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name.partition(".")[0] for alias in node.names)
        elif node.level == 0 and node.module:
            found.add(node.module.partition(".")[0])
    return found


def test_the_library_is_free_of_click() -> None:
    """Only the command line (cli.py and its command modules cli_*.py) and its prompts import click (i18n patches click's texts by module name, when
    the command line asks); the library raises plain errors with an exit code."""
    from kennisbank.errors import KennisbankError, UsageError

    using_click = {name for name, path in modules().items() if "click" in external_imports(path)}
    assert using_click == {"kennisbank.cli", "kennisbank.cli_import", "kennisbank.cli_plans", "kennisbank.prompts"}
    assert KennisbankError.__mro__[1:] == (Exception, BaseException, object)
    assert (KennisbankError("x").exit_code, UsageError("x").exit_code) == (1, 2)
    assert str(KennisbankError("kapot", hint="probeer")) == "kapot\n  tip: probeer"
