"""Download the real data (aclImdb, glove.6B) once, verified, into textseq's cache folder.

Each file is pinned by URL, size and SHA-256 (`ACLIMDB`, `GLOVE6B`). `fetch` downloads to a
temporary file beside the destination, checks the size and then the SHA-256, and only then renames
it into place (`textseq.atomic`), so the cache never holds a half-written or unverified file, the
leftovers of a killed download are removed by the next call, and two processes downloading the
same file at once both succeed. A verified file is remembered in a small sidecar
(``<file>.sha256``: digest, size, modification time); the next call reuses the file without
touching the network, and re-hashes it only if the file was replaced.

Without network access, `ensure_aclimdb` and `ensure_glove6b` raise an `OfflineError` that says
which file to download (URL, size, SHA-256) and where to put it.

Where the pins come from: aclImdb's size and SHA-256 are those listed by TensorFlow Datasets.
Stanford publishes no checksum for ``glove.6B.zip``; its SHA-256 is the one pinned by torchtext
(``CHECKSUMS_GLOVE`` in ``torchtext/experimental/vectors.py``) and by several other projects (the
MD5 other projects pin for the same URL is ``056ea991adb4740ac6bf1b6d9b50408b``). Neither pin was
checked against a download here; a mismatch fails loudly, naming both digests.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import sys
import urllib.error
import urllib.parse
import urllib.request
import warnings
from dataclasses import dataclass
from pathlib import Path

from tqdm import tqdm

from textseq._checks import check_int, check_number, check_str
from textseq.archives import COMPLETE_MARKER, ArchiveError, extract_tar, verify_zip
from textseq.atomic import atomic_file, remove_stale, write_text
from textseq.paths import data_dir

__all__ = [
    "Resource", "ACLIMDB", "GLOVE6B", "DownloadError", "OfflineError", "ArchiveError",
    "fetch", "extract_tar", "verify_zip", "ensure_aclimdb", "ensure_glove6b",
]

_CHUNK = 1 << 20


@dataclass(frozen=True)
class Resource:
    """A downloadable file pinned by its size and SHA-256.

    Attributes:
        filename: Name of the file in the cache folder.
        urls: Where to get it, tried in order (a mirror after the primary).
        size: Exact size in bytes.
        sha256: Hex SHA-256 digest of the file.
    """

    filename: str
    urls: tuple[str, ...]
    size: int
    sha256: str


# Size and SHA-256 as listed by TensorFlow Datasets for its `imdb_reviews` dataset.
ACLIMDB = Resource(
    "aclImdb_v1.tar.gz",
    ("https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz",),
    84_125_825,
    "c40f74a18d3b61f90feba1e17730e0d38e8b97c05fde7008942e91923d1658fe",
)
# No published checksum: SHA-256 as pinned by torchtext (see the module docstring).
GLOVE6B = Resource(
    "glove.6B.zip",
    ("https://nlp.stanford.edu/data/glove.6B.zip",
     "https://downloads.cs.stanford.edu/nlp/data/glove.6B.zip"),
    862_182_613,
    "617afb2fe6cbd085c235baf7a465b96f4112bd7f7ccb2b2cbd649fed9cbcf2fb",
)


class DownloadError(OSError):
    """A download failed or gave the wrong bytes; the message names the URL (or file)."""


class OfflineError(DownloadError):
    """The server could not be reached; the message says what to download by hand and where."""


def _sidecar(dest: Path) -> Path:
    return dest.with_name(dest.name + ".sha256")


def _sha256_of(path: Path, progress: bool) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f, tqdm(total=path.stat().st_size, unit="B", unit_scale=True,
                                     unit_divisor=1024, desc=f"checking {path.name}",
                                     file=sys.stderr, disable=not progress) as bar:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
            bar.update(len(chunk))
    return digest.hexdigest()


def _remember(dest: Path, sha256: str) -> None:
    st = dest.stat()
    try:
        write_text(_sidecar(dest), f"{sha256} {st.st_size} {st.st_mtime_ns}\n", encoding="ascii")
    except OSError as exc:  # a read-only folder of verified files is fine, just slower
        warnings.warn(f"{exc}; {dest.name} is verified but will be hashed again on the next "
                      "call", RuntimeWarning, stacklevel=3)


def _verified_before(dest: Path, sha256: str) -> bool:
    try:
        digest, size, mtime = _sidecar(dest).read_text(encoding="ascii").split()
        st = dest.stat()
    except (OSError, ValueError):
        return False
    return digest == sha256 and int(size) == st.st_size and int(mtime) == st.st_mtime_ns


def _check_existing(dest: Path, size: int, sha256: str, progress: bool) -> None:
    got = dest.stat().st_size
    if got != size:
        raise DownloadError(f"{dest}: expected {size:,} bytes, found {got:,}; delete the file "
                            "to download it again")
    if not _verified_before(dest, sha256):
        digest = _sha256_of(dest, progress)
        if digest != sha256:
            raise DownloadError(f"{dest}: expected SHA-256 {sha256}, got {digest}; delete the "
                                "file to download it again")
        _remember(dest, sha256)


def _download(url: str, part, desc: str, size: int, sha256: str, progress: bool,
              timeout: float) -> None:
    digest, received = hashlib.sha256(), 0
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            announced = resp.headers.get("Content-Length")
            announced = int(announced) if announced and announced.isdigit() else None
            if announced is not None and announced != size:
                raise DownloadError(f"{url}: size mismatch: expected {size:,} bytes, the server "
                                    f"announces {announced:,}")
            with tqdm(total=size, unit="B", unit_scale=True, unit_divisor=1024, desc=desc,
                      file=sys.stderr, disable=not progress) as bar:
                # read1: whatever has arrived (up to a chunk), so that the bytes received before
                # a stall are counted (read(n) waits for n bytes and loses them on a timeout)
                while chunk := resp.read1(_CHUNK):
                    received += len(chunk)
                    if received > size:
                        raise DownloadError(f"{url}: size mismatch: expected {size:,} bytes, "
                                            f"received more")
                    digest.update(chunk)
                    part.write(chunk)
                    bar.update(len(chunk))
    except urllib.error.HTTPError as exc:
        raise DownloadError(f"{url}: HTTP {exc.code} {exc.reason}; expected 200 OK") from exc
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, TimeoutError):
            raise DownloadError(f"{url}: no answer within {timeout} s") from exc
        raise OfflineError(f"{url}: could not connect ({reason})") from exc
    except TimeoutError as exc:
        raise DownloadError(f"{url}: transfer stalled for {timeout} s after {received:,} of "
                            f"{size:,} bytes") from exc
    except (ConnectionError, http.client.HTTPException) as exc:
        raise DownloadError(f"{url}: connection dropped after {received:,} of {size:,} bytes "
                            f"({type(exc).__name__}: {exc})") from exc
    if received != size:
        what = "truncated transfer" if announced is not None else "size mismatch"
        raise DownloadError(f"{url}: {what}: expected {size:,} bytes, received {received:,}")
    if digest.hexdigest() != sha256:
        raise DownloadError(f"{url}: checksum mismatch: expected SHA-256 {sha256}, "
                            f"got {digest.hexdigest()}")


def fetch(url: str, dest: str | os.PathLike, *, size: int, sha256: str, progress: bool = True,
          timeout: float = 60) -> Path:
    """Download ``url`` to ``dest``, verified by size and SHA-256, or reuse a verified copy.

    If ``dest`` exists with the expected size it is reused without network access: its SHA-256 is
    computed once and remembered in ``<dest>.sha256`` (digest, size, modification time), so later
    calls only compare the sidecar with the file's ``stat``. Otherwise the file is streamed to a
    temporary file in the same folder (``.<name>.tmp-*``), its size and SHA-256 are checked, and
    it is renamed to ``dest``; on any failure, Ctrl-C included, the temporary file is deleted.
    Only `urllib` is used (proxies from ``https_proxy`` etc. are honoured).

    Args:
        url: ``http(s)://`` address of the file.
        dest: Where the file goes; its folder is created if needed.
        size: Expected size in bytes.
        sha256: Expected hex SHA-256 digest.
        progress: Show a tqdm progress bar on stderr.
        timeout: Seconds to wait for the connection and for each read.

    Returns:
        ``Path(dest)``.

    Raises:
        DownloadError: For an HTTP error (404 …), a size or checksum mismatch, a truncated
            transfer, a stall or a dropped connection (the message names the URL, what was
            expected and how many bytes arrived), or an existing ``dest`` with the wrong size or
            checksum.
        OfflineError: If the server could not be reached at all.
        TypeError: For a ``url`` or ``sha256`` that is not a str, a ``size`` that is not an
            integer or a ``timeout`` that is not a number.
        ValueError: For a ``url`` that is not an ``http://`` or ``https://`` address, a negative
            ``size``, an ``sha256`` that is not 64 hex digits or a ``timeout <= 0``.
        OSError: If the folder of ``dest`` cannot be written (the message names it).

    Example:

    ```python
    from textseq.download import ACLIMDB, fetch
    fetch(ACLIMDB.urls[0], "data/aclImdb_v1.tar.gz", size=ACLIMDB.size, sha256=ACLIMDB.sha256)
    ```
    """
    _check_url(url)
    size = check_int("size", size, minimum=0)
    sha256 = check_str("sha256", sha256, what="a str of 64 hex digits").lower()
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise ValueError(f"sha256 must be a str of 64 hex digits, got {sha256!r}")
    timeout = check_number("timeout", timeout, minimum=0, exclusive_minimum=True)
    dest = Path(dest)
    remove_stale(dest.parent)  # a killed download's temporary file, even if nothing is written
    if dest.exists():
        _check_existing(dest, size, sha256, progress)
        return dest
    with atomic_file(dest) as part:
        _download(url, part, dest.name, size, sha256, progress, timeout)
    _remember(dest, sha256)
    return dest


def _check_url(url: object) -> None:
    check_str("url", url, what="an http:// or https:// address")
    parts = urllib.parse.urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ValueError(f"url must be an http:// or https:// address with a host, got {url!r}")


def _offline_env(offline: bool | None) -> bool:
    if offline is not None:
        return bool(offline)
    return os.environ.get("TEXTSEQ_OFFLINE", "").strip().lower() in ("1", "true", "yes")


def _manual_help(res: Resource, dest: Path, cause: str) -> str:
    urls = "\n".join(f"    {u}" for u in res.urls)
    return (f"{cause}\nDownload {res.filename} by hand from\n{urls}\n"
            f"  size:    {res.size:,} bytes\n  SHA-256: {res.sha256}\n"
            f"and put it at\n    {dest}\nthen run this again (it is verified before use).")


def _obtain(res: Resource, cache: Path, offline: bool | None, progress: bool) -> Path:
    dest = cache / res.filename
    if dest.exists():
        return fetch(res.urls[0], dest, size=res.size, sha256=res.sha256, progress=progress)
    if _offline_env(offline):
        raise OfflineError(_manual_help(res, dest, f"{dest} is missing and offline mode is on."))
    errors: list[DownloadError] = []
    for url in res.urls:  # the mirrors are tried after any failure of the primary
        try:
            return fetch(url, dest, size=res.size, sha256=res.sha256, progress=progress)
        except DownloadError as exc:
            errors.append(exc)
    causes = "\n".join(str(e) for e in errors)
    if all(isinstance(e, OfflineError) for e in errors):
        raise OfflineError(_manual_help(res, dest, "No network:\n" + causes)) from errors[-1]
    raise DownloadError(_manual_help(res, dest, "Download failed:\n" + causes)) from errors[-1]


def ensure_aclimdb(cache_dir: str | os.PathLike | None = None, *, offline: bool | None = None,
                   progress: bool = True) -> Path:
    """Return the path of the extracted real aclImdb folder, downloading it the first time.

    Downloads ``aclImdb_v1.tar.gz`` (84 MB, `ACLIMDB`) into the cache folder if it is not there,
    then extracts it once with `extract_tar` to ``<cache>/aclImdb`` (about 500 MB in 100,000
    small files). An ``aclImdb`` folder you extracted yourself (``tar xzf aclImdb_v1.tar.gz -C
    <cache>``) is used as is, as long as it has ``train/`` and ``test/``.

    Args:
        cache_dir: The cache folder; defaults to `textseq.paths.data_dir()` (``TEXTSEQ_DATA_DIR``).
        offline: Never use the network; ``None`` reads ``TEXTSEQ_OFFLINE`` (``1``/``true``/``yes``).
        progress: Show progress bars on stderr.

    Returns:
        Path of the ``aclImdb`` folder (with ``train/`` and ``test/``).

    Raises:
        OfflineError: Without network (or in offline mode) when the archive is missing; the
            message gives the URL, size and SHA-256 and where to put the file.
        DownloadError: If the download fails or gives the wrong bytes.
        ArchiveError: If the archive holds an unsafe member.
        NotADirectoryError: If ``TEXTSEQ_DATA_DIR`` names a file (the message names it).
        PermissionError: If the cache folder must be written and cannot be (the message names
            ``TEXTSEQ_DATA_DIR`` when the folder comes from it).
    """
    cache = Path(cache_dir) if cache_dir is not None else data_dir()
    tree = cache / "aclImdb"
    remove_stale(cache)  # a killed extraction's (or download's) temporary files
    if (tree / COMPLETE_MARKER).is_file():
        return tree
    if tree.exists():
        missing = [d for d in ("train", "test") if not (tree / d).is_dir()]
        if missing:
            raise DownloadError(f"{tree}: expected an extracted aclImdb folder with train/ and "
                                f"test/, missing {', '.join(m + '/' for m in missing)}; delete "
                                "it to extract the archive again")
        return tree
    if cache_dir is None:
        data_dir(writable=True)  # to be written: names TEXTSEQ_DATA_DIR if it cannot be
    archive = _obtain(ACLIMDB, cache, offline, progress)
    return extract_tar(archive, tree, root="aclImdb")


def ensure_glove6b(cache_dir: str | os.PathLike | None = None, *, offline: bool | None = None,
                   progress: bool = True) -> Path:
    """Return the path of ``glove.6B.zip`` (822 MiB, `GLOVE6B`), downloading it the first time.

    The zip is not extracted: the GloVe reader streams the member it needs
    (``glove.6B.100d.txt``), and `zipfile` checks that member's CRC as it reads. The SHA-256 check
    of the whole file already covers every member; `verify_zip` is there to re-check a copy.

    Args:
        cache_dir: The cache folder; defaults to `textseq.paths.data_dir()` (``TEXTSEQ_DATA_DIR``).
        offline: Never use the network; ``None`` reads ``TEXTSEQ_OFFLINE``.
        progress: Show progress bars on stderr.

    Returns:
        Path of ``glove.6B.zip`` in the cache folder.

    Raises:
        OfflineError: Without network (or in offline mode) when the zip is missing; the message
            gives both URLs, the size and SHA-256 and where to put the file.
        DownloadError: If the download fails or gives the wrong bytes.
        NotADirectoryError: If ``TEXTSEQ_DATA_DIR`` names a file (the message names it).
        PermissionError: If the cache folder must be written and cannot be (the message names
            ``TEXTSEQ_DATA_DIR`` when the folder comes from it).
    """
    cache = Path(cache_dir) if cache_dir is not None else data_dir()
    if cache_dir is None and not (cache / GLOVE6B.filename).exists():
        data_dir(writable=True)  # to be written: names TEXTSEQ_DATA_DIR if it cannot be
    return _obtain(GLOVE6B, cache, offline, progress)
