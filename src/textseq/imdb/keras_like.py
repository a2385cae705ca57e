"""IMDB for Keras, built from any aclImdb tree: `load_data` and `get_word_index`.

They mirror ``keras.datasets.imdb`` (Listings 6-6 and 6-22) without its ``imdb.npz``: words are
`textseq.text.tokenize_review`'s, ranked over the labelled reviews; the encoding is cached beside
the tree.
"""

from __future__ import annotations

import hashlib
import os
import warnings
import zipfile
from collections import Counter
from itertools import chain
from pathlib import Path

import numpy as np

from textseq._checks import check_choice, check_int, describe
from textseq._files import atomic_file
from textseq.imdb.reviews import read_splits
from textseq.text.tokenizer import tokenize_review

__all__ = ["get_word_index", "load_data"]

_CACHE_VERSION = 1  # bump when the tokenizer or the ranking changes
_ARRAYS = {"words", *(f"{s}_{k}" for s in ("train", "test") for k in ("flat", "lengths", "labels"))}


def _resolve(path: str | os.PathLike) -> Path:
    if not isinstance(path, str | os.PathLike):
        raise TypeError(f"path must be an aclImdb folder or aclImdb_v1.tar.gz (str or "
                        f"os.PathLike), got {describe(path, with_type=True)}; "
                        "textseq.datasets.imdb_dir() is the folder of the data in use")
    return Path(path).resolve()


def _fingerprint(source: Path, errors: str) -> str:
    digest = hashlib.sha256(f"textseq-imdb-v{_CACHE_VERSION} errors={errors}".encode())
    if source.is_file():
        st = source.stat()
        digest.update(f"{source.name} {st.st_size} {st.st_mtime_ns}".encode())
        return digest.hexdigest()[:20]
    for split in ("train", "test"):
        for label in ("neg", "pos"):
            try:
                with os.scandir(source / split / label) as it:
                    entries = sorted(f"{e.name} {e.stat().st_size} {e.stat().st_mtime_ns}"
                                     for e in it)
            except OSError:
                entries = ["<missing>"]
            digest.update(f"{split}/{label}\n".encode())
            digest.update("\n".join(entries).encode("utf-8", "surrogateescape"))
    return digest.hexdigest()[:20]


def _build(source: Path, errors: str) -> dict[str, np.ndarray]:
    reviews = read_splits(source, ("train", "test"), errors=errors)
    tokens = {s: [tokenize_review(t) for t in r.texts] for s, r in reviews.items()}
    counts = Counter(chain.from_iterable(chain.from_iterable(tokens.values())))
    words = sorted(counts, key=lambda w: (-counts[w], w))
    index = {w: i for i, w in enumerate(words, 1)}
    arrays = {"words": np.frombuffer("\n".join(words).encode(), dtype=np.uint8)}
    for split, toks in tokens.items():
        arrays[f"{split}_flat"] = np.fromiter((index[w] for w in chain.from_iterable(toks)),
                                              dtype=np.int32)
        arrays[f"{split}_lengths"] = np.array([len(t) for t in toks], dtype=np.int64)
        arrays[f"{split}_labels"] = reviews[split].labels
    return arrays


def _consistent(arrays: dict[str, np.ndarray]) -> bool:
    """Whether each split's lengths add up to its words, with one 0/1 label per review."""
    return all(
        (lengths := arrays[f"{s}_lengths"]).ndim == 1 and lengths.min(initial=0) >= 0
        and lengths.sum() == arrays[f"{s}_flat"].size
        and arrays[f"{s}_labels"].shape == lengths.shape
        and np.isin(arrays[f"{s}_labels"], (0, 1)).all() for s in ("train", "test"))


def _encoded(source: Path, errors: str = "strict") -> dict[str, np.ndarray]:
    """The tree's words and raw rank sequences, from the cache file or freshly built."""
    fingerprint = _fingerprint(source, errors)
    stem = f".{source.name}.imdb-"
    cache = source.parent / f"{stem}{fingerprint}.npz"
    try:
        with np.load(cache, allow_pickle=False) as npz:
            if _ARRAYS <= set(npz.files) and _consistent(arrays := {k: npz[k] for k in npz.files}):
                return arrays
    except (OSError, ValueError, KeyError, EOFError, TypeError, zipfile.BadZipFile):
        pass  # no cache yet (or an unreadable one): build it, as an incomplete or crafted one
    arrays = _build(source, errors)
    try:
        with atomic_file(cache) as f:
            np.savez(f, **arrays)
    except OSError as exc:
        warnings.warn(f"{cache}: cannot write the encoding cache ({exc}); the tree is encoded "
                      "again on every call", RuntimeWarning, stacklevel=3)
        return arrays
    for old in source.parent.glob(f"{stem}*.npz"):
        if old != cache:
            try:
                old.unlink()
            except OSError:
                pass  # a stale cache is never read again (its fingerprint is gone)
    return arrays


