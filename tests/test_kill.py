"""Kill real writers at random points, run again, and check that nothing was left behind.

For each scenario, a child process does the scenario's first run into a fresh folder; it is
killed (SIGKILL or SIGTERM, drawn at random) after a random delay between 0 and the length of an
uninterrupted run (from where the killed runs left it: past the download, a run is shorter), 20
times, each time in the same folder, whatever the killed runs left there
(when a run happens to finish before its kill, that folder is checked and a new one begins); then
one more run goes to the end. The final tree must equal the tree of an uninterrupted run (paths,
contents, modes) and hold no temporary file or folder. Two children doing the same first run at
once must both succeed, with the same tree.

Scenarios (add one by adding a class to ``SCENARIOS``):

- ``download``: ``textseq.imdb.fetch.ensure_aclimdb`` against a ``ThreadingHTTPServer`` on
  127.0.0.1 serving an aclImdb archive the test builds (1,500 reviews of word salad), sent in
  small throttled chunks so that a run spends time downloading, verifying and extracting.
- ``corpus``: ``textseq.corpus.ensure_corpus`` of a small embedded corpus (400 generated
  reviews, the real generator). Its children are forked from one Python process that has
  imported textseq and computed the generator's word pools (`ForkServer`): a fresh interpreter
  spends seconds on those before it writes anything, which would leave most kills in nothing
  and the test five times longer. Each child is still a process of its own (own process id and
  start time, which is all that `textseq._files` looks at), killed by a real signal.

Part of ``make test`` (marker ``kill``, about 30 s for the download, 15 s for the corpus). As a
script, with a report of where each kill landed::

    python tests/test_kill.py [--runs 20] [--seed 0] [--scenario download] [--scenario corpus]
"""

from __future__ import annotations

import argparse
import hashlib
import http.server
import os
import random
import select
import shutil
import signal
import stat
import subprocess
import sys
import tarfile
import textwrap
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from conftest import random_reviews, write_tree  # noqa: E402

from textseq._files import is_temp_name  # noqa: E402

RUNS = 20
SIGNALS = (signal.SIGKILL, signal.SIGTERM)


class DownloadScenario:
    """``ensure_aclimdb`` of an archive served, throttled, by a local HTTP server."""

    name = "download"
    done = "extracted"  # the stage of a complete run
    chunk, pause = 4096, 0.02  # about 0.4 s for the archive (80 kB)

    def __init__(self, workdir: Path) -> None:
        tree = write_tree(workdir / "source" / "aclImdb", random_reviews(300, seed=3, unsup=300))
        archive = workdir / "aclImdb_v1.tar.gz"
        with tarfile.open(archive, "w:gz") as tar:
            tar.add(tree, arcname="aclImdb")
        self.data = archive.read_bytes()
        scenario = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                self.send_response(200)
                self.send_header("Content-Length", str(len(scenario.data)))
                self.end_headers()
                try:
                    for start in range(0, len(scenario.data), scenario.chunk):
                        self.wfile.write(scenario.data[start:start + scenario.chunk])
                        self.wfile.flush()
                        time.sleep(scenario.pause)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client was killed

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True).start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/aclImdb_v1.tar.gz"

    def start(self, dest: Path) -> subprocess.Popen:
        """Start the scenario's first run into ``dest`` in a child process."""
        code = textwrap.dedent(f"""
            from textseq.imdb import fetch
            fetch.ACLIMDB = fetch.Resource(
                "aclImdb_v1.tar.gz", ({self.url!r},), {len(self.data)},
                {hashlib.sha256(self.data).hexdigest()!r})
            fetch.ensure_aclimdb({str(dest)!r}, progress=False)
        """)
        return subprocess.Popen([sys.executable, "-c", code], env=_env(),
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    @staticmethod
    def stage(dest: Path) -> str:
        """Where a run stands, from what is in ``dest``."""
        names = {p.name for p in dest.iterdir()} if dest.exists() else set()
        if "aclImdb" in names:
            return "extracted"
        if any(n.startswith(".aclImdb.tmp-") for n in names):
            return "extracting"
        if "aclImdb_v1.tar.gz" in names:
            return "downloaded"
        if any(n.startswith(".aclImdb_v1.tar.gz.tmp-") for n in names):
            return "downloading"
        return "starting"

    @staticmethod
    def resumes(dest: Path) -> bool:
        """Whether a run in ``dest`` starts past the download (the archive is there)."""
        return (dest / "aclImdb_v1.tar.gz").is_file()

    def resume_time(self, reference: Path, scratch: Path) -> float:
        """How long a run takes when the archive is already there (extraction only)."""
        scratch.mkdir()
        shutil.copy2(reference / "aclImdb_v1.tar.gz", scratch / "aclImdb_v1.tar.gz")
        return run_to_end(self, scratch)

    @staticmethod
    def normalize(rel: str, data: bytes) -> bytes:
        return data

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


_FORK_SERVER = """
import os, sys, traceback
from pathlib import Path
{setup}
print("ready", flush=True)
for line in sys.stdin:
    command, argument = line.split(" ", 1)
    argument = argument.rstrip("\\n")
    if command == "run":
        pid = os.fork()
        if pid == 0:  # the child: one run, then out without running the server's exit code
            code = 1
            try:
                {run}
                code = 0
            except BaseException:
                traceback.print_exc()
            finally:
                sys.stderr.flush()
                os._exit(code)
        print(f"pid {{pid}}", flush=True)
    elif command == "wait":
        _, status = os.waitpid(int(argument), 0)
        print(f"status {{os.waitstatus_to_exitcode(status)}}", flush=True)
"""


class ForkServer:
    """A Python process that runs ``setup`` once, then forks one child per run of ``run``.

    ``run`` is one statement using ``dest`` (a `Path`). A child's stderr goes to ``log``.
    """

    def __init__(self, setup: str, run: str, log: Path) -> None:
        self.log = log
        with open(log, "wb") as err:
            self.process = subprocess.Popen(
                [sys.executable, "-c", _FORK_SERVER.format(setup=setup, run=run)], env=_env(),
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err, text=True)
        assert self._answer("ready", 120) == "", log.read_text(errors="replace")[-3000:]

    def _answer(self, word: str, timeout: float) -> str:
        ready, _, _ = select.select([self.process.stdout], [], [], timeout)
        line = self.process.stdout.readline() if ready else ""
        assert line.startswith(word), (f"fork server: expected {word!r}, got {line!r}; "
                                       f"{self.log.read_text(errors='replace')[-3000:]}")
        return line[len(word):].strip()

    def _send(self, command: str, argument: object) -> None:
        self.process.stdin.write(f"{command} {argument}\n")
        self.process.stdin.flush()

    def start(self, dest: Path) -> ForkedRun:
        self._send("run", dest)
        return ForkedRun(self, int(self._answer("pid", 30)))

    def wait(self, pid: int, timeout: float) -> int:
        self._send("wait", pid)
        return int(self._answer("status", timeout))

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)
        self.process.stdout.close()


