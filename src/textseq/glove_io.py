"""Where GloVe vectors come from: ``.txt``, ``.gz`` and ``.zip`` sources, reading them in
blocks (on two threads), and the ``.npy`` cache that makes the second read instant.

Internal to `textseq.glove`, which holds the public API.
"""

from __future__ import annotations

import codecs
import contextlib
import gzip
import hashlib
import json
import os
import re
import secrets
import warnings
import zipfile
import zlib
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from textseq.glove_format import (
    PAD,
    BlockReader,
    GloveFormatError,
    block_words,
    fix_failed,
    parse_block,
    parse_lines,
)
from textseq.paths import data_dir

__all__ = ["resolve", "open_source", "first_dim", "read_all", "cache_files", "read_cache",
           "write_cache", "WORKERS"]

_CACHE_FORMAT = 1
WORKERS = min(2, os.cpu_count() or 1)  # numpy releases the GIL, so two blocks parse at once


# --- sources ---------------------------------------------------------------------------------

def resolve(source, member, dim) -> tuple[Path, str | None, int | None]:
    """``(path, member, dim)`` of a text source: a path, or a GloveFile-like object with
    ``path``, ``member`` and ``dim`` (arguments given here win)."""
    if not isinstance(source, str | os.PathLike) and hasattr(source, "path"):  # a GloveFile
        member = member if member is not None else getattr(source, "member", None)
        dim = dim if dim is not None else getattr(source, "dim", None)
        source = source.path
    if not isinstance(source, str | os.PathLike):
        raise TypeError(f"source must be a path (str or os.PathLike) or a GloveFile, got "
                        f"{source!r}; GloveFile.packaged() is the packaged glove.6B.50d")
    check_dim(dim)
    path = Path(source)
    if not path.is_file():
        raise FileNotFoundError(f"GloVe vectors not found: {path}")
    if path.suffix.lower() == ".zip":
        # Choose the member now, so the cache is the chosen member's (dim= can choose it).
        member = choose_member(path, member, dim)
    elif member is not None:
        raise ValueError(f"member={member!r} was given, but {path.name} is not a .zip archive")
    return path, member, dim


def check_dim(dim) -> None:
    """Raise unless ``dim`` is ``None`` or a positive integer (``True`` is not a dimension)."""
    if dim is not None and (isinstance(dim, bool) or not isinstance(dim, int | np.integer)
                            or dim < 1):
        raise ValueError(f"dim must be a positive integer or None, got {dim!r}")


def choose_member(path: Path, member: str | None, dim) -> str:
    """The member of the ``.zip`` at ``path`` to read (see `zip_member`), from its directory."""
    try:
        with zipfile.ZipFile(path) as archive:
            return zip_member(archive, path, member, dim)
    except (zipfile.BadZipFile, zlib.error, EOFError) as err:
        raise GloveFormatError(f"{path} is damaged ({err}); download it again") from None


def zip_member(archive: zipfile.ZipFile, path: Path, member: str | None, dim) -> str:
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
    """Yield ``(binary stream, description, uncompressed size or None)``, wrapping archive
    damage (bad CRC, truncation) in a `GloveFormatError` naming the archive and member."""
    suffix = path.suffix.lower()
    where = str(path)
    try:
        if suffix == ".zip":
            with zipfile.ZipFile(path) as archive:
                member = zip_member(archive, path, member, dim)
                where = f"{path} (member {member})"
                with archive.open(member) as stream:
                    yield stream, where, archive.getinfo(member).file_size
        elif suffix == ".gz":
            with gzip.open(path, "rb") as stream:
                yield stream, where, None
        else:
            with open(path, "rb", buffering=0) as stream:
                yield stream, where, os.fstat(stream.fileno()).st_size
    except (zipfile.BadZipFile, gzip.BadGzipFile, zlib.error, EOFError) as err:
        raise GloveFormatError(f"{where} is damaged ({err}); download it again") from None


# --- reading ---------------------------------------------------------------------------------

def first_dim(buf: np.ndarray, newlines: np.ndarray, where: str, dim, line_no: int):
    """``(dim, dim_origin)`` from the first non-blank line of a block, or ``(None, '')``."""
    start = PAD
    for offset, end in enumerate(newlines):
        line = bytes(buf[start:end]).rstrip()
        start = end + 1
        if not line:
            continue
        got = len(line.split(b" ")) - 1
        if dim is not None:  # fewer values is an error; more may be a word with spaces
            if got < dim:
                raise GloveFormatError(f"{where}, line {line_no + offset}: expected {dim} values "
                                       f"(dim={dim} was asked for), got {got}")
            return dim, f"(dim={dim} was asked for)"
        if got < 1 or (got == 1 and line.replace(b" ", b"").isdigit()):
            raise GloveFormatError(f"{where}, line {line_no + offset}: expected a word and its "
                                   f"values, got {line[:60]!r} (is this the GloVe text format?)")
        return got, f"(the dimension of line {line_no + offset})"
    return None, ""