def get_word_index(path: str | os.PathLike, *, errors: str = "strict") -> dict[str, int]:
    """Return ``{word: rank}`` (1 = most frequent, without ``index_from``) used by `load_data`."""
    check_choice("errors", errors, ("strict", "replace"))
    words = bytes(_encoded(_resolve(path), errors)["words"]).decode()
    return {w: i for i, w in enumerate(words.split("\n"), 1)} if words else {}


def _gather(ranks: np.ndarray, lengths: np.ndarray, order: np.ndarray, start_char: int | None,
            index_from: int) -> tuple[np.ndarray, np.ndarray]:
    """Concatenate the sequences ``order`` of a flat rank array, shifted, with start marks."""
    starts = (np.cumsum(lengths) - lengths)[order]
    lengths = lengths[order]
    extra = int(start_char is not None)
    out_len = lengths + extra
    out_starts = np.cumsum(out_len) - out_len
    is_word = np.ones(int(out_len.sum()), dtype=bool)
    if extra:
        is_word[out_starts] = False
    dest = np.flatnonzero(is_word)
    flat = np.empty(len(is_word), dtype=np.int64)
    if extra:
        flat[out_starts] = start_char
    flat[dest] = ranks[dest + np.repeat(starts - out_starts - extra, lengths)]
    flat[dest] += index_from
    return flat, out_len


def load_data(path: str | os.PathLike, num_words: int | None = None,
              skip_top: int = 0, maxlen: int | None = None, seed: int = 113,
              start_char: int | None = 1, oov_char: int | None = 2, index_from: int = 3, *,
              errors: str = "strict"):
    """Load IMDB as integer sequences, like ``keras.datasets.imdb.load_data``.

    Keras's steps in Keras's order (sequences of ``maxlen`` items or more are dropped). ``path``:
    an aclImdb folder or archive. Returns ``(x_train, y_train), (x_test, y_test)``.
    """
    num_words = check_int("num_words", num_words, minimum=1, optional=True)
    maxlen = check_int("maxlen", maxlen, minimum=1, optional=True)
    skip_top = check_int("skip_top", skip_top, minimum=0)
    index_from = check_int("index_from", index_from, minimum=0)
    seed = check_int("seed", seed, minimum=0, maximum=2**32 - 1)
    start_char = check_int("start_char", start_char, minimum=0, optional=True)
    oov_char = check_int("oov_char", oov_char, minimum=0, optional=True)
    check_choice("errors", errors, ("strict", "replace"))
    arrays = _encoded(_resolve(path), errors)
    rng = np.random.RandomState(seed)
    splits = {}
    for split in ("train", "test"):
        lengths = arrays[f"{split}_lengths"]
        order = np.arange(len(lengths))
        rng.shuffle(order)  # Keras: train first, then test, with the same generator
        extra = int(start_char is not None)
        if maxlen:  # Keras drops sequences of maxlen items or more, start mark included
            order = order[lengths[order] + extra < maxlen]
            if not len(order):
                raise ValueError(f"After filtering for sequences shorter than maxlen={maxlen}, "
                                 f"no {split} sequence was kept. Increase maxlen.")
        flat, out_len = _gather(arrays[f"{split}_flat"], lengths, order, start_char,
                                index_from)
        splits[split] = (flat, out_len, arrays[f"{split}_labels"].astype(np.int64)[order])
    if not num_words:  # Keras: the largest index present, which thereby becomes oov_char
        num_words = max(int(f.max()) if len(f) else 0 for f, _, _ in splits.values())
    result = []
    for flat, out_len, labels in splits.values():
        inside = (flat >= skip_top) & (flat < num_words)
        if oov_char is not None:
            flat = np.where(inside, flat, oov_char)
        else:
            kept = np.concatenate(([0], np.cumsum(inside)))
            ends = np.cumsum(out_len)
            out_len = kept[ends] - kept[ends - out_len]
            flat = flat[inside]
        items, ends = flat.tolist(), np.cumsum(out_len).tolist()
        x = np.empty(len(out_len), dtype=object)
        for i, (a, b) in enumerate(zip([0] + ends[:-1], ends, strict=True)):
            x[i] = items[a:b]
        result.append((x, labels))
    return tuple(result)

