"""The results table: records from notebooks, the book's figures beside ours."""

import pytest

from textseq.results import BOOK, find_record, load_records, record, results_table, write_table


@pytest.fixture(autouse=True)
def results_in_tmp(tmp_path, monkeypatch):
    monkeypatch.setenv("TEXTSEQ_RESULTS_DIR", str(tmp_path))


def test_record_and_table(tmp_path):
    rec = record("6-27 LSTM", {"val_acc": [0.7, 0.9, 0.85]}, data="embedded", notes="n=4000")
    assert rec == {"model": "6-27 LSTM", "data": "embedded", "best": 0.9, "last": 0.85,
                   "epochs": 3, "notes": "n=4000"}
    record("6-23 SimpleRNN", {"val_acc": [0.6, 0.7]}, data="embedded")
    records = load_records()
    assert [r["model"] for r in records] == ["6-23 SimpleRNN", "6-27 LSTM"]
    table = results_table(records)
    assert "| 6-27 LSTM | 0.893 / 0.876 (-) | embedded | 0.900 / 0.850 | - | 3 | n=4000 |" in table
    assert "| 6-7 Embedding + Flatten (maxlen 20) | 0.759 / 0.755 (-) | - | not run |" in table
    assert len(table.strip().splitlines()) == 2 + len(BOOK)
    assert find_record("6-27 LSTM", "embedded")["best"] == 0.9
    assert find_record("6-27 LSTM", "real") is None
    out = write_table()
    assert out == tmp_path / "results.md"
    assert "0.900 / 0.850" in out.read_text()


def test_record_errors():
    with pytest.raises(ValueError, match="model must be one of"):
        record("LSTM", {"val_acc": [0.5]}, data="embedded")
    with pytest.raises(ValueError, match=r"no val_acc values; keys found: \['acc', 'loss'\]"):
        record("6-27 LSTM", {"acc": [0.5], "loss": [1.0]}, data="embedded")


def test_test_accuracy_and_seed_spread_in_the_table():
    rec = record("6-14 GloVe frozen, 200 samples", {"val_acc": [0.55, 0.56]}, data="embedded",
                 test_acc=0.5612, seed_test_accs=[0.5612, 0.549, 0.57])
    assert rec["test"] == 0.561 and rec["test_seeds"] == [0.561, 0.549, 0.57]
    record("6-23 SimpleRNN", {"val_acc": [0.8]}, data="embedded", test_acc=0.79)
    table = results_table(load_records())
    assert ("| 6-14 GloVe frozen, 200 samples | 0.572 / 0.541 (0.537) | embedded | "
            "0.560 / 0.560 | 0.561 (3: 0.549-0.570) | 2 |") in table
    assert "| 6-23 SimpleRNN | 0.846 / 0.805 (-) | embedded | 0.800 / 0.800 | 0.790 | 1 |" in table


def test_a_failed_record_leaves_nothing_and_records_are_readable_by_others(tmp_path,
                                                                        monkeypatch):
    """Issue 11: results.py's temp-then-rename copy had no clean-up on failure, and tempfile
    made the records mode 0600 (fault 16)."""
    import os
    import stat

    from textseq import results

    def half_then_fail(obj, f, **kwargs):
        f.write('{"model": ')
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr(results.json, "dump", half_then_fail)
        with pytest.raises(OSError, match="No space left on device"):
            record("6-27 LSTM", {"val_acc": [0.5]}, data="embedded")
    assert sorted(p.name for p in tmp_path.iterdir()) == []
    old = os.umask(0o022)
    try:
        record("6-27 LSTM", {"val_acc": [0.5]}, data="embedded")
        table = write_table()
    finally:
        os.umask(old)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["embedded-6_27_LSTM.json", "results.md"]
    for path in tmp_path.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert table.read_text().count("| 6-27 LSTM |") == 1


def test_a_results_dir_that_is_a_file_is_named(tmp_path, monkeypatch):
    (tmp_path / "file").write_text("x")
    monkeypatch.setenv("TEXTSEQ_RESULTS_DIR", str(tmp_path / "file"))
    with pytest.raises(NotADirectoryError, match=r"TEXTSEQ_RESULTS_DIR=.*file: is a file; "
                                                 "expected a folder"):
        record("6-27 LSTM", {"val_acc": [0.5]}, data="embedded")


def test_comparison_records_make_their_own_table_after_the_chapters(tmp_path):
    from textseq.results import comparison_table, load_comparisons, record_comparison

    record("6-27 LSTM", {"val_acc": [0.8, 0.9]}, data="embedded")
    rec = record_comparison("6-27", data="embedded", first_edition="LSTM(32)",
                            keras3="Bidirectional(LSTM(32))", first_edition_accs=[0.8461, 0.908],
                            keras3_accs=[0.896, 0.91], first_edition_seconds=1.44,
                            keras3_seconds=3.06, notes="2,000 reviews")
    assert rec["first_edition_accs"] == [0.846, 0.908] and rec["gap"] == 0.026
    record_comparison("6-12/6-13", data="embedded", first_edition="Flatten", keras3="Constant",
                      first_edition_accs=[0.56], keras3_accs=[0.57])
    # the chapter's records and the comparisons do not mix
    assert [r["model"] for r in load_records()] == ["6-27 LSTM"]
    assert [r["listing"] for r in load_comparisons()] == ["6-12/6-13", "6-27"]
    table = comparison_table(load_comparisons())
    assert ("| 6-27 | embedded | LSTM(32) | 0.877 (0.846-0.908) | 1.4 | Bidirectional(LSTM(32)) "
            "| 0.903 (0.896-0.910) | 3.1 | +0.026 | 2,000 reviews |") in table
    assert "| 6-12/6-13 | embedded | Flatten | 0.560 (0.560-0.560) | - |" in table
    text = write_table().read_text()
    chapter, keras3 = text.index("| 6-27 LSTM |"), text.index("## First edition against Keras 3")
    assert chapter < keras3 < text.index("| 6-27 | embedded |")


def test_without_comparisons_the_table_has_no_keras3_section():
    record("6-27 LSTM", {"val_acc": [0.8]}, data="embedded")
    assert "Keras 3" not in write_table().read_text()


@pytest.mark.parametrize("first, keras3, message", [
    ([0.5, 0.6], [0.5], "one accuracy per seed for both models"),
    ([], [], "one accuracy per seed"),
    ([0.5], [1.5], "between 0 and 1"),
    ([0.5], ["high"], "between 0 and 1"),
])
def test_comparison_errors(first, keras3, message):
    from textseq.results import load_comparisons, record_comparison

    with pytest.raises(ValueError, match=message):
        record_comparison("6-27", data="embedded", first_edition="a", keras3="b",
                          first_edition_accs=first, keras3_accs=keras3)
    assert load_comparisons() == []
