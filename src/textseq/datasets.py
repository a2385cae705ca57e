"""One switch for every notebook: the embedded default data, or the real aclImdb and GloVe.

``TEXTSEQ_DATA=embedded`` (default): generated reviews (`textseq.corpus`) and the packaged
glove.6B.50d, no download. ``real``: ``aclImdb_v1.tar.gz`` and ``glove.6B.zip``, downloaded.
``source`` and ``glove`` arguments default (``None``) to ``TEXTSEQ_DATA`` and ``TEXTSEQ_GLOVE``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import time
import warnings
from pathlib import Path

from textseq._checks import check_int
from textseq._checks import describe as describe_value
from textseq._files import atomic_file, data_dir, write_text
from textseq.glove import packaged, sources
from textseq.glove.vectors import GloveFile, GloveFormatError

__all__ = ["SOURCES", "GLOVE_SOURCES", "data_source", "glove_source", "imdb_dir", "glove_file",
           "own_glove_file", "glove_text_sample", "glove_text_file", "GloveFile", "describe"]

SOURCES = ("embedded", "real")
GLOVE_SOURCES = ("packaged", "glove.6B")
GLOVE6B_DIMS = (50, 100, 200, 300)
BOOK_DIM = 100  # the book reads glove.6B.100d.txt
EMBEDDED_SEED = 0
# Half of IMDB's labelled reviews (enough for Listing 6-9), 20,000 unlabelled for our own GloVe.
EMBEDDED_SIZES = {"n_train": 12500, "n_test": 12500, "n_unsup": 20000}
# Our own GloVe: 50 dimensions like the packaged vectors; 5 epochs take about 30 s on two cores.
OWN_GLOVE = {"dim": 50, "window": 10, "min_count": 5, "max_vocab": 20000, "epochs": 5,
             "seed": 0}
OWN_GLOVE_DOCS = "train/unsup"  # the only reviews it is trained on (never labelled text)
# 99.97% of the embedded corpus's 9,999 most frequent words; 43 MB.
TEXT_SAMPLE_LINES = 100_000


def _data_path(*parts: str) -> Path:
    """``data_dir()/parts``; when that is missing, ``TEXTSEQ_DATA_DIR`` is checked writable."""
    path = data_dir().joinpath(*parts)
    if path.exists():
        return path
    path = data_dir(writable=True).joinpath(*parts)
    for parent in path.parents:  # a file where a sub-folder belongs
        if parent.exists() and not parent.is_dir():
            raise NotADirectoryError(f"{parent}: is a file; expected a folder of textseq's data "
                                     "(move or remove the file, or point TEXTSEQ_DATA_DIR at "
                                     "another folder)")
    return path


def data_source(source: str | None = None) -> str:
    """Return the data source in force: ``source`` if given, else ``TEXTSEQ_DATA``."""
    origin = "source"
    if source is None:
        source, origin = os.environ.get("TEXTSEQ_DATA", "").strip() or "embedded", "TEXTSEQ_DATA"
    if source not in SOURCES:
        raise ValueError(f"{origin} must be one of {', '.join(SOURCES)}; got {source!r}")
    return source


def imdb_dir(source: str | None = None) -> Path:
    """Return the ``aclImdb`` folder of the selected data, generating or downloading it once.

    >>> sorted(p.name for p in imdb_dir("embedded").iterdir())[:3]
    ['.textseq-corpus.json', 'README', 'imdb.vocab']
    """
    if data_source(source) == "embedded":
        from textseq.corpus.generate import ensure_corpus

        return ensure_corpus(_data_path("embedded", "aclImdb"), seed=EMBEDDED_SEED,
                             **EMBEDDED_SIZES)
    from textseq.imdb.fetch import ensure_aclimdb

    return ensure_aclimdb()  # which checks TEXTSEQ_DATA_DIR before it writes


def glove_source(glove: str | None = None, source: str | None = None) -> str:
    """Return the GloVe vectors in force: ``glove``, ``TEXTSEQ_GLOVE`` or the source's default.

    >>> glove_source(source="embedded")
    'packaged'
    """
    origin = "glove"
    if glove is None:
        glove, origin = os.environ.get("TEXTSEQ_GLOVE", "").strip() or None, "TEXTSEQ_GLOVE"
    if glove is None:
        return "packaged" if data_source(source) == "embedded" else "glove.6B"
    if glove not in GLOVE_SOURCES:
        raise ValueError(f"{origin} must be one of {', '.join(GLOVE_SOURCES)}; got {glove!r}")
    data_source(source)  # an unknown data source is an error whatever the GloVe source
    return glove


def glove_file(dim: int | None = None, source: str | None = None, *,
               glove: str | None = None) -> GloveFile:
    """Return the GloVe vectors in force (``dim`` 50; glove.6B also 100, 200, 300), downloaded once.

    >>> glove_file(source="embedded")
    GloveFile(path=None, member=None, dim=50, kind='packaged')
    """
    kind = glove_source(glove, source)
    dim = check_int("dim", dim, minimum=1, optional=True)
    if kind == "packaged":
        if dim not in (None, packaged.DIM):
            raise ValueError(
                f"dim={dim} was asked for, but the packaged GloVe vectors "
                f"({packaged.LABEL}) are {packaged.DIM}-d; for the book's "
                f"{BOOK_DIM}-d vectors (or 200/300) set TEXTSEQ_GLOVE=glove.6B (or "
                "TEXTSEQ_DATA=real), which downloads glove.6B.zip (822 MB) once")
        return GloveFile.packaged()
    dim = BOOK_DIM if dim is None else dim
    if dim not in GLOVE6B_DIMS:
        raise ValueError(f"glove.6B has dim {', '.join(map(str, GLOVE6B_DIMS[:-1]))} or "
                         f"{GLOVE6B_DIMS[-1]}; got {dim}")
    from textseq.imdb.fetch import ensure_glove6b

    return GloveFile(ensure_glove6b(), f"glove.6B.{dim}d.txt", dim)


def own_glove_file() -> GloveFile:
    """Return GloVe vectors trained with `OWN_GLOVE` on the embedded ``train/unsup`` reviews."""
    from textseq.corpus.generate import read_manifest
    from textseq.glove.train import train_unlabelled

    root = imdb_dir("embedded")
    dim = OWN_GLOVE["dim"]
    path = _data_path("embedded", "glove", f"glove.own.{dim}d.txt")
    stamp = path.with_name(path.name + ".json")
    wanted = {"corpus": read_manifest(root), "documents": OWN_GLOVE_DOCS, **OWN_GLOVE}
    try:
        current = json.loads(stamp.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        current = None
    words = current.pop("words", None) if isinstance(current, dict) else None
    counted = type(words) is int and words >= 0  # not a str, a float or a bool
    if current == wanted and not counted:
        warnings.warn(f"{stamp}: damaged ('words' is {describe_value(words)}, not a line count); "
                      f"training {path.name} again", stacklevel=2)
    if not (path.is_file() and current == wanted and counted):
        path.parent.mkdir(parents=True, exist_ok=True)
        stamp.unlink(missing_ok=True)  # no stamp while the file is being replaced
        words = train_unlabelled(root, path, **OWN_GLOVE).read_bytes().count(b"\n")
        write_text(stamp, json.dumps({**wanted, "words": words}, sort_keys=True))
    found = path.read_bytes().count(b"\n")  # one word a line
    if found != words:
        raise GloveFormatError(f"{path}: {found} lines, but its stamp {stamp.name} promises "
                               f"{words} words; the file is cut or damaged: remove it, and the "
                               "next run (python -m textseq.datasets --own-glove) trains it again")
    return GloveFile(path, None, dim)


def glove_text_sample(n_lines: int = TEXT_SAMPLE_LINES) -> Path:
    """Return a GloVe text file of the first ``n_lines`` glove.6B.50d vectors (written once)."""
    n_lines = check_int("n_lines", n_lines, minimum=1, maximum=packaged.WORDS)
    name = (f"{packaged.NAME}.txt" if n_lines == packaged.WORDS
            else f"{packaged.NAME}.first{n_lines}.txt")
    path = _data_path("glove", name)
    if not path.is_file():
        packaged.write_text(path, n_lines)
    return path


def glove_text_file(source: GloveFile | str | os.PathLike | None = None) -> Path:
    """Return the GloVe text file Listing 6-10 opens for the vectors in use.

    A ``.zip`` member (chosen as `load_vectors` does) is extracted once per version (size and
    CRC); other versions' extractions are kept (remove ``<data dir>/glove/extracted`` to free them).
    """
    source = glove_file() if source is None else source
    if getattr(source, "kind", None) == "packaged":
        return glove_text_sample()
    path, member, _ = sources.resolve(source, None, None)
    if path.suffix.lower() == ".gz":
        raise ValueError(f"{path.name} is gzip-compressed: open it with gzip.open")
    if member is None:
        with open(path, "rb") as f:
            if f.read(4) == b"PK\x03\x04":
                raise GloveFormatError(f"{path} is a zip archive, not a text file: rename it to "
                                       ".zip")
        return path
    info, key = sources.choose_member(path, member, None), hashlib.sha1(bytes(path.resolve()))
    folder = _data_path("glove", "extracted", f"{path.name}-{key.hexdigest()[:12]}")
    out = folder / f"{info.file_size}-{info.CRC:08x}" / sources.member_name(member)
    if not out.is_file():  # other versions stay: another process may be reading or writing one
        with sources.open_source(path, member, None) as (src, _), atomic_file(out, "wb") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
    return out


def describe(source: str | None = None, glove: str | None = None) -> str:
    """What a notebook's setup cell prints: which data is in use, what it is, how to switch."""
    data, kind = data_source(source), glove_source(glove, source)
    if data == "embedded":
        text = ("Data: embedded default. The reviews are GENERATED (invented films in the aclImdb "
                "layout, made by textseq.corpus), not the real IMDB. ")
    else:
        text = "Data: the real aclImdb_v1 reviews (downloaded once). "
    if kind == "packaged":
        text += ("The GloVe vectors are the REAL glove.6B.50d (pretrained by Stanford on "
                 "Wikipedia 2014 + Gigaword 5, never on our evaluation text; installed by the "
                 f"{packaged.PACKAGE} package); the book uses the 100d file of the same "
                 "release (TEXTSEQ_GLOVE=glove.6B downloads it, 822 MB).")
    else:
        text += ("The GloVe vectors are glove.6B from glove.6B.zip (downloaded once), 100d as in "
                 "the book.")
    if data == "embedded":
        text += " Set TEXTSEQ_DATA=real for the real aclImdb and glove.6B."
    return text


