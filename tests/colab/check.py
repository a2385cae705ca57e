"""Colab-like check: the textseq wheel installs over a reader's TensorFlow and runs the notebooks.

``make colab`` (part of ``make test``) runs::

    python tests/colab/check.py --wheel dist/textseq-<version>-py3-none-any.whl NOTEBOOK...

1. A Python 3.12 environment holding Colab's own stack (``tests/colab/stack.txt``: the full
   ``tensorflow`` 2.20 wheel, Colab's Keras and numpy, Jupyter's kernel) is built once and cached
   in ``.colab-cache/base-<key>``, the key being a hash of that file, the interpreter's version
   and `RECIPE`. Each run works on a hard-linked copy, so the cache is never changed.
2. The wheel is installed into the copy the way the notebooks' setup cell does it: the setup
   cell's own line (``install_line`` of ``tools/notebook_links.py``) with the wheel's
   ``file://`` address in place of the release's, so pip installs the dependencies from the
   package index.
3. No installed distribution may change version or disappear: TensorFlow, Keras and numpy above
   all (checked by name), and every other one of the stack.
4. Each notebook runs from a copy in a temporary folder (the working directory is outside the
   source tree), in a kernel of that environment, with ``HOME`` a temporary folder and no
   ``TEXTSEQ_*`` variable: so ``textseq`` is the installed wheel and the data cache goes to
   ``~/.cache/textseq`` as on Colab. A last cell added to each notebook's copy asserts both from
   inside the kernel.

With ``--outputs DIR`` (``make colab-all``, every notebook) each executed notebook is also
written to ``DIR`` with its outputs, and the run fails when a cell marked
``# NBVAL_CHECK_OUTPUT`` printed something else than the committed notebook (after the sanitizing
patterns of ``notebooks/nbval_sanitize.cfg``, as nbval compares), when a cell raised, or when an
output holds a native log line: the chapter's checked lessons must hold on Colab's stack too.

Exit status 0 when everything holds; otherwise 1 with what failed.
"""

from __future__ import annotations

import argparse
import glob
import hashlib
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STACK = Path(__file__).with_name("stack.txt")
CACHE = ROOT / ".colab-cache"
# Bump when the way the base environment is built changes, so a stale cache is rebuilt.
RECIPE = "1: python -m venv; pip install -r stack.txt"
WATCHED = ("tensorflow", "keras", "numpy")
KERNEL = "textseq-colab-like"
PROBE = """\
import json, sys, importlib.metadata as md
import textseq, textseq._files
print("TEXTSEQ-PROBE " + json.dumps({
    "executable": sys.executable,
    "textseq": textseq.__file__,
    "data_dir": str(textseq._files.data_dir()),
    "versions": {name: md.version(name) for name in ("tensorflow", "keras", "numpy", "textseq")},
}))
"""


def notebook_links():
    """``tools/notebook_links.py``, where the setup cell's install line is derived."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("notebook_links",
                                                  ROOT / "tools" / "notebook_links.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class CheckFailed(Exception):
    """One of the check's conditions does not hold."""


def log(message: str) -> None:
    print(f"[colab] {message}", flush=True)


def find_python(explicit: str | None) -> str:
    """Return a Python 3.12 interpreter: ``explicit``, else the first one found that runs."""
    candidates = [explicit] if explicit else [
        "python3.12",
        *sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/3.12*/bin/python3.12"))),
        "/usr/local/bin/python3.12", "/usr/bin/python3.12",
    ]
    for candidate in candidates:
        try:
            out = subprocess.run([candidate, "-c", "import sys; print(sys.version_info[:2])"],
                                 capture_output=True, text=True, timeout=60)
        except OSError:
            continue
        if out.returncode == 0 and out.stdout.strip() == "(3, 12)":
            return candidate
    raise CheckFailed(f"the Colab-like check needs Python 3.12 (Colab's); none of "
                      f"{', '.join(candidates)} runs as 3.12. Name one: "
                      f"make colab COLAB_PYTHON=/path/to/python3.12")


