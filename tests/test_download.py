"""Tests for textseq.download and textseq.archives, against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import hashlib
import http.server
import io
import os
import socket
import stat
import struct
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

from textseq import download, paths
from textseq.download import (
    ArchiveError,
    DownloadError,
    OfflineError,
    Resource,
    ensure_aclimdb,
    ensure_glove6b,
    extract_tar,
    fetch,
    verify_zip,
)
from textseq.imdb.reviews import read_split

PAYLOAD = bytes(range(256)) * 4000  # 1,024,000 bytes: several read chunks
PAYLOAD_SHA = hashlib.sha256(PAYLOAD).hexdigest()


class Server:
    """A ThreadingHTTPServer on 127.0.0.1 (port 0) serving routes the test defines.

    Route kinds: ("ok", body), ("truncate", body) announces len(body) and sends half, then
    closes; ("drop", body) sends half, then resets the connection; ("stall", body) sends 1,000
    bytes, then nothing for ``stall`` seconds; ("404", None).
    """

    def __init__(self):
        self.routes: dict[str, tuple[str, bytes | None]] = {}
        self.stall = 1.5  # seconds a "stall" route waits after its first 1,000 bytes
        self.requests: list[str] = []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                server.requests.append(self.path)
                kind, body = server.routes.get(self.path, ("404", None))
                if kind == "404":
                    self.send_error(404, "Not Found")
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/octet-stream")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if kind == "ok":
                    self.wfile.write(body)
                    return
                if kind == "stall":  # 1,000 bytes, then nothing for longer than the timeout
                    self.wfile.write(body[:1000])
                    self.wfile.flush()
                    time.sleep(server.stall)
                    self.close_connection = True
                    return
                self.wfile.write(body[: len(body) // 2])
                self.wfile.flush()
                if kind == "drop":  # RST instead of FIN
                    self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                               struct.pack("ii", 1, 0))
                self.close_connection = True

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch):
    """No proxy may see the test traffic, and nothing but 127.0.0.1 is ever contacted."""
    for name in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY",
                 "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.delenv("TEXTSEQ_OFFLINE", raising=False)
    real_create = socket.create_connection

    def create_connection(address, *args, **kwargs):
        assert address[0] in ("127.0.0.1", "localhost"), f"non-loopback connection to {address}"
        return real_create(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", create_connection)


@pytest.fixture
def server():
    srv = Server()
    yield srv
    srv.stop()


def closed_port_url(path: str) -> str:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return f"http://127.0.0.1:{port}{path}"


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


# --- fetch ------------------------------------------------------------------------------------

def test_fetch_success_quiet(server, tmp_path, capsys):
    server.routes["/f.bin"] = ("ok", PAYLOAD)
    dest = tmp_path / "cache" / "f.bin"
    assert fetch(server.url("/f.bin"), dest, size=len(PAYLOAD), sha256=PAYLOAD_SHA,
                 progress=False) == dest
    assert dest.read_bytes() == PAYLOAD
    assert leftovers(dest.parent) == ["f.bin", "f.bin.sha256"]
    assert capsys.readouterr().err == ""


def test_fetch_progress_bar_on_stderr(server, tmp_path, capsys):
    server.routes["/f.bin"] = ("ok", PAYLOAD)
    fetch(server.url("/f.bin"), tmp_path / "f.bin", size=len(PAYLOAD), sha256=PAYLOAD_SHA)
    captured = capsys.readouterr()
    assert "f.bin" in captured.err and "100%" in captured.err
    assert captured.out == ""


@pytest.mark.parametrize("kind, size, sha, message", [
    ("ok", len(PAYLOAD) + 1, PAYLOAD_SHA,
     f"size mismatch: expected {len(PAYLOAD) + 1:,} bytes, the server announces "
     f"{len(PAYLOAD):,}"),
    ("ok", len(PAYLOAD), "0" * 64,
     f"checksum mismatch: expected SHA-256 {'0' * 64}, got {PAYLOAD_SHA}"),
    ("truncate", len(PAYLOAD), PAYLOAD_SHA,
     f"truncated transfer: expected {len(PAYLOAD):,} bytes, received {len(PAYLOAD) // 2:,}"),
    ("404", len(PAYLOAD), PAYLOAD_SHA, "HTTP 404 Not Found; expected 200 OK"),
])
def test_fetch_failures_leave_nothing(server, tmp_path, kind, size, sha, message):
    server.routes["/f.bin"] = (kind, PAYLOAD)
    url = server.url("/f.bin")
    with pytest.raises(DownloadError) as info:
        fetch(url, tmp_path / "f.bin", size=size, sha256=sha, progress=False)
    assert str(info.value) == f"{url}: {message}"
    assert leftovers(tmp_path) == []


def test_fetch_dropped_connection(server, tmp_path):
    server.routes["/f.bin"] = ("drop", PAYLOAD)
    url = server.url("/f.bin")
    with pytest.raises(DownloadError) as info:
        fetch(url, tmp_path / "f.bin", size=len(PAYLOAD), sha256=PAYLOAD_SHA, progress=False)
    text = str(info.value)
    assert text.startswith(f"{url}: ")
    assert ("connection dropped after" in text or "truncated transfer" in text)
    assert f"of {len(PAYLOAD):,} bytes" in text or f"expected {len(PAYLOAD):,} bytes" in text
    assert leftovers(tmp_path) == []


def test_fetch_unreachable_is_offline_error(tmp_path):
    url = closed_port_url("/f.bin")
    with pytest.raises(OfflineError, match=f"{url}: could not connect"):
        fetch(url, tmp_path / "f.bin", size=1, sha256="0" * 64, progress=False)
    assert leftovers(tmp_path) == []


def test_fetch_reuses_cache_without_network(server, tmp_path):
    server.routes["/f.bin"] = ("ok", PAYLOAD)
    url, dest = server.url("/f.bin"), tmp_path / "f.bin"
    fetch(url, dest, size=len(PAYLOAD), sha256=PAYLOAD_SHA, progress=False)
    server.stop()
    assert fetch(url, dest, size=len(PAYLOAD), sha256=PAYLOAD_SHA, progress=False) == dest
    assert server.requests == ["/f.bin"]


def test_fetch_existing_file_checked_once(tmp_path, monkeypatch):
    dest = tmp_path / "f.bin"
    dest.write_bytes(PAYLOAD)  # put there by hand: no sidecar yet
    url = closed_port_url("/f.bin")
    fetch(url, dest, size=len(PAYLOAD), sha256=PAYLOAD_SHA, progress=False)
    assert (tmp_path / "f.bin.sha256").read_text().split()[0] == PAYLOAD_SHA
    calls = []
    monkeypatch.setattr(download, "_sha256_of", lambda *a: calls.append(a) or PAYLOAD_SHA)
    fetch(url, dest, size=len(PAYLOAD), sha256=PAYLOAD_SHA, progress=False)
    assert calls == []  # remembered by the sidecar


def test_fetch_existing_file_wrong(tmp_path):
    dest = tmp_path / "f.bin"
    url = closed_port_url("/f.bin")
    dest.write_bytes(PAYLOAD[:-1])
    with pytest.raises(DownloadError, match=rf"f.bin: expected {len(PAYLOAD):,} bytes, found "
                                            rf"{len(PAYLOAD) - 1:,}; delete the file"):
        fetch(url, dest, size=len(PAYLOAD), sha256=PAYLOAD_SHA, progress=False)
    dest.write_bytes(b"x" + PAYLOAD[1:])  # same size, other bytes
    with pytest.raises(DownloadError, match=f"expected SHA-256 {PAYLOAD_SHA}, got "):
        fetch(url, dest, size=len(PAYLOAD), sha256=PAYLOAD_SHA, progress=False)
    assert dest.read_bytes()[:1] == b"x"  # a file we did not write is never deleted


def test_fetch_tampered_after_verification(server, tmp_path):
    server.routes["/f.bin"] = ("ok", PAYLOAD)
    url, dest = server.url("/f.bin"), tmp_path / "f.bin"
    fetch(url, dest, size=len(PAYLOAD), sha256=PAYLOAD_SHA, progress=False)
    dest.write_bytes(PAYLOAD[::-1])  # same size, new mtime: the sidecar no longer applies
    with pytest.raises(DownloadError, match="expected SHA-256"):
        fetch(url, dest, size=len(PAYLOAD), sha256=PAYLOAD_SHA, progress=False)


@pytest.mark.parametrize("kwargs, error, message", [
    ({"sha256": "abc"}, ValueError, "sha256 must be a str of 64 hex digits, got 'abc'"),
    ({"size": -1}, ValueError, "size must be an integer >= 0, got -1"),
    # Issue 11, fault 15: a size given as a string, sha256=None, bad URLs
    ({"size": "1024"}, TypeError, r"size must be an integer >= 0, got '1024' \(str\)"),
    ({"size": 1024.0}, TypeError, r"size must be an integer >= 0, got 1024.0 \(float\)"),
    ({"sha256": None}, TypeError, r"sha256 must be a str of 64 hex digits, got None "
                                  r"\(NoneType\)"),
    ({"url": "not a url"}, ValueError, "url must be an http:// or https:// address with a host, "
                                       "got 'not a url'"),
    ({"url": "ftp://127.0.0.1/x"}, ValueError, "url must be an http:// or https:// address"),
    ({"url": "http:///x"}, ValueError, "url must be an http:// or https:// address with a host"),
    ({"url": b"http://127.0.0.1/x"}, TypeError, r"url must be an http:// or https:// address, "
                                                r"got b'http://127.0.0.1/x' \(bytes\)"),
    ({"timeout": 0}, ValueError, "timeout must be a number > 0, got 0"),
    ({"timeout": "5"}, TypeError, r"timeout must be a number > 0, got '5' \(str\)"),
])
def test_fetch_bad_arguments(tmp_path, kwargs, error, message):
    args = {"url": "http://127.0.0.1:9/x", "size": 1, "sha256": "0" * 64, **kwargs}
    with pytest.raises(error, match=message):
        fetch(args.pop("url"), tmp_path / "x", **args)
    assert leftovers(tmp_path) == []


def test_fetch_never_reads_local_files(tmp_path):
    """A file:// URL used to be read by urllib as if it were a download."""
    source = tmp_path / "source.bin"
    source.write_bytes(PAYLOAD)
    with pytest.raises(ValueError, match="url must be an http:// or https:// address"):
        fetch(source.as_uri(), tmp_path / "copy.bin", size=len(PAYLOAD), sha256=PAYLOAD_SHA)
    assert not (tmp_path / "copy.bin").exists()


