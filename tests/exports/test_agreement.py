"""Agreement between annotators: stance alpha and kappa, span and relation F1, span attributes."""

import numpy as np
import pytest

from exports import unitizing
from exports.agreement import align, draw_agreement_chart, measure_agreement
from exports.annotations import Span, parse_export
from tests.exports.factories import TEXT, annotation, document, full_answer, relation, span, stance, task


def tasks_of(*pairs):
    """Build tasks from (answer of a@x, answer of b@x) pairs."""
    return parse_export(
        [
            task(i, document(f"d{i}"), [annotation(2 * i, "a@x", a), annotation(2 * i + 1, "b@x", b)])
            for i, (a, b) in enumerate(pairs, start=1)
        ]
    )


def test_two_annotators_who_agree_score_one_everywhere():
    report = measure_agreement(
        tasks_of(
            (full_answer(), full_answer()),
            (full_answer(stance_value="FAVOR"), full_answer(stance_value="FAVOR")),
        )
    )
    assert report["tasks_compared"] == 2 and report["annotators"] == ["a@x", "b@x"]
    assert report["stance"]["alpha"] == pytest.approx(1.0)
    assert report["stance"]["pairs"] == [
        {"first_annotator": "a@x", "second_annotator": "b@x", "documents": 2, "agreement": 1.0, "kappa": 1.0}
    ]
    for kind in ("spans", "relations"):
        for mode in ("exact", "overlap"):
            assert report[kind][mode]["f1"] == 1.0
    assert report["spans"]["exact"]["per_label"]["GOV"] == {
        "f1": 1.0,
        "ci": [1.0, 1.0],
        "matched": 4,
        "marked_by_first": 4,
        "marked_by_second": 4,
        "items": 8,
    }
    assert report["spans"]["unitizing_alpha"]["value"] == 1.0
    assert report["attributes"]["country"] == {"items": 4, "agreement": 1.0, "kappa": 1.0}


def test_disagreement_lowers_each_measure_where_it_happens():
    report = measure_agreement(
        tasks_of(
            (
                full_answer(stance_value="FAVOR"),
                full_answer(stance_value="AGAINST", taliban="MIL", country="PAK"),
            ),
            (full_answer(stance_value="NONE"), full_answer(stance_value="NONE")),
        )
    )
    stance_pair = report["stance"]["pairs"][0]
    assert stance_pair["agreement"] == 0.5 and stance_pair["kappa"] < 0.5
    labels = report["spans"]["exact"]["per_label"]
    assert (labels["MIL"]["f1"], labels["MIL"]["marked_by_first"], labels["MIL"]["marked_by_second"]) == (0.0, 0, 1)
    assert labels["GOV"]["matched"] == 3 and labels["GOV"]["f1"] == pytest.approx(6 / 7)
    # the relation's ends still align (labels aside), so relation agreement is untouched
    assert report["relations"]["exact"]["f1"] == 1.0
    assert report["attributes"]["country"]["agreement"] == 0.75


def test_overlap_matching_forgives_boundaries_exact_does_not():
    a = [*span(TEXT, "the United States", "GOV", "r1"), stance("NONE")]
    b = [*span(TEXT, "United States", "GOV", "r1"), stance("NONE")]
    report = measure_agreement(tasks_of((a, b)))
    assert report["spans"]["exact"]["f1"] == 0.0
    assert report["spans"]["overlap"]["f1"] == 1.0
    # unitizing alpha neither forgives the boundary fully nor counts it as two missed spans
    assert 0.5 < report["spans"]["unitizing_alpha"]["value"] < 1.0


def test_a_relation_counts_only_when_both_ends_align():
    base = [
        *span(TEXT, "Taliban", "GOV", "r1"),
        *span(TEXT, "United States", "GOV", "r2"),
        *span(TEXT, "army", "MIL", "r3"),
        stance("NONE"),
    ]
    a = [*base, relation("r2", "r1", "OPPOSES")]
    b = [*base, relation("r2", "r3", "OPPOSES")]  # same source, other target
    report = measure_agreement(tasks_of((a, b)))
    opposes = report["relations"]["exact"]["per_label"]["OPPOSES"]
    assert (opposes["f1"], opposes["matched"], opposes["marked_by_first"], opposes["marked_by_second"]) == (0, 0, 1, 1)
    same_label_other = measure_agreement(tasks_of((a, [*base, relation("r2", "r1", "SUPPORTS")])))
    assert same_label_other["relations"]["exact"]["f1"] == 0.0


def test_undefined_statistics_are_none_not_zero():
    report = measure_agreement(tasks_of((full_answer(), full_answer())))  # one stance value only
    assert report["stance"]["alpha"] is None and report["stance"]["pairs"][0]["kappa"] is None
    single = parse_export([task(1, document(), [annotation(1, "a@x", full_answer())])])
    alone = measure_agreement(single)
    assert alone["tasks_compared"] == 0 and alone["stance"]["alpha"] is None
    assert alone["spans"]["exact"]["f1"] is None and alone["attributes"]["country"]["items"] == 0
    assert alone["spans"]["unitizing_alpha"] == {"value": None, "ci": None, "items": 0, "per_label": {}}


def test_align_pairs_each_span_once_largest_overlap_first():
    a = (Span(0, 10, "", "GOV"), Span(12, 20, "", "GOV"))
    b = (Span(5, 15, "", "GOV"), Span(11, 20, "", "GOV"))
    assert align(a, b, "overlap", same_label=True) == [(0, 0), (1, 1)]
    assert align(a, b, "exact", same_label=True) == []
    with pytest.raises(ValueError, match="unknown matching mode"):
        align(a, b, "fuzzy", same_label=True)


