"""textseq.archives: one set of member rules for extract_tar and read_split, damaged zips,
killed and concurrent extractions, permissions."""

from __future__ import annotations

import io
import os
import stat
import subprocess
import sys
import tarfile
import textwrap
import zipfile
import zlib
from pathlib import Path

import pytest
from conftest import make_tarball

from textseq import archives
from textseq.archives import ArchiveError, extract_tar, verify_zip
from textseq.atomic import is_temp_name
from textseq.imdb.reviews import DataError, read_split


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def _add(tar: tarfile.TarFile, name: str, data: bytes = b"fine film", **fields) -> None:
    info = tarfile.TarInfo(name)
    for key, value in fields.items():
        setattr(info, key, value)
    if info.type == tarfile.REGTYPE:
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    else:
        tar.addfile(info)


def _archive(tmp_path: Path, tiny_aclimdb: Path, *extra: tuple) -> Path:
    path = tmp_path / "odd.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        tar.add(tiny_aclimdb, arcname="aclImdb")
        for name, fields in extra:
            _add(tar, name, **fields)
    return path


# Each archive is the tiny tree plus one odd member; read_split (in the train split) and
# extract_tar used to disagree on most of them.
ODD_MEMBERS = {
    "absolute": (("/aclImdb/train/pos/99_8.txt", {}),),
    "dotdot": (("aclImdb/train/../train/pos/98_8.txt", {}),),
    "duplicate": (("aclImdb/train/pos/3_9.txt", {"data": b"second copy"}),),
    "dot-duplicate": (("./aclImdb/train/pos/3_9.txt", {"data": b"second copy"}),),
    "symlink elsewhere": (("aclImdb/README", {"type": tarfile.SYMTYPE,
                                              "linkname": "/etc/passwd"}),),
    "outside the root": (("notes/readme.txt", {}),),
    "file then folder": (("aclImdb/train/pos/3_9.txt/", {"type": tarfile.DIRTYPE}),),
}
MESSAGES = {
    "absolute": "member '/aclImdb/train/pos/99_8.txt' has an absolute path",
    "dotdot": "member 'aclImdb/train/../train/pos/98_8.txt' escapes the target folder",
    "duplicate": "member 'aclImdb/train/pos/3_9.txt' appears twice in the archive",
    "dot-duplicate": "member './aclImdb/train/pos/3_9.txt' appears twice in the archive",
    "symlink elsewhere": "member 'aclImdb/README' is a symbolic link",
    "outside the root": "member 'notes/readme.txt' lies outside 'aclImdb/'",
    "file then folder": "member 'aclImdb/train/pos/3_9.txt' appears twice in the archive",
}


@pytest.mark.parametrize("case", sorted(ODD_MEMBERS))
def test_extract_tar_and_read_split_apply_the_same_member_rules(tmp_path, tiny_aclimdb, case):
    """Issue 11, fault 7: read_split read an absolute member that extract_tar refused, and
    extract_tar kept the second copy of a duplicate member that read_split rejected."""
    archive = _archive(tmp_path, tiny_aclimdb, *ODD_MEMBERS[case])
    with pytest.raises(ArchiveError) as extracted:
        extract_tar(archive, tmp_path / "out" / "aclImdb", root="aclImdb")
    with pytest.raises(DataError) as read:
        read_split(archive, "train")
    assert str(read.value) == str(extracted.value)
    assert str(read.value).startswith(f"{archive}: {MESSAGES[case]}")
    assert names(tmp_path / "out") == []


def test_the_member_rules_accept_the_ordinary_layout(tmp_path, tiny_aclimdb):
    archive = make_tarball(tiny_aclimdb, tmp_path / "a.tar.gz")
    with tarfile.open(archive) as tar:
        got = [str(rel) for _, rel in archives.iter_members(tar, archive, "aclImdb")]
    assert "train/pos/3_9.txt" in got and None not in got
    assert len(got) == len(set(got))
    dest = extract_tar(archive, tmp_path / "out", root="aclImdb")
    assert read_split(dest).texts == read_split(archive).texts


def test_an_archive_of_dot_is_extracted_without_a_root(tmp_path):
    """``tar czf x.tar.gz -C folder .`` names its members ./, ./a.txt, ./sub/, ..."""
    archive = tmp_path / "dot.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        _add(tar, "./", type=tarfile.DIRTYPE)
        _add(tar, "./a.txt", data=b"a")
        _add(tar, "./sub", type=tarfile.DIRTYPE)
        _add(tar, "./sub/b.txt", data=b"b")
        _add(tar, "sub", type=tarfile.DIRTYPE)  # a folder twice is harmless
    dest = extract_tar(archive, tmp_path / "out")
    assert (dest / "a.txt").read_bytes() == b"a" and (dest / "sub" / "b.txt").read_bytes() == b"b"
    with tarfile.open(tmp_path / "twice.tar", "w") as tar:
        _add(tar, "./a.txt", data=b"a")
        _add(tar, "a.txt", data=b"other")
    with pytest.raises(ArchiveError, match="member 'a.txt' appears twice in the archive"):
        extract_tar(tmp_path / "twice.tar", tmp_path / "out2")


