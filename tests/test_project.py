"""textseq.project: the repository address and the version, each written once, and what derives."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

import textseq
from textseq import project

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_repository_is_the_address_written_in_pyproject():
    written = PYPROJECT["project"]["urls"]["Repository"]
    assert project.repository() == written.removesuffix("/")
    assert project.repository().startswith("https://github.com/")


def test_the_version_is_written_once_as_textseq_version():
    assert "version" not in PYPROJECT["project"]
    assert "version" in PYPROJECT["project"]["dynamic"]
    assert PYPROJECT["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "textseq.__version__"}
    assert project.version() == textseq.__version__


def test_installed_metadata_gives_the_same_repository(monkeypatch):
    # As from a wheel: no checkout around the package, so the metadata's Project-URL is read.
    monkeypatch.setattr(project, "project_root", lambda: None)
    assert project.repository() == PYPROJECT["project"]["urls"]["Repository"]


def _checkout(tmp_path: Path, urls: str) -> Path:
    (tmp_path / "pyproject.toml").write_text(f'[project]\nname = "textseq"\n{urls}',
                                             encoding="utf-8")
    return tmp_path


def test_repository_is_normalized_and_checked(monkeypatch, tmp_path):
    root = _checkout(tmp_path, '[project.urls]\nRepository = "https://github.com/me/fork.git/"\n')
    monkeypatch.setattr(project, "project_root", lambda: root)
    assert project.repository() == "https://github.com/me/fork"
    assert project.github_path() == "me/fork"


def test_a_repository_outside_github_is_refused(monkeypatch, tmp_path):
    root = _checkout(tmp_path, '[project.urls]\nRepository = "https://gitlab.com/me/fork"\n')
    monkeypatch.setattr(project, "project_root", lambda: root)
    with pytest.raises(ValueError, match="Colab opens notebooks from GitHub"):
        project.repository()


def test_a_missing_repository_is_a_lookup_error(monkeypatch, tmp_path):
    root = _checkout(tmp_path, "")
    monkeypatch.setattr(project, "project_root", lambda: root)
    with pytest.raises(LookupError, match="no Repository address"):
        project.repository()


def test_the_install_line_pins_the_release_wheel():
    address, release = "https://github.com/owner/repo", "1.2.3"
    url = project.wheel_url(address, release)
    assert url == ("https://github.com/owner/repo/releases/download/v1.2.3/"
                   "textseq-1.2.3-py3-none-any.whl")
    assert project.install_line(url) == f'%pip install -q "textseq @ {url}"'
    # Defaults: this checkout's address and version.
    assert project.install_line() == (
        f'%pip install -q "textseq @ {project.repository()}/releases/download/'
        f'v{textseq.__version__}/textseq-{textseq.__version__}-py3-none-any.whl"')


def test_the_colab_url_opens_the_notebook_at_the_release_tag():
    assert project.colab_url("6.1.1-one-hot-encoding.ipynb", "https://github.com/owner/repo",
                             "1.2.3") == ("https://colab.research.google.com/github/owner/repo/"
                                          "blob/v1.2.3/notebooks/6.1.1-one-hot-encoding.ipynb")
    badge = project.colab_badge("a.ipynb")
    assert badge.startswith(f'<a href="{project.colab_url("a.ipynb")}"><img src=')
    assert project.BADGE_IMAGE in badge


@pytest.mark.parametrize("name", ["notebooks/a.ipynb", "a.py", "..\\a.ipynb"])
def test_colab_url_takes_a_bare_notebook_name(name):
    with pytest.raises(ValueError, match=".ipynb file name"):
        project.colab_url(name)


def test_github_path_rejects_other_addresses():
    with pytest.raises(ValueError, match="not a GitHub repository"):
        project.github_path("https://github.com/only-owner")
