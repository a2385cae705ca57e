"""``pad_sequences`` (listings 6-6, 6-9, 6-22): Keras 3's function behind argument checks.

``keras.utils.pad_sequences`` is used as it is (imported on the first call, so that importing
``textseq.text`` stays light); the wrapper adds what it lacks:

- the arguments are checked first (``textseq.checks``: a wrong type is a ``TypeError``, a bad
  value a ``ValueError``); Keras accepts ``padding="middle"`` silently when all sequences are
  empty and fails with a numpy error on an empty list;
- an element that is not a sequence (``None``, a number, a string) is a ``TypeError`` naming its
  position, and a ragged sequence (``[[1, 2], [3]]`` as steps) a ``ValueError`` naming its
  position and the shapes found, where Keras says ``Found non-iterable: None`` or raises numpy's
  ``inhomogeneous shape`` error;
- a string ``dtype`` is done right: Keras fills an array of ``dtype="str"``, i.e. one character
  wide, so ``[[10, 200]]`` became ``[['1', '2']]``. Here every value (the padding ``value``
  included, ``str(0.0) == "0.0"`` as in Keras) is converted with ``str``, an unsized ``str`` or
  ``bytes`` dtype is sized to the longest value, and an explicit width that would cut a value
  (``dtype="U2"`` for ``200``) is refused.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from textseq._checks import check_choice, check_int, describe

__all__ = ["pad_sequences"]


def _dtype(dtype: Any) -> np.dtype:
    try:
        return np.dtype(dtype)
    except TypeError:
        raise TypeError("dtype must be a numpy dtype (such as 'int32', 'float32', str, object), "
                        f"got {describe(dtype, with_type=True)}") from None


def _check_elements(sequences: Sequence[Any] | np.ndarray) -> None:
    """A ``TypeError`` naming the first element that is not a sequence (``None``, 5, "abc")."""
    if isinstance(sequences, np.ndarray):
        if sequences.ndim >= 2 or sequences.dtype != object:
            return  # a regular array: every row is a sequence
    for pos, seq in enumerate(sequences):
        if isinstance(seq, str | bytes) or not hasattr(seq, "__len__"):
            raise TypeError(f"sequences[{pos}] must be a sequence (list, tuple or array) of "
                            f"numbers, got {describe(seq, with_type=True)}")


def _diagnose(sequences: Sequence[Any] | np.ndarray, dtype: np.dtype) -> Exception | None:
    """After Keras failed: find the sequence at fault and say what was expected of it."""
    expected, first = None, None
    for pos, seq in enumerate(sequences):
        if not len(seq):
            continue
        try:
            shape = np.asarray(seq).shape[1:]
        except ValueError:
            shapes = [np.shape(step) for step in seq]
            return ValueError(f"sequences[{pos}] is ragged: its steps have the shapes "
                              f"{sorted(set(shapes), key=shapes.index)[:4]}; expected every step "
                              "to have the same shape")
        if expected is None:
            expected, first = shape, pos
        elif shape != expected:
            return ValueError(f"sequences[{pos}] has steps of shape {shape}, sequences[{first}] "
                              f"of shape {expected}; expected every step of every sequence to "
                              "have the same shape")
        try:
            np.asarray(seq, dtype=dtype)
        except (TypeError, ValueError) as exc:
            return ValueError(f"sequences[{pos}] holds a value that dtype {dtype} cannot hold "
                              f"({exc}); pass dtype=object or dtype=str for string tokens")
    return None


def pad_sequences(
    sequences: Sequence[Sequence[int]] | np.ndarray,
    maxlen: int | None = None,
    dtype: Any = "int32",
    padding: str = "pre",
    truncating: str = "pre",
    value: Any = 0.0,
) -> np.ndarray:
    """Pad or truncate sequences to one length: ``keras.utils.pad_sequences`` with checks.

    Keras 3's function accepts ``padding="middle"`` silently when all sequences are empty, fails
    with a numpy error on an empty list or a ragged sequence, and cuts values to one character
    with ``dtype="str"``; this wrapper checks its arguments first and sizes string dtypes.

    Args:
        sequences: a list (or tuple, or array) of sequences of numbers (or of tokens, with
            ``dtype=object`` or a string dtype).
        maxlen: the length to pad or cut to; ``None``: the longest sequence.
        dtype: the output dtype. ``str`` (or ``bytes``) is sized to the longest value; an explicit
            width such as ``"U5"`` must hold every value.
        padding: ``"pre"`` or ``"post"``: where to add ``value``.
        truncating: ``"pre"`` or ``"post"``: where to cut sequences longer than ``maxlen``.
        value: the padding value (converted with ``str`` for a string dtype).

    Returns:
        An array of shape ``(len(sequences), maxlen)`` (``(0, maxlen or 0)`` for no sequences).

    Raises:
        TypeError: if ``sequences`` is not a list, tuple or array, one of its elements is not a
            sequence (``None``, a number, a string; the message names its position), ``maxlen``
            is not an integer, or ``dtype`` is not a dtype.
        ValueError: for a ``padding``/``truncating`` other than ``"pre"``/``"post"``,
            ``maxlen < 1``, a ragged sequence or one whose values ``dtype`` cannot hold (the
            message names its position), or a string dtype too narrow for a value.

    Example:
        >>> pad_sequences([[1, 2, 3], [4]], maxlen=2)
        array([[2, 3],
               [0, 4]], dtype=int32)
        >>> pad_sequences([[10, 200]], maxlen=3, dtype=str, value=0)
        array([['0', '10', '200']], dtype='<U3')
    """
    for name, option in (("padding", padding), ("truncating", truncating)):
        check_choice(name, option, ("pre", "post"))
    maxlen = check_int("maxlen", maxlen, minimum=1, optional=True)
    dt = _dtype(dtype)
    if not isinstance(sequences, list | tuple | np.ndarray):
        raise TypeError("sequences must be a list, tuple or array of sequences, got "
                        f"{type(sequences).__name__}")
    if len(sequences) == 0:
        return np.zeros((0, maxlen or 0), dtype=dt)
    _check_elements(sequences)
    from keras.utils import pad_sequences as keras_pad_sequences  # heavy: imported on use

    text = dt.kind in "US"
    try:
        out = keras_pad_sequences(list(sequences) if isinstance(sequences, tuple) else sequences,
                                  maxlen=maxlen, dtype=object if text else dtype,
                                  padding=padding, truncating=truncating, value=value)
    except (TypeError, ValueError) as exc:
        raise (_diagnose(sequences, object if text else dt) or exc) from exc
    if not text:
        return out
    sized = out.astype(dt.type)  # numpy sizes an unsized str/bytes dtype to the longest value
    if dt.itemsize:
        width = dt.itemsize // (4 if dt.kind == "U" else 1)
        lengths = np.char.str_len(sized)
        if lengths.size and lengths.max() > width:
            longest = sized.flat[int(lengths.argmax())].item()
            unit = "character" if width == 1 else "characters"
            raise ValueError(f"dtype {dt.str!r} holds {width} {unit}, but the value {longest!r} "
                             f"needs {int(lengths.max())}; pass dtype=str to size it to the "
                             "longest value")
        sized = sized.astype(dt)
    return sized
