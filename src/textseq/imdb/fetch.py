"""Download aclImdb_v1.tar.gz and glove.6B.zip once, checked against pinned SHA-256 (pooch).

Downloads are atomic; offline, an `OfflineError` says what to download by hand and where.
Pins: aclImdb's from TensorFlow Datasets, glove.6B.zip's from torchtext.
"""

from __future__ import annotations

import gzip
import os
import shutil
import stat
import sys
import tarfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from textseq._files import atomic_dir, data_dir, remove_stale, temp_path

__all__ = ["Resource", "ACLIMDB", "GLOVE6B", "DownloadError", "OfflineError", "ArchiveError",
           "retrieve", "ensure_aclimdb", "ensure_glove6b", "iter_members"]

COMPLETE_MARKER = ".textseq-complete"


@dataclass(frozen=True)
class Resource:
    """A file: its name in the data folder, where to get it (mirrors last), size and SHA-256."""
    filename: str
    urls: tuple[str, ...]
    size: int
    sha256: str


ACLIMDB = Resource(
    "aclImdb_v1.tar.gz", ("https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz",),
    84_125_825, "c40f74a18d3b61f90feba1e17730e0d38e8b97c05fde7008942e91923d1658fe")
GLOVE6B = Resource(
    "glove.6B.zip", ("https://nlp.stanford.edu/data/glove.6B.zip",
                     "https://downloads.cs.stanford.edu/nlp/data/glove.6B.zip"),
    862_182_613, "617afb2fe6cbd085c235baf7a465b96f4112bd7f7ccb2b2cbd649fed9cbcf2fb")


class DownloadError(OSError):
    """A download failed, or a file does not match its pin; the message says what to do."""


class OfflineError(DownloadError):
    """No network (or offline mode); the message says what to download by hand and where."""


class ArchiveError(ValueError):
    """An archive is unsafe or damaged; the message names the archive and the member."""


def _by_hand(res: Resource, dest: Path, cause: str) -> str:
    urls = "\n".join(f"    {url}" for url in res.urls)
    return (f"{cause}\nDownload {res.filename} by hand from\n{urls}\n"
            f"  size:    {res.size:,} bytes\n  SHA-256: {res.sha256}\n"
            f"and put it at\n    {dest}\nthen run this again (it is verified before use).")


def retrieve(res: Resource, folder: str | os.PathLike, *, offline: bool | None = None,
             progress: bool = True) -> Path:
    """Return ``<folder>/<res.filename>``, checked against ``res``; download it if missing.

    Raises ``OfflineError`` if it is missing and no URL answers (or ``offline``; ``None`` reads
    ``TEXTSEQ_OFFLINE``), ``DownloadError`` if the downloads or the file there are wrong.
    """
    import pooch
    import requests

    dest = Path(folder) / res.filename
    if dest.exists():
        if (size := dest.stat().st_size) != res.size:
            raise DownloadError(f"{dest}: expected {res.size:,} bytes, found {size:,}; delete the "
                                "file to download it again")
        if (digest := pooch.file_hash(str(dest))) != res.sha256:
            raise DownloadError(f"{dest}: expected SHA-256 {res.sha256}, got {digest}; delete "
                                "the file to download it again")
        return dest
    if offline is None:
        offline = os.environ.get("TEXTSEQ_OFFLINE", "").strip().lower() in ("1", "true", "yes")
    if offline:
        raise OfflineError(_by_hand(res, dest, f"{dest} is missing and offline mode is on."))
    remove_stale(dest.parent)  # what killed runs left
    errors, unreachable, level = [], True, pooch.get_logger().level
    pooch.get_logger().setLevel("WARNING")  # pooch's note names the temporary folder: ours
    try:
        for url in res.urls:  # the mirrors after any failure of the first
            if progress:
                print(f"Downloading {res.filename} ({res.size:,} bytes) from {url}",
                      file=sys.stderr)
            part = temp_path(dest)
            part.mkdir(parents=True)
            try:
                got = pooch.retrieve(url, f"sha256:{res.sha256}", res.filename, part,
                                     downloader=pooch.HTTPDownloader(progressbar=progress,
                                                                     chunk_size=1 << 20))
                os.chmod(got, stat.S_IMODE(part.stat().st_mode) & 0o666)  # the umask, not 0600
                os.replace(got, dest)
                return dest
            except (requests.RequestException, ValueError) as exc:
                errors.append(f"{url}: {exc}")
                unreachable &= isinstance(exc, requests.ConnectionError)
                if progress:
                    print(f"Failed: {exc}", file=sys.stderr)
            finally:
                shutil.rmtree(part, ignore_errors=True)
    finally:
        pooch.get_logger().setLevel(level)
    if unreachable:
        raise OfflineError(_by_hand(res, dest, "No network:\n" + "\n".join(errors)))
    raise DownloadError(_by_hand(res, dest, "Download failed:\n" + "\n".join(errors)))


