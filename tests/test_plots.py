"""Listing 6-15's curves: the data drawn, dots vs line, shown inline, the saved PNG, bad input."""

from __future__ import annotations

import base64
import re
import types

import matplotlib

matplotlib.use("Agg")  # before pyplot is imported by textseq.plots

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from textseq import plots  # noqa: E402
from textseq._checks import describe  # noqa: E402
from textseq.plots import STYLE, history_figure, plot_history, save_figure  # noqa: E402

HISTORY = {
    "loss": [0.69, 0.52, 0.41, 0.33],
    "acc": [0.55, 0.74, 0.82, 0.87],
    "val_loss": [0.60, 0.48, 0.47, 0.51],
    "val_acc": [0.66, 0.78, 0.80, 0.79],
}


@pytest.fixture(autouse=True)
def figures_in_tmp(tmp_path, monkeypatch):
    monkeypatch.setenv("TEXTSEQ_FIGURES_DIR", str(tmp_path / "figures"))
    return tmp_path / "figures"


def test_axes_hold_the_history_as_dots_and_lines():
    fig = history_figure(HISTORY)
    ax_acc, ax_loss = fig.axes
    for ax, key, what in ((ax_acc, "acc", "accuracy"), (ax_loss, "loss", "loss")):
        train_line, val_line = ax.lines
        np.testing.assert_array_equal(train_line.get_xdata(), [1, 2, 3, 4])
        np.testing.assert_array_equal(train_line.get_ydata(), HISTORY[key])
        np.testing.assert_array_equal(val_line.get_ydata(), HISTORY["val_" + key])
        # 'bo': blue dots and no line; 'b': a blue solid line and no markers
        assert (train_line.get_marker(), train_line.get_linestyle()) == ("o", "None")
        assert (val_line.get_marker(), val_line.get_linestyle()) == ("None", "-")
        blue = matplotlib.colors.to_rgba("b")
        assert matplotlib.colors.to_rgba(train_line.get_color()) == blue
        assert matplotlib.colors.to_rgba(val_line.get_color()) == blue
        assert ax.get_title() == f"Training and validation {what}"
        assert [t.get_text() for t in ax.get_legend().get_texts()] == [
            f"Training {key}", f"Validation {key}"]
    assert plt.get_fignums() == []  # not in pyplot: the inline backend never shows it again


def test_saves_png_under_group(figures_in_tmp):
    assert plot_history(HISTORY, title="6-27 LSTM", save_as="lstm_history", group="02_rnn") is None
    assert history_figure(HISTORY, title="6-27 LSTM")._suptitle.get_text() == "6-27 LSTM"
    png = figures_in_tmp / "02_rnn" / "lstm_history.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    image = plt.imread(png)
    assert image.shape[1] > image.shape[0] > 200  # two plots side by side
    assert sorted(p.name for p in png.parent.iterdir()) == ["lstm_history.png"]  # no temp file


def test_accepts_a_history_object_and_accuracy_keys():
    renamed = {("accuracy" if k == "acc" else "val_accuracy" if k == "val_acc" else k): v
               for k, v in HISTORY.items()}
    fig = history_figure(types.SimpleNamespace(history=renamed))
    np.testing.assert_array_equal(fig.axes[0].lines[1].get_ydata(), HISTORY["val_acc"])


def test_accepts_a_keras_history():
    import keras  # plainly: a broken Keras must fail this test, not skip it

    history = keras.callbacks.History()
    history.history = dict(HISTORY)
    fig = history_figure(history)
    np.testing.assert_array_equal(fig.axes[1].lines[0].get_ydata(), HISTORY["loss"])


def test_save_figure_paths(figures_in_tmp):
    fig = history_figure(HISTORY)
    assert save_figure(fig, "sub/curves.png") == figures_in_tmp / "sub" / "curves.png"
    assert save_figure(fig, "curves") == figures_in_tmp / "curves.png"
    assert (figures_in_tmp / "curves.png").stat().st_size > 0


@pytest.mark.parametrize("name,group", [("../escape", None), ("", None), ("/abs/x", None),
                                        ("ok", "../up"), (".", None), ("ok", "./"),
                                        ("x\0", None), ("ok", "g\0/h"), ("x" * 300, None),
                                        ("ok", "g/" + "é" * 101)])