def _parse_task(block, newlines, dim, encoding, where, first, dim_origin):
    values = np.empty((newlines.size, dim), np.float32)
    parsed = parse_block(block, newlines, dim, values)
    if parsed is None:  # some line is irregular: the line-by-line path finds it
        lines = bytes(block[PAD:newlines[-1]]).split(b"\n")
        return parse_lines(lines, dim, encoding, where, first, dim_origin)
    line_starts, word_ends, failed, before, end = parsed
    if failed.size:
        fix_failed(block, before, end, failed, values, where, first)
    return block_words(block, line_starts, word_ends, encoding, where, first), values


def read_all(stream, where: str, dim, encoding: str, size) -> tuple[list[str], np.ndarray]:
    words: list[str] = []
    out, rows, line_no, dim_origin = None, 0, 1, ""
    with ThreadPoolExecutor(WORKERS) as pool:
        pending: deque = deque()
        try:
            for buf, newlines in BlockReader(stream, skip_bom=is_utf8(encoding)):
                if out is None:
                    dim, dim_origin = first_dim(buf, newlines, where, dim, line_no)
                    if dim is not None:
                        per_line = (newlines[-1] + 1 - PAD) / newlines.size
                        estimate = int((size or 1 << 24) / per_line * 1.02) + 1024
                        out = np.empty((estimate, dim), np.float32)
                if out is not None:
                    block = buf[:newlines[-1] + 1].copy()
                    pending.append(pool.submit(_parse_task, block, newlines, dim, encoding,
                                               where, line_no, dim_origin))
                line_no += newlines.size
                while pending and (len(pending) > 2 * WORKERS or pending[0].done()):
                    out, rows = _collect(pending.popleft().result(), words, out, rows)
            while pending:
                out, rows = _collect(pending.popleft().result(), words, out, rows)
        finally:
            for future in pending:
                future.cancel()
    if out is None or rows == 0:
        raise GloveFormatError(f"{where} is empty: no vectors found")
    out.resize((rows, dim), refcheck=False)
    return words, out


def is_utf8(encoding: str) -> bool:
    """Whether ``encoding`` is UTF-8, whose byte-order mark (EF BB BF) a file may start with."""
    try:
        return codecs.lookup(encoding).name in ("utf-8", "utf-8-sig")
    except LookupError:
        raise ValueError(f"encoding={encoding!r} is not an encoding Python knows") from None


def _collect(result, words: list[str], out: np.ndarray, rows: int):
    new_words, values = result
    words += new_words
    if rows + len(values) > len(out):
        out.resize((max(2 * len(out), rows + len(values)), out.shape[1]), refcheck=False)
    out[rows:rows + len(values)] = values
    return out, rows + len(values)


# --- cache -----------------------------------------------------------------------------------

def _member_suffix(member: str) -> str:
    """A file-name part for a zip member: no folders, so the cache stays where it belongs (a
    member such as ``../../x.txt`` or ``sub/x.txt`` gets a hash, keeping names distinct)."""
    safe = re.sub(r"[^A-Za-z0-9_.+-]", "_", member)
    if safe != member or safe.startswith("."):
        safe = safe.lstrip(".") + "-" + hashlib.sha1(member.encode()).hexdigest()[:8]
    return safe


def cache_files(path: Path, member, cache) -> tuple[Path, Path] | None:
    if cache is False or cache is None:
        return None
    name = path.name + (f".{_member_suffix(member)}" if member else "")
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
    except (OSError, ValueError, KeyError):
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
    """Write the cache atomically (temporary file, then ``os.replace``); the vocabulary file,
    which holds the metadata, goes last. A failure is a warning, not an error."""
    npy, vocab = files
    meta = {**_meta(path, member, encoding), "rows": len(words), "dim": vectors.shape[1]}
    text = json.dumps(meta) + "\n" + "\n".join(words)
    try:
        npy.parent.mkdir(parents=True, exist_ok=True)
        for target, write in ((npy, lambda f: np.save(f, vectors)),
                              (vocab, lambda f: f.write(text.encode("utf-8")))):
            tmp = target.with_name(f".{target.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")
            try:
                with open(tmp, "xb") as f:
                    write(f)
                os.replace(tmp, target)
            except BaseException:
                tmp.unlink(missing_ok=True)
                raise
    except OSError as err:
        warnings.warn(f"could not write the GloVe cache in {npy.parent}: {err}", stacklevel=3)
