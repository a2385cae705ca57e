"""benchmarks/machine.py: every benchmark prints what it ran on."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def test_the_description_names_the_cpu_numpy_simd_blas_threads_and_load():
    out = subprocess.run([sys.executable, str(BENCHMARKS / "machine.py")], capture_output=True,
                         text=True, check=True).stdout
    first, *_, last = out.splitlines()
    assert first.startswith("machine: ") and "logical CPUs" in first
    assert "'simd_extensions'" in out  # numpy.show_runtime()
    assert "'user_api': 'blas'" in out  # its BLAS entry, read through threadpoolctl
    assert last.startswith("load average (1/5/15 min): ")


def test_every_benchmark_prints_it_before_and_after_its_figures():
    for script in sorted(BENCHMARKS.glob("bench_*.py")):
        text = script.read_text()
        main = text[text.index('if __name__ == "__main__":'):]
        assert main.index("machine.describe()") < main.index("main()") \
            < main.index("machine.load()"), script.name
