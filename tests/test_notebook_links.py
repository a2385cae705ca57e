"""tools/notebook_links.py: the repository address and the version, each written once; the
notebooks' Colab badges and setup cells agree with them; the fixer sees to it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from conftest import tool

import textseq

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
notebook_links = project = tool("notebook_links")
INSTALL = project.install_line()
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_repository_and_version_are_written_once():
    assert project.repository() == PYPROJECT["project"]["urls"]["Repository"].removesuffix("/")
    assert project.repository().startswith("https://github.com/")
    assert "version" not in PYPROJECT["project"] and "version" in PYPROJECT["project"]["dynamic"]
    assert PYPROJECT["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "textseq.__version__"}
    assert project.version() == textseq.__version__


def _checkout(tmp_path: Path, urls: str) -> Path:
    (tmp_path / "pyproject.toml").write_text(f'[project]\nname = "textseq"\n{urls}',
                                             encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("urls, error", [
    ('[project.urls]\nRepository = "https://gitlab.com/me/fork"\n',
     (ValueError, "Colab opens notebooks from GitHub")),
    ("", (LookupError, "no Repository address")),
])
def test_a_repository_outside_github_or_missing_is_refused(tmp_path, urls, error):
    with pytest.raises(error[0], match=error[1]):
        project.repository(_checkout(tmp_path, urls))


def test_repository_is_normalized(tmp_path):
    root = _checkout(tmp_path, '[project.urls]\nRepository = "https://github.com/me/fork.git/"\n')
    assert project.repository(root) == "https://github.com/me/fork"
    assert project.github_path(project.repository(root)) == "me/fork"
    with pytest.raises(ValueError, match="not a GitHub repository"):
        project.github_path("https://github.com/only-owner")


def test_the_install_line_pins_the_release_wheel():
    url = project.wheel_url("https://github.com/owner/repo", "1.2.3")
    assert url == ("https://github.com/owner/repo/releases/download/v1.2.3/"
                   "textseq-1.2.3-py3-none-any.whl")
    assert project.install_line(url) == f'%pip install -q "textseq @ {url}"'
    assert project.install_line() == (  # defaults: this checkout's address and version
        f'%pip install -q "textseq @ {project.repository()}/releases/download/'
        f'v{textseq.__version__}/textseq-{textseq.__version__}-py3-none-any.whl"')


def test_the_colab_url_opens_the_notebook_at_the_release_tag():
    assert project.colab_url("6.1.1-one-hot-encoding.ipynb", "https://github.com/owner/repo",
                             "1.2.3") == ("https://colab.research.google.com/github/owner/repo/"
                                          "blob/v1.2.3/notebooks/6.1.1-one-hot-encoding.ipynb")
    badge = project.colab_badge("a.ipynb")
    assert badge.startswith(f'<a href="{project.colab_url("a.ipynb")}"><img src=')
    assert project.BADGE_IMAGE in badge
    for name in ["notebooks/a.ipynb", "a.py", "..\\a.ipynb"]:
        with pytest.raises(ValueError, match=".ipynb file name"):
            project.colab_url(name)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_notebook_agrees_with_the_source_of_truth(path):
    found = notebook_links.problems(path)
    assert not found, (f"{path.name} disagrees with the repository or the version; run "
                       f"python tools/notebook_links.py --fix notebooks/*.ipynb:\n  - "
                       + "\n  - ".join(found))


def test_there_are_notebooks_to_check():
    assert len(NOTEBOOKS) >= 6


def _notebook(cells: list[tuple[str, str]]) -> dict:
    return {"cells": [{"cell_type": kind, "id": f"c{i}", "metadata": {},
                       "source": text.splitlines(keepends=True),
                       **({"execution_count": None, "outputs": []} if kind == "code" else {})}
                      for i, (kind, text) in enumerate(cells)],
            "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


def _write(path: Path, nb: dict) -> Path:
    path.write_text(json.dumps(nb, sort_keys=True, indent=1, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    return path


def _sources(path: Path) -> list[str]:
    return ["".join(c["source"]) for c in json.loads(path.read_text(encoding="utf-8"))["cells"]]


OLD_SETUP = """import os
import sys

