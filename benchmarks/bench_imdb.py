"""Speed goal: `read_split` reads 25,000 reviews no slower than the book's Listing 6-8 loop.

Writes a synthetic aclImdb train split (12,500 ``neg`` + 12,500 ``pos`` files of about 1,200
characters of deterministic word salad; no real data) into a temporary folder, then times, in the
same process and on the same (warm) files, the book's loop and ``textseq.imdb.read_split``,
alternating them for a few rounds and keeping each one's best time. Prints the ratio
book / ours; exits with status 1 if it is below 1.0 (ours slower).

Run: ``python benchmarks/bench_imdb.py [--reviews 25000] [--rounds 3]``.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

import machine  # benchmarks/machine.py: CPU, BLAS and load

from textseq.imdb import read_split


def write_split(root: Path, n_reviews: int, seed: int = 0) -> Path:
    """Write ``root/train/{neg,pos}/<id>_<rating>.txt``; return ``root``."""
    rng = random.Random(seed)
    vocab = ["".join(rng.choices("abcdefghijklmnopqrstuvwxyz", k=rng.randint(2, 9)))
             for _ in range(5000)]
    weights = [1.0 / (i + 1) for i in range(len(vocab))]
    for label, ratings in (("neg", (1, 2, 3, 4)), ("pos", (7, 8, 9, 10))):
        folder = root / "train" / label
        folder.mkdir(parents=True)
        for i in range(n_reviews // 2):
            words = rng.choices(vocab, weights, k=220)
            text = " ".join(words)[:1200] + "."
            (folder / f"{i}_{rng.choice(ratings)}.txt").write_text(text, encoding="utf-8")
    return root


def listing_6_8(imdb_dir: str):
    """The book's Listing 6-8, as printed (labels, texts from train/neg and train/pos)."""
    train_dir = os.path.join(imdb_dir, "train")
    labels = []
    texts = []
    for label_type in ["neg", "pos"]:
        dir_name = os.path.join(train_dir, label_type)
        for fname in os.listdir(dir_name):
            if fname[-4:] == ".txt":
                f = open(os.path.join(dir_name, fname))  # as in the book: no encoding, no with
                texts.append(f.read())
                f.close()
                if label_type == "neg":
                    labels.append(0)
                else:
                    labels.append(1)
    return texts, labels


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reviews", type=int, default=25000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench_imdb-") as tmp:
        t0 = time.perf_counter()
        root = write_split(Path(tmp) / "aclImdb", args.reviews)
        print(f"wrote {args.reviews:,} synthetic reviews in {time.perf_counter() - t0:.1f} s")
        book_texts, _ = listing_6_8(str(root))  # warm the page cache for both
        ours = read_split(root)
        assert sorted(book_texts) == sorted(ours.texts), "the two readers disagree"
        best = {"book (Listing 6-8)": float("inf"), "textseq read_split": float("inf")}
        for _ in range(args.rounds):
            for name in best:
                t0 = time.perf_counter()
                if name.startswith("book"):
                    listing_6_8(str(root))
                else:
                    read_split(root)
                best[name] = min(best[name], time.perf_counter() - t0)
    for name, seconds in best.items():
        print(f"{name:<20} {seconds:6.3f} s  ({args.reviews / seconds:,.0f} reviews/s)")
    ratio = best["book (Listing 6-8)"] / best["textseq read_split"]
    print(f"ratio book/ours: {ratio:.2f} (target >= 1.0)")
    if ratio < 1.0:
        print("FAIL: read_split is slower than Listing 6-8", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    print(machine.describe(), flush=True)  # what the figures below were measured on
    status = main()
    print(machine.load())
    sys.exit(status)
