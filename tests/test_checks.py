"""textseq._checks: one exception type per mistake, the same message format everywhere."""

from __future__ import annotations

import math

import numpy as np
import pytest

from textseq._checks import check_choice, check_int, check_number, check_str, describe


@pytest.mark.parametrize("value", [1, 7, np.int64(7), np.int32(1), np.uint8(3), 2**40])
def test_integers_pass_and_come_back_as_python_ints(value):
    got = check_int("n", value, minimum=1)
    assert got == value and type(got) is int


@pytest.mark.parametrize("value, shown", [
    (True, "True (bool)"), (np.True_, "True (bool)"), (2.5, "2.5 (float)"),
    (2.0, "2.0 (float)"), ("3", "'3' (str)"), (None, "None (NoneType)"),
    (np.float64(1), "1.0 (float64)"), ([1], "[1] (list)"),
])
def test_a_wrong_type_is_a_type_error_that_shows_the_value_and_its_type(value, shown):
    with pytest.raises(TypeError) as info:
        check_int("num_words", value, minimum=1)
    assert str(info.value) == f"num_words must be an integer >= 1, got {shown}"


@pytest.mark.parametrize("kwargs, value, message", [
    ({"minimum": 1}, 0, "num_words must be an integer >= 1, got 0"),
    ({"minimum": 1, "optional": True}, -3, "num_words must be an integer >= 1 or None, got -3"),
    ({"maximum": 5}, 6, "num_words must be an integer <= 5, got 6"),
    ({"minimum": 0, "maximum": 2**32 - 1}, 2**32,
     "num_words must be an integer between 0 and 4294967295, got 4294967296"),
    ({"minimum": 0}, np.int64(-1), "num_words must be an integer >= 0, got -1"),
])
def test_a_value_out_of_range_is_a_value_error(kwargs, value, message):
    with pytest.raises(ValueError) as info:
        check_int("num_words", value, **kwargs)
    assert str(info.value) == message


def test_none_passes_only_when_optional():
    assert check_int("maxlen", None, minimum=1, optional=True) is None
    with pytest.raises(TypeError, match=r"maxlen must be an integer >= 1, got None \(NoneType\)"):
        check_int("maxlen", None, minimum=1)
    assert check_int("start_char", -4, optional=True) == -4  # no bounds: any integer


def test_numbers():
    assert check_number("timeout", 2, minimum=0, exclusive_minimum=True) == 2.0
    assert check_number("timeout", np.float32(0.5), minimum=0) == 0.5
    with pytest.raises(ValueError, match="timeout must be a number > 0, got 0"):
        check_number("timeout", 0, minimum=0, exclusive_minimum=True)
    with pytest.raises(ValueError, match="timeout must be a number >= 0, got nan"):
        check_number("timeout", math.nan, minimum=0)
    with pytest.raises(TypeError, match=r"timeout must be a number, got '1' \(str\)"):
        check_number("timeout", "1")
    with pytest.raises(TypeError, match=r"got True \(bool\)"):
        check_number("timeout", True)


def test_choices_and_strings():
    assert check_choice("padding", "pre", ("pre", "post")) == "pre"
    with pytest.raises(ValueError, match="padding must be 'pre' or 'post', got 'middle'"):
        check_choice("padding", "middle", ("pre", "post"))
    with pytest.raises(TypeError, match=r"padding must be 'pre' or 'post', got 1 \(int\)"):
        check_choice("padding", 1, ("pre", "post"))
    with pytest.raises(ValueError, match="mode must be one of 'a', 'b', 'c', got 'd'"):
        check_choice("mode", "d", "abc")
    assert check_str("url", "x") == "x"
    assert check_str("url", None, optional=True) is None
    with pytest.raises(TypeError, match=r"url must be an address or None, got 3 \(int\)"):
        check_str("url", 3, what="an address", optional=True)


def test_long_values_are_cut_in_messages():
    assert describe("y" * 1000) == repr("y" * 1000)[:57] + "..."
    with pytest.raises(ValueError) as info:
        check_choice("mode", "z" * 1000, ("a", "b"))
    assert len(str(info.value)) < 120
