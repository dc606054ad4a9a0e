"""Atomic outputs: all or nothing, readable by others, secrets private."""

import stat

import pytest

from cleaning.errors import CorpusError
from cleaning.writers import atomic_folder, atomic_write


def test_atomic_write_leaves_nothing_on_failure_and_shares_the_file(tmp_path):
    path = tmp_path / "out" / "documents.jsonl"
    with pytest.raises(RuntimeError), atomic_write(path) as f:
        f.write("half")
        raise RuntimeError("crash")
    assert not path.exists() and list(path.parent.iterdir()) == []
    with atomic_write(path) as f:
        f.write("whole\n")
    assert path.read_text() == "whole\n" and stat.S_IMODE(path.stat().st_mode) == 0o644
    with atomic_write(tmp_path / ".env", mode=0o600) as f:
        f.write("TOKEN=x\n")
    assert stat.S_IMODE((tmp_path / ".env").stat().st_mode) == 0o600


def test_atomic_folder_replaces_only_when_forced(tmp_path):
    target = tmp_path / "export"
    with atomic_folder(target) as folder:
        (folder / "a.txt").write_text("first")
    with pytest.raises(CorpusError, match="already exists"), atomic_folder(target) as folder:
        (folder / "a.txt").write_text("second")
    assert (target / "a.txt").read_text() == "first"
    with atomic_folder(target, force=True) as folder:
        (folder / "a.txt").write_text("second")
    assert (target / "a.txt").read_text() == "second"
    assert stat.S_IMODE(target.stat().st_mode) == 0o755
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export"]  # no temporary or old folder left


KILLED_WRITER = """
import os, signal, sys
from pathlib import Path
from cleaning import writers
from cleaning.document import Document

def documents():
    yield Document(id="new", source="new.txt", text="new text")
    if sys.argv[2] == "while-writing":
        os.kill(os.getpid(), signal.SIGKILL)

def exchange_then_die(a, b, swap=writers.exchange):
    assert swap(a, b)  # Linux: the one atomic step
    os.kill(os.getpid(), signal.SIGKILL)

if sys.argv[2] == "after-the-swap":  # the new set is in place; the old one is not yet removed
    writers.exchange = exchange_then_die
writers.write_outputs(documents(), Path(sys.argv[1]))
"""


def _run_killed(out, when):
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", KILLED_WRITER, str(out), when], capture_output=True, text=True)
    assert done.returncode == -9, done.stderr


def _outputs(out):
    return {p.name: p.read_text() for p in out.iterdir()}


def test_a_killed_run_leaves_the_old_set_whole_and_the_next_run_removes_its_temporaries(tmp_path):
    from cleaning.document import Document
    from cleaning.writers import write_outputs

    out = tmp_path / "out"
    write_outputs([Document(id="old", source="old.txt", text="old text")], out)
    old = _outputs(out)
    _run_killed(out, "while-writing")
    assert _outputs(out) == old
    [stale] = [p.name for p in tmp_path.iterdir() if p.name != "out"]
    assert stale.startswith(".out.") and stale.endswith(".tmp")

    _run_killed(out, "after-the-swap")
    new = _outputs(out)
    assert '"id": "new"' in new["documents.jsonl"] and "1 inputs: 1 documents kept" in new["report.md"]
    assert sorted(new) == sorted(old)  # one whole set: the new documents beside the new report
    [held] = tmp_path.glob(".out.*.tmp")  # the first killed run's temporary went; this one holds the old set
    assert held.name != stale and _outputs(held) == old

    write_outputs([Document(id="third", source="third.txt", text="third text")], out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_an_output_folder_with_other_files_is_refused_before_any_work(tmp_path):
    from cleaning.writers import write_outputs

    (tmp_path / "notes.txt").write_text("mine")

    def never():
        raise AssertionError("cleaned although the folder was refused")
        yield

    with pytest.raises(CorpusError, match="holds files `corpus clean` did not write: notes.txt") as err:
        write_outputs(never(), tmp_path)
    assert "new or empty folder" in err.value.hint and (tmp_path / "notes.txt").read_text() == "mine"


def test_a_temporary_of_a_running_writer_is_left_alone(tmp_path):
    import os

    from cleaning.writers import remove_stale_temporaries

    live, dead = tmp_path / f".out.{os.getpid()}.abc.tmp", tmp_path / ".out.999999999.abc.tmp"
    live.mkdir()
    dead.mkdir()
    assert remove_stale_temporaries(tmp_path / "out") == [dead]
    assert live.exists() and not dead.exists()
