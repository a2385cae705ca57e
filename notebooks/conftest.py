"""nbval (``make test``) fails a notebook cell whose output holds a native log line.

nbval compares only the cells marked ``# NBVAL_CHECK_OUTPUT``, but a reader sees every output.
While ``make test`` executes each notebook, this hook reads every cell's fresh outputs, checked
or not, and fails the cell on a line that TensorFlow's C++ logging wrote (``E0000 ...``,
``W0000 ...``, ``node_def_util``) or absl's notice before it ("All log messages before
absl::InitializeLog() ..."): the filter in `textseq.notebook.training.seed_everything` must keep
them off the page on the CPU that runs the tests, whatever it is.

A reader's kernel shows what native code writes to file descriptor 2 as a stderr box (ipykernel
watches the descriptor). Under pytest it does not: ipykernel skips that when it finds
``PYTEST_CURRENT_TEST`` in its environment, and nbval sends the kernel's own stderr to
``/dev/null``. So nbval's kernels start here without that variable, and their cells' outputs
hold the same native lines as a reader's page.
"""

from __future__ import annotations

import os
import re

import nbval.kernel
import pytest

NATIVE_LOG = re.compile(r"^\s*[EWIF]\d{4} |node_def_util|absl::InitializeLog", re.MULTILINE)


def native_log_lines(outputs: list[dict]) -> list[str]:
    """The lines of ``outputs`` (nbformat output dicts) that native logging wrote."""
    found = []
    for output in outputs or []:
        texts = [output.get("text", "")] + [v for k, v in output.get("data", {}).items()
                                             if k.startswith("text/")]
        for text in texts:
            text = "".join(text) if isinstance(text, list) else str(text)
            found += [line for line in text.splitlines() if NATIVE_LOG.search(line)]
    return found


_start_new_kernel = nbval.kernel.start_new_kernel


def _start_kernel_as_a_reader_would(*args, **kwargs):
    kwargs.setdefault("env", {k: v for k, v in os.environ.items() if k != "PYTEST_CURRENT_TEST"})
    return _start_new_kernel(*args, **kwargs)


nbval.kernel.start_new_kernel = _start_kernel_as_a_reader_would


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item: pytest.Item):
    yield
    lines = native_log_lines(getattr(item, "test_outputs", None) or [])
    if lines:
        pytest.fail(f"{item.name}: a native log line reached the page: {lines[0][:200]!r} "
                    f"({len(lines)} such line(s))", pytrace=False)
