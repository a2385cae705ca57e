"""The book's training curves (Listings 6-15, 6-24) and the see-inside figures, shown and saved.

Training as dots, validation as a line, as in Listing 6-15. Figures are shown as PNG in Jupyter
(nothing elsewhere) and saved under ``figures_dir()``; `STYLE` applies here only.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Mapping
from pathlib import Path, PurePosixPath
from typing import Any

import matplotlib
import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from textseq._checks import check_str, describe
from textseq._files import figures_dir, write_bytes
from textseq.notebook.report import in_jupyter_kernel
from textseq.notebook.training import accuracy_key, history_dict

__all__ = [
    "STYLE", "plot_history", "plot_histories", "plot_seeds", "seeds_figure", "history_figure",
    "plot_words", "plot_lines", "lines_figure", "plot_gates", "save_figure", "show_figure",
    "figure_png",
]

_SEED_STYLES = ["-", "--", ":", "-."]  # one line style per seed (plot_seeds)
_SEED_MARKERS = ["o", "s", "^", "D"]

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
) -> None:
    """Show (in Jupyter) and save (``save_as``) accuracy and loss curves, as in Listing 6-15."""
    fig = history_figure(history, title=title)
    if save_as is not None:
        _save_figure(fig, save_as, group, "save_as")
    show_figure(fig)


def history_figure(history: Any, *, title: str | None = None) -> Figure:
    """Build the figure `plot_history` shows, without showing or saving it.

    >>> fig = history_figure({"acc": [0.6, 0.8], "val_acc": [0.7, 0.75],
    ...                       "loss": [0.6, 0.4], "val_loss": [0.55, 0.5]})
    >>> [ax.get_title() for ax in fig.axes]
    ['Training and validation accuracy', 'Training and validation loss']
    """
    return _runs_figure([(None, history)], title=title)


def plot_histories(
    histories: Mapping[str, Any], *, title: str | None = None, save_as: str | None = None,
    group: str | None = None,
) -> None:
    """Show several runs' curves in `plot_history`'s panels, one color per run.

    >>> plot_histories({"seed 1": {"acc": [0.6], "val_acc": [0.7], "loss": [0.6],
    ...                            "val_loss": [0.5]}})  # shows nothing outside a kernel
    """
    if not isinstance(histories, Mapping):
        raise TypeError(f"histories must be a mapping of label -> history, got "
                        f"{type(histories).__name__}")
    if not histories:
        raise ValueError("histories is empty: give at least one label -> history")
    fig = _runs_figure(list(histories.items()), title=title)
    if save_as is not None:
        _save_figure(fig, save_as, group, "save_as")
    show_figure(fig)


def _runs_figure(runs: list[tuple[str | None, Any]], *, title: str | None) -> Figure:
    """The two panels for one run (blue, the book's look) or several (one color each)."""
    checked = []
    for label, history in runs:
        data = history_dict(history)
        acc_key = accuracy_key(data)
        for key in ("loss", "val_loss"):
            if key not in data:
                raise ValueError(f"history has no {key!r}; keys found: {sorted(data)}")
        keys = [acc_key, "val_" + acc_key, "loss", "val_loss"]
        lengths = {key: len(data[key]) for key in keys}
        if len(set(lengths.values())) != 1 or not data[acc_key]:
            raise ValueError(f"history lists must be non-empty and of equal length, got "
                             f"{lengths}")
        checked.append((label, data, acc_key))
    with matplotlib.rc_context(STYLE):
        fig = Figure(figsize=(10, 4), layout="constrained")
        ax_acc, ax_loss = fig.subplots(1, 2)
        colors = ["b"] if len(checked) == 1 else [f"C{i}" for i in range(len(checked))]
        for (label, data, acc_key), color in zip(checked, colors, strict=False):
            epochs = range(1, len(data[acc_key]) + 1)
            for ax, key, short in ((ax_acc, acc_key, "acc"), (ax_loss, "loss", "loss")):
                prefix = f"{label}: " if label else ""
                ax.plot(epochs, data[key], "o", color=color, label=f"{prefix}Training {short}")
                ax.plot(epochs, data["val_" + key], "-", color=color,
                        label=f"{prefix}Validation {short}")
        for ax, what in ((ax_acc, "accuracy"), (ax_loss, "loss")):
            ax.set_title(f"Training and validation {what}")
            ax.set_xlabel("Epochs")
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
            ax.set_ylabel(what.capitalize())
            ax.legend(fontsize=8 if len(checked) > 1 else None)
        if title:
            fig.suptitle(title)
    return fig


def plot_seeds(
    runs: Mapping[str, Mapping[int, Any]], test_accs: Mapping[str, Mapping[int, float]], *,
    title: str | None = None, save_as: str | None = None, group: str | None = None,
) -> None:
    """Show models trained with several seeds: validation curves, and test accuracy per seed.

    ``runs``: model -> {seed: history} (4 seeds at most); ``test_accs``: model -> {seed: accuracy}.

    >>> h = {"acc": [0.6, 0.7], "val_acc": [0.6, 0.8],
    ...      "loss": [0.6, 0.5], "val_loss": [0.6, 0.4]}
    >>> plot_seeds({"LSTM": {1: h, 2: h}}, {"LSTM": {1: 0.8, 2: 0.79}})  # shown in a kernel
    """
    fig = seeds_figure(runs, test_accs, title=title)
    if save_as is not None:
        _save_figure(fig, save_as, group, "save_as")
    show_figure(fig)


def seeds_figure(
    runs: Mapping[str, Mapping[int, Any]], test_accs: Mapping[str, Mapping[int, float]], *,
    title: str | None = None,
) -> Figure:
    """Build the figure `plot_seeds` shows, without showing or saving it.

    >>> h = {"acc": [0.6, 0.7], "val_acc": [0.6, 0.8],
    ...      "loss": [0.6, 0.5], "val_loss": [0.6, 0.4]}
    >>> fig = seeds_figure({"A": {1: h}, "B": {1: h}}, {"A": {1: 0.8}, "B": {1: 0.7}})
    >>> [ax.get_title() for ax in fig.axes]
    ['Validation accuracy', 'Validation loss', 'Test accuracy per seed']
    """
    for label, value in (("runs", runs), ("test_accs", test_accs)):
        if not isinstance(value, Mapping) or not all(isinstance(v, Mapping)
                                                     for v in value.values()):
            raise TypeError(f"{label} must map model name -> {{seed: value}}, got "
                            f"{type(value).__name__}")
    if not runs:
        raise ValueError("runs is empty: give at least one model -> {seed: history}")
    if sorted(runs) != sorted(test_accs):
        raise ValueError(f"test_accs must name the same models as runs: {sorted(runs)}, got "
                         f"{sorted(test_accs)}")
    seeds = sorted({seed for per_seed in runs.values() for seed in per_seed}
                   | {seed for per_seed in test_accs.values() for seed in per_seed})
    if len(seeds) > len(_SEED_STYLES):
        raise ValueError(f"at most {len(_SEED_STYLES)} seeds can be told apart, got {seeds}")
    with matplotlib.rc_context(STYLE):
        fig = Figure(figsize=(13, 4), layout="constrained")
        ax_acc, ax_loss, ax_test = fig.subplots(1, 3, width_ratios=[3, 3, 2])
        for m, (model, per_seed) in enumerate(runs.items()):
            color = f"C{m}"
            for seed, history in per_seed.items():
                data = history_dict(history)
                acc_key = accuracy_key(data)
                style = _SEED_STYLES[seeds.index(seed)]
                epochs = range(1, len(data["val_" + acc_key]) + 1)
                ax_acc.plot(epochs, data["val_" + acc_key], style, color=color,
                            label=f"{model}, seed {seed}")
                ax_loss.plot(epochs, data["val_loss"], style, color=color)
            for seed, acc in test_accs[model].items():
                ax_test.plot([m], [acc], _SEED_MARKERS[seeds.index(seed)], color=color,
                             markersize=8, alpha=0.8)
        for ax, what in ((ax_acc, "accuracy"), (ax_loss, "loss")):
            ax.set_title(f"Validation {what}")
            ax.set_xlabel("Epochs")
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
            ax.set_ylabel(what.capitalize())
        ax_test.set_title("Test accuracy per seed")
        ax_test.set_xticks(range(len(runs)), list(runs), rotation=15)
        ax_test.set_xlim(-0.5, len(runs) - 0.5)
        ax_test.set_ylabel("Test accuracy")
        for seed in seeds:  # the markers' legend: one entry per seed, in grey
            ax_test.plot([], [], _SEED_MARKERS[seeds.index(seed)], color="0.4",
                         label=f"seed {seed}")
        fig.legend(*ax_acc.get_legend_handles_labels(), loc="outside right upper", fontsize=8)
        ax_test.legend(fontsize=8, loc="best")
        if title:
            fig.suptitle(title)
    return fig


def plot_words(points: Mapping[str, Any], words: Any, groups: Any, *,
               xlabel: str = "component 1", ylabel: str = "component 2",
               title: str | None = None, save_as: str | None = None,
               group: str | None = None) -> None:
    """Show and save 2-D maps of words side by side, each word written and coloured by its group.

    ``points``: panel title -> one ``(x, y)`` per word (a PCA of each space); ``groups``: each
    word's group (``"positive"``), one colour per group in order of first appearance.

    >>> plot_words({"GloVe": [[0, 1], [1, 0]]}, ["good", "bad"], ["positive", "negative"])
    """
    if not isinstance(points, Mapping) or not points:
        raise TypeError(f"points must map a panel title to one (x, y) per word, got "
                        f"{describe(points, True)}")
    words, groups = list(words), list(groups)
    if len(groups) != len(words):
        raise ValueError(f"groups must hold one group per word ({len(words)}), got {len(groups)}")
    names = list(dict.fromkeys(groups))
    with matplotlib.rc_context(STYLE):
        fig = Figure(figsize=(5.5 * len(points), 5), layout="constrained")
        axes = fig.subplots(1, len(points), squeeze=False)[0]
        for ax, (panel, values) in zip(axes, points.items(), strict=True):
            xy = np.asarray(values, dtype=float)
            if xy.shape != (len(words), 2):
                raise ValueError(f"points[{panel!r}] must hold one (x, y) per word "
                                 f"({len(words)}, 2), got shape {xy.shape}")
            for i, name in enumerate(names):
                rows = [k for k, g in enumerate(groups) if g == name]
                ax.scatter(xy[rows, 0], xy[rows, 1], s=14, color=f"C{i}", label=name)
                for k in rows:
                    ax.annotate(words[k], xy[k], xytext=(3, 2), textcoords="offset points",
                                fontsize=7, color=f"C{i}")
            ax.set(title=panel, xlabel=xlabel, ylabel=ylabel)
            ax.legend(fontsize=8, loc="best")
        if title:
            fig.suptitle(title)
    if save_as is not None:
        _save_figure(fig, save_as, group, "save_as")
    show_figure(fig)


def plot_lines(x: Any, lines: Mapping[str, Any], *, xlabel: str, ylabel: str,
               title: str | None = None, logy: bool = False, styles: Mapping[str, str] = {},
               save_as: str | None = None, group: str | None = None) -> None:
    """Show and save named lines over one x axis (the "see inside" figures of the notebooks).

    Args:
        x: the x values (numbers, or labels such as ``["start", "middle", "end"]``).
        lines: name -> y values; a 2-D value (one row per seed) draws its mean and, shaded, the
            range of the rows.
        styles: name -> matplotlib format (``"C0--"``); the others get the next colour.
        logy: a logarithmic y axis.
    """
    fig = lines_figure(x, lines, xlabel=xlabel, ylabel=ylabel, title=title, logy=logy,
                       styles=styles)
    if save_as is not None:
        _save_figure(fig, save_as, group, "save_as")
    show_figure(fig)


def lines_figure(x: Any, lines: Mapping[str, Any], *, xlabel: str, ylabel: str,
                 title: str | None = None, logy: bool = False,
                 styles: Mapping[str, str] = {}) -> Figure:
    """Build the figure `plot_lines` shows.

    >>> fig = lines_figure([1, 2, 3], {"A": [1, 2, 3], "B": [[1, 1, 1], [2, 3, 4]]},
    ...                    xlabel="x", ylabel="y", styles={"B": "C3--"})
    >>> [line.get_label() for line in fig.axes[0].get_lines()]
    ['A', 'B']
    """
    if not isinstance(lines, Mapping) or not lines:
        raise TypeError(f"lines must map a name to y values, got {describe(lines, True)}")
    with matplotlib.rc_context(STYLE):
        fig = Figure(figsize=(7, 4), layout="constrained")
        ax = fig.subplots()
        for i, (name, values) in enumerate(lines.items()):
            y = np.asarray(values, dtype=float)
            if y.shape[-1:] != (len(x),) or y.ndim > 2:
                raise ValueError(f"lines[{name!r}] must hold {len(x)} values (or one row of "
                                 f"{len(x)} per seed), got shape {y.shape}")
            (line,) = ax.plot(x, y.mean(axis=0) if y.ndim == 2 else y,
                              styles.get(name, f"C{i}-"), marker="o", markersize=3, label=name)
            if y.ndim == 2 and len(y) > 1:
                ax.fill_between(x, y.min(axis=0), y.max(axis=0), color=line.get_color(),
                                alpha=0.15)
        ax.set(xlabel=xlabel, ylabel=ylabel, title=title or "")
        if logy:
            ax.set_yscale("log")
        ax.legend(fontsize=8, loc="best")
    return fig


def plot_gates(words: Any, panels: Mapping[str, Any], *, marks: Mapping[str, Any] = {},
               ylims: Mapping[str, tuple[float, float]] = {}, title: str | None = None,
               save_as: str | None = None, group: str | None = None) -> None:
    """Show and save one value per word of a review: panels stacked over the words (6.2.2's gates).

    ``panels``: title -> one value per word; ``marks``: name -> positions of words to shade;
    ``ylims``: title -> the panel's y range (``(0, 1)`` for a gate).

    >>> plot_gates(["not", "bad"], {"forget gate": [0.4, 0.6]}, marks={"opinion": [1]})
    """
    if not isinstance(panels, Mapping) or not panels:
        raise TypeError(f"panels must map a title to one value per word, got "
                        f"{describe(panels, True)}")
    with matplotlib.rc_context(STYLE):
        fig = Figure(figsize=(max(7.0, 0.2 * len(words)), 1.3 * len(panels) + 1.2),
                     layout="constrained")
        axes = fig.subplots(len(panels), 1, sharex=True, squeeze=False)[:, 0]
        for i, (ax, (name, values)) in enumerate(zip(axes, panels.items(), strict=True)):
            y = np.asarray(values, dtype=float)
            if y.shape != (len(words),):
                raise ValueError(f"panels[{name!r}] must hold one value per word ({len(words)}), "
                                 f"got shape {y.shape}")
            ax.plot(range(len(words)), y, f"C{i}-", marker="o", markersize=3)
            ax.set_title(name, loc="left", fontsize=9)
            if name in ylims:
                ax.set_ylim(*ylims[name])
            for m, (mark, positions) in enumerate(marks.items()):
                for n, k in enumerate(positions):
                    ax.axvspan(k - 0.5, k + 0.5, color=f"C{m + 6}", alpha=0.2, lw=0,
                               label=mark if n == 0 and i == 0 else None)
        axes[-1].set_xticks(range(len(words)), list(words), rotation=90, fontsize=8)
        if marks:
            fig.legend(loc="outside upper right", fontsize=8, ncols=len(marks))
        if title:
            fig.suptitle(title)
    if save_as is not None:
        _save_figure(fig, save_as, group, "save_as")
    show_figure(fig)


def figure_png(fig: Figure) -> bytes:
    """The PNG bytes of ``fig``, drawn with `STYLE` (the same bytes `save_figure` writes)."""
    buffer = io.BytesIO()
    with matplotlib.rc_context(STYLE):
        fig.savefig(buffer, format="png")
    return buffer.getvalue()


def show_figure(fig: Figure) -> bool:
    """Show ``fig`` as an ``image/png`` output of the current Jupyter cell, whatever the backend."""
    if not in_jupyter_kernel():
        return False
    from IPython.display import display

    png = base64.b64encode(figure_png(fig)).decode("ascii")
    display({"image/png": png, "text/plain": repr(fig)}, raw=True)
    return True


def save_figure(fig: Figure, name: str, *, group: str | None = None) -> Path:
    """Save ``fig`` as ``figures_dir()/<group>/<name>.png`` and return the path.

    Written atomically; ``name`` may hold sub-folders, ``.png`` is added if missing; ``name`` and
    ``group`` must be relative, non-empty, without ``..``.
    """
    return _save_figure(fig, name, group, "name")


def _save_figure(fig: Figure, name: str, group: str | None, name_label: str) -> Path:
    """`save_figure`, its messages calling ``name`` ``name_label`` (the plots': ``save_as``)."""
    folders, file_name = [], ""
    for label, value in (("group", group), (name_label, name)):
        if check_str(label, value, what="a relative name inside figures_dir()",
                     optional=label == "group") is None:
            continue
        path = PurePosixPath(value.replace("\\", "/"))
        if (not value.strip() or not path.parts or path.is_absolute() or ".." in path.parts
                or "\0" in value or any(len(p.encode("utf-8", "surrogatepass")) > 200
                                        for p in path.parts)):
            raise ValueError(f"{label} must be a relative name inside figures_dir() without '..' "
                             f"or a NUL character, each part 200 bytes at most, got "
                             f"{describe(value)}")
        *inner, last = path.parts
        folders += [(label, value, part) for part in (path.parts if label == "group" else inner)]
        file_name = last
    folder = figures_dir(writable=True)
    for label, value, part in folders:
        folder = folder / part
        if folder.exists() and not folder.is_dir():
            raise NotADirectoryError(
                f"{folder} is a file, but {label}={value!r} needs a folder there to save the "
                f"figure in; expected a folder (remove or rename the file, or choose another "
                f"{label})")
    target = folder / (file_name if file_name.lower().endswith(".png") else file_name + ".png")
    if target.is_dir():
        raise IsADirectoryError(f"{target} is a folder; expected a PNG file there for "
                                f"{name_label}={name!r} (remove the folder or choose another "
                                f"{name_label})")
    return write_bytes(target, figure_png(fig))
