"""Write a file or a whole folder atomically: into a temporary sibling, then ``os.replace``.

Every writer of textseq that must never leave a half-written result behind goes through here
(downloads, extracted archives, caches, results). The rules:

- **Nothing half-written under the real name.** The content is written to a temporary sibling
  ``.<name>.tmp-<host>-<pid>-<start>-<token>`` in the same folder and renamed into place only
  when complete; an exception (Ctrl-C included) removes it at once.
- **A killed writer's leftovers are removed by the next writer.** SIGKILL, SIGTERM (Python does
  not unwind on it by default) or a power cut leave the temporary sibling behind. Its name holds
  the writer's host (a hash of the host name), process id and process start time, so the next
  call that writes into the same folder (or `remove_stale`) deletes the temporaries whose writer
  is dead: no such process, a zombie, or the process id reused by a process started later.
  Temporaries of a *live* writer, or written from another host (a shared folder), are never
  touched.
- **Two processes doing the same first run at once both succeed.** Two file writers simply
  replace one another (same content). For folders, the loser of the rename race finds the
  winner's folder in place (``rename`` refuses to replace a non-empty folder: ``OSError:
  Directory not empty``); it then deletes its own copy and accepts the winner's, which by the
  contract of `atomic_dir` has the same content.
- **Normal permissions.** Files are created with mode ``0o666`` and folders with ``0o777``,
  both minus the umask, as ``open`` and ``mkdir`` do (``tempfile`` uses ``0o600``/``0o700``,
  which makes a shared data folder unreadable to other users).

Nothing is ``fsync``-ed: the guarantee is against a process that dies, not against a power cut
(after one, a file may be complete in name but not in content).

Example:
    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> with atomic_file(folder / "numbers.txt", "w", encoding="utf-8") as f:
    ...     _ = f.write("1 2 3\\n")
    >>> (folder / "numbers.txt").read_text(encoding="utf-8")
    '1 2 3\\n'
    >>> with atomic_dir(folder / "tree") as tmp:
    ...     (tmp / "a.txt").write_text("a", encoding="utf-8")
    1
    >>> sorted(p.name for p in (folder / "tree").iterdir())
    ['a.txt']
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import secrets
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

__all__ = ["atomic_dir", "atomic_file", "is_temp_name", "remove_stale", "temp_path",
           "write_bytes", "write_text"]

_TEMP = re.compile(r"^\.(?P<name>.*)\.tmp-(?P<host>[0-9a-f]{8})-(?P<pid>\d+)-(?P<start>\d+)"
                   r"-[0-9a-f]{8}$")
_NAME_LIMIT = 150  # of the target's name kept in the temporary name (NAME_MAX is 255)


def _host() -> str:
    return hashlib.sha256(socket.gethostname().encode("utf-8", "replace")).hexdigest()[:8]


def _proc_stat(pid: int) -> tuple[str, int] | None:
    """``(state, start time in clock ticks)`` from ``/proc/<pid>/stat``, or ``None``."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            data = f.read().decode("ascii", "replace")
    except OSError:
        return None
    fields = data[data.rindex(")") + 2:].split()  # the name (field 2) may hold spaces
    try:
        return fields[0], int(fields[19])
    except (IndexError, ValueError):
        return None


def _start_time(pid: int) -> int:
    stat = _proc_stat(pid)
    return stat[1] if stat is not None else 0  # 0: unknown (no /proc), never compared


_HOST = _host()


def temp_path(dest: str | os.PathLike) -> Path:
    """Return a new temporary name beside ``dest``, marked with this process (see above).

    Args:
        dest: the final path.

    Returns:
        ``<folder>/.<name>.tmp-<host>-<pid>-<start>-<token>``; nothing is created.

    Example:
        >>> is_temp_name(temp_path("data/glove.npy").name)
        True
    """
    dest = Path(dest)
    pid = os.getpid()
    token = secrets.token_hex(4)
    return dest.with_name(f".{dest.name[:_NAME_LIMIT]}.tmp-{_HOST}-{pid}-{_start_time(pid)}-"
                          f"{token}")


def is_temp_name(name: str) -> bool:
    """Whether ``name`` is a temporary name made by `temp_path` (by any process).

    Example:
        >>> is_temp_name(".aclImdb.tmp-0123abcd-42-0-89abcdef"), is_temp_name("aclImdb")
        (True, False)
    """
    return _TEMP.match(name) is not None


def _writer_alive(host: str, pid: int, start: int) -> bool:
    if host != _HOST:
        return True  # another machine's process: we cannot tell, so never touch it
    if pid == os.getpid():
        return start in (0, _start_time(pid))
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        pass  # PermissionError: the process exists (another user's)
    stat = _proc_stat(pid)
    if stat is None:
        return True  # no /proc: the process exists, assume it is the writer
    state, actual_start = stat
    if state == "Z":
        return False  # killed, not yet reaped by its parent
    return not start or actual_start == start  # a reused process id is not the writer


