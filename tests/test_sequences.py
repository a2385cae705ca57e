"""pad_sequences: Keras 3's function (the peer) behind argument checks."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from keras.utils import pad_sequences as keras_pad_sequences

from textseq.sequences import pad_sequences
from textseq.text.tokenizer import pad_sequences as pad_sequences_from_text

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
    ({"maxlen": 0}, ValueError, "maxlen must be an integer >= 1 or None, got 0"),
    ({"maxlen": 2.0}, TypeError, r"maxlen must be an integer >= 1 or None, got 2.0 \(float\)"),
    ({"maxlen": True}, TypeError, r"maxlen must be an integer >= 1 or None, got True \(bool\)"),
    ({"padding": None}, TypeError, r"padding must be 'pre' or 'post', got None \(NoneType\)"),
    ({"dtype": "bogus"}, TypeError, r"dtype must be a numpy dtype .*, got 'bogus' \(str\)"),
])
def test_bad_arguments_are_rejected_even_for_empty_sequences(kwargs, error, message):
    for sequences in ([[], []], [[1, 2]]):  # Keras accepts padding="middle" for [[], []]
        with pytest.raises(error, match=message):
            pad_sequences(sequences, **kwargs)


def test_sequences_must_be_a_list_tuple_or_array():
    with pytest.raises(TypeError, match="sequences must be a list, tuple or array of sequences, "
                                        "got generator"):
        pad_sequences(s for s in [[1]])


def test_numpy_integer_maxlen():
    np.testing.assert_array_equal(pad_sequences([[1, 2, 3]], maxlen=np.int64(2)), [[2, 3]])


@pytest.mark.parametrize("sequences, message", [
    ([[1], None], r"sequences\[1\] must be a sequence \(list, tuple or array\) of numbers, got "
                  r"None \(NoneType\)"),
    ([[1], [2], 5], r"sequences\[2\] must be a sequence .* got 5 \(int\)"),
    (["the cat", [1]], r"sequences\[0\] must be a sequence .* got 'the cat' \(str\)"),
])
def test_an_element_that_is_not_a_sequence_is_named(sequences, message):
    """Issue 11, fault 15: Keras said "Found non-iterable: None", naming no position."""
    with pytest.raises(TypeError, match=message):
        pad_sequences(sequences)


@pytest.mark.parametrize("sequences, message", [
    ([[[1, 2], [3, 4]], [[5, 6], [7]]],
     r"sequences\[1\] is ragged: its steps have the shapes \[\(2,\), \(1,\)\]; expected every "
     "step to have the same shape"),
    ([[1, 2], [[3, 4]]], r"sequences\[1\] has steps of shape \(2,\), sequences\[0\] of shape "
                         r"\(\); expected every step of every sequence to have the same shape"),
    ([[1, 2], [3, "x"]], r"sequences\[1\] holds a value that dtype int32 cannot hold .*; pass "
                         "dtype=object or dtype=str for string tokens"),
])
def test_ragged_and_mixed_sequences_are_named(sequences, message):
    """Issue 11, fault 15: numpy's 'inhomogeneous shape' error named no sequence."""
    with pytest.raises(ValueError, match=message):
        pad_sequences(sequences)


def test_steps_of_equal_shape_still_pad():
    out = pad_sequences([[[1, 2], [3, 4]], [[5, 6]]], dtype="float32")
    assert out.shape == (2, 2, 2) and out[1].tolist() == [[0, 0], [5, 6]]


def test_string_dtypes_hold_every_value():
    """Issue 11, fault 14: dtype='str' cut [[10, 200]] to [['1', '2']]."""
    out = pad_sequences([[10, 200]], dtype="str")
    assert out.tolist() == [["10", "200"]] and out.dtype == np.dtype("<U3")
    out = pad_sequences([[10, 200], [7]], dtype=str, value=0)
    assert out.tolist() == [["10", "200"], ["0", "7"]]
    out = pad_sequences([["the", "longest"], ["cat"]], dtype="str", value="<pad>", padding="post")
    assert out.tolist() == [["the", "longest"], ["cat", "<pad>"]]
    out = pad_sequences([["ab", "c"]], maxlen=3, dtype="U5", value="")
    assert out.tolist() == [["", "ab", "c"]] and out.dtype == np.dtype("<U5")
    assert pad_sequences([[10, 200]], dtype=bytes).tolist() == [[b"10", b"200"]]
    out = pad_sequences([["a", "b"]], dtype=object, value="")  # object: Keras as it is
    assert out.tolist() == [["a", "b"]] and out.dtype == object


def test_a_string_dtype_too_narrow_is_refused():
    with pytest.raises(ValueError, match="dtype '<U2' holds 2 characters, but the value '200' "
                                         "needs 3; pass dtype=str to size it"):
        pad_sequences([[10, 200]], dtype="U2")
    with pytest.raises(ValueError, match=r"dtype '\|S1' holds 1 character, but the value b'10'"):
        pad_sequences([[10]], dtype="S1")
