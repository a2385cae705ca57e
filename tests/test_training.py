"""Seeding (determinism in and across processes), the EpochReport lines, and the summary."""

from __future__ import annotations

import doctest
import os
import re
import subprocess
import sys
import types

import numpy as np
import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import keras  # noqa: E402  (plainly: a broken Keras must fail, not skip, this suite)

from textseq import models, training  # noqa: E402
from textseq.notebook.training import seed_everything, summarize_history  # noqa: E402


def tiny_data(n: int = 48, maxlen: int = 6, words: int = 40, seed: int = 0):
    rng = np.random.default_rng(seed)
    x = rng.integers(1, words, size=(n, maxlen))
    y = (x[:, 0] > words // 2).astype("float32")  # learnable, so the metrics move
    return x, y


def tiny_run(seed: int, init_seed: int = 0):
    seed_everything(init_seed)
    model = models.simple_rnn(40, units=4, embedding_dim=3, maxlen=6)
    x, y = tiny_data()
    seed_everything(seed)
    return model.fit(x, y, epochs=3, batch_size=8, validation_split=0.25, verbose=0)


@pytest.fixture(scope="module")
def first_run():
    return tiny_run(seed=5)


def test_same_seed_gives_identical_history(first_run):
    first, second = first_run, tiny_run(seed=5)
    assert isinstance(first, keras.callbacks.History)
    assert sorted(first.history) == ["acc", "loss", "val_acc", "val_loss"]
    assert first.history == second.history
    assert len(first.history["val_acc"]) == 3


def test_a_different_seed_gives_a_different_history(first_run):
    # same initial weights (init_seed), different shuffling
    assert first_run.history["loss"] != tiny_run(seed=6).history["loss"]


def test_seed_everything_reseeds_numpy():
    seed_everything(3)
    a = np.random.rand(3)
    seed_everything(3)
    np.testing.assert_array_equal(np.random.rand(3), a)


@pytest.mark.slow  # a fresh process, so that determinism starts off
def test_op_determinism_on_unless_declined():
    code = (
        "from tensorflow.python.framework import config\n"
        "from textseq.notebook.training import seed_everything\n"
        "seed_everything(1, deterministic_ops=False)\n"
        "print(config.is_op_determinism_enabled())\n"
        "seed_everything(1)\n"
        "print(config.is_op_determinism_enabled())\n"
    )
    out = run_python(code)
    assert out.stdout.split() == ["False", "True"], out.stderr[-2000:]


def test_the_native_filter_drops_that_line_only():
    code = (
        "import os\n"
        "from textseq.notebook.quiet import drop_native_stderr_lines\n"
        "from textseq.notebook.training import DETERMINISM_LOG_LINE\n"
        "drop_native_stderr_lines(DETERMINISM_LOG_LINE)\n"
        "os.write(2, b'E0000 node_def_util.cc:682] ' + DETERMINISM_LOG_LINE.encode() + b' x\\n')\n"
        "os.write(2, b'E0000 a real native error\\nW0000 a real warning\\n')\n"
        "import time; time.sleep(0.5)\n"
    )
    out = run_python(code)
    assert out.stderr.splitlines() == ["E0000 a real native error", "W0000 a real warning"]
    with pytest.raises(ValueError, match="message must be a non-empty string"):
        from textseq.notebook.quiet import drop_native_stderr_lines

        drop_native_stderr_lines("")


FIT_ON_ARRAYS = """
import hashlib, sys
import numpy as np
import keras
from textseq.notebook import training
training.seed_everything(0)
rng = np.random.default_rng(1)
# The size of the chapter's SimpleRNN, so that the Embedding's gradient is summed on several
# threads (without op determinism two runs of this differ); partial last batches: 960 and 240.
x = rng.integers(1, 10000, size=(1200, 250))
y = (np.isin(x[:, -20:], np.arange(1, 300)).sum(1) > 0).astype("float32")
model = keras.Sequential([keras.Input((250,)), keras.layers.Embedding(10000, 32),
                          keras.layers.SimpleRNN(32), keras.layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="rmsprop", loss="binary_crossentropy", metrics=["acc"])
history = model.fit(x, y, epochs=2, batch_size=128, validation_split=0.2, verbose=0,
                    callbacks=[training.EpochReport()])
model.fit(x, y, epochs=1, batch_size=128, validation_data=(x[:70], y[:70]), verbose=0)
model.evaluate(x, y, verbose=0)
weights = b"".join(np.asarray(w).tobytes() for w in model.get_weights())
print(repr(history.history["val_loss"]), hashlib.sha256(weights).hexdigest())
"""


def run_python(code: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, check=True, timeout=240)


@pytest.fixture(scope="module")
def plain_fit_runs():
    return [run_python(FIT_ON_ARRAYS) for _ in range(2)]


@pytest.mark.slow
def test_plain_fit_is_reproducible_across_processes(plain_fit_runs):
    # Bit-identical histories and weights, with the op determinism seed_everything turns on.
    first, second = (run.stdout.splitlines()[-1] for run in plain_fit_runs)
    assert first == second


SEEDED_BUILDER_SCRIPT = """
import hashlib, json
import numpy as np
from textseq import models
from textseq.notebook import training

rng = np.random.default_rng(1)
x = rng.integers(1, 200, size=(160, 12))
y = (x[:, 0] > 100).astype("float32")
model = models.embedding_flatten(200, 12, 4, seed=3)  # the script's first random draw
training.seed_everything(0)
history = model.fit(x, y, epochs=2, batch_size=32, validation_split=0.25, verbose=0)
weights = b"".join(np.asarray(w).tobytes() for w in model.get_weights())
print(json.dumps({"weights": hashlib.sha256(weights).hexdigest(), "history": history.history}))
"""


@pytest.mark.slow
def test_a_seeded_builder_is_reproducible_across_processes():
    """Issue 11, fault 17: the same script, run in two fresh processes (at once, to save time),
    draws the same initial weights and trains to the same history."""
    env = {k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"}
    children = [subprocess.Popen([sys.executable, "-c", SEEDED_BUILDER_SCRIPT], env=env,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                for _ in range(2)]
    outputs = [child.communicate(timeout=240) for child in children]
    for child, (_, err) in zip(children, outputs, strict=True):
        assert child.returncode == 0, err[-3000:]
    first, second = (out.splitlines()[-1] for out, _ in outputs)
    assert first == second


def test_epoch_report_is_a_keras_callback():
    from textseq import EpochReport

    assert EpochReport is training.EpochReport
    assert issubclass(EpochReport, keras.callbacks.Callback)
    assert EpochReport.__module__ == "textseq.notebook.training"
    with pytest.raises(AttributeError, match="has no attribute 'EpochReports'"):
        training.EpochReports  # noqa: B018


def assert_epoch_lines(out: str, history, epochs: int, keys: tuple[str, ...], tolerance: float):
    """One ``epoch n/N - loss .. - acc .. - val_loss .. - val_acc ..`` line per epoch, 4 decimals,
    no timings, and the values of ``keys`` equal to the history's."""
    number = r"\d+\.\d{4}"
    pattern = (rf"epoch (\d)/{epochs} - loss ({number}) - acc ({number}) - val_loss ({number}) - "
               rf"val_acc ({number})")
    groups = {"loss": 2, "acc": 3, "val_loss": 4, "val_acc": 5}
    lines = out.splitlines()
    assert len(lines) == epochs
    for epoch, line in enumerate(lines):
        match = re.fullmatch(pattern, line)
        assert match, line
        assert int(match[1]) == epoch + 1
        for key in keys:
            assert float(match[groups[key]]) == pytest.approx(history.history[key][epoch],
                                                              abs=tolerance)


def test_epoch_report_lines_in_a_plain_fit(capsys):
    seed_everything(0)
    model = models.embedding_flatten(40, 6, 2)
    x, y = tiny_data()
    history = model.fit(x, y, epochs=3, batch_size=16, validation_split=0.25, verbose=0,
                        callbacks=[training.EpochReport()])
    assert_epoch_lines(capsys.readouterr().out, history, 3, ("loss", "val_acc"), tolerance=5e-5)


def test_epoch_report_order_and_non_finite_values(capsys):
    report = training.EpochReport()
    report.set_params({"epochs": 12})
    report.on_epoch_end(10, {"val_acc": 0.5, "val_loss": float("nan"), "acc": 0.98765,
                             "loss": 0.123456, "auc": 1.0})
    report.set_params({})
    report.on_epoch_end(0, {"loss": 1.0})
    assert capsys.readouterr().out.splitlines() == [
        "epoch 11/12 - loss 0.1235 - acc 0.9877 - auc 1.0000 - val_loss nan - val_acc 0.5000",
        "epoch 1 - loss 1.0000",
    ]


def test_summarize_history():
    history = {"loss": [0.7, 0.5, 0.4, 0.3], "acc": [0.5, 0.7, 0.8, 0.9],
               "val_loss": [0.6, 0.45, 0.5, 0.55], "val_acc": [0.6, 0.8, 0.8, 0.75]}
    assert summarize_history(history) == {
        "epochs": 4, "best_epoch": 2, "best_val_acc": 0.8, "last_val_acc": 0.75,
        "last_acc": 0.9, "min_val_loss": 0.45,
    }
    as_object = types.SimpleNamespace(history=history)  # anything with .history, like History
    assert summarize_history(as_object)["best_epoch"] == 2
    renamed = {"accuracy": [0.5, 0.6], "val_accuracy": [0.7, 0.65]}
    assert summarize_history(renamed)["best_val_acc"] == 0.7


def test_summarize_real_history(first_run):
    history = first_run
    summary = summarize_history(history)
    val_acc = history.history["val_acc"]
    assert summary["best_val_acc"] == max(val_acc)
    assert val_acc[summary["best_epoch"] - 1] == max(val_acc)
    assert summary["last_val_acc"] == val_acc[-1]


@pytest.mark.parametrize(
    "history,error,message",
    [
        ({"loss": [0.5], "acc": [0.5]}, ValueError,
         r"history needs 'acc' and 'val_acc'.*keys found: \['acc', 'loss'\]"),
        ({"acc": [0.5, 0.6], "val_acc": [0.5]}, ValueError, r"got 2 and 1"),
        ({"acc": [], "val_acc": []}, ValueError, r"non-empty"),
        ([0.5, 0.6], TypeError, r"History or a dict of lists, got list"),
        # issue 19 re-run, finding 1: NaN or infinity made the best epoch (or its value) NaN
        ({"acc": [0.5, 0.6, 0.7], "val_acc": [float("nan"), 0.7, 0.8]}, ValueError,
         r"history\['val_acc'\] must hold finite numbers, got nan at epoch 1"),
        ({"acc": [0.5, 0.6], "val_acc": [0.7, float("inf")]}, ValueError,
         r"history\['val_acc'\] must hold finite numbers, got inf at epoch 2"),
        ({"accuracy": [0.5, float("nan")], "val_accuracy": [0.7, 0.8]}, ValueError,
         r"history\['accuracy'\] must hold finite numbers, got nan at epoch 2"),
        ({"acc": [0.5], "val_acc": [0.7], "val_loss": [float("-inf")]}, ValueError,
         r"history\['val_loss'\] must hold finite numbers, got -inf at epoch 1"),
    ],
)
def test_summarize_bad_history(history, error, message):
    with pytest.raises(error, match=message):
        summarize_history(history)


def test_docstring_examples_run():
    failures, tried = doctest.testmod(training)
    assert tried >= 1 and failures == 0


# --- op determinism on a GPU without deterministic Embedding gradients (simulated) -----------


def determinism_on() -> bool:
    from tensorflow.python.framework import config as tf_config

    return tf_config.is_op_determinism_enabled()


@pytest.fixture
def fresh_determinism(monkeypatch):
    """seed_everything's first-call check runs again; the process's switch is restored after."""
    import tensorflow as tf

    monkeypatch.setattr(training, "_determinism_ok", None)
    yield tf
    monkeypatch.undo()  # the real GPU list and kernels, before the check runs again
    training._determinism_ok = None
    seed_everything(0)  # the CPU path: determinism on again for the other tests
    assert determinism_on()


def pretend_gpu(monkeypatch, tf, *, deterministic: bool) -> list[str]:
    real_list = tf.config.list_physical_devices
    monkeypatch.setattr(tf.config, "list_physical_devices", lambda kind=None: (
        ["/physical_device:GPU:0"] if kind == "GPU" else real_list(kind)))
    calls = []

    def segment_sum(*args, **kwargs):  # what an Embedding's gradient runs on the GPU
        calls.append("unsorted_segment_sum")
        if not deterministic:
            raise tf.errors.UnimplementedError(
                None, None, "Deterministic GPU implementation of unsorted segment reduction op "
                "not available.")
        return tf.zeros((4, 2))

    monkeypatch.setattr(tf.math, "unsorted_segment_sum", segment_sum)
    return calls


def test_a_gpu_without_deterministic_kernels_falls_back_with_one_notice(
        fresh_determinism, monkeypatch, capsys):
    tf = fresh_determinism
    calls = pretend_gpu(monkeypatch, tf, deterministic=False)
    seed_everything(1)
    assert not determinism_on()
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and "op determinism is off" in out and "not bit-reproducible" in out
    seed_everything(2)  # later calls keep it off, say nothing more and do not probe again
    assert not determinism_on()
    assert capsys.readouterr().out == "" and calls == ["unsorted_segment_sum"]
    assert np.random.get_state()[1][0] == np.random.RandomState(2).get_state()[1][0]  # seeded


def test_a_gpu_with_deterministic_kernels_keeps_determinism(
        fresh_determinism, monkeypatch, capsys):
    tf = fresh_determinism
    calls = pretend_gpu(monkeypatch, tf, deterministic=True)
    seed_everything(1)
    assert determinism_on()
    assert capsys.readouterr().out == "" and calls == ["unsorted_segment_sum"]


@pytest.mark.slow
def test_the_kernel_warm_up_draws_no_random_numbers():
    # In a kernel, seed_everything's first call runs a predict with fd 2 silenced, before the
    # seeds are set: the weights drawn after it are those of a process without the warm-up.
    code = (
        "import os, sys, numpy as np\n"
        "from textseq import training, models\n"
        "if sys.argv[1] == 'kernel':\n"
        "    training.in_jupyter_kernel = lambda: True\n"
        "training.seed_everything(5)\n"
        "m = models.simple_rnn(30, units=3, embedding_dim=2, maxlen=4, name=None)\n"
        "w = m.get_weights()\n"
        "sys.stdout.write(repr([float(np.sum(x)) for x in w] + [m.name, m.layers[0].name]))\n"
    )
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2")
    runs = [subprocess.run([sys.executable, "-c", code, mode], capture_output=True, text=True,
                           env=env, timeout=300) for mode in ("kernel", "script")]
    assert [r.returncode for r in runs] == [0, 0], [r.stderr[-2000:] for r in runs]
    assert runs[0].stdout == runs[1].stdout != ""  # and the warm-up took no auto-name
    assert "'sequential', 'embedding'" in runs[0].stdout
