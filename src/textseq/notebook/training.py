"""Seeding, the quiet one-line-per-epoch report, and a summary of a training run.

Keras is imported on first use: `summarize_history` and `history_dict` work without it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from textseq._checks import check_choice, check_int, import_keras
from textseq.notebook.report import in_jupyter_kernel

if TYPE_CHECKING:
    import keras

__all__ = ["EpochReport", "seed_everything", "summarize_history", "history_dict", "accuracy_key"]

# The line op determinism makes TensorFlow 2.21 log at every fit (dropped in notebook kernels).
DETERMINISM_LOG_LINE = "NodeDef mentions attribute use_unbounded_threadpool which is not in the op"
# absl's notice before the first native log line of a process (see seed_everything).
ABSL_NOTICE_LINE = ("WARNING: All log messages before absl::InitializeLog() is called are "
                    "written to STDERR")


def seed_everything(seed: int, *, deterministic_ops: bool = True) -> None:
    """Seed Python, NumPy and the Keras backend, and make training reproducible.

    ``seed`` in ``[0, 2**32)``; ``deterministic_ops=False`` skips TensorFlow's op determinism
    (faster on a GPU; where a GPU lacks a deterministic kernel it says so and runs seeded only).
    """
    seed = check_int("seed", seed, minimum=0, maximum=2**32 - 1)
    check_choice("deterministic_ops", deterministic_ops, (True, False))
    keras = import_keras()
    if keras.backend.backend() == "tensorflow" and deterministic_ops:
        _enable_op_determinism(keras)
    keras.utils.set_random_seed(seed)  # after the warm-up: nothing above shifts the random state


_determinism_ok: bool | None = None  # None until the first call has checked the GPU


def _enable_op_determinism(keras: Any) -> None:
    global _determinism_ok
    import tensorflow as tf

    if _determinism_ok is None:
        tf.config.experimental.enable_op_determinism()
        _determinism_ok = (not tf.config.list_physical_devices("GPU")
                           or _gpu_determinism_works(tf))
        if not _determinism_ok:
            print("Note: this GPU's TensorFlow has no deterministic kernel for an Embedding's "
                  "gradient, so op determinism is off: runs are seeded but not "
                  "bit-reproducible (이 GPU에서는 결정적 연산을 쓸 수 없어 끕니다).", flush=True)
        elif in_jupyter_kernel():
            from textseq.notebook.quiet import drop_native_stderr_lines, native_stderr_silenced

            with native_stderr_silenced():  # the first native log line, absl's notice with it
                import numpy as np

                # Named, so the reader's first model is still "sequential" (auto-names count).
                warm = keras.Sequential([keras.Input((1,), name="textseq_warm_up_input"),
                                         keras.layers.Identity(name="textseq_warm_up")],
                                        name="textseq_warm_up_model")
                warm.predict(np.zeros((3, 1), "float32"), batch_size=2, verbose=0)
            drop_native_stderr_lines(DETERMINISM_LOG_LINE)
            drop_native_stderr_lines(ABSL_NOTICE_LINE)
    if _determinism_ok:
        tf.config.experimental.enable_op_determinism()
    else:  # TensorFlow's own switch back; it has no public name
        from tensorflow.python.framework import config as tf_config

        tf_config.disable_op_determinism()


def _gpu_determinism_works(tf: Any) -> bool:
    """Whether an Embedding's gradient (an unsorted segment sum) runs deterministically on GPU."""
    try:
        with tf.device("/GPU:0"):
            tf.math.unsorted_segment_sum(tf.ones((3, 2)), tf.constant([0, 1, 1]), 4).numpy()
    except tf.errors.UnimplementedError:
        return False
    return True


def history_dict(history: Any) -> dict[str, list[float]]:
    """The metrics of a `keras.callbacks.History` (or a dict of lists) as a dict of lists."""
    data = getattr(history, "history", history)
    if not isinstance(data, Mapping):
        raise TypeError(
            f"history must be a keras.callbacks.History or a dict of lists, got "
            f"{type(history).__name__}"
        )
    return {str(k): [float(v) for v in values] for k, values in data.items()}


