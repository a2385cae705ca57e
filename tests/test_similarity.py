"""textseq.glove.similarity: nearest neighbours and analogies by cosine."""

from __future__ import annotations

import numpy as np
import pytest

from textseq.glove import analogy, cosine, load_vectors, nearest

WORDS = ["good", "great", "excellent", "bad", "awful", "zero"]
MATRIX = np.array([[1.0, 0.1, 0.0], [0.9, 0.3, 0.1], [2.0, 0.1, 0.3], [-1.0, 0.2, 0.0],
                   [-0.8, -0.1, 0.1], [0.0, 0.0, 0.0]], dtype=np.float32)


def brute_cosines(query: np.ndarray) -> np.ndarray:
    out = []
    for row in MATRIX.astype(np.float64):
        denominator = np.linalg.norm(row) * np.linalg.norm(query)
        out.append(0.0 if denominator == 0 else float(row @ query) / denominator)
    return np.array(out)


def test_nearest_ranks_by_cosine_and_leaves_the_word_out():
    result = nearest((WORDS, MATRIX), "good", k=10)
    scores = brute_cosines(MATRIX[0].astype(np.float64))
    expected = sorted((i for i in range(len(WORDS)) if i != 0), key=lambda i: -scores[i])
    assert [w for w, _ in result] == [WORDS[i] for i in expected]
    np.testing.assert_allclose([s for _, s in result], scores[expected], rtol=1e-12)
    assert [w for w, _ in nearest((WORDS, MATRIX), "bad", k=1)] == ["awful"]


def test_analogy_uses_normalized_vectors_and_excludes_inputs():
    words = ["man", "woman", "king", "queen", "apple", "prince"]
    matrix = np.array([[1, 0, 0], [1, 1, 0], [1, 0, 1], [1, 1, 1], [0, 0, -1], [1, 0.2, 1.2]])
    answers = analogy((words, matrix), "man", "woman", "king", k=3)
    assert answers[0][0] == "queen"
    assert not {"man", "woman", "king"} & {w for w, _ in answers}
    unit = matrix / np.linalg.norm(matrix, axis=1, keepdims=True)
    query = unit[1] - unit[0] + unit[2]
    assert answers[0][1] == pytest.approx(float(unit[3] @ query) / np.linalg.norm(query))


def test_unknown_word_names_it():
    with pytest.raises(KeyError, match="'superb' is not in the vocabulary"):
        nearest((WORDS, MATRIX), "superb")
    with pytest.raises(KeyError, match="'Good' is not in the vocabulary"):
        analogy((WORDS, MATRIX), "Good", "bad", "great")


def test_arguments_are_checked():
    with pytest.raises(ValueError, match="k must be a positive integer, got 0"):
        nearest((WORDS, MATRIX), "good", k=0)
    with pytest.raises(ValueError, match="one vector per word"):
        nearest((WORDS, MATRIX[:3]), "good")


def test_zero_vectors_and_cosine():
    assert cosine((WORDS, MATRIX), "good", "zero") == 0.0
    assert cosine((WORDS, MATRIX), "good", "good") == pytest.approx(1.0)
    assert nearest((WORDS, MATRIX), "zero", k=2)[0][1] == 0.0


def test_works_on_loaded_glove_vectors(tmp_path):
    path = tmp_path / "v.txt"
    path.write_text("".join(f"{w} {' '.join(map(str, row))}\n" for w, row in zip(WORDS, MATRIX,
                                                                                 strict=True)),
                    encoding="utf-8")
    vectors = load_vectors(path, cache=False)
    assert nearest(vectors, "good", k=2) == nearest((WORDS, MATRIX), "good", k=2)
