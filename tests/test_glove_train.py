"""textseq.glove.train: co-occurrence counts, the GloVe objective and its training, the writer."""

from __future__ import annotations

import random
from collections import defaultdict

import numpy as np
import pytest
from conftest import random_reviews, write_tree

from textseq.glove import load_vectors
from textseq.glove import train as glove_train
from textseq.glove.train import build_vocab, cooccurrence, save_glove_text, train_glove


def brute_force_counts(docs, vocab, window):
    """cooccur.c, literally: drop unknown words, then for each word look back `window` words."""
    index = {w: i for i, w in enumerate(vocab)}
    counts = defaultdict(float)
    for doc in docs:
        ids = [index[t] for t in doc if t in index]
        for pos, right in enumerate(ids):
            for back in range(1, window + 1):
                if pos - back < 0:
                    break
                left = ids[pos - back]
                counts[left, right] += 1.0 / back
                counts[right, left] += 1.0 / back
    return counts


def test_cooccurrence_matches_a_double_loop(monkeypatch):
    monkeypatch.setattr(glove_train, "_CHUNK_TOKENS", 7)  # several chunks, merged
    rng = random.Random(0)
    words = ["a", "b", "c", "d", "e", "rare"]
    docs = [[rng.choice(words) for _ in range(rng.randint(0, 12))] for _ in range(30)]
    docs.append(["a", "a", "a"])  # a word next to itself: X[a, a] gets 2/d per pair
    vocab = ["a", "b", "c", "d", "e"]  # "rare" is dropped before windows are taken
    for window in (1, 3, 10):
        rows, cols, counts = cooccurrence(docs, vocab, window)
        expected = brute_force_counts(docs, vocab, window)
        assert list(zip(rows.tolist(), cols.tolist(), strict=True)) == sorted(expected)
        np.testing.assert_allclose(counts, [expected[k] for k in sorted(expected)], rtol=1e-12)
        assert rows.dtype == cols.dtype == np.int32 and counts.dtype == np.float64


def test_cooccurrence_weights_and_symmetry_by_hand():
    rows, cols, counts = cooccurrence([["x", "y", "z"], ["z", "x"]], ["x", "y", "z"], window=2)
    table = {(int(r), int(c)): float(v) for r, c, v in zip(rows, cols, counts, strict=True)}
    # doc 1: x-y at 1, y-z at 1, x-z at 2 (1/2); doc 2: z-x at 1; windows stop at documents
    assert table == {(0, 1): 1.0, (1, 0): 1.0, (1, 2): 1.0, (2, 1): 1.0,
                     (0, 2): 1.5, (2, 0): 1.5}


def test_build_vocab_order_and_limits():
    docs = [["b", "a", "c", "a", "b", "d"], ["c", "e"]]
    assert build_vocab(docs, min_count=1) == ["a", "b", "c", "d", "e"]  # count, then a-z
    assert build_vocab(docs, min_count=2) == ["a", "b", "c"]
    assert build_vocab(docs, min_count=1, max_vocab=2) == ["a", "b"]
    with pytest.raises(ValueError, match="min_count must be an integer >= 1, got 0"):
        build_vocab(docs, min_count=0)
    with pytest.raises(TypeError, match=r"min_count must be an integer >= 1, got True \(bool\)"):
        build_vocab(docs, min_count=True)
    with pytest.raises(TypeError, match=r"max_vocab must be an integer >= 1 or None, got 2\.5"):
        build_vocab(docs, max_vocab=2.5)


def two_camps(n_docs=600, seed=0):
    """Reviews where praise words sit among 'loved/enjoyed' and blame words among 'hated/boring'."""
    rng = random.Random(seed)
    praise, blame = ["good", "great", "excellent"], ["bad", "awful", "terrible"]
    liked, disliked = ["loved", "enjoyed", "fun", "recommend"], ["hated", "boring", "waste", "dull"]
    filler = ["the", "movie", "film", "was", "and", "it", "a", "plot", "acting", "this"]
    docs = []
    for _ in range(n_docs):
        positive = rng.random() < 0.5
        camp, context = (praise, liked) if positive else (blame, disliked)
        doc = []
        for _ in range(rng.randint(3, 6)):
            doc += rng.sample(filler, 2) + [rng.choice(camp), rng.choice(context),
                                            rng.choice(context)] + rng.sample(filler, 2)
        docs.append(doc)
    return docs, praise, blame


