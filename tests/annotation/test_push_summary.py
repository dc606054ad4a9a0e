"""What `corpus push` tells the user, on plain reports: no server needed."""

from __future__ import annotations

from annotation.push import PushReport
from cli.annotate import push_summary


def report(**fields) -> PushReport:
    return PushReport(1, "http://127.0.0.1:8080/projects/1/data", **fields)


def test_an_unchanged_corpus_is_nothing_to_do_and_exits_0():
    lines, code = push_summary(report(documents=5, unchanged=5))
    assert lines[0] == "[green]nothing to do[/]: all 5 documents are already in the project" and code == 0


def test_changed_annotated_documents_are_counted_all_and_exit_1():
    conflicts = [(1000 + i, f"doc{i:03}") for i in range(100)]
    lines, code = push_summary(report(documents=10_000, unchanged=9_900, conflicts=conflicts))
    assert code == 1
    assert not any("nothing to do" in line for line in lines)
    assert lines[0].startswith("[green]0 created[/], 0 updated, 9900 unchanged of 10000 documents")
    assert "100 annotated document(s) changed text and were NOT updated" in lines[1]
    listed = [line for line in lines if line.startswith("  task ")]
    assert len(listed) == 20 and listed[0] == "  task 1000: doc000"
    assert "  ... and 80 more not listed" in lines
    assert any("corpus pull" in line for line in lines)


def test_exactly_twenty_conflicts_are_all_listed_with_no_more_line():
    lines, code = push_summary(report(documents=20, conflicts=[(i, f"d{i}") for i in range(20)]))
    assert code == 1 and sum(line.startswith("  task ") for line in lines) == 20
    assert not any("more not listed" in line for line in lines)
