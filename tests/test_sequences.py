"""pad_sequences: Keras 3's function (the peer) behind argument checks."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from keras.utils import pad_sequences as keras_pad_sequences

from textseq.sequences import pad_sequences
from textseq.text import pad_sequences as pad_sequences_from_text

SEQUENCES = st.lists(st.lists(st.integers(-5, 100), max_size=12), min_size=1, max_size=6)


@settings(max_examples=60, deadline=None)
@given(SEQUENCES, st.one_of(st.none(), st.integers(1, 15)), st.sampled_from(["pre", "post"]),
       st.sampled_from(["pre", "post"]), st.sampled_from([0.0, -1.0]))
def test_matches_keras(sequences, maxlen, padding, truncating, value):
    got = pad_sequences(sequences, maxlen=maxlen, padding=padding, truncating=truncating,
                        value=value)
    expected = keras_pad_sequences(sequences, maxlen=maxlen, padding=padding,
                                   truncating=truncating, value=value)
    np.testing.assert_array_equal(got, expected)
    assert got.dtype == expected.dtype == np.int32


def test_book_settings_and_other_inputs():
    sequences = [[1, 2, 3, 4], [5], []]
    np.testing.assert_array_equal(pad_sequences(sequences, maxlen=2),
                                  [[3, 4], [0, 5], [0, 0]])  # pre: keeps the last words
    np.testing.assert_array_equal(pad_sequences(tuple(sequences), maxlen=2),
                                  pad_sequences(sequences, maxlen=2))
    np.testing.assert_array_equal(pad_sequences(np.array([[1, 2], [3, 4]]), maxlen=3),
                                  [[0, 1, 2], [0, 3, 4]])
    assert pad_sequences_from_text is pad_sequences


@pytest.mark.parametrize("maxlen, dtype, shape", [(None, "int32", (0, 0)), (5, "float32", (0, 5))])
def test_empty_list_gives_an_empty_array(maxlen, dtype, shape):
    out = pad_sequences([], maxlen=maxlen, dtype=dtype)
    assert out.shape == shape and out.dtype == np.dtype(dtype)


@pytest.mark.parametrize("kwargs, error, message", [
    ({"padding": "middle"}, ValueError, "padding must be 'pre' or 'post', got 'middle'"),
    ({"truncating": "mid"}, ValueError, "truncating must be 'pre' or 'post', got 'mid'"),
    ({"maxlen": 0}, ValueError, "maxlen must be >= 1 or None, got 0"),
    ({"maxlen": 2.0}, TypeError, "maxlen must be an int >= 1 or None, got float"),
])
def test_bad_arguments_are_rejected_even_for_empty_sequences(kwargs, error, message):
    for sequences in ([[], []], [[1, 2]]):  # Keras accepts padding="middle" for [[], []]
        with pytest.raises(error, match=message):
            pad_sequences(sequences, **kwargs)


def test_sequences_must_be_a_list_tuple_or_array():
    with pytest.raises(TypeError, match="sequences must be a list, tuple or array of sequences, "
                                        "got generator"):
        pad_sequences(s for s in [[1]])
