"""Keep the notebooks' Colab badges and setup cells in line with the repository and the version.

    python tools/notebook_links.py --check notebooks/*.ipynb   # list mismatches, exit 1 if any
    python tools/notebook_links.py --fix notebooks/*.ipynb     # rewrite the notebooks in place

A file that is not a notebook (invalid JSON, no cells list, ...) is reported by name with what is
wrong; the others are still checked or fixed, and the exit status is 1.

Each fact is written once: the repository's address in ``pyproject.toml`` (``[project.urls]
Repository``), the version as ``__version__`` in ``src/textseq/__init__.py``. Derived from them:

- **Badges.** Every Colab link in a notebook's markdown opens the notebook as released, at the tag
  ``v<version>`` (`colab_url`); a notebook without one gets `colab_badge` in its first markdown
  cell.
- **Install line.** The setup cell (the first code cell), and any other line that pip-installs
  textseq, installs the release's wheel: `install_line`, e.g. ``%pip install -q "textseq @
  https://github.com/OWNER/REPO/releases/download/v0.1.0/textseq-0.1.0-py3-none-any.whl"``. A
  missing one is reported, not invented.
- **Summary.** The setup cell ends with `summary_lines`: the guarded import, which turns a failed
  install into one message that says what to do, then the summary of the data and the device.

Releasing version X: set ``__version__ = "X"``, run ``--fix``, ``make test``, tag ``vX`` and attach
``dist/textseq-X-py3-none-any.whl`` to the GitHub release ``vX``. Notebooks are written as
nbformat writes them (JSON, indent 1, keys sorted), so a fix changes only the lines it rewrites,
and atomically (``textseq._files``: a temporary sibling, then renamed), so a failed write leaves the
notebook as it was.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "src") not in sys.path:  # this checkout's textseq, whether installed or not
    sys.path.insert(0, str(ROOT / "src"))
from textseq._checks import describe  # noqa: E402
from textseq._files import write_text  # noqa: E402  (notebooks are written atomically)

PACKAGE = "textseq"
COLAB = "https://colab.research.google.com"
BADGE_IMAGE = f"{COLAB}/assets/colab-badge.svg"
_GITHUB = re.compile(r"https://github\.com/(?P<owner>[A-Za-z0-9-]+)/(?P<repo>[A-Za-z0-9._-]+)")
_IMPORT = "from textseq.notebook import setup_summary"
_OLD_IMPORTS = ("from textseq.runtime import setup_summary",)  # replaced by --fix
_PRINT = "print(setup_summary())  # the data in use (TEXTSEQ_DATA) and the device"
# Any link that opens a GitHub notebook in Colab, up to a quote, bracket or space.
_COLAB_LINK = re.compile(re.escape(COLAB) + r"/github/[^\s\"'<>()\[\]]+")
# A line that pip-installs textseq, in IPython's (%pip) or the shell's (!pip) form.
_INSTALL = re.compile(r"^(?P<indent>[ \t]*)[%!]\s*pip3?\s+install\b.*\btextseq\b.*$",
                      re.MULTILINE)


def repository(root: Path = ROOT) -> str:
    """The ``Repository`` address of ``pyproject.toml``, without a trailing ``/`` or ``.git``."""
    with open(root / "pyproject.toml", "rb") as f:
        address = tomllib.load(f).get("project", {}).get("urls", {}).get("Repository")
    where = f"{root / 'pyproject.toml'} [project.urls]"
    if not address:
        raise LookupError(f"no Repository address in {where}")
    address = address.strip().removesuffix("/").removesuffix(".git")
    if _GITHUB.fullmatch(address) is None:
        raise ValueError(f"the Repository address in {where} must be https://github.com/OWNER/REPO "
                         f"(Colab opens notebooks from GitHub); got {address!r}")
    return address


def version(root: Path = ROOT) -> str:
    """``__version__`` as written in ``src/textseq/__init__.py``."""
    text = (root / "src" / PACKAGE / "__init__.py").read_text(encoding="utf-8")
    return re.search(r'^__version__ = "([^"]+)"$', text, re.MULTILINE).group(1)


def github_path(address: str | None = None) -> str:
    """``"OWNER/REPO"`` of a GitHub address (default: `repository`)."""
    address = repository() if address is None else address
    match = _GITHUB.fullmatch(address)
    if match is None:
        raise ValueError(f"not a GitHub repository address: {address!r}")
    return f"{match['owner']}/{match['repo']}"


def release_tag(release: str | None = None) -> str:
    return f"v{version() if release is None else release}"


def wheel_filename(release: str | None = None) -> str:
    return f"{PACKAGE}-{version() if release is None else release}-py3-none-any.whl"


def wheel_url(address: str | None = None, release: str | None = None) -> str:
    """Where a release's wheel is downloaded from: an asset of its GitHub release."""
    address = repository() if address is None else address
    return f"{address}/releases/download/{release_tag(release)}/{wheel_filename(release)}"


