"""Gold resolution, conflicts, span checks against the cleaned document, raw offsets."""

from exports.annotations import parse_task
from exports.gold import check_spans, excluded, gold_record, item_statuses, resolve_task, to_conflicts
from exports.pipeline import resolve_tasks
from tests.exports.factories import RAW, TEXT, annotation, document, full_answer, relation, span, stance, task


def resolve(*annotations, doc=None, curators=()):
    return resolve_task(parse_task(task(1, doc or document(), list(annotations))), curators)


def statuses(res):
    return {(i.kind, i.key): i.status for i in res.items}


def test_two_annotators_who_agree_make_gold():
    res = resolve(annotation(1, "a@x", full_answer()), annotation(2, "b@x", full_answer()))
    assert res.resolved and res.method == "agreed" and res.stance == "AGAINST"
    assert [(s.text, s.label, s.attributes["country"]) for s in res.spans] == [
        ("Taliban", "GOV", "AFG"),
        ("United States", "GOV", "USA"),
    ]
    assert [r.label for r in res.relations] == ["OPPOSES"] and res.annotation_ids == (1, 2)
    assert item_statuses(res) == {
        "stance": {"agreed": 1, "single": 0, "adjudicated": 0, "open": 0},
        "span": {"agreed": 2, "single": 0, "adjudicated": 0, "open": 0},
        "attribute": {"agreed": 2, "single": 0, "adjudicated": 0, "open": 0},
        "relation": {"agreed": 1, "single": 0, "adjudicated": 0, "open": 0},
    }


def test_one_tied_span_leaves_every_other_item_gold():
    res = resolve(annotation(1, "a@x", full_answer(taliban="REB")), annotation(2, "b@x", full_answer()))
    assert not res.resolved and res.method == "open" and res.stance == "AGAINST"
    [open_item] = [i for i in res.items if i.open and i.kind == "span"]
    assert open_item.key == (13, 20) and dict(open_item.answers) == {
        "a@x": ((13, 20, "REB"),),
        "b@x": ((13, 20, "GOV"),),
    }
    assert [(s.text, s.label) for s in res.spans] == [("United States", "GOV")]  # the agreed span is gold at once
    [relation] = [i for i in res.items if i.kind == "relation"]
    assert relation.open and relation.reason == "an end is an open span"


def test_conflicts_list_items_with_each_annotators_answer():
    res = resolve(
        annotation(1, "a@x", full_answer(stance_value="FAVOR", taliban="REB")),
        annotation(2, "b@x", full_answer()),
    )
    conflicts = to_conflicts(res)
    assert [(c["kind"], c["item"].get("text")) for c in conflicts] == [
        ("stance", None),
        ("span", "Taliban"),
        ("relation", None),
    ]
    stance_conflict, span_conflict, relation_conflict = conflicts
    assert stance_conflict == {
        "task_id": 1,
        "doc_id": "d1",
        "kind": "stance",
        "item": {},
        "reason": "no majority: AGAINST 1, FAVOR 1",
        "answers": {"a@x": "FAVOR", "b@x": "AGAINST"},
    }
    assert span_conflict["answers"] == {
        "a@x": [{"start": 13, "end": 20, "text": "Taliban", "label": "REB"}],
        "b@x": [{"start": 13, "end": 20, "text": "Taliban", "label": "GOV"}],
    }
    assert relation_conflict["item"]["source_text"] == "United States"
    assert relation_conflict["item"]["target_text"] == "Taliban"


def test_boundaries_that_differ_are_one_disputed_span_item():
    a = [*span(TEXT, "The Taliban", "GOV", "r1"), stance("NONE")]
    b = [*span(TEXT, "Taliban", "GOV", "r1"), stance("NONE")]
    res = resolve(annotation(1, "a@x", a), annotation(2, "b@x", b))
    [item] = [i for i in res.items if i.kind == "span"]
    assert item.open and item.key == (9, 20) and res.spans == ()


def test_ground_truth_settles_only_the_open_items():
    # the curator's answer differs from both annotators on the agreed stance: it is not taken there
    res = resolve(
        annotation(1, "a@x", full_answer(taliban="REB")),
        annotation(2, "b@x", full_answer()),
        annotation(3, "lead@x", full_answer(stance_value="NONE", taliban="MIL", country="PAK"), ground_truth=True),
        curators={"lead@x"},
    )
    assert res.resolved and res.method == "adjudicated" and res.adjudication_id == 3
    assert res.stance == "AGAINST" and res.annotation_ids == (1, 2)
    assert statuses(res)[("span", (13, 20))] == "adjudicated"
    assert [(s.label, s.attributes) for s in res.spans] == [("MIL", {"country": "PAK"}), ("GOV", {"country": "USA"})]
    # both annotators drew it: agreed, and gold now that its end is settled
    assert statuses(res)[("relation", ((49, 62), (13, 20)))] == "agreed"
    assert [r.label for r in res.relations] == ["OPPOSES"]


