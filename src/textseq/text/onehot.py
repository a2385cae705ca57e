"""One-hot encoding by hand (Listings 6-1, 6-2) and the hashing trick (Listing 6-4).

`one_hot_chars` fixes Listing 6-2's reversed index; `stable_hash` replaces Listing 6-4's
``hash(word)``, which changes between processes.
"""

from __future__ import annotations

import hashlib
import string
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from textseq._checks import check_int

__all__ = [
    "HashCollisions", "hash_collisions", "one_hot_chars", "one_hot_hashing", "one_hot_words",
    "stable_hash",
]


def _check_samples(samples: Sequence[str]) -> None:
    for i, sample in enumerate(samples):
        if not isinstance(sample, str):
            raise TypeError(f"samples[{i}] must be a str, got {type(sample).__name__}")


def one_hot_words(
    samples: Sequence[str], max_length: int = 10
) -> tuple[np.ndarray, dict[str, int]]:
    """Word-level one-hot encoding of listing 6-1 (tokens from ``sample.split()``, index from 1).

    >>> results, index = one_hot_words(["The cat sat on the mat."], max_length=4)
    >>> results.shape, index["cat"]
    ((1, 4, 7), 2)
    """
    _check_samples(samples)
    max_length = check_int("max_length", max_length, minimum=1)
    token_index: dict[str, int] = {}
    for sample in samples:
        for word in sample.split():
            token_index.setdefault(word, len(token_index) + 1)
    results = np.zeros((len(samples), max_length, len(token_index) + 1))
    for i, sample in enumerate(samples):
        for j, word in enumerate(sample.split()[:max_length]):
            results[i, j, token_index[word]] = 1.0
    return results, token_index


def one_hot_chars(
    samples: Sequence[str], max_length: int = 50, characters: str = string.printable
) -> tuple[np.ndarray, dict[str, int]]:
    """Character-level one-hot encoding of listing 6-2, with the index the right way round.

    >>> results, index = one_hot_chars(["Hi!"], max_length=5)
    >>> results.shape, index["H"], int(results[0, 0, index["H"]])
    ((1, 5, 101), 44, 1)
    """
    _check_samples(samples)
    max_length = check_int("max_length", max_length, minimum=1)
    repeated = sorted(c for c, n in Counter(characters).items() if n > 1)
    if not characters or repeated:
        raise ValueError("characters must be a non-empty string without repeats, got "
                         f"{len(characters)} characters, repeated: {repeated}")
    token_index = {c: i for i, c in enumerate(characters, start=1)}
    results = np.zeros((len(samples), max_length, len(characters) + 1))
    for i, sample in enumerate(samples):
        for j, character in enumerate(sample[:max_length]):
            index = token_index.get(character)
            if index is not None:
                results[i, j, index] = 1.0
    return results, token_index


def stable_hash(word: str, dimensionality: int) -> int:
    """Bucket of ``word`` in ``[0, dimensionality)`` by BLAKE2b, the same in every process.

    >>> stable_hash("cat", 1000) == stable_hash("cat", 1000)
    True
    """
    if not isinstance(word, str):
        raise TypeError(f"word must be a str, got {type(word).__name__}")
    dimensionality = check_int("dimensionality", dimensionality, minimum=1)
    digest = hashlib.blake2b(word.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "little") % dimensionality


def one_hot_hashing(
    samples: Sequence[str], dimensionality: int = 1000, max_length: int = 10
) -> np.ndarray:
    """Word-level one-hot encoding with the hashing trick (listing 6-4), using ``stable_hash``."""
    _check_samples(samples)
    dimensionality = check_int("dimensionality", dimensionality, minimum=1)
    max_length = check_int("max_length", max_length, minimum=1)
    results = np.zeros((len(samples), max_length, dimensionality))
    for i, sample in enumerate(samples):
        for j, word in enumerate(sample.split()[:max_length]):
            results[i, j, stable_hash(word, dimensionality)] = 1.0
    return results


@dataclass(frozen=True)
class HashCollisions:
    """How many hash buckets the distinct tokens use, and how many tokens share one."""

    dimensionality: int
    distinct_tokens: int
    buckets_used: int
    colliding_tokens: int

    @property
    def collision_rate(self) -> float:
        """The fraction of distinct tokens that share their bucket (0 for no tokens)."""
        return self.colliding_tokens / self.distinct_tokens if self.distinct_tokens else 0.0

    def __str__(self) -> str:
        return (f"{self.distinct_tokens:,} tokens in {self.buckets_used:,} of "
                f"{self.dimensionality:,} buckets; {self.colliding_tokens:,} share a bucket "
                f"({self.collision_rate:.1%})")


def hash_collisions(words: Iterable[str], dimensionality: int) -> HashCollisions:
    """Count the collisions of ``stable_hash`` over the distinct ``words``.

    >>> hash_collisions(["the", "cat", "the"], 1)
    HashCollisions(dimensionality=1, distinct_tokens=2, buckets_used=1, colliding_tokens=2)
    """
    dimensionality = check_int("dimensionality", dimensionality, minimum=1)
    distinct: dict[str, None] = {}
    for i, word in enumerate(words):
        if not isinstance(word, str):
            raise TypeError(f"words[{i}] must be a str, got {type(word).__name__}")
        distinct[word] = None
    sizes = Counter(stable_hash(word, dimensionality) for word in distinct)
    return HashCollisions(
        dimensionality=dimensionality,
        distinct_tokens=len(distinct),
        buckets_used=len(sizes),
        colliding_tokens=sum(n for n in sizes.values() if n > 1),
    )
