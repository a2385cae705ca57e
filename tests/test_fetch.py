"""The promises of textseq's downloads, one test (or table) each, against a real HTTP server on
127.0.0.1 serving archives the tests build (never the internet):

- the pinned sizes and SHA-256 of aclImdb_v1.tar.gz and glove.6B.zip, checked on every file;
- the offline error names the URL, size, checksum and where to put the file by hand;
- unsafe archive members are refused, with one error naming the member;
- a killed download or extraction leaves nothing half-written (slow);
- two concurrent first runs both succeed (slow);
- the TEXTSEQ_DATA_DIR messages;
- a progress bar on stderr, and a cache the next call uses without the network.
"""

from __future__ import annotations

import hashlib
import http.server
import io
import os
import shutil
import socket
import stat
import subprocess
import sys
import tarfile
import textwrap
import threading
import time
import zipfile
from pathlib import Path

import pytest
from conftest import TINY_REVIEWS, make_tarball

from textseq import _files as paths
from textseq.imdb import DataError, fetch, read_split
from textseq.imdb.fetch import ArchiveError, DownloadError, OfflineError, Resource, iter_members


class Server:
    """A ThreadingHTTPServer on 127.0.0.1 serving ``routes``: path -> (kind, body).

    Kinds: "ok"; "stall" (1,000 bytes, then nothing for 30 s); "together" (waits until a second
    request for it arrives, 10 s at most, then sends); a missing route is a 404.
    """

    def __init__(self):
        self.routes: dict[str, tuple[str, bytes]] = {}
        self.requests: list[str] = []
        self.barrier = threading.Barrier(2, timeout=10)
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                server.requests.append(self.path)
                kind, body = server.routes.get(self.path, ("404", b""))
                if kind == "404":
                    self.send_error(404, "Not Found")
                    return
                if kind == "together":
                    try:
                        server.barrier.wait()
                    except threading.BrokenBarrierError:
                        pass
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    if kind == "stall":
                        self.wfile.write(body[:1000])
                        self.wfile.flush()
                        time.sleep(30)
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client was killed

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True).start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch):
    """No proxy sees the test traffic, and nothing but 127.0.0.1 is ever contacted."""
    for name in ("http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.delenv("TEXTSEQ_OFFLINE", raising=False)
    real_connect = socket.socket.connect

    def connect(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6):
            assert address[0] in ("127.0.0.1", "localhost"), f"connection to {address}"
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)


@pytest.fixture
def server():
    srv = Server()
    yield srv
    srv.stop()


def closed_port_url(path: str) -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}{path}"


def pin(monkeypatch, name: str, data: bytes, urls: list[str]) -> Resource:
    """Point fetch.ACLIMDB or fetch.GLOVE6B at ``urls`` serving ``data``."""
    res = Resource(getattr(fetch, name).filename, tuple(urls), len(data),
                   hashlib.sha256(data).hexdigest())
    monkeypatch.setattr(fetch, name, res)
    return res


def temporaries(folder: Path) -> list[str]:
    """Hidden or tmp* entries anywhere under ``folder`` (what a half-done write leaves)."""
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                  if p.name.startswith((".", "tmp")) and p.name != ".textseq-complete")


def zip_bytes(members: dict[str, bytes]) -> bytes:
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as zf:
        for name, content in members.items():
            zf.writestr(name, content)
    return data.getvalue()


# --- the pins ---------------------------------------------------------------------------------

def test_the_pins_are_the_published_sizes_and_sha256():
    assert fetch.ACLIMDB == Resource(
        "aclImdb_v1.tar.gz", ("https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz",),
        84_125_825, "c40f74a18d3b61f90feba1e17730e0d38e8b97c05fde7008942e91923d1658fe")
    assert fetch.GLOVE6B == Resource(
        "glove.6B.zip", ("https://nlp.stanford.edu/data/glove.6B.zip",
                         "https://downloads.cs.stanford.edu/nlp/data/glove.6B.zip"),
        862_182_613, "617afb2fe6cbd085c235baf7a465b96f4112bd7f7ccb2b2cbd649fed9cbcf2fb")


