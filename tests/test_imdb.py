"""Tests for textseq.imdb: tokenizer, word index, load_data (checked against Keras's own)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import random_reviews, write_tree

from textseq import imdb
from textseq.imdb import get_word_index, keras_like, load_data, read_split
from textseq.text import tokenize_review


@pytest.fixture
def salad(tmp_path):
    """40 reviews per labelled folder (+ 15 unsup) of deterministic word salad."""
    return write_tree(tmp_path / "aclImdb", random_reviews(40, seed=1, unsup=15))


# --- tokenizer and word index -----------------------------------------------------------------

@pytest.mark.parametrize("text, tokens", [
    ("Don't miss it!<br /><br />10/10", ["don't", "miss", "it", "10", "10"]),
    ("A<br/>B<BR>c", ["a", "b", "c"]),
    ("'quoted' rock'n'roll ''", ["quoted", "rock'n'roll"]),
    ("snake_case and-dash", ["snake", "case", "and", "dash"]),
    ("Café ÉLAN naïve", ["café", "élan", "naïve"]),
    ("", []),
])
def test_tokenize_review(text, tokens):
    assert tokenize_review(text) == tokens


def test_word_index_ranks_and_ties(tmp_path):
    tree = write_tree(tmp_path / "aclImdb", {
        ("train", "neg"): [(0, 1, "b b a")],
        ("train", "pos"): [(0, 9, "c a B")],
        ("train", "unsup"): [(0, 0, "zzz zzz zzz zzz")],  # never counted
        ("test", "neg"): [(0, 2, "d<br />A")],
        ("test", "pos"): [(0, 8, "e")],
    })
    # a: 3, b: 3 (tie -> code-point order), c, d, e: 1 each (tie -> code-point order)
    assert get_word_index(tree) == {"a": 1, "b": 2, "c": 3, "d": 4, "e": 5}


def test_word_index_matches_counts(salad):
    index = get_word_index(salad)
    counts = {}
    for split in ("train", "test"):
        for text in read_split(salad, split).texts:
            for w in tokenize_review(text):
                counts[w] = counts.get(w, 0) + 1
    assert sorted(index.values()) == list(range(1, len(counts) + 1))
    ranked = sorted(index, key=index.get)
    assert [counts[w] for w in ranked] == sorted(counts.values(), reverse=True)


# --- load_data against keras.datasets.imdb.load_data ------------------------------------------

@pytest.fixture
def keras_on(tmp_path, monkeypatch):
    """Run Keras's own load_data on an imdb.npz holding our unshuffled rank sequences."""
    import keras.src.datasets.imdb as keras_imdb

    def run(tree, **kwargs):
        arrays = keras_like._encoded(tree)
        npz = {}
        for split in ("train", "test"):
            seqs = np.split(arrays[f"{split}_flat"].astype(np.int64),
                            np.cumsum(arrays[f"{split}_lengths"])[:-1])
            x = np.empty(len(seqs), dtype=object)
            for i, s in enumerate(seqs):
                x[i] = s.tolist()
            npz[f"x_{split}"], npz[f"y_{split}"] = x, arrays[f"{split}_labels"].astype(np.int64)
        path = tmp_path / "imdb.npz"
        np.savez(path, **npz)
        monkeypatch.setattr(keras_imdb, "get_file", lambda *a, **k: str(path))
        return keras_imdb.load_data(**kwargs)

    return run


@pytest.mark.parametrize("kwargs", [
    {},
    {"num_words": 20},
    {"num_words": 25, "skip_top": 5, "seed": 7},
    {"maxlen": 20},
    {"num_words": 15, "maxlen": 30, "oov_char": None},
    {"start_char": None, "index_from": 0, "skip_top": 2},
    {"start_char": None, "oov_char": None, "num_words": 10},
    {"start_char": 5, "oov_char": 7, "index_from": 10, "skip_top": 1, "num_words": 40},
])
def test_load_data_matches_keras(salad, keras_on, kwargs):
    (kx_train, ky_train), (kx_test, ky_test) = keras_on(salad, **kwargs)
    (x_train, y_train), (x_test, y_test) = load_data(salad, **kwargs)
    for ours, theirs in ((x_train, kx_train), (x_test, kx_test)):
        assert ours.dtype == object and ours.ndim == 1
        assert [list(s) for s in ours] == [list(s) for s in theirs]
        assert all(type(w) is int for s in ours for w in s)
    for ours, theirs in ((y_train, ky_train), (y_test, ky_test)):
        assert ours.dtype == np.int64
        np.testing.assert_array_equal(ours, np.asarray(theirs))


