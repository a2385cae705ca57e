"""Where textseq comes from: its repository and version, and the links the notebooks derive.

Each fact is written once:

- the repository's address: ``[project.urls] Repository`` in ``pyproject.toml`` (an installed
  wheel carries it in its metadata, as ``Project-URL: Repository, ...``);
- the version: ``textseq.__version__`` (``pyproject.toml`` reads it from there).

Everything else is derived here, and `textseq.notebook_links` writes it into the notebooks:

- the Colab badge of a notebook opens the notebook *as released*, at the tag ``v<version>``, so
  a reader on Colab gets the notebook and the package of the same release;
- the setup cell's install line installs that release's wheel, attached to the GitHub release
  ``v<version>`` (the file that ``make dist`` builds and ``make test`` checks):

      %pip install -q "textseq @ https://github.com/OWNER/REPO/releases/download/v0.1.0/textseq-0.1.0-py3-none-any.whl"

Releasing version X is then: set ``__version__ = "X"``, run the fixer (the notebooks now install
X), ``make test``, tag ``vX``, and attach ``dist/textseq-X-py3-none-any.whl`` to the GitHub
release ``vX``.
"""

from __future__ import annotations

import importlib.metadata
import re
import tomllib

from textseq.paths import project_root

__all__ = [
    "PACKAGE",
    "NOTEBOOKS_DIR",
    "COLAB",
    "BADGE_IMAGE",
    "repository",
    "version",
    "github_path",
    "release_tag",
    "wheel_filename",
    "wheel_url",
    "requirement",
    "install_line",
    "colab_url",
    "colab_badge",
]

PACKAGE = "textseq"
NOTEBOOKS_DIR = "notebooks"  # where the notebooks live in the repository
COLAB = "https://colab.research.google.com"
BADGE_IMAGE = f"{COLAB}/assets/colab-badge.svg"
_GITHUB = re.compile(r"https://github\.com/(?P<owner>[A-Za-z0-9-]+)/(?P<repo>[A-Za-z0-9._-]+)")


def repository() -> str:
    """Return the repository's address, as written in ``pyproject.toml``.

    From a source checkout (an editable install) the file itself is read, so an edit shows at
    once; from an installed wheel, the ``Project-URL`` of its metadata.

    Returns:
        An address like ``"https://github.com/OWNER/REPO"`` (no trailing ``/`` or ``.git``).

    Raises:
        LookupError: when neither ``pyproject.toml`` nor the metadata names a ``Repository``.
        ValueError: when the address is not a GitHub repository (Colab opens notebooks from
            GitHub only).
    """
    root = project_root()
    if root is not None:
        with open(root / "pyproject.toml", "rb") as f:
            urls = tomllib.load(f).get("project", {}).get("urls", {})
        address = urls.get("Repository")
        where = f"{root / 'pyproject.toml'} [project.urls]"
    else:
        entries = importlib.metadata.metadata(PACKAGE).get_all("Project-URL") or []
        labelled = (entry.partition(",") for entry in entries)
        address = next((url.strip() for label, _, url in labelled
                        if label.strip().lower() == "repository"), None)
        where = f"the metadata of the installed {PACKAGE} {version()}"
    if not address:
        raise LookupError(f"no Repository address in {where}")
    address = address.strip().removesuffix("/").removesuffix(".git")
    if _GITHUB.fullmatch(address) is None:
        raise ValueError(f"the Repository address in {where} must be https://github.com/OWNER/REPO "
                         f"(Colab opens notebooks from GitHub); got {address!r}")
    return address


def version() -> str:
    """Return textseq's version, ``textseq.__version__`` (the one place it is written)."""
    from textseq import __version__

    return __version__


def github_path(address: str | None = None) -> str:
    """Return ``"OWNER/REPO"`` of a GitHub address (default: `repository`).

    Raises:
        ValueError: when ``address`` is not ``https://github.com/OWNER/REPO``.
    """
    address = repository() if address is None else address
    match = _GITHUB.fullmatch(address)
    if match is None:
        raise ValueError(f"not a GitHub repository address: {address!r}")
    return f"{match['owner']}/{match['repo']}"


def release_tag(release: str | None = None) -> str:
    """Return the git tag of a release: ``"v" + version`` (default: the current `version`)."""
    return f"v{version() if release is None else release}"


def wheel_filename(release: str | None = None) -> str:
    """Return the file name of a release's wheel, e.g. ``"textseq-0.1.0-py3-none-any.whl"``."""
    return f"{PACKAGE}-{version() if release is None else release}-py3-none-any.whl"


def wheel_url(address: str | None = None, release: str | None = None) -> str:
    """Return where a release's wheel is downloaded from: an asset of its GitHub release.

    Args:
        address: the repository (default: `repository`).
        release: the version (default: `version`).

    Returns:
        ``"<address>/releases/download/v<release>/textseq-<release>-py3-none-any.whl"``.
    """
    address = repository() if address is None else address
    return f"{address}/releases/download/{release_tag(release)}/{wheel_filename(release)}"


def requirement(url: str | None = None) -> str:
    """Return the pip requirement for textseq from ``url`` (default: `wheel_url`).

    A PEP 508 direct reference, ``"textseq @ URL"``: pip checks that the file is textseq, and
    installs its dependencies from the package index.
    """
    return f"{PACKAGE} @ {wheel_url() if url is None else url}"


def install_line(url: str | None = None) -> str:
    """Return the install line of a notebook's setup cell (run on Colab only).

    Args:
        url: where the wheel is (default: `wheel_url`, the release matching `version`).

    Returns:
        ``'%pip install -q "textseq @ <url>"'``.
    """
    return f'%pip install -q "{requirement(url)}"'


def colab_url(notebook: str, address: str | None = None, release: str | None = None) -> str:
    """Return the address that opens a notebook of the release in Colab.

    Args:
        notebook: the notebook's file name, e.g. ``"6.1.1-one-hot-encoding.ipynb"`` (it lives in
            ``notebooks/`` of the repository).
        address: the repository (default: `repository`).
        release: the version whose tag the notebook is opened at (default: `version`).

    Returns:
        ``"https://colab.research.google.com/github/OWNER/REPO/blob/v<release>/notebooks/<notebook>"``.

    Raises:
        ValueError: when ``notebook`` is not a bare ``.ipynb`` file name.
    """
    if "/" in notebook or "\\" in notebook or not notebook.endswith(".ipynb"):
        raise ValueError(f"notebook must be a .ipynb file name, got {notebook!r}")
    return (f"{COLAB}/github/{github_path(address)}/blob/{release_tag(release)}/"
            f"{NOTEBOOKS_DIR}/{notebook}")


def colab_badge(notebook: str, address: str | None = None, release: str | None = None) -> str:
    """Return the HTML of a notebook's "Open In Colab" badge (a link around Colab's image)."""
    return (f'<a href="{colab_url(notebook, address, release)}">'
            f'<img src="{BADGE_IMAGE}" alt="Open In Colab"/></a>')