def test_the_chart_is_a_png(tmp_path):
    report = measure_agreement(tasks_of((full_answer(), full_answer(taliban="REB"))))
    path = draw_agreement_chart(report, tmp_path / "chart.png")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    import matplotlib.image

    height, width, _ = matplotlib.image.imread(path).shape
    assert (width, height) == (1300, 500)


def test_the_chart_is_drawn_when_nothing_could_be_compared(tmp_path):
    single = parse_export([task(1, document(), [annotation(1, "a@x", full_answer())])])
    path = draw_agreement_chart(measure_agreement(single), tmp_path / "chart.png")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_ground_truth_annotation_by_a_curator_is_not_an_annotator():
    tasks = parse_export(
        [
            task(
                1,
                document(),
                [
                    annotation(1, "a@x", full_answer()),
                    annotation(2, "b@x", full_answer(taliban="REB")),
                    annotation(3, "lead@x", full_answer(taliban="REB"), ground_truth=True),
                ],
            )
        ]
    )
    report = measure_agreement(tasks, curators={"lead@x"})
    assert report["annotators"] == ["a@x", "b@x"] and report["curators"] == ["lead@x"]
    reb = report["spans"]["exact"]["per_label"]["REB"]
    assert (reb["matched"], reb["marked_by_first"], reb["marked_by_second"]) == (0, 0, 1)


def test_starring_an_annotators_own_answer_does_not_change_agreement():
    answers = [(full_answer(stance_value="FAVOR"), full_answer()), (full_answer(), full_answer())]
    before = measure_agreement(tasks_of(*answers))
    starred = tasks_of(*answers)
    export = [
        task(t.id, document(t.doc_id), [annotation(a.id, a.annotator, r, ground_truth=(a.id == 3)) for a, r in
                                        zip(t.annotations, pair, strict=True)])
        for t, pair in zip(starred, answers, strict=True)
    ]
    after = measure_agreement(parse_export(export))
    assert after["tasks_compared"] == before["tasks_compared"] == 2
    assert after["stance"] == before["stance"] and after["stance"]["pairs"][0]["agreement"] == 0.5
    assert after["spans"] == before["spans"]


def test_unitizing_alpha_matches_krippendorffs_worked_example():
    """Krippendorff (2004), Content Analysis, p. 254: continuum 150-450, labels c and k, two observers."""
    c = unitizing.stretch([(225, 295), (370, 400)], [(220, 300), (355, 375), (400, 420)], 150, 450)
    k = unitizing.stretch([(180, 240), (300, 350)], [(180, 240), (300, 350)], 150, 450)
    observed, expected = unitizing.disagreements(unitizing.label_table([c]), np.ones((1, 1)))
    assert (observed[0], expected[0]) == (pytest.approx(0.0144, abs=1e-4), pytest.approx(0.0532, abs=1e-4))
    assert unitizing.u_alpha({"c": c}) == pytest.approx(0.7286, abs=1e-4)
    assert unitizing.u_alpha({"k": k}) == pytest.approx(1.0)
    assert unitizing.u_alpha({"c": c, "k": k}) == pytest.approx(0.8591, abs=5e-4)


def test_intervals_are_seeded_and_reproducible_and_few_items_warn():
    pairs = [(full_answer(stance_value=s1), full_answer(stance_value=s2, taliban=t)) for s1, s2, t in
             [("FAVOR", "FAVOR", "GOV"), ("NONE", "AGAINST", "REB"), ("AGAINST", "AGAINST", "GOV"),
              ("NONE", "NONE", "MIL"), ("FAVOR", "NONE", "GOV")]]
    one, two = measure_agreement(tasks_of(*pairs), seed=7), measure_agreement(tasks_of(*pairs), seed=7)
    other = measure_agreement(tasks_of(*pairs), seed=8)
    ua = one["spans"]["unitizing_alpha"]
    assert ua == two["spans"]["unitizing_alpha"] and one["stance"]["ci"] == two["stance"]["ci"]
    assert ua["ci"][0] <= ua["value"] <= ua["ci"][1] and ua["ci"] != other["spans"]["unitizing_alpha"]["ci"]
    assert one["spans"]["overlap"]["ci"][0] <= one["spans"]["overlap"]["f1"] <= one["spans"]["overlap"]["ci"][1]
    assert "stance alpha: 5 items (fewer than 50): indicative only, the interval is wide" in one["warnings"]


def test_the_diagnosis_puts_the_most_disagreeing_document_first_and_says_on_what():
    wide = [*span(TEXT, "the United States", "GOV", "r2"), *span(TEXT, "Taliban", "REB", "r1"), stance("FAVOR")]
    report = measure_agreement(tasks_of((full_answer(), full_answer()), (full_answer(), wide)))
    first, second = report["documents"]
    assert (first["doc_id"], second["doc_id"]) == ("d2", "d1")
    assert first["on"] == {
        "relations": 1,
        "span attributes": 2,
        "span boundaries": 1,
        "span labels": 1,
        "stance": 1,
    }
    assert first["stances"] == {"a@x": "AGAINST", "b@x": "FAVOR"} and first["span_alpha"] < 1.0
    assert second["disagreements"] == 0 and second["span_alpha"] == 1.0