def install_line(url: str | None = None) -> str:
    """The setup cell's install line: a PEP 508 direct reference to the wheel at ``url``."""
    return f'%pip install -q "{PACKAGE} @ {wheel_url() if url is None else url}"'


def colab_url(notebook: str, address: str | None = None, release: str | None = None) -> str:
    """The address that opens ``notebooks/<notebook>`` of the release in Colab (the name
    percent-encoded: ``a (1).ipynb`` -> ``a%20%281%29.ipynb``)."""
    if "/" in notebook or "\\" in notebook or not notebook.endswith(".ipynb"):
        raise ValueError(f"notebook must be a .ipynb file name, got {notebook!r}")
    return (f"{COLAB}/github/{github_path(address)}/blob/{release_tag(release)}/"
            f"notebooks/{quote(notebook, safe='')}")


def colab_badge(notebook: str) -> str:
    return f'<a href="{colab_url(notebook)}"><img src="{BADGE_IMAGE}" alt="Open In Colab"/></a>'


def install_help() -> str:
    """The message of a setup cell whose install failed: what failed, and what to do."""
    return (f"textseq is not installed: the %pip line above failed (pip's error is printed "
            f"above). It installs {wheel_filename()} from the release {release_tag()} at "
            f"{repository()}/releases. If that release is not there yet or cannot be reached, "
            f"download a released textseq wheel (or build one from a checkout with `make dist`), "
            f"upload it with Colab's Files panel, run `%pip install "
            f"./textseq-<version>-py3-none-any.whl`, then run this cell again.")


def summary_lines() -> tuple[str, ...]:
    """The lines that end a setup cell: textseq's import, guarded, then the summary."""
    return ("try:", f"    {_IMPORT}",
            "except ModuleNotFoundError:  # on Colab: the %pip line above failed",
            f"    raise ModuleNotFoundError({install_help()!r}) from None", _PRINT)


def _source(cell: dict[str, Any]) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _set_source(cell: dict[str, Any], text: str) -> None:
    cell["source"] = text.splitlines(keepends=True)


