"""textseq.glove: reading GloVe vectors (Listing 6-10), the cache, and embedding_matrix (6-11).

The reference everywhere is the book's own code, run on the same file: Listing 6-10's loop
(`book_6_10`) and Listing 6-11's loop (`book_6_11`).
"""

from __future__ import annotations

import gzip
import os
import random
import re
import subprocess
import sys
import zipfile
from collections import namedtuple
from pathlib import Path

import numpy as np
import pytest

from textseq.glove import textfile
from textseq.glove import vectors as glove
from textseq.glove.vectors import Coverage, GloveFormatError, embedding_matrix, load_vectors


def book_6_10(path: Path) -> dict[str, np.ndarray]:
    """Listing 6-10, as printed (``line.split()``; words without spaces only)."""
    embeddings_index = {}
    with open(path, encoding="utf8") as f:
        for line in f:
            values = line.split()
            word = values[0]
            coefs = np.asarray(values[1:], dtype="float32")
            embeddings_index[word] = coefs
    return embeddings_index


def book_6_11(embeddings_index, word_index, max_words, embedding_dim) -> np.ndarray:
    """Listing 6-11, as printed."""
    embedding_matrix = np.zeros((max_words, embedding_dim))
    for word, i in word_index.items():
        if i < max_words:
            embedding_vector = embeddings_index.get(word)
            if embedding_vector is not None:
                embedding_matrix[i] = embedding_vector
    return embedding_matrix


def random_field(rng: random.Random) -> str:
    """A number written the ways GloVe-format files write them."""
    x = rng.gauss(0, 0.5) * 10 ** rng.randint(-6, 3)
    kind = rng.random()
    if kind < 0.4:
        return f"{x:.5g}"  # glove.6B style, with exponents for tiny values
    if kind < 0.6:
        return f"{x:.6f}"  # glove.c's fprintf("%lf")
    if kind < 0.7:
        return repr(x)  # 17 significant digits
    if kind < 0.8:
        return str(rng.randint(-999, 999))
    if kind < 0.9:
        return f"{x:.3e}"
    return rng.choice(["0", "-0", "-0.0", "1.", ".5", "-.5", "00012.5000", "1e5", "-9.999999",
                       "123456789012345.6", "0.1234567890123456", "9007199254740993"])


WORDS = ["the", ",", ".", "of", "u.s.", "...", "café", "naïve", "movie", "don't", "p.m.",
         "東京", "1.5", "-", "e", "a-b"]


def write_vectors(path: Path, n: int = 300, dim: int = 7, seed: int = 0, words=None) -> Path:
    rng = random.Random(seed)
    words = words or [WORDS[i] if i < len(WORDS) else f"w{i}" for i in range(n)]
    lines = [w + " " + " ".join(random_field(rng) for _ in range(dim)) for w in words]
    path.write_bytes(("\n".join(lines) + "\n").encode("utf-8"))
    return path


def assert_same(vectors: glove.GloveVectors, reference: dict[str, np.ndarray]) -> None:
    assert vectors.words == list(reference)
    expected = np.stack(list(reference.values()))
    assert vectors.vectors.dtype == np.float32
    np.testing.assert_array_equal(vectors.vectors, expected)  # bit for bit (NaN == NaN)


# --- reading ---------------------------------------------------------------------------------

def test_matches_listing_6_10_bit_for_bit(tmp_path):
    path = write_vectors(tmp_path / "v.txt", n=2000, dim=25)
    assert_same(load_vectors(path, cache=False), book_6_10(path))


def test_lines_converted_in_chunks_give_the_same_values_and_lines(tmp_path, monkeypatch):
    monkeypatch.setattr(textfile, "CHUNK", 7)
    path = write_vectors(tmp_path / "v.txt", n=50, dim=3, seed=2)
    assert_same(load_vectors(path, cache=False), book_6_10(path))
    lines = path.read_bytes().split(b"\n")
    lines[30] = b"bad 1 oops 2"
    path.write_bytes(b"\n".join(lines))
    with pytest.raises(GloveFormatError, match=r"line 31: value b'oops' is not a number"):
        load_vectors(path, cache=False)