def test_starring_an_annotators_own_answer_settles_the_dispute_and_keeps_it_independent():
    res = resolve(
        annotation(1, "a@x", full_answer(taliban="REB")),
        annotation(2, "b@x", full_answer(), ground_truth=True),
    )
    assert res.resolved and res.annotation_ids == (1, 2) and res.adjudication_id == 2
    assert [s.label for s in res.spans] == ["GOV", "GOV"]


def test_a_single_annotation_is_gold_and_three_annotators_need_two():
    single = resolve(annotation(1, "a@x", full_answer()))
    assert single.resolved and single.method == "single"
    res = resolve(
        annotation(1, "a@x", full_answer(taliban="REB", country="PAK")),
        annotation(2, "b@x", full_answer()),
        annotation(3, "c@x", full_answer(stance_value="FAVOR")),
    )
    assert res.resolved and res.stance == "AGAINST" and res.method == "agreed"
    assert [(s.label, s.attributes["country"]) for s in res.spans] == [("GOV", "AFG"), ("GOV", "USA")]


def test_a_tied_span_attribute_is_an_open_item_the_span_stays_gold():
    res = resolve(annotation(1, "a@x", full_answer(country="PAK")), annotation(2, "b@x", full_answer()))
    [item] = res.open_items
    assert (item.kind, item.key, item.reason) == ("attribute", (13, 20, "GOV", "country"), "no majority: AFG 1, PAK 1")
    assert res.spans[0].attributes == {} and res.spans[0].label == "GOV"


def test_a_relation_given_two_labels_is_never_exported_as_its_first():
    answer = full_answer()
    answer[-2] = relation("r2", "r1", "SUPPORTS") | {"labels": ["SUPPORTS", "OPPOSES"]}
    res = resolve(annotation(1, "a@x", answer), annotation(2, "b@x", answer))
    [item] = res.open_items
    assert item.kind == "relation" and item.reason == "given 2 labels (OPPOSES+SUPPORTS): a relation takes one"
    assert res.relations == () and not res.resolved


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
    assert record["open_items"] == [{"kind": "stance", "item": {}, "reason": "no majority: AGAINST 1, FAVOR 1"}]
    assert left_out.held_back == kept.held_back == 1


def test_a_task_whose_text_changed_since_the_push_is_left_out():
    doc = document()
    changed = doc.evolve(text=doc.text.replace("Sunday", "Monday"))
    out = resolve_tasks([parse_task(task(4, doc, [annotation(1, "a@x", full_answer())]))], {doc.id: changed}, "s")
    assert out.records == [] and out.excluded == 1 and "differs from the cleaned document" in out.checks[0]["reason"]


def test_unannotated_tasks_are_counted():
    doc = document()
    out = resolve_tasks([parse_task(task(1, doc, []))], {doc.id: doc}, "s")
    assert out.unannotated == 1 and out.records == [] and out.conflicts == []


def test_a_pushed_but_never_annotated_document_missing_from_documents_is_not_an_error():
    doc, other = document(), document("d2")
    tasks = [parse_task(task(1, doc, [annotation(1, "a@x", full_answer())])), parse_task(task(2, other, []))]
    out = resolve_tasks(tasks, {doc.id: doc}, "s")  # d2 came from a second corpus folder, not given
    assert len(out.records) == 1 and out.unannotated == 1


def test_a_span_both_annotators_left_unsure_stays_open_and_its_relation_waits():
    unsure = full_answer(taliban="UNSURE")
    res = resolve(annotation(1, "a@x", unsure), annotation(2, "b@x", unsure))
    assert not res.resolved and [(s.text, s.label) for s in res.spans] == [("United States", "GOV")]
    [open_item] = [i for i in res.items if i.open and i.kind == "span"]
    assert open_item.key == (13, 20) and "left UNSURE" in open_item.reason
    assert dict(open_item.answers) == {"a@x": ((13, 20, "UNSURE"),), "b@x": ((13, 20, "UNSURE"),)}
    assert [i.status for i in res.items if i.kind == "relation"] == ["open"]


def test_an_unsure_span_both_annotators_accepted_is_gold_once_a_curator_labels_it():
    unsure = full_answer(taliban="UNSURE")
    curator = annotation(3, "cur@x", full_answer(taliban="REB"), ground_truth=True)
    res = resolve(annotation(1, "a@x", unsure), annotation(2, "b@x", unsure), curator)
    assert ("Taliban", "REB") in [(s.text, s.label) for s in res.spans]
    assert [i.status for i in res.items if i.kind == "span" and i.key == (13, 20)] == ["adjudicated"]


def test_an_unsure_span_a_curator_labels_is_gold():
    curator = annotation(3, "cur@x", full_answer(taliban="REB"), ground_truth=True)
    res = resolve(annotation(1, "a@x", full_answer(taliban="UNSURE")), annotation(2, "b@x", full_answer()), curator)
    assert ("Taliban", "REB") in [(s.text, s.label) for s in res.spans]
