"""Speed-up of ``textseq.text.Tokenizer`` (private): exact, vectorized word look-up.

A batch of texts becomes one UTF-8 buffer; ``bytes.translate`` lower-cases it and turns the
filters into the separator; numpy finds the token boundaries, packs each token of up to 16 bytes
*exactly* into 16 zero-padded bytes (two 64-bit words) and looks the pairs up in an
open-addressing hash table built from the vocabulary. No Python string is made per token, which
is where the legacy tokenizer spends its time; tokens longer than 16 bytes fall back to a dict
look-up. ``tests/test_text.py`` checks the results against the plain Python path and Keras 2.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import compress, repeat
from typing import Any

import numpy as np

MISSING = np.iinfo(np.int64).min
"""Index given to tokens that are not in the vocabulary."""
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
    """Return the two 64-bit words of each token (bytes zero-padded) and a 64-bit hash of them.

    ``buffer`` must extend at least 16 bytes past the last token; tokens longer than 16 bytes
    get the key of their first 16 bytes.
    """
    windows = np.ndarray((len(buffer) - _PACKED + 1,), dtype="V16", buffer=buffer, strides=(1,))
    keys = np.bitwise_and(windows[starts].view("<u8"),
                          _MASKS[np.minimum(lengths, _PACKED)].view("<u8")).reshape(-1, 2)
    first, second = keys[:, 0], keys[:, 1]
    return first, second, (first * _MUL0 ^ second) * _MUL1


class ByteLookup:
    """Exact vectorized look-up of the words of texts in a ``{word: index}`` vocabulary.

    Args:
        vocabulary: the words to find and their indices (kept by reference for long tokens).
        filters, lower, split: as in ``Tokenizer``; ``supports(filters, lower, split)`` must hold.
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
        """Look up every token of ``texts`` (all ``packable``).

        Returns:
            The index of each token (``MISSING`` if not found), the number of tokens of each
            text, and a function ``positions -> the tokens at these positions``.
        """
        if self.lower:  # ASCII is lower-cased by the byte table, faster than str.lower
            texts = [t if t.isascii() else t.lower() for t in texts]
        sizes = [len(t) if t.isascii() else len(t.encode(*_UTF8)) for t in texts]
        raw = "\0".join(["", *texts, self.split * _PACKED]).encode(*_UTF8)
        text_ends = np.cumsum(np.array(sizes, dtype=np.int64) + 1)  # NUL after each text
        raw = raw.translate(self.byte_table)  # NUL becomes the separator too
        buffer = np.frombuffer(raw, np.uint8)
        in_token = buffer != self.separator
        # A change between bytes e and e + 1 starts or ends a token at e + 1; positions below
        # count from byte 1 (saves adding 1 to every edge).
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
