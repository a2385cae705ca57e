"""The Keras backend textseq runs on, and the setup cell's summary of the data and the device.

textseq's package metadata does not name TensorFlow: it installs over the TensorFlow a reader
already has (Colab's GPU build, ``tensorflow-cpu``, ...) and never replaces it. So the first
time textseq needs Keras, `import_keras` checks that Keras and its backend are installed, and
says what to install when they are not, instead of a bare ``No module named 'tensorflow'``
from deep inside Keras.

A notebook's setup cell ends with::

    from textseq.notebook.setup import setup_summary

    print(setup_summary())

which prints the data in use (``TEXTSEQ_DATA``: ``embedded`` or ``real``) and the device
TensorFlow runs on (CPU or GPU).
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from pathlib import Path
from types import ModuleType

__all__ = ["MissingBackendError", "keras_backend", "require_backend", "import_keras",
           "device_summary", "setup_summary", "in_jupyter_kernel"]

# The module each Keras 3 backend needs, and what to install for it.
_BACKENDS = {
    "tensorflow": ("tensorflow", "pip install tensorflow  (or tensorflow-cpu, the CPU-only "
                                 "build; from a checkout of textseq: pip install -r "
                                 "requirements.txt)"),
    "jax": ("jax", "pip install jax"),
    "torch": ("torch", "pip install torch"),
    "numpy": ("numpy", "pip install numpy"),
    "openvino": ("openvino", "pip install openvino"),
}


class MissingBackendError(ModuleNotFoundError):
    """Keras, or the backend Keras is set to use, is not installed."""


def _installed(module: str) -> bool:
    if module in sys.modules:
        return True
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):  # a parent package that fails, a module without a spec
        return False


def keras_backend() -> str:
    """Return the backend Keras uses (or will use once imported), without importing Keras.

    Keras's own order: an imported Keras's ``keras.backend.backend()``, else ``KERAS_BACKEND``,
    else ``"backend"`` in ``keras.json`` (in ``KERAS_HOME``, default ``~/.keras``), else
    ``"tensorflow"``.

    Returns:
        The backend's name, e.g. ``"tensorflow"``.
    """
    keras = sys.modules.get("keras")
    if keras is not None and hasattr(keras, "backend"):
        return keras.backend.backend()
    backend = os.environ.get("KERAS_BACKEND", "").strip()
    if backend:
        return backend
    home = os.environ.get("KERAS_HOME")
    if home is None:
        base = Path.home()
        home = str((base if os.access(base, os.W_OK) else Path("/tmp")) / ".keras")
    try:
        config = json.loads((Path(home).expanduser() / "keras.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        config = {}
    backend = config.get("backend") if isinstance(config, dict) else None
    return backend if isinstance(backend, str) and backend else "tensorflow"


def require_backend() -> str:
    """Check that Keras 3 and its backend are installed; return the backend's name.

    Returns:
        The backend's name (see `keras_backend`).

    Raises:
        MissingBackendError: (a ``ModuleNotFoundError``) when Keras or the backend's module is
            missing, naming what to install.

    Example:
        >>> require_backend()
        'tensorflow'
    """
    backend = keras_backend()
    module, hint = _BACKENDS.get(backend, (backend, f"pip install {backend}"))
    if not _installed("keras"):
        raise MissingBackendError(
            "textseq needs Keras 3 and a backend for it, and neither is installed. Install "
            f"TensorFlow, which brings Keras: {_BACKENDS['tensorflow'][1]}", name="keras")
    if not _installed(module):
        raise MissingBackendError(
            f"textseq needs a backend for Keras, and Keras's backend {backend!r} is not "
            f"installed (module {module!r}). Install it: {hint}", name=module)
    return backend


def import_keras() -> ModuleType:
    """Return the ``keras`` module after `require_backend` has checked it can work.

    Raises:
        MissingBackendError: when Keras or its backend is missing, naming what to install.
    """
    require_backend()
    import keras

    return keras


def device_summary() -> str:
    """Return one line naming the device TensorFlow runs on: the GPUs it sees, else the CPU.

    Imports TensorFlow (its native start-up lines silenced) when Keras's backend is TensorFlow;
    other backends are named, not inspected.

    Raises:
        MissingBackendError: when Keras or its backend is missing, naming what to install.
    """
    backend = require_backend()
    if backend != "tensorflow":
        return f"Device: not inspected (Keras backend {backend!r})"
    from textseq.notebook.quiet import native_stderr_silenced

    # TensorFlow's start-up lines, and the GPU build's cuInit error on a machine without one.
    with native_stderr_silenced():
        import tensorflow as tf

        gpus = tf.config.list_physical_devices("GPU")
    if not gpus:
        return "Device: CPU (TensorFlow sees no GPU)"
    names = []
    for gpu in gpus:
        try:
            names.append(tf.config.experimental.get_device_details(gpu).get("device_name")
                         or gpu.name)
        except (RuntimeError, ValueError):
            names.append(gpu.name)
    return f"Device: GPU ({', '.join(names)})"


def setup_summary() -> str:
    """Return what a notebook's setup cell prints: the data in use and the device.

    Returns:
        Two lines: ``Data: ...`` (`textseq.datasets.describe`: embedded or real, and how to
        switch) and ``Device: ...`` (`device_summary`).

    Raises:
        ValueError: when ``TEXTSEQ_DATA`` is neither ``embedded`` nor ``real``.
        MissingBackendError: when Keras or its backend is missing, naming what to install.
    """
    from textseq.datasets import describe
    from textseq.notebook.report import start_clock

    start_clock()  # report.running_time() at the end of the notebook
    return f"{describe()}\n{device_summary()}"


def in_jupyter_kernel() -> bool:
    """Whether this code runs in a Jupyter kernel (a notebook, nbclient, nbval).

    Looked up without importing IPython: a script or a test process that never imported it is
    not in a kernel.

    Example:
        >>> in_jupyter_kernel()
        False
    """
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    return getattr(shell, "kernel", None) is not None
