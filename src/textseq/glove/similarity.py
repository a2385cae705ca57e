"""Nearest neighbours and analogies by cosine similarity, for GloVe-style word vectors.

``vectors`` is a `textseq.glove.GloveVectors` or a ``(words, matrix)`` pair; an unknown word is
a ``KeyError`` naming it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["nearest", "analogy", "cosine"]


def _unpack(vectors) -> tuple[Sequence[str], np.ndarray, dict[str, int]]:
    if isinstance(vectors, tuple) and len(vectors) == 2:
        words, matrix = vectors
        index = {w: i for i, w in enumerate(words)}
    else:
        words, matrix, index = vectors.words, vectors.vectors, vectors.index
    matrix = np.asarray(matrix)
    if matrix.ndim != 2 or matrix.shape[0] != len(words):
        raise ValueError(f"expected one vector per word, got {matrix.shape} for {len(words)} "
                         "words")
    return words, matrix, index


def _row(index: dict[str, int], word: str, words: Sequence[str]) -> int:
    try:
        return index[word]
    except KeyError:
        raise KeyError(f"{word!r} is not in the vocabulary ({len(words):,} words); check the "
                       "spelling and case (GloVe words are lower-case)") from None


def _unit(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1, norms)


def cosine(vectors, a: str, b: str) -> float:
    """Cosine similarity of two words' vectors (0.0 if either vector is zero).

    >>> words, matrix = ["good", "great", "bad"], [[1, 0], [1, 0.2], [-1, 0]]
    >>> round(cosine((words, matrix), "good", "bad"), 3)
    -1.0
    """
    words, matrix, index = _unpack(vectors)
    u, v = _unit(matrix[[_row(index, a, words), _row(index, b, words)]].astype(np.float64))
    return float(u @ v)


def _ranked(words, unit: np.ndarray, query: np.ndarray, exclude: set[int], k: int):
    if not isinstance(k, int | np.integer) or k < 1:
        raise ValueError(f"k must be a positive integer, got {k!r}")
    norm = np.linalg.norm(query)
    scores = unit @ (query / norm if norm else query)
    take = min(len(words), k + len(exclude))
    top = np.argpartition(-scores, take - 1)[:take] if take < len(words) else np.arange(take)
    top = top[np.lexsort((top, -scores[top]))]  # best first, ties by row (deterministic)
    return [(words[i], float(scores[i])) for i in top if i not in exclude][:k]


def nearest(vectors, word: str, k: int = 10) -> list[tuple[str, float]]:
    """The ``k`` words closest to ``word`` by cosine, best first, as ``[(word, cosine), ...]``.

    >>> words, matrix = ["good", "great", "bad"], [[1, 0], [1, 0.2], [-1, 0]]
    >>> [w for w, _ in nearest((words, matrix), "good", k=2)]
    ['great', 'bad']
    """
    words, matrix, index = _unpack(vectors)
    row = _row(index, word, words)
    unit = _unit(matrix.astype(np.float64))
    return _ranked(words, unit, unit[row], {row}, k)


def analogy(vectors, a: str, b: str, c: str, k: int = 5) -> list[tuple[str, float]]:
    """Words closest to ``b - a + c`` ("``a`` is to ``b`` as ``c`` is to ?"), inputs excluded.

    >>> words = ["man", "woman", "king", "queen", "apple"]
    >>> matrix = [[1, 0, 0], [1, 1, 0], [1, 0, 1], [1, 1, 1], [0, 0, -1]]
    >>> analogy((words, matrix), "man", "woman", "king", k=1)[0][0]
    'queen'
    """
    words, matrix, index = _unpack(vectors)
    rows = [_row(index, w, words) for w in (a, b, c)]
    unit = _unit(matrix.astype(np.float64))
    query = unit[rows[1]] - unit[rows[0]] + unit[rows[2]]
    return _ranked(words, unit, query, set(rows), k)
