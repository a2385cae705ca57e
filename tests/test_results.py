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


@pytest.mark.parametrize("first, keras3, error, message", [
    ([0.5, 0.6], [0.5], ValueError, "one accuracy per seed for both models"),
    ([], [], ValueError, "one accuracy per seed"),
    ([0.5], [1.5], ValueError, "between 0 and 1"),
    ([0.5], ["high"], TypeError, "between 0 and 1"),  # a wrong type (issue 19, defect 17)
])
def test_comparison_errors(first, keras3, error, message):
    from textseq.results import load_comparisons, record_comparison

    with pytest.raises(error, match=message):
        record_comparison("6-27", data="embedded", first_edition="a", keras3="b",
                          first_edition_accs=first, keras3_accs=keras3)
    assert load_comparisons() == []


def _compare(**changes):
    from textseq.results import record_comparison

    args = dict(data="embedded", first_edition="a", keras3="b", first_edition_accs=[0.5],
                keras3_accs=[0.6])
    return record_comparison(changes.pop("listing", "6-27"), **{**args, **changes})


def _record(**changes):
    args = dict(data="embedded")
    return record(changes.pop("model", "6-27 LSTM"), changes.pop("history", {"val_acc": [0.5]}),
                  **{**args, **changes})


@pytest.mark.parametrize("call, error, message", [
    # defect 4: data names the record's file; only the two data sources
    (lambda: _record(data="../elsewhere"), ValueError,
     "data must be 'embedded' or 'real', got '../elsewhere'"),
    (lambda: _record(data="compare"), ValueError,
     "data must be 'embedded' or 'real', got 'compare'"),
    (lambda: _record(data=None), TypeError,
     "data must be 'embedded' or 'real', got None (NoneType)"),
    (lambda: _compare(data="x/y"), ValueError, "data must be 'embedded' or 'real', got 'x/y'"),
    # defect 7: NaN and infinity
    (lambda: _record(history={"val_acc": [float("nan"), 0.5]}), ValueError,
     "history['val_acc'][0] must be a number between 0 and 1, got nan"),
    (lambda: _record(test_acc=float("inf")), ValueError,
     "test_acc must be a number between 0 and 1 or None, got inf"),
    (lambda: _compare(keras3_seconds=float("inf")), ValueError,
     "keras3_seconds must be a number >= 0 or None, got inf"),
    (lambda: _compare(first_edition_seconds=float("nan")), ValueError,
     "first_edition_seconds must be a number >= 0 or None, got nan"),
    # defect 8: one rule for accuracies, in record as in record_comparison
    (lambda: _record(history={"val_acc": [0.5, 1.5]}), ValueError,
     "history['val_acc'][1] must be a number between 0 and 1, got 1.5"),
    (lambda: _record(test_acc=-0.1), ValueError, "test_acc must be a number between 0 and 1"),
    (lambda: _record(test_acc=0.5, seed_test_accs=[0.5, 2]), ValueError,
     "seed_test_accs[1] must be a number between 0 and 1, got 2"),
    (lambda: _compare(keras3_accs=[1.5]), ValueError,
     "keras3_accs[0] must be a number between 0 and 1, got 1.5"),
    # defect 17: wrong types are TypeErrors that show what was given
    (lambda: _record(history={"val_acc": ["0.5"]}), TypeError,
     "history['val_acc'][0] must be a number between 0 and 1, got '0.5' (str)"),
    (lambda: _record(history=None), TypeError,
     "history must be a Keras History or a dict holding 'val_acc', got None (NoneType)"),
    (lambda: _record(history={"val_acc": 0.5}), TypeError,
     "history['val_acc'] must be a list of numbers between 0 and 1, got 0.5 (float)"),
    (lambda: _record(test_acc="high"), TypeError,
     "test_acc must be a number between 0 and 1 or None, got 'high' (str)"),
    (lambda: _record(seed_test_accs=[0.5, None]), TypeError,
     "seed_test_accs[1] must be a number between 0 and 1, got None (NoneType)"),
    (lambda: _record(seed_test_accs=0.5), TypeError,
     "seed_test_accs must be a list of numbers between 0 and 1 or None, got 0.5 (float)"),
    (lambda: _record(notes=None), TypeError, "notes must be a str, got None (NoneType)"),
    (lambda: _record(model=None), TypeError, "model must be a str (a key of BOOK), got None"),
    (lambda: _compare(keras3_seconds="fast"), TypeError,
     "keras3_seconds must be a number >= 0 or None, got 'fast' (str)"),
    (lambda: _compare(listing=None), TypeError,
     "listing must be a str such as '6-27', got None (NoneType)"),
    (lambda: _compare(listing=" "), ValueError,
     "listing must be a str such as '6-27' (not blank, 100 bytes at most: it names the record's "
     "file), got ' '"),
    # the re-run's finding 13: a long listing gave a raw "File name too long"
    (lambda: _compare(listing="6-" + "2" * 300), ValueError,
     "listing must be a str such as '6-27' (not blank, 100 bytes at most"),
    (lambda: _compare(keras3="b", first_edition=3), TypeError,
     "first_edition must be a str, got 3 (int)"),
    (lambda: _compare(keras3_accs=None), TypeError,
     "keras3_accs must be a list of numbers between 0 and 1, got None (NoneType)"),
    (lambda: _compare(keras3_accs=[None]), TypeError,
     "keras3_accs[0] must be a number between 0 and 1, got None (NoneType)"),
])
def test_record_arguments_are_checked_before_anything_is_written(tmp_path, call, error, message):
    """Issue 19, defects 4, 7, 8, 17: data was a path, NaN and infinity reached the JSON,
    accuracies outside 0-1 passed record, and wrong types gave raw errors."""
    import re

    with pytest.raises(error, match="^" + re.escape(message)):
        call()
    assert list(tmp_path.iterdir()) == []
    assert list(tmp_path.parent.glob("*.json")) == []