def _cells(nb: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [cell for cell in nb.get("cells", []) if cell.get("cell_type") == kind]


def _check(nb: dict[str, Any], name: str) -> list[str]:
    found = []
    badge = colab_url(name)
    links = [link for cell in _cells(nb, "markdown")
             for link in _COLAB_LINK.findall(_source(cell))]
    if not links:
        found.append(f"no Colab badge in a markdown cell (expected a link to {badge})")
    found += [f"Colab badge links to {link}, expected {badge}" for link in links if link != badge]
    code = _cells(nb, "code")
    if not code:
        return [*found, "no code cell, so no setup cell"]
    line = install_line()
    setup = _source(code[0])
    if not _INSTALL.search(setup):
        found.append(f"the setup cell (first code cell) has no line installing textseq; "
                     f"expected, under `if IS_COLAB:`, {line}")
    for i, cell in enumerate(code):
        for match in _INSTALL.finditer(_source(cell)):
            if match.group(0).strip() != line:
                where = "the setup cell" if i == 0 else f"code cell {i + 1}"
                found.append(f"{where} installs textseq with {match.group(0).strip()!r}, "
                             f"expected {line!r}")
    missing = [text for text in summary_lines() if text not in setup.splitlines()]
    if missing:
        found.append(f"the setup cell lacks {' / '.join(repr(text) for text in missing)}")
    return found


def _fix(nb: dict[str, Any], name: str) -> None:
    badge_url = colab_url(name)
    markdown = _cells(nb, "markdown")
    if any(_COLAB_LINK.search(_source(cell)) for cell in markdown):
        for cell in markdown:
            text = _source(cell)
            if _COLAB_LINK.search(text):
                _set_source(cell, _COLAB_LINK.sub(badge_url, text))
    elif markdown:
        _set_source(markdown[0], f"{_source(markdown[0]).rstrip()}\n\n{colab_badge(name)}")
    else:
        nb.setdefault("cells", []).insert(0, {"cell_type": "markdown", "id": "colab-badge",
                                              "metadata": {}, "source": [colab_badge(name)]})
    line = install_line()
    code = _cells(nb, "code")
    for cell in code:
        text = _source(cell)
        if _INSTALL.search(text):
            _set_source(cell, _INSTALL.sub(lambda m: m.group("indent") + line, text))
    if code:
        setup = _source(code[0])
        block = summary_lines()
        if any(text not in setup.splitlines() for text in block):
            # An older form (the bare import and print, or another message) makes way.
            old = {_IMPORT, *_OLD_IMPORTS, _PRINT, *block[:3]}
            kept = [line for line in setup.splitlines() if line.strip() not in old
                    and not line.startswith("    raise ModuleNotFoundError(")]
            _set_source(code[0], "\n".join(kept).rstrip() + "\n\n" + "\n".join(block))


class NotebookError(ValueError):
    """A file that is not a notebook this tool can read; the message names it and says why."""


_JSON_KINDS = {type(None): "null", bool: "a boolean", int: "a number", float: "a number",
               str: "a string", list: "a list", dict: "an object"}


def _kind(value: Any) -> str:
    return _JSON_KINDS.get(type(value), type(value).__name__)


def _notebook_problem(data: bytes) -> tuple[str, Any]:
    """``(what is wrong, None)`` for bytes that are no nbformat 4 notebook, else ``("", nb)``."""
    if not data.strip():
        return "the file is empty", None
    if data.startswith(b"\xef\xbb\xbf"):
        return "it starts with a UTF-8 byte order mark, which Jupyter never writes", None
    try:
        nb = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        return f"not UTF-8 text (byte {data[exc.start]:#04x} at offset {exc.start})", None
    except json.JSONDecodeError as exc:
        return f"not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})", None
    except RecursionError:
        return "not readable JSON (nested too deeply)", None
    if not isinstance(nb, dict):
        return f"the top level is {_kind(nb)}, not an object", None
    if not isinstance(nb.get("cells"), list):
        return ("'cells' is missing" if "cells" not in nb
                else f"'cells' is {_kind(nb['cells'])}, not a list"), None
    for i, cell in enumerate(nb["cells"], 1):
        if not isinstance(cell, dict):
            return f"cell {i} is {_kind(cell)}, not an object", None
        if cell.get("cell_type") not in ("markdown", "code", "raw"):
            kind = describe(cell["cell_type"]) if "cell_type" in cell else "missing"
            return f"cell {i}'s 'cell_type' is {kind}, not 'markdown', 'code' or 'raw'", None
        source = cell.get("source", "")
        if isinstance(source, list) and not all(isinstance(line, str) for line in source):
            kind = next(_kind(line) for line in source if not isinstance(line, str))
            return f"cell {i}'s 'source' is a list holding {kind}, not only strings", None
        if not isinstance(source, str | list):
            return (f"cell {i}'s 'source' is {_kind(source)}, not a string or a list of "
                    f"strings"), None
    for key, kind, what in (("nbformat", int, "an integer"), ("metadata", dict, "an object")):
        if type(nb.get(key)) is not kind:  # a bool is no integer
            return (f"'{key}' is missing" if key not in nb
                    else f"'{key}' is {_kind(nb[key])}, not {what}"), None
    return "", nb


def _read(path: Path) -> dict[str, Any]:
    """The notebook at ``path``, or a `NotebookError` naming it and what is wrong."""
    if not path.name.endswith(".ipynb"):  # Colab badges open notebooks/<name>.ipynb only
        raise NotebookError(f"{path}: the name does not end in .ipynb; expected a notebook "
                            f"file (rename it to end in .ipynb, or leave it out)")
    problem, nb = _notebook_problem(path.read_bytes())
    if problem:
        raise NotebookError(f"{path}: {problem}; expected a Jupyter notebook (nbformat 4 JSON). "
                            f"Restore it (e.g. git checkout -- {path}) or save it again from "
                            f"Jupyter, then run this again")
    return nb


def problems(path: str | Path) -> list[str]:
    """What in a notebook disagrees with the repository and the version (empty when nothing);
    a file that is no notebook raises `NotebookError`."""
    path = Path(path)
    return _check(_read(path), path.name)


def fix(path: str | Path) -> list[str]:
    """Rewrite a notebook's badges, install lines and summary in place; return what is still
    wrong (`problems`: only a setup cell without an install line, which is not invented)."""
    path = Path(path)
    nb = _read(path)
    before = json.dumps(nb, sort_keys=True)
    _fix(nb, path.name)
    if json.dumps(nb, sort_keys=True) != before:  # a temporary sibling, then renamed
        write_text(path.resolve(), json.dumps(nb, sort_keys=True, indent=1,
                                              ensure_ascii=False) + "\n")
    return _check(nb, path.name)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python tools/notebook_links.py",
        description="Check (or fix) the notebooks' Colab badges and setup cells against the "
                    "repository address and the version.")
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--check", action="store_true", help="report mismatches, change nothing")
    mode.add_argument("--fix", action="store_true", help="rewrite the notebooks in place")
    parser.add_argument("notebooks", nargs="+", type=Path, metavar="NOTEBOOK")
    args = parser.parse_args(argv)
    print(f"repository {repository()}, release {release_tag()}: {install_line()}")
    failed = False
    for path in args.notebooks:
        try:
            before = path.read_bytes()
            found = fix(path) if args.fix else problems(path)
        except (NotebookError, OSError) as exc:  # named, and the other notebooks still done
            failed = True
            print(f"{path}: ERROR\n  - {exc}")
            continue
        status = "fixed" if args.fix and path.read_bytes() != before else "ok"
        if found:
            failed, status = True, "MISMATCH"
        print(f"{path}: {status}")
        for problem in found:
            print(f"  - {problem}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