def accuracy_key(history: Mapping[str, Any]) -> str:
    """The name of the accuracy metric in ``history``: ``"acc"`` (the book's) or ``"accuracy"``."""
    for key in ("acc", "accuracy"):
        if key in history and "val_" + key in history:
            return key
    raise ValueError(
        "history needs 'acc' and 'val_acc' (compile with metrics=['acc'] and train with "
        f"validation data); keys found: {sorted(history)}"
    )


def summarize_history(history: Any) -> dict[str, float | int]:
    """Best and last validation accuracy, as the book quotes them, and the best epoch (1-based).

    >>> summarize_history({"acc": [0.6, 0.8, 0.9], "val_acc": [0.70, 0.76, 0.75]})
    {'epochs': 3, 'best_epoch': 2, 'best_val_acc': 0.76, 'last_val_acc': 0.75, 'last_acc': 0.9}
    """
    data = history_dict(history)
    key = accuracy_key(data)
    acc, val_acc = data[key], data["val_" + key]
    if not val_acc or len(acc) != len(val_acc):
        raise ValueError(
            f"history['{key}'] and history['val_{key}'] must be non-empty and of equal length, "
            f"got {len(acc)} and {len(val_acc)}"
        )
    for name in (key, "val_" + key, "val_loss"):
        bad = next((i for i, v in enumerate(data.get(name, [])) if not math.isfinite(v)), None)
        if bad is not None:
            raise ValueError(f"history[{name!r}] must hold finite numbers, got {data[name][bad]} "
                             f"at epoch {bad + 1}; training diverged or the history is damaged: "
                             f"train again (e.g. with a lower learning rate)")
    best = max(range(len(val_acc)), key=lambda i: (val_acc[i], -i))
    summary: dict[str, float | int] = {
        "epochs": len(val_acc),
        "best_epoch": best + 1,
        "best_val_acc": val_acc[best],
        "last_val_acc": val_acc[-1],
        "last_acc": acc[-1],
    }
    if data.get("val_loss"):
        summary["min_val_loss"] = min(data["val_loss"])
    return summary


_EPOCH_REPORT_DOC = """Print one line per epoch: the metrics with 4 decimals, no timings.

    Pass it to ``model.fit`` with ``verbose=0``: Keras's own lines show timings, which change at
    every run; these change only when the metrics do. Metrics come in Keras's order: loss, the
    other metrics, then the same for validation, e.g.
    ``epoch 1/10 - loss 0.6814 - acc 0.5859 - val_loss 0.6643 - val_acc 0.6268``.
    """


def _epoch_report_class(keras: Any) -> type:
    """Create `EpochReport` (a `keras.callbacks.Callback`) once, when Keras is imported."""
    global _EPOCH_REPORT
    if _EPOCH_REPORT is None:

        class EpochReport(keras.callbacks.Callback):
            __doc__ = _EPOCH_REPORT_DOC

            def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
                total = (self.params or {}).get("epochs")
                items = sorted((logs or {}).items(), key=_log_order)
                metrics = "".join(f" - {key} {_fmt(value)}" for key, value in items)
                of = f"/{total}" if total else ""
                print(f"epoch {epoch + 1}{of}{metrics}", flush=True)

        EpochReport.__module__ = __name__
        EpochReport.__qualname__ = "EpochReport"
        _EPOCH_REPORT = EpochReport
    return _EPOCH_REPORT


_EPOCH_REPORT: type | None = None
EpochReport: type[keras.callbacks.Callback]  # declared for linters; created by __getattr__


def __getattr__(name: str) -> Any:
    # `EpochReport` subclasses a Keras class, so it is defined on first use.
    if name == "EpochReport":
        return _epoch_report_class(import_keras())
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _log_order(item: tuple[str, Any]) -> tuple[bool, bool, str]:
    """Order as Keras prints: loss, other metrics, then the same for validation."""
    name = item[0]
    return name.startswith("val_"), name.removeprefix("val_") != "loss", name


def _fmt(value: Any) -> str:
    value = float(value)
    return f"{value:.4f}" if math.isfinite(value) else str(value)