def test_records_are_strict_json(tmp_path):
    import json

    _record(history={"val_acc": [0.5, 1]}, test_acc=1, seed_test_accs=[0, 1])
    _compare(keras3_seconds=0, first_edition_seconds=2.25)
    for path in tmp_path.glob("*.json"):
        json.loads(path.read_text(encoding="utf-8"), parse_constant=pytest.fail)
    assert load_records()[0]["best"] == 1.0


_GOOD_RECORD = ('{"model": "6-27 LSTM", "data": "embedded", "best": 0.9, "last": 0.85, '
                '"epochs": 3, "notes": ""}')
_GOOD_COMPARISON = ('{"listing": "6-27", "data": "embedded", "first_edition": "a", "keras3": "b",'
                    ' "first_edition_accs": [0.5], "keras3_accs": [0.6], "first_edition_mean":'
                    ' 0.5, "keras3_mean": 0.6, "gap": 0.1, "first_edition_seconds": null, '
                    '"keras3_seconds": 1.5, "notes": ""}')


@pytest.mark.parametrize("name, content, reason", [
    ("embedded-6_27_LSTM.json", _GOOD_RECORD[:40].encode(), "not valid JSON (Unterminated string"),
    ("embedded-6_99_Gone.json", _GOOD_RECORD.replace("6-27 LSTM", "6-99 Gone").encode(),
     "model must be one of"),
    ("package.json", b'{"name": "something else", "version": "1.0"}',
     "it lacks 'model', 'data', 'best', 'last', 'epochs', 'notes'"),
    ("embedded-list.json", b"[0.9, 0.85]",
     "it holds [0.9, 0.85] (list), not a record (a JSON object)"),
    ("embedded-bytes.json", b'{"model": "\xff"}', "not UTF-8 text (byte 0xff at offset 11)"),
    ("embedded-6_27_LSTM.json", _GOOD_RECORD.replace('"best": 0.9, ', "").encode(),
     "it lacks 'best'"),
    ("embedded-6_27_LSTM.json", _GOOD_RECORD.replace("0.9", '"0.9"').encode(),
     "best must be a number between 0 and 1, got '0.9' (str)"),
    ("embedded-6_27_LSTM.json", _GOOD_RECORD.replace("0.9", "NaN").encode(),
     "best must be a number between 0 and 1, got nan"),
    ("embedded-6_27_LSTM.json", _GOOD_RECORD[:-1].encode() + b', "test": null}',
     "test must be a number between 0 and 1, got None"),
    ("embedded-6_27_LSTM.json", _GOOD_RECORD.replace("embedded", "compare").encode(),
     "data must be 'embedded' or 'real', got 'compare'"),
    ("compare-embedded-6_27.json", _GOOD_COMPARISON.replace('"gap": 0.1, ', "").encode(),
     "it lacks 'gap'"),
    ("compare-embedded-6_27.json", _GOOD_COMPARISON.replace('"listing": "6-27"',
                                                            '"listing": null').encode(),
     "listing must be a str such as '6-27', got None"),
    ("compare-embedded-6_27.json", _GOOD_COMPARISON.replace("[0.6]", "[]").encode(),
     "keras3_accs must hold one accuracy per seed, got []"),
    # the re-run's findings 3 and 21
    ("embedded-deep.json", b"[" * 100000 + b"]" * 100000, "not readable JSON (nested too deeply)"),
    ("compare-embedded-6_27.json", _GOOD_COMPARISON.replace('"keras3_mean": 0.6',
                                                            '"keras3_mean": 0.99').encode(),
     "keras3_mean is 0.99, but its per-seed accuracies give 0.6"),
    ("compare-embedded-6_27.json", _GOOD_COMPARISON.replace('"gap": 0.1', '"gap": 0.49').encode(),
     "gap is 0.49, but its per-seed accuracies give 0.1"),
], ids=["truncated", "model-gone", "unrelated", "list", "not-utf8", "no-best", "best-str",
        "best-nan", "test-null", "data-compare", "comparison-no-gap", "comparison-listing-null",
        "comparison-no-accs", "deep", "comparison-mean", "comparison-gap"])
