"""The `corpus clean` command as a user runs it."""

import os
import subprocess
import sys
from pathlib import Path

SEEDS = Path(__file__).parents[2] / "corpus" / "raw"


def corpus(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": "120", "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "cli", *args], capture_output=True, text=True, env=env)


def test_clean_writes_outputs_and_a_summary(tmp_path):
    result = corpus("clean", str(SEEDS), "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "5 kept" in result.stdout and "0 rejected" in result.stdout
    assert "glued_words" in result.stdout
    assert "languages: en 5" in result.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["documents.jsonl", "rejected.jsonl", "report.md"]

    explained = corpus("clean", "--out", str(tmp_path), "--explain", "000_cfec9ad629494080.txt")
    assert explained.returncode == 0, explained.stderr
    assert "Afghanistan [glued_words]of Taliban" in explained.stdout
    assert "Source link" in explained.stdout and "glued_words 3" in explained.stdout


def test_user_mistakes_get_a_message_not_a_traceback(tmp_path):
    missing = corpus("clean", str(tmp_path / "nope"), "--out", str(tmp_path / "out"))
    assert missing.returncode == 1
    assert "input not found" in missing.stderr and "Traceback" not in missing.stderr
    skip = corpus("clean", str(SEEDS), "--out", str(tmp_path / "o"), "--skip", "glue")
    assert skip.returncode == 1 and "unknown repair: glue" in skip.stderr and "glued_words" in skip.stderr
    explain = corpus("clean", "--out", str(tmp_path / "none"), "--explain", "x.txt")
    assert explain.returncode == 1 and "run `corpus clean` first" in explain.stderr


def test_parquet_format_writes_parts_too(tmp_path):
    result = corpus("clean", str(SEEDS), "--out", str(tmp_path), "--format", "parquet", "--workers", "1")
    assert result.returncode == 0, result.stderr
    assert "documents.parquet/" in result.stdout
    assert [p.name for p in (tmp_path / "documents.parquet").iterdir()] == ["part-00000.parquet"]


def test_help_explains_the_command():
    result = corpus("clean", "--help")
    assert result.returncode == 0
    assert "--skip" in result.stdout and "glued_words" in result.stdout and "--explain" in result.stdout
