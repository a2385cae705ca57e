"""``python -m textseq.execute NOTEBOOK...``: run notebooks in order, in place, then the table.

This is what ``make run`` calls. Each notebook runs in a fresh kernel of the current environment
with its own folder as working directory; outputs are saved into the notebook (so readers see
them without running anything) without per-cell timing metadata (so diffs stay small).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

__all__ = ["execute_notebook", "main"]


def execute_notebook(path: str | Path, *, timeout: int = 900) -> float:
    """Execute one notebook in place and return the seconds it took.

    Args:
        path: the ``.ipynb`` file.
        timeout: seconds allowed per cell.

    Returns:
        Wall-clock seconds.

    Raises:
        nbclient.exceptions.CellExecutionError: when a cell fails (the notebook is not written).
    """
    import nbformat
    from nbclient import NotebookClient

    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(nb, timeout=timeout, kernel_name="python3", record_timing=False,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    nbformat.write(nb, path)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
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
