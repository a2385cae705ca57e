"""The committed notebooks, read as a reader sees them, and the paths that execute them.

The first tests read ``notebooks/*.ipynb`` as committed (outputs included) and fail when a page
is not one a reader of either edition can follow: fewer inline plots than trained models, native
log lines or machine paths or errors in the outputs, listing cells without their
``# Listing 6-N (코드 6-N)`` label, too few labelled listings, file names out of reading order.
The last tests execute a tiny notebook through both paths that run the real ones
(``make execute``, which ``make run`` calls, and nbval, i.e. ``make test``) and check that
figures reach the page.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_DIR = ROOT / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
READING_ORDER = ["6.1.1", "6.1.2", "6.1.3", "6.2", "6.2.1", "6.2.2", "6.2.4"]
MIN_LABELLED_LISTINGS = 20

LABEL = re.compile(r"# Listing 6-(\d+) \(코드 6-(\d+)\)")
NATIVE_LOG = re.compile(r"^\s*[EWIF]\d{4} |node_def_util|absl::InitializeLog")
DECIMAL = re.compile(r"(?<![\w.])[+-]?\d+\.\d+(?![\w.])")
SECTION_NUMBER = re.compile(r"^[1-9]\.\d$")  # 6.1, 6.2: the book's sections, not figures
SIMPLE_RNN_LINE = re.compile(r"^SimpleRNN, seed 42: test accuracy \d\.\d{4}$", re.MULTILINE)
MACHINE_PATH = re.compile(
    r"/root/|/home/[^/\s]+|/Users/[^/\s]+|/tmp/[^/\s]+/|" + re.escape(str(ROOT)))
FIT_CALL = re.compile(r"\.fit\(")  # model.fit(...)
FENCE = re.compile(r"^```[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)
PYTHON_FENCE = re.compile(r"^```python\n(.*?)^```", re.MULTILINE | re.DOTALL)
HANGUL = re.compile(r"[\uac00-\ud7a3]")
SUMMARY_HEADING = "## 정리 / Summary"
TRY_HEADING = "## Try your own review (직접 리뷰를 써 보세요)"
TRY_CELL = "# extra code: try your own review"
EXERCISES_HEADING = "## Exercises (연습 문제)"


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def source(cell: dict) -> str:
    text = cell.get("source", "")
    return "".join(text) if isinstance(text, list) else text


def code_cells(nb: dict) -> list[str]:
    return [source(c) for c in nb["cells"] if c["cell_type"] == "code"]


def output_texts(output: dict) -> list[str]:
    """Every text a reader can see in one output: streams, text/plain, HTML, tracebacks."""
    texts = []
    if "text" in output:
        texts.append("".join(output["text"]) if isinstance(output["text"], list)
                     else output["text"])
    for mime, value in output.get("data", {}).items():
        if mime.startswith("text/") or mime.endswith("json"):
            texts.append("".join(value) if isinstance(value, list) else str(value))
    texts.extend(output.get("traceback", []))
    return texts


def outputs(nb: dict) -> list[tuple[int, dict]]:
    return [(i, o) for i, c in enumerate(nb["cells"]) if c["cell_type"] == "code"
            for o in c.get("outputs", [])]


def without_comments(code: str) -> str:
    return "\n".join(line.split("#", 1)[0] for line in code.splitlines())


def listing_blocks(nb: dict) -> list[tuple[int, str, int, str]]:
    """``(cell, kind, line number, line)`` for every line that starts with ``# Listing``.

    Code cells are read line by line; markdown cells only inside fenced code blocks (pseudo-code
    listings such as 6-19), where the line number counts from the top of the block.
    """
    found = []
    for i, cell in enumerate(nb["cells"]):
        text = source(cell)
        if cell["cell_type"] == "code":
            blocks = [text]
        elif cell["cell_type"] == "markdown":
            blocks = FENCE.findall(text)
        else:
            continue
        for block in blocks:
            for n, line in enumerate(block.splitlines()):
                if line.strip().startswith("# Listing"):
                    found.append((i, cell["cell_type"], n, line.strip()))
    return found


def korean_labels(nb: dict) -> set[int]:
    """The listing numbers N of well-formed labels (first line of their cell or block)."""
    return {int(m[1]) for _, _, line_no, line in listing_blocks(nb)
            if line_no == 0 and (m := LABEL.fullmatch(line)) and m[1] == m[2]}


@pytest.fixture(params=NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def notebook(request) -> tuple[str, dict]:
    return request.param.name, load(request.param)


def test_there_are_notebooks():
    assert len(NOTEBOOKS) >= 2, f"no notebooks found in {NOTEBOOK_DIR}"


def test_every_trained_model_shows_its_curves(notebook):
    name, nb = notebook
    fits = sum(len(FIT_CALL.findall(without_comments(code))) for code in code_cells(nb))
    plots = sum("image/png" in o.get("data", {}) for _, o in outputs(nb))
    assert plots >= fits, (
        f"{name} trains {fits} model(s) (.fit( calls) but shows {plots} inline "
        "image/png output(s): call textseq.plots.plot_history(history, ...) after each fit and "
        "execute it with `make execute NOTEBOOKS=...`")


def test_no_native_log_lines_in_outputs(notebook):
    name, nb = notebook
    found = [(i, line[:120]) for i, o in outputs(nb) for text in output_texts(o)
             for line in text.splitlines() if NATIVE_LOG.search(line)]
    assert found == [], f"{name}: TensorFlow's native log lines in outputs (cell, line): {found}"


def test_every_decimal_in_markdown_is_printed_by_an_output(notebook):
    # A figure typed into prose goes stale on a reader's re-run on another CPU: the cells write
    # such sentences from their values (report.say), and the book's figures are printed
    # (report.book), so each decimal in a markdown cell must appear in an output.
    name, nb = notebook
    printed = {float(n.lstrip("+-")) for _, o in outputs(nb) for text in output_texts(o)
               for n in DECIMAL.findall(text)}
    typed = [n for c in nb["cells"] if c["cell_type"] == "markdown"
             for n in DECIMAL.findall(source(c)) if not SECTION_NUMBER.match(n)]
    unbacked = [n for n in typed if not any(
        abs(round(p, len(n.split(".")[1])) - float(n.lstrip("+-"))) < 1e-9 for p in printed)]
    assert unbacked == [], f"{name}: decimals typed into markdown that no output prints: {unbacked}"


def test_every_notebook_ends_by_printing_its_running_time(notebook):
    name, nb = notebook
    last = nb["cells"][-1]
    assert last["cell_type"] == "code" and "report.running_time()" in source(last), name
    texts = [t for o in last.get("outputs", []) for t in output_texts(o)]
    assert any(re.search(r"ran for \d+ min \d+ s", t) for t in texts), (name, texts)


def test_the_seed_42_simple_rnn_is_the_same_run_in_6_2_1_and_6_2_2():
    # 6.2.2 trains Listing 6-23's SimpleRNN again with 6.2.1's seed: with no check drawing random
    # numbers between the seed and fit, both notebooks (executed by one `make run`) print the
    # same test accuracy to four decimals.
    lines = {}
    for path in NOTEBOOKS:
        if path.name.startswith(("6.2.1-", "6.2.2-")):
            found = {m for _, o in outputs(load(path)) for text in output_texts(o)
                     for m in SIMPLE_RNN_LINE.findall(text)}
            assert len(found) == 1, (path.name, found)
            lines[path.name] = found.pop()
    assert len(lines) == 2 and len(set(lines.values())) == 1, lines


def test_listing_cells_carry_both_editions_labels(notebook):
    name, nb = notebook
    bad = []
    for cell, kind, line_no, line in listing_blocks(nb):
        match = LABEL.fullmatch(line)
        if line_no != 0:
            bad.append((cell, f"label on line {line_no + 1} of the {kind} block, not the first"))
        elif not match or match[1] != match[2]:
            bad.append((cell, f"{line!r} is not '# Listing 6-N (코드 6-N)' with the same N"))
    assert bad == [], f"{name}: {bad}"


def test_no_machine_paths_in_outputs(notebook):
    name, nb = notebook
    found = [(i, m[0]) for i, o in outputs(nb) for text in output_texts(o)
             if (m := MACHINE_PATH.search(text))]
    assert found == [], f"{name}: machine paths in outputs (cell, path): {found}"


def test_no_error_outputs(notebook):
    name, nb = notebook
    errors = [(i, o.get("ename"), o.get("evalue", "")[:100]) for i, o in outputs(nb)
              if o.get("output_type") == "error"]
    assert errors == [], f"{name}: error outputs (cell, name, value): {errors}"


def trains_a_model(nb: dict) -> bool:
    return any(FIT_CALL.search(without_comments(code)) for code in code_cells(nb))


def common_end_problems(nb: dict) -> list[str]:
    """What keeps ``nb`` from the end every notebook shares, in this order: the summary
    (``## 정리 / Summary``); in a notebook that trains a model (its code calls ``.fit(``), "Try
    your own review" (the heading, a ``# extra code: try your own review`` cell that encodes the
    reader's reviews with ``encode_reviews(``, then a ``# NBVAL_CHECK_OUTPUT`` cell); "Exercises"
    (the heading, then 2 or 3 markdown cells, each an exercise in Korean and English with its
    answer in ``<details>``, as Python a reader can paste into a cell); last, the running time."""
    cells = nb["cells"]
    last = len(cells) - 1

    def first_line(cell: dict) -> str:
        lines = source(cell).splitlines()
        return lines[0] if lines else ""

    def find(predicate, start: int = 0) -> int | None:
        return next((i for i in range(start, len(cells)) if predicate(cells[i])), None)

    def markdown(cell: dict) -> bool:
        return cell["cell_type"] == "markdown"

    problems = []
    summary = find(lambda c: markdown(c) and any(
        line.startswith(SUMMARY_HEADING) for line in source(c).splitlines()))
    exercises = find(lambda c: markdown(c) and first_line(c).startswith(EXERCISES_HEADING))
    try_own = find(lambda c: markdown(c) and first_line(c).startswith(TRY_HEADING))
    if summary is None:
        problems.append(f"no markdown cell with a line starting {SUMMARY_HEADING!r}")
    if exercises is None:
        problems.append(f"no markdown cell whose first line starts {EXERCISES_HEADING!r}")
    else:
        answers = cells[exercises + 1: last]
        if not 2 <= len(answers) <= 3:
            problems.append(f"{len(answers)} cell(s) between the Exercises heading and the last "
                            "cell; expected 2 or 3 exercises")
        for i, cell in enumerate(answers, start=exercises + 1):
            text = source(cell)
            opened, closed = text.find("<details>"), text.rfind("</details>")
            blocks = PYTHON_FENCE.findall(text[opened:closed]) if 0 <= opened < closed else []
            if not markdown(cell) or not blocks or not HANGUL.search(text):
                problems.append(f"cell {i} is not an exercise: a markdown cell in Korean and "
                                "English whose answer, inside <details> ... </details>, holds a "
                                "```python block")
            for block in blocks:
                try:
                    ast.parse(block)
                except SyntaxError as error:
                    problems.append(f"cell {i}: the answer's Python does not parse: {error}")
    if trains_a_model(nb):
        if try_own is None:
            problems.append(f"trains a model but has no markdown cell whose first line starts "
                            f"{TRY_HEADING!r}")
        else:
            code = find(lambda c: c["cell_type"] == "code", try_own + 1)
            if code is None or not source(cells[code]).startswith(TRY_CELL) or (
                    "encode_reviews(" not in source(cells[code])):
                problems.append(f"the first code cell after {TRY_HEADING!r} must start with "
                                f"{TRY_CELL!r} and call encode_reviews(")
            elif find(lambda c: c["cell_type"] == "code" and "# NBVAL_CHECK_OUTPUT" in source(c),
                      code + 1) not in range(code + 1, exercises or last):
                problems.append("no # NBVAL_CHECK_OUTPUT cell after the try-your-own-review cell "
                                "(before the exercises) checks the clear reviews' scores")
    order = [(name, at) for name, at in (("summary", summary), ("Try your own review", try_own),
                                         ("Exercises", exercises), ("running time", last))
             if at is not None]
    places = [at for _, at in order]
    if places != sorted(set(places)):
        problems.append("expected Summary < Try your own review < Exercises < the running-time "
                        f"cell; found (section, cell) {order}")
    return problems


def test_summary_then_try_your_own_review_then_exercises_then_running_time(notebook):
    # Every notebook ends the same way (issue 18). Run it for one notebook with
    # pytest tests/test_notebooks.py -k "running_time and 6.2.4"
    name, nb = notebook
    problems = common_end_problems(nb)
    assert problems == [], f"{name}: {problems}"


def test_the_common_end_is_checked():
    """`common_end_problems` accepts the common end and names what is missing or misplaced."""
    def md(text: str) -> dict:
        return {"cell_type": "markdown", "source": text}

    def code(text: str) -> dict:
        return {"cell_type": "code", "source": text, "outputs": []}

    exercise = md("**연습 문제**\n\nAn exercise.\n\n<details><summary>Answer (정답)</summary>\n\n"
                  "```python\nprint(1)\n```\n\n</details>")
    end = [exercise, exercise, code("report.running_time()")]
    good = [code("model.fit(x)"), md("## 정리 / Summary\n..."),
            md("## Try your own review (직접 리뷰를 써 보세요)"),
            code("# extra code: try your own review\nx, unknown = encode_reviews(t, v, maxlen=9)"),
            code("# NBVAL_CHECK_OUTPUT\nprint(True)"), md("## Exercises (연습 문제)"), *end]
    assert common_end_problems({"cells": good}) == []
    no_training = [md("Text\n## 정리 / Summary"), md("## Exercises (연습 문제)\nTry them."), *end]
    assert common_end_problems({"cells": no_training}) == []

    def problems(cells: list[dict]) -> str:
        return " | ".join(common_end_problems({"cells": cells}))

    assert "no markdown cell whose first line starts '## Try" in problems(
        [code("model.fit(x)"), *no_training])
    assert "expected 2 or 3 exercises" in problems([*good[:-2], good[-1]])
    assert "is not an exercise" in problems([*good[:-3], md("연습 문제, no answer"), *good[-2:]])
    assert "is not an exercise" in problems([*good[:-3], md(HANGUL.sub("", source(exercise))),
                                             *good[-2:]])  # English only
    assert "does not parse" in problems(
        [*good[:-3], md(source(exercise).replace("print(1)", "print(1")), *good[-2:]])
    assert "must start with '# extra code: try your own review'" in problems(
        [*good[:3], code("x = encode(my_reviews)"), *good[4:]])
    assert "no # NBVAL_CHECK_OUTPUT cell" in problems([*good[:4], *good[5:]])
    assert "expected Summary < Try" in problems([good[0], *good[2:5], good[1], *good[5:]])


def test_enough_listings_are_labelled_for_korean_readers():
    labels = set().union(*(korean_labels(load(p)) for p in NOTEBOOKS))
    assert len(labels) >= MIN_LABELLED_LISTINGS, (
        f"only {len(labels)} distinct '# Listing 6-N (코드 6-N)' labels across the notebooks "
        f"(need {MIN_LABELLED_LISTINGS}): {sorted(labels)}. Every listing of the book gets its own "
        "labelled cell; the training notebooks (6-5 to 6-18, 6-22 to 6-27) add most of them")


def section(path: Path) -> str:
    match = re.fullmatch(r"(\d+(?:\.\d+)*)-[a-z0-9]+(?:-[a-z0-9]+)*\.ipynb", path.name)
    assert match, f"{path.name} is not '<book section>-<words-with-dashes>.ipynb'"
    return match[1]


def test_file_names_sort_in_reading_order():
    sections = [section(p) for p in NOTEBOOKS]  # NOTEBOOKS is sorted by name, as `make` does
    assert sections == sorted(sections, key=lambda s: tuple(map(int, s.split(".")))), sections
    assert sections == READING_ORDER, (
        f"notebook file names must start with the book's sections, in order: {READING_ORDER}; "
        f"found {sections}")


def test_labels_are_checked(tmp_path):
    """The helpers above find what they are meant to find (so the tests can fail)."""
    nb = {"cells": [
        {"cell_type": "code", "source": "# Listing 6-1 (코드 6-1)\nx = 1", "outputs": []},
        {"cell_type": "code", "source": "# NBVAL_CHECK_OUTPUT\n# Listing 6-2 (코드 6-2)\n",
         "outputs": []},
        {"cell_type": "code", "source": "# Listing 6-3 (코드 6-4)\n", "outputs": [
            {"output_type": "stream", "name": "stderr",
             "text": "E0000 00:00:17.1 node_def_util.cc:682] NodeDef mentions\n"},
            {"output_type": "display_data", "data": {"text/plain": "/home/ana/x.txt"}}]},
        {"cell_type": "markdown", "source": "Text\n```python\n# Listing 6-19 (코드 6-19)\n```\n"},
        {"cell_type": "code", "outputs": [], "source":
         "model.fit(x)\n# history = model.fit(x)\ntok.fit_on_texts(t)\nother.fit(y)"},
    ]}
    assert korean_labels(nb) == {1, 19}
    assert [(c, n) for c, _, n, _ in listing_blocks(nb)] == [(0, 0), (1, 1), (2, 0), (3, 0)]
    texts = [t for _, o in outputs(nb) for t in output_texts(o)]
    assert [bool(NATIVE_LOG.search(t)) for t in texts] == [True, False]
    assert [bool(MACHINE_PATH.search(t)) for t in texts] == [False, True]
    assert sum(len(FIT_CALL.findall(without_comments(c))) for c in code_cells(nb)) == 2
    with pytest.raises(AssertionError, match="is not '<book section>"):
        section(Path("6.2.1_rnn.ipynb"))


# --- Figures reach the page through both execution paths ------------------------------------

PLOT_HISTORY_CELL = """\
# NBVAL_CHECK_OUTPUT
from textseq import plots
history = {"acc": [0.6, 0.7, 0.8], "val_acc": [0.65, 0.7, 0.72],
           "loss": [0.7, 0.6, 0.5], "val_loss": [0.68, 0.62, 0.6]}
plots.plot_history(history, title="tiny", save_as="tiny", group="tiny-notebook");"""
PYPLOT_CELL = """\
# NBVAL_CHECK_OUTPUT
import matplotlib.pyplot as plt
plt.plot([1, 2, 3], [0.5, 0.7, 0.8], "bo")
plt.show()"""


def write_notebook(path: Path, cells: list[str]) -> Path:
    nbformat = pytest.importorskip("nbformat")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nbformat.write(nb, path)
    return path


def pngs_per_cell(path: Path) -> list[int]:
    return [sum("image/png" in o.get("data", {}) for o in cell.get("outputs", []))
            for cell in load(path)["cells"]]


def make_execute(path: Path, **env_changes: str) -> subprocess.CompletedProcess:
    """``make execute NOTEBOOKS=path``, the Makefile's own command, with this interpreter's
    Jupyter."""
    env = dict(os.environ, **env_changes)
    return subprocess.run([shutil.which("make"), "-s", "-C", str(ROOT), "execute",
                           f"NOTEBOOKS={path}", f"BIN={Path(sys.executable).parent}"],
                          capture_output=True, text=True, env=env, timeout=300)


@pytest.fixture(scope="module")
def executed(tmp_path_factory) -> tuple[Path, Path]:
    """A tiny notebook executed by ``make execute`` while the caller exports MPLBACKEND=Agg."""
    folder = tmp_path_factory.mktemp("tiny")
    path = write_notebook(folder / "tiny.ipynb", [PLOT_HISTORY_CELL, PYPLOT_CELL])
    figures = folder / "figures"
    result = make_execute(path, MPLBACKEND="Agg", TEXTSEQ_FIGURES_DIR=str(figures))
    assert result.returncode == 0, result.stderr[-3000:]
    return path, figures


@pytest.mark.slow
def test_make_run_path_shows_figures_inline_and_saves_them(executed):
    path, figures = executed
    assert pngs_per_cell(path) == [1, 1]  # plot_history, and the book's plt.show()
    assert (figures / "tiny-notebook" / "tiny.png").read_bytes()[:4] == b"\x89PNG"
    assert all("execution" not in cell["metadata"] for cell in load(path)["cells"])  # no timing


@pytest.mark.slow
def test_make_run_path_prints_no_kernel_warnings_and_leaves_no_sockets(tmp_path):
    # ipykernel warns at every start over TCP ("Kernel is running over TCP without encryption");
    # make execute starts kernels on local sockets in a temporary folder instead.
    path = write_notebook(tmp_path / "quiet.ipynb", ["print('hello')"])
    result = make_execute(path)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "WARNING" not in result.stderr and "encryption" not in result.stderr, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["quiet.ipynb"]
    assert "".join(load(path)["cells"][0]["outputs"][0]["text"]) == "hello\n"


def run_nbval(path: Path, **env_changes: str | None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    for key, value in env_changes.items():
        env.pop(key, None) if value is None else env.update({key: value})
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval-lax",
         "--nbval-current-env", "--nbval-cell-timeout=120", str(path)],
        capture_output=True, text=True, env=env, cwd=path.parent, timeout=300)


@pytest.mark.slow
def test_make_test_path_shows_figures_inline(executed, tmp_path):
    # nbval does not compare PNG bytes, but it does compare the text/plain twin of a figure
    # ("<Figure size ... with 1 Axes>"): a figure missing from the page fails the cell.
    path, _ = executed
    env = {"MPLBACKEND": None, "TEXTSEQ_FIGURES_DIR": str(tmp_path)}
    result = run_nbval(path, **env)  # as the Makefile's nbval target runs it
    assert result.returncode == 0, result.stdout[-3000:]
    assert "2 passed" in result.stdout


@pytest.mark.slow
def test_make_test_fails_a_cell_whose_output_holds_a_native_log_line(tmp_path):
    # notebooks/conftest.py reads every cell's fresh outputs during nbval, checked or not.
    (tmp_path / "conftest.py").write_bytes((NOTEBOOK_DIR / "conftest.py").read_bytes())
    noisy = "import os\nos.write(2, b'E0000 00:00:1.2 node_def_util.cc:682] NodeDef x\\n')"
    absl = ("import os\nos.write(2, b'WARNING: All log messages before absl::InitializeLog() "
            "is called are written to STDERR\\n')")
    path = write_notebook(tmp_path / "noisy.ipynb", ["print('quiet')", noisy, absl])
    result = run_nbval(path, MPLBACKEND=None)
    assert "2 failed, 1 passed" in result.stdout, result.stdout[-3000:]
    assert "a native log line reached the page" in result.stdout


def test_makefile_kernels_do_not_inherit_a_backend():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert not re.search(r"^\s*export\s+MPLBACKEND", makefile, re.MULTILINE)
    for target in ("run", "run-real"):  # both execute the notebooks through `make execute`
        recipe = re.search(rf"^{re.escape(target)}:.*\n\t(.+)", makefile, re.MULTILINE)
        assert recipe and re.search(r"\$\(MAKE\) .*execute$", recipe[1]), (target, recipe)
    recipe = re.search(r"^execute:.*\n((?:\t.*\n)+)", makefile, re.MULTILINE)
    assert recipe and "$(KERNEL_ENV) $(BIN)/jupyter nbconvert " in recipe[1], recipe
    # nbval runs its two streams through $(NBVAL), which starts with $(KERNEL_ENV).
    assert re.search(r"^NBVAL := \$\(KERNEL_ENV\) ", makefile, re.MULTILINE)
    recipe = re.search(r"^nbval:.*\n((?:\t.*\n)+)", makefile, re.MULTILINE)
    assert recipe and recipe[1].count("$(NBVAL) ") == 2, recipe
    assert re.search(r"^KERNEL_ENV := env -u MPLBACKEND$", makefile, re.MULTILINE)
