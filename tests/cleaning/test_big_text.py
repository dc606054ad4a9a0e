"""One text file past `max_document_bytes` cleans in bounded memory: its parts are pieces of their own.

The planner cuts the file by byte range where `paragraph_parts` cuts it, so
each part is read (and cleaned) by one worker alone; the documents are the
same as when one worker read the file whole and cut it.
"""

from __future__ import annotations

import tracemalloc
from itertools import pairwise
from pathlib import Path

from cleaning.config import CleanConfig
from cleaning.document import Document, replay
from cleaning.pipeline import clean_corpus, plan_partitions, read_partition
from cleaning.readers import RawRecord, paragraph_parts

LIMIT = 2_000


def paragraph(n: int) -> str:
    """Return a distinct paragraph of 1 to 5 sentences (about 110 to 560 bytes)."""
    sentence = f"Officials in Kabul said talks on file number {n} would resume within {n % 9 + 2} weeks. "
    return sentence * (n % 5 + 1)


def big_text(folder: Path, paragraphs: int = 120) -> Path:
    """Write one .txt file of `paragraphs` paragraphs, blank lines between, and an 8 KB line with no break."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "big.txt"
    body = [paragraph(n) for n in range(paragraphs)]
    body.insert(paragraphs // 2, "x" * 8_000)  # longer than four limits: cut by bytes, not at a paragraph
    path.write_text("\n\n".join(body) + "\n", encoding="utf-8")
    return path


def cut_as_one_read(path: Path, limit: int) -> list[RawRecord]:
    """The parts as a reader holding the whole file would cut them: `paragraph_parts` on its lines."""
    with path.open("rb") as f:
        lines = list(iter(lambda: f.readline(limit), b""))
    return [RawRecord(f"big.txt#part{n}", data=b"".join(part), flags={"split_from": "big.txt"})
            for n, part in enumerate(paragraph_parts(lines, limit), start=1)]


def test_each_part_is_a_piece_no_bigger_than_the_limit_and_a_paragraph(tmp_path):
    path = big_text(tmp_path / "in")
    longest = max(len(paragraph(n).encode()) for n in range(120)) + 2  # a paragraph and its blank line
    for partitions in (1, 3, 50):
        pieces = [p for part in plan_partitions(tmp_path / "in", partitions, LIMIT) for p in part]
        sizes = [p.end - p.start for p in pieces]
        assert [p.part for p in pieces] == list(range(1, len(pieces) + 1)) and len(pieces) >= 10
        assert sum(sizes) == path.stat().st_size and all(a.end == b.start for a, b in pairwise(pieces))
        cut_in_a_paragraph = [s for s in sizes if s > LIMIT + longest]
        assert len(cut_in_a_paragraph) == 2 and all(s <= 2 * LIMIT + LIMIT for s in cut_in_a_paragraph)


def test_a_partition_holds_its_share_of_a_big_file_not_the_file(tmp_path):
    path = big_text(tmp_path / "in")
    for partitions in (3, 10):
        plan = plan_partitions(tmp_path / "in", partitions, LIMIT)
        share = path.stat().st_size / partitions
        assert len(plan) >= partitions // 2
        assert all(sum(p.end - p.start for p in part) < share + 3 * LIMIT for part in plan), partitions


def test_the_parts_read_by_range_are_the_parts_of_one_read(tmp_path):
    path = big_text(tmp_path / "in")
    whole = cut_as_one_read(path, LIMIT)
    for partitions in (1, 4, 200):
        plan = plan_partitions(tmp_path / "in", partitions, LIMIT)
        assert [r for part in plan for r in read_partition(part)] == whole, partitions


def test_the_parts_clean_the_same_on_any_number_of_partitions_and_replay(tmp_path, monkeypatch):
    path = big_text(tmp_path / "in")
    config = CleanConfig(max_document_bytes=LIMIT)
    one = list(clean_corpus(tmp_path / "in", config, workers=1))
    monkeypatch.setattr("cleaning.pipeline.LOCAL_PARTITION_BYTES", LIMIT)  # a partition per part, or so
    many = list(clean_corpus(tmp_path / "in", config, workers=2))
    assert many == one and all(isinstance(d, Document) for d in one)
    assert [d.source for d in one] == [f"big.txt#part{n}" for n in range(1, len(one) + 1)]
    assert all(d.flags["split_from"] == "big.txt" and replay(d.raw_text(), d.edits) == d.text for d in one)
    assert "".join(d.raw_text() for d in one) == path.read_text(encoding="utf-8")  # nothing lost or doubled


def test_planning_and_reading_a_big_file_hold_one_part_at_a_time(tmp_path):
    size = big_text(tmp_path / "in", paragraphs=6_000).stat().st_size  # about 2 MB: six hundred parts
    tracemalloc.start()
    try:
        plan = plan_partitions(tmp_path / "in", 1, LIMIT)  # even one partition is read part by part
        planned = tracemalloc.get_traced_memory()[1]
        tracemalloc.reset_peak()
        count = sum(1 for part in plan for _ in read_partition(part))
        read = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert count >= 500
    assert planned < size / 5, planned  # the plan: a few hundred bytes a part, never the text
    assert read < size / 10, read  # a part, a line and the file's buffers
