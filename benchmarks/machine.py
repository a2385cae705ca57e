"""What a benchmark ran on: CPU, numpy's BLAS and SIMD kernels, threads, load.

Speed ratios move with the CPU model, the BLAS numpy uses and the kernel it picks at run time
(OpenBLAS chooses e.g. Haswell or SkylakeX code when it loads), the SIMD extensions numpy's own
loops dispatch to, thread settings and the load of a shared machine. Every benchmark prints
`describe()` before its figures and `load()` after them, so that two runs can be compared.

Used by ``benchmarks/bench_*.py`` (``import machine``, the scripts' own folder is on
``sys.path``); ``bench_glove.py`` can call it the same way.

Run ``python benchmarks/machine.py`` to print it alone.
"""

from __future__ import annotations

import ctypes
import os
import platform
import sys

import numpy as np

__all__ = ["describe", "load"]

_THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
                     "TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS")


def cpu_model() -> str:
    """The CPU's model name (``/proc/cpuinfo`` on Linux, else ``platform.processor()``)."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.lower().startswith(("model name", "hardware", "cpu model")):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown"


def cpus() -> str:
    """Logical CPUs, and how many this process may use."""
    total = os.cpu_count() or 0
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        usable = total
    return f"{total} logical CPUs ({usable} usable by this process)"


def _blas_build() -> str:
    try:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
    except Exception as exc:  # numpy < 1.26 has no mode="dicts"; any failure: say so
        return f"unknown ({exc})"
    return f"{blas.get('name', '?')} {blas.get('version', '?')}"


def _openblas_runtime() -> str | None:
    """OpenBLAS's run-time core and threads, read from the loaded library (threadpoolctl's way)."""
    try:
        with open("/proc/self/maps", encoding="utf-8") as f:
            paths = {line.split()[-1] for line in f if "openblas" in line.lower()
                     and line.split()[-1].startswith("/")}
    except OSError:
        return None
    for path in sorted(paths):
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for prefix, suffix in (("scipy_openblas", "64_"), ("scipy_openblas", ""),
                               ("openblas", "64_"), ("openblas", "")):
            corename = getattr(lib, f"{prefix}_get_corename{suffix}", None)
            threads = getattr(lib, f"{prefix}_get_num_threads{suffix}", None)
            if corename is None:
                continue
            corename.restype = ctypes.c_char_p
            core = corename().decode("ascii", "replace")
            count = threads() if threads is not None else "?"
            return f"core {core}, {count} threads"
    return None


def blas() -> str:
    """numpy's BLAS: the library it was built with and, when it can be read, its run-time core."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        runtime = _openblas_runtime()
    else:
        info = [i for i in threadpool_info() if i.get("user_api") == "blas"]
        runtime = "; ".join(f"{i.get('internal_api')} {i.get('version')}, core "
                            f"{i.get('architecture')}, {i.get('num_threads')} threads"
                            for i in info) or None
    return _blas_build() + (f" ({runtime})" if runtime else "")


def simd() -> str:
    """The SIMD extensions numpy's loops can dispatch to on this CPU."""
    try:
        from numpy._core._multiarray_umath import __cpu_dispatch__, __cpu_features__
    except ImportError:
        return "unknown"
    found = [name for name in __cpu_dispatch__ if __cpu_features__.get(name)]
    return ", ".join(found) or "baseline only"


def load() -> str:
    """The 1, 5 and 15 minute load averages, against the number of CPUs."""
    try:
        one, five, fifteen = os.getloadavg()
    except (AttributeError, OSError):
        return "load average: unknown"
    return (f"load average: {one:.2f} {five:.2f} {fifteen:.2f} (1/5/15 min) on "
            f"{os.cpu_count()} CPUs")


def describe() -> str:
    """A few lines for the top of a benchmark's output."""
    threads = ", ".join(f"{v}={os.environ[v]}" for v in _THREAD_VARIABLES if v in os.environ)
    return "\n".join([
        f"machine: {cpu_model()}; {cpus()}",
        f"python {platform.python_version()}, numpy {np.__version__}, BLAS {blas()}",
        f"numpy SIMD: {simd()}",
        f"thread settings: {threads or 'none set'}",
        load(),
    ])


if __name__ == "__main__":
    print(describe())
    sys.exit(0)
