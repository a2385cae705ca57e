"""The numpy recurrences against the real Keras layers (and the book's Listing 6-21 loop)."""

from __future__ import annotations

import doctest
import os

import numpy as np
import pytest

from textseq import rnn
from textseq.rnn import (
    RNNWeights,
    book_lstm_weights,
    from_keras,
    gru_forward,
    lstm_cell,
    lstm_forward,
    lstm_step,
    sigmoid,
    simple_rnn_forward,
    simple_rnn_loop,
)
from textseq.rnn import cells as rnn_cells

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import keras  # noqa: E402  (plainly: a broken Keras must fail, not skip, this suite)
import tf_keras  # noqa: E402

FEATURES, UNITS, TIMESTEPS = 6, 5, 9
ATOL = 1e-5


def make_layer(kind: str, seed: int = 0, **options):
    """A built Keras layer with random (non-zero) biases, so every weight matters."""
    cls = {"SimpleRNN": keras.layers.SimpleRNN, "LSTM": keras.layers.LSTM,
           "GRU": keras.layers.GRU}[kind]
    init = {"kernel_initializer": keras.initializers.GlorotUniform(seed=seed),
            "recurrent_initializer": keras.initializers.Orthogonal(seed=seed + 1)}
    if options.get("use_bias", True):
        init["bias_initializer"] = keras.initializers.RandomNormal(stddev=0.5, seed=seed + 2)
    layer = cls(UNITS, **init, **options)
    layer.build((None, None, FEATURES))
    return layer


def random_inputs(batch: int, seed: int = 0, timesteps: int = TIMESTEPS) -> np.ndarray:
    return np.random.default_rng(seed).normal(size=(batch, timesteps, FEATURES)).astype("float32")


def random_states(kind: str, batch: int, seed: int = 1) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    n = 2 if kind == "LSTM" else 1
    return [rng.normal(size=(batch, UNITS)).astype("float32") for _ in range(n)]


def keras_outputs(layer, x, initial_state=None) -> list[np.ndarray]:
    out = layer(x, initial_state=initial_state)
    return [np.asarray(o) for o in (out if isinstance(out, list | tuple) else [out])]


def numpy_outputs(weights: RNNWeights, x, initial_state=None) -> list[np.ndarray]:
    out = weights(x, initial_state=initial_state)
    return list(out) if isinstance(out, tuple) else [out]


# ---------------------------------------------------------------- Listing 6-21
def test_listing_6_21_shapes_and_formula():
    rng = np.random.default_rng(0)
    inputs = rng.random((100, 32))
    W, U, b = rng.random((64, 32)), rng.random((64, 64)), rng.random(64)
    out = simple_rnn_loop(inputs, W, U, b)
    assert out.shape == (100, 64)
    # first two steps by hand, from a zero state
    first = np.tanh(W @ inputs[0] + b)
    np.testing.assert_allclose(out[0], first)
    np.testing.assert_allclose(out[1], np.tanh(W @ inputs[1] + U @ first + b))


def test_listing_6_21_equals_keras_simple_rnn_sample_by_sample():
    layer = make_layer("SimpleRNN", return_sequences=True)
    kernel, recurrent, bias = layer.get_weights()
    x = random_inputs(3)
    h0 = random_states("SimpleRNN", 3)[0]
    expected = keras_outputs(layer, x, [h0])[0]
    for n in range(3):
        got = simple_rnn_loop(x[n], kernel.T, recurrent.T, bias, state=h0[n])
        np.testing.assert_allclose(got, expected[n], atol=ATOL)


# ---------------------------------------------------------------- against Keras
LAYERS = [("SimpleRNN", {}), ("LSTM", {}), ("GRU", {}), ("GRU", {"reset_after": False}),
          ("LSTM", {"use_bias": False})]


@pytest.mark.parametrize("kind,options", LAYERS, ids=lambda v: str(v))
@pytest.mark.parametrize("return_sequences", [False, True])
@pytest.mark.parametrize("batch", [1, 7])
def test_matches_keras_layer(kind, options, return_sequences, batch):
    layer = make_layer(kind, return_sequences=return_sequences, return_state=True, **options)
    weights = from_keras(layer)
    assert weights.kind == kind and weights.units == UNITS
    assert weights.return_sequences is return_sequences and weights.return_state
    x = random_inputs(batch, seed=batch)
    expected = keras_outputs(layer, x)
    got = numpy_outputs(weights, x)
    assert [g.shape for g in got] == [e.shape for e in expected]
    for g, e in zip(got, expected, strict=True):
        np.testing.assert_allclose(g, e, atol=ATOL)


