"""Safe extraction of downloaded archives, and the member rules every tar reader shares.

The member rules (`iter_members`), applied by `extract_tar` and by `textseq.aclimdb.read_split`
when it streams ``aclImdb_v1.tar.gz`` (so that the two always accept and refuse the same
archives, with the same message): every member must be a plain file or folder (no symbolic or hard
link, device or FIFO), with a relative path free of ``..`` (no absolute path, no drive letter),
under the expected top-level folder when one is given, and appear only once (``a/b.txt`` and
``./a/b.txt`` are the same path; a folder may be repeated, a file may not, as the reader could not
tell which copy to keep). A member that breaks a rule stops the reader with an `ArchiveError`
naming the archive and the member.

`extract_tar` writes through `textseq.atomic.atomic_dir`: the files land in a temporary folder
beside the target that is renamed into place at the end, so a failure (or Ctrl-C) never leaves a
half-extracted tree, the leftovers of a killed extraction are removed by the next one, two
processes extracting the same archive at once both succeed, and the tree gets the usual umask
permissions. `verify_zip` checks every member's CRC of a zip archive such as ``glove.6B.zip``.
"""

from __future__ import annotations

import gzip
import os
import tarfile
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from textseq.atomic import atomic_dir

__all__ = ["ArchiveError", "extract_tar", "iter_members", "verify_zip"]

COMPLETE_MARKER = ".textseq-complete"
_CHUNK = 1 << 20


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


def iter_members(tar: tarfile.TarFile, archive: str | os.PathLike, root: str | None = None
                 ) -> Iterator[tuple[tarfile.TarInfo, PurePosixPath | None]]:
    """Stream the members of ``tar``, each checked against the member rules (module docstring).

    Args:
        tar: an open archive (read in stream order; a ``.tar.gz`` is read once).
        archive: the archive's path, for the messages.
        root: if given, every member must lie under this top-level folder, and the paths
            yielded are relative to it.

    Yields:
        ``(member, path)``: ``path`` is the member's normalised path (relative to ``root`` when
        given), ``None`` for the ``root`` folder itself.

    Raises:
        ArchiveError: for the first member that breaks a rule; the message names the archive and
            the member and says what was expected.

    Example:
        >>> import io, tarfile
        >>> data = io.BytesIO()
        >>> with tarfile.open(fileobj=data, mode="w") as tar:
        ...     for name in ("pkg/a.txt", "./pkg/a.txt"):
        ...         tar.addfile(tarfile.TarInfo(name))
        >>> _ = data.seek(0)
        >>> with tarfile.open(fileobj=data) as tar:
        ...     for member, path in iter_members(tar, "x.tar", "pkg"):
        ...         print(path)
        Traceback (most recent call last):
        ...
        textseq.archives.ArchiveError: x.tar: member './pkg/a.txt' appears twice in the archive; \
expected each path once
    """
    archive = Path(archive)
    seen: dict[tuple[str, ...], bool] = {}  # normalised path -> is a folder
    for member in tar:
        rel = _member_path(archive, member, root)
        key = tuple(p for p in member.name.replace("\\", "/").split("/") if p not in ("", "."))
        if key in seen and not (seen[key] and member.isdir()):
            raise ArchiveError(f"{archive}: member {member.name!r} appears twice in the archive; "
                               "expected each path once")
        seen[key] = member.isdir()
        yield member, rel


def extract_tar(archive: str | os.PathLike, dest: str | os.PathLike, *,
                root: str | None = None) -> Path:
    """Extract a tar archive into a new folder, refusing unsafe members.

    Members are checked one by one while the archive streams (a ``.tar.gz`` is read once) with
    `iter_members`: absolute paths, ``..`` components, links, devices, FIFOs and duplicates are
    refused with an error naming the member. Python's ``filter="data"`` runs as a second line of
    defence. The files land in a temporary folder beside ``dest`` (``.<name>.tmp-*``, see
    `textseq.atomic.atomic_dir`) that is renamed to ``dest`` only after the last member, with an
    empty marker file ``.textseq-complete`` written just before the rename; on any error the
    temporary folder is deleted, and the leftovers of a killed extraction are deleted by the next.
    If another process extracted the same archive to ``dest`` meanwhile, its tree is kept.

    Args:
        archive: Path of a ``.tar``, ``.tar.gz``, ``.tgz`` or ``.tar.bz2``/``.tar.xz`` file.
        dest: Folder to create. It must not exist yet.
        root: If given, every member must lie under this top-level folder, whose *contents* are
            placed in ``dest`` (``extract_tar("aclImdb_v1.tar.gz", "data/aclImdb",
            root="aclImdb")`` gives ``data/aclImdb/train/...``).

    Returns:
        ``Path(dest)``.

    Raises:
        ArchiveError: For an unsafe or repeated member, a member outside ``root`` or a damaged
            archive.
        FileExistsError: If ``dest`` already exists.
        OSError: If the folder of ``dest`` cannot be written (the message names it).

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
    with atomic_dir(dest) as tmp:
        try:
            with tarfile.open(archive, "r:*") as tar:
                for member, rel in iter_members(tar, archive, root):
                    if rel is not None:
                        tar.extract(member.replace(name=str(rel), deep=False), tmp,
                                    filter="data")
        except (tarfile.TarError, EOFError, gzip.BadGzipFile, zlib.error) as exc:
            raise ArchiveError(f"{archive}: damaged or not a tar archive ({exc})") from exc
        (tmp / COMPLETE_MARKER).write_bytes(b"")
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
        ArchiveError: If the file is not a zip archive, or a member fails its CRC check or cannot
            be decompressed (a corrupt deflate stream, a truncated member, an unknown method);
            the message names the archive and the member.
    """
    path = Path(path)
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise ArchiveError(f"{path}: damaged or not a zip archive ({exc})") from exc
    with zf:
        for info in zf.infolist():
            try:
                with zf.open(info) as member:
                    while member.read(_CHUNK):
                        pass
            except zipfile.BadZipFile as exc:
                if "CRC" in str(exc):
                    raise ArchiveError(f"{path}: member {info.filename!r} fails its CRC-32 "
                                       "check; the file is damaged") from exc
                raise ArchiveError(f"{path}: member {info.filename!r} is damaged ({exc})") from exc
            except (zlib.error, EOFError, OSError, NotImplementedError) as exc:
                raise ArchiveError(f"{path}: member {info.filename!r} is damaged ({exc}); "
                                   "expected a readable zip member") from exc
        return zf.namelist()
