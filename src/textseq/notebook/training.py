"""Seeded training, the quiet one-line-per-epoch report, and a summary of the result.

The notebooks show the book's own ``model.fit`` call and pass `EpochReport` as a callback::

    training.seed_everything(SEED)  # before building the model: reproducible initial weights
    model = keras.Sequential([...])
    model.compile(optimizer="rmsprop", loss="binary_crossentropy", metrics=["acc"])
    history = model.fit(x, y, epochs=10, batch_size=32, validation_split=0.2, verbose=0,
                        callbacks=[training.EpochReport()])

`EpochReport` prints one line per epoch with the metrics and no timings, so re-running a
notebook changes no text but the metrics. `train` does the same in one call (`seed_everything`,
then ``fit`` with an `EpochReport`). `summarize_history` reduces a history to the figures the book
quotes: best and last validation accuracy, and the best epoch.

A reproducible run needs a seed *before* the initial weights are drawn, not only before ``fit``.
The easy way is a builder's own seed::

    model = models.lstm(10000, 32, seed=0)  # seed_everything(0), then the weights
    history = training.train(model, x, y, epochs=10, batch_size=128, seed=0)

`train` warns (`UnseededWeightsWarning`) when it is given a seed for a model whose weights were
drawn before any `seed_everything` call in this process: such a run gives other results in
every fresh process, whatever ``train``'s seed.

Keras (and TensorFlow) are imported on first use only, so `summarize_history` and
`history_dict` work without them (`textseq.plots` uses them); `EpochReport` is created when it
is first looked up.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from textseq._checks import check_choice, check_int, check_number, describe
from textseq.notebook.setup import import_keras, in_jupyter_kernel

if TYPE_CHECKING:
    import keras

__all__ = [
    "EpochReport",
    "UnseededWeightsWarning",
    "seed_everything",
    "last_seed",
    "mark_initial_weights",
    "train",
    "summarize_history",
    "history_dict",
    "accuracy_key",
]


# The one native line that op determinism makes TensorFlow 2.21 log at every fit/evaluate on
# NumPy arrays (see seed_everything); dropped in notebook kernels, never anything else.
DETERMINISM_LOG_LINE = "NodeDef mentions attribute use_unbounded_threadpool which is not in the op"
# absl's notice before the first native log line of a process (see seed_everything).
ABSL_NOTICE_LINE = ("WARNING: All log messages before absl::InitializeLog() is called are "
                    "written to STDERR")
_WEIGHTS_SEEDED = "_textseq_weights_seeded"  # set on a model by mark_initial_weights
_last_seed: int | None = None  # of the last seed_everything call in this process


class UnseededWeightsWarning(UserWarning):
    """`train` got a seed, but the model's initial weights were drawn before any seed was set."""


def seed_everything(seed: int, *, deterministic_ops: bool = True) -> None:
    """Seed Python, NumPy and the Keras backend, and make training reproducible.

    Calls `keras.utils.set_random_seed` and, on the TensorFlow backend,
    ``tf.config.experimental.enable_op_determinism()`` (a process-wide switch that stays on).
    Call it before building a model to make its initial weights reproducible, and again before
    ``fit`` to make the shuffling reproducible.

    Op determinism is needed on the CPU too: without it, two trainings of the chapter's
    ``SimpleRNN`` on 1,200 reviews of 250 words end with different weights (the scatter-add
    behind an Embedding's gradient sums in thread order); with it they are bit-identical (the
    tests check it in two processes).

    **On a GPU**, some TensorFlow builds have no deterministic kernel for an Embedding's
    gradient (``UnimplementedError: Deterministic GPU implementation of unsorted segment
    reduction op not available``). The first call tries that gradient on the GPU; where it
    fails, op determinism is turned off again and one line says so: the run is then seeded but
    not bit-reproducible. A GPU that has the kernel keeps determinism.

    **Native log lines.** With the switch on, TensorFlow 2.21 logs an error-level line at every
    ``fit``, ``evaluate`` and ``predict`` on NumPy arrays (``E0000 ... node_def_util.cc ...
    NodeDef mentions attribute use_unbounded_threadpool ...``): its ``make_deterministic``
    tf.data rewrite replaces the ``ParallelMapDatasetV2`` that Keras's array adapter builds with
    a sequential ``MapDataset`` and copies that attribute, which ``MapDataset`` does not have.
    The first such line of a process also brings absl's notice "WARNING: All log messages
    before absl::InitializeLog() is called are written to STDERR" (on CPUs where TensorFlow
    logged nothing earlier, e.g. without AVX-512). Inside a Jupyter kernel the first call
    therefore makes TensorFlow log that line once with file descriptor 2 silenced (a
    ``predict`` of a weightless model, before any seed is set, so it draws no random numbers),
    which sends absl's notice to ``/dev/null``; then the exact determinism line is dropped for
    the rest of the process (`textseq.quiet.drop_native_stderr_lines`), and so is absl's notice
    should another library print it. Every other native line still shows.

    Args:
        seed: Integer in ``[0, 2**32)``.
        deterministic_ops: ``False`` leaves TensorFlow's op determinism as it is (faster on
            a GPU, not reproducible).

    Raises:
        TypeError: If ``seed`` is not an integer (``True`` and ``1.0`` are not), or
            ``deterministic_ops`` is not a bool.
        ValueError: If ``seed`` is outside ``[0, 2**32)``.
    """
    global _last_seed
    seed = check_int("seed", seed, minimum=0, maximum=2**32 - 1)
    check_choice("deterministic_ops", deterministic_ops, (True, False))
    keras = import_keras()
    if keras.backend.backend() == "tensorflow" and deterministic_ops:
        _enable_op_determinism(keras)
    keras.utils.set_random_seed(seed)  # after the warm-up: nothing above shifts the random state
    _last_seed = seed


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

                warm = keras.Sequential([keras.Input((1,)), keras.layers.Identity()])
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


