"""One switch for every notebook: the embedded default data, or the real aclImdb and GloVe.

``TEXTSEQ_DATA=embedded`` (the default) uses the corpus that `textseq.corpus` generates and GloVe
vectors that `textseq.glove_train` trains on it; nothing is downloaded. ``TEXTSEQ_DATA=real``
uses ``aclImdb_v1.tar.gz`` and ``glove.6B.zip``, downloaded once into the data folder
(``TEXTSEQ_DATA_DIR``, default ``data/``) with their pinned sizes and checksums.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

from textseq.paths import data_dir

__all__ = ["SOURCES", "data_source", "imdb_dir", "glove_file", "GloveFile", "describe"]

SOURCES = ("embedded", "real")
EMBEDDED_SEED = 0
# Half of IMDB's labelled reviews: enough for Listing 6-9's 200 + 10,000 split, small enough that
# the whole notebook suite runs in minutes on two cores.
EMBEDDED_SIZES = {"n_train": 12500, "n_test": 12500, "n_unsup": 5000}
EMBEDDED_GLOVE = {"window": 10, "min_count": 5, "max_vocab": 20000, "epochs": 10, "seed": 0}


def data_source(source: str | None = None) -> str:
    """Return the data source in force: ``source`` if given, else ``TEXTSEQ_DATA``.

    Args:
        source: ``"embedded"``, ``"real"`` or ``None`` (read the environment; default embedded).

    Returns:
        ``"embedded"`` or ``"real"``.

    Raises:
        ValueError: for any other value, naming where it came from.
    """
    origin = "source"
    if source is None:
        source, origin = os.environ.get("TEXTSEQ_DATA", "").strip() or "embedded", "TEXTSEQ_DATA"
    if source not in SOURCES:
        raise ValueError(f"{origin} must be one of {', '.join(SOURCES)}; got {source!r}")
    return source


def imdb_dir(source: str | None = None) -> Path:
    """Return the ``aclImdb`` folder of the selected data, generating or downloading it once.

    Args:
        source: ``"embedded"``, ``"real"`` or ``None`` for ``TEXTSEQ_DATA``.

    Returns:
        A folder with ``train/{pos,neg}`` and ``test/{pos,neg}`` (and ``train/unsup``).

    Example:
        >>> sorted(p.name for p in imdb_dir("embedded").iterdir())[:3]
        ['.textseq-corpus.json', 'README', 'imdb.vocab']
    """
    if data_source(source) == "embedded":
        from textseq.corpus import ensure_corpus

        return ensure_corpus(data_dir() / "embedded" / "aclImdb", seed=EMBEDDED_SEED,
                             **EMBEDDED_SIZES)
    from textseq.download import ensure_aclimdb

    return ensure_aclimdb(data_dir())


@dataclass(frozen=True)
class GloveFile:
    """Where GloVe vectors live: a text file, or a member of a zip archive."""

    path: Path
    member: str | None
    dim: int

    def __str__(self) -> str:
        return f"{self.path.name}:{self.member}" if self.member else self.path.name


def glove_file(dim: int = 100, source: str | None = None) -> GloveFile:
    """Return the GloVe vectors of the selected data, training or downloading them once.

    Embedded: vectors trained by `textseq.glove_train` on the embedded corpus's training and
    unlabelled reviews (about a minute, once). Real: ``glove.6B.zip``, member
    ``glove.6B.<dim>d.txt`` (dim 50, 100, 200 or 300), exactly as the book uses.

    Args:
        dim: vector size.
        source: ``"embedded"``, ``"real"`` or ``None`` for ``TEXTSEQ_DATA``.

    Returns:
        A `GloveFile` to pass to `textseq.glove.load_vectors` or `embedding_matrix`.

    Raises:
        ValueError: for a dimension that the real release does not have.
    """
    if data_source(source) == "real":
        if dim not in (50, 100, 200, 300):
            raise ValueError(f"glove.6B has dim 50, 100, 200 or 300; got {dim}")
        from textseq.download import ensure_glove6b

        return GloveFile(ensure_glove6b(data_dir()), f"glove.6B.{dim}d.txt", dim)
    root = imdb_dir("embedded")
    path = data_dir() / "embedded" / "glove" / f"glove.embedded.{dim}d.txt"
    # The vectors belong to one corpus and one set of training settings: retrain when either
    # changes, so a regenerated corpus never meets stale vectors.
    from textseq.corpus import MANIFEST

    stamp = path.with_suffix(".json")
    wanted = json.dumps({"corpus": json.loads((root / MANIFEST).read_text(encoding="utf-8")),
                         "dim": dim, **EMBEDDED_GLOVE}, sort_keys=True)
    if not (path.is_file() and stamp.is_file() and stamp.read_text(encoding="utf-8") == wanted):
        _train_embedded_glove(root, path, dim)
        stamp.write_text(wanted, encoding="utf-8")
    return GloveFile(path, None, dim)


def _train_embedded_glove(root: Path, path: Path, dim: int) -> None:
    from textseq.glove_train import save_glove_text, train_glove
    from textseq.imdb import read_split
    from textseq.text import text_to_word_sequence

    reviews = read_split(root, "train", include_unsup=True)
    tokens = [text_to_word_sequence(t) for t in reviews.texts]
    vectors = train_glove(tokens, dim=dim, **EMBEDDED_GLOVE)
    path.parent.mkdir(parents=True, exist_ok=True)
    save_glove_text(path, vectors.words, vectors.vectors)


def describe(source: str | None = None) -> str:
    """One line for a notebook's setup cell saying which data is in use and how to switch."""
    if data_source(source) == "embedded":
        return ("Data: embedded default (generated reviews in the aclImdb layout, GloVe vectors "
                "trained on them). Set TEXTSEQ_DATA=real for the real aclImdb and glove.6B.")
    return "Data: real aclImdb_v1 and glove.6B (downloaded once into the data folder)."


def main(argv: list[str] | None = None) -> None:
    """``python -m textseq.datasets [--stats]``: prepare the data in use (``make data``).

    Generates (embedded) or downloads (real) the IMDB reviews and the 100-dimensional GloVe
    vectors once; with ``--stats`` prints `textseq.corpus.corpus_stats`.
    """
    parser = argparse.ArgumentParser(description="Prepare textseq's IMDB and GloVe data.")
    parser.add_argument("--source", choices=SOURCES, default=None,
                        help="embedded or real (default: TEXTSEQ_DATA, else embedded)")
    parser.add_argument("--stats", action="store_true", help="print the corpus statistics")
    args = parser.parse_args(argv)
    print(describe(args.source))
    start = time.perf_counter()
    root = imdb_dir(args.source)
    print(f"aclImdb: {root} ({time.perf_counter() - start:.1f} s)")
    start = time.perf_counter()
    glove = glove_file(100, args.source)
    print(f"GloVe:   {glove.path}{':' + glove.member if glove.member else ''} "
          f"({time.perf_counter() - start:.1f} s)")
    if args.stats:
        from textseq.corpus import corpus_stats

        for key, value in corpus_stats(root).items():
            print(f"  {key:22} {value}")


if __name__ == "__main__":
    main()
