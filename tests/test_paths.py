"""textseq._files, paths: the three folders, their variables, clear errors when one is unusable."""

from __future__ import annotations

import pytest

from textseq import _files as paths


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
    with pytest.raises(NotADirectoryError, match=f"{variable}=.*below: cannot create the folder "
                                              r"\(.*\); expected a writable folder"):
        function(writable=True)


def test_the_default_says_which_variable_to_set(monkeypatch, tmp_path):
    monkeypatch.delenv("TEXTSEQ_DATA_DIR", raising=False)
    monkeypatch.setattr(paths, "_base", lambda: tmp_path / "file")
    (tmp_path / "file").write_text("x")
    with pytest.raises(NotADirectoryError, match=r"file/data \(the default; set TEXTSEQ_DATA_DIR "
                                                 r"to change it\): cannot create the folder "
                                                 r"\(Not a directory\); expected a writable "
                                                 r"folder \(set TEXTSEQ_DATA_DIR\)"):
        paths.data_dir(writable=True)
