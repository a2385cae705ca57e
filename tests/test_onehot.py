"""One-hot encodings of listings 6-1, 6-2 and 6-4, against the book's own loops."""

from __future__ import annotations

import hashlib
import json
import os
import string
import subprocess
import sys
from collections import Counter

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from textseq.text import (
    HashCollisions,
    hash_collisions,
    one_hot_chars,
    one_hot_hashing,
    one_hot_words,
    stable_hash,
)

SAMPLES = ["The cat sat on the mat.", "The dog ate my homework."]
SAMPLE_TEXTS = st.lists(st.text(st.sampled_from("ab c\té.!\nZ"), max_size=30), max_size=6)
LENGTHS = st.integers(1, 12)


def book_listing_6_1(samples, max_length):
    """Listing 6-1 as printed in the book."""
    token_index = {}
    for sample in samples:
        for word in sample.split():
            if word not in token_index:
                token_index[word] = len(token_index) + 1
    results = np.zeros(shape=(len(samples), max_length, max(token_index.values()) + 1))
    for i, sample in enumerate(samples):
        for j, word in list(enumerate(sample.split()))[:max_length]:
            index = token_index.get(word)
            results[i, j, index] = 1.
    return results, token_index


def book_listing_6_2_fixed(samples, max_length, characters):
    """Listing 6-2 with its index built character -> index, as the text intends."""
    token_index = dict(zip(characters, range(1, len(characters) + 1), strict=True))
    results = np.zeros((len(samples), max_length, max(token_index.values()) + 1))
    for i, sample in enumerate(samples):
        for j, character in enumerate(sample[:max_length]):
            index = token_index.get(character)
            if index is not None:
                results[i, j, index] = 1.
    return results, token_index


@settings(max_examples=60, deadline=None)
@given(SAMPLE_TEXTS, LENGTHS)
def test_one_hot_words_is_listing_6_1(samples, max_length):
    results, index = one_hot_words(samples, max_length=max_length)
    if not any(sample.split() for sample in samples):  # the book's max() fails: no words
        assert index == {} and results.shape == (len(samples), max_length, 1)
        return
    expected, expected_index = book_listing_6_1(samples, max_length)
    assert index == expected_index and list(index) == list(expected_index)
    np.testing.assert_array_equal(results, expected)


def test_one_hot_words_on_the_book_samples():
    results, index = one_hot_words(SAMPLES, max_length=10)
    assert results.shape == (2, 10, 11)
    assert index["The"] == 1 and index["the"] == 5 and index["homework."] == 10
    assert results.sum() == 11  # one 1 per word, 6 + 5 words


@settings(max_examples=60, deadline=None)
@given(SAMPLE_TEXTS, LENGTHS, st.sampled_from([string.printable, "abc", "é.Z"]))
def test_one_hot_chars_is_listing_6_2_with_the_index_fixed(samples, max_length, characters):
    results, index = one_hot_chars(samples, max_length=max_length, characters=characters)
    expected, expected_index = book_listing_6_2_fixed(samples, max_length, characters)
    assert index == expected_index
    np.testing.assert_array_equal(results, expected)
    known = [sum(c in index for c in s[:max_length]) for s in samples]
    np.testing.assert_array_equal(results.sum(axis=(1, 2)), known)


def test_the_book_listing_6_2_maps_index_to_character():
    book_index = dict(zip(range(1, len(string.printable) + 1), string.printable, strict=True))
    assert book_index.get("T") is None  # so the book's results[i, j, None] = 1. fills a row
    results, index = one_hot_chars(SAMPLES, max_length=50)
    assert results.shape == (2, 50, 101)
    assert index["T"] == string.printable.index("T") + 1
    assert results[0].sum() == len(SAMPLES[0])


