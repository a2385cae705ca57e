"""The test suite's own settings: the fixed Hypothesis profile is the one in force."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from hypothesis import settings

ROOT = Path(__file__).resolve().parents[1]


def test_hypothesis_runs_a_fixed_derandomized_profile():
    if os.environ.get("HYPOTHESIS_PROFILE") == "explore" and os.environ.get("CI") != "true":
        return  # asked for fresh examples on purpose
    assert settings.default.derandomize is True
    assert settings.default.database is None
    assert settings.default.max_examples == 100


def test_ci_true_always_gets_the_fixed_profile():
    code = ("import sys; sys.path.insert(0, 'tests'); import conftest; "
            "from hypothesis import settings; d = settings.default; "
            "print(d.derandomize, d.max_examples)")
    env = {**os.environ, "CI": "true", "HYPOTHESIS_PROFILE": "explore"}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                         text=True, check=True)
    assert out.stdout.split() == ["True", "100"]

