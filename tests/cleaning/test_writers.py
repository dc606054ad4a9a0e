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
