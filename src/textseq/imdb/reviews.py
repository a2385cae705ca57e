"""Read the raw reviews of an aclImdb tree (Listing 6-8), from its folder or ``aclImdb_v1.tar.gz``.

The layout (Maas et al., 2011)::

    aclImdb/
      train/  neg/<id>_<1-4>.txt  pos/<id>_<7-10>.txt  [unsup/<id>_0.txt]
      test/   neg/<id>_<1-4>.txt  pos/<id>_<7-10>.txt

Order: ``neg`` (label 0), ``pos`` (1), then ``unsup`` (-1) if asked, each by numeric id. A review
must be a non-empty UTF-8 file without NUL bytes, else a `DataError` names it.
"""

from __future__ import annotations

import os
import tarfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from textseq._checks import check_choice
from textseq.imdb.fetch import ArchiveError, iter_members

__all__ = ["DataError", "Reviews", "read_split", "read_splits", "LABEL_FOLDERS"]

#: Label folders in reading order, with their label values.
LABEL_FOLDERS = {"neg": 0, "pos": 1, "unsup": -1}
_RATINGS = {"neg": (1, 4), "pos": (7, 10), "unsup": (0, 0)}  # aclImdb's, by folder
_SPLITS = ("train", "test")
_ERRORS = ("strict", "replace")


class DataError(ValueError):
    """An aclImdb tree or archive lacks the expected layout or content (named in the message)."""


@dataclass(eq=False)
class Reviews:
    """One split's ``texts`` and ``int64`` ``labels`` (0, 1, -1 unsup), ``ratings`` and ``ids``."""

    texts: list[str]
    labels: np.ndarray
    ratings: np.ndarray
    ids: np.ndarray

    def __len__(self) -> int:
        return len(self.texts)


def _parse_name(name: str, where: str, label: str) -> tuple[int, int]:
    """Parse ``<id>_<rating>.txt`` with str operations; return ``(id, rating)``."""
    id_text, sep, rating_text = name[:-4].partition("_")
    low, high = _RATINGS[label]
    if (name.endswith(".txt") and sep and id_text.isdecimal() and id_text.isascii()
            and rating_text.isdecimal() and rating_text.isascii()
            and low <= int(rating_text) <= high):
        return int(id_text), int(rating_text)
    expected = ("a file name <id>_0.txt (unlabelled reviews have rating 0)" if label == "unsup"
                else f"a file name <id>_<rating>.txt with rating {low}-{high} (aclImdb's neg/ "
                "holds ratings 1-4, pos/ 7-10)")
    raise DataError(f"{where}: expected {expected}")