def test_words_with_spaces_are_kept(tmp_path):
    # glove.840B has a few tokens such as ". . ."; the word is what precedes the last dim fields
    path = tmp_path / "v.txt"
    path.write_text("the 1 2 3\n. . . 4 5 6\nnew york 0.5 -1e-3 7\n", encoding="utf-8")
    vectors = load_vectors(path, cache=False)
    assert vectors.words == ["the", ". . .", "new york"]
    np.testing.assert_array_equal(vectors[". . ."], np.float32([4, 5, 6]))
    np.testing.assert_array_equal(vectors["new york"], np.float32([0.5, -1e-3, 7]))


def test_crlf_trailing_spaces_blank_lines_bom_and_no_final_newline(tmp_path):
    path = tmp_path / "v.txt"
    path.write_bytes(b"\xef\xbb\xbfthe 1 2\r\n\r\nof 3 4 \nand -5 6.5")
    vectors = load_vectors(path, cache=False)
    assert vectors.words == ["the", "of", "and"]
    np.testing.assert_array_equal(vectors.vectors, np.float32([[1, 2], [3, 4], [-5, 6.5]]))


def test_zip_member_gz_and_globefile_like_sources(tmp_path):
    txt = write_vectors(tmp_path / "glove.6B.100d.txt", n=50, dim=4)
    small = write_vectors(tmp_path / "glove.6B.50d.txt", n=20, dim=2, seed=1)
    archive = tmp_path / "glove.6B.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.write(small, small.name)
        z.write(txt, txt.name)
    reference = book_6_10(txt)
    assert_same(load_vectors(archive, member="glove.6B.100d.txt", cache=False), reference)
    assert_same(load_vectors(archive, member=txt.name, dim=4, cache=False), reference)
    with gzip.open(tmp_path / "v.txt.gz", "wb") as f:
        f.write(txt.read_bytes())
    assert_same(load_vectors(tmp_path / "v.txt.gz", cache=False), reference)
    GloveFile = namedtuple("GloveFile", "path member dim")
    assert_same(load_vectors(GloveFile(archive, txt.name, 4), cache=False), reference)


def test_zip_member_chosen_by_dim(tmp_path):
    archive = tmp_path / "glove.6B.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("glove.6B.50d.txt", "a " + " ".join(["1"] * 50) + "\n")
        z.writestr("glove.6B.100d.txt", "a " + " ".join(["2"] * 100) + "\n")
    assert load_vectors(archive, dim=100, cache=False).vectors.shape == (1, 100)
    with pytest.raises(GloveFormatError, match=r"holds 2 files .*pass member="):
        load_vectors(archive, cache=False)


def test_missing_zip_member_lists_the_members(tmp_path):
    archive = tmp_path / "glove.6B.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("glove.6B.50d.txt", "a 1\n")
        z.writestr("glove.6B.300d.txt", "a 1\n")
    with pytest.raises(GloveFormatError) as err:
        load_vectors(archive, member="glove.6B.100d.txt", cache=False)
    message = str(err.value)
    assert "glove.6B.zip" in message and "'glove.6B.100d.txt'" in message
    assert "glove.6B.50d.txt" in message and "glove.6B.300d.txt" in message


def test_corrupt_zip_member_is_reported_with_archive_and_member(tmp_path):
    archive = tmp_path / "glove.zip"
    payload = "".join(f"w{i} {i}.5 -{i}\n" for i in range(2000)).encode()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as z:
        z.writestr("vectors.txt", payload)
    data = bytearray(archive.read_bytes())
    at = data.index(b"w1000 ")
    data[at + 1] = ord("x")  # same length, so only the CRC check can notice
    archive.write_bytes(bytes(data))
    with pytest.raises(GloveFormatError, match=r"glove\.zip \(member vectors\.txt\).*CRC"):
        load_vectors(archive, cache=False)


