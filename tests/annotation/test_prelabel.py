"""Gazetteer matching and prediction validation: pure, in memory."""

from __future__ import annotations

import pytest

from annotation.prelabel import UNSURE_SCORE, Actor, Gazetteer, load_gazetteer, predict, validate_prediction
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
        "REB", "GOV", None)
    assert next(a for a in gazetteer.actors if a.name == "Jen Psaki").label_on(None) == "GOV"  # no date needed


def test_undated_seed_003_gets_every_taliban_unsure_with_a_low_score_never_gov(gazetteer):
    doc = next(d for d in seed_documents() if d.source.startswith("003_"))
    assert not doc.meta.get("date")
    prediction = predict(doc.text, None, gazetteer, SCHEME)
    assert validate_prediction(prediction, doc.text, SCHEME) == []
    spans = [r for r in prediction["result"] if r["type"] == "labels"]
    dated = {alias for a in gazetteer.actors if a.label_before for alias in a.aliases}  # Taliban and its officials
    taliban = [r for r in spans if r["value"]["text"] in dated]
    assert len(taliban) >= 10 and {"Taliban", "Islamic Emirate"} <= {r["value"]["text"] for r in taliban}
    assert {r["value"]["labels"][0] for r in taliban} == {SCHEME.unsure_value}
    assert {r["score"] for r in taliban} == {UNSURE_SCORE} and prediction["score"] == UNSURE_SCORE
    others = [r for r in spans if r not in taliban]
    assert others and all(r["value"]["labels"][0] in SCHEME.label_values and "score" not in r for r in others)
    # the country is still suggested: AFG does not depend on the date
    countries = {r["id"]: r["value"]["choices"] for r in prediction["result"] if r["from_name"] == "country"}
    assert all(countries[r["id"]] == ["AFG"] for r in taliban)


def test_a_dated_article_gets_the_label_of_its_date(gazetteer):
    text = "The Taliban took Kandahar."
    labels = {date: predict(text, date, gazetteer, SCHEME)["result"][0]["value"]["labels"]
              for date in ("2021-07-01", "2024-02-03")}
    assert labels == {"2021-07-01": ["REB"], "2024-02-03": ["GOV"]}
    assert predict(text, "2021-07-01", gazetteer, SCHEME)["score"] == 0.5


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
