"""The package's layering, read from the source with ``ast``: no import cycle among textseq's
modules (lazy imports inside functions count), the low-level readers never import the data
switch, the notebooks give the readers a path, and the README's module table lists every module.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

import textseq

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "textseq"
MODULES = sorted(p.stem for p in SRC.glob("*.py") if p.stem != "__init__")
# The low-level readers take explicit paths; `datasets` (the data switch) sits on top of them.
READERS = ["aclimdb", "imdb", "corpus", "glove", "glove_format", "glove_sources",
           "_glove_numbers", "glove_package", "glove_train"]


def imported_modules(source: str, name: str, modules: set[str],
                     exports: dict[str, str]) -> set[str]:
    """The textseq modules that the module ``name`` imports, at module level or inside functions.

    Handles ``import textseq.x``, ``from textseq import x`` (a module, or a name that
    ``textseq/__init__.py`` exports from module x), ``from textseq.x import y`` and relative
    imports (``from . import x``, ``from .x import y``).
    """
    found: set[str] = set()

    def add_package_member(member: str) -> None:
        if member in modules:
            found.add(member)
        elif member in exports:
            found.add(exports[member])

    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "textseq" and len(parts) > 1:
                    found.add(parts[1])
        elif isinstance(node, ast.ImportFrom):
            if node.level > 1:
                raise AssertionError(f"{name}: relative import beyond the package")
            if node.level == 1:
                parts = ["textseq"] + (node.module.split(".") if node.module else [])
            elif node.module:
                parts = node.module.split(".")
            else:
                continue
            if parts[0] != "textseq":
                continue
            if len(parts) > 1:
                found.add(parts[1])
            else:
                for alias in node.names:
                    add_package_member(alias.name)
    found.discard(name)
    return found & modules


def import_graph(src: Path = SRC) -> dict[str, set[str]]:
    """Module name -> the textseq modules it imports (``__init__`` excluded: it imports lazily,
    by name, see `textseq.__getattr__`)."""
    modules = {p.stem for p in src.glob("*.py")} - {"__init__"}
    exports = dict(textseq._WHERE)
    return {m: imported_modules((src / f"{m}.py").read_text(encoding="utf-8"), m, modules,
                                exports) for m in sorted(modules)}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """A cycle ``[a, b, ..., a]`` of ``graph``, or ``None`` (depth-first search)."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


# --- the checker itself -------------------------------------------------------------------

@pytest.mark.parametrize("source, expected", [
    ("import textseq.b", {"b"}),
    ("import textseq.b as bee", {"b"}),
    ("from textseq import b, c", {"b", "c"}),
    ("from textseq.b import thing", {"b"}),
    ("from textseq import Tokenizer", {"c"}),  # a name exported by textseq/__init__.py
    ("from . import b", {"b"}),
    ("from .b import thing", {"b"}),
    ("def f():\n    from textseq import b\n    return b", {"b"}),  # lazy
    ("class K:\n    def m(self):\n        import textseq.c", {"c"}),
    ("import os\nfrom numpy import array\nfrom textseq import a", set()),  # itself, others
])
def test_imports_are_found_at_every_level(source, expected):
    assert imported_modules(source, "a", {"a", "b", "c"}, {"Tokenizer": "c"}) == expected


def test_a_lazy_cycle_is_found(tmp_path):
    (tmp_path / "a.py").write_text("from textseq import b\n", encoding="utf-8")
    (tmp_path / "b.py").write_text("def f():\n    from textseq.c import x\n", encoding="utf-8")
    (tmp_path / "c.py").write_text("def g():\n    import textseq.a\n", encoding="utf-8")
    assert find_cycle(import_graph(tmp_path)) == ["a", "b", "c", "a"]


# --- the package --------------------------------------------------------------------------

def test_no_import_cycle_among_textseq_modules():
    graph = import_graph()
    assert set(graph) == set(MODULES)
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


@pytest.mark.parametrize("module", READERS)
def test_low_level_readers_never_import_the_data_switch(module):
    graph = import_graph()
    reachable, todo = set(), [module]
    while todo:
        for nxt in graph[todo.pop()] - reachable:
            reachable.add(nxt)
            todo.append(nxt)
    assert "datasets" not in reachable, f"{module} reaches textseq.datasets"


def _notebook_code(path: Path) -> str:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    lines = []
    for cell in cells:
        if cell["cell_type"] == "code":
            source = "".join(cell["source"])
            for line in source.splitlines():  # a magic (%pip, !ls) becomes a no-op statement
                magic = line.lstrip().startswith(("%", "!"))
                lines.append(line[:len(line) - len(line.lstrip())] + "pass" if magic else line)
    return "\n".join(lines)


@pytest.mark.parametrize("notebook", sorted((ROOT / "notebooks").glob("*.ipynb")),
                         ids=lambda p: p.stem)
def test_notebooks_give_the_imdb_readers_a_path(notebook):
    """`imdb.load_data` and `get_word_index` take the aclImdb folder (`datasets.imdb_dir()`)."""
    for node in ast.walk(ast.parse(_notebook_code(notebook))):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("load_data", "get_word_index")
                and isinstance(node.func.value, ast.Name) and node.func.value.id == "imdb"):
            has_path = node.args or any(k.arg == "path" for k in node.keywords)
            assert has_path, f"line {node.lineno}: imdb.{node.func.attr} without a path"


def test_readme_module_table_lists_every_module():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## The package", 1)[1].split("\n## ", 1)[0]
    first_cells = [row.split("|")[1] for row in section.splitlines()
                   if row.startswith("|") and not row.startswith("|---")][1:]
    listed = set(re.findall(r"`(\w+)`", " ".join(first_cells)))
    assert sorted(set(MODULES) - listed) == []
    assert sorted(listed - set(MODULES)) == []