def test_same_sentiment_words_end_up_closer():
    docs, praise, blame = two_camps()
    vectors = train_glove(docs, dim=16, window=4, min_count=1, epochs=40, seed=0)
    unit = vectors.vectors / np.linalg.norm(vectors.vectors, axis=1, keepdims=True)

    def cos(a, b):
        return float(unit[vectors.index[a]] @ unit[vectors.index[b]])

    for group, other in ((praise, blame), (blame, praise)):
        for word in group:
            same = min(cos(word, w) for w in group if w != word)
            cross = max(cos(word, w) for w in other)
            assert same > cross, (word, same, cross)


def weighted_cost(vectors_w, vectors_c, bw, bc, rows, cols, counts):
    """J = sum f(X_ij) (w_i . w~_j + b_i + b~_j - log X_ij)^2, straight from the paper."""
    f = np.minimum(1.0, (counts / 100.0) ** 0.75)
    pred = np.sum(vectors_w[rows] * vectors_c[cols], axis=1) + bw[rows] + bc[cols]
    return float(np.sum(f * (pred - np.log(counts)) ** 2))


def test_training_minimizes_the_glove_objective():
    docs, _, _ = two_camps(200, seed=1)
    vocab = build_vocab(docs, 1)
    rows, cols, counts = cooccurrence(docs, vocab, 4)
    costs = []
    for epochs in (0, 1, 20):
        rng = np.random.default_rng(0)
        model = glove_train._Model(len(vocab), 8, 0.05, rng)
        glove_train._train(model, rows, cols, counts, epochs, 100.0, 0.75, 512, rng)
        costs.append(weighted_cost(model.w, model.c, model.bw, model.bc, rows, cols, counts))
    assert costs[0] > costs[1] > costs[2]
    assert costs[2] < 0.2 * costs[0]


def test_one_step_matches_the_update_rules_by_hand():
    """A chunk's step: gradients of each term and of its mirror term, summed, then AdaGrad."""
    rng = np.random.default_rng(3)
    model = glove_train._Model(5, 3, 0.05, rng)
    model.gw[:] = rng.random(model.gw.shape) + 1
    model.gbc[:] = rng.random(5) + 1
    w, c, bw, bc = model.w.copy(), model.c.copy(), model.bw.copy(), model.bc.copy()
    gw, gc, gbw, gbc = model.gw.copy(), model.gc.copy(), model.gbw.copy(), model.gbc.copy()
    owner, partner = np.array([1, 4]), np.array([[0, 2, 4], [1, 3, 3]])
    weight, log_x = rng.random((2, 3)), rng.random((2, 3))
    model.step(owner, partner, weight, log_x)
    for m, i in enumerate(owner):
        grad_w, grad_c, grad_bw, grad_bc = np.zeros(3), np.zeros(3), 0.0, 0.0
        for slot, j in enumerate(partner[m]):
            f, lx = weight[m, slot], log_x[m, slot]
            diff = 0.05 * f * (w[i] @ c[j] + bw[i] + bc[j] - lx)  # the term (i, j)
            mirror = 0.05 * f * (w[j] @ c[i] + bw[j] + bc[i] - lx)  # the term (j, i)
            grad_w += diff * c[j]
            grad_bw += diff
            grad_c += mirror * w[j]
            grad_bc += mirror
        np.testing.assert_allclose(model.w[i], w[i] - grad_w / np.sqrt(gw[i]), rtol=1e-5)
        np.testing.assert_allclose(model.c[i], c[i] - grad_c / np.sqrt(gc[i]), rtol=1e-5)
        np.testing.assert_allclose(model.gw[i], gw[i] + grad_w**2, rtol=1e-5)
        np.testing.assert_allclose(model.bw[i], bw[i] - grad_bw / np.sqrt(gbw[i]), rtol=1e-6)
        np.testing.assert_allclose(model.bc[i], bc[i] - grad_bc / np.sqrt(gbc[i]), rtol=1e-6)
        np.testing.assert_allclose(model.gbc[i], gbc[i] + grad_bc**2, rtol=1e-6)
    untouched = [0, 2, 3]
    np.testing.assert_array_equal(model.w[untouched], w[untouched])
    np.testing.assert_array_equal(model.c[untouched], c[untouched])


