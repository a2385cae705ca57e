"""One table of every chapter model: the book's figure next to ours; and the Keras 3 comparison.

Notebooks call `record` (or `record_comparison`); `write_table` gathers the records into
``results/results.md``. A file there that is no valid record stops it with an error naming it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from textseq._checks import check_choice, check_int, check_number, check_str, describe
from textseq._files import atomic_file, results_dir, write_text
from textseq.datasets import SOURCES

__all__ = ["BOOK", "record", "load_records", "find_record", "results_table", "write_table",
           "record_comparison", "load_comparisons", "comparison_table"]

# What the book's notebooks printed on the full IMDB (validation best / last, test).
BOOK: dict[str, dict[str, str]] = {
    "6-7 Embedding + Flatten (maxlen 20)": {"best": "0.759", "last": "0.755", "test": "-"},
    "6-14 GloVe frozen, 200 samples": {"best": "0.572", "last": "0.541", "test": "0.537"},
    "6-16 no pretrained vectors, 200 samples": {"best": "0.51-0.53", "last": "0.51-0.53",
                                                "test": "-"},
    "6-23 SimpleRNN": {"best": "0.846", "last": "0.805", "test": "-"},
    "6-27 LSTM": {"best": "0.893", "last": "0.876", "test": "-"},
    "GRU (ours, not in the book)": {"best": "-", "last": "-", "test": "-"},
    "chapter 3 bag of words (baseline)": {"best": "~0.88", "last": "-", "test": "-"},
}


def _accuracy(name: str, value: Any, optional: bool = False) -> float | None:
    """One rule for every accuracy: a finite number in [0, 1], rounded to 3 decimals."""
    value = check_number(name, value, minimum=0, maximum=1, optional=optional)
    return None if value is None else round(value, 3)


def _accuracies(name: str, values: Any, optional: bool = False) -> list[float] | None:
    """A list of accuracies, each as `_accuracy` (the message names the item: ``name[i]``)."""
    if values is None and optional:
        return None
    if isinstance(values, str | bytes | Mapping) or not isinstance(values, Iterable):
        raise TypeError(f"{name} must be a list of numbers between 0 and 1"
                        f"{' or None' * optional}, got {describe(values, with_type=True)}")
    return [_accuracy(f"{name}[{i}]", v) for i, v in enumerate(values)]


def _seconds(name: str, value: Any) -> float | None:
    value = check_number(name, value, minimum=0, optional=True)
    return None if value is None else round(value, 1)


def _data(name: str, value: Any) -> None:
    check_choice(name, value, SOURCES)  # it names the record's file: no path, no other word


def _model(name: str, value: Any) -> None:
    if check_str(name, value, what="a str (a key of BOOK)") not in BOOK:
        raise ValueError(f"{name} must be one of {sorted(BOOK)}; got {value!r}")


def _listing(name: str, value: Any) -> None:
    text = check_str(name, value, what="a str such as '6-27'")
    if not text.strip() or len(text.encode("utf-8", "surrogatepass")) > 100:
        raise ValueError(f"{name} must be a str such as '6-27' (not blank, 100 bytes at most: it "
                         f"names the record's file), got {describe(value)}")


def _per_seed(name: str, values: Any) -> None:
    if not _accuracies(name, values):
        raise ValueError(f"{name} must hold one accuracy per seed, got {values!r}")


def _checked_args(data: Any, notes: Any, **texts: Any) -> None:
    """Check the arguments `record` and `record_comparison` share."""
    _data("data", data)
    for name, value in {"notes": notes, **texts}.items():
        check_str(name, value)


def record(model: str, history: Mapping[str, list[float]] | object, *, data: str,
           test_acc: float | None = None, seed_test_accs: list[float] | None = None,
           notes: str = "") -> dict:
    """Save and return one model's record: best and last ``val_acc`` of ``history``.

    ``model`` is a key of `BOOK`; ``seed_test_accs`` the test accuracies over seeds (this one
    included). Accuracies are numbers in [0, 1].
    """
    _checked_args(data, notes)
    _model("model", model)
    hist = getattr(history, "history", history)
    if not isinstance(hist, Mapping):
        raise TypeError(f"history must be a Keras History or a dict holding 'val_acc', got "
                        f"{describe(history, with_type=True)}")
    val = _accuracies("history['val_acc']", hist.get("val_acc", []))
    if not val:
        raise ValueError(f"history has no val_acc values; keys found: {sorted(hist)}")
    rec = {"model": model, "data": data, "best": max(val), "last": val[-1],
           "epochs": len(val), "notes": notes}
    test, seeds = _accuracy("test_acc", test_acc, True), _accuracies("seed_test_accs",
                                                                      seed_test_accs, True)
    if test is not None:
        rec["test"] = test
    if seeds:
        rec["test_seeds"] = seeds
    return _write_record(f"{data}-", "model", rec)


def _write_record(prefix: str, field: str, rec: dict) -> dict:
    """Write ``rec`` as strict JSON to ``<prefix><rec[field]>.json`` (its symbols as ``_``),
    unless that file holds the record of another ``field`` (e.g. '6-27' and '6_27')."""
    key = rec[field]
    path = results_dir(writable=True) / (
        prefix + "".join(c if c.isalnum() else "_" for c in key) + ".json")
    old = _parse_record(path.read_bytes(), field == "listing")[0] if path.is_file() else {}
    if old.get(field, key) != key:
        raise ValueError(f"{field} {key!r} would overwrite {path}, the record of {field} "
                         f"{old[field]!r} (the file name keeps only letters and digits); give "
                         f"another {field}, or move that file away")
    with atomic_file(path, "w", encoding="utf-8") as f:
        json.dump(rec, f, indent=1, allow_nan=False)
    return rec


def _read_records(folder: str | Path | None, comparisons: bool) -> list[dict]:
    """The records in ``folder`` (default: the results folder); a bad file is a ``ValueError``."""
    folder = Path(folder or results_dir())
    if not folder.is_dir():
        return []
    records = []
    for path in sorted(folder.glob("*.json")):
        if path.name.startswith(_COMPARISON_PREFIX) == comparisons:
            rec, problem = _parse_record(path.read_bytes(), comparisons)
            if problem:
                raise ValueError(
                    f"{path}: {problem}; expected a record written by textseq.results. Move or "
                    f"delete it, or re-run the notebook that recorded it, then run `python -m "
                    f"textseq.results` (or `make run`) again")
            records.append(rec)
    return records


# The fields of a record (True: a comparison's), each with the check its writer applied.
_FIELDS: dict[bool, dict[str, Any]] = {
    False: {"model": _model, "data": _data, "best": _accuracy, "last": _accuracy,
            "epochs": lambda n, v: check_int(n, v, minimum=1), "notes": check_str,
            "test": _accuracy, "test_seeds": _accuracies},  # the last two may be absent
    True: {"listing": _listing, "data": _data, "first_edition": check_str, "keras3": check_str,
           "first_edition_accs": _per_seed,
           "keras3_accs": _per_seed, "first_edition_mean": _accuracy, "keras3_mean": _accuracy,
           "gap": lambda n, v: check_number(n, v, minimum=-1, maximum=1),
           "first_edition_seconds": _seconds, "keras3_seconds": _seconds, "notes": check_str},
}


def _parse_record(data: bytes, comparison: bool) -> tuple[dict, str]:
    """``(record, "")``, or ``({}, what is wrong)`` for bytes that hold no valid record."""
    try:
        rec = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        return {}, f"not UTF-8 text (byte {data[exc.start]:#04x} at offset {exc.start})"
    except json.JSONDecodeError as exc:
        return {}, f"not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})"
    except RecursionError:
        return {}, "not readable JSON (nested too deeply)"
    if not isinstance(rec, dict):
        return {}, f"it holds {describe(rec, with_type=True)}, not a record (a JSON object)"
    fields = _FIELDS[comparison]
    missing = [name for name in fields if name not in rec and name not in ("test", "test_seeds")]
    if missing:
        return {}, f"it lacks {', '.join(map(repr, missing))}"
    try:
        for name, check in fields.items():
            if name in rec:
                check(name, rec[name])
    except (TypeError, ValueError) as exc:
        return {}, str(exc)
    means = _means(rec["first_edition_accs"], rec["keras3_accs"]) if comparison else {}
    for name, value in means.items():
        if rec[name] != value:
            return {}, f"{name} is {rec[name]}, but its per-seed accuracies give {value}"
    return rec, ""


def load_records(folder: str | Path | None = None) -> list[dict]:
    """Return every record in the results folder, in the order of `BOOK`."""
    recs = _read_records(folder, comparisons=False)
    order = list(BOOK)
    return sorted(recs, key=lambda r: (order.index(r["model"]), r["data"]))


def find_record(model: str, data: str) -> dict | None:
    """Return the record of ``model`` on ``data`` (e.g. written by an earlier notebook), or None."""
    for rec in load_records():
        if rec["model"] == model and rec["data"] == data:
            return rec
    return None


def results_table(records: list[dict]) -> str:
    """Render the records as a Markdown table with the book's figures beside them."""
    lines = ["| model | book best / last (test) | data | ours best / last | ours test "
             "(seeds: min-max) | epochs | notes |",
             "|---|---|---|---|---|---|---|"]
    for model, book in BOOK.items():
        mine = [r for r in records if r["model"] == model] or [None]
        for r in mine:
            ours = f"{r['best']:.3f} / {r['last']:.3f}" if r else "not run"
            lines.append(f"| {model} | {book['best']} / {book['last']} ({book['test']}) | "
                         f"{r['data'] if r else '-'} | {ours} | {_test_cell(r)} | "
                         f"{r['epochs'] if r else '-'} | {r['notes'] if r else ''} |")
    return "\n".join(lines) + "\n"


