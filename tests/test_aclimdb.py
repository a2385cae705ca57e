"""Tests for textseq.imdb.reviews: reading aclImdb trees and archives (read_split)."""

from __future__ import annotations

import io
import os
import shutil
import tarfile

import numpy as np
import pytest
from conftest import TINY_REVIEWS, make_tarball, write_tree

from textseq.imdb.reviews import DataError, read_split, read_splits


def expected(split: str, include_unsup: bool = False):
    """Reading order spelled out from the spec: neg, pos, (unsup); numeric id order."""
    labels = {"neg": 0, "pos": 1, "unsup": -1}
    folders = ["neg", "pos"] + (["unsup"] if include_unsup else [])
    rows = []
    for label in folders:
        for review_id, rating, text in sorted(TINY_REVIEWS[split, label]):
            rows.append((text, labels[label], rating, review_id))
    return rows


def rows(reviews):
    assert reviews.labels.dtype == reviews.ratings.dtype == reviews.ids.dtype == np.int64
    return list(zip(reviews.texts, reviews.labels.tolist(), reviews.ratings.tolist(),
                    reviews.ids.tolist(), strict=True))


@pytest.mark.parametrize("split", ["train", "test"])
def test_folder_order_labels_ratings(tiny_aclimdb, split):
    reviews = read_split(tiny_aclimdb, split)
    assert rows(reviews) == expected(split)
    assert len(reviews) == len(expected(split))


def test_numeric_not_string_order(tiny_aclimdb):
    assert read_split(tiny_aclimdb).ids.tolist()[:3] == [2, 7, 10]


def test_unsup_appended_last(tiny_aclimdb):
    reviews = read_split(tiny_aclimdb, include_unsup=True)
    assert rows(reviews) == expected("train", include_unsup=True)
    assert reviews.labels.tolist()[-2:] == [-1, -1]
    assert reviews.ratings.tolist()[-2:] == [0, 0]


@pytest.mark.parametrize("split", ["train", "test"])
@pytest.mark.parametrize("unsup", [False, True])
def test_tarball_equals_folder(tiny_aclimdb, tiny_aclimdb_tarball, split, unsup):
    if unsup and split == "test":
        return
    a = read_split(tiny_aclimdb, split, include_unsup=unsup)
    b = read_split(tiny_aclimdb_tarball, split, include_unsup=unsup)
    assert rows(a) == rows(b)


def test_read_splits_streams_both(tiny_aclimdb_tarball):
    both = read_splits(tiny_aclimdb_tarball)
    assert list(both) == ["train", "test"]
    assert rows(both["test"]) == expected("test")


def test_same_data_as_listing_6_8(tiny_aclimdb):
    # The book's loop (Listing 6-8), written out.
    labels, texts = [], []
    for label_type in ["neg", "pos"]:
        dir_name = os.path.join(tiny_aclimdb, "train", label_type)
        for fname in os.listdir(dir_name):
            if fname[-4:] == ".txt":
                f = open(os.path.join(dir_name, fname), encoding="utf-8")
                texts.append(f.read())
                f.close()
                labels.append(0 if label_type == "neg" else 1)
    ours = read_split(tiny_aclimdb)
    assert sorted(zip(texts, labels, strict=True)) == sorted(
        zip(ours.texts, ours.labels.tolist(), strict=True))


def test_files_beside_label_folders_are_ignored(tiny_aclimdb):
    (tiny_aclimdb / "train" / "urls_pos.txt").write_text("http://example.invalid/\n")
    (tiny_aclimdb / "train" / "labeledBow.feat").write_text("1 0:1\n")
    (tiny_aclimdb / "imdb.vocab").write_text("the\n")
    assert rows(read_split(tiny_aclimdb)) == expected("train")


def test_exact_bytes_no_newline_translation(tmp_path):
    tree = write_tree(tmp_path / "aclImdb", {
        ("train", "neg"): [(0, 1, "line one\r\nline two \n")],
        ("train", "pos"): [(0, 9, "  spaced  ")],
    })
    assert read_split(tree).texts == ["line one\r\nline two \n", "  spaced  "]


