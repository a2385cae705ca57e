"""Safe extraction of downloaded archives.

`extract_tar` unpacks a ``.tar``/``.tar.gz`` only when every member is a plain file or folder that
stays inside the target: a member with an absolute path or a ``..`` component, a symbolic or hard
link, a device or a FIFO stops the extraction with an `ArchiveError` naming the member. The
extraction happens in a temporary folder beside the target, renamed into place at the end, so a
failure (or Ctrl-C) never leaves a half-extracted tree. `verify_zip` checks every member's CRC of a
zip archive such as ``glove.6B.zip``.
"""

from __future__ import annotations

import gzip
import os
import shutil
import tarfile
import tempfile
import zipfile
import zlib
from pathlib import Path, PurePosixPath

__all__ = ["ArchiveError", "extract_tar", "verify_zip"]

COMPLETE_MARKER = ".textseq-complete"


class ArchiveError(ValueError):
    """An archive is unsafe or damaged; the message names the archive and the member."""


def _member_path(archive: Path, member: tarfile.TarInfo, root: str | None) -> PurePosixPath | None:
    """Check one member; return its path relative to the target (``None`` for ``root`` itself)."""
    where = f"{archive}: member {member.name!r}"
    if not (member.isfile() or member.isdir()):
        kind = (
            "a symbolic link" if member.issym() else
            "a hard link" if member.islnk() else
            "a FIFO" if member.isfifo() else
            "a device" if member.isdev() else f"of tar type {member.type!r}"
        )
        raise ArchiveError(f"{where} is {kind}; expected only regular files and folders")
    name = member.name.replace("\\", "/")
    path = PurePosixPath(name)
    if path.is_absolute() or (len(name) > 1 and name[1] == ":"):
        raise ArchiveError(f"{where} has an absolute path; expected a path inside the archive")
    if ".." in path.parts:
        raise ArchiveError(f"{where} escapes the target folder ('..'); expected a path inside it")
    parts = [p for p in path.parts if p not in ("", ".")]
    if root is not None:
        if not parts or parts[0] != root:
            raise ArchiveError(f"{where} lies outside {root + '/'!r}; expected every member there")
        parts = parts[1:]
    if not parts:
        if member.isfile():
            raise ArchiveError(f"{where} is a file; expected the folder {root!r}")
        return None
    return PurePosixPath(*parts)


def extract_tar(archive: str | os.PathLike, dest: str | os.PathLike, *,
                root: str | None = None) -> Path:
    """Extract a tar archive into a new folder, refusing unsafe members.

    Members are checked one by one while the archive streams (a ``.tar.gz`` is read once):
    absolute paths, ``..`` components, symbolic and hard links, devices and FIFOs are refused with
    an error naming the member. Python's ``filter="data"`` runs as a second line of defence. The
    files land in a temporary folder beside ``dest`` (``.<name>.tmp-*``) that is renamed to ``dest``
    only after the last member, with an empty marker file ``.textseq-complete`` written just before
    the rename; on any error the temporary folder is deleted.

    Args:
        archive: Path of a ``.tar``, ``.tar.gz``, ``.tgz`` or ``.tar.bz2``/``.tar.xz`` file.
        dest: Folder to create. It must not exist yet.
        root: If given, every member must lie under this top-level folder, whose *contents* are
            placed in ``dest`` (``extract_tar("aclImdb_v1.tar.gz", "data/aclImdb",
            root="aclImdb")`` gives ``data/aclImdb/train/...``).

    Returns:
        ``Path(dest)``.

    Raises:
        ArchiveError: For an unsafe member, a member outside ``root`` or a damaged archive.
        FileExistsError: If ``dest`` already exists.

    Example:

    >>> import io, tarfile, tempfile, pathlib
    >>> tmp = pathlib.Path(tempfile.mkdtemp())
    >>> with tarfile.open(tmp / "a.tar", "w") as tar:
    ...     info = tarfile.TarInfo("pkg/hello.txt"); info.size = 2
    ...     tar.addfile(info, io.BytesIO(b"hi"))
    >>> out = extract_tar(tmp / "a.tar", tmp / "out", root="pkg")
    >>> (out / "hello.txt").read_text()
    'hi'
    """
    archive, dest = Path(archive), Path(dest)
    if dest.exists():
        raise FileExistsError(f"{dest} already exists; expected a new folder to extract into")
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=dest.parent, prefix=f".{dest.name}.tmp-"))
    try:
        try:
            with tarfile.open(archive, "r:*") as tar:
                for member in tar:
                    rel = _member_path(archive, member, root)
                    if rel is None:
                        continue
                    tar.extract(member.replace(name=str(rel), deep=False), tmp, filter="data")
        except (tarfile.TarError, EOFError, gzip.BadGzipFile, zlib.error) as exc:
            raise ArchiveError(f"{archive}: damaged or not a tar archive ({exc})") from exc
        (tmp / COMPLETE_MARKER).write_bytes(b"")
        os.rename(tmp, dest)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return dest


def verify_zip(path: str | os.PathLike) -> list[str]:
    """Check the CRC-32 of every member of a zip archive.

    Every member is decompressed once (for ``glove.6B.zip``, about 2 GB of text, which takes
    tens of seconds), so run it after a download rather than before every read. Reading a whole
    member with `zipfile` also checks its CRC, at the end of the member.

    Args:
        path: Path of the ``.zip`` file.

    Returns:
        The member names, in archive order.

    Raises:
        ArchiveError: If the file is not a zip archive or a member fails its CRC check; the
            message names the member.
    """
    path = Path(path)
    try:
        with zipfile.ZipFile(path) as zf:
            bad = zf.testzip()
            names = zf.namelist()
    except zipfile.BadZipFile as exc:
        raise ArchiveError(f"{path}: damaged or not a zip archive ({exc})") from exc
    if bad is not None:
        raise ArchiveError(f"{path}: member {bad!r} fails its CRC-32 check; the file is damaged")
    return names
