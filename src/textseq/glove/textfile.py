"""The GloVe text format: lines of ``word v1 ... vd``, read in blocks into words and float32 rows.

The word is what is left after taking the last ``d`` fields from the right, so the rare words
that contain spaces survive; ``d`` is ``dim=`` when given, else the first line's count. Blank
lines, trailing whitespace and a UTF-8 byte-order mark are ignored; any other irregular line is a
`GloveFormatError` naming the file (and zip member) and the line, blank lines counted.

Read without a per-line Python loop: `BlockReader` reads blocks of whole lines into one buffer;
`parse_block` finds a block's newlines and spaces with numpy, and when every line has exactly
``d`` spaces, `textseq.glove._numbers` decodes all the numbers at once (bit for bit what
``np.asarray(fields, dtype="float32")`` of Listing 6-10 gives); a block with an irregular line
goes through `parse_lines`, line by line, which also finds the line to blame. `read_all` parses a
whole file on two threads (for `load_vectors`); `stream_rows` only the lines of the words asked
for (for `embedding_matrix`). On 400,000 words x 100 this takes about 2 s, against 10 s for
Listing 6-10's loop and 15 s for `parse_lines` alone, once per download (then the ``.npy`` cache).
"""

from __future__ import annotations

import codecs
import os
from collections import deque
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from textseq.glove._numbers import parse_numbers

__all__ = ["GloveFormatError", "BlockReader", "first_dim", "parse_block", "fix_failed",
           "parse_lines", "block_words", "decode_word", "is_utf8", "read_all", "stream_rows",
           "PAD"]

BLOCK_SIZE = 1 << 18  # bytes read at a time: small enough for the CPU caches
PAD = 16  # zero bytes before the first line, so 16-byte windows never start before the buffer
_BOM = b"\xef\xbb\xbf"  # UTF-8's byte-order mark
WORKERS = min(2, os.cpu_count() or 1)  # numpy releases the GIL, so two blocks parse at once


class GloveFormatError(ValueError):
    """A GloVe vectors source that cannot be read; the message names the file and the line."""


# --- blocks of lines ---------------------------------------------------------------------

class BlockReader:
    """Reads a binary stream as blocks of whole lines into one reusable ``uint8`` buffer."""

    def __init__(self, stream, block_size: int | None = None, *, skip_bom: bool = False):
        self.stream = stream
        self.block_size = block_size or BLOCK_SIZE
        self.buf = np.zeros(PAD + 2 * self.block_size, dtype=np.uint8)
        self.carry = 0  # bytes of an unfinished line kept at buf[PAD:PAD + carry]
        self.skip_bom = skip_bom  # drop a UTF-8 byte-order mark at the start of the stream

    def __iter__(self):
        """Yield ``(buf, newlines)``: ``buf[PAD:newlines[-1] + 1]`` holds whole lines."""
        eof = False
        while not eof:
            begin = PAD + self.carry
            if self.buf.size < begin + self.block_size:  # a line longer than a block
                self.buf = np.concatenate([self.buf, np.zeros(self.buf.size, np.uint8)])
            got = _read_into(self.stream, memoryview(self.buf)[begin:begin + self.block_size])
            end = begin + got
            if self.skip_bom:  # only the first read can hold it
                self.skip_bom = False
                if bytes(self.buf[PAD:min(end, PAD + 3)]) == _BOM:
                    self.buf[PAD:end - 3] = self.buf[PAD + 3:end].copy()
                    end -= 3
            eof = got == 0
            if eof and self.carry:  # a last line without "\n"
                self.buf[end] = 10
                end += 1
            newlines = np.flatnonzero(self.buf[begin:end] == 10) + begin
            if newlines.size == 0:
                self.carry = end - PAD
                continue
            yield self.buf, newlines
            cut = int(newlines[-1]) + 1
            self.carry = end - cut
            self.buf[PAD:PAD + self.carry] = self.buf[cut:end]


def _read_into(stream, view: memoryview) -> int:
    """Fill ``view`` from ``stream`` as far as the stream goes; return the byte count."""
    total = 0
    while total < len(view):
        got = stream.readinto(view[total:])
        if not got:
            break
        total += got
    return total


