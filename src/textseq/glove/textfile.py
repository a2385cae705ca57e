"""The GloVe text format: lines of ``word v1 ... vd``, read in blocks into words and float32 rows.

A GloVe file has one vector per line, ``word v1 v2 ... vd``, fields separated by single spaces.
The word is what is left after taking the last ``d`` fields from the right (``line.rsplit(" ",
d)``), so the rare words that contain spaces (the larger releases have some) survive. ``d`` is
``dim=`` when given, else the number of values on the first line. Blank lines and trailing
whitespace are ignored, and so is a UTF-8 byte-order mark at the start. A line that breaks these
rules raises `GloveFormatError` naming the file (and zip member) and the line number in the file,
blank lines counted.

How a file is read, without a per-line Python loop:

1. `BlockReader` reads the stream in blocks of whole lines into one reusable bytes buffer;
2. `parse_block` finds a block's newlines and spaces with numpy. When every line has exactly
   ``d`` spaces, the spaces form a ``(lines, d)`` grid whose columns say where each number starts
   and ends, and the speed-up `textseq._glove_numbers` decodes all the numbers at once (bit for
   bit what ``np.asarray(fields, dtype="float32")`` gives, Listing 6-10); `fix_failed` hands the
   few fields it leaves (``1e-05``, ``nan``) to numpy's own conversion, and `block_words` decodes
   the block's words with one ``bytes.decode``;
3. a block with an irregular line (a word with a space, a wrong number of values) goes through
   `parse_lines`, the line-by-line path, which also finds the line to blame.

`read_all` parses the blocks of a whole file on two threads (numpy releases the GIL), for
`textseq.glove.load_vectors`; `stream_rows` parses only the lines of the words it is asked for,
for `textseq.glove.embedding_matrix`.
"""

from __future__ import annotations

import codecs
import contextlib
import gzip
import hashlib
import json
import os
import re
import warnings
import zipfile
import zlib
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from textseq._checks import check_int, check_str, describe
from textseq.atomic import atomic_file
from textseq.glove._numbers import parse_numbers
from textseq.paths import data_dir

__all__ = ["GloveFormatError", "BlockReader", "first_dim", "parse_block", "fix_failed",
           "parse_lines", "block_words", "decode_word", "is_utf8", "read_all", "stream_rows",
           "PAD", "resolve", "open_source", "cache_files", "read_cache", "write_cache"]

BLOCK_SIZE = 1 << 18  # bytes read at a time: small enough for the CPU caches
PAD = 16  # zero bytes before the first line, so 16-byte windows never start before the buffer
_BOM = b"\xef\xbb\xbf"  # UTF-8's byte-order mark
WORKERS = min(2, os.cpu_count() or 1)  # numpy releases the GIL, so two blocks parse at once
_CACHE_FORMAT = 1


class GloveFormatError(ValueError):
    """A GloVe vectors source that cannot be read; the message names the file and the line."""


# --- blocks of lines ---------------------------------------------------------------------

class BlockReader:
    """Reads a binary stream as blocks of whole lines into one reusable ``uint8`` buffer."""

    def __init__(self, stream, block_size: int | None = None, *, skip_bom: bool = False):
        self.stream = stream
        self.block_size = block_size or BLOCK_SIZE
        self.buf = np.zeros(PAD + 2 * self.block_size, dtype=np.uint8)
        self.carry = 0  # bytes of an unfinished line kept at buf[PAD:PAD + carry]
        self.skip_bom = skip_bom  # drop a UTF-8 byte-order mark at the start of the stream

    def __iter__(self):
        """Yield ``(buf, newlines)``: ``buf[PAD:newlines[-1] + 1]`` holds whole lines."""
        eof = False
        while not eof:
            begin = PAD + self.carry
            if self.buf.size < begin + self.block_size:  # a line longer than a block
                self.buf = np.concatenate([self.buf, np.zeros(self.buf.size, np.uint8)])
            got = _read_into(self.stream, memoryview(self.buf)[begin:begin + self.block_size])
            end = begin + got
            if self.skip_bom:  # only the first read can hold it
                self.skip_bom = False
                if bytes(self.buf[PAD:min(end, PAD + 3)]) == _BOM:
                    self.buf[PAD:end - 3] = self.buf[PAD + 3:end].copy()
                    end -= 3
            eof = got == 0
            if eof and self.carry:  # a last line without "\n"
                self.buf[end] = 10
                end += 1
            newlines = np.flatnonzero(self.buf[begin:end] == 10) + begin
            if newlines.size == 0:
                self.carry = end - PAD
                continue
            yield self.buf, newlines
            cut = int(newlines[-1]) + 1
            self.carry = end - cut
            self.buf[PAD:PAD + self.carry] = self.buf[cut:end]