def test_save_figure_rejects_paths_outside_figures_dir(name, group, figures_in_tmp):
    """Issue 19, defect 18: a NUL byte gave a bare "embedded null byte"; the re-run's finding
    13: a long name gave a raw "File name too long"."""
    label, value = ("group", group) if group else ("name", name)
    with pytest.raises(ValueError, match="^" + re.escape(
            f"{label} must be a relative name inside figures_dir() without '..' or a NUL "
            f"character, each part 200 bytes at most, got {describe(value)}")):
        save_figure(history_figure(HISTORY), name, group=group)
    assert not figures_in_tmp.exists()


PLOTS = {
    "plot_history": lambda save_as: plot_history(HISTORY, save_as=save_as),
    "plot_histories": lambda save_as: plots.plot_histories({"a": HISTORY}, save_as=save_as),
    "plot_seeds": lambda save_as: plots.plot_seeds({"A": {1: HISTORY}}, {"A": {1: 0.8}},
                                                   save_as=save_as),
    "plot_lines": lambda save_as: plots.plot_lines([1, 2], {"A": [1, 2]}, xlabel="x",
                                                   ylabel="y", save_as=save_as),
    "plot_words": lambda save_as: plots.plot_words({"a": [[0, 1]]}, ["w"], ["p"],
                                                   save_as=save_as),
    "plot_gates": lambda save_as: plots.plot_gates(["a", "b"], {"gate": [0.1, 0.2]},
                                                   save_as=save_as),
}


@pytest.mark.parametrize("plot", PLOTS.values(), ids=PLOTS)
@pytest.mark.parametrize("save_as, error", [("x\0", ValueError), ("", ValueError),
                                            ("../x", ValueError), ("x" * 300, ValueError),
                                            (5, TypeError), (b"x", TypeError)])
def test_the_plots_name_save_as(plot, save_as, error, figures_in_tmp):
    """Issue 19 re-run, finding 14: the message named save_figure's argument, `name`."""
    with pytest.raises(error, match=r"^save_as must be a relative name inside figures_dir\(\)"):
        plot(save_as)
    assert not figures_in_tmp.exists()


@pytest.mark.parametrize("name,group,blocker,label", [
    ("curves", "02_rnn", "02_rnn", "group='02_rnn'"),
    ("curves", "notebooks/02_rnn", "notebooks", "group='notebooks/02_rnn'"),
    ("rnn/curves", "02_rnn", "02_rnn/rnn", "save_as='rnn/curves'"),  # as plot_history calls it
])
def test_a_folder_that_is_a_file_is_named(name, group, blocker, label, figures_in_tmp):
    """Issue 11, fault 15: a plot group that is a file gave a raw FileExistsError."""
    (figures_in_tmp / blocker).parent.mkdir(parents=True, exist_ok=True)
    (figures_in_tmp / blocker).write_text("not a folder")
    with pytest.raises(NotADirectoryError) as caught:
        plot_history(HISTORY, save_as=name, group=group)
    assert str(caught.value) == (
        f"{figures_in_tmp / blocker} is a file, but {label} needs a folder there to save the "
        f"figure in; expected a folder (remove or rename the file, or choose another "
        f"{label.split('=')[0]})")
    assert (figures_in_tmp / blocker).read_text() == "not a folder"


def test_a_png_name_that_is_a_folder_and_a_figures_dir_that_is_a_file(figures_in_tmp,
                                                                       monkeypatch):
    (figures_in_tmp / "g" / "curves.png").mkdir(parents=True)
    with pytest.raises(IsADirectoryError, match=r"curves.png is a folder; expected a PNG file "
                                                r"there for name='curves'"):
        save_figure(history_figure(HISTORY), "curves", group="g")
    monkeypatch.setenv("TEXTSEQ_FIGURES_DIR", str(figures_in_tmp / "g" / "file"))
    (figures_in_tmp / "g" / "file").write_text("")
    with pytest.raises(NotADirectoryError, match=r"TEXTSEQ_FIGURES_DIR=.*: is a file; expected "
                                                 r"a folder"):
        save_figure(history_figure(HISTORY), "curves")