def is_utf8(encoding: str) -> bool:
    """Whether ``encoding`` is UTF-8, whose byte-order mark (EF BB BF) a file may start with."""
    try:
        return codecs.lookup(encoding).name in ("utf-8", "utf-8-sig")
    except LookupError:
        raise ValueError(f"encoding={encoding!r} is not an encoding Python knows") from None


def first_dim(buf: np.ndarray, newlines: np.ndarray, where: str, dim, line_no: int):
    """``(dim, dim_origin)`` from the first non-blank line of a block, or ``(None, '')``."""
    start = PAD
    for offset, end in enumerate(newlines):
        line = bytes(buf[start:end]).rstrip()
        start = end + 1
        if not line:
            continue
        got = len(line.split(b" ")) - 1
        if dim is not None:  # fewer values is an error; more may be a word with spaces
            if got < dim:
                raise GloveFormatError(f"{where}, line {line_no + offset}: expected {dim} values "
                                       f"(dim={dim} was asked for), got {got}")
            return dim, f"(dim={dim} was asked for)"
        if got < 1 or (got == 1 and line.replace(b" ", b"").isdigit()):
            raise GloveFormatError(f"{where}, line {line_no + offset}: expected a word and its "
                                   f"values, got {line[:60]!r} (is this the GloVe text format?)")
        return got, f"(the dimension of line {line_no + offset})"
    return None, ""


# --- one block, the fast path -------------------------------------------------------------

def parse_block(buf: np.ndarray, newlines: np.ndarray, dim: int, out: np.ndarray):
    """Parse into ``out`` a block (`PAD` bytes, then lines ending at ``newlines``) whose every
    line has exactly ``dim`` spaces. Returns ``(line_starts, word_ends, failed, before, end)``:
    where each line starts and its word ends, the fields the fast path could not decode (for
    `fix_failed`), and the space before and the end of every field; or ``None`` when a line is
    irregular (then `parse_lines` reads the block)."""
    n = newlines.size
    spaces = np.flatnonzero(buf[:newlines[-1]] == 32)
    if spaces.size != n * dim:
        return None
    spaces = spaces.reshape(n, dim)
    line_starts = np.empty_like(newlines)
    line_starts[0] = PAD
    line_starts[1:] = newlines[:-1] + 1
    if not (np.all(spaces[:, 0] >= line_starts) and np.all(spaces[:, -1] < newlines)):
        return None
    end = np.empty_like(spaces)
    end[:, :-1] = spaces[:, 1:]
    end[:, -1] = newlines - (buf[newlines - 1] == 13)  # "\r\n" line ends
    failed = parse_numbers(buf, spaces, end, out)
    return line_starts, spaces[:, 0], failed, spaces, end


def fix_failed(buf: np.ndarray, before: np.ndarray, end: np.ndarray, failed: np.ndarray,
               out: np.ndarray, where, first: int) -> None:
    """Convert the fields the fast path left with numpy's string conversion, or raise."""
    before, end, dim = before.reshape(-1), end.reshape(-1), out.shape[-1]
    fields = [bytes(buf[before[i] + 1:end[i]]) for i in failed]
    try:
        out.reshape(-1)[failed] = np.array(fields, dtype=np.float32)
    except ValueError:
        i, field = next((i, f) for i, f in zip(failed, fields, strict=True) if not _is_number(f))
        raise GloveFormatError(f"{where}, line {first + i // dim}: value {field[:40]!r} is not "
                               "a number") from None


# --- the line-by-line path ----------------------------------------------------------------