def _read_into(stream, view: memoryview) -> int:
    """Fill ``view`` from ``stream`` as far as the stream goes; return the byte count."""
    total = 0
    while total < len(view):
        got = stream.readinto(view[total:])
        if not got:
            break
        total += got
    return total


def is_utf8(encoding: str) -> bool:
    """Whether ``encoding`` is UTF-8, whose byte-order mark (EF BB BF) a file may start with."""
    try:
        return codecs.lookup(encoding).name in ("utf-8", "utf-8-sig")
    except LookupError:
        raise ValueError(f"encoding={encoding!r} is not an encoding Python knows") from None


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


# --- one block, the fast path -------------------------------------------------------------

def parse_block(buf: np.ndarray, newlines: np.ndarray, dim: int, out: np.ndarray):
    """Parse a block of lines whose every line has exactly ``dim`` spaces.

    Args:
        buf: ``uint8`` buffer: `PAD` bytes, then the lines; ``newlines`` holds their ``\\n``s.
        newlines: positions of the line ends, ascending.
        dim: values per line.
        out: float32 array of shape ``(len(newlines), dim)`` to fill.

    Returns:
        ``(line_starts, word_ends, failed, before, end)``: where each line and its word start,
        where each word ends, the flat indices of the fields the fast path could not decode (for
        `fix_failed`), and the space before and the end of every field; or ``None`` when some
        line is not regular (a word with a space, a missing or extra value, an empty field,
        trailing spaces): the caller then uses `parse_lines` for this block.
    """
    n = newlines.size
    spaces = np.flatnonzero(buf[:newlines[-1]] == 32)
    if spaces.size != n * dim:
        return None
    spaces = spaces.reshape(n, dim)
    line_starts = np.empty_like(newlines)
    line_starts[0] = PAD
    line_starts[1:] = newlines[:-1] + 1
    if not (np.all(spaces[:, 0] >= line_starts) and np.all(spaces[:, -1] < newlines)):
        return None
    end = np.empty_like(spaces)
    end[:, :-1] = spaces[:, 1:]
    end[:, -1] = newlines - (buf[newlines - 1] == 13)  # "\r\n" line ends
    failed = parse_numbers(buf, spaces, end, out)
    return line_starts, spaces[:, 0], failed, spaces, end


def fix_failed(buf: np.ndarray, before: np.ndarray, end: np.ndarray, failed: np.ndarray,
               out: np.ndarray, where, first: int) -> None:
    """Convert the fields the fast path left with numpy's string conversion, or raise."""
    before, end, dim = before.reshape(-1), end.reshape(-1), out.shape[-1]
    fields = [bytes(buf[before[i] + 1:end[i]]) for i in failed]
    try:
        out.reshape(-1)[failed] = np.array(fields, dtype=np.float32)
    except ValueError:
        i, field = next((i, f) for i, f in zip(failed, fields, strict=True) if not _is_number(f))
        raise GloveFormatError(f"{where}, line {first + i // dim}: value {field[:40]!r} is not "
                               "a number") from None


# --- the line-by-line path ----------------------------------------------------------------

