"""``pad_sequences`` (listings 6-6, 6-9, 6-22): Keras 3's function behind argument checks.

``keras.utils.pad_sequences`` is used as it is (imported on the first call, so that importing
``textseq.text`` stays light); the wrapper adds the checks it lacks: it accepts
``padding="middle"`` silently when all sequences are empty, and fails with a numpy error on an
empty list.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["pad_sequences"]


def pad_sequences(
    sequences: Sequence[Sequence[int]] | np.ndarray,
    maxlen: int | None = None,
    dtype: str = "int32",
    padding: str = "pre",
    truncating: str = "pre",
    value: float = 0.0,
) -> np.ndarray:
    """Pad or truncate sequences to one length: ``keras.utils.pad_sequences`` with checks.

    Keras 3's function accepts ``padding="middle"`` silently when all sequences are empty and
    fails with a numpy error on an empty list; this wrapper checks its arguments first.

    Args:
        sequences: a list (or tuple, or array) of sequences of numbers.
        maxlen: the length to pad or cut to; ``None``: the longest sequence.
        dtype: the output dtype.
        padding: ``"pre"`` or ``"post"``: where to add ``value``.
        truncating: ``"pre"`` or ``"post"``: where to cut sequences longer than ``maxlen``.
        value: the padding value.

    Returns:
        An array of shape ``(len(sequences), maxlen)`` (``(0, maxlen or 0)`` for no sequences).

    Raises:
        ValueError: for a ``padding``/``truncating`` other than ``"pre"``/``"post"`` or
            ``maxlen < 1``.
        TypeError: if ``sequences`` is not a list, tuple or array, or ``maxlen`` not an int.

    Example:
        >>> pad_sequences([[1, 2, 3], [4]], maxlen=2)
        array([[2, 3],
               [0, 4]], dtype=int32)
    """
    for name, option in (("padding", padding), ("truncating", truncating)):
        if option not in ("pre", "post"):
            raise ValueError(f"{name} must be 'pre' or 'post', got {option!r}")
    if maxlen is not None:
        if isinstance(maxlen, bool) or not isinstance(maxlen, int | np.integer):
            raise TypeError(f"maxlen must be an int >= 1 or None, got {type(maxlen).__name__}")
        if maxlen < 1:
            raise ValueError(f"maxlen must be >= 1 or None, got {maxlen}")
    if not isinstance(sequences, list | tuple | np.ndarray):
        raise TypeError("sequences must be a list, tuple or array of sequences, got "
                        f"{type(sequences).__name__}")
    if len(sequences) == 0:
        return np.zeros((0, maxlen or 0), dtype=dtype)
    from keras.utils import pad_sequences as keras_pad_sequences  # heavy: imported on use

    return keras_pad_sequences(list(sequences) if isinstance(sequences, tuple) else sequences,
                               maxlen=maxlen, dtype=dtype, padding=padding,
                               truncating=truncating, value=value)
