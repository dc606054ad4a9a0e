"""Gold resolution, conflicts, span checks against the cleaned document, raw offsets."""

from exports.annotations import parse_task
from exports.gold import check_spans, excluded, gold_record, resolve_task, to_conflict
from exports.pipeline import resolve_tasks
from tests.exports.factories import RAW, TEXT, annotation, document, full_answer, span, stance, task


def resolve(*annotations, doc=None):
    return resolve_task(parse_task(task(1, doc or document(), list(annotations))))


def test_two_annotators_who_agree_make_gold():
    res = resolve(annotation(1, "a@x", full_answer()), annotation(2, "b@x", full_answer()))
    assert res.resolved and res.method == "majority" and res.stance == "AGAINST"
    assert [(s.text, s.label, s.attributes["country"]) for s in res.spans] == [
        ("Taliban", "GOV", "AFG"),
        ("United States", "GOV", "USA"),
    ]
    assert [r.label for r in res.relations] == ["OPPOSES"] and res.annotation_ids == (1, 2)


def test_two_annotators_who_disagree_make_a_conflict_with_both_answers():
    res = resolve(
        annotation(1, "a@x", full_answer(stance_value="FAVOR", taliban="REB")),
        annotation(2, "b@x", full_answer()),
    )
    assert not res.resolved
    assert "stance: AGAINST 1, FAVOR 1" in res.disputes
    assert "span (13, 20, GOV): 1 of 2" in res.disputes and "span (13, 20, REB): 1 of 2" in res.disputes
    conflict = to_conflict(res)
    assert conflict["task_id"] == 1 and conflict["doc_id"] == "d1"
    assert [(a["annotator"], a["stance"], a["spans"][0]["label"]) for a in conflict["answers"]] == [
        ("a@x", "FAVOR", "REB"),
        ("b@x", "AGAINST", "GOV"),
    ]


def test_ground_truth_wins_over_a_majority():
    res = resolve(
        annotation(1, "a@x", full_answer()),
        annotation(2, "b@x", full_answer()),
        annotation(3, "lead@x", full_answer(stance_value="NONE", taliban="MIL"), ground_truth=True),
    )
    assert res.resolved and res.method == "ground_truth" and res.annotation_ids == (3,)
    assert res.stance == "NONE" and res.spans[0].label == "MIL"


def test_a_single_annotation_is_gold_and_three_annotators_need_two():
    assert resolve(annotation(1, "a@x", full_answer())).method == "single"
    res = resolve(
        annotation(1, "a@x", full_answer(taliban="REB", country="PAK")),
        annotation(2, "b@x", full_answer()),
        annotation(3, "c@x", full_answer(stance_value="FAVOR")),
    )
    assert res.resolved and res.stance == "AGAINST"
    assert [(s.label, s.attributes["country"]) for s in res.spans] == [("GOV", "AFG"), ("GOV", "USA")]


def test_a_tied_span_attribute_is_a_dispute():
    res = resolve(annotation(1, "a@x", full_answer(country="PAK")), annotation(2, "b@x", full_answer()))
    assert res.disputes == ("country of span (13, 20, GOV): AFG 1, PAK 1",)
    assert res.spans[0].attributes == {}


def test_a_drifted_span_is_moved_to_its_text_and_reported():
    doc = document()
    drifted = [*span(TEXT, "United States", "GOV", "r1", shift=2), stance("NONE")]
    res, checks = check_spans(resolve(annotation(1, "a@x", drifted)), doc)
    [check] = checks
    assert check.action == "realigned" and check.found == "ited States o"
    assert (check.span.start, check.moved_to) == (TEXT.index("United States") + 2, (49, 62))
    assert not excluded(checks)
    assert doc.text[res.spans[0].start : res.spans[0].end] == "United States"


def test_a_span_whose_text_is_nowhere_keeps_its_task_out_of_gold():
    bad = [
        {
            "id": "r1",
            "from_name": "actor",
            "to_name": "text",
            "type": "labels",
            "value": {"start": 0, "end": 5, "text": "Kandahar", "labels": ["GOV"]},
        },
        stance("NONE"),
    ]
    doc = document()
    out = resolve_tasks([parse_task(task(9, doc, [annotation(1, "a@x", bad)]))], {doc.id: doc}, "snap.json")
    assert out.records == [] and out.excluded == 1
    assert out.checks == [
        {
            "task_id": 9,
            "doc_id": "d1",
            "label": "GOV",
            "start": 0,
            "end": 5,
            "span_text": "Kandahar",
            "document_text": "Kabul",
            "action": "excluded",
            "moved_to": None,
        }
    ]


def test_gold_spans_carry_offsets_in_the_raw_scrape():
    doc = document()
    res = resolve(annotation(1, "a@x", full_answer()), doc=doc)
    record = gold_record(res, doc, "snap.json")
    for s in record["spans"]:
        assert RAW[s["raw_start"] : s["raw_end"]] == s["text"]
    # one space fewer before it in the clean text (the tab became one space: same length)
    assert (record["spans"][1]["start"], record["spans"][1]["raw_start"]) == (49, 50)
    assert record["relations"] == [{"source": 1, "target": 0, "label": "OPPOSES"}]
    assert record["provenance"]["cleaning_steps"] == ["collapse_spaces"]


def test_unresolved_tasks_stay_out_unless_asked():
    doc = document()
    tasks = [
        parse_task(
            task(
                1,
                doc,
                [
                    annotation(1, "a@x", full_answer(stance_value="FAVOR")),
                    annotation(2, "b@x", full_answer()),
                ],
            )
        )
    ]
    left_out = resolve_tasks(tasks, {doc.id: doc}, "s.json")
    assert left_out.records == [] and len(left_out.conflicts) == 1
    kept = resolve_tasks(tasks, {doc.id: doc}, "s.json", include_unresolved=True)
    [record] = kept.records
    assert len(kept.conflicts) == 1 and record["resolved"] is False and record["stance"] is None
    assert len(record["spans"]) == 2  # the items that did have a majority


def test_a_task_whose_text_changed_since_the_push_is_left_out():
    doc = document()
    changed = doc.evolve(text=doc.text.replace("Sunday", "Monday"))
    out = resolve_tasks([parse_task(task(4, doc, [annotation(1, "a@x", full_answer())]))], {doc.id: changed}, "s")
    assert out.records == [] and out.excluded == 1 and "differs from the cleaned document" in out.checks[0]["reason"]


def test_unannotated_tasks_are_counted():
    doc = document()
    out = resolve_tasks([parse_task(task(1, doc, []))], {doc.id: doc}, "s")
    assert out.unannotated == 1 and out.records == [] and out.conflicts == []