def parse_lines(lines: list[bytes], dim: int, encoding: str, where, first: int,
                dim_origin: str) -> tuple[list[str], np.ndarray]:
    """The line-by-line path: words and a ``(len(lines), dim)`` float32 array.

    Trailing whitespace (and ``\\r``) is ignored and blank lines are skipped. ``where`` names the
    file, ``first`` is the 1-based number of the first line, ``dim_origin`` says where ``dim``
    came from (for the error message).
    """
    words, rows, numbers = [], [], []
    for offset, raw in enumerate(lines):
        line = raw.rstrip()
        if not line:
            continue
        fields = line.rsplit(b" ", dim)
        got = len(fields) - 1
        if got == dim and b" " in fields[0]:
            extra = fields[0].split(b" ")[1:]
            if all(_is_number(f) for f in extra):
                got += len(extra)
        if got != dim:
            raise GloveFormatError(f"{where}, line {first + offset}: expected {dim} values "
                                   f"{dim_origin}, got {got}")
        words.append(decode_word(fields[0], encoding, where, first + offset))
        rows.append(fields[1:])
        numbers.append(first + offset)  # blank lines count: errors name the line in the file
    out = np.empty((len(rows), dim), dtype=np.float32)
    for i, fields in enumerate(rows):
        try:
            out[i] = np.array(fields, dtype=np.float32)
        except ValueError:
            bad = next(f for f in fields if not _is_number(f))
            raise GloveFormatError(
                f"{where}, line {numbers[i]}: value {bad[:40]!r} is not a number") from None
    return words, out


def _is_number(field: bytes) -> bool:
    try:
        np.float32(field.decode("ascii"))
    except (ValueError, UnicodeDecodeError):
        return False
    return True


# --- words --------------------------------------------------------------------------------

def block_words(buf: np.ndarray, starts: np.ndarray, ends: np.ndarray, encoding: str, where,
                first: int) -> list[str]:
    """Decode the words ``buf[starts[i]:ends[i]]`` of a block with one ``bytes.decode`` call."""
    lens = ends - starts
    offsets = np.cumsum(lens + 1) - (lens + 1)
    index = np.repeat(starts - offsets, lens + 1) + np.arange(int(offsets[-1] + lens[-1] + 1))
    blob = buf[index]
    blob[offsets + lens] = 10
    try:
        text = blob.tobytes().decode(encoding)
    except UnicodeDecodeError as err:
        line = first + int(np.searchsorted(offsets, err.start, side="right")) - 1
        raise encoding_error(where, line, encoding) from None
    return text.split("\n")[:-1]


def decode_word(raw: bytes, encoding: str, where, line: int) -> str:
    """Decode one word, or raise the error that offers ``encoding=``."""
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError:
        raise encoding_error(where, line, encoding) from None


def encoding_error(where, line: int, encoding: str) -> GloveFormatError:
    """The error for a word that is not valid in ``encoding``, offering the ``encoding=`` option."""
    other = "latin-1" if encoding.lower().replace("_", "-") != "latin-1" else "cp1252"
    return GloveFormatError(f"{where}, line {line} is not valid {encoding}; pass "
                            f"encoding={other!r} if the file uses another encoding")


# --- whole files --------------------------------------------------------------------------

def read_all(stream, where: str, dim, encoding: str, size) -> tuple[list[str], np.ndarray]:
    """Every line of a binary stream: ``(words, float32 array of shape (len(words), dim))``.

    Blocks are parsed on `WORKERS` threads, in order; ``where`` names the source in errors,
    ``dim`` is the expected dimension (``None``: the first line's), ``size`` the stream's length
    in bytes if known (it sizes the output array).
    """
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


def _collect(result, words: list[str], out: np.ndarray, rows: int):
    new_words, values = result
    words += new_words
    if rows + len(values) > len(out):
        out.resize((max(2 * len(out), rows + len(values)), out.shape[1]), refcheck=False)
    out[rows:rows + len(values)] = values
    return out, rows + len(values)


def stream_rows(stream, where: str, dim, encoding: str, wanted: dict[str, int],
                num_words: int) -> tuple[np.ndarray, dict[int, bool]]:
    """The embedding matrix of ``wanted`` (word -> row), parsing only the lines of those words.

    Returns:
        ``(matrix, hits)``: the ``(num_words, dim)`` float32 matrix (rows of words not found stay
        zero) and the rows that were filled.
    """
    spaced = any(" " in word for word in wanted)  # then words are only known after rsplit
    matrix, hits, line_no, dim_origin = None, {}, 1, ""
    for buf, newlines in BlockReader(stream, skip_bom=is_utf8(encoding)):
        if matrix is None:
            dim, dim_origin = first_dim(buf, newlines, where, dim, line_no)
            matrix = np.zeros((num_words, dim), np.float32) if dim else None
        if matrix is not None:
            if spaced:
                lines = bytes(buf[PAD:newlines[-1]]).split(b"\n")
                words, values = parse_lines(lines, dim, encoding, where, line_no, dim_origin)
                for word, row in zip(words, values, strict=True):
                    if word in wanted:
                        matrix[wanted[word]], hits[wanted[word]] = row, True
            else:
                _block_hits(buf, newlines, dim, encoding, where, line_no, dim_origin, wanted,
                            matrix, hits)
        line_no += newlines.size
    if matrix is None:
        raise GloveFormatError(f"{where} is empty: no vectors found")
    return matrix, hits


