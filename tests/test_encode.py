"""encode_reviews: a typed review becomes exactly what the notebook's own preparation gives."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from textseq import imdb
from textseq.corpus import generate_corpus
from textseq.text import Tokenizer
from textseq.text.encode import encode_reviews
from textseq.text.tokenizer import DEFAULT_FILTERS

REVIEWS = ["A good film, really good!", "It was bad<br />bad and dull.", "zzz unknownword",
           "", "Good " * 30]


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    return generate_corpus(tmp_path_factory.mktemp("c") / "aclImdb", n_train=40, n_test=40,
                           n_unsup=0)


@pytest.mark.parametrize("padding, truncating", [("pre", "pre"), ("post", "post")])
def test_a_tokenizer_encodes_as_listing_6_9(padding, truncating):
    tokenizer = Tokenizer(num_words=6)
    tokenizer.fit_on_texts(["good good film film bad", "dull it was a"])
    x, unknown = encode_reviews(REVIEWS, tokenizer, maxlen=5, padding=padding,
                                truncating=truncating)
    expected = keras.utils.pad_sequences(tokenizer.texts_to_sequences(REVIEWS), maxlen=5,
                                         padding=padding, truncating=truncating)
    np.testing.assert_array_equal(x, expected)
    assert unknown[0] == ["a", "really"]  # "a" is in the index but beyond num_words
    assert unknown[2] == ["zzz", "unknownword"] and unknown[3] == []


def test_a_word_index_encodes_as_load_data(tree):
    (x_train, _), (x_test, _) = imdb.load_data(tree, num_words=50)
    texts = imdb.read_split(tree, "train").texts + imdb.read_split(tree, "test").texts
    x, unknown = encode_reviews(texts, imdb.get_word_index(tree), maxlen=2000, num_words=50)
    expected = keras.utils.pad_sequences(list(x_train) + list(x_test), maxlen=2000)
    # load_data shuffles the reviews; the rows are the same
    assert sorted(map(tuple, x.tolist())) == sorted(map(tuple, expected.tolist()))
    index = imdb.get_word_index(tree)
    assert all(index.get(w, 99) + 3 >= 50 for words in unknown for w in words)
    assert sum(map(len, unknown)) == int((x == 2).sum())


def test_a_text_vectorization_vocabulary_encodes_as_the_layer():
    def like_tokenizer(text):
        import tensorflow as tf
        return tf.strings.regex_replace(tf.strings.lower(text), "[" + "".join(
            "\\" + c for c in DEFAULT_FILTERS) + "]", " ")

    layer = keras.layers.TextVectorization(max_tokens=8, output_sequence_length=6,
                                           standardize=like_tokenizer)
    layer.adapt(["good good film film bad", "dull it was a"])
    x, unknown = encode_reviews(REVIEWS, layer.get_vocabulary(), maxlen=6, padding="post",
                                truncating="post")
    np.testing.assert_array_equal(x, np.asarray(layer(REVIEWS)))
    assert unknown[2] == ["zzz", "unknownword"]


@pytest.mark.parametrize("texts, vocabulary, kwargs, error, message", [
    ("good film", Tokenizer(), {}, TypeError, "texts must be a list of str, got 'good film'"),
    ([b"x"], Tokenizer(), {}, TypeError, "texts must be a list of str"),
    (["x"], 3, {}, TypeError, "vocabulary must be a fitted Tokenizer, a word index"),
    (["x"], Tokenizer(), {"maxlen": 0}, ValueError, "maxlen must be an integer >= 1, got 0"),
    (["x"], Tokenizer(), {"padding": "left"}, ValueError, "padding must be 'pre' or 'post'"),
    (["x"], {"x": 1}, {"num_words": 0}, ValueError, "num_words must be an integer >= 1"),
])
def test_bad_arguments_are_named(texts, vocabulary, kwargs, error, message):
    with pytest.raises(error, match=message):
        encode_reviews(texts, vocabulary, **{"maxlen": 5, **kwargs})
