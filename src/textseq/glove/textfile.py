"""The GloVe text format: one ``word v1 ... vd`` line per word, read line by line.

The word is all but the last ``d`` fields (words may hold spaces). Blank lines and a BOM are
ignored; any other irregular line is a `GloveFormatError` naming the file and line.
"""

from __future__ import annotations

import codecs

import numpy as np

__all__ = ["GloveFormatError", "read_all", "stream_rows"]

_BOM = b"\xef\xbb\xbf"  # UTF-8's byte-order mark
CHUNK = 4096  # lines converted to float32 together (one numpy call instead of one per line)


class GloveFormatError(ValueError):
    """A GloVe vectors source that cannot be read; the message names the file and the line."""


def read_all(stream, where: str, dim, encoding: str) -> tuple[list[str], np.ndarray]:
    """Every line of a binary stream: ``(words, float32 array (len(words), dim))``."""
    words: list[str] = []
    blocks: list[np.ndarray] = []
    fields: list[bytes] = []  # the values of the lines not yet converted
    numbers: list[int] = []  # and their line numbers, for the error messages
    origin = ""
    for number, line in _lines(stream, encoding):
        if not origin:
            dim, origin = _first_dim(line, where, number, dim)
        word, values = _split(line, dim, encoding, where, number, origin)
        words.append(word)
        fields += values
        numbers.append(number)
        if len(numbers) == CHUNK:
            blocks.append(_floats(fields, dim, numbers, where))
            fields, numbers = [], []
    if not words:
        raise GloveFormatError(f"{where} is empty: no vectors found")
    blocks.append(_floats(fields, dim, numbers, where))
    return words, np.concatenate(blocks)


def stream_rows(stream, where: str, dim, encoding: str, wanted: dict[str, int],
                num_words: int) -> tuple[np.ndarray, dict[int, bool]]:
    """The embedding matrix of ``wanted`` (word -> row) and the rows filled."""
    spaced = any(" " in word for word in wanted)  # then a word is only known after _split
    matrix, hits, origin = None, {}, ""
    for number, line in _lines(stream, encoding):
        if matrix is None:
            dim, origin = _first_dim(line, where, number, dim)
            matrix = np.zeros((num_words, dim), np.float32)
        if not spaced and _decode(line.split(b" ", 1)[0], encoding, where, number) not in wanted:
            continue  # the first field is the word: no need to split the line
        word, values = _split(line, dim, encoding, where, number, origin)
        if word in wanted:
            matrix[wanted[word]] = _floats(values, dim, [number], where)[0]
            hits[wanted[word]] = True
    if matrix is None:
        raise GloveFormatError(f"{where} is empty: no vectors found")
    return matrix, hits


def _lines(stream, encoding: str):
    """``(line number, line)`` for each non-blank line, trailing whitespace removed."""
    utf8 = _is_utf8(encoding)
    for number, raw in enumerate(stream, start=1):
        if number == 1 and utf8 and raw.startswith(_BOM):
            raw = raw[len(_BOM):]
        line = raw.rstrip()
        if line:
            yield number, line


def _first_dim(line: bytes, where: str, number: int, dim) -> tuple[int, str]:
    """``(dim, where dim came from)`` for the messages, checked against the first line."""
    got = line.count(b" ")
    if dim is not None:  # fewer values is an error; more may be a word with spaces
        if got < dim:
            raise GloveFormatError(f"{where}, line {number}: expected {dim} values (dim={dim} "
                                   f"was asked for), got {got}")
        return dim, f"(dim={dim} was asked for)"
    if got < 1 or (got == 1 and line.replace(b" ", b"").isdigit()):  # a word2vec header
        raise GloveFormatError(f"{where}, line {number}: expected a word and its values, got "
                               f"{line[:60]!r} (is this the GloVe text format?)")
    return got, f"(the dimension of line {number})"


def _split(line: bytes, dim: int, encoding: str, where: str, number: int,
           origin: str) -> tuple[str, list[bytes]]:
    """The word and the ``dim`` value fields of a line, or the error naming the line."""
    fields = line.rsplit(b" ", dim)
    got = len(fields) - 1
    if got == dim and b" " in fields[0]:  # a word with spaces, or more values than dim
        extra = fields[0].split(b" ")[1:]
        if all(_is_number(f) for f in extra):
            got += len(extra)
    if got != dim:
        raise GloveFormatError(f"{where}, line {number}: expected {dim} values {origin}, "
                               f"got {got}")
    return _decode(fields[0], encoding, where, number), fields[1:]


def _floats(fields: list[bytes], dim: int, numbers: list[int], where: str) -> np.ndarray:
    """The float32 values of lines ``numbers``, or the error naming the first bad field."""
    try:
        return np.array(fields, dtype=np.float32).reshape(len(numbers), dim)
    except ValueError:
        k = next(k for k, f in enumerate(fields) if not _is_number(f))
        raise GloveFormatError(f"{where}, line {numbers[k // dim]}: value {fields[k][:40]!r} is "
                               "not a number") from None


def _is_number(field: bytes) -> bool:
    try:
        np.float32(field.decode("ascii"))
    except (ValueError, UnicodeDecodeError):
        return False
    return True


def _decode(raw: bytes, encoding: str, where: str, number: int) -> str:
    """Decode a word, or raise the error that offers ``encoding=``."""
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError:
        other = "latin-1" if encoding.lower().replace("_", "-") != "latin-1" else "cp1252"
        raise GloveFormatError(f"{where}, line {number} is not valid {encoding}; pass "
                               f"encoding={other!r} if the file uses another encoding") from None


def _is_utf8(encoding: str) -> bool:
    """Whether ``encoding`` is UTF-8, whose byte-order mark (EF BB BF) a file may start with."""
    try:
        return codecs.lookup(encoding).name in ("utf-8", "utf-8-sig")
    except LookupError:
        raise ValueError(f"encoding={encoding!r} is not an encoding Python knows") from None