# --- argument errors -------------------------------------------------------------------------

def test_unsup_needs_the_train_split(tiny_aclimdb):  # the other checks: tests/test_checks.py
    with pytest.raises(ValueError, match="include_unsup=True needs the 'train' split"):
        read_split(tiny_aclimdb, "test", include_unsup=True)


def test_missing_source(tmp_path):
    with pytest.raises(FileNotFoundError, match="no such folder or archive"):
        read_split(tmp_path / "nowhere")


# --- bad trees -------------------------------------------------------------------------------

def test_missing_split_folder_with_hint(tiny_aclimdb):
    shutil.rmtree(tiny_aclimdb / "test")
    with pytest.raises(DataError, match=r"aclImdb[/\\]test: missing; expected"):
        read_split(tiny_aclimdb, "test")
    with pytest.raises(DataError, match="did you mean .*aclImdb"):
        read_split(tiny_aclimdb.parent, "train")


def test_missing_label_folder(tiny_aclimdb):
    shutil.rmtree(tiny_aclimdb / "train" / "pos")
    with pytest.raises(DataError, match=r"train[/\\]pos: missing; expected a folder of review"):
        read_split(tiny_aclimdb)


def test_missing_unsup_folder(tiny_aclimdb):
    shutil.rmtree(tiny_aclimdb / "train" / "unsup")
    assert len(read_split(tiny_aclimdb)) == 6
    with pytest.raises(DataError, match=r"train[/\\]unsup: missing"):
        read_split(tiny_aclimdb, include_unsup=True)


def test_empty_label_folder(tiny_aclimdb):
    for f in (tiny_aclimdb / "test" / "neg").iterdir():
        f.unlink()
    with pytest.raises(DataError, match=r"test[/\\]neg: empty; expected review files"):
        read_split(tiny_aclimdb, "test")


@pytest.mark.parametrize("label, name", [("pos", name) for name in [
    "12_x.txt", "12.txt", "12_11.txt", "12_0.txt", "a_3.txt", "12_3.text", ".DS_Store", "notes.md",
    "１２_3.txt", "12_5.txt", "12_6.txt"]] + [("neg", "12_5.txt"), ("neg", "12_8.txt")])
def test_bad_file_name(tiny_aclimdb, label, name):
    """aclImdb's neg/ has ratings 1-4, pos/ 7-10 (issue 19: 5, 6 and the other label's passed)."""
    (tiny_aclimdb / "train" / label / name).write_text("text")
    with pytest.raises(DataError) as info:
        read_split(tiny_aclimdb)
    message = str(info.value)
    assert message.startswith(str(tiny_aclimdb / "train" / label / name) + ": ")
    ratings = "7-10" if label == "pos" else "1-4"
    assert f"expected a file name <id>_<rating>.txt with rating {ratings} " in message


def test_unsup_needs_rating_zero(tiny_aclimdb):
    (tiny_aclimdb / "train" / "unsup" / "9_7.txt").write_text("text")
    with pytest.raises(DataError, match=r"9_7.txt: expected a file name <id>_0.txt"):
        read_split(tiny_aclimdb, include_unsup=True)


def test_subfolder_in_label_folder(tiny_aclimdb):
    (tiny_aclimdb / "train" / "neg" / "99_1.txt").mkdir()
    with pytest.raises(DataError, match=r"99_1.txt: is a folder; expected a review file"):
        read_split(tiny_aclimdb)


def test_duplicate_id(tiny_aclimdb):
    (tiny_aclimdb / "train" / "neg" / "2_3.txt").write_text("again")
    with pytest.raises(DataError, match="two files with id 2: 2_1.txt and 2_3.txt"):
        read_split(tiny_aclimdb)