@pytest.mark.parametrize("patch, reason", [
    ({6: 1, 8: 1}, "is encrypted"),  # the flag bit 0 (local header, central directory)
    ({8: 9, 10: 9}, "compression method is not supported"),  # deflate64
])
def test_unreadable_zip_member_names_archive_and_member(tmp_path, patch, reason):
    """Issue 19 re-run: a bare RuntimeError / NotImplementedError, without the archive."""
    archive = tmp_path / "glove.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as z:
        z.writestr("v.txt", "a 1\n")
    data = bytearray(archive.read_bytes())
    for signature, (offset, value) in zip((b"PK\x03\x04", b"PK\x01\x02"), patch.items(),
                                           strict=True):
        data[data.index(signature) + offset] |= value
    archive.write_bytes(bytes(data))
    with pytest.raises(GloveFormatError, match=rf"glove\.zip \(member v\.txt\) cannot be read: "
                                                rf".*{reason}.*; extract it with unzip or 7z"):
        load_vectors(archive, cache=False)


def test_truncated_gz_is_reported(tmp_path):
    path = tmp_path / "v.txt.gz"
    with gzip.open(path, "wb") as f:
        f.write(b"".join(b"w%d 1 2\n" % i for i in range(5000)))
    path.write_bytes(path.read_bytes()[:-40])
    with pytest.raises(GloveFormatError, match=r"v\.txt\.gz is damaged"):
        load_vectors(path, cache=False)


@pytest.mark.parametrize("line, got", [("bad 1 2", "got 2"), ("bad 1 2 3 4", "got 4")])
def test_wrong_number_of_values_names_file_line_and_counts(tmp_path, line, got):
    path = tmp_path / "v.txt"
    path.write_text("a 1 2 3\nb 4 5 6\n" + line + "\nc 7 8 9\n", encoding="utf-8")
    with pytest.raises(GloveFormatError, match=rf"v\.txt, line 3: expected 3 values .*{got}"):
        load_vectors(path, cache=False)


def test_wrong_count_inside_a_zip_names_the_member(tmp_path):
    archive = tmp_path / "g.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("g.txt", "".join(f"w{i} 1 2\n" for i in range(50)) + "x 1\n")
    with pytest.raises(GloveFormatError, match=r"g\.zip \(member g\.txt\), line 51: expected 2"):
        load_vectors(archive, cache=False)


def test_not_utf8_names_the_line_and_offers_encoding(tmp_path):
    path = tmp_path / "v.txt"
    lines = [f"w{i} 1 2".encode() for i in range(10)]
    lines[6] = "café 3 4".encode("latin-1")
    path.write_bytes(b"\n".join(lines) + b"\n")
    with pytest.raises(GloveFormatError,
                       match=r"line 7 is not valid utf-8; pass encoding='latin-1'"):
        load_vectors(path, cache=False)
    assert load_vectors(path, encoding="latin-1", cache=False).words[6] == "café"


def test_not_a_number_names_line_and_value(tmp_path):
    path = tmp_path / "v.txt"
    path.write_text("a 1 2\nb 3 x4\n", encoding="utf-8")
    with pytest.raises(GloveFormatError, match=r"line 2: value b'x4' is not a number"):
        load_vectors(path, cache=False)


@pytest.mark.parametrize("content", [b"", b"\n\n \n"])
def test_empty_file(tmp_path, content):
    path = tmp_path / "v.txt"
    path.write_bytes(content)
    with pytest.raises(GloveFormatError, match="is empty"):
        load_vectors(path, cache=False)


def test_dimension_other_than_asked_for(tmp_path):
    path = write_vectors(tmp_path / "v.txt", n=5, dim=50)
    with pytest.raises(GloveFormatError, match=r"line 1: expected 100 values \(dim=100 was asked "
                                               r"for\), got 50"):
        load_vectors(path, dim=100, cache=False)


def test_embedding_matrix_checks_the_dimension_even_without_matches(tmp_path):
    path = write_vectors(tmp_path / "v.txt", n=5, dim=50)
    with pytest.raises(GloveFormatError, match=r"line 1: expected 100 values \(dim=100 was asked "
                                               r"for\), got 50"):
        embedding_matrix({"not-there": 1}, 2, path, dim=100, cache=False)