def parse_lines(lines: list[bytes], dim: int, encoding: str, where, first: int,
                dim_origin: str) -> tuple[list[str], np.ndarray]:
    """The line-by-line path: words and a ``(len(lines), dim)`` float32 array.

    Trailing whitespace (and ``\\r``) is ignored and blank lines are skipped. ``where`` names the
    file, ``first`` is the 1-based number of the first line, ``dim_origin`` says where ``dim``
    came from (for the error message).
    """
    words, rows, numbers = [], [], []
    for offset, raw in enumerate(lines):
        line = raw.rstrip()
        if not line:
            continue
        fields = line.rsplit(b" ", dim)
        got = len(fields) - 1
        if got == dim and b" " in fields[0]:
            extra = fields[0].split(b" ")[1:]
            if all(_is_number(f) for f in extra):
                got += len(extra)
        if got != dim:
            raise GloveFormatError(f"{where}, line {first + offset}: expected {dim} values "
                                   f"{dim_origin}, got {got}")
        words.append(decode_word(fields[0], encoding, where, first + offset))
        rows.append(fields[1:])
        numbers.append(first + offset)  # blank lines count: errors name the line in the file
    out = np.empty((len(rows), dim), dtype=np.float32)
    for i, fields in enumerate(rows):
        try:
            out[i] = np.array(fields, dtype=np.float32)
        except ValueError:
            bad = next(f for f in fields if not _is_number(f))
            raise GloveFormatError(
                f"{where}, line {numbers[i]}: value {bad[:40]!r} is not a number") from None
    return words, out


def _is_number(field: bytes) -> bool:
    try:
        np.float32(field.decode("ascii"))
    except (ValueError, UnicodeDecodeError):
        return False
    return True


# --- words --------------------------------------------------------------------------------

def block_words(buf: np.ndarray, starts: np.ndarray, ends: np.ndarray, encoding: str, where,
                first: int) -> list[str]:
    """Decode the words ``buf[starts[i]:ends[i]]`` of a block with one ``bytes.decode`` call."""
    lens = ends - starts
    offsets = np.cumsum(lens + 1) - (lens + 1)
    index = np.repeat(starts - offsets, lens + 1) + np.arange(int(offsets[-1] + lens[-1] + 1))
    blob = buf[index]
    blob[offsets + lens] = 10
    try:
        text = blob.tobytes().decode(encoding)
    except UnicodeDecodeError as err:
        line = first + int(np.searchsorted(offsets, err.start, side="right")) - 1
        raise encoding_error(where, line, encoding) from None
    return text.split("\n")[:-1]


def decode_word(raw: bytes, encoding: str, where, line: int) -> str:
    """Decode one word, or raise the error that offers ``encoding=``."""
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError:
        raise encoding_error(where, line, encoding) from None


def encoding_error(where, line: int, encoding: str) -> GloveFormatError:
    """The error for a word that is not valid in ``encoding``, offering the ``encoding=`` option."""
    other = "latin-1" if encoding.lower().replace("_", "-") != "latin-1" else "cp1252"
    return GloveFormatError(f"{where}, line {line} is not valid {encoding}; pass "
                            f"encoding={other!r} if the file uses another encoding")


# --- whole files --------------------------------------------------------------------------

def read_all(stream, where: str, dim, encoding: str, size) -> tuple[list[str], np.ndarray]:
    """Every line of a binary stream: ``(words, float32 array of shape (len(words), dim))``.

    Blocks are parsed on `WORKERS` threads, in order; ``where`` names the source in errors,
    ``dim`` is the expected dimension (``None``: the first line's), ``size`` the stream's length
    in bytes if known (it sizes the output array).
    """
    words: list[str] = []
    out, rows, line_no, dim_origin = None, 0, 1, ""
    with ThreadPoolExecutor(WORKERS) as pool:
        pending: deque = deque()
        try:
            for buf, newlines in BlockReader(stream, skip_bom=is_utf8(encoding)):
                if out is None:
                    dim, dim_origin = first_dim(buf, newlines, where, dim, line_no)
                    if dim is not None:
                        per_line = (newlines[-1] + 1 - PAD) / newlines.size
                        estimate = int((size or 1 << 24) / per_line * 1.02) + 1024
                        out = np.empty((estimate, dim), np.float32)
                if out is not None:
                    block = buf[:newlines[-1] + 1].copy()
                    pending.append(pool.submit(_parse_task, block, newlines, dim, encoding,
                                               where, line_no, dim_origin))
                line_no += newlines.size
                while pending and (len(pending) > 2 * WORKERS or pending[0].done()):
                    out, rows = _collect(pending.popleft().result(), words, out, rows)
            while pending:
                out, rows = _collect(pending.popleft().result(), words, out, rows)
        finally:
            for future in pending:
                future.cancel()
    if out is None or rows == 0:
        raise GloveFormatError(f"{where} is empty: no vectors found")
    out.resize((rows, dim), refcheck=False)
    return words, out