def test_training_matches_glove_c_quality_on_a_small_corpus():
    """glove.c's per-entry loop, in plain numpy, separates the two camps; so must we."""
    docs, praise, blame = two_camps(300, seed=4)
    vocab = build_vocab(docs, 1)
    rows, cols, counts = cooccurrence(docs, vocab, 4)
    reference = reference_glove(rows, cols, counts, len(vocab), 16, 25)
    ours = train_glove(docs, dim=16, window=4, min_count=1, epochs=25, seed=0).vectors
    for vectors in (reference, ours):
        assert camp_margin(vectors, vocab, praise, blame) > 0.05


def reference_glove(rows, cols, counts, size, dim, epochs, lr=0.05):
    """glove.c's training loop, one entry at a time (slow, small inputs only)."""
    rng = np.random.default_rng(0)
    w = (rng.random((2 * size, dim + 1)) - 0.5) / dim
    sq = np.ones_like(w)
    weight, log_x = np.minimum(1, (counts / 100) ** 0.75), np.log(counts)
    for _ in range(epochs):
        for e in rng.permutation(rows.size):
            l1, l2 = rows[e], cols[e] + size
            fdiff = lr * weight[e] * (w[l1, :dim] @ w[l2, :dim] + w[l1, dim] + w[l2, dim]
                                      - log_x[e])
            temp1, temp2 = fdiff * w[l2, :dim], fdiff * w[l1, :dim]
            w[l1, :dim] -= temp1 / np.sqrt(sq[l1, :dim])
            w[l2, :dim] -= temp2 / np.sqrt(sq[l2, :dim])
            sq[l1, :dim] += temp1**2
            sq[l2, :dim] += temp2**2
            w[[l1, l2], dim] -= fdiff / np.sqrt(sq[[l1, l2], dim])
            sq[[l1, l2], dim] += fdiff**2
    return w[:size, :dim] + w[size:, :dim]


def camp_margin(vectors, vocab, praise, blame) -> float:
    """Smallest (same-camp cosine - cross-camp cosine) over the six sentiment words."""
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    index = {w: i for i, w in enumerate(vocab)}

    def cos(a, b):
        return float(unit[index[a]] @ unit[index[b]])

    return min(min(cos(w, x) for x in group if x != w) - max(cos(w, x) for x in other)
               for group, other in ((praise, blame), (blame, praise)) for w in group)


def test_same_seed_same_vectors_with_one_or_two_threads():
    docs, _, _ = two_camps(150, seed=2)
    a = train_glove(docs, dim=8, window=3, min_count=1, epochs=3, seed=7, threads=1)
    b = train_glove(docs, dim=8, window=3, min_count=1, epochs=3, seed=7, threads=2)
    c = train_glove(docs, dim=8, window=3, min_count=1, epochs=3, seed=8)
    assert a.words == b.words
    np.testing.assert_array_equal(a.vectors, b.vectors)
    assert not np.array_equal(a.vectors, c.vectors)