def test_word2vec_header_is_refused(tmp_path):
    path = tmp_path / "v.txt"
    path.write_text("3 2\na 1 2\n", encoding="utf-8")
    with pytest.raises(GloveFormatError, match="GloVe text format"):
        load_vectors(path, cache=False)


def test_argument_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match="nope.txt"):
        load_vectors(tmp_path / "nope.txt")
    path = write_vectors(tmp_path / "v.txt", n=3, dim=2)
    with pytest.raises(ValueError, match="dim must be an integer >= 1 or None, got 0"):
        load_vectors(path, dim=0)
    with pytest.raises(ValueError, match="is not a .zip archive"):
        load_vectors(path, member="x.txt")


def test_lookup_and_repr(tmp_path):
    vectors = load_vectors(write_vectors(tmp_path / "v.txt", n=30, dim=3), cache=False)
    assert vectors.dim == 3 and len(vectors) == 30 and "the" in vectors
    assert vectors["the"].shape == (3,)
    assert repr(vectors) == "GloveVectors(30 words x 3 dims from v.txt)"  # no folders
    with pytest.raises(KeyError, match="'zzz' is not in the vocabulary of .*v.txt"):
        vectors["zzz"]


# --- cache -----------------------------------------------------------------------------------

def test_cache_is_written_atomically_and_reused(tmp_path):
    path = write_vectors(tmp_path / "v.txt", n=200, dim=5)
    first = load_vectors(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["v.txt", "v.txt.npy", "v.txt.vocab.txt"]
    second = load_vectors(path)
    assert isinstance(second.vectors, np.memmap)
    assert second.words == first.words
    np.testing.assert_array_equal(second.vectors, first.vectors)


def test_cache_is_rebuilt_when_the_source_changes(tmp_path):
    path = write_vectors(tmp_path / "v.txt", n=20, dim=5)
    load_vectors(path)
    write_vectors(path, n=25, dim=5, seed=9)
    os.utime(path, ns=(1, 1))  # a different mtime, even on coarse clocks
    assert_same(load_vectors(path), book_6_10(path))
    assert_same(load_vectors(path), book_6_10(path))  # from the new cache


def test_cache_folder_and_read_only_source_folder(tmp_path, monkeypatch):
    path = write_vectors(tmp_path / "v.txt", n=20, dim=5)
    load_vectors(path, cache=tmp_path / "cache")
    assert (tmp_path / "cache" / "v.txt.npy").is_file()
    monkeypatch.setenv("TEXTSEQ_DATA_DIR", str(tmp_path / "data"))
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: False if Path(p) == tmp_path
                        else real_access(p, mode))
    load_vectors(path)
    names = sorted(p.name for p in (tmp_path / "data" / "glove-cache").iterdir())
    assert len(names) == 2 and names[0].endswith("v.txt.npy")
    assert not (tmp_path / "v.txt.npy").exists()


def test_failed_cache_write_leaves_nothing_and_warns(tmp_path, monkeypatch):
    path = write_vectors(tmp_path / "v.txt", n=20, dim=5)

    def broken_save(f, array):
        f.write(b"partial")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(np, "save", broken_save)
    with pytest.warns(UserWarning, match="could not write the GloVe cache"):
        vectors = load_vectors(path)
    assert len(vectors) == 20
    assert sorted(p.name for p in tmp_path.iterdir()) == ["v.txt"]


def dead_writers_temp(dest: Path) -> Path:
    """A temporary file beside ``dest`` as a writer killed mid-write (SIGKILL) leaves it."""
    code = f"from textseq._files import temp_path; print(temp_path({str(dest)!r}))"
    tmp = Path(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              check=True).stdout.strip())
    tmp.write_bytes(b"\x93NUMPY half a cache")
    return tmp