@pytest.mark.parametrize("name,group,given", [(None, None, "None (NoneType)"),
                                              ("ok", 3, "3 (int)")])
def test_names_must_be_strings(name, group, given, figures_in_tmp):
    label = "name" if name is None else "group"
    with pytest.raises(TypeError, match=re.escape(
            f"{label} must be a relative name inside figures_dir(){' or None' * (label == 'group')}"
            f", got {given}")):
        save_figure(history_figure(HISTORY), name, group=group)
    assert not figures_in_tmp.exists()


@pytest.mark.parametrize(
    "history,error,message",
    [
        ({k: v for k, v in HISTORY.items() if k != "val_acc"}, ValueError,
         r"needs 'acc' and 'val_acc'.*keys found: \['acc', 'loss', 'val_loss'\]"),
        ({k: v for k, v in HISTORY.items() if k not in ("acc", "val_acc")}, ValueError,
         r"keys found: \['loss', 'val_loss'\]"),
        ({k: v for k, v in HISTORY.items() if k != "val_loss"}, ValueError,
         r"history has no 'val_loss'; keys found: \['acc', 'loss', 'val_acc'\]"),
        ({**HISTORY, "val_loss": [0.5]}, ValueError, r"equal length.*'val_loss': 1"),
        ({"acc": [], "val_acc": [], "loss": [], "val_loss": []}, ValueError, r"non-empty"),
        ("history", TypeError, r"got str"),
    ],
)
def test_bad_history(history, error, message, figures_in_tmp):
    with pytest.raises(error, match=message):
        plot_history(history, save_as="never")
    assert not figures_in_tmp.exists()


def test_style_is_applied_to_drawn_and_saved_figures():
    fig = history_figure(HISTORY)
    assert STYLE["axes.spines.top"] is False
    assert not fig.axes[0].spines["top"].get_visible()  # from STYLE, not matplotlib's default
    assert matplotlib.rcParams["axes.spines.top"]  # global rc left untouched


class FakeShell:
    """Stands for IPython's kernel shell: `get_ipython()` returns it, with a `kernel`."""

    kernel = object()


def test_plot_history_shows_the_saved_png_in_a_kernel(monkeypatch, figures_in_tmp):
    shown = []
    monkeypatch.setattr("IPython.get_ipython", lambda: FakeShell())
    monkeypatch.setattr("IPython.display.display",
                        lambda obj, raw=False: shown.append((obj, raw)))
    assert plot_history(HISTORY, save_as="curves", group="nb") is None
    [(bundle, raw)] = shown
    assert raw is True
    assert bundle["text/plain"] == "<Figure size 1000x400 with 2 Axes>"
    png = base64.b64decode(bundle["image/png"])
    assert png == (figures_in_tmp / "nb" / "curves.png").read_bytes()  # the same picture


def test_shown_without_saving_and_whatever_the_backend(monkeypatch, figures_in_tmp):
    shown = []
    monkeypatch.setattr("IPython.get_ipython", lambda: FakeShell())
    monkeypatch.setattr("IPython.display.display", lambda obj, raw=False: shown.append(obj))
    assert matplotlib.get_backend().lower() == "agg"  # a backend that shows nothing by itself
    plot_history(HISTORY)
    assert len(shown) == 1 and shown[0]["image/png"]
    assert not figures_in_tmp.exists()


@pytest.mark.parametrize("shell", [None, types.SimpleNamespace()])  # no IPython; a terminal
def test_nothing_shown_outside_a_kernel(monkeypatch, shell):
    shown = []
    monkeypatch.setattr("IPython.get_ipython", lambda: shell)
    monkeypatch.setattr("IPython.display.display", lambda obj, raw=False: shown.append(obj))
    assert plots.show_figure(history_figure(HISTORY)) is False
    plot_history(HISTORY)
    assert shown == []


def test_figure_png_is_a_png():
    png = plots.figure_png(history_figure(HISTORY))
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


