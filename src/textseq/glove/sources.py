"""Where GloVe vectors come from (a file, a ``.gz``, a member of a ``.zip``), and the cache.

The cache is ``<source>[.<member>].npy`` and ``.vocab.txt`` beside the source (or under ``<data
dir>/glove-cache``), rebuilt when the source's size or time changes.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import os
import re
import warnings
import zipfile
import zlib
from pathlib import Path

import numpy as np

from textseq._checks import check_int, check_str, describe
from textseq._files import atomic_file, data_dir
from textseq.glove.textfile import GloveFormatError

__all__ = ["resolve", "open_source", "member_name", "check_cache", "cache_files", "read_cache",
           "write_cache"]

_CACHE_FORMAT = 1


# --- sources ---------------------------------------------------------------------------------
def resolve(source, member, dim) -> tuple[Path, str | None, int | None]:
    """Checked ``(path, member, dim)`` of a path or a GloveFile (arguments given here win)."""
    if not isinstance(source, str | os.PathLike) and hasattr(source, "path"):  # a GloveFile
        member = member if member is not None else getattr(source, "member", None)
        dim = dim if dim is not None else getattr(source, "dim", None)
        source = source.path
    if not isinstance(source, str | os.PathLike):
        raise TypeError(f"source must be a path (str or os.PathLike) or a GloveFile, got "
                        f"{describe(source, with_type=True)}; GloveFile.packaged() is the "
                        "packaged glove.6B.50d")
    member = check_str("member", member, what="a str (a file in the .zip)", optional=True)
    dim = check_int("dim", dim, minimum=1, optional=True)
    path = Path(source)
    if not path.is_file():
        raise FileNotFoundError(f"GloVe vectors not found: {path}")
    if path.suffix.lower() == ".zip":
        # Choose the member now, so the cache is the chosen member's (dim= can choose it).
        member = choose_member(path, member, dim).filename
    elif member is not None:
        raise ValueError(f"member={member!r} was given, but {path.name} is not a .zip archive")
    return path, member, dim


def choose_member(path: Path, member: str | None, dim) -> zipfile.ZipInfo:
    """The directory entry (name, size, CRC) of the ``.zip`` member to read (see `zip_member`)."""
    try:
        with zipfile.ZipFile(path) as archive:
            return archive.getinfo(zip_member(archive, path, member, dim))
    except (zipfile.BadZipFile, zlib.error, EOFError) as err:
        raise GloveFormatError(f"{path} is damaged ({err}); download it again") from None


def zip_member(archive: zipfile.ZipFile, path: Path, member: str | None, dim) -> str:
    """``member`` if the archive has it; without one, the only file or the ``.<dim>d.txt``."""
    names = [n for n in archive.namelist() if not n.endswith("/")]
    if member is None:
        chosen = names if len(names) == 1 else [n for n in names if n.endswith(f".{dim}d.txt")]
        if len(chosen) == 1:
            return chosen[0]
        raise GloveFormatError(f"{path} holds {len(names)} files ({', '.join(names[:20])}); pass "
                               "member= to choose one")
    if member not in names:
        raise GloveFormatError(f"{path} has no member {member!r}; its members are: "
                               f"{', '.join(names[:20])}{' ...' if len(names) > 20 else ''}")
    return member


@contextlib.contextmanager
def open_source(path: Path, member: str | None, dim):
    """Yield ``(binary stream, description)``; archive damage is a `GloveFormatError`."""
    suffix = path.suffix.lower()
    where = str(path)
    try:
        if suffix == ".zip":
            with zipfile.ZipFile(path) as archive:
                member = zip_member(archive, path, member, dim)
                where = f"{path} (member {member})"
                try:
                    stream = archive.open(member)
                except (RuntimeError, NotImplementedError) as err:  # encrypted, deflate64, ...
                    raise GloveFormatError(f"{where} cannot be read: {err}; extract it with unzip "
                                           "or 7z and pass the .txt file") from None
                with stream:
                    yield stream, where
        elif suffix == ".gz":
            with gzip.open(path, "rb") as stream:
                yield stream, where
        else:
            with open(path, "rb") as stream:
                yield stream, where
    except (zipfile.BadZipFile, gzip.BadGzipFile, zlib.error, EOFError) as err:
        raise GloveFormatError(f"{where} is damaged ({err}); download it again") from None


# --- cache -----------------------------------------------------------------------------------
def member_name(member: str) -> str:
    """A file-name part for a zip member, without folders (those get a hash)."""
    safe = re.sub(r"[^A-Za-z0-9_.+-]", "_", member)
    if safe != member or safe.startswith("."):
        safe = safe.lstrip(".") + "-" + hashlib.sha1(member.encode()).hexdigest()[:8]
    return safe


def check_cache(cache) -> None:
    """Check that ``cache`` is True, False (or None) or a folder."""
    if not (cache is True or cache is False or cache is None
            or isinstance(cache, str | os.PathLike)):
        raise TypeError(f"cache must be True, False or a folder (str or os.PathLike), got "
                        f"{describe(cache, with_type=True)}")
    if isinstance(cache, str) and not cache.strip():
        raise ValueError(f"cache must be True, False or a folder (str or os.PathLike), got "
                         f"{cache!r}, a blank name (for the current folder, pass '.')")


def cache_files(path: Path, member, cache) -> tuple[Path, Path] | None:
    """``(vectors .npy, vocabulary .txt)`` of the cache, or ``None`` when ``cache`` is False."""
    check_cache(cache)
    if cache is False or cache is None:
        return None
    name = path.name + (f".{member_name(member)}" if member else "")
    if cache is True:
        folder = path.parent
        if not os.access(folder, os.W_OK):
            folder = data_dir() / "glove-cache"
            name = hashlib.sha1(str(path.resolve()).encode()).hexdigest()[:10] + "-" + name
    else:
        folder = Path(cache)
    return folder / f"{name}.npy", folder / f"{name}.vocab.txt"


def _meta(path: Path, member, encoding) -> dict:
    stat = path.stat()
    return {"format": _CACHE_FORMAT, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns,
            "member": member, "encoding": encoding}


def read_cache(path, member, encoding, dim, files):
    """``(words, vectors, where)`` from an up-to-date cache, else ``None``."""
    npy, vocab = files
    try:
        head, _, rest = vocab.read_text(encoding="utf-8").partition("\n")
        meta = json.loads(head)
        rows, cached_dim = meta.pop("rows"), meta.pop("dim")
        if meta != _meta(path, member, encoding):
            return None
        vectors = np.load(npy, mmap_mode="r")
    except (OSError, ValueError, KeyError, EOFError):  # EOFError: an empty .npy
        return None
    words = rest.split("\n")
    if vectors.shape != (rows, cached_dim) or len(words) != rows:
        return None
    if dim is not None and dim != cached_dim:
        raise GloveFormatError(f"{path}: the vectors have {cached_dim} values, but dim={dim} "
                               "was asked for")
    where = f"{path} (member {member})" if member else str(path)
    return words, vectors, where


def write_cache(path, member, encoding, files, words: list[str], vectors: np.ndarray) -> None:
    """Write the cache atomically, vocabulary (with the metadata) last; failure only warns."""
    npy, vocab = files
    meta = {**_meta(path, member, encoding), "rows": len(words), "dim": vectors.shape[1]}
    text = json.dumps(meta) + "\n" + "\n".join(words)
    try:
        with atomic_file(npy, "wb") as f:
            np.save(f, vectors)
        with atomic_file(vocab, "wb") as f:
            f.write(text.encode("utf-8"))
    except OSError as err:
        warnings.warn(f"could not write the GloVe cache in {npy.parent}: {err}", stacklevel=3)