def test_a_killed_cache_writers_leftovers_are_removed(tmp_path):
    """Issue 11, fault 4: GloVe .npy temp files of a killed writer stayed forever."""
    path = write_vectors(tmp_path / "v.txt", n=20, dim=5)
    leftovers = [dead_writers_temp(tmp_path / "v.txt.npy"),
                 dead_writers_temp(tmp_path / "v.txt.vocab.txt")]
    assert_same(load_vectors(path), book_6_10(path))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["v.txt", "v.txt.npy", "v.txt.vocab.txt"]
    assert not any(p.exists() for p in leftovers)
    assert_same(load_vectors(path), book_6_10(path))  # and the cache it wrote is whole


@pytest.mark.parametrize("cache", ["", "  "])
def test_an_empty_cache_folder_name_is_refused(tmp_path, monkeypatch, cache):
    """Issue 19 re-run: cache="" wrote the cache into the current folder."""
    path = write_vectors(tmp_path / "v.txt", n=3, dim=2)
    monkeypatch.chdir(tmp_path)
    for call in (lambda: load_vectors(path, cache=cache),
                 lambda: embedding_matrix({"w1": 1}, 2, path, cache=cache)):
        with pytest.raises(ValueError, match=rf"cache must be True, False or a folder \(str or "
                                             rf"os\.PathLike\), got '{cache}', a blank name"):
            call()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["v.txt"]


@pytest.mark.parametrize("content", [b"garbage", b""])  # b"": issue 19 re-run, was EOFError
def test_corrupt_cache_is_ignored(tmp_path, content):
    path = write_vectors(tmp_path / "v.txt", n=20, dim=5)
    load_vectors(path)
    (tmp_path / "v.txt.npy").write_bytes(content)
    assert_same(load_vectors(path), book_6_10(path))


# --- embedding_matrix (Listing 6-11) ----------------------------------------------------------

def identity_file(path: Path, n: int, dim: int, seed: int = 0) -> tuple[Path, list[str]]:
    """Each word's vector encodes its identity: word k has values k, -k, k + 0.25, ..."""
    rng = random.Random(seed)
    words = [f"w{k}" for k in range(n)]
    rng.shuffle(words)
    lines = [w + " " + " ".join(f"{int(w[1:]) + j * 0.25 * (-1) ** j:g}" for j in range(dim))
             for w in words]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, words


def expected_row(word: str, dim: int) -> np.ndarray:
    k = int(word[1:])
    return np.float32([k + j * 0.25 * (-1) ** j for j in range(dim)])


@pytest.mark.parametrize("cached", [False, True])
def test_every_row_holds_the_vector_of_the_word_with_that_index(tmp_path, cached):
    path, words = identity_file(tmp_path / "v.txt", n=500, dim=6)
    rng = random.Random(1)
    vocabulary = rng.sample(words, 300) + [f"missing{k}" for k in range(40)]
    rng.shuffle(vocabulary)
    word_index = {w: i for i, w in enumerate(vocabulary, start=1)}  # indices 1..340
    if cached:
        load_vectors(path)
    matrix, coverage = embedding_matrix(word_index, 250, path, cache=cached)
    assert matrix.shape == (250, 6) and matrix.dtype == np.float32
    assert not matrix[0].any()
    index_word = {i: w for w, i in word_index.items()}
    for i in range(1, 250):
        word = index_word[i]
        if word.startswith("missing"):
            assert not matrix[i].any(), i
        else:
            np.testing.assert_array_equal(matrix[i], expected_row(word, 6), err_msg=word)
    expected = book_6_11(book_6_10(path), word_index, 250, 6)
    np.testing.assert_array_equal(matrix, expected)
    wanted = [w for w, i in word_index.items() if i < 250]
    missing = sorted((w for w in wanted if w.startswith("missing")), key=word_index.get)
    assert coverage == Coverage(len(wanted) - len(missing), len(wanted), tuple(missing[:20]),
                                coverage.source)
    assert coverage.missing[0] == missing[0]