def test_a_download_that_does_not_match_its_pin_is_refused(server, tmp_path, monkeypatch):
    data = zip_bytes({"glove.6B.50d.txt": b"the 0.1 0.2\n"})
    server.routes["/glove.6B.zip"] = ("ok", data[:-1] + b"!")  # one byte differs
    res = pin(monkeypatch, "GLOVE6B", data, [server.url("/glove.6B.zip")])
    cache = tmp_path / "cache"
    with pytest.raises(DownloadError) as info:
        fetch.ensure_glove6b(cache, progress=False)
    assert not isinstance(info.value, OfflineError)
    for fact in ("Download failed", server.url("/glove.6B.zip"), res.sha256,
                 f"size:    {len(data):,} bytes", str(cache / "glove.6B.zip")):
        assert fact in str(info.value)
    assert not (cache / "glove.6B.zip").exists() and temporaries(cache) == []


def test_every_url_failing_is_a_download_error_naming_each(server, tmp_path, monkeypatch):
    res = pin(monkeypatch, "GLOVE6B", b"zip", [server.url("/a.zip"), server.url("/b.zip")])
    with pytest.raises(DownloadError) as info:
        fetch.ensure_glove6b(tmp_path / "cache", progress=False)
    assert not isinstance(info.value, OfflineError)  # the server answered: not "no network"
    for fact in ("Download failed", res.urls[0], res.urls[1], res.sha256):
        assert fact in str(info.value)
    assert str(info.value).count("404") >= 2
    assert not (tmp_path / "cache" / "glove.6B.zip").exists()
    assert temporaries(tmp_path / "cache") == []


def test_a_file_in_the_cache_is_checked_against_its_pin(tmp_path, monkeypatch):
    data = zip_bytes({"glove.6B.50d.txt": b"the 0.1 0.2\n"})
    res = pin(monkeypatch, "GLOVE6B", data, [closed_port_url("/glove.6B.zip")])
    dest = tmp_path / "glove.6B.zip"
    dest.write_bytes(data)  # put there by hand
    assert fetch.ensure_glove6b(tmp_path, offline=True, progress=False) == dest
    dest.write_bytes(data[:-1])
    with pytest.raises(DownloadError, match=rf"expected {len(data):,} bytes, found "
                                            rf"{len(data) - 1:,}; delete the file"):
        fetch.ensure_glove6b(tmp_path, offline=True, progress=False)
    dest.write_bytes(data[:-1] + b"!")  # the right size, other bytes
    with pytest.raises(DownloadError, match=f"expected SHA-256 {res.sha256}, got "):
        fetch.ensure_glove6b(tmp_path, offline=True, progress=False)
    assert dest.read_bytes()[-1:] == b"!"  # a file we did not write is never deleted


# --- offline ----------------------------------------------------------------------------------

def test_the_offline_error_says_what_to_download_and_where_to_put_it(tmp_path, monkeypatch):
    res = pin(monkeypatch, "ACLIMDB", b"x" * 1234, [closed_port_url("/aclImdb_v1.tar.gz")])
    cache = tmp_path / "cache"
    with pytest.raises(OfflineError) as info:
        fetch.ensure_aclimdb(cache, progress=False)
    for fact in ("No network", res.urls[0], "size:    1,234 bytes", f"SHA-256: {res.sha256}",
                 f"put it at\n    {cache / 'aclImdb_v1.tar.gz'}"):
        assert fact in str(info.value)
    assert temporaries(cache) == []


def test_offline_mode_never_connects(server, tmp_path, monkeypatch):
    pin(monkeypatch, "ACLIMDB", b"x", [server.url("/a.tar.gz")])
    monkeypatch.setenv("TEXTSEQ_DATA_DIR", str(tmp_path / "envcache"))
    with pytest.raises(OfflineError, match="offline mode is on") as info:
        fetch.ensure_aclimdb(offline=True)
    assert str(tmp_path / "envcache" / "aclImdb_v1.tar.gz") in str(info.value)
    monkeypatch.setenv("TEXTSEQ_OFFLINE", "1")
    with pytest.raises(OfflineError, match="offline mode is on"):
        fetch.ensure_glove6b()
    assert server.requests == []


# --- download, extraction, cache, progress ----------------------------------------------------

