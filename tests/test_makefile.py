"""The Makefile takes the first supported Python it finds, and names the supported ones if none."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MAKE = shutil.which("make")


def _fake(folder: Path, name: str, target: str | None) -> None:
    """A ``name`` on PATH that runs ``target`` (a supported Python), or fails like a broken shim."""
    script = folder / name
    body = (f'exec "{target}" "$@"' if target
            else f'echo "pyenv: {name}: command not found" >&2; exit 127')
    script.write_text(f"#!/bin/sh\n{body}\n")
    script.chmod(0o755)


def _make(path: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHON", "MAKEFLAGS", "MAKELEVEL")}
    env["PATH"] = str(path)
    return subprocess.run([MAKE, "-C", str(ROOT), *args], capture_output=True, text=True, env=env,
                          timeout=120)


def _chosen(path: Path) -> str:
    out = _make(path, "-p", "-n", "install", "VENV=/nonexistent/venv")
    (line,) = [line for line in out.stdout.splitlines() if re.match(r"PYTHON :?= ", line)]
    return line.split("= ", 1)[1]


@pytest.fixture
def bin_dir(tmp_path: Path) -> Path:
    if MAKE is None:
        pytest.fail("make is needed to build and test textseq")
    return tmp_path


def test_the_first_supported_interpreter_is_taken(bin_dir):
    _fake(bin_dir, "python3.11", None)  # a pyenv shim for a version that is not selected
    _fake(bin_dir, "python3.13", sys.executable)
    _fake(bin_dir, "python3", sys.executable)
    assert _chosen(bin_dir) == str(bin_dir / "python3.13")


def test_python3_is_the_last_resort(bin_dir):
    _fake(bin_dir, "python3", sys.executable)
    assert _chosen(bin_dir) == str(bin_dir / "python3")


def test_no_supported_interpreter_fails_with_the_supported_versions(bin_dir):
    _fake(bin_dir, "python3", None)
    assert _chosen(bin_dir) == ""
    out = _make(bin_dir, "install", f"VENV={bin_dir / 'venv'}")
    assert out.returncode != 0
    assert "No supported Python found: textseq needs Python 3.11, 3.12, 3.13" in out.stderr
    assert not (bin_dir / "venv").exists()


def test_an_unsupported_python_given_by_name_is_refused(bin_dir):
    _fake(bin_dir, "python3.10", None)
    out = _make(bin_dir, "install", f"PYTHON={bin_dir / 'python3.10'}", f"VENV={bin_dir / 'v'}")
    assert out.returncode != 0
    assert "is not a supported Python" in out.stderr and "3.11, 3.12, 3.13" in out.stderr
