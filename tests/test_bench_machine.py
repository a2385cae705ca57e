"""benchmarks/machine.py: every benchmark prints what it ran on."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def test_the_description_names_cpu_blas_threads_and_load():
    out = subprocess.run([sys.executable, str(BENCHMARKS / "machine.py")], capture_output=True,
                         text=True, check=True).stdout.splitlines()
    assert [line.split(":")[0].split(" ")[0] for line in out] == [
        "machine", "python", "numpy", "thread", "load"]
    assert "logical CPUs" in out[0] and "unknown" not in out[0]
    assert "BLAS " in out[1] and "unknown" not in out[1]
    assert "(1/5/15 min)" in out[4]


def test_every_benchmark_prints_it():
    for script in sorted(BENCHMARKS.glob("bench_*.py")):
        if script.name == "bench_glove.py":
            continue  # adopts it with the GloVe rewrite (issue 11)
        text = script.read_text()
        assert "machine.describe()" in text and "machine.load()" in text, script.name
