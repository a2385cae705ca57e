"""Keep TensorFlow's native start-up log lines out of notebook outputs.

TensorFlow writes a few lines from C++ when it is first imported ("oneDNN custom operations are
on ...") before its logging is configured, so ``TF_CPP_MIN_LOG_LEVEL`` cannot hide them. They are
harmless, but they clutter every notebook's first output.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator

__all__ = ["native_stderr_silenced"]


@contextlib.contextmanager
def native_stderr_silenced() -> Iterator[None]:
    """Send file descriptor 2 to ``/dev/null`` for the duration of the block.

    Only output written by native code straight to the file descriptor is dropped; Python
    exceptions raised in the block propagate as usual, with their tracebacks.

    Example:
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