def _test_cell(rec: dict | None) -> str:
    if not rec or "test" not in rec:
        return "-"
    seeds = rec.get("test_seeds")
    if not seeds or len(seeds) < 2:
        return f"{rec['test']:.3f}"
    return f"{rec['test']:.3f} ({len(seeds)}: {min(seeds):.3f}-{max(seeds):.3f})"


def write_table(folder: str | Path | None = None) -> Path:
    """Write ``results.md`` (the chapter's table, then any comparisons) and return its path."""
    folder = Path(folder or results_dir(writable=True))
    text = ("# Chapter 6 models: the book's figures and ours (accuracy)\n\n"
            + results_table(load_records(folder)))
    comparisons = load_comparisons(folder)
    if comparisons:
        text += ("\n## First edition against Keras 3 (notebook 6.2.4, test accuracy)\n\n"
                 + comparison_table(comparisons))
    return write_text(folder / "results.md", text)


_COMPARISON_PREFIX = "compare-"


def record_comparison(listing: str, *, data: str, first_edition: str, keras3: str,
                      first_edition_accs: list[float], keras3_accs: list[float],
                      first_edition_seconds: float | None = None,
                      keras3_seconds: float | None = None, notes: str = "") -> dict:
    """Save a first-edition model and its Keras 3 form: per-seed accuracies, means and gap.

    >>> import os
    >>> os.environ["TEXTSEQ_RESULTS_DIR"] = str(tmp)
    >>> rec = record_comparison("6-27", data="embedded", first_edition="LSTM",
    ...                         keras3="Bidirectional LSTM", first_edition_accs=[0.85, 0.9],
    ...                         keras3_accs=[0.9, 0.91])
    >>> rec["gap"]
    0.03
    >>> del os.environ["TEXTSEQ_RESULTS_DIR"]
    """
    _checked_args(data, notes, first_edition=first_edition, keras3=keras3)
    _listing("listing", listing)
    accs = [_accuracies("first_edition_accs", first_edition_accs),
            _accuracies("keras3_accs", keras3_accs)]
    if len(accs[0]) != len(accs[1]) or not accs[1]:
        raise ValueError(f"give one accuracy per seed for both models, in the same seed order; got "
                         f"{len(accs[0])} and {len(accs[1])}")
    rec = {"listing": listing, "data": data, "first_edition": first_edition, "keras3": keras3,
           "first_edition_accs": accs[0], "keras3_accs": accs[1], **_means(*accs),
           "first_edition_seconds": _seconds("first_edition_seconds", first_edition_seconds),
           "keras3_seconds": _seconds("keras3_seconds", keras3_seconds), "notes": notes}
    return _write_record(f"{_COMPARISON_PREFIX}{data}-", "listing", rec)