@pytest.mark.parametrize("kind", ["SimpleRNN", "LSTM", "GRU"])
def test_matches_keras_with_initial_state(kind):
    layer = make_layer(kind, seed=3, return_sequences=True, return_state=True)
    x, states = random_inputs(4, seed=5), random_states(kind, 4)
    expected = keras_outputs(layer, x, initial_state=states)
    got = numpy_outputs(from_keras(layer), x, initial_state=states)
    for g, e in zip(got, expected, strict=True):
        np.testing.assert_allclose(g, e, atol=ATOL)
    # the initial state matters: without it the outputs differ
    assert not np.allclose(numpy_outputs(from_keras(layer), x)[0], expected[0], atol=1e-3)


def test_default_layer_returns_last_output_only():
    layer = make_layer("GRU")
    x = random_inputs(2)
    out = from_keras(layer)(x)
    assert isinstance(out, np.ndarray) and out.shape == (2, UNITS)
    np.testing.assert_allclose(out, np.asarray(layer(x)), atol=ATOL)


def test_tf_keras_layer_is_read_the_same_way():
    layer = tf_keras.layers.LSTM(
        UNITS, return_sequences=True,
        bias_initializer=tf_keras.initializers.RandomNormal(stddev=0.5, seed=2))
    x = random_inputs(2)
    expected = np.asarray(layer(x))
    np.testing.assert_allclose(from_keras(layer)(x), expected, atol=ATOL)


# ---------------------------------------------------------------- Listings 6-25/6-26
def test_book_lstm_step_equals_keras_lstm_step():
    layer = make_layer("LSTM", seed=7, return_state=True)
    x = random_inputs(4, seed=2, timesteps=1)
    h0, c0 = random_states("LSTM", 4, seed=3)
    _, h_keras, c_keras = keras_outputs(layer, x, initial_state=[h0, c0])
    book = book_lstm_weights(*layer.get_weights())
    output_t, c_next = lstm_step(x[:, 0], h0, c0, book)
    np.testing.assert_allclose(output_t, h_keras, atol=ATOL)
    np.testing.assert_allclose(c_next, c_keras, atol=ATOL)
    # one sequence at a time (1-D vectors, as in the book) gives the same
    out0, c0_next = lstm_step(x[0, 0], h0[0], c0[0], book)
    np.testing.assert_allclose(out0, h_keras[0], atol=ATOL)
    np.testing.assert_allclose(c0_next, c_keras[0], atol=ATOL)


def test_book_lstm_step_loop_equals_lstm_forward():
    kernel, recurrent, bias = make_layer("LSTM", seed=9).get_weights()
    x = random_inputs(2, seed=4)
    book = book_lstm_weights(kernel, recurrent, bias)
    state_t = c_t = np.zeros((2, UNITS), "float32")
    for t in range(TIMESTEPS):
        state_t, c_t = lstm_step(x[:, t], state_t, c_t, book)
    _, h, c = lstm_forward(x, kernel, recurrent, bias, return_state=True)
    np.testing.assert_allclose(state_t, h, atol=1e-6)
    np.testing.assert_allclose(c_t, c, atol=1e-6)


def test_book_weights_are_the_keras_blocks_in_i_f_c_o_order():
    kernel = np.arange(3 * 8).reshape(3, 8)
    recurrent = np.arange(2 * 8).reshape(2, 8) + 100
    book = book_lstm_weights(kernel, recurrent, np.arange(8) + 1000)
    np.testing.assert_array_equal(book["Wk"], kernel[:, 4:6])
    np.testing.assert_array_equal(book["Uo"], recurrent[:, 6:8])
    np.testing.assert_array_equal(book["bf"], [1002, 1003])
    np.testing.assert_array_equal(book["bi"], [1000, 1001])


