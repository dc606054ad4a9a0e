"""Reading Label Studio's full-JSON export into tasks, annotations, spans and relations."""

import json

import pytest

from cleaning.errors import CorpusError
from exports.annotations import load_export, parse_export, parse_task
from tests.exports.factories import TEXT, annotation, document, full_answer, relation, span, stance, task


def test_a_full_answer_becomes_spans_attributes_relations_and_stance():
    [parsed] = parse_export([task(7, document(), [annotation(1, "ann@example.org", full_answer())])])
    [ann] = parsed.annotations
    assert parsed.id == 7 and parsed.doc_id == "d1" and parsed.target == "the Taliban"
    assert ann.annotator == "ann@example.org" and ann.stance == "AGAINST"
    assert [(s.text, s.label, s.attributes) for s in ann.spans] == [
        ("Taliban", "GOV", {"country": "AFG"}),
        ("United States", "GOV", {"country": "USA"}),
    ]
    assert all(TEXT[s.start : s.end] == s.text for s in ann.spans)
    [rel] = ann.relations
    us, taliban = (TEXT.index("United States"), TEXT.index("United States") + 13), (13, 20)
    assert (rel.source, rel.target, rel.label) == (us, taliban, "OPPOSES")


def test_a_left_arrow_is_stored_source_first():
    result = [
        *span(TEXT, "Taliban", "GOV", "a"),
        *span(TEXT, "army", "MIL", "b"),
        relation("a", "b", "SUPPORTS", "left"),
    ]
    [ann] = parse_task(task(1, document(), [annotation(1, 5, result)])).annotations
    assert ann.annotator == "user-5"
    assert ann.relations[0].source == (TEXT.index("army"), TEXT.index("army") + 4)


def test_skipped_annotations_are_counted_not_used_and_each_annotator_votes_once():
    anns = [
        annotation(1, "a@x", full_answer(stance_value="FAVOR")),
        annotation(2, "a@x", full_answer()),
        annotation(3, "b@x", [], cancelled=True),
    ]
    parsed = parse_task(task(1, document(), anns))
    assert parsed.cancelled == 1
    assert [(a.id, a.stance) for a in parsed.annotations] == [(2, "AGAINST")]


def test_unknown_result_names_are_kept_aside():
    note = {"from_name": "notes", "to_name": "text", "type": "textarea", "value": {"text": ["unclear"]}}
    [ann] = parse_task(task(1, document(), [annotation(1, "a@x", [stance("NONE"), note])])).annotations
    assert ann.extra == (note,) and ann.stance == "NONE"


def test_a_relation_to_a_missing_region_names_task_document_and_annotation():
    result = [*span(TEXT, "Taliban", "GOV", "a"), relation("a", "gone", "OPPOSES")]
    with pytest.raises(CorpusError) as err:
        parse_export([task(12, document("doc-x"), [annotation(34, "a@x", result)])], "snap.json")
    assert "snap.json: task 12 (doc doc-x), annotation 34" in err.value.message
    assert "unknown region gone" in err.value.message


def test_a_task_without_doc_id_is_refused_with_its_id():
    raw = task(3, document(), [])
    del raw["data"]["doc_id"]
    with pytest.raises(CorpusError, match=r"snap.json: task 3 has no data.doc_id") as err:
        parse_export([raw], "snap.json")
    assert "corpus push" in err.value.hint


def test_load_export_names_the_file_and_line_of_bad_json(tmp_path):
    path = tmp_path / "snap.json"
    path.write_text('[{"id": 1,\n  oops}]')
    with pytest.raises(CorpusError, match=r"snap.json: not valid JSON \(line 2") as err:
        load_export(path)
    assert "full JSON" in err.value.hint
    path.write_text(json.dumps({"tasks": []}))
    with pytest.raises(CorpusError, match="expected a list of tasks, found dict"):
        load_export(path)
    with pytest.raises(CorpusError, match="snapshot not found"):
        load_export(tmp_path / "missing.json")
