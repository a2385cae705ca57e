"""benchmarks/machine.py: every benchmark prints what it ran on."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
_spec = importlib.util.spec_from_file_location("bench_machine", BENCHMARKS / "machine.py")
machine = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(machine)

CPUINFO = """processor\t: 0
vendor_id\t: GenuineIntel
cpu family\t: 6
model\t\t: 85
model name\t: Intel(R) Xeon(R) CPU @ 2.20GHz
stepping\t: 7
flags\t\t: fpu vme avx2 hypervisor avx512f

processor\t: 1
model name\t: another CPU
"""


def test_the_description_names_cpu_blas_pages_threads_and_load():
    out = subprocess.run([sys.executable, str(BENCHMARKS / "machine.py")], capture_output=True,
                         text=True, check=True).stdout.splitlines()
    assert [line.split(":")[0].split(" ")[0] for line in out] == [
        "machine", "python", "numpy", "memory", "thread", "parallel", "load", "load"]
    assert "logical CPUs" in out[0] and "GiB memory" in out[0] and "unknown" not in out[0]
    assert "BLAS" in out[1] and "LAPACK" in out[1] and "unknown" not in out[1]
    assert "transparent huge pages" in out[3]
    assert "x as fast as on 1" in out[5]
    assert "(1/5/15 min)" in out[6] and "(1/5/15 min)" in out[7]


def test_every_benchmark_prints_it_before_and_after_its_figures():
    for script in sorted(BENCHMARKS.glob("bench_*.py")):
        text = script.read_text()
        main = text[text.index('if __name__ == "__main__":'):]
        assert main.index("machine.describe()") < main.index("main()") \
            < main.index("machine.load()"), script.name


def test_cpu_model_names_the_model_its_numbers_and_a_virtual_machine():
    assert machine.cpu_model(CPUINFO) == (
        "Intel(R) Xeon(R) CPU @ 2.20GHz (family 6, model 85, stepping 7, virtual machine)")
    bare = CPUINFO.replace(" hypervisor", "")
    assert machine.cpu_model(bare).endswith("stepping 7)")


def test_cpus_counts_the_cores_the_usable_cpus_sit_on(tmp_path):
    usable = sorted(os.sched_getaffinity(0))
    for cpu in usable:  # every usable CPU a hyper-thread of core 0
        folder = tmp_path / f"cpu{cpu}" / "topology"
        folder.mkdir(parents=True)
        (folder / "physical_package_id").write_text("0\n")
        (folder / "core_id").write_text("0\n")
    assert machine.cpus(str(tmp_path)).endswith(f"({len(usable)} usable by this process on 1 core)")
    (tmp_path / f"cpu{usable[0]}" / "topology" / "core_id").unlink()
    assert machine.cpus(str(tmp_path)).endswith(f"({len(usable)} usable by this process)")


def test_memory_and_huge_pages_are_read_from_the_kernel_files():
    assert machine.memory("MemTotal:  4194304 kB\nMemAvailable: 1048576 kB\n") == (
        "4.0 GiB memory, 1.0 GiB available")
    assert machine.memory("") == "memory: unknown"
    assert machine.huge_pages("always [madvise] never\n").startswith(
        "transparent huge pages: madvise (numpy asks for them on large arrays: ")
    assert machine.huge_pages("[always] madvise never").startswith(
        "transparent huge pages: always (")
    assert machine.huge_pages("[never]").startswith("transparent huge pages: never (")


def test_busy_share_is_the_busy_and_stolen_part_of_the_ticks_between_two_readings():
    before = machine.cpu_times("cpu  100 0 100 700 100 0 0 0 0 0\ncpu0 1 2 3 4\n")
    after = machine.cpu_times("cpu  600 0 200 1100 100 0 0 20 0 0\n")
    assert before == (200, 1000, 0) and after == (820, 2020, 20)
    assert machine.busy_share(before, after) == (
        "CPUs busy 61% of the time during the run (all processes; stolen by the hypervisor 2%)")
    assert machine.busy_share(before, before) == "CPU use during the run: unknown"
    assert machine.cpu_times("intr 1 2 3") is None


def test_settings_lists_the_thread_allocator_and_huge_page_variables_set(monkeypatch):
    for name in machine._SETTINGS:
        monkeypatch.delenv(name, raising=False)
    assert machine.settings() == "none set"
    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    monkeypatch.setenv("MALLOC_ARENA_MAX", "2")
    monkeypatch.setenv("NUMPY_MADVISE_HUGEPAGE", "0")
    assert machine.settings() == "OMP_NUM_THREADS=1, MALLOC_ARENA_MAX=2, NUMPY_MADVISE_HUGEPAGE=0"