def _zip_with_corrupt_deflate(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("glove.6B.50d.txt", b"the 0.1 0.2\n" * 500)
        zf.writestr("glove.6B.100d.txt", bytes(range(256)) * 40)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("glove.6B.100d.txt")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for i in range(start, start + 40):
        data[i] ^= 0xFF  # garbage inside the deflate stream itself
    path.write_bytes(bytes(data))
    with zipfile.ZipFile(path) as zf, pytest.raises(zlib.error):
        zf.testzip()  # the damage this test is about: zipfile raises zlib's own error
    return path


def test_verify_zip_names_the_member_with_a_corrupt_deflate_stream(tmp_path):
    """Issue 11, fault 8: a raw zlib.error escaped from verify_zip."""
    path = _zip_with_corrupt_deflate(tmp_path / "glove.zip")
    with pytest.raises(ArchiveError) as info:
        verify_zip(path)
    assert str(info.value).startswith(f"{path}: member 'glove.6B.100d.txt' is damaged "
                                      "(Error -3 while decompressing data")
    assert isinstance(info.value.__cause__, zlib.error)


def test_verify_zip_truncated_member(tmp_path):
    path = tmp_path / "g.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("a.txt", os.urandom(5000))
    data = path.read_bytes()
    with zipfile.ZipFile(path) as zf:
        end = zf.getinfo("a.txt").header_offset + 30 + 5 + 2000
    path.write_bytes(data[:end] + data[-100:])
    with pytest.raises(ArchiveError, match=rf"{path.name}: .*"):
        verify_zip(path)


def test_extraction_follows_the_umask(tmp_path, tiny_aclimdb):
    """Issue 11, fault 16: the extracted tree was mode 0700 (tempfile.mkdtemp)."""
    archive = make_tarball(tiny_aclimdb, tmp_path / "a.tar.gz")
    old = os.umask(0o022)
    try:
        dest = extract_tar(archive, tmp_path / "out" / "aclImdb", root="aclImdb")
    finally:
        os.umask(old)
    assert stat.S_IMODE(dest.stat().st_mode) == 0o755


def test_a_concurrent_extraction_that_finishes_first_wins(tmp_path, tiny_aclimdb, monkeypatch):
    """Issue 11, fault 5: the loser of the rename race died with OSError: Directory not empty."""
    archive = make_tarball(tiny_aclimdb, tmp_path / "a.tar.gz")
    dest = tmp_path / "out" / "aclImdb"
    real_extract, calls = tarfile.TarFile.extract, []

    def extract(self, *args, **kwargs):
        if not calls:
            calls.append(1)
            monkeypatch.setattr(tarfile.TarFile, "extract", real_extract)
            extract_tar(archive, dest, root="aclImdb")  # the other process, start to end
        return real_extract(self, *args, **kwargs)

    monkeypatch.setattr(tarfile.TarFile, "extract", extract)
    assert extract_tar(archive, dest, root="aclImdb") == dest
    assert calls == [1]
    assert names(dest.parent) == ["aclImdb"]
    assert read_split(dest).texts == read_split(tiny_aclimdb).texts


@pytest.mark.parametrize("signal_name", ["SIGKILL", "SIGTERM"])
def test_a_killed_extraction_leaves_nothing_the_next_one_trips_over(tmp_path, tiny_aclimdb,
                                                                     signal_name):
    """Issue 11, fault 4: the temporary folder of a killed extraction was never removed."""
    archive = make_tarball(tiny_aclimdb, tmp_path / "a.tar.gz")
    dest = tmp_path / "out" / "aclImdb"
    child = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import tarfile, time
        from textseq.archives import extract_tar
        real = tarfile.TarFile.extract
        def slow(self, *args, **kwargs):
            real(self, *args, **kwargs)
            print("extracting", flush=True)
            time.sleep(60)
        tarfile.TarFile.extract = slow
        extract_tar({str(archive)!r}, {str(dest)!r}, root="aclImdb")
    """)], stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline() == "extracting\n"
    child.send_signal(getattr(__import__("signal"), signal_name))
    child.wait()
    left = names(dest.parent)
    assert len(left) == 1 and left[0].startswith(".aclImdb.tmp-")  # what the kill left
    assert extract_tar(archive, dest, root="aclImdb") == dest
    assert names(dest.parent) == ["aclImdb"]
    assert not any(is_temp_name(p.name) for p in dest.rglob("*"))