def test_embedding_matrix_from_zip_with_words_with_spaces(tmp_path):
    archive = tmp_path / "g.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("g.txt", "the 1 2\nnew york 3 4\nnew 5 6\n")
    matrix, coverage = embedding_matrix({"new york": 1, "new": 2, "the": 3}, 4, archive,
                                        cache=False)
    np.testing.assert_array_equal(matrix, np.float32([[0, 0], [3, 4], [5, 6], [1, 2]]))
    assert coverage.found == 3
    # a first-field match on "new" must not take the vector of "new york"
    matrix, _ = embedding_matrix({"new": 1}, 2, archive, cache=False)
    np.testing.assert_array_equal(matrix[1], np.float32([5, 6]))


def test_embedding_matrix_reports_bad_lines_of_wanted_words(tmp_path):
    path = tmp_path / "v.txt"
    path.write_text("a 1 2\nb 3 oops\nc 5 6\n", encoding="utf-8")
    with pytest.raises(GloveFormatError, match=r"line 2: value b'oops' is not a number"):
        embedding_matrix({"b": 1}, 2, path, cache=False)


def test_embedding_matrix_argument_errors(tmp_path):
    path = write_vectors(tmp_path / "v.txt", n=3, dim=2)
    with pytest.raises(ValueError, match="num_words must be an integer >= 1, got 0"):
        embedding_matrix({"the": 1}, 0, path)
    with pytest.raises(ValueError, match="maps 'the' to 0"):
        embedding_matrix({"the": 0}, 5, path)


def test_coverage_reads_well():
    coverage = Coverage(3, 4, ("br",), "glove.6B.100d.txt")
    assert coverage.ratio == 0.75
    assert str(coverage) == ("3 of 4 words (75.0%) have a vector in glove.6B.100d.txt; "
                             "most frequent missing: br")
    assert repr(coverage) == "Coverage(found=3, total=4, ratio=75.0%, missing=['br'])"
    assert Coverage(0, 0).ratio == 0.0


# --- issue 11: faults found in review ----------------------------------------------------------

