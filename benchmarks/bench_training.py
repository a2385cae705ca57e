"""Speed goal: training through textseq costs at most 5 % more than the same model in plain Keras.

Contender: ``textseq.models.lstm(maxlen=500)`` trained with ``textseq.training.train`` (its
defaults: seeding, op determinism, the one-line-per-epoch report). Peer: the same model written in
plain Keras (``keras.Sequential([Input, Embedding(10000, 32), LSTM(32), Dense(1)])``, compiled the
same way) trained with ``keras.utils.set_random_seed`` and ``model.fit(verbose=0)`` under the same
reproducibility setting, TensorFlow's op determinism on: the goal is about what the builders and
the helper add. A third run, plain Keras with op determinism off (Keras's default), shows what
reproducibility itself costs; it is printed for information, not held to the goal.

Synthetic integer data (2,048 sequences of 500 word indices), batch 128, one epoch per call; the
wall time of each whole call is measured (the CPU time is printed too: on a shared machine it is
the steadier figure). After one warm-up epoch each, the two alternate ``--runs`` times and the
ratio of the median wall times is printed. Exits 1 if it is above 1.05.

Run: ``python benchmarks/bench_training.py`` (about 40 s of training on an idle 2-core CPU).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import statistics
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import machine  # noqa: E402  # benchmarks/machine.py: CPU, BLAS and load
import numpy as np  # noqa: E402

from textseq import models, training  # noqa: E402

GOAL = 1.05
MAX_FEATURES, MAXLEN, UNITS = 10000, 500, 32


def plain_keras_lstm() -> keras.Model:
    """Listing 6-27 written directly in Keras 3."""
    model = keras.Sequential([
        keras.Input(shape=(MAXLEN,)),
        keras.layers.Embedding(MAX_FEATURES, 32),
        keras.layers.LSTM(UNITS),
        keras.layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer="rmsprop", loss="binary_crossentropy", metrics=["acc"])
    return model


def set_op_determinism(enabled: bool) -> None:
    """Switch TensorFlow's op determinism (its off switch is only in a private module)."""
    from tensorflow.python.framework import config

    (config.enable_op_determinism if enabled else config.disable_op_determinism)()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=2048)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--runs", type=int, default=6, help="timed epochs of each, alternating")
    args = parser.parse_args(argv)

    rng = np.random.default_rng(0)
    x = rng.integers(1, MAX_FEATURES, size=(args.samples, MAXLEN), dtype="int32")
    y = rng.integers(0, 2, size=args.samples).astype("float32")

    training.seed_everything(0)
    ours = models.lstm(MAX_FEATURES, UNITS, maxlen=MAXLEN)
    keras.utils.set_random_seed(0)
    peer = plain_keras_lstm()
    if ours.count_params() != peer.count_params():
        print(f"FAIL: {ours.count_params()} != {peer.count_params()} parameters")
        return 1

    def run_ours(seed: int) -> tuple[float, float]:
        start = time.perf_counter(), time.process_time()
        with contextlib.redirect_stdout(io.StringIO()):  # the per-epoch line, kept quiet here
            training.train(ours, x, y, epochs=1, batch_size=args.batch_size, seed=seed)
        return time.perf_counter() - start[0], time.process_time() - start[1]

    def run_peer(seed: int, deterministic: bool = True) -> tuple[float, float]:
        set_op_determinism(deterministic)
        start = time.perf_counter(), time.process_time()
        keras.utils.set_random_seed(seed)
        peer.fit(x, y, epochs=1, batch_size=args.batch_size, verbose=0)
        return time.perf_counter() - start[0], time.process_time() - start[1]

    runners = {"textseq": run_ours, "keras": run_peer,
               "keras-nondet": lambda seed: run_peer(seed, deterministic=False)}
    warm = run_ours(0)[0], run_peer(0)[0]
    run_peer(0, deterministic=False)
    print(f"LSTM (Embedding({MAX_FEATURES}, 32) + LSTM({UNITS}) + Dense), {args.samples} x "
          f"{MAXLEN} samples, batch {args.batch_size}, load average {os.getloadavg()[0]:.1f} on "
          f"{os.cpu_count()} CPUs; warm-up epochs {warm[0]:.2f} s (textseq), {warm[1]:.2f} s "
          "(plain Keras), excluded")
    wall: dict[str, list[float]] = {who: [] for who in runners}
    cpu: dict[str, list[float]] = {who: [] for who in runners}
    order = list(runners)
    for run in range(args.runs):
        for who in order[run % 3:] + order[:run % 3]:  # rotate who goes first
            w, c = runners[who](run + 1)
            wall[who].append(w)
            cpu[who].append(c)
    labels = {"textseq": "textseq models.lstm + train", "keras": "plain Keras fit",
              "keras-nondet": "plain Keras, no determinism"}
    for who, label in labels.items():
        print(f"  {label:29s} epoch wall times (s): "
              + " ".join(f"{t:.2f}" for t in wall[who])
              + f"  median {statistics.median(wall[who]):.2f}"
              + f"  (CPU median {statistics.median(cpu[who]):.2f})")
    ratio = statistics.median(wall["textseq"]) / statistics.median(wall["keras"])
    cpu_ratio = statistics.median(cpu["textseq"]) / statistics.median(cpu["keras"])
    print(f"  ratio textseq / plain Keras, median wall time: {ratio:.3f} (goal <= {GOAL}); "
          f"median CPU time: {cpu_ratio:.3f}")
    cost = statistics.median(wall["keras"]) / statistics.median(wall["keras-nondet"])
    print(f"  (information) op determinism itself, plain Keras on / off, median wall time: "
          f"{cost:.3f}")
    if ratio > GOAL:
        print("FAIL: above the goal")
        return 1
    return 0


if __name__ == "__main__":
    print(machine.describe(), flush=True)  # what the figures below were measured on
    status = main()
    print(machine.load())
    sys.exit(status)
