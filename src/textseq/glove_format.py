"""The GloVe text format, parsed fast: blocks of lines to words and a float32 matrix.

A GloVe file has one vector per line, ``word v1 v2 ... vd``, fields separated by single spaces.
The word is what is left after taking the last ``d`` fields from the right (``line.rsplit(" ",
d)``), so the rare words that contain spaces (the larger releases have some) survive.

`BlockReader` reads the file in blocks of whole lines into one bytes buffer and `parse_block`
turns a block into words and rows without a per-line Python loop or a per-line numpy array:

1. the newlines and spaces of the block are found with numpy; when every line has exactly ``d``
   spaces the spaces form a ``(lines, d)`` grid whose columns give where each number starts and
   ends (other blocks go through `parse_lines`, the line-by-line path);
2. each number of at most 8 characters (16 for the few longer ones) is read as a little-endian
   64-bit word ending at its last character and decoded with integer arithmetic on all numbers
   at once ("SWAR"): mask the bytes before the number and its sign, find the decimal point with
   a zero-byte test and drop it, turn the eight digit bytes into an integer with multiply-shifts,
   then divide that integer mantissa by a power of ten. The division of two exactly represented
   numbers is correctly rounded, so the float32 result is the one
   ``np.asarray(fields, dtype="float32")`` gives (Listing 6-10), bit for bit;
3. anything else (exponents such as ``1e-05``, ``nan``, more than 15 digits) is handed to numpy's
   own string conversion, and a field that is not a number raises `GloveFormatError` naming the
   file, the line and the field.
"""

from __future__ import annotations

import threading

import numpy as np

__all__ = ["GloveFormatError", "BlockReader", "parse_block", "parse_lines", "block_words",
           "fix_failed", "decode_word", "PAD"]

BLOCK_SIZE = 1 << 18  # bytes read at a time: small enough for the CPU caches
PAD = 16  # zero bytes before the first line, so 16-byte windows never start before the buffer
_U, _U32 = np.uint64, np.uint32
# _KEEP[n]: the top n bytes of a word, i.e. the last n characters of a field ending at byte 7.
_KEEP = np.array([0] + [((1 << 64) - 1) ^ ((1 << (8 * (8 - n))) - 1) for n in range(1, 9)], _U)
_ASCII0, _POINT = _U(0x3030303030303030), _U(0x1E1E1E1E1E1E1E1E)  # "0" and "." ^ "0"
_LOW7, _HIGH1, _ADD_118 = _U(0x7F7F7F7F7F7F7F7F), _U(0x8080808080808080), _U(0x7676767676767676)
_ONE, _SEVEN, _EIGHT = _U(1), _U(7), _U(8)
_POW10 = 10.0 ** np.arange(17)
_SIGNED_POW10 = np.concatenate([_POW10, -_POW10])  # index: digits after the point (+17 if "-")
_KEEP_1 = np.concatenate([np.zeros(1, _U), _KEEP])  # _KEEP_1[n + 1] == _KEEP[n]
_EXACT = 2**53  # mantissas below this convert to float64 exactly
_BOM = b"\xef\xbb\xbf"  # UTF-8's byte-order mark


class GloveFormatError(ValueError):
    """A GloVe vectors source that cannot be read; the message names the file and the line."""