def test_aclimdb_is_downloaded_extracted_then_used_offline(
        server, tmp_path, tiny_aclimdb_tarball, tiny_aclimdb, monkeypatch):
    data = tiny_aclimdb_tarball.read_bytes()
    server.routes["/aclImdb_v1.tar.gz"] = ("ok", data)
    pin(monkeypatch, "ACLIMDB", data, [server.url("/aclImdb_v1.tar.gz")])
    cache = tmp_path / "cache"
    tree = fetch.ensure_aclimdb(cache, progress=False)
    assert tree == cache / "aclImdb" and (cache / "aclImdb_v1.tar.gz").read_bytes() == data
    assert temporaries(cache) == []
    got = read_split(tree, include_unsup=True)
    assert len(got) == sum(len(TINY_REVIEWS["train", lab]) for lab in ("neg", "pos", "unsup"))
    assert got.texts == read_split(tiny_aclimdb, include_unsup=True).texts
    server.stop()
    assert fetch.ensure_aclimdb(cache, progress=False) == tree
    assert server.requests == ["/aclImdb_v1.tar.gz"]


def test_glove_falls_back_to_the_mirror_and_is_cached(server, tmp_path, monkeypatch):
    data = zip_bytes({"glove.6B.50d.txt": b"the 0.1 0.2\n"})
    server.routes["/mirror/glove.6B.zip"] = ("ok", data)
    pin(monkeypatch, "GLOVE6B", data, [server.url("/gone/glove.6B.zip"),
                                       server.url("/mirror/glove.6B.zip")])
    path = fetch.ensure_glove6b(tmp_path / "cache", progress=False)
    assert path == tmp_path / "cache" / "glove.6B.zip" and path.read_bytes() == data
    assert fetch.ensure_glove6b(tmp_path / "cache", progress=False) == path
    assert server.requests == ["/gone/glove.6B.zip", "/mirror/glove.6B.zip"]


def test_a_progress_bar_on_stderr_unless_asked_not_to(server, tmp_path, monkeypatch, capfd):
    data = zip_bytes({"glove.6B.50d.txt": os.urandom(200_000)})
    server.routes["/glove.6B.zip"] = ("ok", data)
    pin(monkeypatch, "GLOVE6B", data, [server.url("/glove.6B.zip")])
    fetch.ensure_glove6b(tmp_path / "quiet", progress=False)
    assert capfd.readouterr() == ("", "")
    fetch.ensure_glove6b(tmp_path / "shown")
    captured = capfd.readouterr()
    assert "100%" in captured.err and captured.out == ""


def test_a_hand_extracted_tree_is_used(tmp_path, tiny_aclimdb, monkeypatch):
    pin(monkeypatch, "ACLIMDB", b"x", [closed_port_url("/a.tar.gz")])
    assert fetch.ensure_aclimdb(tiny_aclimdb.parent, offline=True) == tiny_aclimdb
    (tiny_aclimdb / "test").rename(tmp_path / "moved")
    with pytest.raises(DownloadError, match=r"missing test/; delete it"):
        fetch.ensure_aclimdb(tiny_aclimdb.parent, offline=True)


# --- TEXTSEQ_DATA_DIR -------------------------------------------------------------------------

@pytest.mark.parametrize("ensure", ["ensure_aclimdb", "ensure_glove6b"])
def test_a_data_dir_that_is_a_file_is_named(tmp_path, monkeypatch, ensure):
    (tmp_path / "data").write_text("a file")
    monkeypatch.setenv("TEXTSEQ_DATA_DIR", str(tmp_path / "data"))
    with pytest.raises(NotADirectoryError) as info:
        getattr(fetch, ensure)(progress=False)
    assert str(info.value) == (f"TEXTSEQ_DATA_DIR={tmp_path / 'data'}: is a file; expected a "
                               "folder (point TEXTSEQ_DATA_DIR at a folder, or unset it to use "
                               f"{paths._base() / 'data'})")