def two_dim_zip(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("glove.6B.50d.txt", "a " + " ".join(["1"] * 50) + "\nb " + " ".join(["3"] * 50)
                   + "\n")
        z.writestr("glove.6B.100d.txt", "a " + " ".join(["2"] * 100) + "\n")
    return path


def test_cache_belongs_to_the_member_that_dim_chose(tmp_path):
    archive = two_dim_zip(tmp_path / "glove.6B.zip")
    assert load_vectors(archive, dim=50).vectors.shape == (2, 50)
    assert load_vectors(archive, dim=100).vectors.shape == (1, 100)  # not the 50d cache
    assert isinstance(load_vectors(archive, dim=50).vectors, np.memmap)  # its own cache
    with pytest.raises(GloveFormatError, match=r"holds 2 files .*pass member="):
        load_vectors(archive)  # not silently the 50d vectors of the cache
    matrix, _ = embedding_matrix({"a": 1}, 2, archive, dim=100)
    np.testing.assert_array_equal(matrix[1], np.full(100, 2, np.float32))


def test_embedding_matrix_strips_a_byte_order_mark_as_load_vectors_does(tmp_path):
    path = tmp_path / "v.txt"
    path.write_bytes(b"\xef\xbb\xbfthe 1 2\nof 3 4\n")
    assert load_vectors(path, cache=False).words == ["the", "of"]
    matrix, coverage = embedding_matrix({"the": 1, "of": 2}, 3, path, cache=False)
    np.testing.assert_array_equal(matrix, np.float32([[0, 0], [1, 2], [3, 4]]))
    assert coverage.found == 2
    archive = tmp_path / "v.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(path, "v.txt")
    assert embedding_matrix({"the": 1}, 2, archive, cache=False)[1].found == 1


@pytest.mark.parametrize("blank", [b"\n", b"\n\n   \n"])
def test_parse_errors_after_blank_lines_name_the_same_line(tmp_path, blank):
    path = tmp_path / "v.txt"
    lines = [b"w%d 1 2" % i for i in range(6)]
    lines[4] = b"bad 3 oops"
    path.write_bytes(b"\n".join(lines[:2]) + b"\n" + blank + b"\n".join(lines[2:]) + b"\n")
    line = 5 + blank.count(b"\n")
    with pytest.raises(GloveFormatError, match=rf"line {line}: value b'oops' is not a number"):
        load_vectors(path, cache=False)
    with pytest.raises(GloveFormatError, match=rf"line {line}: value b'oops' is not a number"):
        embedding_matrix({"bad": 1}, 2, path, cache=False)


def test_word_index_with_a_repeated_index_is_refused(tmp_path):
    path = write_vectors(tmp_path / "v.txt", n=5, dim=2)
    with pytest.raises(ValueError, match=r"word_index maps both 'the' and ',' to 2; each index "
                                         r"must belong to one word"):
        embedding_matrix({"the": 2, ",": 2, ".": 1}, 5, path, cache=False)


def test_zip_member_with_dot_dot_keeps_the_cache_beside_the_archive(tmp_path):
    folder = tmp_path / "a" / "b"
    folder.mkdir(parents=True)
    archive = folder / "g.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("../../../x.txt", "a 1 2\n")
        z.writestr("sub/y.txt", "b 3 4\n")
    before = set(tmp_path.rglob("*"))
    assert load_vectors(archive, member="../../../x.txt").words == ["a"]
    assert load_vectors(archive, member="sub/y.txt").words == ["b"]
    created = set(tmp_path.rglob("*")) - before
    assert created and all(p.parent == folder for p in created), sorted(created)
    assert isinstance(load_vectors(archive, member="../../../x.txt").vectors, np.memmap)
    assert load_vectors(archive, member="sub/y.txt").words == ["b"]  # its own cache


def test_argument_errors_say_what_was_given(tmp_path):
    path = write_vectors(tmp_path / "v.txt", n=3, dim=2)
    for bad in (True, 2.0, "2"):
        said = re.escape(f"dim must be an integer >= 1 or None, got {bad!r} "
                         f"({type(bad).__name__})")
        with pytest.raises(TypeError, match=said):
            load_vectors(path, dim=bad, cache=False)
        with pytest.raises(TypeError, match=said):
            embedding_matrix({"the": 1}, 2, path, dim=bad, cache=False)
    with pytest.raises(TypeError, match=r"word_index must be a dict of word -> index \(such as "
                                        r"Tokenizer.word_index\), got a list"):
        embedding_matrix(["the", "of"], 3, path, cache=False)
    with pytest.raises(TypeError, match=r"word_index maps 1 to 'the' \(str\).*index_word"):
        embedding_matrix({1: "the"}, 3, path, cache=False)
    with pytest.raises(TypeError, match=r"num_words must be an integer >= 1, got True \(bool\)"):
        embedding_matrix({"the": 1}, True, path, cache=False)


@pytest.mark.parametrize("call, message", [
    (lambda p: embedding_matrix({"the": True}, 2, p), r"word_index maps 'the' to True \(bool\)"),
    (lambda p: embedding_matrix({"the": 1.0}, 2, p), r"word_index maps 'the' to 1\.0 \(float\)"),
    (lambda p: embedding_matrix({"the": 1, 7: 2}, 3, p, cache=False),  # issue 19: was "argument
     r"word_index maps 7 \(int\) to 2; its keys must be words \(str\)"),  # of type 'int' ..."
    (lambda p: embedding_matrix({"the": 1}, 2, p, encoding=8), r"encoding must be a str, got 8"),
    (lambda p: load_vectors(p, cache=1), r"cache must be True, False or a folder \(str or "
                                         r"os\.PathLike\), got 1 \(int\)"),
])
def test_a_wrong_type_is_a_type_error(tmp_path, call, message):
    """One rule (textseq._checks): a wrong type is a TypeError, a bad value a ValueError."""
    path = write_vectors(tmp_path / "v.txt", n=3, dim=2)
    with pytest.raises(TypeError, match=message):
        call(path)
    assert load_vectors(path, dim=np.int64(2), cache=False).dim == 2  # numpy integers pass
