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
