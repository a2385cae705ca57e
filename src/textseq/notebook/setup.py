"""The setup cell's summary: the data in use and the device TensorFlow runs on.

A notebook's setup cell ends with ``print(setup_summary())``.
"""

from __future__ import annotations

from textseq._checks import require_backend

__all__ = ["device_summary", "setup_summary"]


def device_summary() -> str:
    """One line naming the device TensorFlow runs on (other backends: just named)."""
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
    """``Data: ...`` and ``Device: ...`` lines; starts the clock of `running_time`."""
    from textseq.datasets import describe
    from textseq.notebook.report import start_clock

    start_clock()
    return f"{describe()}\n{device_summary()}"