def ensure_aclimdb(cache_dir: str | os.PathLike | None = None, *, offline: bool | None = None,
                   progress: bool = True) -> Path:
    """Return ``<cache>/aclImdb``, downloading (84 MB) and extracting it the first time.

    A folder you extracted yourself is used if it has ``train/`` and ``test/``. Errors as
    `retrieve`, and ``ArchiveError`` for an unsafe member or a damaged archive.
    """
    cache = Path(cache_dir) if cache_dir is not None else data_dir()
    tree = cache / "aclImdb"
    remove_stale(cache)  # a killed extraction's temporary folder
    if (tree / COMPLETE_MARKER).is_file():
        return tree
    if tree.exists():
        missing = [d + "/" for d in ("train", "test") if not (tree / d).is_dir()]
        if missing:
            raise DownloadError(f"{tree}: expected an extracted aclImdb folder with train/ and "
                                f"test/, missing {', '.join(missing)}; delete it to extract the "
                                "archive again")
        return tree
    if cache_dir is None:
        data_dir(writable=True)  # names TEXTSEQ_DATA_DIR if it cannot be written
    archive = retrieve(ACLIMDB, cache, offline=offline, progress=progress)
    with atomic_dir(tree) as tmp:  # renamed to tree after the last member
        try:
            with tarfile.open(archive, "r:*") as tar:
                for member, rel in iter_members(tar, archive, root="aclImdb"):
                    if rel is not None:
                        tar.extract(member.replace(name=str(rel), deep=False), tmp,
                                    filter="data")
        except (tarfile.TarError, EOFError, gzip.BadGzipFile, zlib.error) as exc:
            raise ArchiveError(f"{archive}: damaged or not a tar archive ({exc})") from exc
        (tmp / COMPLETE_MARKER).write_bytes(b"")
    return tree


def ensure_glove6b(cache_dir: str | os.PathLike | None = None, *, offline: bool | None = None,
                   progress: bool = True) -> Path:
    """Return ``<cache>/glove.6B.zip`` (822 MiB, not extracted), downloading it the first time."""
    cache = Path(cache_dir) if cache_dir is not None else data_dir()
    if cache_dir is None and not (cache / GLOVE6B.filename).exists():
        data_dir(writable=True)
    return retrieve(GLOVE6B, cache, offline=offline, progress=progress)


def iter_members(tar: tarfile.TarFile, archive: str | os.PathLike, root: str
                 ) -> Iterator[tuple[tarfile.TarInfo, PurePosixPath | None]]:
    """Yield ``(member, path under root)`` of ``tar``; an unsafe member is an ``ArchiveError``."""
    seen: dict[tuple[str, ...], bool] = {}  # normalised path -> is a folder
    for member in tar:
        name = member.name.replace("\\", "/")
        parts = tuple(p for p in name.split("/") if p not in ("", "."))
        problem = (
            "is a symbolic link" if member.issym() else "is a hard link" if member.islnk()
            else "is a FIFO" if member.isfifo() else "is a device" if member.isdev()
            else "is not a file or folder" if not (member.isfile() or member.isdir())
            else "has an absolute path" if name.startswith("/") or name[1:2] == ":"
            else "escapes the target folder ('..')" if ".." in parts
            else f"lies outside {root + '/'!r}" if parts[:1] != (root,)
            else f"is a file named like the folder {root!r}" if parts == (root,) and member.isfile()
            else "appears twice in the archive" if parts in seen and not (seen[parts] and
                                                                       member.isdir())
            else None)
        if problem:
            raise ArchiveError(f"{archive}: member {member.name!r} {problem}; expected only "
                               f"regular files and folders under {root + '/'!r}, each path once")
        seen[parts] = member.isdir()
        yield member, PurePosixPath(*parts[1:]) if parts[1:] else None