class ForkedRun:
    """One forked child, with the part of `subprocess.Popen` that the checks use."""

    def __init__(self, server: ForkServer, pid: int) -> None:
        self.server, self.pid, self.returncode = server, pid, None

    def send_signal(self, how: int) -> None:
        os.kill(self.pid, how)

    def communicate(self, timeout: float) -> tuple[bytes, bytes]:
        self.returncode = self.server.wait(self.pid, timeout)
        return b"", self.server.log.read_bytes()[-3000:]


class CorpusScenario:
    """``ensure_corpus`` of a small embedded corpus (400 reviews) into ``<dest>/aclImdb``."""

    name = "corpus"
    done = "generated"
    sizes = {"n_train": 200, "n_test": 100, "n_unsup": 100}  # about 0.5 s to generate

    def __init__(self, workdir: Path) -> None:
        self.server = ForkServer(
            setup="from textseq.corpus.generate import ensure_corpus\n"
                  "from textseq.corpus.wordpools import word_pools\n"
                  "word_pools()  # the slow start, once for all the children",
            run=f"ensure_corpus(Path(argument) / 'aclImdb', seed=0, **{self.sizes!r})",
            log=workdir / "fork-server.log")

    def start(self, dest: Path) -> ForkedRun:
        return self.server.start(dest)

    @staticmethod
    def stage(dest: Path) -> str:
        names = {p.name for p in dest.iterdir()} if dest.exists() else set()
        if "aclImdb" in names:
            return "generated"
        if any(n.startswith(".aclImdb.tmp-") for n in names):
            return "generating"
        return "starting"

    @staticmethod
    def resumes(dest: Path) -> bool:
        return False  # a killed generation is thrown away: the next run starts over

    def resume_time(self, reference: Path, scratch: Path) -> float:
        return run_to_end(self, scratch)

    @staticmethod
    def normalize(rel: str, data: bytes) -> bytes:
        return data

    def close(self) -> None:
        self.server.close()


SCENARIOS = {"download": DownloadScenario, "corpus": CorpusScenario}


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env["no_proxy"] = env["NO_PROXY"] = "127.0.0.1"
    return env


def start(scenario, dest: Path):
    return scenario.start(dest)


