"""Recurrent layers in numpy: Listing 6-21's loop, and batched SimpleRNN, LSTM and GRU.

The ``*_forward`` functions take ``(batch, timesteps, features)`` and Keras 3's weights and match
the Keras layer to float32 round-off (default activations, no masks, no dropout).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from textseq.rnn.cells import check_shape, gru_cell, lstm_cell

__all__ = [
    "simple_rnn_loop",
    "simple_rnn_forward",
    "lstm_forward",
    "gru_forward",
    "RNNWeights",
    "from_keras",
]

_GATES = {"SimpleRNN": 1, "LSTM": 4, "GRU": 3}
_N_STATES = {"SimpleRNN": 1, "LSTM": 2, "GRU": 1}


def simple_rnn_loop(
    inputs: np.ndarray,
    W: np.ndarray,  # noqa: N803 - the book's names
    U: np.ndarray,  # noqa: N803
    b: np.ndarray,
    state: np.ndarray | None = None,
) -> np.ndarray:
    """Listing 6-21: a SimpleRNN over one sequence (``W`` is a Keras ``kernel`` transposed).

    >>> rng = np.random.default_rng(0)
    >>> inputs = rng.random((100, 32))  # timesteps 100, input_features 32
    >>> W, U, b = rng.random((64, 32)), rng.random((64, 64)), rng.random(64)
    >>> simple_rnn_loop(inputs, W, U, b).shape
    (100, 64)
    """
    inputs, W, U, b = (np.asarray(a) for a in (inputs, W, U, b))
    if W.ndim != 2:
        raise ValueError(f"W must have shape (output_features, input_features), got {W.shape}")
    output_features, input_features = W.shape
    check_shape("inputs", inputs, ("timesteps", input_features))
    check_shape("U", U, (output_features, output_features))
    check_shape("b", b, (output_features,))
    state_t = np.zeros((output_features,)) if state is None else np.asarray(state)
    check_shape("state", state_t, (output_features,))

    successive_outputs = []
    for input_t in inputs:
        output_t = np.tanh(np.dot(W, input_t) + np.dot(U, state_t) + b)
        successive_outputs.append(output_t)
        state_t = output_t
    return np.stack(successive_outputs, axis=0)


def simple_rnn_forward(
    inputs: np.ndarray,
    kernel: np.ndarray,
    recurrent_kernel: np.ndarray,
    bias: np.ndarray | None = None,
    *,
    initial_state: np.ndarray | Sequence[np.ndarray] | None = None,
    return_sequences: bool = False,
    return_state: bool = False,
) -> np.ndarray | tuple[np.ndarray, ...]:
    """Batched SimpleRNN with Keras's weights: ``h_t = tanh(x_t @ kernel + h_t-1 @ recurrent + b)``.

    >>> rng = np.random.default_rng(0)
    >>> x = rng.normal(size=(4, 10, 3)).astype("float32")
    >>> k, r = rng.normal(size=(3, 5)), rng.normal(size=(5, 5))
    >>> simple_rnn_forward(x, k, r, return_sequences=True).shape
    (4, 10, 5)
    """
    return _forward("SimpleRNN", inputs, kernel, recurrent_kernel, bias, initial_state,
                    return_sequences, return_state)


def lstm_forward(
    inputs: np.ndarray,
    kernel: np.ndarray,
    recurrent_kernel: np.ndarray,
    bias: np.ndarray | None = None,
    *,
    initial_state: Sequence[np.ndarray] | None = None,
    return_sequences: bool = False,
    return_state: bool = False,
) -> np.ndarray | tuple[np.ndarray, ...]:
    """Batched LSTM with Keras's weights (gate blocks ``i, f, c, o``; see `textseq.rnn.cells`)."""
    return _forward("LSTM", inputs, kernel, recurrent_kernel, bias, initial_state,
                    return_sequences, return_state)


def gru_forward(
    inputs: np.ndarray,
    kernel: np.ndarray,
    recurrent_kernel: np.ndarray,
    bias: np.ndarray | None = None,
    *,
    initial_state: np.ndarray | Sequence[np.ndarray] | None = None,
    return_sequences: bool = False,
    return_state: bool = False,
    reset_after: bool = True,
) -> np.ndarray | tuple[np.ndarray, ...]:
    """Batched GRU with Keras's weights (gate blocks ``z, r, h``; see `textseq.rnn.cells`)."""
    return _forward("GRU", inputs, kernel, recurrent_kernel, bias, initial_state,
                    return_sequences, return_state, reset_after)


@dataclass(frozen=True)
class RNNWeights:
    """A Keras recurrent layer's arrays and options, callable like the layer."""

    kind: str
    kernel: np.ndarray
    recurrent_kernel: np.ndarray
    bias: np.ndarray | None
    return_sequences: bool = False
    return_state: bool = False
    reset_after: bool = True
    activation: str = "tanh"
    recurrent_activation: str = "sigmoid"

    @property
    def units(self) -> int:
        """Number of units (the size of the output)."""
        return int(self.recurrent_kernel.shape[0])

    def __call__(
        self, inputs: np.ndarray, initial_state: np.ndarray | Sequence[np.ndarray] | None = None
    ) -> np.ndarray | tuple[np.ndarray, ...]:
        """Run the layer on ``inputs (batch, timesteps, features)``; see `lstm_forward` etc."""
        return _forward(self.kind, inputs, self.kernel, self.recurrent_kernel, self.bias,
                        initial_state, self.return_sequences, self.return_state, self.reset_after)