@pytest.mark.parametrize("ensure", ["ensure_aclimdb", "ensure_glove6b"])
def test_a_read_only_data_dir_is_named(tmp_path, monkeypatch, ensure):
    folder = tmp_path / "data"
    folder.mkdir()
    monkeypatch.setenv("TEXTSEQ_DATA_DIR", str(folder))
    real_access = os.access  # a read-only folder, even for root (who may write into 0555)
    monkeypatch.setattr(os, "access", lambda path, mode, **kw: (
        False if Path(path) == folder and mode & os.W_OK else real_access(path, mode, **kw)))
    with pytest.raises(PermissionError) as info:
        getattr(fetch, ensure)(progress=False)
    assert str(info.value) == (f"TEXTSEQ_DATA_DIR={folder}: the folder is not writable; "
                               "expected a folder textseq can write to (point TEXTSEQ_DATA_DIR "
                               f"at a folder, or unset it to use {paths._base() / 'data'})")


def test_a_read_only_cache_of_verified_files_still_works(tmp_path, monkeypatch):
    data = zip_bytes({"glove.6B.50d.txt": b"the 0.1 0.2\n"})
    pin(monkeypatch, "GLOVE6B", data, [closed_port_url("/glove.6B.zip")])
    (tmp_path / "glove.6B.zip").write_bytes(data)
    tmp_path.chmod(0o555)
    try:
        assert fetch.ensure_glove6b(tmp_path, progress=False) == tmp_path / "glove.6B.zip"
    finally:
        tmp_path.chmod(0o755)


# --- unsafe archive members -------------------------------------------------------------------

def _add(tar: tarfile.TarFile, name: str, data: bytes = b"fine film", **fields) -> None:
    info = tarfile.TarInfo(name)
    for key, value in fields.items():
        setattr(info, key, value)
    if info.type == tarfile.REGTYPE:
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    else:
        tar.addfile(info)


def place(monkeypatch, archive: Path, cache: Path) -> Path:
    """Put ``archive`` in ``cache``, pinned as aclImdb: ensure_aclimdb extracts it offline."""
    cache.mkdir(parents=True, exist_ok=True)
    placed = shutil.copyfile(archive, cache / "aclImdb_v1.tar.gz")
    pin(monkeypatch, "ACLIMDB", placed.read_bytes(), [closed_port_url("/aclImdb_v1.tar.gz")])
    return placed


def odd_archive(tmp_path: Path, tiny_aclimdb: Path, name: str, **fields) -> Path:
    """The tiny aclImdb tree plus one odd member."""
    path = tmp_path / "odd.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        tar.add(tiny_aclimdb, arcname="aclImdb")
        _add(tar, name, **fields)
    return path


# member, its fields, the error (after "<archive>: member '<name>' ")
UNSAFE = {
    "dotdot": ("aclImdb/../../escape.txt", {}, "escapes the target folder"),
    "absolute": ("/aclImdb/train/pos/99_8.txt", {}, "has an absolute path"),
    "symlink": ("aclImdb/README", {"type": tarfile.SYMTYPE, "linkname": "/etc/passwd"},
                "is a symbolic link"),
    "hard link": ("aclImdb/train/neg/3_1.txt", {"type": tarfile.LNKTYPE,
                                                "linkname": "aclImdb/train/pos/3_9.txt"},
                  "is a hard link"),
    "device": ("aclImdb/dev", {"type": tarfile.CHRTYPE}, "is a device"),
    "fifo": ("aclImdb/pipe", {"type": tarfile.FIFOTYPE}, "is a FIFO"),
    "outside the root": ("notes/readme.txt", {}, "lies outside 'aclImdb/'"),
    "duplicate": ("aclImdb/train/pos/3_9.txt", {"data": b"second copy"},
                  "appears twice in the archive"),
    "dot-duplicate": ("./aclImdb/train/pos/3_9.txt", {"data": b"second copy"},
                      "appears twice in the archive"),
    "file then folder": ("aclImdb/train/pos/3_9.txt/", {"type": tarfile.DIRTYPE},
                         "appears twice in the archive"),
}


@pytest.mark.parametrize("case", sorted(UNSAFE))
def test_unsafe_members_are_refused_by_extraction_and_reader_alike(tmp_path, tiny_aclimdb, case,
                                                                   monkeypatch):
    """Issue 11, fault 7: read_split read an absolute member that extract_tar refused, and
    extract_tar kept the second copy of a duplicate member that read_split rejected."""
    name, fields, message = UNSAFE[case]
    cache = tmp_path / "cache"
    archive = place(monkeypatch, odd_archive(tmp_path, tiny_aclimdb, name, **fields), cache)
    with pytest.raises(ArchiveError) as extracted:
        fetch.ensure_aclimdb(cache, offline=True)
    shown = name.rstrip("/") if case == "file then folder" else name
    assert str(extracted.value).startswith(f"{archive}: member {shown!r} {message}")
    with pytest.raises(DataError) as read:
        read_split(archive, "train")
    assert str(read.value) == str(extracted.value)
    assert not (cache / "aclImdb").exists() and temporaries(cache) == []
    assert not (tmp_path / "escape.txt").exists()


