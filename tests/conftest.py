"""Shared fixtures: tiny aclImdb trees and archives written by the tests themselves; the
Hypothesis profile; the ``slow`` marker; `tool` loads a script of ``tools/``."""

from __future__ import annotations

import importlib.util
import os
import random
import tarfile
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import settings

# Hypothesis: one fixed profile, loaded before any test module builds its own settings (which
# inherit from it). "ci" is derandomized (the same examples on every run and machine, so CI is
# reproducible) with no example database; tests that state max_examples keep theirs, the others
# run 100. HYPOTHESIS_PROFILE=explore draws fresh random examples, 500 per test, to hunt bugs
# locally. CI=true always gets "ci", and so does every run that does not ask for "explore".
settings.register_profile("ci", derandomize=True, database=None, deadline=None,
                          max_examples=100, print_blob=True)
settings.register_profile("explore", derandomize=False, deadline=None, max_examples=500)
settings.load_profile("ci" if os.environ.get("CI", "").lower() == "true"
                      else os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def tool(name: str) -> ModuleType:
    """The script ``tools/<name>.py`` (release tooling, outside the package), as a module."""
    spec = importlib.util.spec_from_file_location(
        name, Path(__file__).resolve().parents[1] / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module

# Hand-written reviews of invented films (no real data). Keys: (split, label); values: a list of
# (id, rating, text). Ids are deliberately out of order and mix 1- and 2-digit numbers, so a
# string sort ("10" < "2") and a numeric sort differ.
TINY_REVIEWS: dict[tuple[str, str], list[tuple[int, int, str]]] = {
    ("train", "neg"): [
        (10, 2, "The plot of Glass Harbor drags.<br /><br />I won't watch it again."),
        (2, 1, "Dull, DULL and dull. A waste of 90 minutes"),
        (7, 4, "Not terrible, but the café scenes felt flat."),
    ],
    ("train", "pos"): [
        (3, 9, "A joyful film! The cast's energy carries it."),
        (11, 10, "Best score of the year: 10/10.<br />Go see it"),
        (0, 7, "Good, not great; the ending works."),
    ],
    ("train", "unsup"): [
        (5, 0, "Saw it on a plane, no opinion yet."),
        (1, 0, "Long film about a lighthouse keeper"),
    ],
    ("test", "neg"): [
        (4, 3, "Clumsy dialogue and a muddy mix."),
        (12, 1, "I walked out after twenty minutes."),
    ],
    ("test", "pos"): [
        (6, 8, "Tender, funny, and beautifully shot."),
        (1, 9, "It's the sort of film you'll want to see twice."),
    ],
}


def write_tree(root: Path, reviews: dict[tuple[str, str], list[tuple[int, int, str]]]) -> Path:
    """Write an aclImdb-layout tree at ``root`` (UTF-8 files ``<id>_<rating>.txt``)."""
    for (split, label), items in reviews.items():
        folder = root / split / label
        folder.mkdir(parents=True, exist_ok=True)
        for review_id, rating, text in items:
            (folder / f"{review_id}_{rating}.txt").write_bytes(text.encode("utf-8"))
    return root


def random_reviews(n_per_folder: int, seed: int = 0, vocab_size: int = 60,
                   unsup: int = 0) -> dict[tuple[str, str], list[tuple[int, int, str]]]:
    """Deterministic word salad with a Zipf-like word frequency, for load_data tests."""
    rng = random.Random(seed)
    words = [f"w{i}" for i in range(vocab_size)]
    weights = [1.0 / (i + 1) for i in range(vocab_size)]
    out = {}
    folders = [("train", "neg"), ("train", "pos"), ("test", "neg"), ("test", "pos")]
    if unsup:
        folders.append(("train", "unsup"))
    for split, label in folders:
        n = unsup if label == "unsup" else n_per_folder
        items = []
        for i in range(n):
            length = rng.randint(1, 40)
            text = " ".join(rng.choices(words, weights, k=length))
            rating = 0 if label == "unsup" else rng.choice((1, 2, 3, 4) if label == "neg"
                                                           else (7, 8, 9, 10))
            items.append((i, rating, text))
        out[split, label] = items
    return out


def make_tarball(tree: Path, dest: Path, arcroot: str = "aclImdb") -> Path:
    """Pack ``tree`` as ``dest`` (.tar.gz) with every member under ``arcroot/``."""
    with tarfile.open(dest, "w:gz") as tar:
        tar.add(tree, arcname=arcroot)
    return dest


@pytest.fixture
def tiny_aclimdb(tmp_path: Path) -> Path:
    """A tiny aclImdb tree (TINY_REVIEWS, unsup included) at ``tmp_path/aclImdb``."""
    return write_tree(tmp_path / "aclImdb", TINY_REVIEWS)


@pytest.fixture
def tiny_aclimdb_tarball(tiny_aclimdb: Path, tmp_path: Path) -> Path:
    """``tmp_path/aclImdb_v1.tar.gz`` holding the tiny tree under ``aclImdb/``."""
    return make_tarball(tiny_aclimdb, tmp_path / "aclImdb_v1.tar.gz")