def _decode(data: bytes, where: str, errors: str) -> str:
    """The review's text; a ``DataError`` for an empty file, a NUL byte or bad UTF-8."""
    if not data:
        raise DataError(f"{where}: is empty (0 bytes); expected a review (an interrupted copy or "
                        "extraction leaves empty files: copy or extract the tree again)")
    nul = data.find(b"\0")
    if nul >= 0:
        raise DataError(f"{where}: holds a NUL byte at offset {nul}; expected UTF-8 text (a "
                        "UTF-16 file? convert it to UTF-8)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if errors == "replace":
            return data.decode("utf-8", "replace")
        raise DataError(f"{where}: expected UTF-8 text, found byte 0x{data[exc.start]:02x} at "
                        f"offset {exc.start} (pass errors='replace' to read it with U+FFFD "
                        f"replacement characters)") from None


def _sorted_checked(entries: list[tuple[int, int, str]], where: str) -> list[tuple[int, int, str]]:
    entries.sort()
    for a, b in zip(entries, entries[1:], strict=False):
        if a[0] == b[0]:
            raise DataError(f"{where}: two files with id {a[0]}: {a[2]} and {b[2]}; expected "
                            "one review per id")
    return entries


def _read_folder(folder: Path, label: str, errors: str):
    for path in (folder.parent, folder):  # the split and label folders (the root may be a link)
        if path.is_symlink():
            raise DataError(f"{path}: is a symbolic link (to {os.readlink(path)}); expected a "
                            "folder of the tree (links are not followed)")
    try:
        with os.scandir(folder) as it:
            found = {entry.name: entry for entry in it}
    except (FileNotFoundError, NotADirectoryError):
        raise DataError(f"{folder}: missing; expected a folder of review files "
                        "<id>_<rating>.txt") from None
    if not found:
        raise DataError(f"{folder}: empty; expected review files <id>_<rating>.txt")
    base = str(folder) + os.sep
    entries = _sorted_checked([(*_parse_name(n, base + n, label), n) for n in found], str(folder))
    texts = []
    for _, _, name in entries:
        path, entry = base + name, found[name]
        if not entry.is_file(follow_symlinks=False):
            raise DataError(f"{path}: {_not_a_review(entry)}")
        with open(path, "rb", buffering=0) as f:
            texts.append(_decode(f.read(), path, errors))
    return texts, [e[0] for e in entries], [e[1] for e in entries]


def _not_a_review(entry: os.DirEntry) -> str:
    if entry.is_symlink():
        return (f"is a symbolic link (to {os.readlink(entry.path)}); expected a regular review "
                "file (links are not followed)")
    if entry.is_dir(follow_symlinks=False):
        return "is a folder; expected a review file"
    return "is not a regular file (a FIFO, socket or device); expected a review file"


def _read_tar(archive: Path, wanted: list[tuple[str, str]], errors: str):
    """One streaming pass over the archive; return ``{(split, label): (texts, ids, ratings)}``."""
    found: dict[tuple[str, str], list] = {key: None for key in wanted}
    with tarfile.open(archive, "r:*") as tar:
        try:
            for member, rel in iter_members(tar, archive, root="aclImdb"):
                parts = rel.parts if rel is not None else ()
                if len(parts) < 2 or (parts[0], parts[1]) not in found:
                    continue
                key = (parts[0], parts[1])
                bucket = found[key] if found[key] is not None else []
                found[key] = bucket
                where = f"{archive}: member {member.name}"
                if len(parts) == 2:
                    if not member.isdir():
                        raise DataError(f"{where}: expected a folder")
                    continue
                if len(parts) > 3 or not member.isfile():
                    raise DataError(f"{where}: expected a regular review file <id>_<rating>.txt "
                                    "directly inside the folder")
                review_id, rating = _parse_name(parts[2], where, key[1])
                data = tar.extractfile(member).read()
                bucket.append((review_id, rating, parts[2], _decode(data, where, errors)))
        except ArchiveError as exc:
            raise DataError(str(exc)) from exc
    out = {}
    for (split, label), bucket in found.items():
        where = f"{archive}: aclImdb/{split}/{label}/"
        if bucket is None:
            raise DataError(f"{where} is missing; expected a folder of review files "
                            "<id>_<rating>.txt")
        if not bucket:
            raise DataError(f"{where} is empty; expected review files <id>_<rating>.txt")
        entries = _sorted_checked(bucket, where)
        out[split, label] = ([e[3] for e in entries], [e[0] for e in entries],
                             [e[1] for e in entries])
    return out


def _check_args(splits, include_unsup: bool, errors: str) -> None:
    for split in splits:
        check_choice("split", split, _SPLITS)
    check_choice("errors", errors, _ERRORS)
    if include_unsup and "train" not in splits:
        raise ValueError(f"include_unsup=True needs the 'train' split (only train/ has unsup/), "
                         f"got {'split=' + repr(splits[0]) if len(splits) == 1 else splits}")


def read_splits(source: str | os.PathLike, splits=("train", "test"), *,
                include_unsup: bool = False, errors: str = "strict") -> dict[str, Reviews]:
    """Read several splits at once; an archive is streamed only once. See `read_split`."""
    splits = tuple(splits)
    _check_args(splits, include_unsup, errors)
    source = Path(source)
    wanted = [(s, lab) for s in splits for lab in LABEL_FOLDERS
              if lab != "unsup" or (include_unsup and s == "train")]
    if source.is_dir():
        for split in splits:
            if not (source / split).is_dir():
                hint = (f" (did you mean {source / 'aclImdb'}?)"
                        if (source / "aclImdb").is_dir() else "")
                raise DataError(f"{source / split}: missing; expected the aclImdb folder to hold "
                                f"{split}/ with neg/ and pos/{hint}")
        parts = {key: _read_folder(source / key[0] / key[1], key[1], errors)
                 for key in wanted}
    elif source.is_file():
        try:
            parts = _read_tar(source, wanted, errors)
        except (tarfile.TarError, EOFError, OSError) as exc:
            raise DataError(f"{source}: expected an aclImdb folder or a readable .tar.gz "
                            f"archive ({exc})") from exc
    else:
        raise FileNotFoundError(f"{source}: no such folder or archive; expected an aclImdb folder "
                                "or aclImdb_v1.tar.gz")
    result = {}
    for split in splits:
        texts, ids, ratings, labels = [], [], [], []
        for key in wanted:
            if key[0] == split:
                t, i, r = parts[key]
                texts += t
                ids += i
                ratings += r
                labels += [LABEL_FOLDERS[key[1]]] * len(t)
        result[split] = Reviews(texts, np.array(labels, dtype=np.int64),
                                np.array(ratings, dtype=np.int64), np.array(ids, dtype=np.int64))
    return result


def read_split(source: str | os.PathLike, split: str = "train", *, include_unsup: bool = False,
               errors: str = "strict") -> Reviews:
    """Read the reviews of one aclImdb split with their labels and ratings (Listing 6-8).

    ``source`` is the folder or the archive (streamed); ``errors="replace"`` reads non-UTF-8
    files with U+FFFD instead of refusing them.
    """
    return read_splits(source, (split,), include_unsup=include_unsup, errors=errors)[split]
