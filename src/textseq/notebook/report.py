"""Prose written by the run: sentences whose figures come from this run's values, in two languages.

`say` writes a sentence from this run's figures; `book` prints the book's (`textseq.results.BOOK`).
"""

from __future__ import annotations

import sys
import time

__all__ = ["say", "book", "book_figure", "running_time", "start_clock", "in_jupyter_kernel"]

_started: float | None = None  # perf_counter() when the setup cell ran (start_clock)

BOOK_SOURCE = "Deep Learning with Python, 1st ed., its notebooks on the full IMDB"


def in_jupyter_kernel() -> bool:
    """Whether this code runs in a Jupyter kernel (without importing IPython).

    >>> in_jupyter_kernel()
    False
    """
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    return getattr(shell, "kernel", None) is not None


def say(*, ko: str, en: str) -> None:
    """Show Korean, then English, as one Markdown output (plain text outside a notebook).

    >>> say(ko="정확도 **0.5**", en="accuracy **0.5**")
    정확도 **0.5**
    <BLANKLINE>
    accuracy **0.5**
    """
    for name, value in (("ko", ko), ("en", en)):
        if not isinstance(value, str):
            raise TypeError(f"{name} must be a string of Markdown, got {type(value).__name__}")
        if not value.strip():
            raise ValueError(f"{name} must be a non-empty string of Markdown, got {value!r}")
    text = f"{ko.strip()}\n\n{en.strip()}"
    if in_jupyter_kernel():
        from IPython.display import Markdown, display

        display(Markdown(text))
    else:
        print(text)


def book_figure(model: str, which: str = "best") -> str:
    """The book's ``"best"``, ``"last"`` or ``"test"`` accuracy for ``model`` (``"-"``: none).

    >>> book_figure("6-23 SimpleRNN")
    '0.846'
    """
    from textseq.results import BOOK

    if model not in BOOK:
        raise ValueError(f"model must be one of {sorted(BOOK)}, got {model!r}")
    if which not in ("best", "last", "test"):
        raise ValueError(f"which must be 'best', 'last' or 'test', got {which!r}")
    return BOOK[model][which]


def book(*models: str) -> None:
    """Print what the book's notebooks reported for ``models`` (keys of `textseq.results.BOOK`).

    >>> book("6-23 SimpleRNN")
    The book (책), Deep Learning with Python, 1st ed., its notebooks on the full IMDB:
      6-23 SimpleRNN: validation accuracy best 0.846, last 0.805
    """
    if not models:
        raise ValueError("give at least one model, e.g. book('6-23 SimpleRNN')")
    lines = [f"The book (책), {BOOK_SOURCE}:"]
    for model in models:
        best, last, test = (book_figure(model, w) for w in ("best", "last", "test"))
        line = f"  {model}: validation accuracy best {best}"
        line += f", last {last}" if last != "-" else ""
        line += f"; test accuracy {test}" if test != "-" else ""
        lines.append(line)
    print("\n".join(lines))


def start_clock() -> None:
    """Start the notebook's clock (`textseq.notebook.setup.setup_summary` calls it)."""
    global _started
    _started = time.perf_counter()


def running_time() -> None:
    """Print how long the notebook has run since its setup cell (an unchecked output).

    >>> start_clock()
    >>> running_time()  # doctest: +ELLIPSIS
    This notebook ran for 0 min 0 s on this machine (이 노트북의 실행 시간: 0분 0초).
    """
    if _started is None:
        print("The clock was not started: run the setup cell first (설정 셀을 먼저 실행하세요).")
        return
    minutes, seconds = divmod(round(time.perf_counter() - _started), 60)
    print(f"This notebook ran for {minutes} min {seconds} s on this machine "
          f"(이 노트북의 실행 시간: {minutes}분 {seconds}초).")