def test_load_data_decodes_to_the_reviews(salad):
    """Independent of Keras: with every word kept, each sequence decodes to its review."""
    (x_train, y_train), (x_test, y_test) = load_data(salad, num_words=10**6)
    reverse = {i + 3: w for w, i in get_word_index(salad).items()}
    for x, y, split in ((x_train, y_train, "train"), (x_test, y_test, "test")):
        reviews = read_split(salad, split)
        assert all(s[0] == 1 for s in x)
        decoded = sorted((int(label), " ".join(reverse[i] for i in s[1:]))
                         for s, label in zip(x, y, strict=True))
        wanted = sorted((int(label), " ".join(tokenize_review(t)))
                        for t, label in zip(reviews.texts, reviews.labels, strict=True))
        assert decoded == wanted
        assert sorted(y.tolist()) == sorted(reviews.labels.tolist())
        assert y.tolist() != reviews.labels.tolist()  # shuffled


def test_load_data_review_without_words(tmp_path):
    tree = write_tree(tmp_path / "aclImdb", {
        ("train", "neg"): [(0, 1, "!!! ..."), (1, 2, "bad bad film")],
        ("train", "pos"): [(0, 9, "good film")],
        ("test", "neg"): [(0, 1, "bad")],
        ("test", "pos"): [(0, 9, "good good good")],
    })
    # ranks: good 1, bad 2, film 3; shifted by index_from=3 -> 4, 5, 6
    (x_train, y_train), (x_test, y_test) = load_data(tree, num_words=100)
    assert sorted(map(list, x_train)) == [[1], [1, 4, 6], [1, 5, 5, 6]]
    assert sorted(map(list, x_test)) == [[1, 4, 4, 4], [1, 5]]
    (x_train, _), _ = load_data(tree, start_char=None, oov_char=None, num_words=6)
    assert sorted(map(list, x_train)) == [[], [4], [5, 5]]  # film (6) dropped


def test_load_data_num_words_bound_and_seed(salad):
    (x_train, _), (x_test, _) = load_data(salad, num_words=10)
    assert max(max(s) for s in list(x_train) + list(x_test)) <= 9
    a = load_data(salad, seed=1)[0][1]
    b = load_data(salad, seed=2)[0][1]
    assert a.tolist() != b.tolist()
    assert a.tolist() == load_data(salad, seed=1)[0][1].tolist()


def test_load_data_maxlen_that_keeps_nothing(salad):
    with pytest.raises(ValueError, match="maxlen=2, no train sequence was kept"):
        load_data(salad, maxlen=2)


def test_load_data_accepts_numpy_integers(salad):
    """np.int64 used to pass for num_words but fail for start_char."""
    ours = load_data(salad, num_words=np.int64(20), seed=np.uint32(2**32 - 1),
                     start_char=np.int64(1), oov_char=np.int32(2), index_from=np.int8(3))
    plain = load_data(salad, num_words=20, seed=2**32 - 1)
    for a, b in zip(ours, plain, strict=True):
        assert [list(x) for x in a[0]] == [list(x) for x in b[0]]


def test_the_advice_for_a_non_utf8_review_works(salad):
    """Issue 11, fault 11: the error advised errors='replace', which load_data did not accept."""
    bad = next((salad / "train" / "pos").iterdir())
    bad.write_bytes(b"w0 caf\xe9 w1")  # Latin-1
    with pytest.raises(imdb.DataError, match="pass errors='replace'") as info:
        load_data(salad)
    assert str(info.value).startswith(f"{bad}: expected UTF-8 text, found byte 0xe9")
    (x_train, _), _ = load_data(salad, errors="replace", start_char=None, num_words=10**6)
    index = get_word_index(salad, errors="replace")
    assert "caf" in index  # U+FFFD separates words
    encoded = [index["w0"] + 3, index["caf"] + 3, index["w1"] + 3]
    assert encoded in [list(x) for x in x_train]
    with pytest.raises(imdb.DataError, match="pass errors='replace'"):
        get_word_index(salad)  # the strict cache is a different one


@pytest.mark.parametrize("read", [load_data, get_word_index])
def test_path_is_required_and_never_resolved_here(read):
    """Issue 11: imdb took path=None to mean textseq.datasets.imdb_dir(), a lazy import that
    closed the cycle corpus -> imdb -> datasets -> corpus. The caller passes the folder."""
    with pytest.raises(TypeError, match="path"):
        read()
    with pytest.raises(TypeError, match=r"path must be an aclImdb folder or aclImdb_v1\.tar\.gz "
                                        r"\(str or os\.PathLike\), got None \(NoneType\); "
                                        r"textseq\.datasets\.imdb_dir\(\) is the folder"):
        read(None)


