"""What a benchmark ran on: CPU, cores, memory pages, numpy's BLAS and SIMD kernels, threads, load.

Speed ratios move with the machine, and `make bench` on another two-core machine did not
reproduce the README's. What moves them, as far as this project's benchmarks go:

- the CPU model and whether the two logical CPUs are two cores (the GloVe reader parses on two
  threads; a second thread on the other half of one hyper-threaded core adds little), measured
  here by `two_thread_speedup`;
- the cost of fresh memory: a large result (``texts_to_matrix``'s 400 MB float64 matrix) costs
  the kernel a page fault per page it zeroes, 512 times fewer with transparent huge pages, which
  numpy asks for (``madvise``) on large arrays but the kernel may refuse (`huge_pages`);
- the BLAS numpy uses and the kernel it picks at run time (OpenBLAS chooses e.g. Haswell or
  SkylakeX code when it loads), and the SIMD extensions numpy's own loops dispatch to;
- thread and allocator settings, and the load of a shared machine.

Every benchmark prints `describe()` before its figures and `load()` after them (which adds how
busy the machine's CPUs were in between), so that two runs can be compared.

Used by ``benchmarks/bench_*.py`` (``import machine``, the scripts' own folder is on
``sys.path``). Run ``python benchmarks/machine.py`` to print it alone.
"""

from __future__ import annotations

import ctypes
import os
import platform
import sys
import threading
import time

import numpy as np

__all__ = ["describe", "load"]

_SETTINGS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
             "TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS",
             "MALLOC_ARENA_MAX", "MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_",
             "PYTHONMALLOC", "LD_PRELOAD", "NUMPY_MADVISE_HUGEPAGE")
_START: tuple[int, int, int] | None = None  # /proc/stat's (busy, total, steal) at describe()