def test_not_utf8_strict_and_replace(tiny_aclimdb):
    bad = tiny_aclimdb / "test" / "pos" / "3_9.txt"
    bad.write_bytes(b"caf\xe9 society")  # Latin-1, not UTF-8
    with pytest.raises(DataError) as info:
        read_split(tiny_aclimdb, "test")
    assert str(info.value).startswith(f"{bad}: expected UTF-8 text, found byte 0xe9 at offset 3")
    assert "errors='replace'" in str(info.value)
    reviews = read_split(tiny_aclimdb, "test", errors="replace")
    assert "caf\ufffd society" in reviews.texts
    assert read_split(tiny_aclimdb, "train", errors="replace").texts == read_split(
        tiny_aclimdb, "train").texts


# --- reviews that used to be read silently wrong (issue 11, fault 6) --------------------------

def test_a_utf16_review_without_bom_is_refused(tiny_aclimdb, tmp_path):
    bad = tiny_aclimdb / "train" / "pos" / "3_9.txt"
    bad.write_bytes("A joyful film".encode("utf-16-le"))  # no BOM: decodes as "UTF-8" with NULs
    for errors in ("strict", "replace"):
        with pytest.raises(DataError) as info:
            read_split(tiny_aclimdb, errors=errors)
        assert str(info.value) == (f"{bad}: holds a NUL byte at offset 1; expected UTF-8 text (a "
                                   "UTF-16 file? convert it to UTF-8)")
    archive = make_tarball(tiny_aclimdb, tmp_path / "a.tar.gz")
    with pytest.raises(DataError, match=r"member aclImdb/train/pos/3_9.txt: holds a NUL byte"):
        read_split(archive)