def test_plot_histories_draws_one_color_per_run_and_saves(tmp_path, monkeypatch):
    from textseq.plots import _runs_figure, plot_histories

    monkeypatch.setenv("TEXTSEQ_FIGURES_DIR", str(tmp_path))
    runs = {f"seed {s}": {"acc": [0.5, 0.6 + s / 100], "val_acc": [0.55, 0.6],
                          "loss": [0.7, 0.5], "val_loss": [0.69, 0.6]} for s in (1, 2, 3)}
    fig = _runs_figure(list(runs.items()), title="seeds")
    acc_ax = fig.axes[0]
    colors = {line.get_color() for line in acc_ax.get_lines()}
    assert len(acc_ax.get_lines()) == 6 and len(colors) == 3  # dots + line per run
    assert acc_ax.get_legend_handles_labels()[1][:2] == ["seed 1: Training acc",
                                                         "seed 1: Validation acc"]
    plot_histories(runs, save_as="seeds", group="nb")
    assert (tmp_path / "nb" / "seeds.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with pytest.raises(ValueError, match="histories is empty"):
        plot_histories({})
    with pytest.raises(TypeError, match="histories must be a mapping"):
        plot_histories([runs["seed 1"]])
    with pytest.raises(ValueError, match="history has no 'val_loss'"):
        plot_histories({"bad": {"acc": [1], "val_acc": [1], "loss": [1]}})


# --- plot_seeds: several models, several seeds ------------------------------------------------


def seed_runs():
    other = {k: [v - 0.05 for v in values] for k, values in HISTORY.items()}
    return ({"LSTM": {42: HISTORY, 43: other}, "SimpleRNN": {42: other, 43: HISTORY}},
            {"LSTM": {42: 0.95, 43: 0.94}, "SimpleRNN": {42: 0.90, 43: 0.71}})


def test_seeds_figure_gives_a_colour_per_model_and_a_line_style_per_seed():
    runs, accs = seed_runs()
    fig = plots.seeds_figure(runs, accs, title="two models")
    ax_acc, ax_loss, ax_test = fig.axes
    lines = {line.get_label(): line for line in ax_acc.get_lines()}
    assert sorted(lines) == ["LSTM, seed 42", "LSTM, seed 43", "SimpleRNN, seed 42",
                             "SimpleRNN, seed 43"]
    assert lines["LSTM, seed 42"].get_color() == lines["LSTM, seed 43"].get_color()
    assert lines["LSTM, seed 42"].get_color() != lines["SimpleRNN, seed 42"].get_color()
    assert lines["LSTM, seed 42"].get_linestyle() == lines["SimpleRNN, seed 42"].get_linestyle()
    assert lines["LSTM, seed 42"].get_linestyle() != lines["LSTM, seed 43"].get_linestyle()
    assert list(lines["SimpleRNN, seed 43"].get_ydata()) == HISTORY["val_acc"]
    dots = [(list(line.get_xdata()), list(line.get_ydata())) for line in ax_test.get_lines()
            if len(line.get_xdata())]
    assert dots == [([0], [0.95]), ([0], [0.94]), ([1], [0.90]), ([1], [0.71])]
    assert [t.get_text() for t in ax_test.get_xticklabels()] == ["LSTM", "SimpleRNN"]
    assert len(fig.legends) == 1  # the curves' legend, outside the axes
    assert fig.legends[0].get_bbox_to_anchor().bounds != ax_acc.bbox.bounds


@pytest.mark.parametrize(("runs", "accs", "error", "message"), [
    ({}, {}, ValueError, "runs is empty"),
    ({"A": {1: HISTORY}}, {"B": {1: 0.5}}, ValueError, "test_accs must name the same models"),
    ({"A": {s: HISTORY for s in range(5)}}, {"A": {1: 0.5}}, ValueError, "at most 4 seeds"),
    ({"A": [HISTORY]}, {"A": {1: 0.5}}, TypeError, "runs must map model name -> {seed: value}"),
])
def test_seeds_figure_refuses_bad_input(runs, accs, error, message):
    with pytest.raises(error, match=re.escape(message)):
        plots.seeds_figure(runs, accs)


def test_lines_figure_draws_means_bands_and_styles(figures_in_tmp):
    from textseq.plots import lines_figure, plot_lines

    fig = lines_figure(["start", "end"], {"A": [0.5, 0.9], "B": [[0.6, 0.7], [0.8, 0.9]]},
                       xlabel="place", ylabel="accuracy", logy=True, styles={"A": "C5:"})
    ax = fig.axes[0]
    a, b = ax.get_lines()
    assert a.get_linestyle() == ":" and matplotlib.colors.same_color(a.get_color(), "C5")
    assert list(b.get_ydata()) == [0.7, 0.8]  # the mean of the seeds
    assert len(ax.collections) == 1 and ax.get_yscale() == "log"  # B's band
    plot_lines([1, 2], {"A": [1, 2]}, xlabel="x", ylabel="y", save_as="lines", group="g")
    assert (figures_in_tmp / "g" / "lines.png").is_file()


@pytest.mark.parametrize("lines, message", [
    ({"A": [1, 2, 3]}, r"lines\['A'\] must hold 2 values .* got shape \(3,\)"),
    ({}, "lines must map a name to y values"),
    ([1, 2], "lines must map a name to y values"),
])
def test_lines_figure_names_bad_lines(lines, message):
    from textseq.plots import lines_figure

    with pytest.raises((TypeError, ValueError), match=message):
        lines_figure([1, 2], lines, xlabel="x", ylabel="y")


def test_plot_words_draws_one_panel_per_space_and_one_colour_per_group(figures_in_tmp, monkeypatch):
    shown = []
    monkeypatch.setattr(plots, "show_figure", shown.append)
    plots.plot_words({"GloVe": [[0, 1], [1, 0], [2, 2]], "learned": [[1, 1], [-1, 0], [0, 3]]},
                     ["good", "bad", "great"], ["positive", "negative", "positive"],
                     title="opinion words", save_as="words", group="g")
    (fig,) = shown
    glove_ax, learned_ax = fig.axes
    assert [ax.get_title() for ax in fig.axes] == ["GloVe", "learned"]
    assert [t.get_text() for t in learned_ax.texts] == ["good", "great", "bad"]
    positive, negative = learned_ax.collections
    assert positive.get_offsets().tolist() == [[1, 1], [0, 3]]
    assert not matplotlib.colors.same_color(positive.get_facecolor(), negative.get_facecolor())
    assert [t.get_text() for t in glove_ax.get_legend().get_texts()] == ["positive", "negative"]
    assert (figures_in_tmp / "g" / "words.png").is_file()
    with pytest.raises(ValueError, match=r"points\['x'\] must hold one \(x, y\) per word"):
        plots.plot_words({"x": [[0, 1]]}, ["a", "b"], ["p", "n"])
    with pytest.raises(ValueError, match=r"groups must hold one group per word \(2\), got 1"):
        plots.plot_words({"x": [[0, 1], [1, 0]]}, ["a", "b"], ["p"])
    with pytest.raises(TypeError, match="points must map a panel title"):
        plots.plot_words({}, ["a"], ["p"])


def test_plot_gates_stacks_one_panel_per_value_over_the_words(figures_in_tmp, monkeypatch):
    shown = []
    monkeypatch.setattr(plots, "show_figure", shown.append)
    plots.plot_gates(["not", "bad", "at", "all"], {"input gate": [0.1, 0.9, 0.2, 0.3],
                                                   "prediction": [0.5, 0.2, 0.3, 0.4]},
                     marks={"opinion": [1], "negation": [0]}, ylims={"input gate": (0, 1)},
                     save_as="gates", group="g")
    (fig,) = shown
    top, bottom = fig.axes
    assert [ax.get_title(loc="left") for ax in fig.axes] == ["input gate", "prediction"]
    assert [t.get_text() for t in bottom.get_xticklabels()] == ["not", "bad", "at", "all"]
    assert list(top.get_lines()[0].get_ydata()) == [0.1, 0.9, 0.2, 0.3]
    assert top.get_ylim() == (0, 1)
    assert len(top.patches) == len(bottom.patches) == 2  # the marked words, shaded in each panel
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["opinion", "negation"]
    assert (figures_in_tmp / "g" / "gates.png").is_file()
    with pytest.raises(ValueError, match=r"panels\['x'\] must hold one value per word \(4\)"):
        plots.plot_gates(["a", "b", "c", "d"], {"x": [1, 2]})
    with pytest.raises(TypeError, match="panels must map a title"):
        plots.plot_gates(["a"], {})
