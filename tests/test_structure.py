"""The package's layering, read from the source with ``ast``: modules are named by their dotted
path below ``textseq`` (``text.tokenizer``, ``datasets``; a package by its own name, ``glove``),
imports point down the layers, there is no import cycle (lazy imports inside functions count),
importing the setup summary or the models leaves the corpus generator and the downloads alone,
the notebooks give the readers a path, and docs/architecture.md's table lists every module.
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

import textseq

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "textseq"
# Bottom first. A module may import its own layer or a lower one; the layer of a module is the one
# that names its first component (``glove.train`` is in ``glove``'s).
LAYERS = [
    {"_checks", "_files", "atomic", "paths", "archives"},  # private helpers (files, checks)
    {"text", "rnn", "models"},  # the chapter's core: models depends on Keras and _checks only
    {"imdb", "corpus", "glove", "download"},  # the data and its readers
    {"datasets"},  # the data switch
    {"notebook", "plots", "results"},  # what the notebooks call around the chapter's code
]


def module_names(src: Path = SRC) -> set[str]:
    """Dotted names below ``textseq`` of every module and package (``textseq`` itself left out:
    its ``__init__`` imports lazily, by name, see `textseq.__getattr__`)."""
    names = set()
    for path in src.rglob("*.py"):
        parts = path.relative_to(src).with_suffix("").parts
        parts = parts[:-1] if parts[-1] == "__init__" else parts
        if parts:
            names.add(".".join(parts))
    return names


def source_of(name: str, src: Path = SRC) -> Path:
    path = src.joinpath(*name.split("."))
    return path / "__init__.py" if path.is_dir() else path.with_suffix(".py")


def imported_modules(source: str, name: str, modules: set[str], exports: dict[str, str],
                     is_package: bool = False) -> set[str]:
    """The textseq modules that module ``name`` imports, at module level or inside functions.

    Handles ``import textseq.a.b``, ``from textseq import x`` (a module, or a name that
    ``textseq/__init__.py`` resolves to a module), ``from textseq.a import b`` (the submodule
    ``a.b`` if there is one, else the package ``a``) and relative imports.
    """
    found: set[str] = set()

    def longest(parts: list[str]) -> str | None:
        for end in range(len(parts), 0, -1):
            if ".".join(parts[:end]) in modules:
                return ".".join(parts[:end])
        return None

    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "textseq" and (hit := longest(parts[1:])):
                    found.add(hit)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                package = name.split(".") if is_package else name.split(".")[:-1]
                if node.level - 1 > len(package):
                    raise AssertionError(f"{name}: relative import beyond the package")
                base = package[:len(package) - node.level + 1]
                base += node.module.split(".") if node.module else []
            elif node.module and node.module.split(".")[0] == "textseq":
                base = node.module.split(".")[1:]
            else:
                continue
            for alias in node.names:
                member = ".".join([*base, alias.name])
                if member in modules:
                    found.add(member)
                elif not base and alias.name in exports:
                    found.add(exports[alias.name])
                elif base and (hit := longest(base)):
                    found.add(hit)
    found.discard(name)
    return found & modules


def import_graph(src: Path = SRC) -> dict[str, set[str]]:
    """Module name -> the textseq modules it imports."""
    modules = module_names(src)
    exports = {**textseq._WHERE, **textseq._MODULES}
    return {m: imported_modules(source_of(m, src).read_text(encoding="utf-8"), m, modules,
                                exports, source_of(m, src).name == "__init__.py")
            for m in sorted(modules)}


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


def layer(module: str) -> int:
    (index,) = [i for i, names in enumerate(LAYERS) if module.split(".")[0] in names]
    return index


# --- the checker itself -------------------------------------------------------------------

MODULES = {"a", "b", "c", "p", "p.x", "p.y"}


@pytest.mark.parametrize("source, expected", [
    ("import textseq.b", {"b"}),
    ("import textseq.p.x as x", {"p.x"}),
    ("from textseq import b, c", {"b", "c"}),
    ("from textseq.b import thing", {"b"}),
    ("from textseq.p import x, thing", {"p.x", "p"}),  # a submodule, and a name of the package
    ("from textseq.p.y import thing", {"p.y"}),
    ("from textseq import Tokenizer, training", {"c", "p.y"}),  # names textseq/__init__ resolves
    ("def f():\n    from textseq import b\n    return b", {"b"}),  # lazy
    ("class K:\n    def m(self):\n        import textseq.c", {"c"}),
    ("import os\nfrom numpy import array\nfrom textseq import a", set()),  # itself, others
])
def test_imports_are_found_at_every_level(source, expected):
    exports = {"Tokenizer": "c", "training": "p.y"}
    assert imported_modules(source, "a", MODULES, exports) == expected


@pytest.mark.parametrize("source, expected", [
    ("from . import y", {"p.y"}),
    ("from .y import thing", {"p.y"}),
    ("from . import thing", {"p"}),
])
def test_relative_imports_are_found(source, expected):
    assert imported_modules(source, "p.x", MODULES, {}) == expected


def test_a_lazy_cycle_is_found(tmp_path):
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "__init__.py").write_text("from textseq.b import x\n", encoding="utf-8")
    (tmp_path / "b.py").write_text("def f():\n    from textseq.p.c import x\n", encoding="utf-8")
    (tmp_path / "p" / "c.py").write_text("def g():\n    import textseq.p\n", encoding="utf-8")
    assert find_cycle(import_graph(tmp_path)) == ["b", "p.c", "p", "b"]


# --- the package --------------------------------------------------------------------------

def test_every_module_has_a_layer():
    for module in module_names():
        layer(module)


def test_no_import_cycle_among_textseq_modules():
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


def test_imports_point_down():
    upward = [f"{module} ({layer(module)}) imports {other} ({layer(other)})"
              for module, imported in import_graph().items() for other in sorted(imported)
              if layer(other) > layer(module)]
    assert upward == []


def test_models_depend_only_on_keras_and_the_checks():
    assert import_graph()["models"] <= {"_checks"}


def test_setup_summary_and_models_leave_the_corpus_and_the_downloads_alone():
    """In a fresh interpreter: importing the setup summary, describing the data, importing the
    models imports neither the corpus generator nor the downloads."""
    code = """if True:
        import sys
        def heavy():
            return sorted(m for m in sys.modules if m.startswith(
                ("textseq.corpus", "textseq.download", "textseq.imdb.fetch")))
        import textseq.notebook.setup
        print(heavy())
        from textseq import datasets
        datasets.describe()
        print(heavy())
        import textseq.models
        print(heavy())
    """
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=300)
    assert out.stdout.split("\n")[:3] == ["[]", "[]", "[]"], out.stdout


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


def test_architecture_module_table_lists_every_module():
    """docs/architecture.md has a table whose first column names the modules, in backticks, as
    ``text/tokenizer.py``, ``text.tokenizer`` or ``textseq.text.tokenizer`` (a package as
    ``glove/`` or ``glove``): every module is listed, and nothing else."""
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    first_cells = [row.split("|")[1] for row in text.splitlines()
                   if row.startswith("|") and not re.match(r"^\|[\s:|-]+$", row)]
    listed = set()
    for name in re.findall(r"`([\w./]+)`", " ".join(first_cells)):
        name = name.removeprefix("src/").removeprefix("textseq/").removeprefix("textseq.")
        name = name.removesuffix(".py").removesuffix("/__init__").rstrip("/").replace("/", ".")
        if name != "textseq":  # the package itself
            listed.add(name)
    modules = module_names()
    packages = {m for m in modules if source_of(m).name == "__init__.py"}
    assert sorted(modules - packages - listed) == []
    assert sorted(listed - modules) == []


def test_modules_and_the_package_stay_small_enough_to_read():
    """docs/architecture.md's promise: no module over 400 lines, and the wheel's Python source at
    most the number of lines the document names (read from it, so the two cannot drift apart)."""
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    (limit,) = re.findall(r"the wheel's Python source is at most ([\d,]+) lines", text)
    sizes = {p.relative_to(SRC).as_posix(): len(p.read_text(encoding="utf-8").splitlines())
             for p in SRC.rglob("*.py")}
    assert {name: n for name, n in sizes.items() if n > 400} == {}
    assert sum(sizes.values()) <= int(limit.replace(",", ""))
