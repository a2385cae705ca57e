"""textseq.text.Tokenizer against the legacy Keras 2 Tokenizer (tf_keras, a test-only oracle).

Property tests draw texts from a small alphabet of words with punctuation, capitals, unicode,
``<br />``, tokens longer than 16 bytes, NUL and repeated words (so ties in frequency occur), and
random settings; every public output must equal the oracle's. The ``batches`` setting also runs
each case with tiny batch sizes, so that the numpy fast paths of ``textseq._fast`` (used
for large inputs) are exercised on small examples.
"""

from __future__ import annotations

import contextlib
import json
import random
from collections.abc import Iterator

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tf_keras.preprocessing.text import Tokenizer as LegacyTokenizer
from tf_keras.preprocessing.text import text_to_word_sequence as legacy_text_to_word_sequence
from tf_keras.preprocessing.text import tokenizer_from_json as legacy_tokenizer_from_json

from textseq.text import _fast
from textseq.text.tokenizer import (
    DEFAULT_FILTERS,
    MODES,
    Tokenizer,
    text_to_word_sequence,
    tokenizer_from_json,
)

SETTINGS = settings(max_examples=80, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
WORDS = [
    "the", "the", "The", "THE", "cat", "cat", "sat", "on", "mat.", "dog!", "a", "b", "it's",
    "don't", "<br />", "<br /><br />", "café", "Café", "naïve", "ÉCOLE", "straße", "İstanbul",
    "ΣΊΣΥΦΟΣ", "日本語", "😀", "x-y", "end.", "?!", "\t", "\n", "  ", "\xa0", "\r",
    "supercalifragilistic", "Pneumonoultramicroscopic,", "ünïcödé-wörds-are-löng", "a\x00b",
    "\u212a", "\ud800", "ﬁ", "K",
]
TEXT = st.one_of(st.just(""), st.lists(st.sampled_from(WORDS), max_size=12).map(" ".join),
                 st.text(st.sampled_from("abAB .,!<>/'\t\n\r\x0b\xa0éÉßİ\x00"), max_size=30))
TOKEN_LIST = st.lists(st.sampled_from([w for w in WORDS if w.strip()] + [""]), max_size=8)
TEXTS = st.lists(st.one_of(TEXT, TEXT, TEXT, TOKEN_LIST), max_size=10)
OPTIONS = st.fixed_dictionaries({
    "num_words": st.one_of(st.none(), st.integers(1, 14)),
    "oov_token": st.sampled_from([None, "<OOV>", "the", "cat", "zzz"]),
    "char_level": st.booleans(),
    "lower": st.booleans(),
    "filters": st.sampled_from([DEFAULT_FILTERS, DEFAULT_FILTERS, "", ".!", DEFAULT_FILTERS + "é"]),
    "split": st.sampled_from([" ", " ", " ", "a", "é", "ab", "A", "\x00"]),
})
BATCHES = st.sampled_from(["default", "tiny"])


@contextlib.contextmanager
def batches(kind: str) -> Iterator[None]:
    """Run with the module's batch sizes, or tiny ones that force the numpy fast paths."""
    saved = _fast._BATCH, _fast._BULK
    if kind == "tiny":
        _fast._BATCH, _fast._BULK = 3, 2
    try:
        yield
    finally:
        _fast._BATCH, _fast._BULK = saved


def pair(**options) -> tuple[Tokenizer, LegacyTokenizer]:
    return Tokenizer(**options), LegacyTokenizer(**options)


def outcome(fn):
    """``("ok", result)`` or ``("error", exception type)``: the oracle may reject an input too."""
    try:
        return "ok", fn()
    except Exception as e:  # any type: it is compared with the oracle's
        return "error", type(e)


def assert_same_outcome(got, expected) -> None:
    """Both succeed with equal arrays (and dtypes), or both fail with the same exception type."""
    assert got[0] == expected[0], (got, expected)
    if got[0] == "error":
        assert got[1] is expected[1], f"we raise {got[1].__name__}, the oracle {expected[1]}"
    else:
        np.testing.assert_array_equal(got[1], expected[1])
        assert got[1].dtype == expected[1].dtype


def assert_same_vocabulary(ours: Tokenizer, legacy: LegacyTokenizer) -> None:
    assert list(ours.word_counts.items()) == list(legacy.word_counts.items())  # order too
    assert ours.word_docs == dict(legacy.word_docs)  # the legacy order depends on hash seeds
    assert ours.index_docs == dict(legacy.index_docs)
    assert list(ours.word_index.items()) == list(legacy.word_index.items())
    assert list(ours.index_word.items()) == list(legacy.index_word.items())
    assert ours.document_count == legacy.document_count


def assert_same_outputs(ours, legacy, texts, sequences) -> None:
    assert ours.texts_to_sequences(texts) == legacy.texts_to_sequences(texts)
    assert list(ours.texts_to_sequences_generator(iter(texts))) == legacy.texts_to_sequences(texts)
    assert ours.sequences_to_texts(sequences) == legacy.sequences_to_texts(sequences)
    for mode in MODES:
        assert_same_outcome(outcome(lambda m=mode: ours.texts_to_matrix(texts, mode=m)),
                            outcome(lambda m=mode: legacy.texts_to_matrix(texts, mode=m)))
        assert_same_outcome(outcome(lambda m=mode: ours.sequences_to_matrix(sequences, mode=m)),
                            outcome(lambda m=mode: legacy.sequences_to_matrix(sequences, mode=m)))


@SETTINGS
@given(TEXTS, TEXTS, OPTIONS, BATCHES, st.lists(st.lists(st.integers(0, 20), max_size=8),
                                               max_size=5))
def test_fit_and_convert_match_legacy(fitted, other, options, kind, sequences):
    ours, legacy = pair(**options)
    with batches(kind):
        ours.fit_on_texts(fitted)
        legacy.fit_on_texts(fitted)
        assert_same_vocabulary(ours, legacy)
        assert_same_outputs(ours, legacy, fitted + other, sequences)


@SETTINGS
@given(TEXTS, TEXTS, OPTIONS, BATCHES)
def test_fitting_twice_matches_legacy(first, second, options, kind):
    ours, legacy = pair(**options)
    with batches(kind):
        for texts in (first, second):
            ours.fit_on_texts(iter(texts))  # a generator, as Keras 2 allowed
            legacy.fit_on_texts(texts)
        assert_same_vocabulary(ours, legacy)
        assert ours.texts_to_sequences(second) == legacy.texts_to_sequences(second)


@SETTINGS
@given(TEXTS, st.lists(st.lists(st.integers(0, 15), max_size=8), max_size=6), OPTIONS)
def test_fit_on_sequences_and_tfidf_match_legacy(texts, sequences, options):
    ours, legacy = pair(**options)
    for tokenizer in (ours, legacy):
        tokenizer.fit_on_texts(texts)
        tokenizer.fit_on_sequences(sequences)
    assert ours.index_docs == dict(legacy.index_docs)
    assert ours.document_count == legacy.document_count
    for mode in MODES:
        assert_same_outcome(outcome(lambda m=mode: ours.sequences_to_matrix(sequences, mode=m)),
                            outcome(lambda m=mode: legacy.sequences_to_matrix(sequences, mode=m)))


@SETTINGS
@given(TEXTS, TEXTS, OPTIONS)
def test_json_round_trip_matches_legacy(fitted, other, options):
    ours, legacy = pair(**options)
    ours.fit_on_texts(fitted)
    legacy.fit_on_texts(fitted)
    ours_json, legacy_json = json.loads(ours.to_json()), json.loads(legacy.to_json())
    assert ours_json["class_name"] == legacy_json["class_name"] == "Tokenizer"
    ours_config, legacy_config = ours_json["config"], legacy_json["config"]
    assert ours_config.keys() == legacy_config.keys()
    for key, value in ours_config.items():
        if key in ("word_docs", "index_docs"):  # same dicts; the legacy order is hash-based
            assert json.loads(value) == json.loads(legacy_config[key])
        else:
            assert value == legacy_config[key], key
    loaded = [tokenizer_from_json(ours.to_json()), tokenizer_from_json(legacy.to_json())]
    legacy_loaded = legacy_tokenizer_from_json(legacy.to_json())
    texts = fitted + other
    for tokenizer in loaded:
        assert_same_vocabulary(tokenizer, legacy_loaded)
        assert tokenizer.texts_to_sequences(texts) == legacy_loaded.texts_to_sequences(texts)
        for mode in MODES:
            assert_same_outcome(outcome(lambda t=tokenizer, m=mode: t.texts_to_matrix(texts, m)),
                                outcome(lambda m=mode: legacy_loaded.texts_to_matrix(texts, m)))


@SETTINGS
@given(TEXTS, TEXTS, OPTIONS)
def test_a_loaded_tokenizer_keeps_fitting_like_one_fitted_on_everything(first, second, options):
    loaded = tokenizer_from_json(Tokenizer(**options).to_json())
    loaded.fit_on_texts(first)
    loaded = tokenizer_from_json(loaded.to_json())
    loaded.fit_on_texts(second)  # the legacy loaded tokenizer fails here (plain dicts)
    legacy = LegacyTokenizer(**options)
    legacy.fit_on_texts(first)
    legacy.fit_on_texts(second)
    assert_same_vocabulary(loaded, legacy)


@SETTINGS
@given(TEXT, st.sampled_from([DEFAULT_FILTERS, "", ".é"]), st.booleans(),
       st.sampled_from([" ", "a", "é", "ab"]))
def test_text_to_word_sequence_matches_legacy(sample, filters, lower, split):
    assert (text_to_word_sequence(sample, filters=filters, lower=lower, split=split)
            == legacy_text_to_word_sequence(sample, filters=filters, lower=lower, split=split))


def review_corpus(n_texts: int, n_words: int, seed: int = 0) -> list[str]:
    """Word salad with > 1,000 distinct words, long and non-ASCII words, ties and NUL."""
    rnd = random.Random(seed)
    words = ["".join(rnd.choices("abcdefghij", k=rnd.randint(1, 22))) for _ in range(n_words)]
    words += ["café", "Ünïcode-wörd-longer-than-16", "naïve", "<br />", "THE", "x\x00y"]
    texts = []
    for i in range(n_texts):
        sample = " ".join(rnd.choices(words, k=rnd.randint(0, 60)))
        texts.append(sample + rnd.choice(["", ".", "!", " <br /><br />"]) if i % 17 else "")
    return texts


@pytest.mark.parametrize("options", [{"num_words": 500}, {"num_words": 300, "oov_token": "<OOV>"},
                                     {}, {"lower": False, "num_words": 2000}])
def test_large_corpus_with_default_batches_matches_legacy(options):
    texts = review_corpus(2500, 3000)  # several batches; fast paths and table rebuilds in fit
    ours, legacy = pair(**options)
    ours.fit_on_texts(texts)
    legacy.fit_on_texts(texts)
    assert_same_vocabulary(ours, legacy)
    unseen = review_corpus(300, 3500, seed=1)
    assert ours.texts_to_sequences(unseen) == legacy.texts_to_sequences(unseen)
    for mode in MODES:
        np.testing.assert_array_equal(ours.texts_to_matrix(unseen[:150], mode),
                                      legacy.texts_to_matrix(unseen[:150], mode))


def test_bulk_fitting_and_conversion_use_the_numpy_lookup(monkeypatch):
    calls = []
    find = _fast.ByteLookup.find
    monkeypatch.setattr(_fast.ByteLookup, "find",
                        lambda self, texts: calls.append(len(texts)) or find(self, texts))
    texts = [t.replace("\0", "") for t in review_corpus(2500, 3000)]  # NUL: not packable
    tokenizer = Tokenizer(num_words=500)
    tokenizer.fit_on_texts(texts)
    assert calls == [1000, 500]  # batches 2 and 3, once the first built the vocabulary
    tokenizer.texts_to_sequences(texts[:300])
    assert calls[2:] == [300]


def test_book_listing_6_3():
    samples = ["The cat sat on the mat.", "The dog ate my homework."]
    tokenizer = Tokenizer(num_words=1000)
    tokenizer.fit_on_texts(samples)
    assert len(tokenizer.word_index) == 9  # "Found 9 unique tokens."
    assert tokenizer.texts_to_sequences(samples) == [[1, 2, 3, 4, 1, 5], [1, 6, 7, 8, 9]]
    one_hot = tokenizer.texts_to_matrix(samples, mode="binary")
    assert one_hot.shape == (2, 1000) and one_hot.sum() == 10
    assert "num_words - 1" in Tokenizer.__doc__ and "reserved" in Tokenizer.__doc__


def test_ties_keep_first_appearance_and_num_words_keeps_num_words_minus_one():
    tokenizer = Tokenizer(num_words=3)
    tokenizer.fit_on_texts(["b a", "a b c", "c"])  # all counts 2: order b, a, c
    assert tokenizer.word_index == {"b": 1, "a": 2, "c": 3}
    assert tokenizer.texts_to_sequences(["a b c"]) == [[2, 1]]  # only 3 - 1 words kept
    tokenizer.oov_token = "<OOV>"
    tokenizer.fit_on_texts([])
    assert tokenizer.word_index == {"<OOV>": 1, "b": 2, "a": 3, "c": 4}
    assert tokenizer.texts_to_sequences(["a b c d"]) == [[1, 2, 1, 1]]  # a, c: beyond num_words


@pytest.mark.parametrize("bad, message", [
    (["ok", "fine", "good", 3], r"texts\[3\] must be a str or a list of str, got int"),
    ([b"bytes"], r"texts\[0\] must be a str or a list of str, got bytes"),
    (["ok", ["a", None]], r"texts\[1\]\[1\] must be a str, got NoneType"),
    ([("a", "b")], r"texts\[0\] must be a str or a list of str, got tuple"),
])
def test_non_string_texts_name_their_position(bad, message):
    tokenizer = Tokenizer()
    with pytest.raises(TypeError, match=message):
        tokenizer.fit_on_texts(bad)
    tokenizer.fit_on_texts(["ok fine"])
    with pytest.raises(TypeError, match=message):
        tokenizer.texts_to_sequences(bad)


def test_position_is_counted_across_batches():
    with pytest.raises(TypeError, match=r"texts\[1203\] must be a str"):
        Tokenizer().fit_on_texts(["a b"] * 1203 + [7])


def test_numpy_integers_are_integers():
    tokenizer = Tokenizer(num_words=np.int64(3), document_count=np.int32(2))
    assert type(tokenizer.num_words) is int and tokenizer.num_words == 3
    assert type(tokenizer.document_count) is int and tokenizer.document_count == 2


def test_matrix_errors_say_what_is_allowed():
    tokenizer = Tokenizer()
    with pytest.raises(ValueError, match="pass num_words to Tokenizer or call fit_on_texts first"):
        tokenizer.texts_to_matrix(["a"])
    with pytest.raises(ValueError, match="pass num_words to Tokenizer or call fit_on_texts first"):
        tokenizer.sequences_to_matrix([[1]])
    tokenizer.fit_on_texts(["a b"])
    with pytest.raises(ValueError, match="mode must be one of 'binary', 'count', 'tfidf', "
                                         "'freq', got 'onehot'"):
        tokenizer.texts_to_matrix(["a"], mode="onehot")
    with pytest.raises(ValueError, match="mode 'tfidf' needs document frequencies"):
        Tokenizer(num_words=5).sequences_to_matrix([[1]], mode="tfidf")
    with pytest.raises(ValueError, match=r"sequences\[1\] holds the negative index -2"):
        tokenizer.sequences_to_matrix([[1], [0, -2]])
    with pytest.raises(TypeError, match="sequences must hold integer indices, got dtype float64"):
        tokenizer.sequences_to_matrix([[1.5]])
    with pytest.raises(TypeError, match=r"sequences\[1\] must be a sequence of ints"):
        tokenizer.fit_on_sequences([[1], [2.0]])


def test_other_argument_errors():
    with pytest.raises(ValueError, match="split must be a non-empty string, got ''"):
        Tokenizer(split="")
    with pytest.raises(ValueError, match="oov_token '<OOV>' is not in word_index: call fit_on"):
        Tokenizer(oov_token="<OOV>").texts_to_sequences(["a"])
    with pytest.raises(TypeError, match="text must be a str, got list"):
        text_to_word_sequence(["a"])
    with pytest.raises(ValueError, match="not a Tokenizer JSON"):
        tokenizer_from_json("[1, 2]")


def test_matrices_filled_in_runs_of_rows_equal_the_legacy_ones(monkeypatch):
    # Runs of 7 tokens: rows longer than a run, empty rows, unknown words and indices beyond
    # num_words fall on and across run boundaries.
    monkeypatch.setattr(_fast, "_CHUNK", 7)
    rng = random.Random(3)
    words = [f"w{i}" for i in range(30)]
    texts = [" ".join(rng.choices(words, k=rng.choice([0, 1, 3, 6, 7, 8, 20])))
             for _ in range(60)]
    sequences = [[rng.randrange(0, 40) for _ in range(rng.choice([0, 2, 7, 15]))]
                 for _ in range(40)]
    ours, legacy = Tokenizer(num_words=12), LegacyTokenizer(num_words=12)
    ours.fit_on_texts(texts[:40])
    legacy.fit_on_texts(texts[:40])
    for mode in MODES:
        np.testing.assert_array_equal(ours.texts_to_matrix(texts, mode),
                                      legacy.texts_to_matrix(texts, mode))
        np.testing.assert_array_equal(ours.sequences_to_matrix(sequences, mode),
                                      legacy.sequences_to_matrix(sequences, mode))


@pytest.mark.parametrize("mode", MODES)
def test_matrix_cells_are_written_before_they_are_read(mode):
    # A fresh matrix's pages cost one fault each when first written; reading them first (as
    # np.add.at does) costs two without huge pages. A matrix whose cells are written before
    # they are read gives the same cells whatever it held before.
    indices, lengths = _fast.flatten([[1, 2, 2, 9], [], [3, 3, 3, 1, 0]])
    width, n = 5, 3  # index 9 >= width: ignored
    idf = np.log(1 + 3 / (1 + np.arange(width)))
    clean, dirty = np.zeros((n + 1) * width), np.full((n + 1) * width, np.nan)
    for flat in (clean, dirty):
        _fast._fill(flat, 0, n, indices.copy(), lengths, width, mode, idf)
    written = clean != 0
    assert written.any()
    np.testing.assert_array_equal(dirty[written], clean[written])


def test_two_dimensional_arrays_and_numpy_integers_are_sequences():
    tokenizer = Tokenizer(num_words=6)
    tokenizer.fit_on_texts(["a b c", "a b", "a"])
    padded = np.array([[0, 1, 2], [3, 3, 9]])
    legacy_rows = LegacyTokenizer(num_words=6)
    legacy_rows.fit_on_texts(["a b c", "a b", "a"])
    for mode in MODES:  # the legacy class needs lists of lists (it tests `not seq`)
        np.testing.assert_array_equal(tokenizer.sequences_to_matrix(padded, mode),
                                      legacy_rows.sequences_to_matrix(padded.tolist(), mode))
    tokenizer.fit_on_sequences([np.array([1, 2], dtype=np.int32)])
    assert all(type(k) is int for k in tokenizer.index_docs)  # JSON-serializable keys
    json.loads(tokenizer.to_json())


@pytest.mark.parametrize("kind", ["default", "tiny"])
def test_a_failed_fit_leaves_the_tokenizer_as_it_was(kind):
    """Issue 11, fault 10: a bad text at position 1,500 used to leave document_count at 1,000."""
    tokenizer = Tokenizer(oov_token="<OOV>")
    tokenizer.fit_on_texts(["the cat sat", "the dog"])
    tokenizer.fit_on_sequences([[1, 2]])
    before = tokenizer.get_config()
    bad = [f"word{i % 50} the" for i in range(1500)] + [7]
    with batches(kind), pytest.raises(TypeError, match=r"texts\[1500\] must be a str"):
        tokenizer.fit_on_texts(iter(bad))
    assert tokenizer.get_config() == before
    with pytest.raises(TypeError, match=r"sequences\[2\] must be a sequence of ints"):
        tokenizer.fit_on_sequences([[1], [3, 4], [1.5]])
    assert tokenizer.get_config() == before
    tokenizer.fit_on_texts(bad[:-1])  # and it still fits like a fresh one afterwards
    legacy = LegacyTokenizer(oov_token="<OOV>")
    legacy.fit_on_texts(["the cat sat", "the dog"])
    legacy.fit_on_sequences([[1, 2]])
    legacy.fit_on_texts(bad[:-1])
    assert_same_vocabulary(tokenizer, legacy)