def run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    kwargs.setdefault("check", True)
    return subprocess.run([str(part) for part in cmd], **kwargs)


def base_environment(python: str) -> Path:
    """Return the cached Colab-like environment, building it first when its key is new."""
    code = "import sys, platform; print(sys.version, platform.machine())"
    interpreter = run([python, "-c", code], capture_output=True, text=True).stdout
    key = hashlib.sha256("\0".join([STACK.read_text(encoding="utf-8"), interpreter, RECIPE])
                         .encode()).hexdigest()[:16]
    base = CACHE / f"base-{key}"
    if (base / ".complete").is_file():
        log(f"Colab-like environment cached: {base.relative_to(ROOT)}")
        return base
    log(f"building the Colab-like environment ({STACK.relative_to(ROOT)}, {interpreter.split()[0]})"
        f" into {base.relative_to(ROOT)}")
    start = time.perf_counter()
    CACHE.mkdir(exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=f"building-{key}-", dir=CACHE))
    try:
        venv = building / "venv"
        run([python, "-m", "venv", venv])
        run([venv / "bin" / "python", "-m", "pip", "install", "--quiet", "-r", STACK])
        (venv / ".complete").write_text(json.dumps({"key": key, "interpreter": interpreter}))
        for old in CACHE.glob("base-*"):  # one cached environment (about 2 GB) is enough
            shutil.rmtree(old)
        venv.rename(base)
    finally:
        shutil.rmtree(building, ignore_errors=True)
    log(f"built in {time.perf_counter() - start:.0f} s")
    return base


def distributions(python: Path) -> dict[str, str]:
    """Return ``{name: version}`` of every distribution ``python`` sees (names normalized)."""
    code = ("import importlib.metadata as md, json, re; print(json.dumps({"
            "re.sub(r'[-_.]+', '-', d.metadata['Name']).lower(): d.version "
            "for d in md.distributions()}))")
    return json.loads(run([python, "-c", code], capture_output=True, text=True).stdout)


def install_wheel(python: Path, wheel: Path, cwd: Path) -> None:
    """Install ``wheel`` with the setup cell's own pip line, its URL swapped for the file's."""
    line = notebook_links().install_line(wheel.resolve().as_uri())
    magic, _, arguments = line.partition(" ")
    if magic != "%pip":
        raise CheckFailed(f"the setup cell's install line is not a %pip line: {line}")
    log(f"installing the wheel as the setup cell does: {line}")
    out = run([python, "-m", "pip", *shlex.split(arguments)], cwd=cwd, check=False,
              capture_output=True, text=True)
    if out.returncode != 0:
        print(out.stdout[-4000:], out.stderr[-4000:], sep="\n", file=sys.stderr)
        raise CheckFailed(f"pip could not install the wheel (exit {out.returncode})")


def compare(before: dict[str, str], after: dict[str, str]) -> None:
    """Fail when the install changed or removed a distribution of the stack."""
    for name in WATCHED:
        if name not in before:
            raise CheckFailed(f"the Colab-like stack has no {name}: see {STACK}")
    changed = {name: (version, after.get(name)) for name, version in before.items()
               if after.get(name) != version}
    for name in WATCHED:
        log(f"  {name:10} {before[name]} -> {after.get(name)}")
    added = sorted(set(after) - set(before))
    log(f"  added: {', '.join(f'{name} {after[name]}' for name in added) or 'nothing'}")
    if changed:
        raise CheckFailed("installing textseq changed the reader's stack: " + ", ".join(
            f"{name} {old} -> {new or 'removed'}" for name, (old, new) in sorted(changed.items())))


