"""Where textseq keeps its files, and how it writes them: atomically.

``TEXTSEQ_DATA_DIR``, ``TEXTSEQ_FIGURES_DIR`` and ``TEXTSEQ_RESULTS_DIR`` override the folders
(default: ``data/``, ``figures/``, ``results/`` in a checkout, else ``~/.cache/textseq``).
Files are written to a temporary sibling, then renamed into place; temporaries of dead writers
are removed by the next writer (or `remove_stale`).

>>> with atomic_file(tmp / "numbers.txt", "w", encoding="utf-8") as f:
...     _ = f.write("1 2 3\\n")
>>> (tmp / "numbers.txt").read_text(encoding="utf-8")
'1 2 3\\n'
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
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

__all__ = [
    "atomic_dir", "atomic_file", "is_temp_name", "remove_stale", "temp_path", "write_bytes",
    "write_text", "project_root", "data_dir", "figures_dir", "results_dir"
]


def project_root() -> Path | None:
    """The source checkout's root (``pyproject.toml``, ``src/textseq``), or ``None`` (a wheel)."""
    root = Path(__file__).resolve().parents[2]
    if (root / "pyproject.toml").is_file() and (root / "src" / "textseq").is_dir():
        return root
    return None


def _base() -> Path:
    root = project_root()
    return root if root is not None else Path.home() / ".cache" / "textseq"


def _from_env(name: str, default: Path, writable: bool) -> Path:
    value = os.environ.get(name, "").strip()
    path = Path(value).expanduser() if value else default
    where = f"{name}={value}" if value else f"{path} (the default; set {name} to change it)"
    fix = f"point {name} at a folder, or unset it to use {default}" if value else f"set {name}"
    if path.exists() and not path.is_dir():
        raise NotADirectoryError(f"{where}: is a file; expected a folder ({fix})")
    if path.is_symlink() and not path.exists():
        raise FileNotFoundError(f"{where}: is a dangling symbolic link (to {os.readlink(path)}); "
                                f"expected a folder ({fix})")
    parent = path if path.exists() else next(p for p in path.parents if p.exists())
    if not parent.is_dir():
        raise NotADirectoryError(f"{where}: its parent {parent} is a file; expected a folder "
                                 f"({fix})")
    if writable:
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise type(exc)(exc.errno, f"{where}: cannot create the folder "
                            f"({exc.strerror or exc}); expected a writable folder ({fix})"
                            ) from exc
        if not os.access(path, os.W_OK | os.X_OK):
            raise PermissionError(f"{where}: the folder is not writable; expected a folder "
                                  f"textseq can write to ({fix})")
    return path


def data_dir(*, writable: bool = False) -> Path:
    """The data folder (``TEXTSEQ_DATA_DIR``); with ``writable``, created and checked writable.

    >>> folder = data_dir()  # data/ in a source checkout, unless TEXTSEQ_DATA_DIR is set
    >>> folder.is_absolute() or "TEXTSEQ_DATA_DIR" in os.environ
    True
    """
    return _from_env("TEXTSEQ_DATA_DIR", _base() / "data", writable)


def figures_dir(*, writable: bool = False) -> Path:
    """The folder of the notebooks' PNG figures (``TEXTSEQ_FIGURES_DIR``), as `data_dir`."""
    return _from_env("TEXTSEQ_FIGURES_DIR", _base() / "figures", writable)


def results_dir(*, writable: bool = False) -> Path:
    """The folder of the notebooks' model results (``TEXTSEQ_RESULTS_DIR``), as `data_dir`."""
    return _from_env("TEXTSEQ_RESULTS_DIR", _base() / "results", writable)


_TEMP = re.compile(r"^\.(?P<name>.*)\.tmp-(?P<host>[0-9a-f]{8})-(?P<pid>\d+)-(?P<start>\d+)"
                   r"-[0-9a-f]{8}$")
_HOST = hashlib.sha256(socket.gethostname().encode("utf-8", "replace")).hexdigest()[:8]


def _proc_stat(pid: int) -> tuple[str, int] | None:
    """``(state, start time in clock ticks)`` from ``/proc/<pid>/stat``, or ``None``."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            data = f.read().decode("ascii", "replace")
        fields = data[data.rindex(")") + 2:].split()  # the name (field 2) may hold spaces
        return fields[0], int(fields[19])
    except (OSError, IndexError, ValueError):
        return None


def temp_path(dest: str | os.PathLike) -> Path:
    """A new temporary name beside ``dest``, marked with this process; nothing is created."""
    dest, pid = Path(dest), os.getpid()
    start = (_proc_stat(pid) or ("", 0))[1]  # 0: unknown (no /proc), never compared
    return dest.with_name(f".{dest.name[:150]}.tmp-{_HOST}-{pid}-{start}-{secrets.token_hex(4)}")


def is_temp_name(name: str) -> bool:
    """Whether ``name`` was made by `temp_path` (by any process)."""
    return _TEMP.match(name) is not None


def _writer_alive(host: str, pid: int, start: int) -> bool:
    if host != _HOST:
        return True  # another machine's process: never touched
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        pass  # PermissionError: another user's process exists
    stat = _proc_stat(pid)
    if stat is None:
        return True  # no /proc: the process exists, assume it is the writer
    return stat[0] != "Z" and (not start or stat[1] == start)


def remove_stale(folder: str | os.PathLike) -> list[Path]:
    """Delete the temporaries in ``folder`` whose writer is dead; return their paths."""
    removed = []
    with contextlib.suppress(FileNotFoundError, NotADirectoryError):
        for entry in os.scandir(folder):
            found = _TEMP.match(entry.name)
            if found and not _writer_alive(found["host"], int(found["pid"]), int(found["start"])):
                if entry.is_dir(follow_symlinks=False):
                    shutil.rmtree(entry.path, ignore_errors=True)
                else:
                    Path(entry.path).unlink(missing_ok=True)
                removed.append(Path(entry.path))
    return removed


@contextlib.contextmanager
def atomic_file(dest: str | os.PathLike, mode: str = "wb", *, encoding: str | None = None,
                newline: str | None = None) -> Iterator[IO[Any]]:
    """Open a temporary sibling of ``dest`` (mode ``"wb"`` or ``"w"``); rename it on success.

    A new file's permissions follow the umask; a file replaced keeps its own.
    """
    if mode not in ("wb", "w"):
        raise ValueError(f"mode must be 'wb' or 'w', got {mode!r}")
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    remove_stale(dest.parent)
    tmp = temp_path(dest)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        with os.fdopen(fd, mode, encoding=encoding, newline=newline) as f:
            yield f
        with contextlib.suppress(FileNotFoundError):  # a file replaced keeps its mode
            os.chmod(tmp, stat.S_IMODE(os.stat(dest).st_mode))
        os.replace(tmp, dest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_bytes(dest: str | os.PathLike, data: bytes) -> Path:
    """Write ``data`` to ``dest`` atomically; return ``Path(dest)``."""
    with atomic_file(dest, "wb") as f:
        f.write(data)
    return Path(dest)


def write_text(dest: str | os.PathLike, text: str, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``dest`` atomically, newlines as given; return ``Path(dest)``."""
    with atomic_file(dest, "w", encoding=encoding, newline="") as f:
        f.write(text)
    return Path(dest)


@contextlib.contextmanager
def atomic_dir(dest: str | os.PathLike) -> Iterator[Path]:
    """Build a folder in a temporary sibling of ``dest``, then rename it (first one wins)."""
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    remove_stale(dest.parent)
    tmp = temp_path(dest)
    os.mkdir(tmp, 0o777)
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
