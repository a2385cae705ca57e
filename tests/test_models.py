"""The chapter's model builders: the book's parameter counts, shapes, compile settings, freezing."""

from __future__ import annotations

import doctest
import os
import random
import re

import numpy as np
import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import keras  # noqa: E402  (plainly: a broken Keras must fail, not skip, this suite)

from textseq import models  # noqa: E402
from textseq.notebook.training import seed_everything  # noqa: E402


def simple_rnn_params(features: int, units: int, gates: int = 1, biases: int = 1) -> int:
    """kernel + recurrent kernel + bias(es) of a recurrent layer, written from the formulas."""
    return gates * (features * units + units * units + biases * units)


# Per-layer counts from the book's model summaries (and the formulas behind them).
BOOK_SUMMARIES = {
    "embedding_flatten": [10000 * 8, 0, 8 * 20 + 1],  # 6-7: 80,000 + 161
    "glove_classifier": [10000 * 100, 0, 100 * 100 * 32 + 32, 33],  # 6-12
    "simple_rnn": [320000, simple_rnn_params(32, 32), 33],  # 6-23: 2,080
    "stacked_simple_rnn": [320000] + [simple_rnn_params(32, 32)] * 4 + [33],  # 6.2.1
    "lstm": [320000, simple_rnn_params(32, 32, gates=4), 33],  # 6-27: 8,320
    "gru": [320000, simple_rnn_params(32, 32, gates=3, biases=2), 33],  # reset_after: 6,336
}


@pytest.mark.parametrize("builder", sorted(BOOK_SUMMARIES))
def test_parameter_counts_match_the_book(builder):
    model = getattr(models, builder)()
    assert [layer.count_params() for layer in model.layers] == BOOK_SUMMARIES[builder]
    assert model.output_shape == (None, 1)
    assert isinstance(model.layers[0], keras.layers.Embedding)
    assert model.name == builder


def test_shapes_names_and_stacking():
    model = models.stacked_simple_rnn(100, units=8, depth=3, maxlen=12, name="deep")
    assert model.name == "deep" and model.input_shape == (None, 12)
    rnns = model.layers[1:-1]
    assert [type(layer).__name__ for layer in rnns] == ["SimpleRNN"] * 3
    assert [layer.return_sequences for layer in rnns] == [True, True, False]
    assert [tuple(layer.output.shape) for layer in rnns] == [(None, 12, 8)] * 2 + [(None, 8)]
    assert models.lstm(maxlen=None).input_shape == (None, None)  # any length, as in the book
    assert models.embedding_flatten().input_shape == (None, 20)


@pytest.mark.parametrize("builder", sorted(BOOK_SUMMARIES))
def test_compiled_as_in_the_book_and_predicts_probabilities(builder):
    kwargs = {"max_words" if builder == "glove_classifier" else "max_features": 50}
    if builder in ("embedding_flatten", "glove_classifier"):
        kwargs["maxlen"] = 7
    model = getattr(models, builder)(**kwargs)
    assert type(model.optimizer).__name__ == "RMSprop"
    assert model.loss == "binary_crossentropy"
    x = np.random.default_rng(0).integers(0, 50, size=(3, 7))
    out = model.predict(x, verbose=0)
    assert out.shape == (3, 1) and np.all((out > 0) & (out < 1))


def tiny_data(n: int = 32, maxlen: int = 5, words: int = 30):
    rng = np.random.default_rng(1)
    return rng.integers(0, words, size=(n, maxlen)), rng.integers(0, 2, size=n).astype("float32")


def test_glove_matrix_is_loaded_and_frozen():
    seed_everything(0)
    matrix = np.random.default_rng(2).normal(size=(30, 4)).astype("float32")
    model = models.glove_classifier(30, 5, 4, embedding_matrix=matrix, hidden_units=3)
    assert not model.layers[0].trainable
    np.testing.assert_array_equal(model.layers[0].get_weights()[0], matrix)
    dense_before = model.layers[2].get_weights()[0].copy()
    model.fit(*tiny_data(), epochs=1, batch_size=32, verbose=0)
    np.testing.assert_array_equal(model.layers[0].get_weights()[0], matrix)
    assert not np.array_equal(model.layers[2].get_weights()[0], dense_before)


def test_glove_matrix_trainable_on_request():
    matrix = np.random.default_rng(2).normal(size=(30, 4)).astype("float32")
    model = models.glove_classifier(30, 5, 4, embedding_matrix=matrix, trainable=True)
    model.fit(*tiny_data(), epochs=1, batch_size=32, verbose=0)
    assert not np.array_equal(model.layers[0].get_weights()[0], matrix)
    assert models.glove_classifier(30, 5, 4).layers[0].trainable  # 6-16: no matrix, trained