def kernel_environment(home: Path, jupyter: Path) -> dict[str, str]:
    """The notebook kernel's environment: a fresh HOME, no textseq or checkout settings."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("TEXTSEQ_", "JUPYTER", "IPYTHON"))
           and key not in {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "MPLBACKEND",
                           "PYTHONHASHSEED", "KERAS_BACKEND", "KERAS_HOME", "XDG_CACHE_HOME",
                           "XDG_DATA_HOME", "XDG_CONFIG_HOME"}}
    # ipykernel 6.17's debugger warns about frozen modules on every start; Colab's shows nothing.
    env.update(HOME=str(home), JUPYTER_PATH=str(jupyter), PYDEVD_DISABLE_FILE_VALIDATION="1")
    return env


NATIVE_LOG = re.compile(r"^\s*[EWIF]\d{4} |node_def_util|absl::InitializeLog", re.MULTILINE)


def sanitizers() -> list[tuple[re.Pattern, str]]:
    """The (regex, replacement) pairs of notebooks/nbval_sanitize.cfg."""
    text = (ROOT / "notebooks" / "nbval_sanitize.cfg").read_text(encoding="utf-8")
    pairs = re.findall(r"^regex: (.*)\nreplace: (.*)$", text, re.MULTILINE)
    return [(re.compile(regex), replace) for regex, replace in pairs]


def visible_texts(cell) -> list[str]:
    """What a reader sees of a cell's outputs as text (streams, text/* data, errors)."""
    texts = []
    for output in cell.get("outputs", []):
        if "text" in output:
            texts.append(output["text"])
        texts += [value for key, value in sorted(output.get("data", {}).items())
                  if key.startswith("text/")]  # sorted: as nbformat writes them
        if output.get("output_type") == "error":
            texts.append(f"{output.get('ename')}: {output.get('evalue')}")
    return ["".join(t) if isinstance(t, list) else str(t) for t in texts]


def check_outputs(name: str, committed, executed) -> list[str]:
    """Where ``executed`` (a notebook run here) breaks what ``committed`` promises."""
    problems = []
    pairs = sanitizers()

    def clean(texts: list[str]) -> list[str]:
        for regex, replace in pairs:
            texts = [regex.sub(replace, t) for t in texts]
        return texts

    for i, (old, new) in enumerate(zip(committed.cells, executed.cells, strict=False)):
        if new.cell_type != "code":
            continue
        native = [line for t in visible_texts(new) for line in t.splitlines()
                  if NATIVE_LOG.search(line)]
        if native:
            problems.append(f"{name} cell {i}: a native log line: {native[0][:120]!r}")
        # Joined: how a stream is cut into outputs is not what a reader sees (nbval joins too).
        old_text, new_text = ("".join(clean(visible_texts(cell))) for cell in (old, new))
        if "NBVAL_CHECK_OUTPUT" in new.source and old_text != new_text:
            problems.append(f"{name} cell {i} (checked) printed {new_text!r}, committed "
                            f"{old_text!r}")
    return problems


