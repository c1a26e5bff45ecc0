"""The library's import graph: every module of corpus/, indexer/, glossary/, awards/, tooling/,
records/, accounts/ and proposals/ imports in a fresh interpreter, no two modules import each other
at module level (directly or round a loop), the layers run one way (docs/ARCHITECTURE.md), and no
module of the library imports another of the project inside a function (the site's deferred
imports are the ones ARCHITECTURE.md names)."""
from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LIBRARY = ("corpus", "glossary", "indexer", "awards", "tooling", "records", "accounts", "proposals")
# What each package may import, at any level (function-level imports included).
MAY_IMPORT = {
    "corpus": {"corpus"},
    "glossary": {"corpus", "glossary"},
    "indexer": {"corpus", "glossary", "indexer"},
    "awards": {"corpus", "glossary", "awards"},
    "tooling": {"corpus", "glossary", "indexer", "tooling"},
    "records": {"corpus", "glossary", "awards", "records"},
    "accounts": {"corpus", "records", "accounts"},
    "proposals": {"corpus", "glossary", "awards", "records", "proposals"},
}
PROJECT = {*LIBRARY, "search_app"}
# search_app's imports of the project inside functions, each deferred on purpose (ARCHITECTURE.md):
# the CLI's commands import what they run inside run(); python-docx behind the .docx downloads; the
# admin rebuild's start_embedding (search_app.app includes the admin router).
SITE_DEFERRED = {
    ("search_app/routes/admin.py", "search_app.app"),
    ("search_app/routes/award.py", "awards.docx_export"),
    ("search_app/routes/documents.py", "search_app.routes.doc_export"),
}


def module_files(root: Path, packages=LIBRARY) -> dict[str, Path]:
    out = {}
    for pkg in packages:
        for path in sorted((root / pkg).rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            out[".".join(parts)] = path
    return out


def _is_type_checking(node: ast.If) -> bool:
    t = node.test
    return (isinstance(t, ast.Name) and t.id == "TYPE_CHECKING") or (isinstance(t, ast.Attribute) and t.attr == "TYPE_CHECKING")


def _module_level(body: list[ast.stmt]):
    """Import statements run when the module is imported (not those in functions or classes, nor
    under ``if TYPE_CHECKING``)."""
    for node in body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        elif isinstance(node, ast.If):
            if not _is_type_checking(node):
                yield from _module_level(node.body)
            yield from _module_level(node.orelse)
        elif isinstance(node, ast.Try):
            for block in (node.body, node.orelse, node.finalbody, *[h.body for h in node.handlers]):
                yield from _module_level(block)
        elif isinstance(node, ast.With):
            yield from _module_level(node.body)


def _targets(node: ast.Import | ast.ImportFrom, module: str, is_package: bool, known: set[str]) -> set[str]:
    """The project modules an import statement loads (a package's __init__ included)."""
    if isinstance(node, ast.Import):
        names = [a.name for a in node.names]
    else:
        if node.level:
            base = module.split(".") if is_package else module.split(".")[:-1]
            base = base[: len(base) - (node.level - 1)]
            prefix = ".".join(base + ([node.module] if node.module else []))
        else:
            prefix = node.module or ""
        names = [prefix] + [f"{prefix}.{a.name}" for a in node.names]
    out = set()
    for name in names:
        parts = name.split(".")
        for i in range(1, len(parts) + 1):        # importing a.b.c runs a/__init__ and a/b/__init__
            candidate = ".".join(parts[:i])
            if candidate in known and not module.startswith(candidate + ".") and candidate != module:
                out.add(candidate)
    return out


def import_graph(root: Path, packages=LIBRARY, module_level_only: bool = True) -> dict[str, set[str]]:
    files = module_files(root, packages)
    known = set(files)
    graph = {}
    for module, path in files.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        nodes = (_module_level(tree.body) if module_level_only
                 else (n for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))))
        graph[module] = set().union(*[_targets(n, module, path.name == "__init__.py", known) for n in nodes])
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import loop (modules in order, the first repeated at the end), or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(m: str) -> list[str] | None:
        state[m] = 1
        stack.append(m)
        for n in sorted(graph.get(m, ())):
            if state.get(n) == 1:
                return stack[stack.index(n):] + [n]
            if n not in state and (loop := visit(n)):
                return loop
        stack.pop()
        state[m] = 2
        return None

    for m in sorted(graph):
        if m not in state and (loop := visit(m)):
            return loop
    return None