@pytest.mark.parametrize("call, error, message", [
    (lambda: one_hot_words(["a", 3]), TypeError, r"samples\[1\] must be a str, got int"),
    (lambda: one_hot_chars(["a"], characters="abca"), ValueError, r"repeated: \['a'\]"),
    (lambda: one_hot_chars(["a"], characters=""), ValueError, "non-empty"),
    (lambda: stable_hash(b"a", 10), TypeError, "word must be a str, got bytes"),
    (lambda: hash_collisions(["a", None], 10), TypeError, r"words\[1\] must be a str"),
])
def test_argument_errors(call, error, message):
    with pytest.raises(error, match=message):
        call()


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=20), st.integers(1, 10**9))
def test_stable_hash_is_blake2b_of_utf8_modulo_dimensionality(word, dimensionality):
    digest = hashlib.blake2b(word.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    assert stable_hash(word, dimensionality) == int.from_bytes(digest, "little") % dimensionality
    assert 0 <= stable_hash(word, dimensionality) < dimensionality


CHILD = """
import json, sys
from textseq.text import stable_hash
words = json.loads(sys.argv[1])
print(json.dumps({"stable": [stable_hash(w, 1000) for w in words],
                  "builtin": [abs(hash(w)) % 1000 for w in words]}))
"""


def buckets_in_a_new_process(words, seed):
    env = {**os.environ, "PYTHONHASHSEED": str(seed)}
    out = subprocess.run([sys.executable, "-c", CHILD, json.dumps(words)], env=env,
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_stable_hash_is_the_same_in_processes_with_other_hash_seeds():
    words = "the cat sat on the mat the dog ate my homework café naïve".split()
    first, second = buckets_in_a_new_process(words, 1), buckets_in_a_new_process(words, 2)
    assert first["stable"] == second["stable"] == [stable_hash(w, 1000) for w in words]
    assert first["builtin"] != second["builtin"]  # the book's hash() changes with the seed


@settings(max_examples=40, deadline=None)
@given(SAMPLE_TEXTS, st.integers(1, 50), LENGTHS)
def test_one_hot_hashing_is_listing_6_4_with_the_stable_hash(samples, dimensionality, max_length):
    results = one_hot_hashing(samples, dimensionality=dimensionality, max_length=max_length)
    expected = np.zeros((len(samples), max_length, dimensionality))
    for i, sample in enumerate(samples):  # listing 6-4, hash() replaced
        for j, word in list(enumerate(sample.split()))[:max_length]:
            expected[i, j, stable_hash(word, dimensionality)] = 1.
    np.testing.assert_array_equal(results, expected)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(max_size=6), max_size=40), st.integers(1, 30))
def test_hash_collisions_counts_shared_buckets(words, dimensionality):
    report = hash_collisions(iter(words), dimensionality)
    buckets = Counter(stable_hash(w, dimensionality) for w in set(words))
    assert report == HashCollisions(dimensionality, len(set(words)), len(buckets),
                                    sum(n for n in buckets.values() if n > 1))
    assert report.colliding_tokens <= report.distinct_tokens
    assert report.buckets_used <= min(dimensionality, report.distinct_tokens)


def test_hash_collisions_report_reads_well():
    report = hash_collisions(["the", "cat", "the", "sat"], 1)
    assert report == HashCollisions(1, 3, 1, 3) and report.collision_rate == 1.0
    assert str(report) == "3 tokens in 1 of 1 buckets; 3 share a bucket (100.0%)"
    assert repr(report) == ("HashCollisions(dimensionality=1, distinct_tokens=3, buckets_used=1, "
                            "colliding_tokens=3)")
    assert hash_collisions([], 10).collision_rate == 0.0
    with pytest.raises(AttributeError):
        report.buckets_used = 2  # frozen


def test_numpy_integers_are_accepted_everywhere():
    assert stable_hash("cat", np.int64(1000)) == stable_hash("cat", 1000)
    assert one_hot_hashing(["a b"], np.int32(8), np.int64(3)).shape == (1, 3, 8)
    assert one_hot_words(["a b"], max_length=np.uint8(2))[0].shape == (1, 2, 3)
    assert hash_collisions(["a"], np.int16(4)).dimensionality == 4
