"""textseq._files, paths: the three folders, their variables, clear errors when one is unusable."""

from __future__ import annotations

import os

import pytest

from textseq import _files as paths
from textseq import datasets


@pytest.mark.parametrize("function, variable", [(paths.data_dir, "TEXTSEQ_DATA_DIR"),
                                                (paths.figures_dir, "TEXTSEQ_FIGURES_DIR"),
                                                (paths.results_dir, "TEXTSEQ_RESULTS_DIR")])
def test_variables_files_and_writable_folders(tmp_path, monkeypatch, function, variable):
    monkeypatch.setenv(variable, str(tmp_path / "a" / "b"))
    assert function() == tmp_path / "a" / "b" and not (tmp_path / "a").exists()
    assert function(writable=True).is_dir()  # created on demand
    (tmp_path / "f").write_text("x")
    monkeypatch.setenv(variable, str(tmp_path / "f"))
    with pytest.raises(NotADirectoryError, match=f"{variable}={tmp_path / 'f'}: is a file; "
                                                 f"expected a folder \\(point {variable} at"):
        function()
    monkeypatch.setenv(variable, str(tmp_path / "f" / "below"))
    for writable in (False, True):
        with pytest.raises(NotADirectoryError, match=f"{variable}=.*below: its parent .*f is a "
                                                     "file; expected a folder"):
            function(writable=writable)


def test_the_default_says_which_variable_to_set(monkeypatch, tmp_path):
    monkeypatch.delenv("TEXTSEQ_DATA_DIR", raising=False)
    monkeypatch.setattr(paths, "_base", lambda: tmp_path / "file")
    (tmp_path / "file").write_text("x")
    with pytest.raises(NotADirectoryError, match=r"file/data \(the default; set TEXTSEQ_DATA_DIR "
                                                 r"to change it\): its parent .*file is a file; "
                                                 r"expected a folder \(set TEXTSEQ_DATA_DIR\)"):
        paths.data_dir(writable=True)


def _below_a_file(tmp_path):
    (tmp_path / "f").write_text("x")
    return tmp_path / "f" / "below", f"its parent {tmp_path / 'f'} is a file; expected a folder"


def _dangling_link(tmp_path):
    (tmp_path / "link").symlink_to(tmp_path / "gone")
    return tmp_path / "link", f"is a dangling symbolic link (to {tmp_path / 'gone'}); expected a"


def _read_only(tmp_path, monkeypatch):  # tests run as root, who may write anywhere: fake it
    access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: p != tmp_path and access(p, mode))
    return tmp_path, "the folder is not writable; expected a folder textseq can write to"


@pytest.mark.parametrize("bad", [_below_a_file, _dangling_link, _read_only])
@pytest.mark.parametrize("call", [lambda: datasets.imdb_dir("embedded"), datasets.own_glove_file,
                                  lambda: datasets.imdb_dir("real"),
                                  lambda: datasets.glove_text_sample(10),
                                  lambda: datasets.glove_file(source="real")],
                         ids=["embedded", "own_glove", "real", "text_sample", "glove6b"])
def test_a_bad_data_dir_is_one_error_naming_the_variable(tmp_path, monkeypatch, bad, call):
    """Issue 19: errors named a sub-folder, never TEXTSEQ_DATA_DIR (a dangling link: a bare
    FileExistsError)."""
    from textseq.imdb import fetch

    monkeypatch.setattr(fetch, "retrieve", lambda *a, **k: pytest.fail("downloads"))
    monkeypatch.setattr(datasets, "EMBEDDED_SIZES", {"n_train": 4, "n_test": 2, "n_unsup": 2})
    monkeypatch.setattr(datasets, "OWN_GLOVE", {**datasets.OWN_GLOVE, "dim": 2, "epochs": 1})
    folder, problem = bad(*(tmp_path, monkeypatch)[:bad.__code__.co_argcount])
    monkeypatch.setenv("TEXTSEQ_DATA_DIR", str(folder))
    with pytest.raises(OSError) as caught:
        call()
    assert str(caught.value).startswith(f"TEXTSEQ_DATA_DIR={folder}: {problem}")
    assert "point TEXTSEQ_DATA_DIR at a folder, or unset it to use" in str(caught.value)


@pytest.mark.parametrize("sub, call", [
    ("embedded", lambda: datasets.imdb_dir("embedded")), ("embedded", datasets.own_glove_file),
    ("glove", lambda: datasets.glove_text_sample(10)),
    ("glove/extracted", lambda: datasets.glove_text_file(datasets.GloveFile(
        write_zip(os.environ["TEXTSEQ_DATA_DIR"] + "/../v.zip"), "v.txt")))])
def test_a_file_where_a_data_sub_folder_belongs_is_named(tmp_path, monkeypatch, sub, call):
    """Issue 19 re-run: a raw FileExistsError ('[Errno 17] File exists')."""
    monkeypatch.setenv("TEXTSEQ_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr(datasets, "EMBEDDED_SIZES", {"n_train": 4, "n_test": 2, "n_unsup": 2})
    (tmp_path / "data" / sub).parent.mkdir(parents=True)
    (tmp_path / "data" / sub).write_text("a file")
    with pytest.raises(NotADirectoryError) as caught:
        call()
    assert str(caught.value) == (
        f"{tmp_path / 'data' / sub}: is a file; expected a folder of textseq's data (move or "
        "remove the file, or point TEXTSEQ_DATA_DIR at another folder)")


def write_zip(path, members=(("v.txt", "a 1\n"),)):
    import zipfile

    with zipfile.ZipFile(path, "w") as archive:
        for name, text in members:
            archive.writestr(name, text)
    return path