def run_to_end(scenario, dest: Path) -> float:
    """Run the scenario to completion in a child; return how long it took."""
    began = time.monotonic()
    child = start(scenario, dest)
    _, err = child.communicate(timeout=120)
    assert child.returncode == 0, err.decode(errors="replace")
    return time.monotonic() - began


def snapshot(root: Path, normalize) -> dict[str, tuple[str, int, bytes]]:
    """``{relative path: (kind, mode, content)}`` of every entry under ``root``."""
    out = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        mode = stat.S_IMODE(path.lstat().st_mode)
        if path.is_dir():
            out[rel] = ("dir", mode, b"")
        else:
            out[rel] = ("file", mode, normalize(rel, path.read_bytes()))
    return out


def leftovers(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*")
                  if is_temp_name(p.name) or ".tmp" in p.name)


def kill_at_random_points(scenario, workdir: Path, runs: int = RUNS, seed: int = 0,
                          report=None) -> dict:
    """The whole check for one scenario; returns a summary (raises AssertionError on failure).

    The kills go on in one folder until a run happens to finish first; that folder is then
    checked like the final one, and the next kills start a new first run in a fresh folder, so
    that every kill lands in a first run that has not completed.
    """
    rng = random.Random(seed)
    reference = workdir / "reference"
    took = run_to_end(scenario, reference)
    expected = snapshot(reference, scenario.normalize)
    resumed = scenario.resume_time(reference, workdir / "resumed")
    episode, landed, interrupted = 0, Counter(), 0
    dest = workdir / "killed-0"
    for i in range(runs):
        length = resumed if scenario.resumes(dest) else took  # what is left to do
        delay, how = rng.uniform(0, length), rng.choice(SIGNALS)
        child = start(scenario, dest)
        time.sleep(delay)
        where = scenario.stage(dest)
        child.send_signal(how)
        _, err = child.communicate(timeout=120)
        finished = child.returncode == 0
        assert finished or child.returncode == -how, err.decode(errors="replace")
        left = leftovers(dest)
        interrupted += bool(left)
        landed["finished first" if finished else where] += 1
        if report:
            report(f"kill {i + 1:2}: {how.name:7} after {delay:4.2f} s, {where:11} -> "
                   f"{'finished' if finished else 'killed'}; temporaries left: {len(left)}")
        if scenario.stage(dest) == scenario.done:  # complete: check it, start a new first run
            run_to_end(scenario, dest)
            assert leftovers(dest) == [] and snapshot(dest, scenario.normalize) == expected
            episode += 1
            dest = workdir / f"killed-{episode}"
    run_to_end(scenario, dest)
    assert leftovers(dest) == []
    assert snapshot(dest, scenario.normalize) == expected
    return {"uninterrupted_s": round(took, 2), "resumed_s": round(resumed, 2),
            "landed": dict(landed),
            "kills_that_left_temporaries": interrupted, "first_runs": episode + 1}


def two_first_runs_at_once(scenario, workdir: Path) -> None:
    run_to_end(scenario, workdir / "reference")
    dest = workdir / "together"
    children = [start(scenario, dest) for _ in range(2)]
    for child in children:
        _, err = child.communicate(timeout=120)
        assert child.returncode == 0, err.decode(errors="replace")
    assert leftovers(dest) == []
    assert (snapshot(dest, scenario.normalize)
            == snapshot(workdir / "reference", scenario.normalize))


@pytest.fixture(params=sorted(SCENARIOS))
def scenario(request, tmp_path):
    made = SCENARIOS[request.param](tmp_path)
    yield made
    made.close()


@pytest.mark.slow
def test_killed_first_runs_leave_nothing_behind(scenario, tmp_path):
    summary = kill_at_random_points(scenario, tmp_path)
    # the kills must have hit writes in progress, or this test tested nothing
    assert summary["kills_that_left_temporaries"] >= 1, summary


@pytest.mark.slow
def test_two_first_runs_at_once_both_succeed(scenario, tmp_path):
    two_first_runs_at_once(scenario, tmp_path)


def main() -> int:
    import tempfile

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--scenario", choices=sorted(SCENARIOS), action="append")
    args = parser.parse_args()
    for name in args.scenario or sorted(SCENARIOS):
        with tempfile.TemporaryDirectory() as tmp:
            scenario = SCENARIOS[name](Path(tmp))
            try:
                print(f"== {name}: {args.runs} kills, seed {args.seed}")
                summary = kill_at_random_points(scenario, Path(tmp), args.runs, args.seed, print)
                print(f"final tree equals an uninterrupted run's, no temporaries: {summary}")
                two_first_runs_at_once(scenario, Path(tmp) / "concurrent")
                print("two first runs at once: both succeeded, same tree")
            finally:
                scenario.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
