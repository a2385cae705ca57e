"""The book's training curves (Listing 6-15) and the one helper that saves figures.

`plot_history` draws training accuracy and loss as blue dots (``'bo'``) and validation accuracy
and loss as a blue line (``'b'``), as Listing 6-15 does, side by side in one figure. It returns the
`matplotlib.figure.Figure`, which Jupyter shows when it is the last expression of a cell; it is
closed in pyplot, so it is never shown twice. `save_figure` writes PNGs under
``figures_dir()/<group>/<name>.png`` (``TEXTSEQ_FIGURES_DIR``, see `textseq.paths`). Every figure
is drawn and saved with the rc settings in `STYLE`, applied here only.

Matplotlib picks a non-interactive backend (Agg) by itself when there is no display, and the
inline backend in notebooks; this module does not change the backend. It does not import Keras.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path, PurePosixPath
from typing import Any

import matplotlib
import matplotlib.pyplot as plt
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from textseq.paths import figures_dir
from textseq.training import accuracy_key, history_dict

__all__ = ["STYLE", "plot_history", "save_figure"]

STYLE: dict[str, Any] = {
    "figure.dpi": 100,
    "savefig.dpi": 120,
    "savefig.bbox": "tight",
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "legend.frameon": False,
}


def plot_history(
    history: Any, *, title: str | None = None, save_as: str | None = None,
    group: str | None = None,
) -> Figure:
    """Plot training and validation accuracy (left) and loss (right), as in Listing 6-15.

    Args:
        history: The `keras.callbacks.History` from ``fit``/`textseq.training.train`, or a dict
            of lists with ``acc``, ``val_acc``, ``loss``, ``val_loss`` (``accuracy`` and
            ``val_accuracy`` are accepted instead of ``acc`` and ``val_acc``).
        title: Optional title above both plots (e.g. ``"6-27 LSTM"``).
        save_as: Save the figure as a PNG under this name (see `save_figure`).
        group: Folder under ``figures_dir()`` for the PNG, usually the notebook's name.

    Returns:
        The figure, with two axes: accuracy, then loss.

    Raises:
        ValueError: If a key is missing (the message lists the keys found) or the lists are
            empty or of different lengths.
        TypeError: If ``history`` is not a History or a dict.
    """
    data = history_dict(history)
    acc_key = accuracy_key(data)
    for key in ("loss", "val_loss"):
        if key not in data:
            raise ValueError(f"history has no {key!r}; keys found: {sorted(data)}")
    keys = [acc_key, "val_" + acc_key, "loss", "val_loss"]
    lengths = {key: len(data[key]) for key in keys}
    if len(set(lengths.values())) != 1 or not data[acc_key]:
        raise ValueError(f"history lists must be non-empty and of equal length, got {lengths}")
    epochs = range(1, lengths[acc_key] + 1)

    with matplotlib.rc_context(STYLE):
        fig, (ax_acc, ax_loss) = plt.subplots(1, 2, figsize=(10, 4), layout="constrained")
        for ax, key, what in ((ax_acc, acc_key, "accuracy"), (ax_loss, "loss", "loss")):
            short = "acc" if what == "accuracy" else what
            ax.plot(epochs, data[key], "bo", label=f"Training {short}")
            ax.plot(epochs, data["val_" + key], "b", label=f"Validation {short}")
            ax.set_title(f"Training and validation {what}")
            ax.set_xlabel("Epochs")
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
            ax.set_ylabel(what.capitalize())
            ax.legend()
        if title:
            fig.suptitle(title)
        if save_as is not None:
            save_figure(fig, save_as, group=group)
    plt.close(fig)  # Jupyter shows the returned figure; pyplot must not show it a second time
    return fig


def save_figure(fig: Figure, name: str, *, group: str | None = None) -> Path:
    """Save ``fig`` as ``figures_dir()/<group>/<name>.png`` and return the path.

    The PNG is written to a temporary file in the same folder and then renamed, so an
    interrupted save never leaves half a file.

    Args:
        fig: The figure.
        name: File name without folder escapes, e.g. ``"lstm_history"``; it may contain
            sub-folders (``"rnn/lstm_history"``); ``.png`` is added if missing.
        group: Optional folder, usually the notebook's name (``"02_recurrent_networks"``).

    Returns:
        The path of the PNG.

    Raises:
        ValueError: If ``name`` or ``group`` is empty, absolute or contains ``..``.
    """
    parts = []
    for label, value in (("group", group), ("name", name)):
        if value is None and label == "group":
            continue
        path = PurePosixPath(str(value).replace("\\", "/"))
        if not str(value).strip() or path.is_absolute() or ".." in path.parts:
            raise ValueError(
                f"{label} must be a relative name inside figures_dir() without '..', got {value!r}"
            )
        parts.extend(path.parts)
    target = figures_dir().joinpath(*parts)
    if target.suffix.lower() != ".png":
        target = target.with_name(target.name + ".png")
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=".png.tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle, matplotlib.rc_context(STYLE):
            fig.savefig(handle, format="png")
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
