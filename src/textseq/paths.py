"""Where textseq keeps data, figures and results.

Every location can be overridden by an environment variable, so a reader on Colab or a CI job can
point the cache somewhere else without touching the notebooks:

- ``TEXTSEQ_DATA_DIR``: downloads, extracted archives and the generated embedded data
  (default: ``data/`` at the root of a source checkout, else ``~/.cache/textseq``).
- ``TEXTSEQ_FIGURES_DIR``: PNGs saved by the notebooks (default: ``figures/`` next to ``data/``).
- ``TEXTSEQ_RESULTS_DIR``: per-model results written by the notebooks (default: ``results/``).
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["project_root", "data_dir", "figures_dir", "results_dir"]


def project_root() -> Path | None:
    """Return the source checkout's root when textseq runs from one, else ``None``.

    Returns:
        The folder holding ``pyproject.toml`` and ``src/textseq`` (an editable install), or ``None``
        when the package was installed from a wheel.
    """
    root = Path(__file__).resolve().parents[2]
    if (root / "pyproject.toml").is_file() and (root / "src" / "textseq").is_dir():
        return root
    return None


def _base() -> Path:
    root = project_root()
    return root if root is not None else Path.home() / ".cache" / "textseq"


def _from_env(name: str, default: Path) -> Path:
    value = os.environ.get(name, "").strip()
    return Path(value).expanduser() if value else default


def data_dir() -> Path:
    """Return the data cache folder (``TEXTSEQ_DATA_DIR`` or ``data/``); it may not exist yet."""
    return _from_env("TEXTSEQ_DATA_DIR", _base() / "data")


def figures_dir() -> Path:
    """Return the folder where notebooks save PNG figures (``TEXTSEQ_FIGURES_DIR``)."""
    return _from_env("TEXTSEQ_FIGURES_DIR", _base() / "figures")


def results_dir() -> Path:
    """Return the folder where notebooks record model results (``TEXTSEQ_RESULTS_DIR``)."""
    return _from_env("TEXTSEQ_RESULTS_DIR", _base() / "results")