def _block_hits(buf, newlines, dim, encoding, where, line_no, dim_origin, wanted, matrix, hits):
    """Find the wanted words of a block by their first field; parse only their lines."""
    starts = np.empty_like(newlines)
    starts[0], starts[1:] = PAD, newlines[:-1] + 1
    ends = starts.copy()  # first space of each line (or its end)
    todo = np.flatnonzero(buf[ends] != 32)
    while todo.size:
        todo = todo[ends[todo] < newlines[todo]]
        ends[todo] += 1
        todo = todo[buf[ends[todo]] != 32]
    words = block_words(buf, starts, ends, encoding, where, line_no)
    lines = [k for k, word in enumerate(words) if word in wanted]
    if not lines:
        return
    picked = [buf[:PAD]] + [buf[starts[k]:newlines[k] + 1] for k in lines]
    sub = np.concatenate(picked)
    sub_newlines = np.flatnonzero(sub == 10)
    values = np.empty((len(lines), dim), np.float32)
    parsed = parse_block(sub, sub_newlines, dim, values)
    if parsed is not None and parsed[2].size:
        try:
            fix_failed(sub, parsed[3], parsed[4], parsed[2], values, where, line_no)
        except GloveFormatError:  # report it with the line number in the file
            parsed = None
    if parsed is None:  # a word with spaces, or a malformed line: check them one by one
        for k in lines:
            line = bytes(buf[starts[k]:newlines[k]])
            got_words, got = parse_lines([line], dim, encoding, where, line_no + k, dim_origin)
            if got_words and got_words[0] == words[k]:
                matrix[wanted[words[k]]], hits[wanted[words[k]]] = got[0], True
        return
    for k, row in zip(lines, values, strict=True):
        matrix[wanted[words[k]]], hits[wanted[words[k]]] = row, True

# --- sources ---------------------------------------------------------------------------------

def resolve(source, member, dim) -> tuple[Path, str | None, int | None]:
    """``(path, member, dim)`` of a text source: a path, or a GloveFile-like object with
    ``path``, ``member`` and ``dim`` (arguments given here win), the arguments checked."""
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
        member = choose_member(path, member, dim)
    elif member is not None:
        raise ValueError(f"member={member!r} was given, but {path.name} is not a .zip archive")
    return path, member, dim


def choose_member(path: Path, member: str | None, dim) -> str:
    """The member of the ``.zip`` at ``path`` to read (see `zip_member`), from its directory."""
    try:
        with zipfile.ZipFile(path) as archive:
            return zip_member(archive, path, member, dim)
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


# --- cache -----------------------------------------------------------------------------------

def _member_suffix(member: str) -> str:
    """A file-name part for a zip member: no folders, so the cache stays where it belongs (a
    member such as ``../../x.txt`` or ``sub/x.txt`` gets a hash, keeping names distinct)."""
    safe = re.sub(r"[^A-Za-z0-9_.+-]", "_", member)
    if safe != member or safe.startswith("."):
        safe = safe.lstrip(".") + "-" + hashlib.sha1(member.encode()).hexdigest()[:8]
    return safe


def cache_files(path: Path, member, cache) -> tuple[Path, Path] | None:
    """``(vectors .npy, vocabulary .txt)`` of the cache for ``cache`` (``True``: beside the
    source, a folder: there), or ``None`` when ``cache`` is ``False``."""
    if cache is False or cache is None:
        return None
    if cache is not True and not isinstance(cache, str | os.PathLike):
        raise TypeError(f"cache must be True, False or a folder (str or os.PathLike), got "
                        f"{describe(cache, with_type=True)}")
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
    """Write the cache with `textseq.atomic` (a killed writer leaves no half-written file under
    the cache's names, and its leftovers go the next time); the vocabulary file, which holds the
    metadata, goes last. A failure is a warning, not an error."""
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