def test_book_way_of_freezing_needs_a_compile_after_training():
    """Listing 6-13's set_weights + trainable = False, on a model already trained once."""
    model = models.glove_classifier(30, 5, 4)
    model.fit(*tiny_data(), epochs=1, batch_size=32, verbose=0)
    matrix = np.random.default_rng(3).normal(size=(30, 4)).astype("float32")
    model.layers[0].set_weights([matrix])
    model.layers[0].trainable = False
    models.compile_model(model)
    model.fit(*tiny_data(), epochs=1, batch_size=32, verbose=0)
    np.testing.assert_array_equal(model.layers[0].get_weights()[0], matrix)


@pytest.mark.parametrize(
    "call,error,message",
    [
        (lambda: models.lstm(units=-1), ValueError, r"units must be an integer >= 1, got -1"),
        (lambda: models.glove_classifier(embedding_matrix=np.zeros((5000, 100))), ValueError,
         r"embedding_matrix must have shape \(max_words, embedding_dim\) = \(10000, 100\), "
         r"got \(5000, 100\)"),
        *((lambda bad=bad: models.glove_classifier(  # issue 19: Keras trains on NaN silently
            30, 5, 4, embedding_matrix=np.where(np.arange(120).reshape(30, 4) == 5, bad, 0.0)),
           ValueError, rf"embedding_matrix must hold finite float32 numbers, got "
           rf"{re.escape(str(bad))} at \[1, 1\] \(NaN, infinite or too large: 1 of 120 values\)")
          for bad in (np.nan, -np.inf, 1e300)),  # 1e300: inf in float32 (issue 19 re-run)
        *((lambda bad=bad: models.glove_classifier(30, 5, 4, embedding_matrix=np.full(
            (30, 4), bad)), TypeError, rf"embedding_matrix must hold real numbers \(int or "
           rf"float\), got an array of dtype {dtype}") for bad, dtype in (
               (None, "object"), ("0.5", "<U3"), (1j, "complex128"), (True, "bool"))),
        (lambda: models.glove_classifier(2, 5, 2, embedding_matrix=[[1.0, 2.0], [3.0]]),
         ValueError, r"embedding_matrix must be a 2-d array, got a ragged list \(setting"),
    ],
)
def test_bad_arguments(call, error, message):
    with pytest.raises(error, match=message):
        call()


@pytest.mark.parametrize("builder", sorted(BOOK_SUMMARIES) + ["bag_of_words"])
def test_a_builder_seed_gives_the_same_weights_whatever_came_before(builder):
    kwargs = {"max_words" if builder == "glove_classifier" else
              "num_words" if builder == "bag_of_words" else "max_features": 30}
    if builder in ("embedding_flatten", "glove_classifier"):
        kwargs["maxlen"] = 4
    first = getattr(models, builder)(**kwargs, seed=3).get_weights()
    random.random(), np.random.random()  # whatever the script drew from the global state
    again = getattr(models, builder)(**kwargs, seed=3).get_weights()
    other = getattr(models, builder)(**kwargs, seed=4).get_weights()
    for a, b in zip(first, again, strict=True):
        np.testing.assert_array_equal(a, b)
    assert any(not np.array_equal(a, b) for a, b in zip(first, other, strict=True))


def test_docstring_examples_run():
    failures, tried = doctest.testmod(models)
    assert tried >= 6 and failures == 0


def book_model(recurrent: str, maxlen: int = 6) -> keras.Sequential:
    """Listings 6-23 and 6-27 as the book writes them (with Keras 3's Input first)."""
    model = keras.Sequential()
    model.add(keras.Input(shape=(maxlen,)))
    model.add(keras.layers.Embedding(50, 8))
    model.add(getattr(keras.layers, recurrent)(4))
    model.add(keras.layers.Dense(1, activation="sigmoid"))
    return model


@pytest.mark.parametrize(("recurrent", "builder"), [
    ("SimpleRNN", "simple_rnn"), ("LSTM", "lstm"), ("GRU", "gru")])
def test_builders_start_from_the_book_codes_weights_after_the_same_seed(recurrent, builder):
    # 6.2.1 trains the book's code and 6.2.2 the builder with the same seed: the same run.
    seed_everything(7)
    book = [w.copy() for w in book_model(recurrent).get_weights()]
    seed_everything(7)
    ours = getattr(models, builder)(50, 4, embedding_dim=8, maxlen=6).get_weights()
    assert len(book) == len(ours)
    for expected, got in zip(book, ours, strict=True):
        np.testing.assert_array_equal(got, expected)