def test_tarball_source_same_as_folder(salad, tmp_path):
    from conftest import make_tarball

    tarball = make_tarball(salad, tmp_path / "aclImdb_v1.tar.gz")
    assert get_word_index(tarball) == get_word_index(salad)
    a, b = load_data(tarball, num_words=30), load_data(salad, num_words=30)
    assert [list(s) for s in a[1][0]] == [list(s) for s in b[1][0]]


# --- the encoding cache -----------------------------------------------------------------------

def _caches(tree):
    return sorted(p.name for p in tree.parent.glob(".aclImdb.imdb-*.npz"))


def test_cache_written_reused_and_invisible(salad):
    first = load_data(salad, num_words=30)
    assert len(_caches(salad)) == 1
    assert not list(salad.parent.glob("*.tmp"))
    cache = salad.parent / _caches(salad)[0]
    stamp = cache.stat().st_mtime_ns
    second = load_data(salad, num_words=30)
    assert cache.stat().st_mtime_ns == stamp  # read, not rewritten
    cache.unlink()
    third = load_data(salad, num_words=30)
    for a, b, c in zip(first, second, third, strict=True):
        assert [list(s) for s in a[0]] == [list(s) for s in b[0]] == [list(s) for s in c[0]]
        assert a[1].tolist() == b[1].tolist() == c[1].tolist()


def test_cache_invalidated_when_a_review_changes(salad):
    before = get_word_index(salad)
    old = _caches(salad)
    review = next((salad / "test" / "pos").iterdir())
    review.write_text(review.read_text() + " brandnewword")
    after = get_word_index(salad)
    assert "brandnewword" in after and "brandnewword" not in before
    assert _caches(salad) != old and len(_caches(salad)) == 1  # the stale cache is gone
    (salad / "train" / "neg" / "999_1.txt").write_text("anotherword")
    assert "anotherword" in get_word_index(salad)


def _rewritten(**changes):
    """Damage: the cache rewritten with some arrays changed (``None``: left out)."""
    def damage(cache):
        with np.load(cache) as npz:
            arrays = {k: npz[k] for k in npz.files}
        arrays.update({k: change(arrays[k]) for k, change in changes.items()})
        np.savez(cache, **{k: v for k, v in arrays.items() if v is not None})
    return damage


@pytest.mark.parametrize("damage", [
    lambda c: c.write_bytes(b"not an npz"),
    _rewritten(train_lengths=lambda a: None),  # issue 19: was KeyError
    # issue 19 re-run: arrays that disagree gave IndexError, or labels other than 0/1
    _rewritten(train_labels=lambda a: a[:5]),
    _rewritten(train_lengths=lambda a: a * 2),
    _rewritten(test_lengths=lambda a: np.concatenate([[-1, a[0] + a[1] + 1], a[2:]])),  # same sum
    _rewritten(train_labels=lambda a: np.arange(len(a)) % 6),
])
def test_corrupt_cache_is_rebuilt(salad, damage):
    want, data = get_word_index(salad), load_data(salad)
    cache = salad.parent / _caches(salad)[0]
    damage(cache)
    again = load_data(salad)
    assert again[0][1].tolist() == data[0][1].tolist()
    assert [list(x) for x in again[1][0]] == [list(x) for x in data[1][0]]
    assert get_word_index(salad) == want
    with np.load(cache) as npz:  # rewritten whole
        assert "train_lengths" in npz.files


def test_unwritable_parent_still_works_and_says_so(salad, monkeypatch):
    real_open = os.open

    def refuse(path, *args, **kwargs):
        if ".imdb-" in str(path):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
    with pytest.warns(RuntimeWarning, match=r"cannot write the encoding cache .*Permission "
                                            "denied.*; the tree is encoded again on every call"):
        assert get_word_index(salad)["w0"] == 1
    assert _caches(salad) == []


def test_the_cache_is_readable_by_others_and_dead_writers_leftovers_go(salad):
    """Issue 11, faults 4 and 16: the cache was written 0600 by tempfile.mkstemp."""
    dead = subprocess.run([sys.executable, "-c", "from textseq._files import temp_path; "
                           f"print(temp_path({str(salad.parent / '.aclImdb.imdb-x.npz')!r}))"],
                          capture_output=True, text=True, check=True).stdout.strip()
    Path(dead).write_bytes(b"half a cache")  # what a killed writer leaves
    old = os.umask(0o022)
    try:
        get_word_index(salad)
    finally:
        os.umask(old)
    cache = salad.parent / _caches(salad)[0]
    assert stat.S_IMODE(cache.stat().st_mode) == 0o644
    assert not Path(dead).exists()
    assert sorted(p.name for p in salad.parent.iterdir()) == [cache.name, "aclImdb"]
