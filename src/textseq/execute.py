"""``python -m textseq.execute NOTEBOOK...``: run notebooks in order, in place, then the table.

This is what ``make run`` calls. Each notebook runs in a fresh kernel of the current environment
with its own folder as working directory; outputs are saved into the notebook (so readers see
them without running anything) without per-cell timing metadata (so diffs stay small).

The kernel gets this process's environment without ``MPLBACKEND``, so Matplotlib uses the
kernel's inline backend and ``plt.show()`` puts figures on the page as ``image/png`` outputs even
when the caller exported ``MPLBACKEND=Agg`` (`textseq.plots.plot_history` shows its figures
whatever the backend).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path

__all__ = ["execute_notebook", "kernel_environment", "main"]


def kernel_environment(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment a notebook kernel starts with: ``environ`` without ``MPLBACKEND``.

    ipykernel selects Matplotlib's inline backend only when ``MPLBACKEND`` is unset; a
    non-interactive backend inherited from a shell or a Makefile (``Agg``) would keep every
    ``plt.show()`` figure off the page.

    Args:
        environ: The environment to start from (default: ``os.environ``).

    Returns:
        A new dict.

    Example:
        >>> kernel_environment({"MPLBACKEND": "Agg", "PYTHONHASHSEED": "0"})
        {'PYTHONHASHSEED': '0'}
    """
    environ = os.environ if environ is None else environ
    return {key: value for key, value in environ.items() if key != "MPLBACKEND"}


def execute_notebook(path: str | Path, *, timeout: int = 900) -> float:
    """Execute one notebook in place and return the seconds it took.

    Args:
        path: The ``.ipynb`` file.
        timeout: Seconds allowed per cell.

    Returns:
        Wall-clock seconds.

    Raises:
        nbclient.exceptions.CellExecutionError: when a cell fails (the notebook is not written).
    """
    import nbformat
    from nbclient import NotebookClient
    from traitlets.config import Config

    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    # The kernel talks over local sockets in a temporary folder ("ipc"), not TCP on 127.0.0.1:
    # ipykernel warns at every start that TCP is unencrypted, and the sockets leave no files.
    with tempfile.TemporaryDirectory(prefix="textseq-kernel-") as sockets:
        config = Config()
        config.KernelManager.transport = "ipc"
        config.KernelManager.ip = str(Path(sockets) / "kernel")
        client = NotebookClient(nb, timeout=timeout, kernel_name="python3", record_timing=False,
                                resources={"metadata": {"path": str(path.parent)}},
                                config=config)
        client.execute(env=kernel_environment())
    nbformat.write(nb, path)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    """Execute the notebooks named in ``argv`` in order, then write the results table.

    Args:
        argv: Notebook paths (default: ``sys.argv[1:]``).

    Returns:
        The exit status: 0, or 2 without notebooks.
    """
    from textseq.results import write_table

    paths = argv if argv is not None else sys.argv[1:]
    if not paths:
        print("usage: python -m textseq.execute NOTEBOOK.ipynb ...", file=sys.stderr)
        return 2
    total = 0.0
    for p in paths:
        seconds = execute_notebook(p)
        total += seconds
        print(f"{p}: {seconds:.0f} s", flush=True)
    table = write_table()
    print(f"all notebooks: {total:.0f} s\n\n{table.read_text(encoding='utf-8')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
