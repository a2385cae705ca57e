"""Where textseq keeps data, figures and results.

Every location can be overridden by an environment variable, so a reader on Colab or a CI job can
point the cache somewhere else without touching the notebooks:

- ``TEXTSEQ_DATA_DIR``: downloads, extracted archives and the generated embedded data
  (default: ``data/`` at the root of a source checkout, else ``~/.cache/textseq``).
- ``TEXTSEQ_FIGURES_DIR``: PNGs saved by the notebooks (default: ``figures/`` next to ``data/``).
- ``TEXTSEQ_RESULTS_DIR``: per-model results written by the notebooks (default: ``results/``).

A variable that names a file (not a folder) is refused with a ``NotADirectoryError`` naming the
variable; with ``writable=True`` the folder is created if needed, and one that cannot be created
(an ``OSError`` of the cause's type) or written (a ``PermissionError``) is refused with a message
naming the variable (or saying which one to set).
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


def _from_env(name: str, default: Path, writable: bool) -> Path:
    value = os.environ.get(name, "").strip()
    path = Path(value).expanduser() if value else default
    where = f"{name}={value}" if value else f"{path} (the default; set {name} to change it)"
    fix = f"point {name} at a folder, or unset it to use {default}" if value else f"set {name}"
    if path.exists() and not path.is_dir():
        raise NotADirectoryError(f"{where}: is a file; expected a folder ({fix})")
    if writable:
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise type(exc)(exc.errno, f"{where}: cannot create the folder "
                            f"({exc.strerror or exc}); expected a writable folder ({fix})"
                            ) from exc
        if not os.access(path, os.W_OK | os.X_OK):
            raise PermissionError(f"{where}: the folder is not writable; expected a folder "
                                  f"textseq can write to ({fix})")
    return path


def data_dir(*, writable: bool = False) -> Path:
    """Return the data cache folder (``TEXTSEQ_DATA_DIR`` or ``data/``).

    Args:
        writable: create the folder if needed and check that it can be written (for callers
            about to download, extract or generate); otherwise it may not exist yet.

    Returns:
        The folder.

    Raises:
        NotADirectoryError: if the path names a file; the message names ``TEXTSEQ_DATA_DIR``.
        PermissionError: with ``writable``, if the folder cannot be written.
        OSError: with ``writable``, if the folder cannot be created (its own type, e.g.
            ``NotADirectoryError`` below a file); the message names ``TEXTSEQ_DATA_DIR``.

    Example:
        >>> folder = data_dir()  # data/ in a source checkout, unless TEXTSEQ_DATA_DIR is set
        >>> folder.is_absolute() or "TEXTSEQ_DATA_DIR" in os.environ
        True
    """
    return _from_env("TEXTSEQ_DATA_DIR", _base() / "data", writable)


def figures_dir(*, writable: bool = False) -> Path:
    """Return the folder where notebooks save PNG figures (``TEXTSEQ_FIGURES_DIR``).

    Args and Raises as `data_dir`, for ``TEXTSEQ_FIGURES_DIR``.
    """
    return _from_env("TEXTSEQ_FIGURES_DIR", _base() / "figures", writable)


def results_dir(*, writable: bool = False) -> Path:
    """Return the folder where notebooks record model results (``TEXTSEQ_RESULTS_DIR``).

    Args and Raises as `data_dir`, for ``TEXTSEQ_RESULTS_DIR``.
    """
    return _from_env("TEXTSEQ_RESULTS_DIR", _base() / "results", writable)