def _parse_task(block, newlines, dim, encoding, where, first, dim_origin):
    values = np.empty((newlines.size, dim), np.float32)
    parsed = parse_block(block, newlines, dim, values)
    if parsed is None:  # some line is irregular: the line-by-line path finds it
        lines = bytes(block[PAD:newlines[-1]]).split(b"\n")
        return parse_lines(lines, dim, encoding, where, first, dim_origin)
    line_starts, word_ends, failed, before, end = parsed
    if failed.size:
        fix_failed(block, before, end, failed, values, where, first)
    return block_words(block, line_starts, word_ends, encoding, where, first), values


def _collect(result, words: list[str], out: np.ndarray, rows: int):
    new_words, values = result
    words += new_words
    if rows + len(values) > len(out):
        out.resize((max(2 * len(out), rows + len(values)), out.shape[1]), refcheck=False)
    out[rows:rows + len(values)] = values
    return out, rows + len(values)


def stream_rows(stream, where: str, dim, encoding: str, wanted: dict[str, int],
                num_words: int) -> tuple[np.ndarray, dict[int, bool]]:
    """The ``(num_words, dim)`` embedding matrix of ``wanted`` (word -> row), parsing only the
    lines of those words, and the rows that were filled."""
    spaced = any(" " in word for word in wanted)  # then words are only known after rsplit
    matrix, hits, line_no, dim_origin = None, {}, 1, ""
    for buf, newlines in BlockReader(stream, skip_bom=is_utf8(encoding)):
        if matrix is None:
            dim, dim_origin = first_dim(buf, newlines, where, dim, line_no)
            matrix = np.zeros((num_words, dim), np.float32) if dim else None
        if matrix is not None:
            if spaced:
                lines = bytes(buf[PAD:newlines[-1]]).split(b"\n")
                words, values = parse_lines(lines, dim, encoding, where, line_no, dim_origin)
                for word, row in zip(words, values, strict=True):
                    if word in wanted:
                        matrix[wanted[word]], hits[wanted[word]] = row, True
            else:
                _block_hits(buf, newlines, dim, encoding, where, line_no, dim_origin, wanted,
                            matrix, hits)
        line_no += newlines.size
    if matrix is None:
        raise GloveFormatError(f"{where} is empty: no vectors found")
    return matrix, hits


def _block_hits(buf, newlines, dim, encoding, where, line_no, dim_origin, wanted, matrix, hits):
    """Find the wanted words of a block by their first field; parse only their lines."""
    starts = np.empty_like(newlines)
    starts[0], starts[1:] = PAD, newlines[:-1] + 1
    ends = starts.copy()  # first space of each line (or its end)
    todo = np.flatnonzero(buf[ends] != 32)
    while todo.size:
        todo = todo[ends[todo] < newlines[todo]]
        ends[todo] += 1
        todo = todo[buf[ends[todo]] != 32]
    words = block_words(buf, starts, ends, encoding, where, line_no)
    lines = [k for k, word in enumerate(words) if word in wanted]
    if not lines:
        return
    picked = [buf[:PAD]] + [buf[starts[k]:newlines[k] + 1] for k in lines]
    sub = np.concatenate(picked)
    sub_newlines = np.flatnonzero(sub == 10)
    values = np.empty((len(lines), dim), np.float32)
    parsed = parse_block(sub, sub_newlines, dim, values)
    if parsed is not None and parsed[2].size:
        try:
            fix_failed(sub, parsed[3], parsed[4], parsed[2], values, where, line_no)
        except GloveFormatError:  # report it with the line number in the file
            parsed = None
    if parsed is None:  # a word with spaces, or a malformed line: check them one by one
        for k in lines:
            line = bytes(buf[starts[k]:newlines[k]])
            got_words, got = parse_lines([line], dim, encoding, where, line_no + k, dim_origin)
            if got_words and got_words[0] == words[k]:
                matrix[wanted[words[k]]], hits[wanted[words[k]]] = got[0], True
        return
    for k, row in zip(lines, values, strict=True):
        matrix[wanted[words[k]]], hits[wanted[words[k]]] = row, True
