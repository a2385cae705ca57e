"""The embedded/real switch."""

import pytest

from textseq import datasets


def test_source_from_argument_and_environment(monkeypatch):
    monkeypatch.delenv("TEXTSEQ_DATA", raising=False)
    assert datasets.data_source() == "embedded"
    monkeypatch.setenv("TEXTSEQ_DATA", "real")
    assert datasets.data_source() == "real"
    assert datasets.data_source("embedded") == "embedded"
    monkeypatch.setenv("TEXTSEQ_DATA", "imdb")
    with pytest.raises(ValueError, match="TEXTSEQ_DATA must be one of embedded, real; got 'imdb'"):
        datasets.data_source()
    with pytest.raises(ValueError, match="source must be one of embedded, real; got 'x'"):
        datasets.imdb_dir("x")


def test_embedded_imdb_dir_is_generated_once_under_data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("TEXTSEQ_DATA_DIR", str(tmp_path))
    monkeypatch.setattr(datasets, "EMBEDDED_SIZES", {"n_train": 4, "n_test": 2, "n_unsup": 2})
    root = datasets.imdb_dir("embedded")
    assert root == tmp_path / "embedded" / "aclImdb"
    assert len(list((root / "train" / "unsup").iterdir())) == 2
    mtime = (root / "imdb.vocab").stat().st_mtime_ns
    assert datasets.imdb_dir("embedded") == root
    assert (root / "imdb.vocab").stat().st_mtime_ns == mtime


def test_real_glove_rejects_unknown_dimension():
    with pytest.raises(ValueError, match="dim 50, 100, 200 or 300; got 64"):
        datasets.glove_file(64, "real")


def test_embedded_glove_is_trained_once_and_retrained_for_a_new_corpus(tmp_path, monkeypatch):
    monkeypatch.setenv("TEXTSEQ_DATA_DIR", str(tmp_path))
    monkeypatch.setattr(datasets, "EMBEDDED_SIZES", {"n_train": 40, "n_test": 2, "n_unsup": 20})
    monkeypatch.setattr(datasets, "EMBEDDED_GLOVE", {"window": 5, "min_count": 2,
                                                     "max_vocab": 500, "epochs": 2, "seed": 0})
    calls = []
    real_train = datasets._train_embedded_glove
    monkeypatch.setattr(datasets, "_train_embedded_glove",
                        lambda *a: calls.append(a) or real_train(*a))
    first = datasets.glove_file(8, "embedded")
    assert first.path.name == "glove.embedded.8d.txt" and first.member is None
    first_line = first.path.read_text(encoding="utf-8").splitlines()[0].split(" ")
    assert len(first_line) == 9  # a word and 8 values: the GloVe text format
    datasets.glove_file(8, "embedded")
    assert len(calls) == 1  # reused
    monkeypatch.setattr(datasets, "EMBEDDED_SIZES", {"n_train": 42, "n_test": 2, "n_unsup": 20})
    datasets.glove_file(8, "embedded")
    assert len(calls) == 2  # new corpus, new vectors
