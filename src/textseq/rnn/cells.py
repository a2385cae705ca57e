"""One LSTM or GRU timestep in numpy (Keras 3's weight layout), and the book's LSTM step.

Keras 3 fuses an LSTM's gates ``i, f, c, o`` (a GRU's ``z, r, h``) side by side in ``kernel``,
``recurrent_kernel`` and ``bias``. `lstm_step` is Listings 6-25/6-26 with the book's names.
"""

from __future__ import annotations

import numpy as np

__all__ = ["sigmoid", "lstm_cell", "gru_cell", "book_lstm_weights", "lstm_step"]

_BOOK_GATES = ("i", "f", "k", "o")  # Keras calls the candidate gate "c"; the book calls it k_t.


def sigmoid(x: np.ndarray) -> np.ndarray:
    """Logistic sigmoid ``1 / (1 + exp(-x))``, computed without overflow for large ``|x|``.

    >>> sigmoid(np.array([0.0, 1000.0, -1000.0]))
    array([0.5, 1. , 0. ])
    """
    # 1 / (1 + e^-x) == (1 + tanh(x / 2)) / 2, and tanh never overflows.
    return 0.5 * (1.0 + np.tanh(0.5 * x))


def lstm_cell(
    x_proj: np.ndarray, h: np.ndarray, c: np.ndarray, recurrent_kernel: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """One LSTM timestep from ``x_proj = inputs_t @ kernel + bias``; returns ``(h, c)``."""
    z = x_proj + h @ recurrent_kernel
    z_i, z_f, z_c, z_o = np.split(z, 4, axis=-1)
    c_next = sigmoid(z_f) * c + sigmoid(z_i) * np.tanh(z_c)
    h_next = sigmoid(z_o) * np.tanh(c_next)
    return h_next, c_next


def gru_cell(
    x_proj: np.ndarray,
    h: np.ndarray,
    recurrent_kernel: np.ndarray,
    recurrent_bias: np.ndarray | None,
    reset_after: bool = True,
) -> np.ndarray:
    """One GRU timestep from ``x_proj = inputs_t @ kernel + input_bias`` (``recurrent_bias``:
    the bias's row 1 with ``reset_after``, else ``None``)."""
    units = h.shape[-1]
    x_z, x_r, x_h = np.split(x_proj, 3, axis=-1)
    if reset_after:
        inner = h @ recurrent_kernel
        if recurrent_bias is not None:
            inner = inner + recurrent_bias
        r_z, r_r, r_h = np.split(inner, 3, axis=-1)
        z = sigmoid(x_z + r_z)
        r = sigmoid(x_r + r_r)
        candidate = np.tanh(x_h + r * r_h)
    else:
        inner = h @ recurrent_kernel[:, : 2 * units]
        r_z, r_r = np.split(inner, 2, axis=-1)
        z = sigmoid(x_z + r_z)
        r = sigmoid(x_r + r_r)
        candidate = np.tanh(x_h + (r * h) @ recurrent_kernel[:, 2 * units :])
    return z * h + (1.0 - z) * candidate


def check_shape(what: str, array: np.ndarray, expected: tuple) -> None:
    """Raise ValueError unless ``array.shape`` matches ``expected`` (str entries match any size)."""
    ok = array.ndim == len(expected) and all(
        isinstance(e, str) or s == e for s, e in zip(array.shape, expected, strict=True)
    )
    if not ok:
        shown = "(" + ", ".join(str(e) for e in expected) + ("," if len(expected) == 1 else "")
        raise ValueError(f"{what} must have shape {shown}), got {tuple(array.shape)}")


def book_lstm_weights(
    kernel: np.ndarray, recurrent_kernel: np.ndarray, bias: np.ndarray | None = None
) -> dict[str, np.ndarray]:
    """Split a Keras LSTM's fused arrays into Listing 6-26's ``Wi, Ui, bi, ..., Wo, Uo, bo``
    (``k`` is Keras's ``c`` block; ``b*`` are zeros when ``bias`` is ``None``)."""
    kernel, recurrent_kernel = np.asarray(kernel), np.asarray(recurrent_kernel)
    if recurrent_kernel.ndim != 2:
        raise ValueError(
            f"recurrent_kernel must have shape (units, 4 * units), got {recurrent_kernel.shape}"
        )
    units = recurrent_kernel.shape[0]
    check_shape("recurrent_kernel", recurrent_kernel, (units, 4 * units))
    check_shape("kernel", kernel, ("features", 4 * units))
    bias = np.zeros(4 * units, kernel.dtype) if bias is None else np.asarray(bias)
    check_shape("bias", bias, (4 * units,))
    weights = {}
    for n, gate in enumerate(_BOOK_GATES):
        block = slice(n * units, (n + 1) * units)
        weights["W" + gate] = kernel[:, block]
        weights["U" + gate] = recurrent_kernel[:, block]
        weights["b" + gate] = bias[block]
    return weights


def lstm_step(
    input_t: np.ndarray, state_t: np.ndarray, c_t: np.ndarray, weights: dict[str, np.ndarray]
) -> tuple[np.ndarray, np.ndarray]:
    """One LSTM step with the names of Listings 6-25 and 6-26; returns ``(output_t, c_t+1)``::

        i_t = sigmoid(dot(state_t, Ui) + dot(input_t, Wi) + bi)
        f_t = sigmoid(dot(state_t, Uf) + dot(input_t, Wf) + bf)
        k_t = tanh(dot(state_t, Uk) + dot(input_t, Wk) + bk)
        c_t+1 = i_t * k_t + c_t * f_t
        output_t = sigmoid(dot(state_t, Uo) + dot(input_t, Wo) + bo) * tanh(c_t+1)

    Without Listing 6-25's ``dot(c_t, Vo)`` peephole, as in `keras.layers.LSTM`.

    >>> rng = np.random.default_rng(0)
    >>> w = book_lstm_weights(rng.normal(size=(3, 8)), rng.normal(size=(2, 8)))
    >>> out, c = lstm_step(np.ones(3), np.zeros(2), np.zeros(2), w)
    >>> out.shape, c.shape
    ((2,), (2,))
    """
    missing = [f"{p}{g}" for g in _BOOK_GATES for p in "WUb" if f"{p}{g}" not in weights]
    if missing:
        raise ValueError(
            f"weights is missing {missing}; build it with book_lstm_weights(kernel, "
            f"recurrent_kernel, bias). Keys found: {sorted(weights)}"
        )
    if np.shape(state_t) != np.shape(c_t):
        raise ValueError(
            f"state_t and c_t must have the same shape, got {np.shape(state_t)} and "
            f"{np.shape(c_t)}"
        )
    w = weights

    def transform(gate: str) -> np.ndarray:
        return np.dot(state_t, w["U" + gate]) + np.dot(input_t, w["W" + gate]) + w["b" + gate]

    i_t = sigmoid(transform("i"))
    f_t = sigmoid(transform("f"))
    k_t = np.tanh(transform("k"))
    c_next = i_t * k_t + c_t * f_t
    output_t = sigmoid(transform("o")) * np.tanh(c_next)
    return output_t, c_next
