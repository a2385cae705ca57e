"""One table of every chapter model: the book's figure next to ours.

Each training notebook calls `record` once per model; ``make run`` ends with `write_table`, which
gathers the records into ``results/results.md`` (``TEXTSEQ_RESULTS_DIR``). Both write through
`textseq.atomic`, so a failed or killed write leaves no partial record behind.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

from textseq.atomic import atomic_file, write_text
from textseq.paths import results_dir

__all__ = ["BOOK", "record", "load_records", "find_record", "results_table", "write_table"]

# What the book's own notebooks printed on the full IMDB (validation accuracy, best / last, and
# test accuracy where the book evaluates on the test split).
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


def record(model: str, history: Mapping[str, list[float]] | object, *, data: str,
           test_acc: float | None = None, seed_test_accs: list[float] | None = None,
           notes: str = "") -> dict:
    """Save one model's validation accuracy (best and last epoch) for the results table.

    Args:
        model: a key of `BOOK` (the listing and model), so the book's figure stands beside ours.
        history: a Keras ``History`` or its ``.history`` dict, with ``val_acc``.
        data: ``"embedded"`` or ``"real"``.
        test_acc: accuracy on the test split, if the notebook evaluated it.
        seed_test_accs: test accuracies of the same model trained with other seeds (the run of
            ``history`` included), to show the run-to-run spread.
        notes: anything worth a column (e.g. "2,400 training reviews, 6 epochs").

    Returns:
        The record written.

    Raises:
        ValueError: when ``model`` is not in `BOOK` or the history has no ``val_acc``.
        NotADirectoryError: when ``TEXTSEQ_RESULTS_DIR`` names a file.
        PermissionError: when the results folder cannot be created or written.
    """
    if model not in BOOK:
        raise ValueError(f"model must be one of {sorted(BOOK)}; got {model!r}")
    hist = getattr(history, "history", history)
    if "val_acc" not in hist or not hist["val_acc"]:
        raise ValueError(f"history has no val_acc values; keys found: {sorted(hist)}")
    val = [float(v) for v in hist["val_acc"]]
    rec = {"model": model, "data": data, "best": round(max(val), 3), "last": round(val[-1], 3),
           "epochs": len(val), "notes": notes}
    if test_acc is not None:
        rec["test"] = round(float(test_acc), 3)
    if seed_test_accs:
        rec["test_seeds"] = [round(float(a), 3) for a in seed_test_accs]
    name = f"{data}-{''.join(c if c.isalnum() else '_' for c in model)}.json"
    with atomic_file(results_dir(writable=True) / name, "w", encoding="utf-8") as f:
        json.dump(rec, f, indent=1)
    return rec


def load_records(folder: Path | None = None) -> list[dict]:
    """Return every record in the results folder, in the order of `BOOK`."""
    folder = folder or results_dir()
    if not folder.is_dir():
        return []
    recs = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))]
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


def write_table(folder: Path | None = None) -> Path:
    """Write ``results.md`` in the results folder and return its path."""
    folder = folder or results_dir(writable=True)
    return write_text(folder / "results.md",
                      "# Chapter 6 models: the book's figures and ours (accuracy)\n\n"
                      + results_table(load_records(folder)))