def _means(first_edition: list[float], keras3: list[float]) -> dict[str, float]:
    """The per-seed accuracies' means and gap, as a comparison record holds them."""
    first_mean, keras3_mean = sum(first_edition) / len(first_edition), sum(keras3) / len(keras3)
    return {"first_edition_mean": round(first_mean, 3), "keras3_mean": round(keras3_mean, 3),
            "gap": round(keras3_mean - first_mean, 3)}


def load_comparisons(folder: str | Path | None = None) -> list[dict]:
    """Return every `record_comparison` record in the results folder, by listing and data."""
    recs = _read_records(folder, comparisons=True)
    return sorted(recs, key=lambda r: (_listing_number(r["listing"]), r["listing"], r["data"]))


def _listing_number(listing: str) -> int:
    """The first listing number in ``listing`` ("6-12/6-13" -> 12), for the book's order."""
    match = re.search(r"6-(\d+)", listing)
    return int(match[1]) if match else 0


def comparison_table(records: list[dict]) -> str:
    """Render `record_comparison` records as a Markdown table: accuracy and time per model.

    >>> table = comparison_table([{"listing": "6-27", "data": "embedded",
    ...     "first_edition": "LSTM", "keras3": "Bidirectional LSTM",
    ...     "first_edition_accs": [0.85, 0.9], "keras3_accs": [0.9, 0.91],
    ...     "first_edition_mean": 0.875, "keras3_mean": 0.905, "gap": 0.03,
    ...     "first_edition_seconds": 1.5, "keras3_seconds": 3.2, "notes": ""}])
    >>> table.splitlines()[-1].split(" | ")[3:9]
    ['0.875 (0.850-0.900)', '1.5', 'Bidirectional LSTM', '0.905 (0.900-0.910)', '3.2', '+0.030']
    """
    lines = ["| listing | data | first edition | test accuracy (seeds) | s/epoch | Keras 3 | "
             "test accuracy (seeds) | s/epoch | gap (means) | notes |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for r in records:
        cells = [r["listing"], r["data"]]
        for side in ("first_edition", "keras3"):
            accs, seconds = r[f"{side}_accs"], r[f"{side}_seconds"]
            cells += [r[side], f"{r[f'{side}_mean']:.3f} ({min(accs):.3f}-{max(accs):.3f})",
                      "-" if seconds is None else f"{seconds:.1f}"]
        cells += [f"{r['gap']:+.3f}", r["notes"]]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # `make run`, after the notebooks: python -m textseq.results
    table = write_table()
    print(table.read_text(encoding="utf-8"))