def execute(notebook: Path, workdir: Path, python: Path, home: Path,
            outputs: Path | None = None, problems: list[str] | None = None) -> dict:
    """Run a copy of ``notebook`` in ``workdir`` with the Colab-like kernel; return the probe.

    With ``outputs``, the executed notebook (without the probe cell) is written there and what
    differs from the committed notebook (`check_outputs`) is added to ``problems``.
    """
    import nbformat
    from nbclient import NotebookClient

    copy = workdir / notebook.name
    shutil.copyfile(notebook, copy)
    nb = nbformat.read(copy, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(PROBE))
    NotebookClient(nb, timeout=900, kernel_name=KERNEL, record_timing=False,
                   resources={"metadata": {"path": str(workdir)}},
                   allow_errors=outputs is not None).execute()
    if outputs is not None:
        executed = nbformat.from_dict(json.loads(json.dumps(nb)))
        executed.cells.pop()
        nbformat.write(executed, outputs / notebook.name)
        found = check_outputs(notebook.name, nbformat.read(notebook, as_version=4), executed)
        for problem in found:
            log(f"DIFFERS: {problem}")
        if problems is not None:
            problems += found
    lines = [line for output in nb.cells[-1].outputs if output.get("output_type") == "stream"
             for line in output.get("text", "").splitlines() if line.startswith("TEXTSEQ-PROBE ")]
    if len(lines) != 1:
        raise CheckFailed(f"{notebook.name}: the probe cell printed no result")
    probe = json.loads(lines[0].removeprefix("TEXTSEQ-PROBE "))
    site = Path(run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                    capture_output=True, text=True).stdout.strip())
    textseq_file = Path(probe["textseq"])
    if not textseq_file.is_relative_to(site) or textseq_file.is_relative_to(ROOT / "src"):
        raise CheckFailed(f"{notebook.name}: the kernel imported textseq from {textseq_file}, "
                          f"not from the installed wheel in {site}")
    expected = home / ".cache" / "textseq" / "data"
    if Path(probe["data_dir"]) != expected:
        raise CheckFailed(f"{notebook.name}: the data cache is {probe['data_dir']}, "
                          f"not {expected} as on Colab")
    return probe


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--python", help="a Python 3.12 (default: the first one found)")
    parser.add_argument("--wheel", required=True, type=Path, help="the built textseq wheel")
    parser.add_argument("--outputs", type=Path, help="write the executed notebooks here and "
                        "compare their checked cells with the committed ones")
    parser.add_argument("notebooks", nargs="+", type=Path)
    args = parser.parse_args(argv)
    if args.outputs:
        args.outputs = args.outputs.resolve()
        args.outputs.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    from nbclient.exceptions import CellExecutionError

    try:
        project = notebook_links()
        if args.wheel.name != project.wheel_filename() or not args.wheel.is_file():
            raise CheckFailed(f"no wheel {project.wheel_filename()} (the release the notebooks "
                              f"install) at {args.wheel}: run make dist")
        missing = [str(nb) for nb in args.notebooks if not nb.is_file()]
        if missing:
            raise CheckFailed(f"no such notebook: {', '.join(missing)}")
        notebooks = [nb.resolve() for nb in args.notebooks]
        base = base_environment(find_python(args.python))
        work = Path(tempfile.mkdtemp(prefix="run-", dir=CACHE))  # hard links need one filesystem
        try:
            venv = work / "venv"
            run(["cp", "-al", base, venv])
            python = venv / "bin" / "python"
            outside = work / "notebooks"
            outside.mkdir()
            before = distributions(python)
            install_start = time.perf_counter()
            install_wheel(python, args.wheel, cwd=outside)
            log(f"installed in {time.perf_counter() - install_start:.0f} s")
            compare(before, distributions(python))
            home, jupyter = work / "home", work / "jupyter"
            home.mkdir()
            spec = jupyter / "kernels" / KERNEL
            spec.mkdir(parents=True)
            (spec / "kernel.json").write_text(json.dumps({
                "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "Python 3.12 (Colab-like)", "language": "python"}))
            saved = dict(os.environ)
            os.environ.clear()
            os.environ.update(kernel_environment(home, jupyter))
            os.chdir(outside)
            try:
                problems: list[str] = []
                for notebook in notebooks:
                    nb_start = time.perf_counter()
                    probe = execute(notebook, outside, python, home, args.outputs, problems)
                    versions = ", ".join(f"{k} {v}" for k, v in probe["versions"].items())
                    log(f"{notebook.name}: ran in {time.perf_counter() - nb_start:.0f} s from "
                        f"the installed wheel ({versions}), data cache in "
                        f"HOME/{Path(probe['data_dir']).relative_to(home)}")
                    ran = {name: probe["versions"][name] for name in WATCHED}
                    if ran != {name: before[name] for name in WATCHED}:
                        raise CheckFailed(f"{notebook.name}: the kernel ran {ran}")
                if problems:
                    raise CheckFailed(f"{len(problems)} difference(s) from the committed "
                                      f"notebooks on the Colab-like stack (above)")
            finally:
                os.chdir(ROOT)
                os.environ.clear()
                os.environ.update(saved)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    except (CheckFailed, subprocess.CalledProcessError, CellExecutionError) as error:
        log(f"FAILED: {error}")
        return 1
    log(f"passed in {time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
