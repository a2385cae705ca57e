"""Where textseq keeps data, figures and results, each overridable by an environment variable.

``TEXTSEQ_DATA_DIR`` (downloads, extracted archives, the embedded data), ``TEXTSEQ_FIGURES_DIR``
and ``TEXTSEQ_RESULTS_DIR``; by default ``data/``, ``figures/`` and ``results/`` at the root of a
source checkout, else under ``~/.cache/textseq``. A folder that is a file, or (``writable=True``)
cannot be created or written, is refused with a message naming the variable, or saying which one
to set.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["project_root", "data_dir", "figures_dir", "results_dir"]


def project_root() -> Path | None:
    """The source checkout's root (``pyproject.toml``, ``src/textseq``), or ``None`` (a wheel)."""
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
    """The data folder (``TEXTSEQ_DATA_DIR``); with ``writable``, created and checked writable.

    Raises ``NotADirectoryError`` if it is a file; with ``writable``, ``PermissionError`` or the
    ``OSError`` that creating it raised; each message names ``TEXTSEQ_DATA_DIR``.

    Example:
        >>> folder = data_dir()  # data/ in a source checkout, unless TEXTSEQ_DATA_DIR is set
        >>> folder.is_absolute() or "TEXTSEQ_DATA_DIR" in os.environ
        True
    """
    return _from_env("TEXTSEQ_DATA_DIR", _base() / "data", writable)


def figures_dir(*, writable: bool = False) -> Path:
    """The folder of the notebooks' PNG figures (``TEXTSEQ_FIGURES_DIR``), as `data_dir`."""
    return _from_env("TEXTSEQ_FIGURES_DIR", _base() / "figures", writable)


def results_dir(*, writable: bool = False) -> Path:
    """The folder of the notebooks' model results (``TEXTSEQ_RESULTS_DIR``), as `data_dir`."""
    return _from_env("TEXTSEQ_RESULTS_DIR", _base() / "results", writable)
