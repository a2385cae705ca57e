"""textseq._files, atomic writes: temp-then-rename, dead writers' leftovers, races, permissions."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from textseq import _files as atomic
from textseq._files import (
    atomic_dir,
    atomic_file,
    is_temp_name,
    remove_stale,
    temp_path,
    write_bytes,
    write_text,
)


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def python(code: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(code)], **kwargs)


@pytest.fixture
def umask():
    """Run with a known umask (restored afterwards)."""
    old = os.umask(0o022)
    yield lambda value: os.umask(value)
    os.umask(old)


def test_files_and_text(tmp_path):
    assert write_bytes(tmp_path / "sub" / "a.bin", b"\x00\x01") == tmp_path / "sub" / "a.bin"
    assert (tmp_path / "sub" / "a.bin").read_bytes() == b"\x00\x01"
    write_text(tmp_path / "a.txt", "é\r\n")
    assert (tmp_path / "a.txt").read_bytes() == "é\r\n".encode()  # no newline translation
    write_text(tmp_path / "a.txt", "replaced")
    assert (tmp_path / "a.txt").read_text() == "replaced"
    assert names(tmp_path) == ["a.txt", "sub"]
    with pytest.raises(ValueError, match="mode must be 'wb' or 'w', got 'a'"):
        with atomic_file(tmp_path / "b", "a"):
            pass


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    write_text(tmp_path / "a.txt", "old")
    with pytest.raises(KeyboardInterrupt):
        with atomic_file(tmp_path / "a.txt", "w", encoding="utf-8") as f:
            f.write("half")
            raise KeyboardInterrupt
    assert names(tmp_path) == ["a.txt"] and (tmp_path / "a.txt").read_text() == "old"
    with pytest.raises(RuntimeError):
        with atomic_dir(tmp_path / "tree") as tmp:
            (tmp / "x").write_text("x")
            raise RuntimeError("boom")
    assert names(tmp_path) == ["a.txt"]


@pytest.mark.parametrize("mask, file_mode, dir_mode", [(0o022, 0o644, 0o755),
                                                       (0o002, 0o664, 0o775),
                                                       (0o077, 0o600, 0o700)])
def test_permissions_follow_the_umask(tmp_path, umask, mask, file_mode, dir_mode):
    """Issue 11, fault 16: tempfile's 0600/0700 made shared data unreadable to other users."""
    umask(mask)
    write_bytes(tmp_path / "f", b"x")
    with atomic_dir(tmp_path / "d") as tmp:
        (tmp / "inner").write_bytes(b"y")
    assert stat.S_IMODE((tmp_path / "f").stat().st_mode) == file_mode
    assert stat.S_IMODE((tmp_path / "d").stat().st_mode) == dir_mode


@pytest.mark.parametrize("old_mode", [0o600, 0o664, 0o444], ids=oct)
def test_a_replaced_file_keeps_its_mode(tmp_path, umask, old_mode):
    """Issue 19 re-run, finding 17: `--fix` of a 0600 notebook left it 0644 (the umask's)."""
    (tmp_path / "f").write_text("old")
    (tmp_path / "f").chmod(old_mode)
    write_text(tmp_path / "f", "new")
    assert (tmp_path / "f").read_text() == "new"
    assert stat.S_IMODE((tmp_path / "f").stat().st_mode) == old_mode


def test_temp_names_carry_host_pid_and_start_time(tmp_path):
    tmp = temp_path(tmp_path / "glove.6B.zip")
    assert tmp.parent == tmp_path and is_temp_name(tmp.name)
    assert tmp.name.startswith(".glove.6B.zip.tmp-")
    assert f"-{os.getpid()}-" in tmp.name
    assert temp_path(tmp_path / "x") != temp_path(tmp_path / "x")
    long = temp_path(tmp_path / ("n" * 250))
    assert len(long.name) < 255 and is_temp_name(long.name)
    assert not is_temp_name(".aclImdb.tmp-abc123")  # tempfile's names are not ours


