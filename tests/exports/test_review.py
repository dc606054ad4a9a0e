"""A team's desks merged by document, and the review tasks `corpus adjudicate` builds from open items."""

from __future__ import annotations

from exports.annotations import parse_annotation, parse_export
from exports.gold import resolve_task
from exports.review import AGREED_MODEL, answer_result, review_task, review_tasks
from exports.snapshots import merge_desks
from tests.exports.factories import TEXT, annotation, document, full_answer, task

DOC = document("d1")


def desk_task(task_id: int, ann_id: int, who: str, stance: str) -> dict:
    raw = task(task_id, DOC, [annotation(ann_id, who, full_answer(stance_value=stance))])
    raw["data"]["text_hash"] = "same"
    return raw


def merged(review: list[dict] | None = None) -> list[dict]:
    return merge_desks({"desk 1": [desk_task(7, 70, "a@x", "AGAINST")],
                        "desk 2": [desk_task(3, 30, "b@x", "FAVOR")]}, review)


def test_desks_merge_into_one_task_per_document_holding_every_answer():
    [one] = merged()
    assert one["id"] == 3 and one["meta"]["team_tasks"] == {"desk 1": 7, "desk 2": 3}
    assert sorted(a["completed_by"]["email"] for a in one["annotations"]) == ["a@x", "b@x"]


def test_a_document_whose_text_differs_between_desks_is_never_compared():
    other = desk_task(3, 30, "b@x", "FAVOR")
    other["data"]["text_hash"] = "changed"
    assert len(merge_desks({"desk 1": [desk_task(7, 70, "a@x", "AGAINST")], "desk 2": [other]})) == 2


def test_the_review_answer_adjudicates_only_the_open_stance_and_stays_out_of_the_independent_answers():
    review = desk_task(11, 110, "a@x", "NONE")  # the curator may be an annotator too: both answers are kept
    [parsed] = parse_export(merged([review]))
    assert sum(a.adjudication for a in parsed.annotations) == 1 and len(parsed.annotations) == 3
    resolution = resolve_task(parsed)
    assert resolution.stance == "NONE" and resolution.method == "adjudicated"
    assert resolution.adjudication_id == 110 and sorted(resolution.annotation_ids) == [30, 70]
    assert all(i.status == "agreed" for i in resolution.items if i.kind != "stance")


def test_a_review_task_prefills_the_agreed_items_and_names_each_answer_by_its_annotator():
    [parsed] = parse_export(merged())
    built = review_task(parsed)
    agreed, *answers = built["predictions"]
    assert agreed["model_version"] == AGREED_MODEL and [a["model_version"] for a in answers] == ["b@x", "a@x"]
    kinds = sorted((r.get("from_name", ""), r["type"]) for r in agreed["result"])
    assert kinds == [("", "relation"), ("actor", "labels"), ("actor", "labels"),
                     ("country", "choices"), ("country", "choices")]  # spans, countries, relation; no stance
    assert built["data"]["open_items"] == "1 open: stance" and built["data"]["text"] == TEXT


def test_an_answer_written_back_reads_as_the_same_answer():
    raw = annotation(5, "a@x", full_answer())
    original = parse_annotation(raw, 1)
    again = parse_annotation(raw | {"result": answer_result(original)}, 1)
    strip = [(s.key, s.attributes) for s in original.spans], original.relations, original.stance
    assert ([(s.key, s.attributes) for s in again.spans], again.relations, again.stance) == strip


def test_a_document_without_open_items_gets_no_review_task():
    agreed = merge_desks({"desk 1": [desk_task(7, 70, "a@x", "FAVOR")], "desk 2": [desk_task(3, 30, "b@x", "FAVOR")]})
    assert review_tasks(parse_export(agreed)) == []