def test_lstm_cell_and_sigmoid():
    assert sigmoid(np.array([1e4, -1e4])).tolist() == [1.0, 0.0]
    z = np.linspace(-20, 20, 41)
    np.testing.assert_allclose(sigmoid(z), 1 / (1 + np.exp(-z)), rtol=1e-12, atol=1e-15)
    h, c = lstm_cell(np.zeros((1, 8)), np.zeros((1, 2)), np.ones((1, 2)), np.zeros((2, 8)))
    np.testing.assert_allclose(c, [[0.5, 0.5]])  # forget gate 0.5 keeps half the carry
    np.testing.assert_allclose(h, 0.5 * np.tanh(c))


# ---------------------------------------------------------------- bad input
def test_wrong_input_rank_names_expected_and_given_shapes():
    kernel, recurrent = np.zeros((32, 32)), np.zeros((32, 32))
    with pytest.raises(ValueError, match=r"inputs must have shape \(batch, timesteps, 32\), got "
                                         r"\(10, 32\)"):
        simple_rnn_forward(np.zeros((10, 32)), kernel, recurrent)
    with pytest.raises(ValueError, match=r"\(batch, timesteps, 32\), got \(2, 10, 16\)"):
        simple_rnn_forward(np.zeros((2, 10, 16)), kernel, recurrent)
    with pytest.raises(ValueError, match=r"at least 1 timestep"):
        simple_rnn_forward(np.zeros((2, 0, 32)), kernel, recurrent)


@pytest.mark.parametrize(
    "call,message",
    [
        (lambda x: lstm_forward(x, np.zeros((6, 20)), np.zeros((5, 5))),
         r"recurrent_kernel must have shape \(5, 20\), got \(5, 5\)"),
        (lambda x: lstm_forward(x, np.zeros((6, 16)), np.zeros((5, 20))),
         r"kernel must have shape \(features, 20\), got \(6, 16\)"),
        (lambda x: lstm_forward(x, np.zeros((6, 20)), np.zeros((5, 20)), np.zeros(5)),
         r"bias must have shape \(20,\), got \(5,\)"),
        (lambda x: gru_forward(x, np.zeros((6, 15)), np.zeros((5, 15)), np.zeros(15)),
         r"bias must have shape \(2, 15\), got \(15,\)"),
        (lambda x: lstm_forward(x, np.zeros((6, 20)), np.zeros((5, 20)),
                                initial_state=[np.zeros((2, 5))]),
         r"initial_state for LSTM must be \[h, c\], got 1 array"),
        (lambda x: simple_rnn_forward(x, np.zeros((6, 5)), np.zeros((5, 5)),
                                      initial_state=np.zeros((3, 5))),
         r"initial_state\[0\] must have shape \(2, 5\), got \(3, 5\)"),
        (lambda x: simple_rnn_loop(x[0], np.zeros((5, 6)), np.zeros((5, 4)), np.zeros(5)),
         r"U must have shape \(5, 5\), got \(5, 4\)"),
        (lambda x: simple_rnn_loop(x, np.zeros((5, 6)), np.zeros((5, 5)), np.zeros(5)),
         r"inputs must have shape \(timesteps, 6\), got \(2, 9, 6\)"),
        (lambda x: lstm_step(x[0, 0], np.zeros(5), np.zeros(5), {"Wi": 0}),
         r"weights is missing \['Ui', 'bi', 'Wf'"),
    ],
)
def test_wrong_weight_shapes(call, message):
    with pytest.raises(ValueError, match=message):
        call(random_inputs(2))


@pytest.mark.parametrize(
    "layer,message",
    [
        (lambda: make_layer("SimpleRNN", activation="relu"),
         r"only the default activation='tanh' is supported, got 'relu'"),
        (lambda: make_layer("LSTM", recurrent_activation="hard_sigmoid"),
         r"recurrent_activation='sigmoid' is supported, got 'hard_sigmoid'"),
        (lambda: make_layer("GRU", go_backwards=True), r"go_backwards=True is not supported"),
        (lambda: keras.layers.Dense(3), r"supports SimpleRNN, LSTM and GRU layers, got Dense"),
        (lambda: keras.layers.LSTM(3), r"has 0 weight arrays; build it first"),
    ],
)
def test_from_keras_rejects_unsupported_layers(layer, message):
    with pytest.raises(ValueError, match=message):
        from_keras(layer())


# ---------------------------------------------------------------- hygiene
def test_docstring_examples_run():
    for module in (rnn, rnn_cells):
        failures, _ = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
        assert failures == 0, module.__name__
