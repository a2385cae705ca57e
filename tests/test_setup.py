"""A clear error without Keras or TensorFlow (textseq._checks); the setup cell's summary
(textseq.notebook.setup)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from textseq import _checks
from textseq.notebook import setup

# Run in a fresh interpreter where the named top-level modules cannot be found, as when they are
# not installed: a finder placed first refuses them.
HIDE = """
import importlib.abc, sys
HIDDEN = {hidden!r}
class Hide(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in HIDDEN:
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
        return None
sys.meta_path.insert(0, Hide())
"""


def _run_hidden(hidden: set[str], code: str, **env: str) -> subprocess.CompletedProcess:
    import os

    environ = {k: v for k, v in os.environ.items() if k != "KERAS_BACKEND"} | env
    return subprocess.run([sys.executable, "-c", HIDE.format(hidden=sorted(hidden)) + code],
                          capture_output=True, text=True, env=environ, timeout=300)


@pytest.mark.parametrize("code", ["import textseq.models",
                                  "from textseq.notebook import setup_summary; setup_summary()",
                                  "from textseq import seed_everything; seed_everything(0)"])
@pytest.mark.parametrize("blocked", [False, True])  # issue 19: a blocked import passed the check
def test_without_tensorflow_the_error_says_what_to_install(code, blocked):
    out = (_run_hidden(set(), "import sys; sys.modules['tensorflow'] = None\n" + code) if blocked
           else _run_hidden({"tensorflow"}, code))
    assert out.returncode == 1
    last = out.stderr.strip().splitlines()[-1]
    assert last.startswith("textseq._checks.MissingBackendError: ")
    assert "backend 'tensorflow' is not installed" in last
    assert "pip install tensorflow" in last and "tensorflow-cpu" in last


def test_without_keras_the_error_says_to_install_tensorflow():
    out = _run_hidden({"tensorflow", "keras"}, "import textseq.models")
    last = out.stderr.strip().splitlines()[-1]
    assert "needs Keras 3 and a backend" in last and "pip install tensorflow" in last


def test_the_error_is_a_module_not_found_error():
    out = _run_hidden({"tensorflow"}, """
try:
    import textseq.models
except ModuleNotFoundError as error:
    print(type(error).__name__, error.name)
""")
    assert out.stdout.split() == ["MissingBackendError", "tensorflow"]


def test_light_parts_of_textseq_work_without_tensorflow():
    out = _run_hidden({"tensorflow", "keras"}, """
import textseq
from textseq.text import Tokenizer
t = Tokenizer(); t.fit_on_texts(["a b a"]); print(t.word_index, textseq.__version__)
""")
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("{'a': 1, 'b': 2}")


def test_another_backend_names_its_own_package(monkeypatch):
    monkeypatch.delitem(sys.modules, "keras", raising=False)
    monkeypatch.setenv("KERAS_BACKEND", "jax")
    if _checks._installed("jax"):
        pytest.fail("this test expects jax not to be installed")
    with pytest.raises(_checks.MissingBackendError, match="'jax' is not installed.*install jax"):
        _checks.require_backend()


def test_keras_backend_follows_keras_order(monkeypatch, tmp_path):
    monkeypatch.delitem(sys.modules, "keras", raising=False)
    monkeypatch.delenv("KERAS_BACKEND", raising=False)
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    assert _checks.keras_backend() == "tensorflow"  # no keras.json: Keras's default
    (tmp_path / "keras.json").write_text(json.dumps({"backend": "torch"}))
    assert _checks.keras_backend() == "torch"
    monkeypatch.setenv("KERAS_BACKEND", "jax")
    assert _checks.keras_backend() == "jax"  # the variable wins over the file


def test_an_imported_keras_says_its_backend(monkeypatch):
    monkeypatch.delenv("KERAS_BACKEND", raising=False)
    keras = _checks.import_keras()
    monkeypatch.setenv("KERAS_BACKEND", "jax")  # too late: Keras is imported already
    assert _checks.keras_backend() == keras.backend.backend() == "tensorflow"


def test_device_summary_on_this_cpu_machine():
    import tensorflow as tf

    assert not tf.config.list_physical_devices("GPU"), "this test expects a machine without GPU"
    assert setup.device_summary() == "Device: CPU (TensorFlow sees no GPU)"


def test_device_summary_names_the_gpus(monkeypatch):
    import tensorflow as tf

    gpus = [tf.config.PhysicalDevice("/physical_device:GPU:0", "GPU"),
            tf.config.PhysicalDevice("/physical_device:GPU:1", "GPU")]
    monkeypatch.setattr(tf.config, "list_physical_devices",
                        lambda kind=None: gpus if kind == "GPU" else [])
    details = {gpus[0].name: {"device_name": "Tesla T4"}, gpus[1].name: {}}
    monkeypatch.setattr(tf.config.experimental, "get_device_details", lambda d: details[d.name])
    assert setup.device_summary() == "Device: GPU (Tesla T4, /physical_device:GPU:1)"


@pytest.mark.parametrize(("source", "start"), [("embedded", "Data: embedded"),
                                               ("real", "Data: the real")])
def test_setup_summary_shows_the_data_switch_and_the_device(monkeypatch, source, start):
    from textseq.datasets import describe

    monkeypatch.setenv("TEXTSEQ_DATA", source)
    summary = setup.setup_summary()
    assert summary.startswith(start)
    assert summary == f"{describe(source)}\nDevice: CPU (TensorFlow sees no GPU)"


def test_setup_summary_rejects_a_wrong_switch(monkeypatch):
    monkeypatch.setenv("TEXTSEQ_DATA", "fake")
    with pytest.raises(ValueError, match="TEXTSEQ_DATA must be one of embedded, real"):
        setup.setup_summary()
