"""Speed-ups of ``textseq.text.Tokenizer`` (private), and the token rules they share.

`make_splitter` and `token_function` are Keras 2's rules for turning a text into tokens, used on
every path. Everything else here makes the Tokenizer faster without changing its results: texts
become word ids a batch at a time, on one of two paths that give the same ids, the Python path
(``make_splitter``: lower-case, ``str.translate`` the filters to the separator, ``str.split``,
dict look-ups), for any text, and ``textseq._bytelookup.ByteLookup`` (numpy over a whole batch),
for large inputs; counting, document frequencies and matrices are numpy operations on a batch's
concatenated ids.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import lru_cache
from itertools import chain, compress, count, islice, repeat
from typing import Any

import numpy as np

from textseq import _bytelookup as lookup
from textseq._bytelookup import ByteLookup, packable, supports

MODES = ("binary", "count", "tfidf", "freq")
_CHUNK = 1 << 16  # tokens per run of rows that `matrix` fills at a time
MISSING = lookup.MISSING
"""Index given to tokens that are not in the vocabulary."""


def make_splitter(filters: Iterable[str], lower: bool, split: str) -> Callable[[str], list[str]]:
    """Return ``text -> words`` following Keras 2's ``text_to_word_sequence``."""
    if not isinstance(split, str) or not split:
        raise ValueError(f"split must be a non-empty string, got {split!r}")
    return _splitter(filters if isinstance(filters, str) else tuple(filters), bool(lower), split)


@lru_cache(maxsize=16)
def _splitter(filters: str | tuple[str, ...], lower: bool, split: str) -> Callable[[str], list]:
    table = str.maketrans(dict.fromkeys(filters, split))

    def words(text: str) -> list[str]:
        if lower:
            text = text.lower()
        return list(filter(None, text.translate(table).split(split)))

    return words


def token_function(filters: Iterable[str], lower: bool, split: str, char_level: bool,
                   analyzer: Any) -> Callable[[Any, int], Any]:
    """Return ``(text, position) -> tokens`` with Keras 2's rules, checking the text's type.

    A str is split into words (or characters, or by ``analyzer``); a list is taken as tokens,
    lower-cased if ``lower``; anything else is a ``TypeError`` naming ``texts[position]``.
    """
    words = make_splitter(filters, lower, split)

    def tokens(text: Any, pos: int) -> Sequence[str]:
        if isinstance(text, str):
            if char_level:
                return text.lower() if lower else text
            return words(text) if analyzer is None else list(analyzer(text))
        if isinstance(text, list):
            if not set(map(type, text)) <= {str}:  # str subclasses pass the slow check
                for j, token in enumerate(text):
                    if not isinstance(token, str):
                        raise TypeError(
                            f"texts[{pos}][{j}] must be a str, got {type(token).__name__}")
            return [t.lower() for t in text] if lower else text
        raise TypeError(f"texts[{pos}] must be a str or a list of str, got {type(text).__name__}")

    return tokens


def fast_lookup(vocab: dict[str, int], filters: Iterable[str], lower: bool, split: str,
                char_level: bool, analyzer: Any) -> ByteLookup | None:
    """A ``ByteLookup`` of ``vocab`` where the settings allow (words, ASCII filters and split)."""
    if char_level or analyzer is not None or not supports(filters, lower, split):
        return None
    return ByteLookup(vocab, filters, lower, split)


def below(word_index: dict[str, int], num_words: int | None) -> dict[str, int]:
    """Return the entries of ``word_index`` with an index below ``num_words`` (all if None)."""
    if num_words is None:
        return word_index
    indices = np.fromiter(word_index.values(), np.int64, len(word_index))
    return dict(compress(word_index.items(), (indices < num_words).tolist()))


def assign_ids(vocab: dict[str, int], counter: Iterator[int]) -> Callable[..., list[int]]:
    """Return ``tokens -> ids``: ``vocab.setdefault(token, next(counter))`` for each token."""
    return lambda tokens: list(map(vocab.setdefault, tokens, counter))


def get_ids(vocab: dict[str, int], below: int | None = None) -> Callable[..., list[int]]:
    """Return ``tokens -> ids``: ``vocab[token]``, or ``MISSING`` if absent or not ``< below``."""
    if below is None:
        return lambda tokens: list(map(vocab.get, tokens, repeat(MISSING)))
    return lambda tokens: [i if i is not None and i < below else MISSING
                           for i in map(vocab.get, tokens)]