def test_a_download_with_an_unsafe_member_is_not_extracted(server, tmp_path, tiny_aclimdb,
                                                           monkeypatch):
    data = odd_archive(tmp_path, tiny_aclimdb, "aclImdb/../evil.txt").read_bytes()
    server.routes["/a.tar.gz"] = ("ok", data)
    pin(monkeypatch, "ACLIMDB", data, [server.url("/a.tar.gz")])
    with pytest.raises(ArchiveError, match="'aclImdb/../evil.txt' escapes the target folder"):
        fetch.ensure_aclimdb(tmp_path / "cache", progress=False)
    assert not (tmp_path / "cache" / "aclImdb").exists() and not (tmp_path / "evil.txt").exists()
    assert temporaries(tmp_path / "cache") == []


def test_the_member_rules_accept_the_ordinary_layouts(tmp_path, tiny_aclimdb, monkeypatch):
    archive = make_tarball(tiny_aclimdb, tmp_path / "a.tar.gz")
    with tarfile.open(archive) as tar:
        got = [str(rel) for _, rel in iter_members(tar, archive, "aclImdb")]
    assert "train/pos/3_9.txt" in got and None not in got and len(got) == len(set(got))
    dot = odd_archive(tmp_path, tiny_aclimdb, "./aclImdb/train/", type=tarfile.DIRTYPE)
    place(monkeypatch, dot, tmp_path / "cache")  # ./ names, and a folder twice, are harmless
    tree = fetch.ensure_aclimdb(tmp_path / "cache", offline=True)
    assert read_split(tree).texts == read_split(archive).texts == read_split(dot).texts


def test_a_damaged_archive_is_named(tiny_aclimdb, tmp_path, monkeypatch):
    archive = make_tarball(tiny_aclimdb, tmp_path / "a.tar.gz")
    archive.write_bytes(archive.read_bytes()[:-200])
    archive = place(monkeypatch, archive, tmp_path / "cache")
    with pytest.raises(ArchiveError, match=f"{archive}: damaged or not a tar archive"):
        fetch.ensure_aclimdb(tmp_path / "cache", offline=True)
    assert not (tmp_path / "cache" / "aclImdb").exists() and temporaries(tmp_path / "cache") == []


# --- kills and concurrent first runs ----------------------------------------------------------

def test_a_concurrent_extraction_that_finishes_first_wins(tmp_path, tiny_aclimdb, monkeypatch):
    """Issue 11, fault 5: the loser of the rename race died with OSError: Directory not empty."""
    cache = tmp_path / "cache"
    place(monkeypatch, make_tarball(tiny_aclimdb, tmp_path / "a.tar.gz"), cache)
    real_extract, calls = tarfile.TarFile.extract, []

    def extract(self, *args, **kwargs):
        if not calls:
            calls.append(1)
            monkeypatch.setattr(tarfile.TarFile, "extract", real_extract)
            fetch.ensure_aclimdb(cache, offline=True)  # the other process, start to end
        return real_extract(self, *args, **kwargs)

    monkeypatch.setattr(tarfile.TarFile, "extract", extract)
    assert fetch.ensure_aclimdb(cache, offline=True) == cache / "aclImdb"
    assert calls == [1] and temporaries(cache) == []
    assert read_split(cache / "aclImdb").texts == read_split(tiny_aclimdb).texts


def child(code: str, **kwargs) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(code)],
                            env={**env, "no_proxy": "127.0.0.1", "NO_PROXY": "127.0.0.1"},
                            **kwargs)


def child_pins(name: str, res: Resource) -> str:
    return (f"import {fetch.__name__} as fetch\n"
            f"fetch.{name} = fetch.Resource(*{(res.filename, res.urls, res.size, res.sha256)!r})\n")