def _leave_temp(folder: Path, kind: str) -> subprocess.Popen:
    """A child that makes a temp file or folder beside folder/target and then waits."""
    return python(f"""
        import sys, time
        from textseq._files import temp_path
        tmp = temp_path({str(folder / 'target')!r})
        tmp.mkdir() if {kind!r} == "dir" else tmp.write_bytes(b"partial")
        (tmp / "inner").write_bytes(b"x") if {kind!r} == "dir" else None
        print(tmp, flush=True)
        time.sleep(60)
    """, stdout=subprocess.PIPE, text=True)


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["file", "dir"])
@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM])
def test_the_leftovers_of_a_dead_writer_are_removed_and_a_live_ones_kept(tmp_path, kind, how):
    live, dead = _leave_temp(tmp_path, kind), _leave_temp(tmp_path, kind)
    try:
        live_tmp, dead_tmp = Path(live.stdout.readline().strip()), Path(dead.stdout.readline()
                                                                            .strip())
        dead.send_signal(how)
        dead.wait()
        assert dead_tmp.exists()  # the signal left it behind
        write_text(tmp_path / "target", "done")  # the next writer in that folder tidies up
        assert not dead_tmp.exists() and live_tmp.exists()
        assert names(tmp_path) == sorted([live_tmp.name, "target"])
    finally:
        live.kill()
        live.wait()
    assert remove_stale(tmp_path) == [live_tmp]
    assert names(tmp_path) == ["target"]


@pytest.mark.slow
def test_a_killed_writer_not_yet_reaped_counts_as_dead(tmp_path):
    child = _leave_temp(tmp_path, "file")
    tmp = Path(child.stdout.readline().strip())
    os.kill(child.pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while atomic._proc_stat(child.pid)[0] != "Z":  # a zombie until waited for
        assert time.monotonic() < deadline
        time.sleep(0.01)
    assert remove_stale(tmp_path) == [tmp]
    child.wait()


def test_reused_pids_and_other_hosts(tmp_path):
    parent = os.getppid()  # alive, but started before the writer this name claims
    start = atomic._proc_stat(parent)[1]
    host = atomic._HOST  # a hash of this machine's name
    reused = tmp_path / f".x.tmp-{host}-{parent}-{start + 12345}-0123abcd"
    same = tmp_path / f".x.tmp-{host}-{parent}-{start}-0123abcd"
    elsewhere = tmp_path / ".x.tmp-ffffffff-999999999-1-0123abcd"
    for path in (reused, same, elsewhere):
        path.write_bytes(b"")
    assert host != "ffffffff"
    assert remove_stale(tmp_path) == [reused]
    assert names(tmp_path) == sorted([same.name, elsewhere.name])


def test_a_lost_folder_race_keeps_the_winners_folder(tmp_path):
    """Issue 11, fault 5: the loser used to die with OSError: Directory not empty."""
    dest = tmp_path / "tree"
    with atomic_dir(dest) as mine:
        (mine / "a.txt").write_text("mine")
        with atomic_dir(dest) as theirs:  # another writer finishes first
            (theirs / "a.txt").write_text("theirs")
        assert dest.is_dir()
    assert names(tmp_path) == ["tree"] and (dest / "a.txt").read_text() == "theirs"


def test_a_file_in_the_way_is_not_accepted_as_a_winner(tmp_path):
    dest = tmp_path / "tree"
    with pytest.raises(NotADirectoryError):
        with atomic_dir(dest) as tmp:
            (tmp / "a").write_text("a")
            dest.write_text("not a folder")
    assert names(tmp_path) == ["tree"]


@pytest.mark.slow
def test_two_processes_building_the_same_folder_at_once_both_succeed(tmp_path):
    go = tmp_path / "go"
    code = f"""
        import pathlib, time
        from textseq._files import atomic_dir
        with atomic_dir({str(tmp_path / 'tree')!r}) as tmp:
            for i in range(50):
                (tmp / f"{{i}}.txt").write_text(str(i))
            print("ready", flush=True)
            while not pathlib.Path({str(go)!r}).exists():
                time.sleep(0.005)
        print("done", flush=True)
    """
    children = [python(code, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                for _ in range(2)]
    for child in children:
        assert child.stdout.readline() == "ready\n"  # both are inside the block now
    go.write_bytes(b"")
    for child in children:
        out, err = child.communicate(timeout=60)
        assert child.returncode == 0, err
        assert out == "done\n"
    assert names(tmp_path) == ["go", "tree"]
    assert names(tmp_path / "tree") == sorted(f"{i}.txt" for i in range(50))


def test_an_unwritable_place_is_named(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(FileExistsError, match=f"{tmp_path / 'file'}"):
        write_bytes(tmp_path / "file" / "data.bin", b"x")
    with pytest.raises(FileExistsError, match=f"{tmp_path / 'file'}"):
        with atomic_dir(tmp_path / "file" / "tree"):
            pass
    assert names(tmp_path) == ["file"]