def main(argv: list[str] | None = None) -> None:
    """``python -m textseq.datasets [--stats] [--own-glove]``: prepare the data in use."""
    parser = argparse.ArgumentParser(description="Prepare textseq's IMDB and GloVe data.")
    parser.add_argument("--source", choices=SOURCES, default=None,
                        help="embedded or real (default: TEXTSEQ_DATA, else embedded)")
    parser.add_argument("--glove", choices=GLOVE_SOURCES, default=None,
                        help="packaged or glove.6B (default: TEXTSEQ_GLOVE, else by source)")
    parser.add_argument("--own-glove", action="store_true",
                        help="also train our own GloVe on the embedded unlabelled reviews")
    parser.add_argument("--stats", action="store_true", help="print the corpus statistics")
    args = parser.parse_args(argv)
    print(describe(args.source, args.glove))
    start = time.perf_counter()
    root = imdb_dir(args.source)
    print(f"aclImdb: {root} ({time.perf_counter() - start:.1f} s)")
    start = time.perf_counter()
    glove = glove_file(source=args.source, glove=args.glove)
    print(f"GloVe:   {glove} ({time.perf_counter() - start:.1f} s)")
    if args.own_glove:
        start = time.perf_counter()
        own = own_glove_file()
        print(f"own GloVe: {own.path} ({time.perf_counter() - start:.1f} s)")
    if args.stats:
        from textseq.corpus.stats import corpus_stats

        for key, value in corpus_stats(root).items():
            print(f"  {key:22} {value}")


if __name__ == "__main__":
    main()
