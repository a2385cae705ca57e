"""Keep the notebooks' Colab badges and setup cells consistent with `textseq.project`.

``python -m textseq.notebook_links --check notebooks/*.ipynb`` lists every mismatch and exits 1
if there is one; ``--fix`` rewrites the notebooks in place. What a notebook must hold:

- **Badges.** Every link to Colab in its markdown cells is `textseq.project.colab_url` of the
  notebook (the notebook at the release's tag), and there is at least one: ``--fix`` rewrites
  the links, or adds `textseq.project.colab_badge` to the first markdown cell.
- **Install line.** The first code cell (the setup cell) installs textseq with exactly
  `textseq.project.install_line` (the release's wheel), indented as the line it replaces; so
  does any other line that pip-installs textseq. ``--fix`` rewrites such lines; it cannot guess
  where a missing one goes, so it reports the cell instead.
- **Summary.** The setup cell ends with `summary_lines`: textseq's import, which turns a failed
  install into one message that says what failed and what to do, then the summary of the data in
  use and the device; ``--fix`` writes them in place of an older form, or appends them.

The setup cell's Colab part then reads::

    IS_COLAB = "google.colab" in sys.modules
    if IS_COLAB:
        %pip install -q "textseq @ <repository>/releases/download/v<version>/<wheel>"

    from textseq.runtime import setup_summary

    print(setup_summary())  # the data in use (TEXTSEQ_DATA) and the device

where ``<wheel>`` is ``textseq-<version>-py3-none-any.whl``. The files are read and written as
nbformat writes them (JSON, indent 1, keys sorted), so a fix changes only the lines it rewrites.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from textseq import project

__all__ = ["summary_lines", "install_help", "problems", "fix", "main"]

_IMPORT = "from textseq.runtime import setup_summary"
_PRINT = "print(setup_summary())  # the data in use (TEXTSEQ_DATA) and the device"


def install_help() -> str:
    """The message of a setup cell whose install failed: what failed, and what to do."""
    return (f"textseq is not installed: the %pip line above failed (pip's error is printed "
            f"above). It installs {project.wheel_filename()} from the release "
            f"{project.release_tag()} at {project.repository()}/releases. If that release is "
            f"not there yet or cannot be reached, download a released textseq wheel (or build "
            f"one from a checkout with `make dist`), upload it with Colab's Files panel, run "
            f"`%pip install ./textseq-<version>-py3-none-any.whl`, then run this cell again.")


def summary_lines() -> tuple[str, ...]:
    """The lines that end a setup cell: textseq's import, guarded, then the summary."""
    return ("try:", f"    {_IMPORT}",
            "except ModuleNotFoundError:  # on Colab: the %pip line above failed",
            f"    raise ModuleNotFoundError({install_help()!r}) from None", _PRINT)
# Any link that opens a GitHub notebook in Colab, up to a quote, bracket or space.
_COLAB_LINK = re.compile(re.escape(project.COLAB) + r"/github/[^\s\"'<>()\[\]]+")
# A line that pip-installs textseq, in IPython's (%pip) or the shell's (!pip) form.
_INSTALL = re.compile(r"^(?P<indent>[ \t]*)[%!]\s*pip3?\s+install\b.*\btextseq\b.*$",
                      re.MULTILINE)


def _source(cell: dict[str, Any]) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _set_source(cell: dict[str, Any], text: str) -> None:
    cell["source"] = text.splitlines(keepends=True)


def _cells(nb: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [cell for cell in nb.get("cells", []) if cell.get("cell_type") == kind]


def _check(nb: dict[str, Any], name: str) -> list[str]:
    found = []
    badge = project.colab_url(name)
    links = [link for cell in _cells(nb, "markdown")
             for link in _COLAB_LINK.findall(_source(cell))]
    if not links:
        found.append(f"no Colab badge in a markdown cell (expected a link to {badge})")
    found += [f"Colab badge links to {link}, expected {badge}" for link in links if link != badge]
    code = _cells(nb, "code")
    if not code:
        return [*found, "no code cell, so no setup cell"]
    line = project.install_line()
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
    badge_url = project.colab_url(name)
    markdown = _cells(nb, "markdown")
    if any(_COLAB_LINK.search(_source(cell)) for cell in markdown):
        for cell in markdown:
            text = _source(cell)
            if _COLAB_LINK.search(text):
                _set_source(cell, _COLAB_LINK.sub(badge_url, text))
    elif markdown:
        _set_source(markdown[0], f"{_source(markdown[0]).rstrip()}\n\n{project.colab_badge(name)}")
    else:
        nb.setdefault("cells", []).insert(0, {"cell_type": "markdown", "id": "colab-badge",
                                              "metadata": {},
                                              "source": [project.colab_badge(name)]})
    line = project.install_line()
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
            old = {_IMPORT, _PRINT, *block[:3]}
            kept = [line for line in setup.splitlines() if line.strip() not in old
                    and not line.startswith("    raise ModuleNotFoundError(")]
            _set_source(code[0], "\n".join(kept).rstrip() + "\n\n" + "\n".join(block))


def _read(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def _write(path: Path, nb: dict[str, Any]) -> None:
    text = json.dumps(nb, sort_keys=True, indent=1, ensure_ascii=False) + "\n"
    path.write_text(text, encoding="utf-8")


def problems(path: str | Path) -> list[str]:
    """Return what in a notebook disagrees with `textseq.project` (empty when it agrees).

    Args:
        path: the ``.ipynb`` file; its badge must open ``notebooks/<its file name>``.

    Returns:
        One sentence per mismatch: a badge's link, the setup cell's install line, a missing
        summary line.
    """
    path = Path(path)
    return _check(_read(path), path.name)


def fix(path: str | Path) -> list[str]:
    """Rewrite a notebook's badges and install lines from `textseq.project`, in place.

    Args:
        path: the ``.ipynb`` file.

    Returns:
        What is still wrong after the fix (`problems`): empty unless the setup cell has no
        install line at all, which the fix does not invent a place for.
    """
    path = Path(path)
    nb = _read(path)
    _fix(nb, path.name)
    if json.dumps(nb, sort_keys=True) != json.dumps(_read(path), sort_keys=True):
        _write(path, nb)
    return _check(nb, path.name)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m textseq.notebook_links (--check | --fix) NOTEBOOK...``; exit 1 on a mismatch."""
    parser = argparse.ArgumentParser(
        prog="python -m textseq.notebook_links",
        description="Check (or fix) the notebooks' Colab badges and setup-cell install line "
                    "against the repository address and version written in textseq.project.")
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--check", action="store_true", help="report mismatches, change nothing")
    mode.add_argument("--fix", action="store_true", help="rewrite the notebooks in place")
    parser.add_argument("notebooks", nargs="+", type=Path, metavar="NOTEBOOK")
    args = parser.parse_args(argv)
    print(f"repository {project.repository()}, release {project.release_tag()}: "
          f"{project.install_line()}")
    failed = False
    for path in args.notebooks:
        before = path.read_bytes()
        found = fix(path) if args.fix else problems(path)
        status = "fixed" if args.fix and path.read_bytes() != before else "ok"
        if found:
            failed, status = True, "MISMATCH"
        print(f"{path}: {status}")
        for problem in found:
            print(f"  - {problem}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