def test_a_stall_counts_the_bytes_that_arrived(server, tmp_path):
    """Issue 11, fault 15: the stall message said "after 0 of" when 1,000 bytes had arrived."""
    server.routes["/f.bin"] = ("stall", PAYLOAD)
    url = server.url("/f.bin")
    with pytest.raises(DownloadError) as info:
        fetch(url, tmp_path / "f.bin", size=len(PAYLOAD), sha256=PAYLOAD_SHA, progress=False,
              timeout=0.3)
    assert str(info.value) == (f"{url}: transfer stalled for 0.3 s after 1,000 of "
                               f"{len(PAYLOAD):,} bytes")
    assert leftovers(tmp_path) == []


def test_a_killed_download_leaves_nothing_the_next_run_trips_over(server, tmp_path):
    """Issue 11, fault 4: the temporary file of a killed download was never removed."""
    server.routes["/slow.bin"] = ("stall", PAYLOAD)
    server.routes["/f.bin"] = ("ok", PAYLOAD)
    server.stall = 30
    dest = tmp_path / "cache" / "f.bin"
    child = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        from textseq.download import fetch
        fetch({server.url("/slow.bin")!r}, {str(dest)!r}, size={len(PAYLOAD)},
              sha256={PAYLOAD_SHA!r}, progress=False, timeout=60)
    """)], env={**os.environ, "no_proxy": "127.0.0.1", "NO_PROXY": "127.0.0.1"})
    deadline = time.monotonic() + 30
    while "/slow.bin" not in server.requests:  # the temporary file is open by then
        assert time.monotonic() < deadline and child.poll() is None
        time.sleep(0.02)
    child.kill()
    child.wait()
    assert len(leftovers(tmp_path / "cache")) == 1  # the partial file the kill left
    fetch(server.url("/f.bin"), dest, size=len(PAYLOAD), sha256=PAYLOAD_SHA, progress=False)
    assert leftovers(tmp_path / "cache") == ["f.bin", "f.bin.sha256"]
    old = os.umask(0o022)
    try:  # and, issue 11 fault 16: the download is readable by others (tempfile made it 0600)
        dest.unlink()
        fetch(server.url("/f.bin"), dest, size=len(PAYLOAD), sha256=PAYLOAD_SHA, progress=False)
    finally:
        os.umask(old)
    assert stat.S_IMODE(dest.stat().st_mode) == 0o644


def test_a_read_only_cache_of_verified_files_still_works(tmp_path, monkeypatch):
    dest = tmp_path / "f.bin"
    dest.write_bytes(PAYLOAD)  # placed by hand, no sidecar, and the folder refuses writes
    monkeypatch.setattr(download, "write_text", _refuse)
    with pytest.warns(RuntimeWarning, match="f.bin is verified but will be hashed again"):
        assert fetch(closed_port_url("/f.bin"), dest, size=len(PAYLOAD), sha256=PAYLOAD_SHA,
                     progress=False) == dest


def _refuse(path, *args, **kwargs):
    raise PermissionError(13, f"{Path(path).parent}: cannot write {Path(path).name} here")


@pytest.mark.parametrize("ensure", [ensure_aclimdb, ensure_glove6b])
def test_a_data_dir_that_is_a_file_is_named(tmp_path, monkeypatch, ensure):
    """Issue 11, fault 15: TEXTSEQ_DATA_DIR pointing at a file gave a raw FileExistsError."""
    (tmp_path / "data").write_text("a file")
    monkeypatch.setenv("TEXTSEQ_DATA_DIR", str(tmp_path / "data"))
    with pytest.raises(NotADirectoryError) as info:
        ensure(progress=False)
    assert str(info.value) == (f"TEXTSEQ_DATA_DIR={tmp_path / 'data'}: is a file; expected a "
                               "folder (point TEXTSEQ_DATA_DIR at a folder, or unset it to use "
                               f"{paths._base() / 'data'})")


@pytest.mark.parametrize("ensure", [ensure_aclimdb, ensure_glove6b])
@pytest.mark.parametrize("how", ["chmod", "read-only file system"])
def test_a_read_only_data_dir_is_named(tmp_path, monkeypatch, ensure, how):
    """Issue 11, fault 15: a read-only TEXTSEQ_DATA_DIR gave a raw PermissionError."""
    folder = tmp_path / "data"
    folder.mkdir()
    monkeypatch.setenv("TEXTSEQ_DATA_DIR", str(folder))
    if how == "chmod":
        if os.geteuid() == 0:
            pytest.skip("root writes into a 0555 folder; the other case simulates EROFS")
        folder.chmod(0o555)
    else:
        real_access = os.access
        monkeypatch.setattr(os, "access", lambda path, mode, **kw: (
            False if Path(path) == folder and mode & os.W_OK else real_access(path, mode, **kw)))
    try:
        with pytest.raises(PermissionError) as info:
            ensure(progress=False)
    finally:
        folder.chmod(0o755)
    assert str(info.value) == (f"TEXTSEQ_DATA_DIR={folder}: the folder is not writable; "
                               "expected a folder textseq can write to (point TEXTSEQ_DATA_DIR "
                               f"at a folder, or unset it to use {paths._base() / 'data'})")


# --- extract_tar ------------------------------------------------------------------------------

def _tar_with(tmp_path, name, kind=tarfile.REGTYPE, linkname="", prefix_ok=True):
    path = tmp_path / "evil.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        if prefix_ok:
            ok = tarfile.TarInfo("aclImdb/train/pos/1_9.txt")
            ok.size = 4
            tar.addfile(ok, io.BytesIO(b"good"))
        info = tarfile.TarInfo(name)
        info.type, info.linkname = kind, linkname
        if kind == tarfile.REGTYPE:
            info.size = 3
            tar.addfile(info, io.BytesIO(b"bad"))
        else:
            tar.addfile(info)
    return path


@pytest.mark.parametrize("name, kind, linkname, message", [
    ("aclImdb/../../escape.txt", tarfile.REGTYPE, "", "escapes the target folder"),
    ("/tmp/absolute.txt", tarfile.REGTYPE, "", "has an absolute path"),
    ("aclImdb/train/neg/2_1.txt", tarfile.SYMTYPE, "../../../../etc/passwd",
     "is a symbolic link"),
    ("aclImdb/train/neg/3_1.txt", tarfile.LNKTYPE, "aclImdb/train/pos/1_9.txt", "is a hard link"),
    ("aclImdb/dev", tarfile.CHRTYPE, "", "is a device"),
    ("aclImdb/pipe", tarfile.FIFOTYPE, "", "is a FIFO"),
    ("other/1_1.txt", tarfile.REGTYPE, "", "lies outside 'aclImdb/'"),
])
def test_extract_tar_refuses(tmp_path, name, kind, linkname, message):
    archive = _tar_with(tmp_path, name, kind, linkname)
    dest = tmp_path / "out" / "aclImdb"
    with pytest.raises(ArchiveError) as info:
        extract_tar(archive, dest, root="aclImdb")
    assert str(info.value).startswith(f"{archive}: member {name!r} ")
    assert message in str(info.value)
    assert leftovers(tmp_path / "out") == []
    assert not (tmp_path / "escape.txt").exists()


def test_extract_tar_success_and_existing_dest(tiny_aclimdb, tmp_path):
    archive = make_tarball(tiny_aclimdb, tmp_path / "a.tar.gz")
    dest = extract_tar(archive, tmp_path / "out" / "aclImdb", root="aclImdb")
    assert leftovers(dest.parent) == ["aclImdb"]
    assert (dest / ".textseq-complete").is_file()
    assert read_split(dest).texts == read_split(tiny_aclimdb).texts
    with pytest.raises(FileExistsError, match="already exists"):
        extract_tar(archive, dest, root="aclImdb")
    plain = extract_tar(archive, tmp_path / "plain")
    assert (plain / "aclImdb" / "train" / "pos").is_dir()


def test_extract_tar_damaged(tiny_aclimdb, tmp_path):
    archive = make_tarball(tiny_aclimdb, tmp_path / "a.tar.gz")
    archive.write_bytes(archive.read_bytes()[:-200])
    with pytest.raises(ArchiveError, match="damaged or not a tar archive"):
        extract_tar(archive, tmp_path / "out" / "aclImdb", root="aclImdb")
    assert leftovers(tmp_path / "out") == []


# --- verify_zip -------------------------------------------------------------------------------

def _zip(path, members, method=zipfile.ZIP_STORED):
    with zipfile.ZipFile(path, "w", method) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def test_verify_zip(tmp_path):
    path = _zip(tmp_path / "g.zip", {"g.50d.txt": b"the 0.1 0.2\n", "g.100d.txt": b"a 1 2\n"})
    assert verify_zip(path) == ["g.50d.txt", "g.100d.txt"]
    data = bytearray(path.read_bytes())
    at = data.index(b"a 1 2")
    data[at] = ord("b")  # flip one byte of the second member
    path.write_bytes(bytes(data))
    with pytest.raises(ArchiveError, match="member 'g.100d.txt' fails its CRC-32 check"):
        verify_zip(path)
    (tmp_path / "no.zip").write_bytes(b"nope")
    with pytest.raises(ArchiveError, match="damaged or not a zip archive"):
        verify_zip(tmp_path / "no.zip")


# --- ensure_aclimdb / ensure_glove6b ----------------------------------------------------------

def _pin(monkeypatch, name, data, urls):
    res = Resource(getattr(download, name).filename, tuple(urls), len(data),
                   hashlib.sha256(data).hexdigest())
    monkeypatch.setattr(download, name, res)
    return res


def test_ensure_aclimdb_downloads_extracts_then_works_offline(
        server, tmp_path, tiny_aclimdb_tarball, tiny_aclimdb, monkeypatch):
    data = tiny_aclimdb_tarball.read_bytes()
    server.routes["/aclImdb_v1.tar.gz"] = ("ok", data)
    _pin(monkeypatch, "ACLIMDB", data, [server.url("/aclImdb_v1.tar.gz")])
    cache = tmp_path / "cache"
    tree = ensure_aclimdb(cache, progress=False)
    assert tree == cache / "aclImdb"
    assert leftovers(cache) == ["aclImdb", "aclImdb_v1.tar.gz", "aclImdb_v1.tar.gz.sha256"]
    got = read_split(tree, include_unsup=True)
    assert len(got) == sum(len(TINY_REVIEWS["train", lab]) for lab in ("neg", "pos", "unsup"))
    assert got.texts == read_split(tiny_aclimdb, include_unsup=True).texts
    server.stop()
    assert ensure_aclimdb(cache, progress=False) == tree
    assert server.requests == ["/aclImdb_v1.tar.gz"]


def test_ensure_aclimdb_refuses_unsafe_archive(server, tmp_path, monkeypatch):
    data = _tar_with(tmp_path, "aclImdb/../evil.txt").read_bytes()
    server.routes["/a.tar.gz"] = ("ok", data)
    _pin(monkeypatch, "ACLIMDB", data, [server.url("/a.tar.gz")])
    with pytest.raises(ArchiveError, match="'aclImdb/../evil.txt' escapes the target folder"):
        ensure_aclimdb(tmp_path / "cache", progress=False)
    assert not (tmp_path / "cache" / "aclImdb").exists()


def test_ensure_aclimdb_offline_message(tmp_path, monkeypatch):
    res = _pin(monkeypatch, "ACLIMDB", b"x" * 1234, [closed_port_url("/aclImdb_v1.tar.gz")])
    cache = tmp_path / "cache"
    with pytest.raises(OfflineError) as info:
        ensure_aclimdb(cache, progress=False)
    text = str(info.value)
    for fact in ("No network", res.urls[0], "size:    1,234 bytes", f"SHA-256: {res.sha256}",
                 str(cache / "aclImdb_v1.tar.gz")):
        assert fact in text
    assert leftovers(cache) == []


def test_offline_mode_never_connects(server, tmp_path, monkeypatch):
    _pin(monkeypatch, "ACLIMDB", b"x", [server.url("/a.tar.gz")])
    monkeypatch.setenv("TEXTSEQ_DATA_DIR", str(tmp_path / "envcache"))
    with pytest.raises(OfflineError, match="offline mode is on") as info:
        ensure_aclimdb(offline=True)
    assert str(tmp_path / "envcache" / "aclImdb_v1.tar.gz") in str(info.value)
    monkeypatch.setenv("TEXTSEQ_OFFLINE", "1")
    with pytest.raises(OfflineError, match="offline mode is on"):
        ensure_aclimdb()
    assert server.requests == []


def test_ensure_aclimdb_uses_a_hand_extracted_tree(tmp_path, tiny_aclimdb, monkeypatch):
    _pin(monkeypatch, "ACLIMDB", b"x", [closed_port_url("/a.tar.gz")])
    assert ensure_aclimdb(tiny_aclimdb.parent, offline=True) == tiny_aclimdb
    (tiny_aclimdb / "test").rename(tmp_path / "moved")
    with pytest.raises(DownloadError, match=r"missing test/; delete it"):
        ensure_aclimdb(tiny_aclimdb.parent, offline=True)


def test_ensure_glove6b_falls_back_to_the_mirror(server, tmp_path, monkeypatch):
    data = _zip(tmp_path / "src.zip", {"glove.6B.50d.txt": b"the 0.1 0.2\n"}).read_bytes()
    server.routes["/mirror/glove.6B.zip"] = ("ok", data)
    _pin(monkeypatch, "GLOVE6B", data, [server.url("/gone/glove.6B.zip"),
                                        server.url("/mirror/glove.6B.zip")])
    path = ensure_glove6b(tmp_path / "cache", progress=False)
    assert path == tmp_path / "cache" / "glove.6B.zip"
    assert verify_zip(path) == ["glove.6B.50d.txt"]
    assert server.requests == ["/gone/glove.6B.zip", "/mirror/glove.6B.zip"]


def test_ensure_glove6b_all_failing(server, tmp_path, monkeypatch):
    res = _pin(monkeypatch, "GLOVE6B", b"zip", [server.url("/a.zip"), server.url("/b.zip")])
    with pytest.raises(DownloadError) as info:
        ensure_glove6b(tmp_path / "cache", progress=False)
    assert not isinstance(info.value, OfflineError)
    for fact in ("Download failed", "/a.zip: HTTP 404", "/b.zip: HTTP 404", res.sha256):
        assert fact in str(info.value)
    assert leftovers(tmp_path / "cache") == []