def test_a_symlink_in_a_label_folder_is_not_followed(tiny_aclimdb, tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text("not a review, outside the tree")
    link = tiny_aclimdb / "train" / "neg" / "20_1.txt"
    link.symlink_to(outside)
    with pytest.raises(DataError) as info:
        read_split(tiny_aclimdb)
    assert str(info.value) == (f"{link}: is a symbolic link (to {outside}); expected a regular "
                               "review file (links are not followed)")
    link.unlink()
    link.symlink_to(tiny_aclimdb / "train" / "neg" / "2_1.txt")  # inside the tree: refused too
    with pytest.raises(DataError, match="20_1.txt: is a symbolic link"):
        read_split(tiny_aclimdb)


@pytest.mark.parametrize("folder", ["train", "train/pos"])
def test_a_symlinked_split_or_label_folder_is_not_followed(tiny_aclimdb, tmp_path, folder):
    """Issue 19 re-run: train/pos -> ../elsewhere was read (a symlinked root still is)."""
    root = tmp_path / "root-link"
    root.symlink_to(tiny_aclimdb)
    assert rows(read_split(root)) == expected("train")
    outside = tmp_path / "elsewhere"
    shutil.move(tiny_aclimdb / folder, outside)
    (tiny_aclimdb / folder).symlink_to(outside)
    for source in (tiny_aclimdb, root):
        with pytest.raises(DataError) as info:
            read_split(source)
        assert str(info.value) == (f"{source / folder}: is a symbolic link (to {outside}); "
                                   "expected a folder of the tree (links are not followed)")


def test_a_fifo_in_a_label_folder_is_refused_without_blocking(tiny_aclimdb):
    fifo = tiny_aclimdb / "test" / "neg" / "30_2.txt"
    os.mkfifo(fifo)
    with pytest.raises(DataError, match=r"30_2.txt: is not a regular file \(a FIFO, socket or "
                                        r"device\); expected a review file"):
        read_split(tiny_aclimdb, "test")


def test_an_empty_review_is_refused(tiny_aclimdb, tmp_path):
    empty = tiny_aclimdb / "test" / "neg" / "4_3.txt"
    empty.write_bytes(b"")
    with pytest.raises(DataError) as info:
        read_split(tiny_aclimdb, "test")
    assert str(info.value).startswith(f"{empty}: is empty (0 bytes); expected a review")
    archive = make_tarball(tiny_aclimdb, tmp_path / "a.tar.gz")
    with pytest.raises(DataError, match=r"member aclImdb/test/neg/4_3.txt: is empty \(0 bytes\)"):
        read_split(archive, "test")
    empty.write_bytes(b"   ")  # blank, but text: accepted as it is
    assert "   " in read_split(tiny_aclimdb, "test").texts


# --- bad archives ----------------------------------------------------------------------------

def _add(tar, name, data=b"text", kind=tarfile.REGTYPE, linkname=""):
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = linkname
    if kind == tarfile.REGTYPE:
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    else:
        tar.addfile(info)


def _tarball(tmp_path, tiny_aclimdb, extra):
    path = tmp_path / "custom.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        tar.add(tiny_aclimdb, arcname="aclImdb")
        extra(tar)
    return path


@pytest.mark.parametrize("name", ["12_x.txt", "12_5.txt", "12_3.txt"])
def test_tar_bad_member_name(tmp_path, tiny_aclimdb, name):
    path = _tarball(tmp_path, tiny_aclimdb, lambda t: _add(t, f"aclImdb/train/pos/{name}"))
    with pytest.raises(DataError, match=rf"custom.tar.gz: member aclImdb/train/pos/{name}: "
                                        r"expected a file name <id>_<rating>.txt with rating 7-10"):
        read_split(path)


def test_tar_symlink_member(tmp_path, tiny_aclimdb):
    path = _tarball(tmp_path, tiny_aclimdb, lambda t: _add(
        t, "aclImdb/train/neg/50_1.txt", kind=tarfile.SYMTYPE, linkname="/etc/passwd"))
    with pytest.raises(DataError, match=r"member 'aclImdb/train/neg/50_1.txt' is a symbolic link; "
                                        "expected only regular files and folders"):
        read_split(path)


def test_tar_not_utf8_member(tmp_path, tiny_aclimdb):
    path = _tarball(tmp_path, tiny_aclimdb, lambda t: _add(
        t, "aclImdb/test/neg/40_2.txt", data=b"\xff\xfe"))
    with pytest.raises(DataError, match=r"member aclImdb/test/neg/40_2.txt: expected UTF-8 text"):
        read_split(path, "test")
    assert "\ufffd\ufffd" in read_split(path, "test", errors="replace").texts


def test_tar_missing_and_empty_folders(tmp_path, tiny_aclimdb):
    shutil.rmtree(tiny_aclimdb / "test" / "pos")
    for f in (tiny_aclimdb / "test" / "neg").iterdir():
        f.unlink()
    path = make_tarball(tiny_aclimdb, tmp_path / "a.tar.gz")
    with pytest.raises(DataError, match=r"a.tar.gz: aclImdb/test/neg/ is empty"):
        read_split(path, "test")
    shutil.rmtree(tiny_aclimdb / "test" / "neg")
    path = make_tarball(tiny_aclimdb, tmp_path / "b.tar.gz")
    with pytest.raises(DataError, match=r"b.tar.gz: aclImdb/test/neg/ is missing"):
        read_split(path, "test")


def test_not_an_archive(tmp_path):
    path = tmp_path / "aclImdb_v1.tar.gz"
    path.write_bytes(b"this is not gzip")
    with pytest.raises(DataError, match="expected an aclImdb folder or a readable .tar.gz"):
        read_split(path)


# --- the same layout works with Keras ---------------------------------------------------------

def test_keras_text_dataset_from_directory(tiny_aclimdb):
    import keras
    train_dir = str(tiny_aclimdb / "train")
    ds = keras.utils.text_dataset_from_directory(train_dir, class_names=["neg", "pos"],
                                                 batch_size=100, shuffle=False)
    assert ds.class_names == ["neg", "pos"]
    texts, labels = next(iter(ds))
    got = sorted(zip((t.decode() for t in texts.numpy()), labels.numpy().tolist(), strict=True))
    ours = read_split(tiny_aclimdb)
    assert got == sorted(zip(ours.texts, ours.labels.tolist(), strict=True))
    shutil.rmtree(tiny_aclimdb / "train" / "unsup")
    ds = keras.utils.text_dataset_from_directory(train_dir, batch_size=100)
    assert ds.class_names == ["neg", "pos"]
