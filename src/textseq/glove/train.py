"""GloVe, trained with numpy: co-occurrence counts, weighted least squares, AdaGrad.

Pennington et al. (2014) as glove.c does it: ``1/d`` weighted counts, ``w_i . w~_j + b_i + b~_j ~
log X_ij`` weighted by ``min(1, (x / x_max) ** alpha)``, output ``W + W~``. Deterministic.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from textseq._checks import check_int, check_number
from textseq._files import atomic_file
from textseq.glove.vectors import GloveVectors

__all__ = ["build_vocab", "cooccurrence", "train_glove", "save_glove_text",
           "unlabelled_documents", "train_unlabelled"]

_CHUNK_TOKENS = 1 << 21  # tokens counted at a time (bounds the memory of `cooccurrence`)
_STEPS = 256  # AdaGrad steps per word and epoch, at most (chunks of a word's entries)
_MIN_CHUNK = 4  # entries per chunk, at least


def build_vocab(token_lists: Iterable[Sequence[str]], min_count: int = 5,
                max_vocab: int | None = None) -> list[str]:
    """The words seen at least ``min_count`` times, most frequent first (ties alphabetically)."""
    min_count = check_int("min_count", min_count, minimum=1)
    max_vocab = check_int("max_vocab", max_vocab, minimum=1, optional=True)
    counts: Counter = Counter()
    for tokens in token_lists:
        counts.update(tokens)
    words = sorted((w for w, c in counts.items() if c >= min_count), key=lambda w: (-counts[w], w))
    return words[:max_vocab] if max_vocab is not None else words


def cooccurrence(token_lists: Iterable[Sequence[str]], vocab: Sequence[str],
                 window: int = 10) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distance-weighted, symmetric co-occurrence counts (``cooccur.c``), as sparse arrays.

    >>> rows, cols, counts = cooccurrence([["a", "b", "a"]], ["a", "b"], window=2)
    >>> [(int(r), int(c), float(x)) for r, c, x in zip(rows, cols, counts)]
    [(0, 0, 1.0), (0, 1, 2.0), (1, 0, 2.0)]
    """
    window = check_int("window", window, minimum=1)
    index = {word: i for i, word in enumerate(vocab)}
    if len(index) != len(vocab):
        raise ValueError("vocab has repeated words")
    size = len(vocab)
    parts, ids, docs, pending = [], [], [], 0
    for doc, tokens in enumerate(token_lists):
        kept = [i for i in map(index.get, tokens) if i is not None]
        ids.append(np.array(kept, dtype=np.int64))
        docs.append(np.full(len(kept), doc, dtype=np.int64))
        pending += len(kept)
        if pending >= _CHUNK_TOKENS:
            parts.append(_count_chunk(np.concatenate(ids), np.concatenate(docs), size, window))
            ids, docs, pending = [], [], 0
    if pending:
        parts.append(_count_chunk(np.concatenate(ids), np.concatenate(docs), size, window))
    keys, counts = _merge(parts)  # directed counts: earlier word * size + later word
    transposed = (keys % size) * size + keys // size
    keys, counts = _merge([(keys, counts), (transposed, counts)])
    return (keys // size).astype(np.int32), (keys % size).astype(np.int32), counts


def _count_chunk(ids: np.ndarray, docs: np.ndarray, size: int, window: int):
    """Directed counts of one chunk: sorted unique keys ``earlier * size + later`` and weights."""
    coded = []
    for d in range(1, window + 1):
        same = docs[:-d] == docs[d:]
        coded.append((ids[:-d][same] * size + ids[d:][same]) * 32 + d)  # distance in low bits
    coded = np.sort(np.concatenate(coded))
    if coded.size == 0:
        return np.zeros(0, np.int64), np.zeros(0)
    starts = np.flatnonzero(np.diff(coded)) + 1
    starts = np.concatenate([[0], starts])
    runs = np.diff(np.append(starts, coded.size))  # occurrences of each (pair, distance)
    coded = coded[starts]
    weights = runs / (coded & 31)
    keys = coded >> 5
    first = np.concatenate([[0], np.flatnonzero(np.diff(keys)) + 1])
    return keys[first], np.add.reduceat(weights, first)


def _merge(parts):
    """Sum the values of equal keys over several ``(unique keys, values)`` parts."""
    if len(parts) == 1:
        return parts[0]
    keys = np.sort(np.concatenate([k for k, _ in parts]))
    keys = keys[np.concatenate([[True], keys[1:] != keys[:-1]])]  # (np.unique hashes: slower)
    total = np.zeros(keys.size)
    for part_keys, values in parts:
        total += np.bincount(np.searchsorted(keys, part_keys), values, minlength=keys.size)
    return keys, total


def train_glove(token_lists: Iterable[Sequence[str]], *, dim: int = 100, window: int = 10,
                min_count: int = 5, max_vocab: int | None = 20000, epochs: int = 25,
                x_max: float = 100.0, alpha: float = 0.75, lr: float = 0.05,
                batch_size: int = 16384, seed: int = 0, threads: int | None = None,
                verbose: bool = False) -> GloveVectors:
    """Train GloVe on tokenized documents: a `GloveVectors` of ``W + W~``, most frequent first.

    >>> docs = [["good", "film", "loved", "it"], ["bad", "film", "hated", "it"]] * 50
    >>> vectors = train_glove(docs, dim=8, window=2, min_count=1, epochs=5)
    >>> vectors.vectors.shape
    (6, 8)
    """
    dim = check_int("dim", dim, minimum=1)
    window = check_int("window", window, minimum=1)
    min_count = check_int("min_count", min_count, minimum=1)
    max_vocab = check_int("max_vocab", max_vocab, minimum=1, optional=True)
    epochs = check_int("epochs", epochs, minimum=1)
    batch_size = check_int("batch_size", batch_size, minimum=1)
    threads = check_int("threads", threads, minimum=1, optional=True)
    seed = check_int("seed", seed, minimum=0)
    x_max = check_number("x_max", x_max, minimum=0, exclusive_minimum=True)
    lr = check_number("lr", lr, minimum=0, exclusive_minimum=True)
    alpha = check_number("alpha", alpha)
    if not isinstance(token_lists, Sequence):
        token_lists = list(token_lists)
    vocab = build_vocab(token_lists, min_count, max_vocab)
    if len(vocab) < 2:
        raise ValueError(f"only {len(vocab)} word(s) occur at least min_count={min_count} times; "
                         "GloVe needs at least two")
    rows, cols, counts = cooccurrence(token_lists, vocab, window)
    rng = np.random.default_rng(seed)
    model = _Model(len(vocab), dim, lr, rng)
    if threads is None:
        threads = min(2, os.cpu_count() or 1)
    _train(model, rows, cols, counts, epochs, x_max, alpha, batch_size, rng, verbose, threads)
    return GloveVectors(vocab, model.w + model.c, f"GloVe trained on {len(token_lists):,} "
                        "documents")


class _Model:
    """``W, W~, b, b~`` and AdaGrad's sums of squared steps (starting at 1, as glove.c)."""

    def __init__(self, size: int, dim: int, lr: float, rng: np.random.Generator):
        params = (rng.random((2, size, dim + 1)) - 0.5) / dim  # glove.c: U(-0.5, 0.5) / dim
        self.w = np.ascontiguousarray(params[0, :, :dim], np.float32)
        self.c = np.ascontiguousarray(params[1, :, :dim], np.float32)
        self.bw, self.bc = params[0, :, dim].copy(), params[1, :, dim].copy()
        self.gw, self.gc = np.ones_like(self.w), np.ones_like(self.c)
        self.gbw, self.gbc = np.ones(size), np.ones(size)
        self.lr = lr

    def gather(self, side: int, owner: np.ndarray, partner: np.ndarray):
        """What one side of a step reads: side 0 updates ``W, b``; side 1 ``W~, b~``."""
        if side == 0:  # the terms (i, j): w_i . w~_j + b_i + b~_j
            return self.w[owner], self.bw[owner], self.c[partner], self.bc[partner]
        return self.c[owner], self.bc[owner], self.w[partner], self.bw[partner]  # mirror terms

    def update(self, side: int, owner, read, weight, log_x) -> float:
        """Sum each chunk's gradients into one AdaGrad step for the owner's parameters."""
        vec, bias, sq, bias_sq = ((self.w, self.bw, self.gw, self.gbw) if side == 0 else
                                  (self.c, self.bc, self.gc, self.gbc))
        mine, my_bias, theirs, their_bias = read
        diff = np.einsum("mld,md->ml", theirs, mine) + their_bias - log_x
        diff += my_bias[:, None]
        fdiff = weight * diff
        cost = 0.5 * float(np.sum(fdiff * diff))  # (no BLAS: its threads cost more here)
        fdiff *= self.lr
        grad = np.einsum("ml,mld->md", fdiff.astype(np.float32), theirs)
        bias_grad = fdiff.sum(1)
        vec[owner] = mine - grad / np.sqrt(sq[owner])
        sq[owner] += grad * grad  # mini-batch AdaGrad: the chunk's summed step, squared
        bias[owner] = my_bias - bias_grad / np.sqrt(bias_sq[owner])
        bias_sq[owner] += bias_grad * bias_grad
        return cost

    def step(self, owner, partner, weight, log_x, pool=None) -> float:
        """One batch of chunks with distinct owners: writes only owner rows (``w`` from the
        ``(i, j)`` term, ``w~`` from the mirror ``(j, i)``), so threads give the same result."""
        if pool is None:
            reads = [self.gather(side, owner, partner) for side in (0, 1)]
            return sum(self.update(side, owner, reads[side], weight, log_x)
                       for side in (0, 1)) / 2
        other = pool.submit(self.gather, 1, owner, partner)
        read0, read1 = self.gather(0, owner, partner), other.result()
        other = pool.submit(self.update, 1, owner, read1, weight, log_x)
        cost = self.update(0, owner, read0, weight, log_x)
        return (cost + other.result()) / 2


def _train(model: _Model, rows, cols, counts, epochs, x_max, alpha, batch_size, rng,
           verbose=False, threads: int = 1) -> None:
    """AdaGrad on the weighted least squares, in chunks of entries; see the module docstring."""
    if threads > 1:
        with ThreadPoolExecutor(1) as pool:
            return _train_with(model, rows, cols, counts, epochs, x_max, alpha, batch_size, rng,
                               verbose, pool)
    return _train_with(model, rows, cols, counts, epochs, x_max, alpha, batch_size, rng,
                       verbose, None)


def _train_with(model, rows, cols, counts, epochs, x_max, alpha, batch_size, rng, verbose, pool):
    size, n = model.w.shape[0], rows.size
    weight = np.append(np.minimum(1.0, (counts / x_max) ** alpha), 0.0)  # [n]: padding
    log_x = np.append(np.log(counts), 0.0)
    cols = np.append(cols, 0)
    row_start = np.searchsorted(rows, np.arange(size + 1))
    per_row = np.diff(row_start)
    # a row's entries go in chunks of `length` (a power of two), at most _STEPS chunks per row
    length = 1 << np.ceil(np.log2(np.maximum(_MIN_CHUNK, -(-per_row // _STEPS)))).astype(np.int64)
    n_chunks = -(-per_row // length)
    classes = []
    for size_class in np.unique(length[n_chunks > 0]):
        owners = np.flatnonzero((length == size_class) & (n_chunks > 0))
        chunk_row = np.repeat(owners, n_chunks[owners])
        first = np.cumsum(n_chunks[owners]) - n_chunks[owners]
        chunk_pos = np.arange(chunk_row.size) - np.repeat(first, n_chunks[owners])
        slots = (row_start[chunk_row] + chunk_pos * size_class)[:, None] + np.arange(size_class)
        slots[slots >= row_start[chunk_row + 1][:, None]] = n  # padding: weight 0
        classes.append((chunk_row, chunk_pos, slots))
    for epoch in range(epochs):
        # each row's entries in a new random order: chunk k of a row gets other entries each epoch
        shuffled = np.append(_shuffle_within_rows(rows, size, rng), n)
        phase = rng.random(size)
        batches = []
        for chunk_row, chunk_pos, slots in classes:
            # a row's m chunks go to rounds spread evenly over the epoch, random phase
            when = ((chunk_pos + phase[chunk_row]) * _STEPS
                    // n_chunks[chunk_row]).astype(np.int64)
            order = np.sort((when << 32) | np.arange(when.size)) & 0xFFFFFFFF
            bounds = np.searchsorted(when[order], np.arange(_STEPS + 1))
            batches.append((chunk_row[order], shuffled[slots[order]], bounds,
                            max(1, batch_size // slots.shape[1])))  # chunks per step
        cost = 0.0
        for step in range(_STEPS):
            for owner, entry, bounds, per_step in batches:
                for start in range(bounds[step], bounds[step + 1], per_step):
                    stop = min(start + per_step, bounds[step + 1])
                    e = entry[start:stop]
                    cost += model.step(owner[start:stop], cols[e], weight[e], log_x[e], pool)
        if verbose:
            print(f"epoch {epoch + 1}/{epochs}: cost {cost / n:.5f}", flush=True)


def _shuffle_within_rows(rows: np.ndarray, size: int, rng: np.random.Generator) -> np.ndarray:
    """Entry indices grouped by row (rows ascending), in a random order within each row."""
    n = rows.size
    index_bits, row_bits = int(n).bit_length(), int(size).bit_length()
    random_bits = 63 - index_bits - row_bits
    if random_bits < 20:  # huge inputs: a permutation, then a sort by row
        perm = rng.permutation(n)
        return perm[np.argsort(rows[perm], kind="stable")]
    key = rows.astype(np.int64) << (random_bits + index_bits)
    key |= rng.integers(0, 1 << random_bits, n, dtype=np.int64) << index_bits
    key |= np.arange(n, dtype=np.int64)
    return np.sort(key) & ((1 << index_bits) - 1)


def save_glove_text(path: str | os.PathLike, words: Sequence[str], vectors: np.ndarray, *,
                    precision: int = 6) -> Path:
    """Write vectors in the GloVe text format (``word v1 ... vd``, UTF-8, ``%.6f``), atomically."""
    precision = check_int("precision", precision, minimum=0)
    vectors = np.asarray(vectors)
    if vectors.ndim != 2 or vectors.shape[0] != len(words):
        raise ValueError(f"vectors must have shape ({len(words)}, dim), got {vectors.shape}")
    for word in words:
        if not word or "\n" in word or "\r" in word:
            raise ValueError(f"cannot write the word {word!r}: GloVe words are non-empty and "
                             "hold no line breaks")
    path = Path(path)
    fmt = " ".join([f"%.{precision}f"] * vectors.shape[1])
    with atomic_file(path, "w", encoding="utf-8", newline="\n") as f:
        for word, row in zip(words, vectors.tolist(), strict=True):
            f.write(word + " " + fmt % tuple(row) + "\n")
    return path


def unlabelled_documents(corpus: str | os.PathLike) -> list[list[str]]:
    """The unlabelled reviews (``train/unsup``) of an aclImdb folder or archive, tokenized."""
    from textseq.imdb.reviews import read_split
    from textseq.text.tokenizer import text_to_word_sequence

    reviews = read_split(corpus, "train", include_unsup=True)
    return [text_to_word_sequence(text)
            for text, label in zip(reviews.texts, reviews.labels.tolist(), strict=True)
            if label == -1]


def train_unlabelled(corpus: str | os.PathLike, out: str | os.PathLike, **settings) -> Path:
    """Train GloVe on a corpus's unlabelled reviews and write it to ``out`` as GloVe text."""
    vectors = train_glove(unlabelled_documents(corpus), **settings)
    return save_glove_text(out, vectors.words, vectors.vectors)

