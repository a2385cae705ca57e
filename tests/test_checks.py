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


# --- every public entry point follows the rule ------------------------------------------------
# One table instead of a bad-argument test per module: for each function, a wrong type is a
# TypeError and a value out of range a ValueError, and the message names the argument, says what
# is allowed and shows what was given. Module-specific errors (shapes, files, layouts) stay with
# their module's tests.

def _calls():
    from textseq import datasets, models, text
    from textseq.corpus import ensure_corpus
    from textseq.glove import embedding_matrix, load_vectors, packaged, train_glove
    from textseq.imdb import get_word_index, load_data, read_split
    from textseq.notebook.training import seed_everything

    docs = [["a", "b", "a"]] * 3
    return [
        (lambda t: text.Tokenizer(num_words=2.5), TypeError,
         "num_words must be an integer >= 1 or None, got 2.5 (float)"),
        (lambda t: text.Tokenizer(num_words=0), ValueError,
         "num_words must be an integer >= 1 or None, got 0"),
        (lambda t: setattr(text.Tokenizer(), "num_words", "10"), TypeError,
         "num_words must be an integer >= 1 or None, got '10' (str)"),
        (lambda t: text.Tokenizer(document_count=1.0), TypeError,
         "document_count must be an integer >= 0, got 1.0 (float)"),
        (lambda t: text.Tokenizer(document_count=-1), ValueError,
         "document_count must be an integer >= 0, got -1"),
        (lambda t: text.one_hot_words(["a"], max_length=0), ValueError,
         "max_length must be an integer >= 1, got 0"),
        (lambda t: text.one_hot_chars(["a"], max_length=True), TypeError,
         "max_length must be an integer >= 1, got True (bool)"),
        (lambda t: text.one_hot_hashing(["a"], dimensionality=0), ValueError,
         "dimensionality must be an integer >= 1, got 0"),
        (lambda t: text.hash_collisions(["a"], "10"), TypeError,
         "dimensionality must be an integer >= 1, got '10' (str)"),
        (lambda t: text.stable_hash("a", 2.0), TypeError,
         "dimensionality must be an integer >= 1, got 2.0 (float)"),
        (lambda t: read_split(t, None), TypeError,
         "split must be 'train' or 'test', got None (NoneType)"),
        (lambda t: read_split(t, "valid"), ValueError,
         "split must be 'train' or 'test', got 'valid'"),
        (lambda t: read_split(t, errors=1), TypeError,
         "errors must be 'strict' or 'replace', got 1 (int)"),
        (lambda t: read_split(t, errors="ignore"), ValueError,
         "errors must be 'strict' or 'replace', got 'ignore'"),
        (lambda t: get_word_index(t, errors="ignore"), ValueError,
         "errors must be 'strict' or 'replace', got 'ignore'"),
        (lambda t: load_data(t, num_words=2.5), TypeError,
         "num_words must be an integer >= 1 or None, got 2.5 (float)"),
        (lambda t: load_data(t, maxlen=-3), ValueError,
         "maxlen must be an integer >= 1 or None, got -3"),
        (lambda t: load_data(t, skip_top=True), TypeError,
         "skip_top must be an integer >= 0, got True (bool)"),
        (lambda t: load_data(t, oov_char=2.5), TypeError,
         "oov_char must be an integer >= 0 or None, got 2.5 (float)"),
        (lambda t: load_data(t, start_char=-1), ValueError,
         "start_char must be an integer >= 0 or None, got -1"),
        # Issue 11, fault 15: numpy's own "Seed must be between 0 and 2**32 - 1" named no argument
        (lambda t: load_data(t, seed=2**32), ValueError,
         "seed must be an integer between 0 and 4294967295, got 4294967296"),
        (lambda t: load_data(t, seed="113"), TypeError,
         "seed must be an integer between 0 and 4294967295, got '113' (str)"),
        (lambda t: ensure_corpus(t / "aclImdb", seed="0"), TypeError,
         "seed must be an integer, got '0' (str)"),
        (lambda t: ensure_corpus(t / "aclImdb", n_train=4.0), TypeError,
         "n_train must be an integer, got 4.0 (float)"),
        (lambda t: ensure_corpus(t / "aclImdb", n_unsup=True), TypeError,
         "n_unsup must be an integer >= 0, got True (bool)"),
        # Issue 11: num_words=2.5 was a ValueError here but a TypeError in Tokenizer.
        (lambda t: embedding_matrix({"the": 1}, 2.5, packaged_file()), TypeError,
         "num_words must be an integer >= 1, got 2.5 (float)"),
        (lambda t: embedding_matrix({"the": 1}, True, packaged_file()), TypeError,
         "num_words must be an integer >= 1, got True (bool)"),
        (lambda t: load_vectors(packaged_file(), encoding=None), TypeError,
         "encoding must be a str, got None (NoneType)"),
        (lambda t: load_vectors(t, member=1), TypeError,
         "member must be a str (a file in the .zip) or None, got 1 (int)"),
        (lambda t: load_vectors(t, dim=np.float64(2)), TypeError,
         "dim must be an integer >= 1 or None, got 2.0 (float64)"),
        (lambda t: packaged.write_text(t / "x.txt", 0), ValueError,
         "n_lines must be an integer between 1 and 400000 or None, got 0"),
        (lambda t: packaged.write_text(t / "x.txt", 2.5), TypeError,
         "n_lines must be an integer between 1 and 400000 or None, got 2.5 (float)"),
        (lambda t: train_glove(docs, dim=2.5), TypeError,
         "dim must be an integer >= 1, got 2.5 (float)"),
        (lambda t: train_glove(docs, lr=0), ValueError, "lr must be a number > 0, got 0"),
        (lambda t: datasets.glove_file(True), TypeError,
         "dim must be an integer >= 1 or None, got True (bool)"),
        (lambda t: datasets.glove_text_sample(0), ValueError,
         "n_lines must be an integer between 1 and 400000, got 0"),
        (lambda t: seed_everything(1.0), TypeError,
         "seed must be an integer between 0 and 4294967295, got 1.0 (float)"),
        (lambda t: seed_everything(-1), ValueError,
         "seed must be an integer between 0 and 4294967295, got -1"),
        (lambda t: seed_everything(0, deterministic_ops=1), TypeError,
         "deterministic_ops must be True or False, got 1 (int)"),
        (lambda t: models.simple_rnn(max_features=0), ValueError,
         "max_features must be an integer >= 1, got 0"),
        (lambda t: models.gru(maxlen=2.5), TypeError,
         "maxlen must be an integer >= 1 or None, got 2.5 (float)"),
        (lambda t: models.embedding_flatten(embedding_dim=True), TypeError,
         "embedding_dim must be an integer >= 1, got True (bool)"),
        (lambda t: models.stacked_simple_rnn(depth=0), ValueError,
         "depth must be an integer >= 1, got 0"),
        (lambda t: models.glove_classifier(trainable="no"), TypeError,
         "trainable must be one of True, False, None, got 'no' (str)"),
        (lambda t: models.bag_of_words(seed=-1), ValueError,
         "seed must be an integer between 0 and 4294967295, got -1"),
        (lambda t: models.lstm(seed="0"), TypeError,
         "seed must be an integer between 0 and 4294967295, got '0' (str)"),
    ]


def packaged_file():
    from textseq.glove import GloveFile

    return GloveFile.packaged()


@pytest.mark.parametrize("call, error, message", _calls(),
                         ids=lambda x: x if isinstance(x, str) else getattr(x, "__name__", ""))
def test_every_public_function_follows_the_rule(tmp_path, call, error, message):
    with pytest.raises(error) as info:
        call(tmp_path)
    assert str(info.value) == message
    assert list(tmp_path.iterdir()) == []  # nothing written before the check