def _read(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError:
        return None


def cpu_model(cpuinfo: str | None = None) -> str:
    """The CPU's model name, family/model/stepping and whether it is a virtual machine's
    (``/proc/cpuinfo`` on Linux, else ``platform.processor()``)."""
    cpuinfo = _read("/proc/cpuinfo") if cpuinfo is None else cpuinfo
    fields: dict[str, str] = {}
    for line in (cpuinfo or "").splitlines():
        key, sep, value = line.partition(":")
        if not sep:
            if fields:
                break  # the first processor is enough
            continue
        fields.setdefault(key.strip().lower(), value.strip())
    name = next((fields[k] for k in ("model name", "hardware", "cpu model") if k in fields),
                None) or platform.processor() or platform.machine() or "unknown"
    details = [f"{label} {fields[key]}" for key, label in
               (("cpu family", "family"), ("model", "model"), ("stepping", "stepping"))
               if key in fields]
    if "hypervisor" in fields.get("flags", "").split():
        details.append("virtual machine")
    return name + (f" ({', '.join(details)})" if details else "")


def cpus(topology: str = "/sys/devices/system/cpu") -> str:
    """Logical CPUs, the cores they sit on as the system reports them, and how many this
    process may use."""
    total = os.cpu_count() or 0
    try:
        usable = sorted(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        usable = list(range(total))
    cores = set()
    for cpu in usable:
        package = _read(f"{topology}/cpu{cpu}/topology/physical_package_id")
        core = _read(f"{topology}/cpu{cpu}/topology/core_id")
        if package is None or core is None:
            cores = set()
            break
        cores.add((package.strip(), core.strip()))
    on = f" on {len(cores)} core{'s' * (len(cores) != 1)}" if cores else ""
    return f"{total} logical CPUs ({len(usable)} usable by this process{on})"


def memory(meminfo: str | None = None) -> str:
    """Total and available memory (``/proc/meminfo``)."""
    meminfo = _read("/proc/meminfo") if meminfo is None else meminfo
    sizes = {}
    for line in (meminfo or "").splitlines():
        key, _, value = line.partition(":")
        parts = value.split()
        if parts and parts[0].isdigit():
            sizes[key.strip()] = int(parts[0]) / 2**20  # kB to GiB
    if "MemTotal" not in sizes:
        return "memory: unknown"
    available = sizes.get("MemAvailable")
    return (f"{sizes['MemTotal']:.1f} GiB memory"
            + (f", {available:.1f} GiB available" if available is not None else ""))


def huge_pages(setting: str | None = None) -> str:
    """The kernel's transparent huge page mode and whether numpy asks for huge pages."""
    if setting is None:
        setting = _read("/sys/kernel/mm/transparent_hugepage/enabled")
    mode = "unknown (not Linux?)"
    if setting:
        chosen = [word[1:-1] for word in setting.split() if word.startswith("[")]
        mode = chosen[0] if chosen else setting.strip()
    try:
        from numpy._core.multiarray import _get_madvise_hugepage
        asks = "yes" if _get_madvise_hugepage() else "no"
    except ImportError:
        asks = "unknown"
    return f"transparent huge pages: {mode} (numpy asks for them on large arrays: {asks})"


def _build(part: str) -> str:
    try:
        info = np.show_config(mode="dicts")["Build Dependencies"][part]
    except Exception as exc:  # numpy < 1.26 has no mode="dicts"; any failure: say so
        return f"unknown ({exc})"
    return f"{info.get('name', '?')} {info.get('version', '?')}"


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
    """numpy's BLAS and LAPACK: the libraries it was built with and, when it can be read, the
    BLAS's run-time core and threads."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        runtime = _openblas_runtime()
    else:
        info = [i for i in threadpool_info() if i.get("user_api") == "blas"]
        runtime = "; ".join(f"{i.get('internal_api')} {i.get('version')}, core "
                            f"{i.get('architecture')}, {i.get('num_threads')} threads"
                            for i in info) or None
    built, lapack = _build("blas"), _build("lapack")
    name = f"BLAS/LAPACK {built}" if lapack == built else f"BLAS {built}, LAPACK {lapack}"
    return name + (f" ({runtime})" if runtime else "")


def simd() -> str:
    """The SIMD extensions numpy's loops can dispatch to on this CPU."""
    try:
        from numpy._core._multiarray_umath import __cpu_dispatch__, __cpu_features__
    except ImportError:
        return "unknown"
    found = [name for name in __cpu_dispatch__ if __cpu_features__.get(name)]
    return ", ".join(found) or "baseline only"


def settings() -> str:
    """The thread and allocator settings found in the environment."""
    found = ", ".join(f"{v}={os.environ[v]}" for v in _SETTINGS if v in os.environ)
    return found or "none set"


def _numpy_work(rounds: int) -> None:
    """Sorting a cache-sized array, again and again: numpy lets other threads run meanwhile."""
    values = np.random.default_rng(0).random(1 << 16)
    for _ in range(rounds):
        np.sort(values)


def two_thread_speedup(rounds: int = 400, tries: int = 3) -> float:
    """How much faster the same numpy work ran on two threads than on one (best of ``tries``):
    about 2 on two idle cores, less on two halves of one core or on a busy machine."""
    one = two = float("inf")
    for _ in range(tries):
        start = time.perf_counter()
        _numpy_work(rounds)
        one = min(one, time.perf_counter() - start)
        threads = [threading.Thread(target=_numpy_work, args=(rounds // 2,)) for _ in range(2)]
        start = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        two = min(two, time.perf_counter() - start)
    return one / two


def cpu_times(stat: str | None = None) -> tuple[int, int, int] | None:
    """``(busy, total, steal)`` clock ticks of all CPUs since boot (``/proc/stat``'s first
    line; busy counts every process, steal is time the hypervisor gave to other machines)."""
    stat = _read("/proc/stat") if stat is None else stat
    first = (stat or "").split("\n", 1)[0].split()
    if len(first) < 5 or first[0] != "cpu":
        return None
    ticks = [int(t) for t in first[1:9]]
    ticks += [0] * (8 - len(ticks))
    idle = ticks[3] + ticks[4]  # idle + iowait
    return sum(ticks) - idle, sum(ticks), ticks[7]


def busy_share(before: tuple[int, int, int] | None, after: tuple[int, int, int] | None) -> str:
    """How busy the machine's CPUs were between two `cpu_times` readings."""
    if before is None or after is None or after[1] <= before[1]:
        return "CPU use during the run: unknown"
    total = after[1] - before[1]
    busy, steal = (after[0] - before[0]) / total, (after[2] - before[2]) / total
    return (f"CPUs busy {busy:.0%} of the time during the run (all processes; "
            f"stolen by the hypervisor {steal:.0%})")


def load_average() -> str:
    """The 1, 5 and 15 minute load averages, against the number of CPUs."""
    try:
        one, five, fifteen = os.getloadavg()
    except (AttributeError, OSError):
        return "load average: unknown"
    return (f"load average: {one:.2f} {five:.2f} {fifteen:.2f} (1/5/15 min) on "
            f"{os.cpu_count()} CPUs")


def load() -> str:
    """The load average now and, after `describe`, how busy the CPUs were since."""
    return load_average() + "; " + busy_share(_START, cpu_times())


def describe() -> str:
    """A few lines for the top of a benchmark's output; starts the CPU-use count of `load`."""
    global _START
    lines = [
        f"machine: {cpu_model()}; {cpus()}; {memory()}",
        f"python {platform.python_version()} ({' '.join(platform.libc_ver()) or 'libc ?'}), "
        f"numpy {np.__version__}, {blas()}",
        f"numpy SIMD: {simd()}",
        f"memory pages: {huge_pages()}",
        f"thread and allocator settings: {settings()}",
        f"parallel: numpy work on 2 threads ran {two_thread_speedup():.2f}x as fast as on 1 "
        "(measured now)",
        load_average(),
    ]
    _START = cpu_times()
    return "\n".join(lines)


if __name__ == "__main__":
    print(describe())
    print(load())
    sys.exit(0)