def _remove(path: Path) -> None:
    try:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
    except FileNotFoundError:
        pass  # removed meanwhile by another cleaner


def remove_stale(folder: str | os.PathLike) -> list[Path]:
    """Delete the temporaries that dead writers left in ``folder`` (files and folders).

    Called by `atomic_file` and `atomic_dir` before they write; call it yourself where a run
    may write nothing (everything cached) but should still tidy up. Only names made by
    `temp_path` are considered, and only those whose writer ran on this host and is dead.

    Args:
        folder: the folder to tidy; a missing folder holds nothing.

    Returns:
        The paths removed.

    Raises:
        OSError: if a stale temporary cannot be removed (e.g. a read-only folder).
    """
    removed = []
    try:
        entries = list(os.scandir(folder))
    except (FileNotFoundError, NotADirectoryError):
        return removed
    for entry in entries:
        match = _TEMP.match(entry.name)
        if match is None:
            continue
        if _writer_alive(match["host"], int(match["pid"]), int(match["start"])):
            continue
        _remove(Path(entry.path))
        removed.append(Path(entry.path))
    return removed


def _cannot_write(exc: OSError, dest: Path) -> OSError:
    """The same OSError type, with a message saying which folder must be writable."""
    message = (f"{dest.parent}: cannot write {dest.name} here ({exc.strerror or exc}); expected "
               "an existing, writable folder")
    return type(exc)(exc.errno, message) if exc.errno else type(exc)(message)


def _prepare(dest: Path) -> None:
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        remove_stale(dest.parent)
    except OSError as exc:
        raise _cannot_write(exc, dest) from exc


@contextlib.contextmanager
def atomic_file(dest: str | os.PathLike, mode: str = "wb", *, encoding: str | None = None,
                newline: str | None = None) -> Iterator[IO[Any]]:
    """Open a temporary sibling of ``dest`` for writing; rename it to ``dest`` on success.

    The folder is created if needed and tidied with `remove_stale` first. On an exception in
    the ``with`` block the temporary file is deleted and ``dest`` is left as it was.

    Args:
        dest: the final path (replaced if it exists).
        mode: ``"wb"`` or ``"w"`` (text; pass ``encoding``).
        encoding: the text encoding (text mode only).
        newline: as for ``open`` (text mode only).

    Yields:
        The open file object.

    Raises:
        ValueError: for a mode other than ``"wb"`` or ``"w"``.
        OSError: (its own type, e.g. ``PermissionError``) if the folder cannot be written; the
            message names the folder.
    """
    if mode not in ("wb", "w"):
        raise ValueError(f"mode must be 'wb' or 'w', got {mode!r}")
    dest = Path(dest)
    _prepare(dest)
    tmp = temp_path(dest)
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0),
                     0o666)
    except OSError as exc:
        raise _cannot_write(exc, dest) from exc
    try:
        with os.fdopen(fd, mode, encoding=encoding, newline=newline) as f:
            yield f
        os.replace(tmp, dest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_bytes(dest: str | os.PathLike, data: bytes) -> Path:
    """Write ``data`` to ``dest`` atomically (see `atomic_file`); return ``Path(dest)``."""
    with atomic_file(dest, "wb") as f:
        f.write(data)
    return Path(dest)


def write_text(dest: str | os.PathLike, text: str, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``dest`` atomically (see `atomic_file`); return ``Path(dest)``."""
    with atomic_file(dest, "w", encoding=encoding, newline="") as f:
        f.write(text)
    return Path(dest)


@contextlib.contextmanager
def atomic_dir(dest: str | os.PathLike) -> Iterator[Path]:
    """Build a folder in a temporary sibling of ``dest``; rename it to ``dest`` on success.

    Meant for results that are the same whoever builds them (an archive's contents, a seeded
    generator's output): if another process renamed its copy into place first, this one deletes
    its own copy and keeps the winner's instead of failing. A ``dest`` that exists before the
    block is the caller's business (check it first).

    Args:
        dest: the folder to create.

    Yields:
        The temporary folder (mode ``0o777`` minus the umask) to fill.

    Raises:
        OSError: (its own type) if the parent folder cannot be written (the message names it),
            or if ``dest`` turned out to be something other than a folder.
    """
    dest = Path(dest)
    _prepare(dest)
    tmp = temp_path(dest)
    try:
        os.mkdir(tmp, 0o777)
    except OSError as exc:
        raise _cannot_write(exc, dest) from exc
    try:
        yield tmp
        try:
            os.rename(tmp, dest)
        except OSError as exc:
            if exc.errno not in (errno.ENOTEMPTY, errno.EEXIST) or not dest.is_dir():
                raise
            shutil.rmtree(tmp)  # lost the race: the winner's folder stays
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
