"""Speed of ``textseq.text.Tokenizer`` against the legacy Keras 2 Tokenizer (``tf_keras``).

Both run in this process on the same synthetic, review-like corpus (no real data): 25,000
distinct texts of about 230 words drawn from a Zipf-like vocabulary of 20,000 pseudo-words, with
punctuation, capitals, ``<br /><br />`` and a few non-ASCII words. The outputs are asserted
identical before the timings are reported. Times are CPU seconds of this process
(``time.process_time``); each operation runs several times, legacy and ours back to back,
and the ratio reported is the median of the per-pair ratios, so that a busy spell on a shared
machine, which slows both runs of a pair, disturbs it less.

Target: ``fit_on_texts`` + ``texts_to_sequences`` at least 1.5x faster (6.1.3 fits the
Tokenizer on 25,000 reviews). Exits with status 1 if the ratio misses it. ``texts_to_matrix``
(every mode) is timed for information only: no notebook converts more than a few sentences.

Both ``texts_to_matrix`` return a fresh float64 matrix (5,000 x 10,000: 400 MB), and the kernel
zeroes its pages when they are first written: a fixed cost in both times that does not depend on
the tokenizer and takes a large share of ours. It is about three times higher without
transparent huge pages (the kernel's ``/sys/kernel/mm/transparent_hugepage/enabled``) and
varies with the machine, so the script measures it beside the pairs (a matrix of that shape, one
value written per 4 KiB page) and prints it, and the ratios without it for information.

Usage: ``python benchmarks/bench_tokenizer.py [--texts 25000] [--matrix-texts 5000]``
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import sys
import time
from collections.abc import Callable
from typing import Any

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import machine  # noqa: E402  # benchmarks/machine.py: CPU, BLAS and load
import numpy as np  # noqa: E402

MODES = ("binary", "count", "tfidf", "freq")
FIT_TARGET = 1.5  # minimum speed-up (legacy time / our time)
MATRIX_TARGET = None  # texts_to_matrix: information only


def make_texts(n_texts: int = 25_000, vocab_size: int = 20_000, mean_words: int = 230,
               seed: int = 0) -> list[str]:
    """Return ``n_texts`` distinct synthetic reviews (deterministic for a given ``seed``)."""
    rnd, rng = random.Random(seed), np.random.default_rng(seed)
    vocab: dict[str, None] = {}
    while len(vocab) < vocab_size:
        vocab["".join(rnd.choices("abcdefghijklmnopqrstuvwxyz", k=rnd.randint(1, 11)))] = None
    words = list(vocab)
    for rank in rng.choice(np.arange(500, vocab_size), 12, replace=False).tolist():
        words[rank] = words[rank][:-1] + rnd.choice("éèàüöñç")  # a few non-ASCII words
    ranks = np.arange(1, vocab_size + 1)
    p = 1.0 / (ranks + 2.7) ** 1.05  # Zipf-Mandelbrot frequencies
    lengths = rng.integers(mean_words - 120, mean_words + 121, n_texts)
    ids = rng.choice(vocab_size, size=int(lengths.sum()), p=p / p.sum())
    tails = ["", "", "", "", "", "", "", "", "", ",", ",", ".", ".", "!", "?", "'s", ";",
             ":", ")", " -", "... ", ". <br /><br />", "!<br /><br />"]
    capital = [w.capitalize() for w in words]
    tail_ids = rng.integers(0, len(tails), ids.size).tolist()
    is_capital = (rng.random(ids.size) < 0.06).tolist()
    tokens = [(capital if c else words)[i] + tails[t]
              for i, t, c in zip(ids.tolist(), tail_ids, is_capital, strict=True)]
    ends = np.cumsum(lengths).tolist()
    return [" ".join(tokens[start:end]) for start, end in zip([0, *ends[:-1]], ends, strict=True)]


def cpu_time(fn: Callable[[], Any]) -> tuple[float, Any]:
    """Return the CPU time of ``fn()`` (this process, all threads) and its result."""
    gc.collect()
    start = time.process_time()
    result = fn()
    return time.process_time() - start, result


def user_and_cpu_time(fn: Callable[[], Any]) -> tuple[float, float, Any]:
    """Return the user CPU time of ``fn()`` (without the kernel's time, which zeroes fresh pages;
    the kernel splits the two at its clock ticks), its whole CPU time, and its result."""
    gc.collect()
    start = os.times()
    result = fn()
    end = os.times()
    user = end.user - start.user
    return user, user + end.system - start.system, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--texts", type=int, default=25_000)
    parser.add_argument("--matrix-texts", type=int, default=5_000)
    parser.add_argument("--num-words", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=5, help="runs per matrix mode")
    parser.add_argument("--fit-repeats", type=int, default=3, help="runs of fit + convert")
    args = parser.parse_args(argv)

    from tf_keras.preprocessing.text import Tokenizer as LegacyTokenizer  # the peer

    from textseq.text import Tokenizer

    texts = make_texts(args.texts)
    non_ascii = sum(not t.isascii() for t in texts) / len(texts)
    print(f"{len(texts):,} texts, {sum(map(len, texts)) / len(texts):,.0f} characters on average,"
          f" {non_ascii:.1%} with non-ASCII characters; num_words={args.num_words}")
    rows = []

    def fit_and_convert(cls: type) -> tuple[Any, list[list[int]]]:
        tokenizer = cls(num_words=args.num_words)
        tokenizer.fit_on_texts(texts)
        return tokenizer, tokenizer.texts_to_sequences(texts)

    for _ in range(args.fit_repeats):  # back to back: the machine's load hits both alike
        legacy_s, (legacy, legacy_seqs) = cpu_time(lambda: fit_and_convert(LegacyTokenizer))
        ours_s, (ours, ours_seqs) = cpu_time(lambda: fit_and_convert(Tokenizer))
        rows.append(("fit_on_texts + texts_to_sequences", FIT_TARGET, legacy_s, ours_s))
    assert list(ours.word_counts.items()) == list(legacy.word_counts.items())
    assert ours.word_index == legacy.word_index and ours.word_docs == legacy.word_docs
    assert ours.index_docs == legacy.index_docs and ours_seqs == legacy_seqs
    del legacy_seqs, ours_seqs

    sample = texts[: args.matrix_texts]

    def fresh_matrix() -> None:  # the cost both pay: zeroed pages of a new (n, width) float64
        x = np.zeros((len(sample), args.num_words))
        x.reshape(-1)[:: 4096 // x.itemsize] = 1.0

    legacy.texts_to_matrix(sample), ours.texts_to_matrix(sample)  # warm-up: allocator state
    fresh: dict[str, list[float]] = {}  # measured beside each pair, under the same load
    user: dict[str, list[float]] = {}  # user-time ratios of the pairs
    for mode in MODES:
        for _ in range(args.repeats):
            legacy_u, legacy_s, expected = user_and_cpu_time(
                lambda m=mode: legacy.texts_to_matrix(sample, m))
            ours_u, ours_s, got = user_and_cpu_time(lambda m=mode: ours.texts_to_matrix(sample, m))
            np.testing.assert_array_equal(got, expected)
            del expected, got
            name = f"texts_to_matrix {mode} ({len(sample):,} texts)"
            rows.append((name, MATRIX_TARGET, legacy_s, ours_s))
            fresh.setdefault(name, []).append(cpu_time(fresh_matrix)[0])
            user.setdefault(name, []).append(legacy_u / max(ours_u, 1e-9))

    pairs: dict[tuple[str, float | None], list[tuple[float, float]]] = {}
    for name, target, legacy_s, ours_s in rows:
        pairs.setdefault((name, target), []).append((legacy_s, ours_s))
    print(f"\n{'operation':<48} {'legacy s':>9} {'ours s':>8} {'ratio':>7} {'target':>7}  result")
    failed = False
    for (name, target), times in pairs.items():
        # Median of the ratios of back-to-back runs: a busy spell slows both runs of a pair.
        ratio = float(np.median([legacy_s / ours_s for legacy_s, ours_s in times]))
        legacy_s, ours_s = np.median(times, axis=0)
        if target is None:
            goal, result = "-", "info"
        else:
            goal, result = f"{target:.1f}x", "PASS" if ratio >= target else "FAIL"
            failed |= ratio < target
        print(f"{name:<48} {legacy_s:>9.3f} {ours_s:>8.3f} {ratio:>6.1f}x {goal:>7}  {result}")
    print("\nOutputs identical (word_index, word_counts, word_docs, index_docs, sequences, "
          "matrices). Median CPU seconds and median ratio of back-to-back pairs.")
    cost = float(np.median(sum(fresh.values(), [])))
    without = []
    for (name, _), times in pairs.items():
        if name in fresh:  # the pairs' ratios with the fresh matrix measured beside each taken out
            ratio = np.median([(legacy_s - f) / (ours_s - f)
                               for (legacy_s, ours_s), f in zip(times, fresh[name], strict=True)])
            without.append(f"{name.split()[1]} {ratio:.1f}x")
    print(f"A fresh {len(sample):,} x {args.num_words:,} float64 matrix with every page written "
          f"costs {cost:.3f} s (median), a part of both texts_to_matrix times; without it the "
          f"ratios would be (information): {', '.join(without)}")
    print("In user CPU time only (the kernel's time, mostly zeroing fresh pages, left out), the "
          "median ratios are (information): "
          + ", ".join(f"{name.split()[1]} {np.median(r):.1f}x" for name, r in user.items()))
    return 1 if failed else 0


if __name__ == "__main__":
    print(machine.describe(), flush=True)  # what the figures below were measured on
    status = main()
    print(machine.load())
    sys.exit(status)