def test_no_import_cycle_in_the_library():
    assert find_cycle(import_graph(ROOT)) is None


def test_layers_run_one_way():
    wrong = [f"{m} imports {t}" for m, targets in import_graph(ROOT, module_level_only=False).items()
             for t in targets if t.split(".")[0] not in MAY_IMPORT[m.split(".")[0]]]
    assert wrong == []


def test_every_module_imports_in_a_fresh_interpreter():
    # Alembic's env.py and revision files run inside alembic (tests/test_records_db.py), not on import.
    modules = sorted(m for m in module_files(ROOT) if ".migrations" not in m)
    assert len(modules) > 60
    code = "import importlib, sys\nfor m in sys.argv[1:]:\n    importlib.import_module(m)\n"
    proc = subprocess.run([sys.executable, "-c", code, *modules], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]


@pytest.mark.parametrize("files, loop", [
    # a ↔ b, through a relative import
    ({"p/__init__.py": "", "p/a.py": "from . import b\n", "p/b.py": "from .a import x\n"}, ["p.a", "p.b", "p.a"]),
    # a → b → c → a, absolute, one of them inside a try block
    ({"p/__init__.py": "", "p/a.py": "import p.b\n", "p/b.py": "try:\n    from p import c\nexcept ImportError:\n    pass\n",
      "p/c.py": "from p.a import y\n"}, ["p.a", "p.b", "p.c", "p.a"]),
    # a package's __init__ importing a module that imports the package's other module back
    ({"p/__init__.py": "", "p/q/__init__.py": "from .m import f\n", "p/q/m.py": "from p.n import g\n",
      "p/n.py": "from p.q import f\n"}, ["p.n", "p.q", "p.q.m", "p.n"]),
])
def test_the_checker_finds_a_loop(tmp_path, files, loop):
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(textwrap.dedent(text))
    assert find_cycle(import_graph(tmp_path, ("p",))) == loop


@pytest.mark.parametrize("files", [
    # imports inside functions and under TYPE_CHECKING are not loops at import time
    {"p/__init__.py": "", "p/a.py": "from . import b\n",
     "p/b.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .a import x\ndef f():\n    from .a import y\n"},
])
def test_the_checker_ignores_deferred_imports(tmp_path, files):
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    assert find_cycle(import_graph(tmp_path, ("p",))) is None


def test_pyflakes_finds_nothing():
    """No unused import, undefined name or dead assignment in the library, the site and the commands."""
    pytest.importorskip("pyflakes")
    targets = [*LIBRARY, "search_app"]
    proc = subprocess.run([sys.executable, "-m", "pyflakes", *targets], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.stdout == "" and proc.returncode == 0, proc.stdout[-3000:]


def deferred_imports(root: Path, packages) -> list[tuple[str, str]]:
    """(file, module) for each import of a project module inside a function."""
    out = []
    for module, path in module_files(root, packages).items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for fn in ast.walk(tree):
            if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for node in ast.walk(fn):
                if isinstance(node, ast.ImportFrom):
                    if node.level:
                        base = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
                        base = base[: len(base) - (node.level - 1)]
                        target = ".".join(base + ([node.module] if node.module else []))
                    else:
                        target = node.module or ""
                    if node.module is None:
                        targets = [f"{target}.{a.name}" for a in node.names]
                    else:
                        targets = [target]
                elif isinstance(node, ast.Import):
                    targets = [a.name for a in node.names]
                else:
                    continue
                rel = str(path.relative_to(root).as_posix())
                out += [(rel, t) for t in targets if t.split(".")[0] in PROJECT]
    return sorted(set(out))


def test_the_library_imports_the_project_at_the_top():
    assert deferred_imports(ROOT, LIBRARY) == []


def test_the_site_defers_only_the_imports_it_names():
    found = {(f, m) for f, m in deferred_imports(ROOT, ("search_app",)) if not f.startswith("search_app/commands/")}
    assert found == SITE_DEFERRED


def test_the_deferred_import_finder_sees_relative_and_absolute_imports(tmp_path):
    (tmp_path / "records").mkdir()
    (tmp_path / "records" / "__init__.py").write_text("")
    (tmp_path / "records" / "a.py").write_text("import os\n\ndef f():\n    from .b import x\n    import corpus.vntext\n    import json\n")
    assert deferred_imports(tmp_path, ("records",)) == [("records/a.py", "corpus.vntext"), ("records/a.py", "records.b")]
