"""Agreement between annotators: stance alpha and kappa, span and relation F1, span attributes."""

import pytest

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
    assert report["stance"]["pairs"] == [{"a": "a@x", "b": "b@x", "n": 2, "agreement": 1.0, "kappa": 1.0}]
    for kind in ("spans", "relations"):
        for mode in ("exact", "overlap"):
            assert report[kind][mode]["f1"] == 1.0
    assert report["spans"]["exact"]["per_label"]["GOV"] == {"f1": 1.0, "matched": 4, "a": 4, "b": 4}
    assert report["attributes"]["country"] == {"n": 4, "agreement": 1.0, "kappa": 1.0}


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
    assert labels["MIL"] == {"f1": 0.0, "matched": 0, "a": 0, "b": 1}
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
    assert report["relations"]["exact"]["per_label"]["OPPOSES"] == {"f1": 0.0, "matched": 0, "a": 1, "b": 1}
    same_label_other = measure_agreement(tasks_of((a, [*base, relation("r2", "r1", "SUPPORTS")])))
    assert same_label_other["relations"]["exact"]["f1"] == 0.0


def test_undefined_statistics_are_none_not_zero():
    report = measure_agreement(tasks_of((full_answer(), full_answer())))  # one stance value only
    assert report["stance"]["alpha"] is None and report["stance"]["pairs"][0]["kappa"] is None
    single = parse_export([task(1, document(), [annotation(1, "a@x", full_answer())])])
    alone = measure_agreement(single)
    assert alone["tasks_compared"] == 0 and alone["stance"]["alpha"] is None
    assert alone["spans"]["exact"]["f1"] is None and alone["attributes"]["country"]["n"] == 0


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
    assert (width, height) == (1100, 495)


def test_a_ground_truth_annotation_is_not_an_annotator():
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
    report = measure_agreement(tasks)
    assert report["annotators"] == ["a@x", "b@x"]
    assert report["spans"]["exact"]["per_label"]["REB"] == {"f1": 0.0, "matched": 0, "a": 0, "b": 1}