def last_seed() -> int | None:
    """Return the seed of this process's last `seed_everything` call, or ``None`` if none.

    Example:
        >>> seed_everything(7)
        >>> last_seed()
        7
    """
    return _last_seed


def mark_initial_weights(model: keras.Model) -> keras.Model:
    """Record on ``model`` whether its weights were just drawn after a `seed_everything` call.

    The builders of `textseq.models` call it right after building; `train` reads the mark to
    warn about a model whose initial weights no seed made reproducible. Call it after building
    a model of your own to get the same check (without the mark, `train` can only tell whether
    any seed was set before it was called).

    Args:
        model: a model whose weights have just been drawn.

    Returns:
        ``model``.
    """
    setattr(model, _WEIGHTS_SEEDED, _last_seed is not None)
    return model


def train(
    model: keras.Model,
    x: Any,
    y: Any,
    *,
    epochs: int,
    batch_size: int,
    validation_split: float | None = None,
    validation_data: tuple[Any, Any] | None = None,
    seed: int | None = 0,
    verbose: int = 0,
    progress: bool | None = None,
    callbacks: Sequence[keras.callbacks.Callback] | None = None,
) -> keras.callbacks.History:
    """Fit ``model`` reproducibly and return its history (``history.history["val_acc"]`` ...).

    Args:
        model: A compiled Keras model (e.g. from `textseq.models`).
        x: Training inputs (e.g. padded integer sequences, ``(samples, maxlen)``).
        y: Training labels, ``(samples,)``.
        epochs: Number of epochs (the book uses 10).
        batch_size: Samples per gradient update (32 or 128 in the book).
        validation_split: Fraction of the training data held out for validation, in ``(0, 1)``
            (Listings 6-7, 6-23, 6-27 use 0.2). Keras takes it from the end of ``x``.
        validation_data: ``(x_val, y_val)`` instead of a split (Listing 6-14).
        seed: Passed to `seed_everything` before training (shuffling is then reproducible);
            ``None`` leaves the random state alone. The initial weights are reproducible only
            if a seed was set before they were drawn: build the model with a seed (the builders
            of `textseq.models` take ``seed=``) or after `seed_everything`; otherwise an
            `UnseededWeightsWarning` says so.
        verbose: Keras's ``fit`` verbosity (0 silent, 1 progress bar, 2 one line per epoch; the
            last two print timings).
        progress: Print one line per epoch with the metrics and no timings (an
            `EpochReport`). Default: on when ``verbose`` is 0.
        callbacks: Extra Keras callbacks (e.g. ``keras.callbacks.ModelCheckpoint``).

    Returns:
        The `keras.callbacks.History` returned by ``model.fit``.

    Warns:
        UnseededWeightsWarning: if ``seed`` is given but the model's initial weights were
            drawn before any `seed_everything` call in this process (for a model of the
            builders, or one passed to `mark_initial_weights`: before it was built; for another
            model: before this call), so the run is not reproducible.

    Raises:
        TypeError: If ``epochs``, ``batch_size``, ``validation_split``, ``seed``, ``verbose`` or
            ``progress`` has the wrong type.
        ValueError: If an argument is out of range, both validation arguments are given, or
            ``x`` and ``y`` have different lengths.

    Example:

    ```python
    model = models.embedding_flatten(10000, 20, 8, seed=0)  # seeded before its weights
    history = training.train(model, x_train, y_train, epochs=10, batch_size=32,
                             validation_split=0.2, seed=0)
    ```
    """
    keras = import_keras()
    epochs = check_int("epochs", epochs, minimum=1)
    batch_size = check_int("batch_size", batch_size, minimum=1)
    verbose = check_int("verbose", verbose, minimum=0, maximum=2)
    check_choice("progress", progress, (True, False, None))
    if validation_split is not None and validation_data is not None:
        raise ValueError("give validation_split or validation_data, not both")
    if check_number("validation_split", validation_split, optional=True) is not None \
            and not 0 < validation_split < 1:
        raise ValueError(f"validation_split must be a number > 0 and < 1 or None, got "
                         f"{describe(validation_split)}")
    if validation_data is not None and len(validation_data) != 2:
        raise ValueError(
            f"validation_data must be (x_val, y_val), got {len(validation_data)} items"
        )
    if len(x) != len(y):
        raise ValueError(f"x and y must have the same length, got {len(x)} and {len(y)}")
    if seed is not None:
        seed = check_int("seed", seed, minimum=0, maximum=2**32 - 1)
        _warn_if_unseeded(model, seed)
        seed_everything(seed)
    extra = list(callbacks or [])
    if progress if progress is not None else verbose == 0:
        extra.append(_epoch_report_class(keras)())
    return model.fit(
        x, y, epochs=epochs, batch_size=batch_size,
        validation_split=validation_split or 0.0, validation_data=validation_data,
        verbose=verbose, callbacks=extra,
    )