IS_COLAB = "google.colab" in sys.modules
if IS_COLAB:
    %pip install -q git+https://github.com/textseq/textseq
"""
OLD_BADGE = ('<a href="https://colab.research.google.com/github/textseq/textseq/blob/main/'
             'notebooks/x.ipynb"><img src="https://colab.research.google.com/assets/'
             'colab-badge.svg" alt="Open In Colab"/></a>')


def test_fix_rewrites_badge_and_install_line_and_adds_the_summary(tmp_path):
    path = _write(tmp_path / "x.ipynb", _notebook([
        ("markdown", f"# Title\n\nText.\n\n{OLD_BADGE}"),
        ("code", OLD_SETUP),
        ("code", "print(1)\n"),
    ]))
    found = notebook_links.problems(path)
    assert len(found) == 3
    assert "blob/main" in found[0] and "git+https" in found[1]
    assert "setup_summary" in found[2]

    assert notebook_links.fix(path) == []
    assert notebook_links.problems(path) == []
    title, setup, other = _sources(path)
    assert title == f"# Title\n\nText.\n\n{project.colab_badge('x.ipynb')}"
    assert setup == OLD_SETUP.replace("%pip install -q git+https://github.com/textseq/textseq",
                                      INSTALL).rstrip() + "\n\n" + "\n".join(
        notebook_links.summary_lines())
    assert "    " + INSTALL + "\n" in setup  # indentation kept
    assert other == "print(1)\n"

    before = path.read_bytes()
    assert notebook_links.fix(path) == []
    assert path.read_bytes() == before  # idempotent: nothing rewritten the second time


def test_fix_adds_a_missing_badge_to_the_first_markdown_cell(tmp_path):
    path = _write(tmp_path / "y.ipynb", _notebook([("markdown", "# Title\n"),
                                                   ("code", OLD_SETUP)]))
    assert any("no Colab badge" in p for p in notebook_links.problems(path))
    notebook_links.fix(path)
    assert _sources(path)[0] == f"# Title\n\n{project.colab_badge('y.ipynb')}"


def test_a_missing_install_line_is_reported_not_invented(tmp_path):
    path = _write(tmp_path / "z.ipynb", _notebook([("markdown", OLD_BADGE),
                                                   ("code", "import sys\n")]))
    remaining = notebook_links.fix(path)
    assert len(remaining) == 1 and "has no line installing textseq" in remaining[0]
    assert INSTALL in remaining[0]


def test_shell_form_and_other_cells_are_rewritten_too(tmp_path):
    path = _write(tmp_path / "w.ipynb", _notebook([
        ("markdown", OLD_BADGE),
        ("code", "!pip install textseq==0.0.1\n"),
        ("code", "if True:\n\t%pip install -U textseq\n"),
    ]))
    found = notebook_links.problems(path)
    assert any("code cell 2" in p and "-U textseq" in p for p in found)
    notebook_links.fix(path)
    assert _sources(path)[1].startswith(INSTALL + "\n")
    assert _sources(path)[2] == f"if True:\n\t{INSTALL}\n"


def test_a_new_version_makes_fixed_notebooks_disagree(tmp_path, monkeypatch):
    path = tmp_path / NOTEBOOKS[0].name
    shutil.copyfile(NOTEBOOKS[0], path)
    notebook_links.fix(path)
    assert notebook_links.problems(path) == []
    monkeypatch.setattr(notebook_links, "version", lambda root=None: "9.9.9")
    found = notebook_links.problems(path)
    assert any("blob/v9.9.9/" in p for p in found)
    assert any("releases/download/v9.9.9/textseq-9.9.9-py3-none-any.whl" in p for p in found)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_fixing_a_real_notebook_changes_only_badges_and_the_setup_cell(path, tmp_path):
    copy = tmp_path / path.name
    shutil.copyfile(path, copy)
    assert notebook_links.fix(copy) == []
    before = json.loads(path.read_text(encoding="utf-8"))
    after = json.loads(copy.read_text(encoding="utf-8"))
    assert before["metadata"] == after["metadata"]
    assert len(before["cells"]) == len(after["cells"])
    setup = next(i for i, c in enumerate(after["cells"]) if c["cell_type"] == "code")
    for i, (old, new) in enumerate(zip(before["cells"], after["cells"], strict=True)):
        if i == setup:
            assert INSTALL in "".join(new["source"])
        elif old != new:  # only Colab links may differ elsewhere
            assert old["cell_type"] == "markdown"
            assert project.colab_url(path.name) in "".join(new["source"])


def test_cli_check_and_fix(tmp_path, capsys):
    path = _write(tmp_path / "v.ipynb", _notebook([("markdown", OLD_BADGE), ("code", OLD_SETUP)]))
    assert notebook_links.main(["--check", str(path)]) == 1
    assert "MISMATCH" in capsys.readouterr().out
    assert notebook_links.main(["--fix", str(path)]) == 0
    assert f"{path}: fixed" in capsys.readouterr().out
    assert notebook_links.main(["--check", str(path)]) == 0
    assert f"{path}: ok" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        notebook_links.main([str(path)])  # --check or --fix is required


def test_the_setup_cell_turns_a_failed_install_into_one_clear_message(tmp_path):
    # As on Colab after the %pip line failed: textseq cannot be imported. The notebooks' own
    # setup cell then raises one error that says what failed and what to do.
    from IPython.core.inputtransformer2 import TransformerManager

    setup = next(c for c in json.loads(
        (ROOT / "notebooks" / "6.1.1-one-hot-encoding.ipynb").read_text(encoding="utf-8"))["cells"]
        if c["cell_type"] == "code")
    code = TransformerManager().transform_cell("".join(setup["source"]))
    script = ("import sys\nsys.modules['textseq'] = None  # not installed\n" + code)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            cwd=tmp_path, timeout=120)
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("ModuleNotFoundError: textseq is not installed: the %pip line above "
                           "failed"), result.stderr[-2000:]
    assert project.wheel_filename() in last and "Files panel" in last and "make dist" in last
    assert "Traceback" in result.stderr and "None in sys.modules" not in result.stderr


class _HalfWriter:
    """A file that writes half of what it is given, then fails (a full disk, a size limit)."""

    def __init__(self, f):
        self.f = f

    def write(self, text):
        self.f.write(text[: len(text) // 2])
        self.f.flush()
        raise OSError(28, "No space left on device")

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.f.close()

    def __getattr__(self, name):
        return getattr(self.f, name)


def test_a_fix_that_fails_half_way_leaves_the_notebook_whole(tmp_path, monkeypatch):
    """Issue 19, defect 1: the fixer rewrote the notebook in place, so a write that stopped
    half-way left half a notebook (invalid JSON)."""
    import io

    path = _write(tmp_path / "x.ipynb", _notebook([("markdown", OLD_BADGE), ("code", OLD_SETUP)]))
    before = path.read_bytes()
    real_open = io.open

    def failing_open(file, mode="r", *args, **kwargs):
        f = real_open(file, mode, *args, **kwargs)
        return _HalfWriter(f) if "w" in mode else f

    with monkeypatch.context() as patch:
        patch.setattr(io, "open", failing_open)
        with pytest.raises(OSError, match="No space left on device"):
            notebook_links.fix(path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["x.ipynb"]  # no temporary file left
    assert notebook_links.fix(path) == []  # and a write that succeeds goes through
    assert [p.name for p in tmp_path.iterdir()] == ["x.ipynb"]


_GOOD = json.dumps(_notebook([("markdown", OLD_BADGE), ("code", OLD_SETUP)])).encode()


@pytest.mark.parametrize("content, reason", [
    (_GOOD[: len(_GOOD) // 2], "not valid JSON (Unterminated string"),
    (b'{"cells": null}', "'cells' is null, not a list"),
    (b'{"metadata": {}}', "'cells' is missing"),
    (b'{"cells": ["# Title"]}', "cell 1 is a string, not an object"),
    (b'{"cells": [{"cell_type": "code", "source": 3}]}',
     "cell 1's 'source' is a number, not a string or a list of strings"),
    (b'{"cells": [{"cell_type": "code", "source": ["a", null]}]}',
     "cell 1's 'source' is a list holding null"),
    (b"[]", "the top level is a list, not an object"),
    (b"\xef\xbb\xbf" + _GOOD, "starts with a UTF-8 byte order mark"),
    (b"", "the file is empty"),
    (b'{"cells": "\xff"}', "not UTF-8 text (byte 0xff at offset 11)"),
    # issue 19 re-run, findings 3 and 21
    (b'{"cells": ' + b"[" * 100000 + b"]" * 100000 + b"}", "not readable JSON (nested too deeply)"),
    (b'{"cells": [{"cell_type": 7, "source": "x"}]}',
     "cell 1's 'cell_type' is 7, not 'markdown', 'code' or 'raw'"),
    (b'{"cells": []}', "'nbformat' is missing"),
    (b'{"cells": [], "nbformat": "4", "metadata": {}}', "'nbformat' is a string, not an integer"),
    (b'{"cells": [], "nbformat": 4, "metadata": null}', "'metadata' is null, not an object"),
], ids=["truncated", "cells-null", "no-cells", "cell-str", "source-int", "source-null-line",
        "list", "bom", "empty", "not-utf8", "deep", "cell-type-int", "no-nbformat",
        "nbformat-str", "metadata-null"])
def test_a_malformed_notebook_is_named_and_the_others_are_still_done(tmp_path, capsys, content,
                                                                      reason):
    """Issue 19, defect 10: a malformed notebook crashed the fixer without its name, and the
    notebooks after it were never checked."""
    bad = tmp_path / "bad.ipynb"
    bad.write_bytes(content)
    with pytest.raises(notebook_links.NotebookError) as caught:
        notebook_links.problems(bad)
    assert str(caught.value).startswith(f"{bad}: ") and reason in str(caught.value)
    assert "expected a Jupyter notebook" in str(caught.value)
    for mode in ("--check", "--fix"):
        first, last = (_write(tmp_path / name, _notebook([("markdown", OLD_BADGE),
                                                          ("code", OLD_SETUP)]))
                       for name in ("a.ipynb", "c.ipynb"))
        assert notebook_links.main([mode, str(first), str(bad), str(last)]) == 1
        out = capsys.readouterr().out
        assert f"{bad}: ERROR\n  - {bad}: " in out and reason in out
        assert f"{last}: {'fixed' if mode == '--fix' else 'MISMATCH'}" in out
        assert bad.read_bytes() == content
    assert notebook_links.problems(last) == []


@pytest.mark.parametrize("name", ["a.IPYNB", "nb.json"])
def test_a_file_not_named_ipynb_is_named_and_the_others_are_still_done(tmp_path, capsys, name):
    """Issue 19 re-run, finding 2: such a name stopped the fixer with a traceback."""
    bad, last = (_write(tmp_path / n, _notebook([("markdown", OLD_BADGE), ("code", OLD_SETUP)]))
                 for n in (name, "c.ipynb"))
    for mode in ("--check", "--fix"):
        assert notebook_links.main([mode, str(bad), str(last)]) == 1
        out = capsys.readouterr().out
        assert f"{bad}: ERROR\n  - {bad}: the name does not end in .ipynb" in out
        assert f"{last}: {'fixed' if mode == '--fix' else 'MISMATCH'}" in out


@pytest.mark.parametrize("name, encoded", [
    ("my notebook.ipynb", "my%20notebook.ipynb"),
    ("6.1 (copy).ipynb", "6.1%20%28copy%29.ipynb"),
    ("a&b[1]#é.ipynb", "a%26b%5B1%5D%23%C3%A9.ipynb"),
])
def test_file_names_are_percent_encoded_in_the_badge(tmp_path, capsys, name, encoded):
    """Issue 19, defect 11: a name with spaces or parentheses gave an unencoded badge URL, which
    `--check` reported as a mismatch after every `--fix`."""
    assert project.colab_url(name, "https://github.com/o/r", "1.0").endswith(
        f"/blob/v1.0/notebooks/{encoded}")
    path = _write(tmp_path / name, _notebook([("markdown", OLD_BADGE), ("code", OLD_SETUP)]))
    assert notebook_links.main(["--fix", str(path)]) == 0
    assert notebook_links.main(["--check", str(path)]) == 0
    assert capsys.readouterr().out.endswith(f"{path}: ok\n")
    assert f"notebooks/{encoded}\"><img" in _sources(path)[0]