def _eight_digits(x: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """Bytes 0..7 of each word hold digits 0-9, most significant first; return the integers.

    Works on 32-bit halves (four digits each), whose multiplications numpy vectorizes, and
    returns float64 (exact: at most 8 digits). ``x`` is overwritten.
    """
    y = x.view(_U32)
    y &= _U32(0x0F0F0F0F)
    y *= _U32(2561)
    y >>= _U32(8)
    y &= _U32(0x00FF00FF)
    y *= _U32(6553601)
    y >>= _U32(16)
    y = y.reshape(*x.shape, 2)
    out = np.multiply(y[..., 0], 10_000.0, out=out)
    out += y[..., 1]
    return out


def _drop_point(x: np.ndarray, t1: np.ndarray | None = None, t2: np.ndarray | None = None):
    """Find the byte ``"." ^ "0"`` in each word and remove it (``x`` is overwritten).

    Returns ``(digits, above, missing)``: the word with the bytes before the point moved up one
    byte, the mask of the bytes after the point (8 bits per digit after it), and where the word
    had no point. ``t1`` and ``t2`` are optional scratch arrays shaped like ``x``.
    """
    t1 = np.bitwise_xor(x, _POINT, out=t1)
    t2 = np.bitwise_and(t1, _LOW7, out=t2)
    t2 += _LOW7
    t2 |= t1
    t2 |= _LOW7
    np.invert(t2, out=t2)  # 0x80 in the point's byte: zero-byte test on x ^ "."
    missing = t2 == 0
    np.left_shift(t2, _ONE, out=t1)
    np.negative(t1, out=t1)  # the bytes after the point (the later characters)
    t2 >>= _SEVEN
    t2 -= _ONE  # the bytes before it
    t2 &= x
    t2 <<= _EIGHT
    x &= t1
    x |= t2
    return x, t1, missing


def _bad(x: np.ndarray, t: np.ndarray | None = None) -> np.ndarray:
    """True where some byte of the word is not a digit value 0-9."""
    t = np.add(x, _ADD_118, out=t)
    t |= x
    t &= _HIGH1
    return t != 0


class _Scratch(threading.local):
    """Per-thread arrays reused from block to block (allocating and freeing large temporaries
    for every block costs more than the arithmetic)."""

    size = 0

    def get(self, n: int):
        if n > self.size:
            self.size = max(n, 2 * self.size)
            self.i64 = np.empty((2, self.size), np.int64)
            self.u64 = np.empty((2, self.size), _U)
            self.f64 = np.empty((2, self.size), np.float64)
            self.u8 = np.empty((2, self.size), np.uint8)
        return self.i64[:, :n], self.u64[:, :n], self.f64[:, :n], self.u8[:, :n]


_SCRATCH = _Scratch()


def parse_numbers(buf: np.ndarray, before: np.ndarray, end: np.ndarray,
                  out: np.ndarray) -> np.ndarray:
    """Parse the fields ``buf[before[i] + 1:end[i]]`` into ``out`` (float32, same size).

    Fields of the form ``-?digits.digits`` with at most 16 characters and 15 digits are decoded
    here; the flat indices of all other fields are returned, for numpy's string conversion.
    """
    before, end, out = before.reshape(-1), end.reshape(-1), out.reshape(-1)
    (chars, at), (t1, t2), (mantissa, divisor), (after, neg) = _SCRATCH.get(end.size)
    windows = np.ndarray((buf.size - 7,), dtype="S8", buffer=buf, strides=(1,))
    np.equal(buf[1:][before], 45, out=neg.view(bool))  # fields that start with "-"
    np.subtract(end, before, out=chars)  # characters + 1 ...
    chars -= neg  # ... not counting the sign
    np.subtract(end, 8, out=at)
    lo = windows[at].view(_U)  # the 8 bytes that end each field
    lo ^= _ASCII0
    lo &= np.take(_KEEP_1, chars, mode="clip", out=t1)
    long = np.flatnonzero(chars > 9)
    lo_long = lo[long]
    digits, above, bad = _drop_point(lo, t1, t2)
    np.bitwise_count(above, out=after)
    after >>= 3  # digits after the point
    bad |= _bad(digits, t2)
    _eight_digits(digits, mantissa)
    if long.size:
        mantissa[long], after[long], bad[long] = _long_fields(
            windows[end[long] - 16].view(_U), lo_long, chars[long] - 1)
    neg *= np.uint8(_POW10.size)
    after += neg
    np.divide(mantissa, np.take(_SIGNED_POW10, after, out=divisor), out=out, casting="unsafe")
    return np.flatnonzero(bad)


def _long_fields(hi: np.ndarray, lo: np.ndarray, chars: np.ndarray):
    """Decode fields of 9 to 16 characters (sign excluded) from their two last 8-byte words."""
    hi ^= _ASCII0
    hi &= _KEEP.take(chars - 8, mode="clip")
    carry = hi >> _U(56)  # the byte that moves into lo when the point is in lo
    hi_shifted = hi << _EIGHT
    lo_digits, lo_above, lo_missing = _drop_point(lo.copy())
    hi_digits, hi_above, hi_missing = _drop_point(hi)
    lo_after, hi_after = np.bitwise_count(lo_above) >> 3, np.bitwise_count(hi_above) >> 3
    lo_digits |= carry
    point_in_lo = ~lo_missing
    hi_digits = np.where(point_in_lo, hi_shifted, hi_digits)
    lo_digits = np.where(point_in_lo, lo_digits, lo)
    after = np.where(point_in_lo, lo_after, hi_after + np.uint8(8))
    bad = _bad(hi_digits) | _bad(lo_digits) | (lo_missing == hi_missing) | (chars > 16)
    mantissa = _eight_digits(hi_digits) * 1e8 + _eight_digits(lo_digits)
    bad |= mantissa >= _EXACT
    return mantissa, after, bad


def parse_block(buf: np.ndarray, newlines: np.ndarray, dim: int, out: np.ndarray):
    """Parse a block of lines whose every line has exactly ``dim`` spaces.

    Args:
        buf: ``uint8`` buffer: `PAD` bytes, then the lines; ``newlines`` holds their ``\\n``s.
        newlines: positions of the line ends, ascending.
        dim: values per line.
        out: float32 array of shape ``(len(newlines), dim)`` to fill.

    Returns:
        ``(word_starts, word_ends, failed)`` where ``failed`` are flat indices of the fields the
        fast path could not decode, or ``None`` when some line is not regular (a word with a
        space, a missing or extra value, an empty field, trailing spaces): the caller then uses
        `parse_lines` for this block.
    """
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