def batch_ids(
    batch: list[Any],
    tokens: Callable[[Any, int], Sequence[str]],
    resolve: Callable[[Sequence[str]], list[int]],
    lookup: ByteLookup | None = None,
    resolve_missing: bool = False,
    pos: int = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """Return the ids of all tokens of a batch of texts, and the number of tokens of each text.

    Args:
        batch: the texts; ``batch[k]`` is ``texts[pos + k]`` for error messages.
        tokens: ``(text, position) -> tokens``.
        resolve: ``tokens -> ids`` (the Python path), called on the texts in order.
        lookup: resolves the ``packable`` texts with numpy instead.
        resolve_missing: pass the tokens ``lookup`` did not find to ``resolve`` (in order), instead
            of leaving them ``MISSING``.
    """
    fast = [lookup is not None and packable(t) for t in batch]
    if not any(fast):
        return join([resolve(tokens(text, pos + k)) for k, text in enumerate(batch)])
    found, counts, words_at = lookup.find([t for t, f in zip(batch, fast, strict=True) if f])
    missing = np.flatnonzero(found == MISSING) if resolve_missing else np.zeros(0, np.int64)
    rows = np.repeat(np.arange(len(counts)), counts)
    missing_per_text = iter(np.bincount(rows[missing], minlength=len(counts)).tolist())
    missing_words, resolved, pieces = iter(words_at(missing)), [], []
    for k, (text, is_fast) in enumerate(zip(batch, fast, strict=True)):
        if is_fast:
            pieces.append(None)
            resolved += resolve(list(islice(missing_words, next(missing_per_text))))
        else:
            pieces.append(resolve(tokens(text, pos + k)))
    found[missing] = resolved
    if all(fast):
        return found, counts
    done = iter(np.split(found, np.cumsum(counts)[:-1]))
    return join([next(done) if p is None else p for p in pieces])


def count_words(batch: list[Any], tokens: Callable[[Any, int], Sequence[str]],
                vocab: dict[str, int], counts: np.ndarray, docs: np.ndarray,
                lookup: ByteLookup | None = None, pos: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Add the words of ``batch`` to ``vocab`` ({word: id}, new words appended in order of
    first appearance) and return ``counts`` (occurrences per id) and ``docs`` (texts per id)
    updated with them."""
    # Tokens that ``lookup`` does not find get an id from one C-level ``setdefault``: a known
    # word gives its id, a new word stores the running counter (above every id); the new words
    # are renumbered after the batch.
    old_size, counter = len(vocab), count(len(vocab))
    ids, lengths = batch_ids(batch, tokens, assign_ids(vocab, counter), lookup,
                             resolve_missing=True, pos=pos)
    size = len(vocab)
    if size > old_size:
        renumber = np.empty(next(counter) - old_size, dtype=np.int64)
        provisional = np.fromiter(islice(vocab.values(), old_size, None), np.int64)
        renumber[provisional - old_size] = np.arange(old_size, size)
        is_new = ids >= old_size
        ids[is_new] = renumber[ids[is_new] - old_size]
        vocab.update(zip(list(islice(vocab, old_size, None)), range(old_size, size), strict=True))
    return (grow(counts, size) + np.bincount(ids, minlength=size),
            grow(docs, size) + document_frequency(ids, lengths, size))


def join(pieces: Sequence[Sequence[int] | np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Concatenate per-text indices; return them and the length of each piece."""
    lengths = np.fromiter(map(len, pieces), np.int64, len(pieces))
    if any(isinstance(p, np.ndarray) for p in pieces):
        return np.concatenate([np.asarray(p, dtype=np.int64) for p in pieces]), lengths
    return np.fromiter(chain.from_iterable(pieces), np.int64, int(lengths.sum())), lengths


def apply_oov(indices: np.ndarray, lengths: np.ndarray, oov: int | None) -> tuple[np.ndarray, ...]:
    """Replace ``MISSING`` indices by ``oov``, or drop them (fixing ``lengths``) if it is None."""
    missing = indices == MISSING
    if oov is not None:
        indices[missing] = oov
        return indices, lengths
    if not missing.any():
        return indices, lengths
    rows = np.repeat(np.arange(len(lengths)), lengths)
    return indices[~missing], np.bincount(rows[~missing], minlength=len(lengths))


def grow(counts: np.ndarray, size: int) -> np.ndarray:
    """Pad ``counts`` with zeros to ``size``."""
    return np.concatenate([counts, np.zeros(size - len(counts), np.int64)])


def document_frequency(ids: np.ndarray, lengths: Sequence[int], size: int) -> np.ndarray:
    """Count, for each id below ``size``, the texts (runs of ``lengths`` ids) that hold it."""
    rows = np.repeat(np.arange(len(lengths), dtype=np.int64), lengths)
    pairs = np.sort(rows * size + ids)  # a sort-based unique: faster than np.unique here
    first = np.ones(len(pairs), dtype=bool)
    first[1:] = pairs[1:] != pairs[:-1]
    return np.bincount(pairs[first] % max(size, 1), minlength=size)


def flatten(sequences: Iterable[Sequence[int]] | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return the concatenated indices of ``sequences`` (checked) and the length of each."""
    if isinstance(sequences, np.ndarray) and sequences.ndim == 2:
        indices = sequences.ravel()
        lengths = np.full(len(sequences), sequences.shape[1], dtype=np.int64)
    else:
        sequences = list(sequences)
        lengths = np.fromiter(map(len, sequences), np.int64, len(sequences))
        indices = np.array(list(chain.from_iterable(sequences)))
    if indices.size and indices.dtype.kind not in "iu":
        raise TypeError(f"sequences must hold integer indices, got dtype {indices.dtype}")
    indices = indices.astype(np.int64, copy=False)
    if indices.size and indices.min() < 0:
        k = int(np.argmax(indices < 0))
        row = int(np.searchsorted(np.cumsum(lengths), k, side="right"))
        raise ValueError(f"sequences[{row}] holds the negative index {indices[k]}; indices "
                         "must be >= 0")
    return indices, lengths


def matrix(blocks: Iterable[tuple[np.ndarray, np.ndarray]], n: int, width: int, mode: str,
           document_count: int = 0, index_docs: dict[int, int] | None = None) -> np.ndarray:
    """Build the ``(n, width)`` matrix of ``Tokenizer.sequences_to_matrix``.

    Args:
        blocks: ``(indices, lengths)`` for consecutive runs of rows: the concatenated sequences
            (indices >= ``width`` and ``MISSING`` are ignored) and the length of each.
        n: the number of rows (sequences).
        width: the number of columns.
        mode: one of ``MODES``.
        document_count, index_docs: the document frequencies for ``"tfidf"``.
    """
    x = np.zeros((n + 1, width))  # row n collects the ignored tokens; returned: x[:n]
    idf = None
    if mode == "tfidf":
        docs = np.zeros(width, dtype=np.int64)
        for j, c in (index_docs or {}).items():
            if 0 <= j < width:
                docs[j] = c
        idf = np.log(1 + document_count / (1 + docs))
    row = 0
    for indices, lengths in blocks:
        # Runs of whole rows of about _CHUNK tokens: the token arrays stay in cache and each
        # run's sort (see _fill) is short.
        ends = np.cumsum(lengths)
        cuts = np.searchsorted(ends, np.arange(_CHUNK, ends[-1] if ends.size else 0, _CHUNK),
                               side="right")
        bounds = [0, *np.unique(cuts).tolist(), len(lengths)]
        for first, last in zip(bounds, bounds[1:], strict=False):
            if first < last:
                start = int(ends[first - 1]) if first else 0
                _fill(x.reshape(-1), row + first, n, indices[start:int(ends[last - 1])],
                      lengths[first:last], width, mode, idf)
        row += len(lengths)
    return x[:n]


def _fill(flat: np.ndarray, first_row: int, n: int, indices: np.ndarray, lengths: np.ndarray,
          width: int, mode: str, idf: np.ndarray | None) -> None:
    # Each cell is written before it is read, if it is read at all: a fresh matrix's pages are
    # then faulted in once, by a write. Read first (as ``np.add.at`` does), a page is mapped to
    # the zero page and faulted again on the write: twice the faults without huge pages.
    rows = np.repeat(np.arange(first_row, first_row + len(lengths), dtype=np.int64), lengths)
    cells = rows * width
    cells += indices  # each token's cell, row-major
    kept = indices.view(np.uint64) < width  # MISSING (a huge unsigned) and >= width: ignored
    if mode in ("binary", "count"):
        cells[~kept] = n * width  # row n collects the ignored tokens
        flat[cells] = 1.0 if mode == "binary" else 0.0
        if mode == "count":
            np.add.at(flat, cells, 1.0)
        return
    # freq, tfidf: count in the token arrays (a sort), then write each cell once.
    ordered = np.sort(cells[kept])
    first = np.ones(ordered.size, dtype=bool)
    first[1:] = ordered[1:] != ordered[:-1]
    starts = np.flatnonzero(first)
    cells = ordered[starts]  # each cell with a count, once
    counts = np.diff(starts, append=ordered.size).astype(np.float64)
    if mode == "freq":  # count / sequence length, indices >= width included
        length = np.bincount(rows - first_row, weights=indices != MISSING, minlength=len(lengths))
        flat[cells] = counts / length[cells // width - first_row]
    else:  # tfidf
        flat[cells] = (1 + np.log(counts)) * idf[cells % width]
