"""Pytest set-up for the doctests of ``src/textseq`` (``make doctest``: ``--doctest-modules``).

Docstring examples that write files use ``tmp``, a fresh temporary folder per docstring, so that
they run as written in the docs and leave nothing in the checkout.
"""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _doctest_tmp(request: pytest.FixtureRequest, doctest_namespace: dict) -> None:
    if type(request.node).__name__ == "DoctestItem":  # not for the unit tests in tests/
        doctest_namespace["tmp"] = request.getfixturevalue("tmp_path")
