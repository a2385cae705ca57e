"""native_stderr_silenced drops fd-level writes only inside the block."""

import os
import subprocess
import sys

CHILD = """
import os
from textseq.notebook.quiet import native_stderr_silenced
with native_stderr_silenced():
    os.write(2, b"hidden\\n")
os.write(2, b"shown\\n")
try:
    with native_stderr_silenced():
        raise KeyError("propagates")
except KeyError as e:
    os.write(2, repr(e).encode())
"""


def test_silences_only_inside_block_and_lets_exceptions_through():
    out = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True,
                         env={**os.environ}, check=True)
    assert out.stderr == "shown\nKeyError('propagates')"
