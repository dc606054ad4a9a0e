"""Document <-> task conversion and the sync plan: pure functions on plain dicts."""

from __future__ import annotations

import pytest

from annotation import tasks
from annotation.tasks import plan_sync, read_documents, text_hash, to_task, to_task_data
from cleaning.document import Document
from cleaning.errors import CorpusError

A = Document(id="a", source="a.txt", text="The Taliban said.", title="T", meta={"date": "2021-07-01"})
B = Document(id="b", source="b.txt", text="UNAMA reported.")


def task(id: int, doc: Document, text: str | None = None, annotations: int = 0, **extra) -> dict:
    return {"id": id, "data": {"doc_id": doc.id, "text_hash": text_hash(text or doc.text),
                               **{k: "" for k in tasks.PAGE_FIELDS}},
            "total_annotations": annotations, "cancelled_annotations": 0, "drafts": [], **extra}


def test_task_data_ties_the_task_to_its_document():
    payload = to_task(A, "the Taliban", [{"model_version": "m", "result": []}])
    assert payload["data"] == {"doc_id": "a", "text_hash": text_hash(A.text), "title": "T", "text": A.text,
                               "source": "a.txt", "date": "2021-07-01", "target": "the Taliban",
                               "headline": "T", "dateline": "2021-07-01", "origin": "a.txt"}
    assert payload["predictions"] == [{"model_version": "m", "result": []}]
    assert "predictions" not in to_task(B, "x") and to_task(B, "x")["data"]["title"] == ""


def test_text_hash_changes_with_the_text_only():
    retitled = A.evolve(title="other", source="other.txt", meta={"date": "2022-01-01"})
    assert to_task_data(A, "x")["text_hash"] == to_task_data(retitled, "x")["text_hash"] == text_hash(A.text)
    assert text_hash(A.text) != text_hash(A.text + " ")


def test_plan_creates_missing_and_skips_current():
    plan = plan_sync([A, B], [task(1, A)])
    assert [d.id for d in plan.create] == ["b"] and plan.unchanged == 1 and not plan.update


def test_plan_updates_unannotated_and_reports_annotated_changes():
    plan = plan_sync([A, B], [task(1, A, text="old"), task(2, B, text="old", annotations=1)])
    assert [(i, d.id) for i, d in plan.update] == [(1, "a")]
    assert [(i, d.id) for i, d in plan.conflicts] == [(2, "b")]
    skipped = plan_sync([B], [task(2, B, text="old", cancelled_annotations=1)])
    drafted = plan_sync([B], [task(2, B, text="old", drafts=[{"id": 9}])])
    assert skipped.conflicts and drafted.conflicts and not skipped.update and not drafted.update


def test_plan_deletes_only_unannotated_duplicates_and_keeps_the_annotated_one():
    plan = plan_sync([A], [task(1, A), task(2, A, annotations=2), task(3, A)])
    assert plan.duplicates == [1, 3] and plan.unchanged == 1
    both = plan_sync([A], [task(1, A, annotations=1), task(2, A, annotations=1)])
    assert both.duplicates == [] and both.unchanged == 1  # never delete work


def test_plan_lists_orphans_without_touching_them():
    plan = plan_sync([A], [task(1, A), task(7, B), {"id": 8, "data": {"text": "no doc id"}}])
    assert plan.orphans == [7] and not plan.duplicates


def test_read_documents_names_the_bad_line(tmp_path):
    (tmp_path / "documents.jsonl").write_text('{"id": "a", "source": "a", "text": "x"}\n{"id": \n')
    with pytest.raises(CorpusError, match=r"documents.jsonl:2: not a document"):
        read_documents(tmp_path)
    (tmp_path / "documents.jsonl").write_text('{"id": "a", "source": "a", "text": "x"}\n' * 2)
    with pytest.raises(CorpusError, match=r"documents.jsonl:2: document id a repeats line 1"):
        read_documents(tmp_path)
    with pytest.raises(CorpusError, match="run `corpus clean`"):
        read_documents(tmp_path / "missing")


def test_task_data_carries_the_page_header_and_says_when_the_date_is_unknown():
    dated = Document(id="d1", source="001.txt", text="x", title="US Concerned", meta={"date": "2024-02-03",
                                                                                      "url": "https://voa.example/1"})
    undated = Document(id="d2", source="002.txt", text="y")
    assert {k: to_task_data(dated, "t")[k] for k in ("headline", "dateline", "origin")} == {
        "headline": "US Concerned", "dateline": "2024-02-03", "origin": "https://voa.example/1"}
    assert {k: to_task_data(undated, "t")[k] for k in ("headline", "dateline", "origin", "date")} == {
        "headline": tasks.NO_HEADLINE, "dateline": tasks.DATE_UNKNOWN, "origin": "002.txt", "date": ""}


def test_a_task_pushed_before_the_page_header_is_updated_unless_someone_worked_on_it():
    old = [{"id": 1, "data": {"doc_id": "a", "text_hash": text_hash(A.text)}, "total_annotations": 0},
           {"id": 2, "data": {"doc_id": "b", "text_hash": text_hash(B.text)}, "total_annotations": 1}]
    plan = plan_sync([A, B], old)
    assert [(task_id, doc.id) for task_id, doc in plan.update] == [(1, "a")] and plan.unchanged == 1
    assert not plan.conflicts


def test_an_unanswered_task_whose_data_is_not_what_the_push_sends_is_updated():
    # A push with a learned gazetteer offers other actor options: tasks nobody answered get them.
    def sent(doc):
        return to_task_data(doc, "t", {"actors": [{"value": "Q42418", "html": "Taliban"}]})
    stale = [{"id": 1, "data": to_task_data(A, "t", {"actors": []}), "total_annotations": 0},
             {"id": 2, "data": to_task_data(B, "t", {"actors": []}), "total_annotations": 1}]
    plan = plan_sync([A, B], stale, sent)
    assert [(task_id, doc.id) for task_id, doc in plan.update] == [(1, "a")] and plan.unchanged == 1
    current = [{"id": 1, "data": sent(A), "total_annotations": 0}]
    assert plan_sync([A], current, sent).unchanged == 1
