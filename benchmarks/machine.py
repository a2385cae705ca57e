"""What a benchmark ran on: the CPU, then `numpy.show_runtime()`; the load average after it.

Speed ratios move with the machine (CPU model, SIMD extensions, the BLAS and its threads, other
jobs), so every ``bench_*.py`` prints `describe()` before its figures and `load()` after them.
``numpy.show_runtime()`` gives numpy's and Python's versions, the SIMD extensions numpy's loops
dispatch to, and, read through ``threadpoolctl``, the BLAS with its run-time kernel and threads.
``python benchmarks/machine.py`` prints it alone.
"""

from __future__ import annotations

import contextlib
import io
import os
import platform

import numpy as np
import threadpoolctl  # noqa: F401  # numpy.show_runtime() lists the BLAS threads through it

__all__ = ["cpu_model", "describe", "load"]


def cpu_model() -> str:
    """The CPU's model name (``/proc/cpuinfo`` on Linux, else ``platform.processor()``)."""
    with contextlib.suppress(OSError), open("/proc/cpuinfo", encoding="utf-8") as f:
        for line in f:
            if line.startswith(("model name", "Hardware")):
                return line.partition(":")[2].strip()
    return platform.processor() or platform.machine() or "unknown CPU"


def load() -> str:
    """The 1, 5 and 15 minute load averages (other jobs slow a benchmark down)."""
    try:
        averages = " ".join(f"{value:.2f}" for value in os.getloadavg())
    except (AttributeError, OSError):  # not on this platform
        averages = "unknown"
    return f"load average (1/5/15 min): {averages} on {os.cpu_count()} logical CPUs"


def describe() -> str:
    """A header for a benchmark's output: the CPU, numpy's runtime record and the load."""
    runtime = io.StringIO()
    with contextlib.redirect_stdout(runtime):
        np.show_runtime()
    return (f"machine: {cpu_model()}, {os.cpu_count()} logical CPUs, {platform.platform()}\n"
            f"{runtime.getvalue().rstrip()}\n{load()}")


if __name__ == "__main__":
    print(describe())