def test_a_bad_file_in_the_results_folder_is_named_with_what_to_do(tmp_path, name, content,
                                                                    reason):
    """Issue 19, defect 9: one bad file stopped write_table (and `make run`) with an error that
    named no file."""
    import re

    from textseq.results import load_comparisons

    record("6-23 SimpleRNN", {"val_acc": [0.7]}, data="embedded")
    assert "| 6-23 SimpleRNN |" in write_table().read_text()
    (tmp_path / name).write_bytes(content)
    message = re.escape(f"{tmp_path / name}: ") + ".*" + re.escape(reason) + ".*" + re.escape(
        "delete it, or re-run the notebook that recorded it")
    for read in (write_table, load_records, load_comparisons):
        if read is load_records and name.startswith("compare-") or (
                read is load_comparisons and not name.startswith("compare-")):
            continue
        with pytest.raises(ValueError, match=message):
            read()
    assert (tmp_path / name).read_bytes() == content


def test_a_folder_given_as_a_str_is_read(tmp_path):
    """Issue 19 re-run, finding 4: a str folder raised "'str' object has no attribute"."""
    from textseq.results import load_comparisons

    record("6-27 LSTM", {"val_acc": [0.7]}, data="embedded")
    _compare()
    assert [r["model"] for r in load_records(str(tmp_path))] == ["6-27 LSTM"]
    assert [r["listing"] for r in load_comparisons(str(tmp_path))] == ["6-27"]
    assert write_table(str(tmp_path)) == tmp_path / "results.md"


def test_listings_sharing_a_file_name_are_refused_not_lost(tmp_path):
    """Issue 19 re-run, finding 9: '6_27' overwrote the record of '6-27' (one file name)."""
    import re

    from textseq.results import load_comparisons

    _compare(listing="6-27")
    path = tmp_path / "compare-embedded-6_27.json"
    with pytest.raises(ValueError, match=re.escape(
            f"listing '6_27' would overwrite {path}, the record of listing '6-27'")):
        _compare(listing="6_27", keras3_accs=[0.7])
    assert [(r["listing"], r["keras3_accs"]) for r in load_comparisons()] == [("6-27", [0.6])]
    assert _compare(listing="6-27", keras3_accs=[0.7])["keras3_mean"] == 0.7  # same listing
