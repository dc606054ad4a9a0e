"""Gazetteer matching and prediction validation: pure, in memory."""

from __future__ import annotations

import pytest

from annotation.prelabel import Actor, Gazetteer, load_gazetteer, predict, validate_prediction
from annotation.scheme import load_scheme
from tests.annotation.conftest import seed_documents

SCHEME = load_scheme()


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return load_gazetteer()


def test_every_gazetteer_label_and_country_is_in_the_scheme(gazetteer):
    assert {a.label for a in gazetteer.actors} <= set(SCHEME.label_values)
    assert {lab for a in gazetteer.actors for _, lab in a.label_before} <= set(SCHEME.label_values)
    assert {a.country for a in gazetteer.actors} <= set(SCHEME.countries)


def test_finds_seed_actors_longest_first(gazetteer):
    text = seed_documents()[0].text
    found = [(m.text, m.actor.name) for m in gazetteer.find(text)]
    assert ("U.S. State Department", "US State Department") in found
    assert ("Human Rights Watch", "Human Rights Watch") in found
    assert ("Islamic Emirate Afghanistan", "Taliban") in found
    assert ("U.S.", "United States") not in found  # the longer alias took it
    assert not any(name == "Reuters" and t != "Reuters news agency" for t, name in found)


def test_whole_words_only():
    g = Gazetteer([Actor("United Nations", "IGO", "OTHER", ("UN",))])
    assert [m.text for m in g.find("UN staff left; UNHCR and the UNited front stayed. (UN)")] == ["UN", "UN"]


def test_taliban_label_depends_on_the_article_date(gazetteer):
    taliban = next(a for a in gazetteer.actors if a.name == "Taliban")
    assert (taliban.label_on("2021-07-28"), taliban.label_on("2021-08-15"), taliban.label_on(None)) == (
        "REB", "GOV", "GOV")


def test_prediction_for_every_seed_document_is_valid(gazetteer):
    for doc in seed_documents():
        prediction = predict(doc.text, None, gazetteer, SCHEME)
        assert prediction["model_version"] == "gazetteer-1"
        assert validate_prediction(prediction, doc.text, SCHEME) == []
        spans = [r for r in prediction["result"] if r["type"] == "labels"]
        countries = [r for r in prediction["result"] if r["from_name"] == "country"]
        assert spans and [r["id"] for r in countries] == [r["id"] for r in spans]


def test_nothing_found_gives_no_prediction(gazetteer):
    assert predict("Rain fell on the hills.", None, gazetteer, SCHEME) is None


def _span(id: str, start: int, end: int, text: str, label: str = "GOV") -> dict:
    return {"id": id, "from_name": "actor", "to_name": "text", "type": "labels",
            "value": {"start": start, "end": end, "text": text, "labels": [label]}}


TEXT = "Washington condemned the Taliban."


@pytest.mark.parametrize(("result", "problem"), [
    ([_span("a", 0, 10, "Washington", "ARMY")], "region a: label 'ARMY' is not in actor"),
    ([_span("a", 25, 99, "Taliban")], "region a: span 25-99 is outside the text (length 33)"),
    ([_span("a", 0, 10, "Washingtom")], "region a: span text 'Washingtom' is not the text at 0-10 'Washington'"),
    ([_span("a", 0, 10, "Washington"), {"from_id": "a", "to_id": "zz", "type": "relation", "labels": ["OPPOSES"]}],
     "relation a->zz: points at a missing span"),
    ([_span("a", 0, 10, "Washington"), _span("b", 25, 32, "Taliban"),
      {"from_id": "a", "to_id": "b", "type": "relation", "labels": ["HATES"]}],
     "relation a->b: label 'HATES' is not a relation"),
    ([{"id": "q", "from_name": "country", "to_name": "text", "type": "choices",
       "value": {"start": 0, "end": 10, "text": "Washington", "choices": ["USA"]}}],
     "region q: country must share its id and offsets with an actor span"),
    ([{"id": "s", "from_name": "stance", "to_name": "text", "type": "choices", "value": {"choices": ["PRO"]}}],
     "region s: choice 'PRO' is not in stance"),
])
def test_invalid_predictions_are_caught(result, problem):
    assert problem in validate_prediction({"model_version": "m", "result": result}, TEXT, SCHEME)


def test_valid_prediction_with_relation_and_stance_passes():
    result = [_span("a", 0, 10, "Washington"), _span("b", 25, 32, "Taliban"),
              {"from_id": "a", "to_id": "b", "type": "relation", "direction": "right", "labels": ["OPPOSES"]},
              {"id": "a", "from_name": "country", "to_name": "text", "type": "choices",
               "value": {"start": 0, "end": 10, "text": "Washington", "choices": ["USA"]}},
              {"id": "s", "from_name": "stance", "to_name": "text", "type": "choices", "value": {"choices": ["AGAINST"]}}]
    assert validate_prediction({"model_version": "m", "result": result}, TEXT, SCHEME) == []
