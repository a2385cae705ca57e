"""The Tokenizer's speed-ups (private): the same results as the plain algorithm, faster.

Two paths give the same ids: plain Python for any text, `ByteLookup` (numpy over UTF-8 bytes)
for ``_BULK`` texts or more with ASCII filters. Both are tested against Keras 2.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import chain, compress, count, islice, repeat
from typing import Any

import numpy as np

_BATCH = 1000  # texts converted together
_BULK = 64  # calls with fewer texts skip the O(vocabulary) set-up of the byte look-up
_CHUNK = 1 << 16  # tokens per run of rows that `matrix` fills at a time
MISSING = np.iinfo(np.int64).min
"""Index given to tokens that are not in the vocabulary."""


# --- exact, vectorized word look-up on UTF-8 bytes ---------------------------------------
_PACKED = 16  # bytes per packed token
_MASKS = np.array(  # row n keeps the first n bytes of a 16-byte key
    [[(1 << 8 * min(n, 8)) - 1, (1 << 8 * max(n - 8, 0)) - 1] for n in range(_PACKED)]
    + [[2**64 - 1, 2**64 - 1]],
    dtype="<u8",
).view("V16").ravel()
_MUL0, _MUL1 = np.uint64(0x9E3779B97F4A7C15), np.uint64(0xC2B2AE3D27D4EB4F)
_UTF8 = ("utf-8", "surrogatepass")  # lone surrogates round-trip too


def supports(filters: Iterable[str], lower: bool, split: str) -> bool:
    """Whether ``ByteLookup`` handles these settings: ASCII filters, one ASCII separator."""
    return (len(split) == 1 and split.isascii() and not (lower and split.lower() != split)
            and all(len(c) == 1 and c.isascii() for c in filters))


def packable(text: Any) -> bool:
    """Whether ``ByteLookup`` reads ``text``: a str without NUL (NUL pads the packed tokens)."""
    return type(text) is str and "\0" not in text


def _pack(buffer: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> tuple[np.ndarray, ...]:
    """The two 64-bit words of each token (bytes zero-padded; a longer token: its first 16)
    and a hash of them; ``buffer`` extends at least 16 bytes past the last token."""
    windows = np.ndarray((len(buffer) - _PACKED + 1,), dtype="V16", buffer=buffer, strides=(1,))
    keys = np.bitwise_and(windows[starts].view("<u8"),
                          _MASKS[np.minimum(lengths, _PACKED)].view("<u8")).reshape(-1, 2)
    first, second = keys[:, 0], keys[:, 1]
    return first, second, (first * _MUL0 ^ second) * _MUL1


class ByteLookup:
    """Exact vectorized look-up of the words of texts in a ``{word: index}`` vocabulary.

    Tokens of up to 16 bytes are packed into two 64-bit words and found in an open-addressing
    hash table; longer ones use a dict.
    """

    def __init__(self, vocabulary: dict[str, int], filters: str, lower: bool, split: str):
        if not supports(filters, lower, split):
            raise ValueError(f"ByteLookup needs ASCII filters and split, got {split!r}")
        self.lower, self.split, self.separator = lower, split, ord(split)
        chars = [chr(c).lower() if lower else chr(c) for c in range(1, 128)]
        self.byte_table = bytes([self.separator])  # NUL, the text boundary, separates too
        self.byte_table += bytes(self.separator if c in filters else ord(c) for c in chars)
        self.byte_table += bytes(range(128, 256))  # UTF-8 multi-byte sequences pass unchanged
        self.long_words = vocabulary
        words = list(vocabulary)
        indices = np.fromiter(vocabulary.values(), np.int64, len(words))
        if sum(map(packable, words)) < len(words):  # NUL or not a str: only in long_words
            keep = list(map(packable, words))
            words, indices = list(compress(words, keep)), indices[np.array(keep, dtype=bool)]
        raw = "\0".join(["", *words, "\0" * _PACKED]).encode(*_UTF8)
        bounds = np.flatnonzero(np.frombuffer(raw, np.uint8) == 0)[: len(words) + 1]
        starts, lengths = bounds[:-1] + 1, np.diff(bounds) - 1
        packed = (lengths > 0) & (lengths <= _PACKED)
        starts, lengths, indices = starts[packed], lengths[packed], indices[packed]
        first, second, hashes = _pack(np.frombuffer(raw, np.uint8), starts, lengths)
        bits = max(4, (8 * len(indices)).bit_length())  # load factor <= 1/8: few probes
        self.shift, self.mask = np.uint64(64 - bits), (1 << bits) - 1
        self.first = np.zeros(1 << bits, np.uint64)  # 0: empty slot (a token's first byte != 0)
        self.second = np.zeros(1 << bits, np.uint64)
        self.index = np.zeros(1 << bits, np.int64)
        owner = np.full(1 << bits, -1, np.int64)
        slots = (hashes >> self.shift).astype(np.intp)
        pending = np.arange(len(indices))
        while pending.size:  # linear probing, one round per collision depth
            slot = slots[pending]
            won = self.first[slot] == 0  # free slots...
            owner[slot[won]] = pending[won]
            won[won] = owner[slot[won]] == pending[won]  # ...and one claimant wins each
            chosen, slot = pending[won], slot[won]
            self.first[slot], self.second[slot] = first[chosen], second[chosen]
            self.index[slot] = indices[chosen]
            pending = pending[~won]
            slots[pending] = (slots[pending] + 1) & self.mask

    def _find(self, first: np.ndarray, second: np.ndarray, hashes: np.ndarray) -> np.ndarray:
        slots = (hashes >> self.shift).astype(np.intp)
        stored = self.first[slots]
        same = stored == first
        same &= self.second[slots] == second
        found = self.index[slots]
        todo = np.flatnonzero(~same)
        found[todo] = MISSING
        todo = todo[stored[todo] != 0]  # a slot of another word: probe further
        while todo.size:
            slot = (slots[todo] + 1) & self.mask
            slots[todo] = slot
            stored = self.first[slot]
            same = (stored == first[todo]) & (self.second[slot] == second[todo])
            found[todo[same]] = self.index[slot[same]]
            todo = todo[~same & (stored != 0)]
        return found

    def find(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray, Callable[..., list[str]]]:
        """Return each token's index (``MISSING`` if absent), each text's token count, and
        ``positions -> tokens``."""
        if self.lower:  # ASCII is lower-cased by the byte table, faster than str.lower
            texts = [t if t.isascii() else t.lower() for t in texts]
        sizes = [len(t) if t.isascii() else len(t.encode(*_UTF8)) for t in texts]
        raw = "\0".join(["", *texts, self.split * _PACKED]).encode(*_UTF8)
        text_ends = np.cumsum(np.array(sizes, dtype=np.int64) + 1)  # NUL after each text
        raw = raw.translate(self.byte_table)  # NUL becomes the separator too
        buffer = np.frombuffer(raw, np.uint8)
        in_token = buffer != self.separator
        # A change between bytes e and e + 1 starts or ends a token at e + 1 (counted from 1).
        edges = np.flatnonzero(in_token[1:] != in_token[:-1])
        starts, ends = edges[0::2], edges[1::2]
        counts = np.diff(np.searchsorted(starts, text_ends - 1), prepend=0)

        def words_at(positions: np.ndarray) -> list[str]:
            return [raw[s + 1:e + 1].decode(*_UTF8) for s, e in
                    zip(starts[positions].tolist(), ends[positions].tolist(), strict=True)]

        lengths = ends - starts
        found = self._find(*_pack(buffer[1:], starts, lengths))
        long = np.flatnonzero(lengths > _PACKED)
        if long.size:
            found[long] = list(map(self.long_words.get, words_at(long), repeat(MISSING)))
        return found, counts, words_at


# --- batches of texts ----------------------------------------------------------------------
def count_texts(texts: Iterable[Any], tokens: Callable, settings: tuple, word_counts: dict,
                word_docs: dict) -> tuple[dict[str, int], dict[str, int], int]:
    """New ``word_counts`` and ``word_docs`` with ``texts`` added, and the number of texts."""
    vocab = dict(zip(word_counts, range(len(word_counts)), strict=True))
    counts = np.fromiter(word_counts.values(), np.int64, len(vocab))
    docs = np.fromiter(map(word_docs.get, vocab, repeat(0)), np.int64, len(vocab))
    iterator, pos, lookup, table_size = iter(texts), 0, None, 0
    while batch := list(islice(iterator, _BATCH)):
        if len(batch) >= _BULK and len(vocab) > 1.25 * table_size + _BATCH:  # as vocab grows
            lookup, table_size = fast_lookup(vocab, *settings), len(vocab)
        counts, docs = count_words(batch, tokens, vocab, counts, docs, lookup, pos)
        pos += len(batch)
    return (dict(zip(vocab, counts.tolist(), strict=True)),
            dict(zip(vocab, docs.tolist(), strict=True)), pos)


def id_batches(texts: Iterable[Any], tokens: Callable, settings: tuple,
               word_index: dict[str, int], num_words: int | None, oov: int | None,
               drop_missing: bool = True) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Yield ``(indices, lengths)`` per batch; unknown words become ``oov`` or are dropped."""
    vocab, lookup, iterator, pos = None, None, iter(texts), 0
    while batch := list(islice(iterator, _BATCH)):
        if vocab is None and len(batch) >= _BULK:  # worth an O(vocabulary) set-up
            vocab = below(word_index, num_words)
            lookup = fast_lookup(vocab, *settings)
        resolve = get_ids(word_index, num_words) if vocab is None else get_ids(vocab)
        indices, lengths = batch_ids(batch, tokens, resolve, lookup, pos=pos)
        yield (apply_oov(indices, lengths, oov) if drop_missing or oov is not None
               else (indices, lengths))
        pos += len(batch)


def sequences(batches: Iterable[tuple[np.ndarray, np.ndarray]]) -> Iterator[list[int]]:
    """One list of indices per text, from `id_batches`."""
    for indices, lengths in batches:
        flat, start = indices.tolist(), 0
        for end in np.cumsum(lengths).tolist():
            yield flat[start:end]
            start = end


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
    """The ids of a batch's tokens and each text's token count (``lookup`` or ``resolve``)."""
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
    """Add ``batch``'s words to ``vocab``; return updated ``counts`` and ``docs`` per id."""
    # Missing tokens get ids from one C-level ``setdefault``; new words are renumbered after.
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
    """The ``(n, width)`` matrix of ``Tokenizer.sequences_to_matrix``."""
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
        # Runs of whole rows of about _CHUNK tokens, so the arrays stay in cache.
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
    # Write each cell before reading it: a fresh page then faults once, not twice (np.add.at).
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
