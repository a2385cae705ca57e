"""Speed-up of `textseq.glove.textfile` (private): a block's decimal fields to float32 at once.

The plain way to read a GloVe line is ``np.asarray(fields, dtype="float32")`` (Listing 6-10): one
string conversion per field. `parse_numbers` gives the same floats, bit for bit, for all the
fields of a block together, with integer arithmetic on numpy arrays ("SWAR": SIMD within a
register) instead of a conversion per field:

1. each number of at most 8 characters (16 for the few longer ones) is read as a little-endian
   64-bit word ending at its last character;
2. the bytes before the number and its sign are masked, the decimal point is found with a
   zero-byte test and dropped, and the eight digit bytes become an integer with multiply-shifts;
3. that integer mantissa is divided by a power of ten. The division of two exactly represented
   numbers is correctly rounded, so the float32 result is numpy's own.

Fields it cannot decode (exponents such as ``1e-05``, ``nan``, more than 15 digits, anything that
is not a number) are returned by position, for numpy's string conversion
(`textseq.glove.textfile.fix_failed`), which also reports the ones that are not numbers.
"""

from __future__ import annotations

import threading

import numpy as np

__all__ = ["parse_numbers"]

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
    ``buf`` holds at least 16 bytes before the first field (`textseq.glove.textfile.PAD`): each
    field is read through the 8 and 16 bytes that end it.
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