def from_keras(layer: Any) -> RNNWeights:
    """Copy a built Keras ``SimpleRNN``, ``LSTM`` or ``GRU`` layer (or tf_keras's) into numpy.

    >>> import keras
    >>> layer = keras.layers.LSTM(8)
    >>> _ = layer(np.zeros((1, 5, 3), "float32"))
    >>> from_keras(layer)(np.zeros((2, 5, 3), "float32")).shape
    (2, 8)
    """
    kind = type(layer).__name__
    if kind not in _GATES:
        raise ValueError(
            f"from_keras supports SimpleRNN, LSTM and GRU layers, got {kind} ({layer!r})"
        )
    config = layer.get_config()
    name = config.get("name", kind)
    expected = {"activation": "tanh"}
    if kind != "SimpleRNN":
        expected["recurrent_activation"] = "sigmoid"
    for key, default in expected.items():
        if config.get(key) != default:
            raise ValueError(
                f"{kind} layer {name!r}: only the default {key}={default!r} is supported, "
                f"got {config.get(key)!r}"
            )
    for flag in ("go_backwards", "stateful", "time_major"):
        if config.get(flag):
            raise ValueError(f"{kind} layer {name!r}: {flag}=True is not supported")
    weights = [np.asarray(w) for w in layer.get_weights()]
    if len(weights) not in (2, 3):
        raise ValueError(
            f"{kind} layer {name!r} has {len(weights)} weight arrays; build it first (call it on "
            "an input) so that it has kernel, recurrent_kernel and bias"
        )
    return RNNWeights(
        kind=kind,
        kernel=weights[0],
        recurrent_kernel=weights[1],
        bias=weights[2] if len(weights) == 3 else None,
        return_sequences=bool(config.get("return_sequences", False)),
        return_state=bool(config.get("return_state", False)),
        reset_after=bool(config.get("reset_after", True)),
    )


def _forward(kind, inputs, kernel, recurrent_kernel, bias, initial_state,
             return_sequences, return_state, reset_after=True):
    """Validate the arrays, then run ``kind`` over time; shared by the three public forwards."""
    gates = _GATES[kind]
    inputs, kernel, recurrent_kernel = (np.asarray(a) for a in (inputs, kernel, recurrent_kernel))
    if recurrent_kernel.ndim != 2:
        raise ValueError(
            f"recurrent_kernel must have shape (units, {gates} * units), got "
            f"{recurrent_kernel.shape}"
        )
    units = recurrent_kernel.shape[0]
    check_shape("recurrent_kernel", recurrent_kernel, (units, gates * units))
    check_shape("kernel", kernel, ("features", gates * units))
    check_shape("inputs", inputs, ("batch", "timesteps", kernel.shape[0]))
    batch, timesteps, _ = inputs.shape
    if timesteps < 1:
        raise ValueError(f"inputs must have at least 1 timestep, got shape {inputs.shape}")
    dtype = np.result_type(inputs.dtype, kernel.dtype, recurrent_kernel.dtype, np.float32)

    input_bias = recurrent_bias = None
    if bias is not None:
        bias = np.asarray(bias)
        split_bias = kind == "GRU" and reset_after
        check_shape("bias", bias, (2, gates * units) if split_bias else (gates * units,))
        input_bias, recurrent_bias = (bias[0], bias[1]) if split_bias else (bias, None)

    n_states = _N_STATES[kind]
    if initial_state is None:
        states = [np.zeros((batch, units), dtype) for _ in range(n_states)]
    else:
        states = [initial_state] if isinstance(initial_state, np.ndarray) else list(initial_state)
        if len(states) != n_states:
            wanted = "[h, c]" if kind == "LSTM" else "one array"
            raise ValueError(
                f"initial_state for {kind} must be {wanted}, got {len(states)} array(s)"
            )
        states = [np.asarray(s, dtype) for s in states]
        for n, s in enumerate(states):
            check_shape(f"initial_state[{n}]", s, (batch, units))

    # The input projection of every timestep in one matmul, laid out time-major: (T, B, G * U).
    x_proj = np.matmul(inputs.transpose(1, 0, 2).astype(dtype, copy=False), kernel.astype(dtype))
    if input_bias is not None:
        x_proj += input_bias
    recurrent = recurrent_kernel.astype(dtype, copy=False)
    h = states[0]
    c = states[1] if kind == "LSTM" else None
    if kind == "SimpleRNN":
        # h_t = tanh(x_proj_t + h_t-1 @ recurrent), in place: x_proj becomes the output.
        hr = np.empty((batch, units), dtype)
        for t in range(timesteps):
            np.matmul(h, recurrent, out=hr)
            h = x_proj[t]
            h += hr
            np.tanh(h, out=h)
        output = np.ascontiguousarray(x_proj.transpose(1, 0, 2)) if return_sequences else h.copy()
        return (output, h.copy()) if return_state else output

    outputs = np.empty((timesteps, batch, units), dtype) if return_sequences else None
    for t in range(timesteps):
        if kind == "LSTM":
            h, c = lstm_cell(x_proj[t], h, c, recurrent)
        else:
            h = gru_cell(x_proj[t], h, recurrent, recurrent_bias, reset_after)
        if outputs is not None:
            outputs[t] = h
    output = np.ascontiguousarray(outputs.transpose(1, 0, 2)) if outputs is not None else h
    if not return_state:
        return output
    return (output, h, c) if kind == "LSTM" else (output, h)