@pytest.mark.slow
def test_a_killed_download_leaves_nothing_the_next_run_trips_over(server, tmp_path, monkeypatch):
    """Issue 11, fault 4: the temporary file of a killed download was never removed."""
    data = zip_bytes({"glove.6B.50d.txt": os.urandom(100_000)})
    server.routes["/slow.zip"] = ("stall", data)
    server.routes["/glove.6B.zip"] = ("ok", data)
    cache = tmp_path / "cache"
    stalled = Resource("glove.6B.zip", (server.url("/slow.zip"),), len(data),
                       hashlib.sha256(data).hexdigest())
    run = child(child_pins("GLOVE6B", stalled)
                + f"fetch.ensure_glove6b({str(cache)!r}, progress=False)")
    deadline = time.monotonic() + 30
    while "/slow.zip" not in server.requests:  # the download has begun
        assert time.monotonic() < deadline and run.poll() is None
        time.sleep(0.02)
    time.sleep(0.2)
    run.kill()
    run.wait()
    assert temporaries(cache) != []  # what the kill left
    pin(monkeypatch, "GLOVE6B", data, [server.url("/glove.6B.zip")])
    old = os.umask(0o022)
    try:
        assert fetch.ensure_glove6b(cache, progress=False).read_bytes() == data
    finally:
        os.umask(old)
    assert temporaries(cache) == []
    # issue 11, fault 16: readable by others (tempfile's files are 0600)
    assert stat.S_IMODE((cache / "glove.6B.zip").stat().st_mode) == 0o644


@pytest.mark.slow
@pytest.mark.parametrize("signal_name", ["SIGKILL", "SIGTERM"])
def test_a_killed_extraction_leaves_nothing_the_next_one_trips_over(tmp_path, tiny_aclimdb,
                                                                     signal_name, monkeypatch):
    """Issue 11, fault 4: the temporary folder of a killed extraction was never removed."""
    cache = tmp_path / "cache"
    place(monkeypatch, make_tarball(tiny_aclimdb, tmp_path / "a.tar.gz"), cache)
    run = child(child_pins("ACLIMDB", fetch.ACLIMDB) + textwrap.dedent(f"""
        import tarfile, time
        real = tarfile.TarFile.extract
        def slow(self, *args, **kwargs):
            real(self, *args, **kwargs)
            print("extracting", flush=True)
            time.sleep(60)
        tarfile.TarFile.extract = slow
        fetch.ensure_aclimdb({str(cache)!r}, offline=True)
    """), stdout=subprocess.PIPE, text=True)
    assert run.stdout.readline() == "extracting\n"
    run.send_signal(getattr(__import__("signal"), signal_name))
    run.wait()
    run.stdout.close()
    assert temporaries(cache) != []  # what the kill left
    old = os.umask(0o022)
    try:
        tree = fetch.ensure_aclimdb(cache, offline=True)
    finally:
        os.umask(old)
    assert temporaries(cache) == [] and read_split(tree).texts == read_split(tiny_aclimdb).texts
    assert stat.S_IMODE(tree.stat().st_mode) == 0o755  # issue 11, fault 16: not mkdtemp's 0700


@pytest.mark.slow
def test_two_first_runs_at_once_both_succeed(server, tmp_path, tiny_aclimdb_tarball,
                                             tiny_aclimdb):
    """Issue 11, fault 5: two notebooks starting at once; the server answers both together."""
    data = tiny_aclimdb_tarball.read_bytes()
    server.routes["/aclImdb_v1.tar.gz"] = ("together", data)
    res = Resource("aclImdb_v1.tar.gz", (server.url("/aclImdb_v1.tar.gz"),), len(data),
                   hashlib.sha256(data).hexdigest())
    cache = tmp_path / "cache"
    code = child_pins("ACLIMDB", res) + f"print(fetch.ensure_aclimdb({str(cache)!r}))"
    runs = [child(code, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(2)]
    for run in runs:
        out, err = run.communicate(timeout=60)
        assert run.returncode == 0, err
        assert out == f"{cache / 'aclImdb'}\n"
    assert temporaries(cache) == []
    assert read_split(cache / "aclImdb").texts == read_split(tiny_aclimdb).texts