def test_vocabulary_limits_and_errors():
    docs, _, _ = two_camps(50)
    vectors = train_glove(docs, dim=4, window=2, min_count=1, max_vocab=5, epochs=1)
    assert len(vectors.words) == 5 and vectors.vectors.shape == (5, 4)
    assert vectors.vectors.dtype == np.float32
    with pytest.raises(ValueError, match="dim must be an integer >= 1, got 0"):
        train_glove(docs, dim=0)
    with pytest.raises(TypeError, match=r"dim must be an integer >= 1, got 2\.5 \(float\)"):
        train_glove(docs, dim=2.5)
    with pytest.raises(TypeError, match=r"epochs must be an integer >= 1, got True \(bool\)"):
        train_glove(docs, epochs=True)
    with pytest.raises(TypeError, match=r"lr must be a number > 0, got '0\.1' \(str\)"):
        train_glove(docs, lr="0.1")
    with pytest.raises(ValueError, match="x_max must be a number > 0, got 0"):
        train_glove(docs, x_max=0)
    with pytest.raises(ValueError, match="seed must be an integer >= 0, got -1"):
        train_glove(docs, seed=-1)
    with pytest.raises(ValueError, match="window must be an integer >= 1, got 0"):
        train_glove(docs, window=0)  # checked before the documents are read
    with pytest.raises(ValueError, match=r"only 1 word\(s\) occur at least min_count=2"):
        train_glove([["a", "a", "b"]], min_count=2)
    with pytest.raises(ValueError, match="window must be an integer >= 1, got 0"):
        cooccurrence(docs, ["the"], window=0)
    with pytest.raises(TypeError, match=r"window must be an integer >= 1, got '3' \(str\)"):
        cooccurrence(docs, ["the"], window="3")


def test_written_file_round_trips_through_load_vectors(tmp_path):
    docs, _, _ = two_camps(100)
    vectors = train_glove(docs, dim=6, window=3, min_count=1, epochs=2)
    path = save_glove_text(tmp_path / "trained.txt", vectors.words, vectors.vectors)
    loaded = load_vectors(path, cache=False)
    assert loaded.words == vectors.words
    np.testing.assert_array_equal(loaded.vectors, np.round(vectors.vectors.astype(np.float64), 6)
                                  .astype(np.float32))
    assert [p.name for p in tmp_path.iterdir()] == ["trained.txt"]


def test_a_killed_writers_leftover_is_removed_by_the_next_write(tmp_path):
    """Issue 11: save_glove_text had its own temp-then-rename, whose leftovers stayed."""
    from test_glove import dead_writers_temp

    leftover = dead_writers_temp(tmp_path / "trained.txt")
    save_glove_text(tmp_path / "trained.txt", ["a", "b"], np.eye(2))
    assert not leftover.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["trained.txt"]
    assert load_vectors(tmp_path / "trained.txt", cache=False).words == ["a", "b"]
    with pytest.raises(TypeError, match=r"precision must be an integer >= 0, got 2\.0"):
        save_glove_text(tmp_path / "x.txt", ["a"], np.ones((1, 2)), precision=2.0)


def test_writer_refuses_bad_input_and_leaves_no_file(tmp_path):
    with pytest.raises(ValueError, match="cannot write the word 'a\\\\nb'"):
        save_glove_text(tmp_path / "v.txt", ["ok", "a\nb"], np.zeros((2, 3)))
    with pytest.raises(ValueError, match=r"vectors must have shape \(2, dim\), got \(3, 3\)"):
        save_glove_text(tmp_path / "v.txt", ["a", "b"], np.zeros((3, 3)))
    assert list(tmp_path.iterdir()) == []


def unsup_tree(root):
    """An aclImdb tree whose unlabelled reviews use words no labelled review uses."""
    reviews = random_reviews(6, seed=1, vocab_size=30)  # labelled: words w0..w29
    rng = random.Random(2)
    reviews["train", "unsup"] = [
        (i, 0, " ".join(rng.choices([f"u{k}" for k in range(12)], k=30))) for i in range(40)]
    return write_tree(root, reviews)


def test_only_the_unlabelled_reviews_are_read(tmp_path):
    root = unsup_tree(tmp_path / "aclImdb")
    docs = glove_train.unlabelled_documents(root)
    expected = sorted((root / "train" / "unsup").iterdir(), key=lambda p: int(p.stem.split("_")[0]))
    assert docs == [p.read_text(encoding="utf-8").split() for p in expected]
    assert {w for doc in docs for w in doc} <= {f"u{k}" for k in range(12)}


def test_train_unlabelled_trains_on_train_unsup_only(tmp_path):
    root = unsup_tree(tmp_path / "aclImdb")
    out = tmp_path / "own.txt"
    assert glove_train.train_unlabelled(root, out, dim=4, epochs=2, min_count=1, window=3) == out
    vectors = load_vectors(out, cache=False)
    assert vectors.dim == 4 and set(vectors.words) == {f"u{k}" for k in range(12)}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["aclImdb", "own.txt"]

