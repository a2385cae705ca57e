"""Speed goal: the batched numpy SimpleRNN is at least 10x faster than Listing 6-21's loop.

Peer: `textseq.rnn.simple_rnn_loop` (the book's one-sequence loop) applied sample by sample to a
batch of 128 sequences of 500 timesteps, 32 input features, 32 units. Contender:
`textseq.rnn.simple_rnn_forward` on the whole batch (one input matmul, then a loop over time only).
Both run in float32 (the dtype of Keras weights; ``--dtype float64`` to compare in float64) and
must give the same outputs. Prints the timings and the ratio; exits 1 if the ratio is below
the goal.

Run: ``python benchmarks/bench_rnn.py`` (about 5 s).
"""

from __future__ import annotations

import argparse
import sys
import timeit

import machine  # benchmarks/machine.py: CPU, BLAS and load
import numpy as np

from textseq.rnn import simple_rnn_forward, simple_rnn_loop

GOAL = 10.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--timesteps", type=int, default=500)
    parser.add_argument("--features", type=int, default=32)
    parser.add_argument("--units", type=int, default=32)
    parser.add_argument("--dtype", default="float32", help="float32 (Keras's dtype) or float64")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of each; best is kept")
    args = parser.parse_args(argv)

    rng = np.random.default_rng(0)
    dtype = np.dtype(args.dtype)
    inputs = rng.normal(size=(args.batch, args.timesteps, args.features)).astype(dtype)
    kernel = rng.normal(scale=args.features**-0.5, size=(args.features, args.units)).astype(dtype)
    recurrent = rng.normal(scale=args.units**-0.5, size=(args.units, args.units)).astype(dtype)
    bias = rng.normal(scale=0.1, size=args.units).astype(dtype)
    state = np.zeros(args.units, dtype)  # the book's zero state, in the same dtype

    def loop() -> np.ndarray:  # Listing 6-21 uses W (units, features): the transposed kernel
        return np.stack([simple_rnn_loop(x, kernel.T, recurrent.T, bias, state) for x in inputs])

    def vectorized() -> np.ndarray:
        return simple_rnn_forward(inputs, kernel, recurrent, bias, return_sequences=True)

    max_diff = float(np.abs(loop() - vectorized()).max())
    if max_diff > (1e-5 if dtype == np.float32 else 1e-9):
        print(f"FAIL: outputs differ by {max_diff:.3g}")
        return 1
    t_loop = min(timeit.repeat(loop, number=1, repeat=args.repeat))
    t_vec = min(timeit.repeat(vectorized, number=1, repeat=args.repeat))
    ratio = t_loop / t_vec
    shape = f"batch {args.batch}, {args.timesteps} steps, {args.features} features, " \
            f"{args.units} units"
    print(f"SimpleRNN forward ({shape}, {dtype}), best of {args.repeat}:")
    print(f"  Listing 6-21 loop, sample by sample: {t_loop * 1e3:9.1f} ms")
    print(f"  simple_rnn_forward (batched):        {t_vec * 1e3:9.1f} ms")
    print(f"  speed-up: {ratio:.1f}x (goal >= {GOAL:.0f}x); outputs equal (max diff "
          f"{max_diff:.1e})")
    if ratio < GOAL:
        print("FAIL: below the goal")
        return 1
    return 0


if __name__ == "__main__":
    print(machine.describe(), flush=True)  # what the figures below were measured on
    status = main()
    print(machine.load())
    sys.exit(status)
