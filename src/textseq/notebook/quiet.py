"""Keep TensorFlow's harmless native log lines out of notebook outputs.

Native code writes to file descriptor 2, which Python's warning filters cannot reach.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
import threading
from collections.abc import Iterator

__all__ = ["native_stderr_silenced", "native_lines_logged", "drop_native_stderr_lines"]

_dropped: list[bytes] = []  # messages dropped by the filter installed on file descriptor 2
_lock = threading.Lock()


@contextlib.contextmanager
def native_stderr_silenced() -> Iterator[None]:
    """Send file descriptor 2 to ``/dev/null`` for the duration of the block.

    >>> with native_stderr_silenced():
    ...     import tensorflow as tf
    """
    sys.stderr.flush()
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        sys.stderr.flush()
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


@contextlib.contextmanager
def native_lines_logged(logged: list[str]) -> Iterator[list[str]]:
    """Append to ``logged`` the lines written to file descriptor 2 in the block, then pass them on.

    >>> lines = []
    >>> with native_lines_logged(lines):
    ...     _ = os.write(2, b"E0000 a native line\\n")
    >>> lines
    ['E0000 a native line']
    """
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as log:
        os.dup2(log.fileno(), 2)
        try:
            yield logged
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            log.seek(0)
            text = log.read()
            logged += text.decode(errors="replace").splitlines()
            os.write(2, text)


def drop_native_stderr_lines(message: str) -> None:
    """Drop every line written to file descriptor 2 that contains ``message``; keep all others.

    A pipe and a daemon thread filter whole lines for the rest of the process. Make ``message``
    exact (never a prefix such as ``"E0000"``, which would hide real errors).
    """
    if not isinstance(message, str) or not message:
        raise ValueError(f"message must be a non-empty string, got {message!r}")
    with _lock:
        first = not _dropped
        if message.encode() not in _dropped:
            _dropped.append(message.encode())
        if not first:
            return
        sys.stderr.flush()
        destination = os.dup(2)
        read_end, write_end = os.pipe()
        os.dup2(write_end, 2)
        os.close(write_end)
    threading.Thread(target=_pump, args=(read_end, destination), daemon=True,
                     name="textseq-stderr-filter").start()


def _pump(read_end: int, destination: int) -> None:
    pending = b""
    while chunk := os.read(read_end, 65536):
        pending += chunk
        *lines, pending = pending.split(b"\n")
        kept = [line + b"\n" for line in lines if not any(m in line for m in _dropped)]
        if kept:
            os.write(destination, b"".join(kept))
    if pending:
        os.write(destination, pending)
