"""No import cycle among the app modules.

Every import statement counts, also the ones inside functions: a function-local
import hides a cycle from Python at start-up but not from the reader, and the
next refactoring that moves it to the top breaks start-up. Imports under
`if TYPE_CHECKING:` do not run and are left out.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ("supportdesk", "guide", "tickets", "reports", "imports", "outbox", "channels")


def app_packages() -> list[str]:
    found = [name for name in APPS if (ROOT / name / "__init__.py").exists()]
    # any other top-level package with an apps.py is an app too
    found += [
        p.parent.name
        for p in ROOT.glob("*/apps.py")
        if p.parent.name not in found and (p.parent / "__init__.py").exists()
    ]
    return sorted(found)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def is_type_checking_block(node: ast.AST) -> bool:
    if not isinstance(node, ast.If):
        return False
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imported_modules(tree: ast.Module, module: str, is_package: bool, known: set[str]) -> set[str]:
    """The modules of `known` this module imports: X in `import X`; in
    `from X import Y`, X.Y when it is a module, else X."""
    found: set[str] = set()
    package = module if is_package else module.rpartition(".")[0]

    def visit(node: ast.AST) -> None:
        if is_type_checking_block(node):
            return
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                parts = parts[: len(parts) - (node.level - 1)]
                base = ".".join(parts + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                found.add(sub if sub in known else base)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return (found & known) - {module}


def import_graph() -> dict[str, set[str]]:
    files = {}
    for package in app_packages():
        for path in (ROOT / package).rglob("*.py"):
            files[module_name(path)] = path
    known = set(files)
    return {
        module: imported_modules(
            ast.parse(path.read_text(encoding="utf-8"), filename=str(path)),
            module,
            path.name == "__init__.py",
            known,
        )
        for module, path in files.items()
    }


def cycles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []
    counter = 0

    def connect(node: str) -> None:
        nonlocal counter
        index[node] = low[node] = counter
        counter += 1
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(frozenset(component))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return found


def test_the_walker_finds_a_cycle_hidden_in_a_function():
    # The walker itself: a function-local import closes the cycle.
    known = {"pkg", "pkg.a", "pkg.b"}
    a = ast.parse("from pkg import b\n")
    b = ast.parse("def later():\n    from pkg import a\n")
    graph = {
        "pkg.a": imported_modules(a, "pkg.a", False, known),
        "pkg.b": imported_modules(b, "pkg.b", False, known),
    }
    assert cycles(graph) == [frozenset({"pkg.a", "pkg.b"})]


def test_the_walker_ignores_type_checking_imports():
    tree = ast.parse("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg import b\n")
    assert imported_modules(tree, "pkg.a", False, {"pkg", "pkg.a", "pkg.b"}) == set()


def test_the_walker_resolves_relative_imports():
    # `from . import normalize` needs guide.triage.normalize, not the package
    known = {"guide.triage", "guide.triage.normalize", "guide.triage.rules"}
    tree = ast.parse("from . import normalize\nfrom .rules import x\n")
    assert imported_modules(tree, "guide.triage.engine", False, known) == {
        "guide.triage.normalize",
        "guide.triage.rules",
    }


def test_no_import_cycle_among_app_modules():
    graph = import_graph()
    assert {"tickets.actions.lifecycle", "imports.jobs", "guide.triage.engine"} <= graph.keys()
    found = [sorted(c) for c in cycles(graph)]
    assert found == [], f"import cycles among app modules: {found}"