def _warn_if_unseeded(model: keras.Model, seed: int) -> None:
    seeded = getattr(model, _WEIGHTS_SEEDED, None)
    if seeded is None:  # not marked: at least some seed must have been set before this call
        seeded = _last_seed is not None
    if not seeded:
        warnings.warn(UnseededWeightsWarning(
            f"train(seed={seed}) seeds the shuffling, but the initial weights of model "
            f"{model.name!r} were drawn before any seed was set in this process, so they and "
            f"the results differ at every run. Build the model with a seed (e.g. "
            f"models.lstm(..., seed={seed})) or call training.seed_everything({seed}) before "
            "building it; or pass seed=None to train to say that you do not want a "
            "reproducible run."), stacklevel=3)


def history_dict(history: Any) -> dict[str, list[float]]:
    """Return the metrics of a `keras.callbacks.History` (or a dict of lists) as a dict of lists.

    Raises:
        TypeError: If ``history`` is neither.
    """
    data = getattr(history, "history", history)
    if not isinstance(data, Mapping):
        raise TypeError(
            f"history must be a keras.callbacks.History or a dict of lists, got "
            f"{type(history).__name__}"
        )
    return {str(k): [float(v) for v in values] for k, values in data.items()}


def accuracy_key(history: Mapping[str, Any]) -> str:
    """The name of the accuracy metric in ``history``: ``"acc"`` (the book's) or ``"accuracy"``.

    Raises:
        ValueError: If neither (nor its ``val_`` twin) is there; lists the keys found.
    """
    for key in ("acc", "accuracy"):
        if key in history and "val_" + key in history:
            return key
    raise ValueError(
        "history needs 'acc' and 'val_acc' (compile with metrics=['acc'] and train with "
        f"validation data); keys found: {sorted(history)}"
    )


def summarize_history(history: Any) -> dict[str, float | int]:
    """Best and last validation accuracy, as the book quotes them.

    Args:
        history: A `keras.callbacks.History` or a dict of lists with ``acc`` and ``val_acc``
            (``loss`` and ``val_loss`` are summarized too when present).

    Returns:
        Dict with ``epochs``, ``best_epoch`` (1-based, first epoch of the best ``val_acc``),
        ``best_val_acc``, ``last_val_acc``, ``last_acc`` and, when present, ``min_val_loss``.

    Raises:
        ValueError: If ``acc``/``val_acc`` are missing, empty or of different lengths.

    Example:
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

    Pass it to ``model.fit`` with ``verbose=0``: Keras's own progress bar and per-epoch lines
    show timings (``2s 13ms/step``), which change at every run; these lines change only when
    the metrics do. Metrics come in Keras's order: loss, the other metrics, then the same for
    validation.

    Example:

    ```python
    history = model.fit(x, y, epochs=10, batch_size=32, validation_split=0.2, verbose=0,
                        callbacks=[training.EpochReport()])
    # epoch 1/10 - loss 0.6814 - acc 0.5859 - val_loss 0.6643 - val_acc 0.6268
    # epoch 2/10 - loss 0.6222 - acc 0.6875 - val_loss 0.6092 - val_acc 0.6360
    # ...
    ```
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
    # `EpochReport` subclasses keras.callbacks.Callback, so it is defined on first use: importing
    # this module must not import Keras (`summarize_history` and `textseq.plots` work without it).
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
